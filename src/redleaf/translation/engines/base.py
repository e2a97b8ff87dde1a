"""What every translation engine offers (docs/architecture.md, "Translation").

An engine turns a batch of already-masked segments (translation/entities.py: hashtags, mentions,
URLs, emoji, numbers and glossary terms replaced by placeholders, one line per segment) from one
language into another. It knows nothing of notes, caches or fallbacks: translation/chain.py
orders engines and falls back, translation/cache.py keeps answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

# What the reader is shown: a machine translation, or a dictionary gloss that must never be
# passed off as one.
Kind = Literal["translation", "gloss"]


class EngineError(Exception):
    """The engine could not answer this batch (down, too slow, malformed answer, no model for the
    pair). The chain moves on to the next engine; nothing is cached."""


class UnsupportedPair(EngineError):
    """The engine has no model or method for this language pair."""


@dataclass(frozen=True)
class GlossWord:
    """One word of a dictionary gloss: the source word, its reading and its senses."""

    text: str
    reading: str = ""  # pinyin for Chinese; empty otherwise
    senses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Output:
    """The answer for one segment."""

    text: str
    glosses: tuple[GlossWord, ...] = field(default=())  # gloss engines only


class Engine(Protocol):
    name: str  # "ct2", "libretranslate", "openai", "gloss"
    kind: Kind

    @property
    def version(self) -> str:
        """Changes whenever the same input could give another output (model files, prompt,
        dictionary release): it is part of the cache key."""
        ...

    def supports(self, source: str, target: str) -> bool:
        """Languages are the codes of translation/langs.py ("en", "zh-Hans", "zh-Hant", ...)."""
        ...

    async def translate(self, segments: list[str], source: str, target: str) -> list[Output]:
        """One Output per segment, in order. Raises EngineError (never anything else for a
        failure of the engine); must not block the event loop (CPU work goes to a thread)."""
        ...

    async def aclose(self) -> None: ...
