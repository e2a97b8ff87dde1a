"""The classifier interface and a registry of classifiers by name.

A classifier scores a batch of texts with a sync call (batches amortise model overhead);
`ascore` runs the same call in a worker thread so an async caller never blocks its event loop on
model inference. Names are stable: policies refer to them ("profanity_en", "abuse", ...), so a
retrained model keeps its name and changes its `version`.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator


class UnknownClassifier(KeyError):
    """No classifier is registered under this name."""


class Classifier(ABC):
    """Scores texts; every score lies in [0, 1], higher meaning more likely to violate."""

    name: str
    version: str

    @abstractmethod
    def score(self, texts: list[str]) -> list[float]:
        """One score per text, in order. Sync: may take milliseconds per text."""

    async def ascore(self, texts: list[str]) -> list[float]:
        """`score` in a worker thread (models release the GIL while they compute)."""
        return await asyncio.to_thread(self.score, texts)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} v{self.version}>"


class ClassifierRegistry:
    """Classifiers by name, built lazily: loading a model costs seconds and memory, so nothing
    loads until a policy or a command asks for it."""

    def __init__(self) -> None:
        self._factories: dict[str, Callable[[], Classifier]] = {}
        self._built: dict[str, Classifier] = {}

    def register(self, name: str, factory: Callable[[], Classifier]) -> None:
        self._factories[name] = factory
        self._built.pop(name, None)

    def add(self, classifier: Classifier) -> None:
        """Register an instance already built (tests, or a model trained in this process)."""
        self._factories[classifier.name] = lambda: classifier
        self._built[classifier.name] = classifier

    def get(self, name: str) -> Classifier:
        if name not in self._built:
            try:
                factory = self._factories[name]
            except KeyError:
                raise UnknownClassifier(name) from None
            built = factory()
            if built.name != name:
                raise ValueError(f"factory for {name!r} built a classifier named {built.name!r}")
            self._built[name] = built
        return self._built[name]

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


# The process-wide registry; `redleaf.moderation.classifiers.defaults.register_defaults` fills it.
registry = ClassifierRegistry()
