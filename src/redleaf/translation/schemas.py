"""API shapes of translation. Types are checked here (422); lengths and languages by the service
with translated messages (400)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class TranslateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: StrictStr = Field(max_length=1_000_000)
    target: StrictStr = Field(max_length=32)
    source: StrictStr | None = Field(default=None, max_length=32)


class TranslationOut(BaseModel):
    text: str
    source_lang: str
    target_lang: str
    engine: str
    kind: str  # translation | gloss: a gloss is never to be shown as a translation
    words: list[dict[str, Any]] = []
    terms: list[dict[str, Any]] = []


class NoteTranslationOut(BaseModel):
    title: str
    body: str
    source_lang: str
    target_lang: str
    engine: str
    kind: str
    words: list[dict[str, Any]] = []
    terms: list[dict[str, Any]] = []
