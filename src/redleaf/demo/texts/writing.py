"""The raw material of one kind of note (see the package's docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Writing:
    titles: tuple[str, ...]
    body: tuple[tuple[str, ...], ...]  # slots: one sentence is picked from each; "" skips
    tags: tuple[str, ...]
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
