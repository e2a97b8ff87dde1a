"""The engines an operator configured, in their order, and the process's one Translator."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings
from redleaf.translation.engines.base import Engine
from redleaf.translation.engines.script import ScriptEngine
from redleaf.translation.translator import Translator

log = logging.getLogger("redleaf.translation")

_KEY = "translation.translator"
KNOWN_ENGINES = ("ct2", "openai", "libretranslate", "gloss")


def build_engines(settings: Settings) -> list[Engine]:
    """The configured engines by rank, skipping those with nothing to run (no model, no URL).
    Simplified ⇄ traditional Chinese conversion always comes first: it is exact."""
    engines: list[Engine] = [ScriptEngine()]
    for name in settings.translation_engines:
        engine = _build(name, settings)
        if engine is not None:
            engines.append(engine)
    return engines


def _build(name: str, settings: Settings) -> Engine | None:
    if name == "ct2":
        from redleaf.translation.engines.ct2 import Ct2Engine

        found = Ct2Engine.from_directory(
            settings.resolved_models_dir,
            threads=settings.translation_thread_count,
            batch_size=settings.translation_batch_size,
            beam_size=settings.translation_beam_size,
        )
        if found is None:
            log.info("ct2: no models in %s; skipped", settings.resolved_models_dir)
        return found
    if name in ("openai", "libretranslate"):
        from redleaf.translation.engines import http

        return http.from_settings(name, settings)
    if name == "gloss":
        return shared_gloss_engine(settings.resolved_cache_dir)
    log.warning("unknown translation engine %r in REDLEAF_TRANSLATION_ENGINES; skipped", name)
    return None


_gloss: list[Engine] = []
_gloss_lock = threading.Lock()


def shared_gloss_engine(cache_dir: Path) -> Engine:
    """One dictionary per process (~100 MB, seconds to build), whatever number of apps or
    runtimes it serves: the data never changes while the process runs."""
    with _gloss_lock:
        if not _gloss:
            from redleaf.translation.engines.gloss import GlossEngine

            _gloss.append(GlossEngine(cache_dir=cache_dir))
        return _gloss[0]


async def warm_up(settings: Settings) -> None:
    """Load what the first reader would otherwise wait for (the app calls this at start)."""
    from redleaf.translation.detect import warm_up as warm_up_detection

    try:
        await asyncio.to_thread(warm_up_detection)
        if "gloss" in settings.translation_engines:
            engine = shared_gloss_engine(settings.resolved_cache_dir)
            await engine.warm()  # type: ignore[attr-defined]
    except Exception:  # the first reader will try again, and see the error if it persists
        log.exception("translation warm-up failed")


def translator_for(runtime: Runtime) -> Translator:
    found = runtime.extras.get(_KEY)
    if found is None:
        found = runtime.extras[_KEY] = Translator(runtime, build_engines(runtime.settings))
    return found  # type: ignore[return-value]
