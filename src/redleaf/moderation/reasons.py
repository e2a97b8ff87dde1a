"""Why members report: bilingual categories, each with the severity its case starts at (the
review queue is ordered by severity, then age)."""

from __future__ import annotations

from dataclasses import dataclass

from redleaf.kit.i18n import lazy


@dataclass(frozen=True)
class Reason:
    code: str
    label: str  # an English message id, translated where it is shown
    severity: int  # 1 (low) to 5


REASONS: dict[str, Reason] = {
    reason.code: reason
    for reason in (
        Reason("spam", lazy("Spam or advertising"), 2),
        Reason("scam", lazy("Scam or fraud"), 4),
        Reason("harassment", lazy("Harassment or bullying"), 3),
        Reason("hate", lazy("Hate speech"), 4),
        Reason("nudity", lazy("Nudity or sexual content"), 3),
        Reason("violence", lazy("Violence or threats"), 4),
        Reason("self_harm", lazy("Self-harm or suicide"), 5),
        Reason("misinformation", lazy("False information"), 2),
        Reason("copyright", lazy("Someone else's work"), 2),
        Reason("other", lazy("Something else"), 1),
    )
}
