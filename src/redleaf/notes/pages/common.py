"""What the note pages share: how numbers, dates, covers and note text are shown, and reading the
composer's plain form (the one that works without JavaScript).

The card and comment markup is also built by scripts (grid.js, note.js) from the API's JSON; the
number and size rules here have twins there, so a card looks the same however it was made.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from babel.dates import format_date
from markupsafe import Markup, escape
from starlette.datastructures import FormData

from redleaf.kit.errors import InvalidInput
from redleaf.kit.i18n import get_locale
from redleaf.notes.schemas import PlaceIn
from redleaf.notes.text import MENTION_PATTERN, TAG_PATTERN, hashtags
from redleaf.web.forms import text

# How many notes a server-rendered grid page shows; scripts fetch the next pages at the same size.
GRID_PAGE = 20
COMMENTS_PAGE = 20
REPLIES_PAGE = 20
# A grid cover keeps its own shape between these heights per unit of width (RedNote crops very
# tall photos to 3:4 and very wide ones to 4:3 in the grid). grid.js uses the same numbers.
COVER_MIN_RATIO = 0.75
COVER_MAX_RATIO = 4 / 3
TEXT_STYLES = 6  # palettes of a text-only card: .text-style-0 ... .text-style-5 in notes.css


def compact_count(n: int | None) -> str:
    """1234 → "1.2k" (English) or 12345 → "1.2万" (Chinese), as RedNote shows counts."""
    value = int(n or 0)
    units = (
        ((100_000_000, "亿"), (10_000, "万"))
        if get_locale() == "zh-Hans"
        else ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k"))
    )
    for size, suffix in units:
        if value >= size:
            scaled = value / size
            # Truncated, never rounded up: 1,999 likes are "1.9k", not "2k" (notes-kit.js too).
            tenths = math.floor(scaled * 10) / 10
            shown = f"{tenths:.1f}".removesuffix(".0") if scaled < 10 else str(int(scaled))
            return shown + suffix
    return str(value)


def day(value: datetime | None) -> str:
    """A date in the reader's language: "Nov 25, 2025" / "2025年11月25日"."""
    if value is None:
        return ""
    return _day(value.date(), "zh_Hans_CN" if get_locale() == "zh-Hans" else "en")


@lru_cache(maxsize=4096)
def _day(value: date, babel_locale: str) -> str:
    # Babel takes ~0.1 ms a date, and a note page shows one per comment: most share a few days.
    return format_date(value, "medium", locale=babel_locale)


def iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def cover_box(cover: dict[str, Any] | None) -> tuple[int, int]:
    """The width and height attributes of a grid cover: its own shape, clamped (see above)."""
    width = int((cover or {}).get("width") or 0)
    height = int((cover or {}).get("height") or 0)
    if width <= 0 or height <= 0:
        return 3, 4
    ratio = min(max(height / width, COVER_MIN_RATIO), COVER_MAX_RATIO)
    return 600, round(600 * ratio)


def text_style(note: dict[str, Any]) -> int:
    style = note.get("text_style") or 0
    return style if isinstance(style, int) and 0 <= style < TEXT_STYLES else 0


def tag_url(tag: str) -> str:
    return "/search?q=" + quote("#" + tag, safe="")


def rich_text(body: str, mentions: list[dict[str, Any]] | None = None) -> Markup:
    """Note or comment text, escaped, with #tags linked to their search and @mentions linked to
    the profiles of the members the service resolved (an unknown @name stays plain text)."""
    known = {str(m.get("username", "")).lower() for m in (mentions or [])}
    spans: list[tuple[int, int, Markup]] = []
    for match in TAG_PATTERN.finditer(body):
        label = body[match.start() : match.end()]
        link = Markup('<a class="tag-link" href="{}">{}</a>').format(tag_url(match.group(1)), label)
        spans.append((match.start(), match.end(), link))
    for match in MENTION_PATTERN.finditer(body):
        if match.group(1).lower() not in known:
            continue
        link = Markup('<a class="mention-link" href="/u/{}">@{}</a>').format(
            match.group(1).lower(), match.group(1)
        )
        spans.append((match.start(), match.end(), link))
    out: list[Markup | str] = []
    position = 0
    for start, end, link in sorted(spans, key=lambda span: span[0]):
        if start < position:  # overlapping matches: the first one wins
            continue
        out.append(escape(body[position:start]))
        out.append(link)
        position = end
    out.append(escape(body[position:]))
    return Markup("").join(out)


