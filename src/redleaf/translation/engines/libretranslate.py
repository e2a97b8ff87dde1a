"""An engine for a LibreTranslate-compatible service (self-hosted LibreTranslate, or any API that
speaks its POST /translate).

One request per batch: LibreTranslate accepts a list for `q` and answers with a list in
`translatedText`. Self-hosted servers name Chinese "zh" (simplified) and "zt" (traditional);
libretranslate.com and newer servers say "zh-Hans" and "zh-Hant". We use the former unless the
server's GET /languages (asked once, on first use) lists the latter.
"""

from __future__ import annotations

import logging
from typing import Any

from redleaf.translation.breaker import CircuitBreaker
from redleaf.translation.engines.base import EngineError, Output, UnsupportedPair
from redleaf.translation.engines.http_base import HttpEngine

log = logging.getLogger("redleaf.translation")

# Our codes (translation/langs.py) -> the codes of a self-hosted LibreTranslate.
CLASSIC_CODES = {"zh-Hans": "zh", "zh-Hant": "zt"}
# And back, for reading GET /languages.
FROM_SERVER_CODES = {"zh": "zh-Hans", "zt": "zh-Hant", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}

DEFAULT_PAIRS = frozenset(
    {("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "en"), ("zh-Hant", "en")}
)


class LibreTranslateEngine(HttpEngine):
    name = "libretranslate"

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        retries: int = 2,
        breaker: CircuitBreaker | None = None,
        model_label: str = "",
        backoff_seconds: float = 0.5,
        max_retry_after: float = 5.0,
        ask_languages: bool = True,
    ) -> None:
        super().__init__(
            url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retries=retries,
            breaker=breaker,
            backoff_seconds=backoff_seconds,
            max_retry_after=max_retry_after,
        )
        self.api_key = api_key or None
        self.model_label = model_label
        self._pairs: frozenset[tuple[str, str]] = DEFAULT_PAIRS
        self._server_codes: dict[str, str] = dict(CLASSIC_CODES)
        self._languages_asked = not ask_languages

    def __repr__(self) -> str:  # never shows the API key
        return f"LibreTranslateEngine({self.host!r})"

    @property
    def version(self) -> str:
        # The host stands for the models it runs; an operator who upgrades them in place can
        # say so with a label, which changes the cache key.
        label = f":{self.model_label}" if self.model_label else ""
        return f"libretranslate:{self.host}{label}"

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self._pairs

    async def load_languages(self) -> None:
        """Ask the server once which pairs it translates (GET /languages). Best effort: on any
        failure the default pairs (English <-> Chinese) stay."""
        self._languages_asked = True
        try:
            answer = await self._get_json("/languages", retries=0)
            pairs, codes = read_languages(answer)
        except EngineError:
            return
        except (TypeError, ValueError, KeyError, AttributeError):
            log.warning("translation engine %s: unreadable /languages answer", self.name)
            return
        if pairs:
            self._pairs = pairs
            self._server_codes = codes

    async def _translate_batch(self, segments: list[str], source: str, target: str) -> list[Output]:
        if not self._languages_asked:
            await self.load_languages()
            if not self.supports(source, target):
                raise UnsupportedPair(f"{self.name}: the server has no {source} -> {target}")
        payload: dict[str, Any] = {
            "q": segments,
            "source": self._server_code(source),
            "target": self._server_code(target),
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = await self._post_json("/translate", payload)
        texts = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(texts, str) and len(segments) == 1:
            texts = [texts]  # some servers answer a one-item list with a plain string
        if (
            not isinstance(texts, list)
            or len(texts) != len(segments)
            or not all(isinstance(text, str) for text in texts)
        ):
            raise self._fail("malformed answer")
        return [Output(text) for text in texts]

    def _server_code(self, lang: str) -> str:
        return self._server_codes.get(lang, lang)


def read_languages(answer: Any) -> tuple[frozenset[tuple[str, str]], dict[str, str]]:
    """The pairs (in our codes) and our-code -> server-code map from a /languages answer:
    [{"code": "en", "name": "English", "targets": ["zh", ...]}, ...]. Servers too old to list
    targets translate between any two of their languages."""
    if not isinstance(answer, list):
        raise ValueError("not a list")
    ours: dict[str, str] = {}  # server code -> our code
    targets: dict[str, list[str] | None] = {}
    for entry in answer:
        code = str(entry["code"])
        ours[code] = FROM_SERVER_CODES.get(code, code)
        listed = entry.get("targets")
        targets[code] = [str(t) for t in listed] if isinstance(listed, list) else None
    pairs = set()
    for code, listed in targets.items():
        for other in listed if listed is not None else list(ours):
            if other in ours and other != code:
                pairs.add((ours[code], ours[other]))
    codes = {mine: server for server, mine in ours.items()}
    # A server listing both "zh" and "zh-Hans" (aliases): prefer the explicit script code.
    for mine in ("zh-Hans", "zh-Hant"):
        if mine in ours:
            codes[mine] = mine
    return frozenset(pairs), codes
