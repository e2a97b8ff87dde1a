"""Registers the shipped classifiers by name; nothing loads until first use."""

from __future__ import annotations

from pathlib import Path

from redleaf.moderation.classifiers.base import ClassifierRegistry, registry
from redleaf.moderation.classifiers.embedding import (
    SHIPPED_MODEL_PATH,
    register_embedding_classifiers,
)
from redleaf.moderation.classifiers.profanity import PROFANITY_NAME, ProfanityClassifier


def register_defaults(
    target: ClassifierRegistry = registry, model_path: Path = SHIPPED_MODEL_PATH
) -> ClassifierRegistry:
    target.register(PROFANITY_NAME, ProfanityClassifier)
    register_embedding_classifiers(target, model_path)
    return target
