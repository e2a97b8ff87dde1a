"""The engines that call a translation service, built from settings: a LibreTranslate-compatible
API (libretranslate.py) and an OpenAI-compatible chat API (openai_chat.py). Each gets its own
circuit breaker, so one service being down never fails the other fast."""

from __future__ import annotations

import logging

from redleaf.settings import Settings
from redleaf.translation.breaker import CircuitBreaker
from redleaf.translation.engines.base import Engine
from redleaf.translation.engines.libretranslate import LibreTranslateEngine
from redleaf.translation.engines.openai_chat import OpenAIChatEngine

__all__ = ["LibreTranslateEngine", "OpenAIChatEngine", "from_settings"]

log = logging.getLogger("redleaf.translation")


def from_settings(name: str, settings: Settings) -> Engine | None:
    """The engine `name` ("libretranslate" or "openai"), or None when it is not configured."""
    breaker = CircuitBreaker(
        settings.translation_breaker_failures,
        settings.translation_breaker_reset_seconds,
        name=name,
    )
    timeout = settings.translation_http_timeout_seconds
    retries = settings.translation_http_retries
    if name == "libretranslate":
        if not settings.translation_libretranslate_url:
            log.info("libretranslate: no translation_libretranslate_url; skipped")
            return None
        return LibreTranslateEngine(
            settings.translation_libretranslate_url,
            settings.translation_libretranslate_api_key or None,
            timeout=timeout,
            retries=retries,
            breaker=breaker,
            model_label=getattr(settings, "translation_libretranslate_model_label", ""),
        )
    if name == "openai":
        if not (settings.translation_openai_url and settings.translation_openai_model):
            log.info("openai: translation_openai_url or translation_openai_model unset; skipped")
            return None
        return OpenAIChatEngine(
            settings.translation_openai_url,
            settings.translation_openai_api_key or None,
            settings.translation_openai_model,
            timeout=getattr(settings, "translation_openai_timeout_seconds", None) or timeout,
            retries=retries,
            breaker=breaker,
        )
    raise ValueError(f"not an HTTP translation engine: {name!r}")
