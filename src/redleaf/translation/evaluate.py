"""`redleaf translation eval`: how good and how fast the configured engine is on a file of pairs.

The file is tab-separated, one pair a line: source language, target language, source text,
reference translation (lines starting with # are comments). Each direction is scored with
sacrebleu's chrF and BLEU (BLEU with its Chinese tokenizer for Chinese targets), and timed in
sentences per second. The cache is bypassed: every sentence reaches the engine.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redleaf.translation import chain
from redleaf.translation.engines.base import Engine, EngineError
from redleaf.translation.glossary import Glossary
from redleaf.translation.langs import CONTENT_LANGUAGES, base


@dataclass(frozen=True)
class Pair:
    source_lang: str
    target_lang: str
    source: str
    reference: str


@dataclass(frozen=True)
class Score:
    source_lang: str
    target_lang: str
    engine: str
    sentences: int
    failed: int
    chrf: float
    bleu: float
    per_second: float


class PairsFileError(ValueError):
    pass


def read_pairs(path: Path) -> list[Pair]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise PairsFileError(f"{path}:{number}: expected 4 tab-separated fields")
        source_lang, target_lang, source, reference = (f.strip() for f in fields)
        for code in (source_lang, target_lang):
            if code not in CONTENT_LANGUAGES:
                raise PairsFileError(f"{path}:{number}: unknown language {code!r}")
        pairs.append(Pair(source_lang, target_lang, source, reference))
    if not pairs:
        raise PairsFileError(f"{path}: no pairs")
    return pairs


async def evaluate(
    pairs: Sequence[Pair], engines: Sequence[Engine], glossary: Glossary, only: str | None = None
) -> list[Score]:
    import sacrebleu

    by_direction: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_direction[(pair.source_lang, pair.target_lang)].append(pair)
    scores = []
    for (source, target), group in sorted(by_direction.items()):
        candidates = [e for e in chain.engines_for(engines, source, target) if e.name != "opencc"]
        if only is not None:
            candidates = [e for e in candidates if e.name == only]
        if not candidates:
            continue
        engine = candidates[0]
        hypotheses, failed = [], 0
        with contextlib.suppress(EngineError):  # untimed: loading a model is not translating
            await chain.run(engine, group[0].source, source, target, glossary)
        started = time.perf_counter()
        for pair in group:
            try:
                result = await chain.run(engine, pair.source, source, target, glossary)
                hypotheses.append(result.text)
            except EngineError:
                hypotheses.append("")
                failed += 1
        elapsed = time.perf_counter() - started
        references = [[p.reference for p in group]]
        tokenize = "zh" if base(target) == "zh" else "13a"
        bleu = sacrebleu.corpus_bleu(hypotheses, references, tokenize=tokenize).score
        chrf = sacrebleu.corpus_chrf(hypotheses, references).score
        scores.append(
            Score(
                source,
                target,
                engine.name,
                len(group),
                failed,
                chrf,
                bleu,
                len(group) / elapsed if elapsed > 0 else 0.0,
            )
        )
    return scores


def format_scores(scores: Sequence[Score]) -> str:
    lines = [
        f"{'direction':<16} {'engine':<15} {'sentences':>9} {'failed':>6} {'chrF':>6} "
        f"{'BLEU':>6} {'sent/s':>8}"
    ]
    for s in scores:
        lines.append(
            f"{s.source_lang + '→' + s.target_lang:<16} {s.engine:<15} {s.sentences:>9} "
            f"{s.failed:>6} {s.chrf:>6.1f} {s.bleu:>6.1f} {s.per_second:>8.1f}"
        )
    return "\n".join(lines)