def excerpt(note: dict[str, Any], limit: int = 60) -> str:
    """What a card says when the note has no title: the start of its body."""
    if note.get("title"):
        return str(note["title"])
    body = " ".join(str(note.get("body") or "").split())
    return body if len(body) <= limit else body[: limit - 1].rstrip() + "…"


# --- the composer's plain form -------------------------------------------------------------------

_TAG_SPLIT = re.compile(r"[\s,，、;；#]+")


def tags_from_form(raw: str) -> list[str]:
    """ "#travel food, 旅行" → ["travel", "food", "旅行"]; the service checks count and length."""
    found: list[str] = []
    for part in _TAG_SPLIT.split(raw):
        if part and part not in found:
            found.append(part)
    return found


def _coordinate(value: str, field: str, limit: float) -> float | None:
    value = value.strip().replace("，", ".").replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not -limit <= number <= limit:  # NaN fails both comparisons
        raise InvalidInput(
            "Latitude must be a number from -90 to 90 and longitude one from -180 to 180.",
            code="invalid_coordinates",
            field=field,
        )
    return number


def place_from_form(form: FormData) -> PlaceIn | None:
    name, name_zh = text(form, "place_name").strip(), text(form, "place_name_zh").strip()
    lat = _coordinate(text(form, "place_lat"), "place", 90)
    lon = _coordinate(text(form, "place_lon"), "place", 180)
    if not (name or name_zh or lat is not None or lon is not None):
        return None
    return PlaceIn(name=name, name_zh=name_zh or None, lat=lat, lon=lon)


def int_or_zero(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


# --- the note page ---------------------------------------------------------------------------

_WIDTHS = ("360", "720", "1080")


def media_src(media: dict[str, Any]) -> str:
    """The default rendition of a photo: 720 wide when there is one (srcset picks better)."""
    urls = media.get("urls") or {}
    for key in ("720", "1080", "360"):
        if urls.get(key):
            return str(urls[key])
    return ""


def srcset(media: dict[str, Any]) -> str:
    urls = media.get("urls") or {}
    return ", ".join(f"{urls[key]} {key}w" for key in _WIDTHS if urls.get(key))


def carousel_ratio(media: list[dict[str, Any]]) -> str:
    """The height per unit of width of a carousel: its first photo's, clamped as RedNote does
    (note.js sets it; every slide then fits inside it)."""
    first = media[0] if media else {}
    width, height = first.get("width") or 0, first.get("height") or 0
    if not width or not height:
        return "1"
    return f"{min(max(height / width, COVER_MIN_RATIO), COVER_MAX_RATIO):.4f}"


def place_name(place: dict[str, Any]) -> str:
    """The place in the reader's language, with the other name after it when both exist."""
    name_en, name_zh = place.get("name_en") or "", place.get("name_zh") or ""
    first, second = (name_zh, name_en) if get_locale() == "zh-Hans" else (name_en, name_zh)
    if first and second and first != second:
        return f"{first} · {second}"
    return first or second or str(place.get("name") or "")


def explicit_tags(note: dict[str, Any]) -> list[str]:
    """The tags given apart from the text (the body's own #tags are already links in it)."""
    in_body = set(hashtags(str(note.get("body") or "")))
    return [tag for tag in note.get("tags") or [] if tag not in in_body]


def html_lang(lang: str | None) -> str:
    """A `lang` attribute for user text: "zh" → "zh-Hans"; unknown text gets none ("")."""
    return {"zh": "zh-Hans", "und": ""}.get(lang or "und", lang or "")
