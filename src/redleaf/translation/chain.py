"""One text through one engine, with entities and glossary terms kept; and the fallback order.

The chain (`translation_engines`) ranks the engines an operator configured; for a language pair
the engines that support it are tried in that order until one answers (translator.py). Whatever
the engine, hashtags, mentions, URLs, emoji, numbers, line breaks and glossary terms never reach
it: they are masked here and put back after (entities.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from redleaf.translation import entities
from redleaf.translation.engines.base import Engine, EngineError, Kind
from redleaf.translation.glossary import Glossary, rendering
from redleaf.translation.langs import base


@dataclass(frozen=True)
class Result:
    text: str
    source_lang: str
    target_lang: str
    engine: str
    kind: Kind
    # What a reader may want beside a gloss: its words ({"text", "reading", "senses"}), and the
    # glossary terms found ({"term", "rendering", "note"}), for every engine.
    words: tuple[dict[str, Any], ...] = field(default=())
    terms: tuple[dict[str, Any], ...] = field(default=())


def engines_for(engines: Sequence[Engine], source: str, target: str) -> list[Engine]:
    return [engine for engine in engines if engine.supports(source, target)]


def same_language(source: str, target: str) -> bool:
    return source == target or (base(source) == base(target) and base(source) != "zh")


async def run(engine: Engine, text: str, source: str, target: str, glossary: Glossary) -> Result:
    """`text` translated by `engine`; raises EngineError."""
    matches = glossary.find(text)
    protected = [(m.start, m.end, rendering(m.entry, target)) for m in matches]
    masked = entities.mask(text, protected)
    todo = [i for i, segment in enumerate(masked.segments) if entities.needs_engine(segment)]
    outputs = (
        await engine.translate([masked.segments[i] for i in todo], source, target) if todo else []
    )
    if len(outputs) != len(todo):
        raise EngineError(f"{engine.name}: {len(outputs)} answers for {len(todo)} segments")
    translated = list(masked.segments)
    words: list[dict[str, Any]] = []
    for index, output in zip(todo, outputs, strict=True):
        translated[index] = output.text
        words.extend(
            {"text": w.text, "reading": w.reading, "senses": list(w.senses)} for w in output.glosses
        )
    terms = _terms_used(matches, target)
    return Result(
        entities.restore(masked, translated),
        source,
        target,
        engine.name,
        engine.kind,
        tuple(words),
        terms,
    )


def _terms_used(matches: Sequence[Any], target: str) -> tuple[dict[str, Any], ...]:
    seen: set[str] = set()
    terms = []
    for match in matches:
        entry = match.entry
        if entry.term in seen:
            continue
        seen.add(entry.term)
        note = entry.note_zh if base(target) == "zh" else entry.note_en
        terms.append({"term": entry.term, "rendering": rendering(entry, target), "note": note})
    return tuple(terms)
