"""How a group of notifications reads, in the reader's language.

A line is an actors phrase put into a sentence per kind: "Alice, Bob and 11 others" + "liked
your note", or "莉莉、Bob 等 13 人" + "赞了你的笔记". Names are user text: they are never passed
through `%` formatting but slotted in afterwards as separate parts, so a page can show them in
bold (and escape them) without parsing the sentence again.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from babel.dates import format_date, format_timedelta

from redleaf.kit.i18n import babel_locale, gettext, lazy, ngettext

SENTENCES = {
    "like": lazy("%(actors)s liked your note"),
    "collect": lazy("%(actors)s collected your note"),
    "comment": lazy("%(actors)s commented on your note"),
    "reply": lazy("%(actors)s replied to your comment"),
    "mention": lazy("%(actors)s mentioned you in a note"),
    "mention_comment": lazy("%(actors)s mentioned you in a comment"),
    "follow": lazy("%(actors)s started following you"),
    "comment_like": lazy("%(actors)s liked your comment"),
}

_SLOT = re.compile(r"\x00(\d)\x01")


def _slot(index: int) -> str:
    return f"\x00{index}\x01"


def actors_phrase(total: int) -> str:
    """The phrase with slots for up to two names, `total` members in all."""
    if total <= 1:
        return _slot(0)
    if total == 2:
        return gettext("%(a)s and %(b)s", a=_slot(0), b=_slot(1))
    # English counts the others ("and 11 others"); Chinese counts everyone ("等 13 人"): both
    # numbers are given, and each translation uses the one its language needs.
    return ngettext(
        "%(a)s, %(b)s and %(num)s other",
        "%(a)s, %(b)s and %(num)s others",
        total - 2,
        a=_slot(0),
        b=_slot(1),
        total=total,
    )


def sentence_key(kind: str, has_comment: bool) -> str:
    return "mention_comment" if kind == "mention" and has_comment else kind


def parts(
    kind: str, has_comment: bool, actors: list[tuple[str, str]], total: int
) -> list[dict[str, str]]:
    """The line as parts: `{"text"}` for words, `{"text", "username"}` for a member's name.

    `actors` are (display name, username), newest first; `total` counts every member."""
    phrase = actors_phrase(max(total, len(actors)))
    line = gettext(SENTENCES[sentence_key(kind, has_comment)], actors=phrase)
    out: list[dict[str, str]] = []
    position = 0
    for match in _SLOT.finditer(line):
        if match.start() > position:
            out.append({"text": line[position : match.start()]})
        index = int(match.group(1))
        if index < len(actors):
            name, username = actors[index]
            out.append({"text": name or username, "username": username})
        position = match.end()
    if position < len(line):
        out.append({"text": line[position:]})
    return out


def plain(line: list[dict[str, str]]) -> str:
    return "".join(part["text"] for part in line)


def when(value: datetime, now: datetime) -> str:
    """ "just now", "5 minutes ago" / "5分钟前" within a week, then the date."""
    age = now - value
    if age < timedelta(minutes=1):
        return gettext("just now")
    if age < timedelta(days=7):
        return format_timedelta(
            -age, add_direction=True, threshold=1, format="long", locale=babel_locale()
        )
    return format_date(value.date(), "medium", locale=babel_locale())


def excerpt(body: str, limit: int = 80) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
