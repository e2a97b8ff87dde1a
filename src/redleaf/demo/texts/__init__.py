"""The words of the demo notes, per subject and language.

A `Writing` is the raw material of one kind of note: title templates, the body as slots (one
sentence is picked from each slot, an empty string skips it), the tags, and words particular to
the subject. Templates name fill-ins in braces: the generator supplies `{city}`, `{place}`,
`{city_tag}`, `{region}`, `{days}`, `{price}`, `{stay}`, `{hour}` and `{with}`, and each
subject's own `words` add more.
"""

from __future__ import annotations

from redleaf.demo.texts import en_food, en_life, en_places, zh_food, zh_life, zh_places
from redleaf.demo.texts.writing import Writing


def writings() -> dict[str, dict[str, Writing]]:
    """{"en": {subject: Writing}, "zh": {...}}."""
    return {
        "en": {**en_places.WRITINGS, **en_food.WRITINGS, **en_life.WRITINGS},
        "zh": {**zh_places.WRITINGS, **zh_food.WRITINGS, **zh_life.WRITINGS},
    }


__all__ = ["Writing", "writings"]
