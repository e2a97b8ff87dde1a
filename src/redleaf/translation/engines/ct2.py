"""The production engine: OPUS-MT (Marian) models run by CTranslate2 on the CPU.

One model directory per direction (engines/ct2_model.py says what it holds), loaded on first
use. A batch of segments is cut into sentences (engines/sentences.py), all of them go to the
model in one `translate_batch` call, and the translations are put back together per line. The
call runs in a worker thread (CTranslate2 releases the GIL); one batch at a time per model, so
concurrent requests queue instead of fighting over the few cores the model threads already use.

Traditional Chinese is served by the simplified model: the source is folded with OpenCC t2s
before translation, and a zh-Hant target is converted back with s2t afterwards.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from redleaf.translation.engines.base import EngineError, Kind, Output, UnsupportedPair
from redleaf.translation.engines.ct2_model import (
    MODEL_FILE,
    SOURCE_SPM,
    TARGET_SPM,
    ModelManifest,
    model_identity,
    read_manifest,
    scan_models,
)
from redleaf.translation.engines.sentences import join_sentences, split_sentences

SIMPLIFIED = "zh-Hans"
TRADITIONAL = "zh-Hant"
END_OF_SENTENCE = "</s>"
# Pieces a Marian model may emit that are not text.
_NOT_TEXT = frozenset({"</s>", "<s>", "<unk>", "<pad>"})
# A translation rarely needs three times the source's pieces; a model stuck repeating itself
# is cut there instead of running to the hard limit.
_DECODING_RATIO = 3
_DECODING_SLACK = 10
# Marian models carry position encodings for this many pieces, on either side; CTranslate2
# fails on a longer input or output.
MARIAN_POSITIONS = 512


@dataclass(frozen=True)
class _Route:
    """How one requested pair is served: by which model, with which script conversions."""

    model: tuple[str, str]
    fold_source: bool = False  # zh-Hant source: t2s before the zh-Hans model
    unfold_target: bool = False  # zh-Hant target: s2t after the zh-Hans model


@dataclass(frozen=True)
class _Loaded:
    translator: Any  # ctranslate2.Translator
    source_pieces: Any  # sentencepiece.SentencePieceProcessor
    target_pieces: Any


class _Direction:
    """One model directory: its manifest, the model once loaded, and the locks around it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manifest: ModelManifest | None = None
        self.manifest_error = ""
        try:
            self.manifest = read_manifest(path)
        except ValueError as error:
            self.manifest_error = str(error)
        self.identity = model_identity(path, self.manifest)
        self.source_prefix = self.manifest.source_prefix if self.manifest else ""
        self.target_prefix = self.manifest.target_prefix if self.manifest else ""
        # Requests queue on an asyncio lock without holding a thread (one per event loop, as
        # tests and several app instances may share an engine), then on a thread lock, which
        # also holds when a cancelled request's thread lingers or another loop calls.
        self._batch_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]
        self._batch_locks = weakref.WeakKeyDictionary()
        self.run_lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def batch_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._batch_locks.get(loop)
        if lock is None:
            lock = self._batch_locks[loop] = asyncio.Lock()
        return lock

    def loaded(self, options: _Options) -> _Loaded:
        if self._loaded is None:
            with self._load_lock:
                if self._loaded is None:
                    self._loaded = self._load(options)
        return self._loaded

    def unload(self) -> None:
        with self._load_lock:
            self._loaded = None

    def _load(self, options: _Options) -> _Loaded:
        if self.manifest_error:
            raise EngineError(self.manifest_error)
        missing = [n for n in (MODEL_FILE, SOURCE_SPM, TARGET_SPM) if not (self.path / n).is_file()]
        if missing:
            raise EngineError(f"{self.path} lacks {', '.join(missing)}")
        try:
            import ctranslate2
            import sentencepiece

            translator = ctranslate2.Translator(
                str(self.path),
                device="cpu",
                compute_type=options.compute_type,
                intra_threads=options.threads,
                inter_threads=1,
            )
            source = sentencepiece.SentencePieceProcessor(model_file=str(self.path / SOURCE_SPM))
            target = sentencepiece.SentencePieceProcessor(model_file=str(self.path / TARGET_SPM))
        except Exception as error:  # ctranslate2 and sentencepiece raise several kinds
            raise EngineError(f"cannot load the model in {self.path}: {error}") from error
        return _Loaded(translator, source, target)


@dataclass(frozen=True)
class _Options:
    threads: int
    batch_size: int
    beam_size: int
    max_input_tokens: int
    compute_type: str


