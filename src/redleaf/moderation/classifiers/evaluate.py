"""Precision, recall and F1 of a classifier on a labelled file, at a threshold, with the score
distribution of positives and negatives so an operator can see where a threshold should sit.

A row is positive for a classifier when its label is one of the classifier's positive labels:
its own name for the embedding heads ("spam" → rows labelled spam); "abuse" for profanity_en.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redleaf.moderation.classifiers.base import Classifier

DEFAULT_THRESHOLD = 0.5

# Classifiers whose name is not a label of the seed files.
POSITIVE_LABELS: dict[str, frozenset[str]] = {"profanity_en": frozenset({"abuse"})}


@dataclass(frozen=True)
class Evaluation:
    name: str
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    mean_positive_score: float
    mean_negative_score: float

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def default_threshold(classifier: Classifier) -> float:
    return float(getattr(classifier, "default_threshold", DEFAULT_THRESHOLD))


def evaluate_scores(
    name: str, scores: Sequence[float], positives: Sequence[bool], threshold: float
) -> Evaluation:
    counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    positive_scores: list[float] = []
    negative_scores: list[float] = []
    for score, positive in zip(scores, positives, strict=True):
        counts[(score >= threshold, positive)] += 1
        (positive_scores if positive else negative_scores).append(score)
    return Evaluation(
        name=name,
        threshold=threshold,
        true_positives=counts[(True, True)],
        false_positives=counts[(True, False)],
        false_negatives=counts[(False, True)],
        true_negatives=counts[(False, False)],
        mean_positive_score=sum(positive_scores) / len(positive_scores) if positive_scores else 0.0,
        mean_negative_score=sum(negative_scores) / len(negative_scores) if negative_scores else 0.0,
    )


def evaluate(
    classifier: Classifier,
    rows: Iterable[tuple[str, str]],
    threshold: float | None = None,
    positive_labels: Iterable[str] | None = None,
) -> Evaluation:
    """Score (label, text) rows; a score at or above the threshold counts as flagged. The
    threshold defaults to the classifier's own `default_threshold`, else 0.5."""
    rows = list(rows)
    wanted = (
        frozenset(positive_labels)
        if positive_labels is not None
        else POSITIVE_LABELS.get(classifier.name, frozenset({classifier.name}))
    )
    scores = classifier.score([text for _, text in rows]) if rows else []
    return evaluate_scores(
        classifier.name,
        scores,
        [label in wanted for label, _ in rows],
        default_threshold(classifier) if threshold is None else threshold,
    )


def format_table(evaluations: Sequence[Evaluation]) -> str:
    header = (
        f"{'classifier':<14} {'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} "
        f"{'support':>7} {'flagged':>7} {'mean+':>6} {'mean-':>6}"
    )
    lines = [header, "-" * len(header)]
    for e in evaluations:
        lines.append(
            f"{e.name:<14} {e.threshold:>9.3f} {e.precision:>9.3f} {e.recall:>7.3f} {e.f1:>6.3f} "
            f"{e.support:>7d} {e.true_positives + e.false_positives:>7d} "
            f"{e.mean_positive_score:>6.3f} {e.mean_negative_score:>6.3f}"
        )
    return "\n".join(lines)
