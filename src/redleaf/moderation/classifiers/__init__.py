"""Classifiers give each text a score in [0, 1] under a stable name; rules compare the scores
with thresholds from the policy. See `base.py` for the interface and the registry."""

from __future__ import annotations

from redleaf.moderation.classifiers.base import (
    Classifier,
    ClassifierRegistry,
    UnknownClassifier,
    registry,
)

__all__ = ["Classifier", "ClassifierRegistry", "UnknownClassifier", "registry"]