class Ct2Engine:
    name = "ct2"
    kind: Kind = "translation"

    def __init__(
        self,
        models: Mapping[tuple[str, str], Path | str],
        *,
        threads: int = 0,
        batch_size: int = 16,
        beam_size: int = 2,
        max_input_tokens: int = 256,
        compute_type: str = "int8",
    ) -> None:
        """`models` maps a direction ("en", "zh-Hans") to its model directory. `threads` is
        CTranslate2's intra_threads (0: its default); longer sentences are cut to
        `max_input_tokens` pieces."""
        if batch_size < 1 or beam_size < 1 or threads < 0:
            raise ValueError("batch_size and beam_size must be ≥ 1, threads ≥ 0")
        if not 8 <= max_input_tokens <= MARIAN_POSITIONS:
            raise ValueError(f"max_input_tokens must be within 8..{MARIAN_POSITIONS}")
        self._options = _Options(threads, batch_size, beam_size, max_input_tokens, compute_type)
        self._directions = {pair: _Direction(Path(path)) for pair, path in models.items()}
        self._version = self._make_version()

    @classmethod
    def from_directory(cls, directory: Path | str, **options: Any) -> Ct2Engine | None:
        """Serve every model found under `directory` (each subdirectory whose
        redleaf-model.json names a direction; see `redleaf translation import-model`), or
        None when there is none: the chain then skips this engine."""
        models = scan_models(Path(directory))
        return cls(models, **options) if models else None

    @property
    def version(self) -> str:
        return self._version

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The directions with a model of their own (zh-Hant ones are served through them)."""
        return sorted(self._directions)

    def supports(self, source: str, target: str) -> bool:
        return self._route(source, target) is not None

    async def translate(self, segments: list[str], source: str, target: str) -> list[Output]:
        route = self._route(source, target)
        if route is None:
            raise UnsupportedPair(f"ct2 has no model for {source}→{target}")
        if not any(segment.strip() for segment in segments):
            return [Output(segment) for segment in segments]
        direction = self._directions[route.model]
        try:
            async with direction.batch_lock():
                texts = await asyncio.to_thread(self._translate_now, direction, route, segments)
        except EngineError:
            raise
        except Exception as error:  # anything CTranslate2, sentencepiece or OpenCC raise
            raise EngineError(f"ct2 {source}→{target} failed: {error}") from error
        return [Output(text) for text in texts]

    async def preload(self) -> None:
        """Load every model now (at start-up) rather than on the first request."""
        for direction in self._directions.values():
            await asyncio.to_thread(direction.loaded, self._options)

    async def aclose(self) -> None:
        for direction in self._directions.values():
            direction.unload()

    def _make_version(self) -> str:
        options = self._options
        parts = [
            f"{source}>{target}={direction.identity}"
            for (source, target), direction in sorted(self._directions.items())
        ]
        # Threads and batch size do not change answers; beam, cut-off and weight type may.
        parts.append(f"{options.beam_size}/{options.max_input_tokens}/{options.compute_type}")
        return "ct2-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]

    def _route(self, source: str, target: str) -> _Route | None:
        if source == target:
            return None
        if (source, target) in self._directions:
            return _Route((source, target))
        model_source = SIMPLIFIED if source == TRADITIONAL else source
        model_target = SIMPLIFIED if target == TRADITIONAL else target
        if model_source != model_target and (model_source, model_target) in self._directions:
            return _Route(
                (model_source, model_target),
                fold_source=source == TRADITIONAL,
                unfold_target=target == TRADITIONAL,
            )
        return None

    # --- in the worker thread

    def _translate_now(
        self, direction: _Direction, route: _Route, segments: list[str]
    ) -> list[str]:
        loaded = direction.loaded(self._options)
        model_source, model_target = route.model
        # Each line of each segment: its surrounding whitespace and its span of `sentences`.
        layout: list[list[tuple[str, int, int, str]]] = []
        sentences: list[str] = []
        for segment in segments:
            lines = []
            for line in segment.split("\n"):
                core = line.strip()
                lead = line[: len(line) - len(line.lstrip())] if core else line
                trail = line[len(line.rstrip()) :] if core else ""
                if route.fold_source and core:
                    core = _opencc("t2s").convert(core)
                first = len(sentences)
                sentences.extend(split_sentences(core, model_source))
                lines.append((lead, first, len(sentences), trail))
            layout.append(lines)

        translated = self._run_batch(direction, loaded, sentences)

        texts = []
        for lines in layout:
            rendered = []
            for lead, first, last, trail in lines:
                text = join_sentences(translated[first:last], model_target)
                if route.unfold_target and text:
                    text = _opencc("s2t").convert(text)
                rendered.append(f"{lead}{text}{trail}")
            texts.append("\n".join(rendered))
        return texts

    def _run_batch(self, direction: _Direction, loaded: _Loaded, sentences: list[str]) -> list[str]:
        if not sentences:
            return []
        options = self._options
        prefix = [direction.source_prefix] if direction.source_prefix else []
        room = options.max_input_tokens - len(prefix) - 1  # what is left beside prefix and </s>
        encoded = loaded.source_pieces.encode(sentences, out_type=str)
        batch = [[*prefix, *pieces[:room], END_OF_SENTENCE] for pieces in encoded]
        longest = max(len(tokens) for tokens in batch)
        target_prefix = (
            [[direction.target_prefix]] * len(batch) if direction.target_prefix else None
        )
        with direction.run_lock:
            results = loaded.translator.translate_batch(
                batch,
                target_prefix=target_prefix,
                max_batch_size=options.batch_size,
                beam_size=options.beam_size,
                num_hypotheses=1,
                max_input_length=options.max_input_tokens,
                max_decoding_length=min(
                    MARIAN_POSITIONS,
                    2 * options.max_input_tokens,
                    _DECODING_RATIO * longest + _DECODING_SLACK,
                ),
            )
        texts = []
        for result in results:
            pieces = list(result.hypotheses[0]) if result.hypotheses else []
            if direction.target_prefix and pieces[:1] == [direction.target_prefix]:
                pieces = pieces[1:]
            pieces = [piece for piece in pieces if piece not in _NOT_TEXT]
            texts.append(loaded.target_pieces.decode_pieces(pieces).strip())
        return texts


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)
