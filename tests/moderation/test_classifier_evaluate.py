from __future__ import annotations

import pytest

from redleaf.moderation.classifiers.base import Classifier, ClassifierRegistry, UnknownClassifier
from redleaf.moderation.classifiers.evaluate import evaluate, format_table


class FixedScores(Classifier):
    """A classifier whose score is written in the text itself: "0.9 anything" scores 0.9."""

    name = "spam"
    version = "1"

    def score(self, texts: list[str]) -> list[float]:
        return [float(text.split()[0]) for text in texts]


ROWS = [
    ("spam", "0.9 a"),
    ("spam", "0.7 b"),
    ("spam", "0.2 c"),  # missed
    ("ok", "0.6 d"),  # false alarm
    ("ok", "0.1 e"),
    ("scam", "0.4 f"),
]


def test_precision_recall_f1_at_the_threshold() -> None:
    result = evaluate(FixedScores(), ROWS, threshold=0.5)
    assert (result.true_positives, result.false_positives) == (2, 1)
    assert (result.false_negatives, result.true_negatives) == (1, 2)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)
    assert result.mean_positive_score == pytest.approx(0.6)
    assert result.mean_negative_score == pytest.approx((0.6 + 0.1 + 0.4) / 3)


def test_default_threshold_and_positive_labels() -> None:
    assert evaluate(FixedScores(), ROWS).threshold == 0.5
    broader = evaluate(FixedScores(), ROWS, threshold=0.3, positive_labels={"spam", "scam"})
    assert (broader.true_positives, broader.false_positives, broader.false_negatives) == (3, 1, 1)


def test_nothing_flagged_gives_zero_not_an_error() -> None:
    result = evaluate(FixedScores(), ROWS, threshold=0.99)
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


def test_table_has_a_row_per_classifier() -> None:
    table = format_table([evaluate(FixedScores(), ROWS, threshold=0.5)])
    header, _, row = table.splitlines()
    assert header.split()[:5] == ["classifier", "threshold", "precision", "recall", "F1"]
    assert row.split()[:5] == ["spam", "0.500", "0.667", "0.667", "0.667"]


def test_registry_builds_lazily_once() -> None:
    built: list[int] = []
    registry = ClassifierRegistry()

    def factory() -> Classifier:
        built.append(1)
        return FixedScores()

    registry.register("spam", factory)
    assert built == [] and "spam" in registry
    assert registry.get("spam") is registry.get("spam")
    assert built == [1]
    with pytest.raises(UnknownClassifier):
        registry.get("nudity")
