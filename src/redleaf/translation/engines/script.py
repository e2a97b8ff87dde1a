"""Simplified ⇄ traditional Chinese by OpenCC: a conversion, exact enough to count as a
translation, for readers of one script meeting text in the other."""

from __future__ import annotations

import threading
from importlib.metadata import version as package_version

from redleaf.translation.engines.base import EngineError, Kind, Output, UnsupportedPair

_CONFIGS = {("zh-Hant", "zh-Hans"): "t2s", ("zh-Hans", "zh-Hant"): "s2t"}


class ScriptEngine:
    name = "opencc"
    kind: Kind = "translation"

    def __init__(self) -> None:
        self._converters: dict[str, object] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return f"opencc-{package_version('opencc')}"

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in _CONFIGS

    def convert(self, text: str, source: str, target: str) -> str:
        config = _CONFIGS.get((source, target))
        if config is None:
            raise UnsupportedPair(f"{source}->{target}")
        with self._lock:  # an OpenCC converter is not documented as thread-safe
            converter = self._converters.get(config)
            if converter is None:
                import opencc

                converter = self._converters[config] = opencc.OpenCC(config)
            return converter.convert(text)  # type: ignore[attr-defined, no-any-return]

    async def translate(self, segments: list[str], source: str, target: str) -> list[Output]:
        try:
            return [Output(self.convert(segment, source, target)) for segment in segments]
        except UnsupportedPair:
            raise
        except Exception as error:  # OpenCC's own errors carry no type worth naming
            raise EngineError(f"opencc: {error}") from error

    async def aclose(self) -> None:
        return None
