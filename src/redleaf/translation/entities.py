"""Entities survive translation: what engines must not touch is masked, then put back.

`mask(text)` cuts a text into segments, one per non-blank line, and replaces each #hashtag,
@mention, URL, emoji, number and protected span (a glossary term) with a placeholder ⦃N⦄, N being
the entity's index within its segment. Engines translate the segments; `restore` puts the layout
(line breaks, blank lines, the spaces around each line) and the entities back, whatever the engine
did to the placeholders: spaces inside or around them, full-width digits, one dropped (appended
at the end of its line), duplicated (the first kept) or invented (removed).

Hashtags and mentions are read as notes/text.py reads them (a tag runs until a space,
punctuation or a closing `#`, as in `#成都美食#`; "me@example.com" mentions nobody), except that a
tag glued to the Chinese before it ("我超爱#火锅#") is masked too: masking more only keeps more
text exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# ⦃N⦄ suits neural MT: U+2983/U+2984 almost never occur in real text, so a placeholder cannot be
# confused with what a member typed; SentencePiece and BPE vocabularies keep such rare brackets
# as single symbols (or byte pieces) rather than merging them into words, and models trained on
# copied symbols and digits pass them through untranslated. Plain brackets such as {0} or [0] get
# rewritten, and XML-like tags get "translated" or closed by LLMs. Other engines rely on this form.
PLACEHOLDER_PATTERN = re.compile(r"⦃(\d+)⦄")

# What engines give back: spaces inside the brackets, any Unicode digits (int() reads "０").
_LOOSE_PLACEHOLDER = re.compile(r"⦃\s*(\d+)\s*⦄")

# Where a URL, a tag or a mention may start: not inside an ASCII word, so "C#", "me@example.com"
# and "page#top" are left alone, but a tag glued to Chinese ("我超爱#火锅#") is one.
URL_PATTERN = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"(?<![.,;:!?'\)\]])",  # a sentence's full stop or closing bracket is not part of the URL
    re.IGNORECASE,
)
MENTION_PATTERN = re.compile(r"(?<![A-Za-z0-9_.])@[A-Za-z0-9_]{1,30}")
HASHTAG_PATTERN = re.compile(r"(?<![A-Za-z0-9_&])#[\w\u00b7\-]{1,60}#?")

# Emoji: keycaps, flags (pairs of regional indicators), subdivision flags (tag sequences), and
# pictographs with variation selectors, skin tones and ZWJ joins (family, profession sequences).
_PICTOGRAPH = (
    "\U0001f000-\U0001faff"  # emoticons, symbols and pictographs, transport, supplemental
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats (☀ ❤ ✨)
    "\u2300-\u23ff"  # technical (⌚ ⏰)
    "\u2b00-\u2bff"  # arrows and stars (⭐ ⬆)
    "\u2190-\u21ff"  # arrows (↔)
    "\u25a0-\u25ff"  # geometric shapes (▶ ◀)
    "\u2934\u2935\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139\u24c2"
)
_MODIFIERS = r"[\ufe0e\ufe0f]?[\U0001f3fb-\U0001f3ff]?[\ufe0e\ufe0f]?"
_ONE_PICTOGRAPH = f"[{_PICTOGRAPH}]{_MODIFIERS}"
EMOJI_PATTERN = re.compile(
    r"[0-9#*]\ufe0f?\u20e3"  # keycap 1️⃣ #️⃣
    r"|[\U0001f1e6-\U0001f1ff]{2}"  # flag 🇨🇳
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # subdivision flag 🏴󠁧󠁢󠁥󠁮󠁧󠁿
    rf"|{_ONE_PICTOGRAPH}(?:\u200d{_ONE_PICTOGRAPH})*"
)

# 12, 3.5, 1,000, 50%: not glued to ASCII letters ("2nd", "iPhone15", "3C" are words an engine
# handles), but glued to Chinese is fine ("3天").
NUMBER_PATTERN = re.compile(r"(?<![A-Za-z\d])(?<!\d[.,])\d+(?:[.,]\d+)*[%％]?(?![A-Za-z\d]|[.,]\d)")

# Placeholder brackets a member typed are entities themselves, so restore never mistakes them.
_BRACKETS = re.compile(r"⦃[^\S\n]*\d*[^\S\n]*⦄|[⦃⦄]")

# Spaces an engine puts between an entity and a CJK character are dropped unless the source had
# them: Chinese and Japanese do not space around "#火锅" or 🎉 (and MT often adds such spaces).
_CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Entity:
    """One masked span: what comes back in its place, and whether the source had whitespace
    on either side of it (used to decide the spacing next to CJK text)."""

    text: str
    space_before: bool
    space_after: bool


@dataclass(frozen=True)
class Line:
    """One line of the source: its surrounding whitespace, and its segment (None when blank)."""

    leading: str
    trailing: str
    segment: int | None


@dataclass(frozen=True)
class Masked:
    segments: tuple[str, ...]  # what engines translate: one per non-blank line, no "\n"
    lines: tuple[Line, ...]  # the layout of the source
    entities: tuple[tuple[Entity, ...], ...]  # per segment; placeholder N is entities[i][N]


def mask(text: str, protected: Sequence[tuple[int, int, str]] = ()) -> Masked:
    """Cut `text` into segments with placeholders. `protected` are (start, end, replacement)
    spans of `text` (glossary terms) that come back as `replacement`. A protected span that
    overlaps a URL, mention, hashtag or an earlier protected span is ignored (a URL containing
    a glossary word comes back as it was); one outside the text or across a line break raises
    ValueError."""
    spans = _entity_spans(text, protected)
    segments: list[str] = []
    lines: list[Line] = []
    entities: list[tuple[Entity, ...]] = []
    position = 0
    span_index = 0
    for raw_line in text.split("\n"):
        line_start, line_end = position, position + len(raw_line)
        position = line_end + 1
        core = raw_line.strip()
        if not core:
            lines.append(Line(raw_line, "", None))
            continue
        leading = raw_line[: len(raw_line) - len(raw_line.lstrip())]
        trailing = raw_line[len(raw_line.rstrip()) :]
        core_start, core_end = line_start + len(leading), line_end - len(trailing)
        pieces: list[str] = []
        line_entities: list[Entity] = []
        cursor = core_start
        while span_index < len(spans) and spans[span_index][1] <= core_end:
            start, end, replacement = spans[span_index]
            span_index += 1
            pieces.append(text[cursor:start])
            pieces.append(f"⦃{len(line_entities)}⦄")
            line_entities.append(
                Entity(
                    replacement,
                    space_before=start > core_start and text[start - 1].isspace(),
                    space_after=end < core_end and text[end].isspace(),
                )
            )
            cursor = end
        pieces.append(text[cursor:core_end])
        lines.append(Line(leading, trailing, len(segments)))
        segments.append("".join(pieces))
        entities.append(tuple(line_entities))
    return Masked(tuple(segments), tuple(lines), tuple(entities))


def needs_engine(segment: str) -> bool:
    """Whether a segment has words to translate (not only placeholders, spaces, punctuation)."""
    return _LETTER.search(PLACEHOLDER_PATTERN.sub("", segment)) is not None


def restore(masked: Masked, translated: Sequence[str]) -> str:
    """The translated text: the engine's segments with the entities and the layout put back."""
    if len(translated) != len(masked.segments):
        raise ValueError(f"expected {len(masked.segments)} segments, got {len(translated)}")
    out: list[str] = []
    for line in masked.lines:
        if line.segment is None:
            out.append(line.leading)
            continue
        body = _restore_segment(translated[line.segment], masked.entities[line.segment])
        out.append(line.leading + body + line.trailing)
    return "\n".join(out)


def _entity_spans(
    text: str, protected: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, comes-back-as) spans in order. Structural entities (typed
    brackets, URLs, mentions, hashtags) first, then protected terms, then emoji and numbers in
    what is left."""
    taken: list[tuple[int, int, str]] = []
    occupied = bytearray(len(text))  # 1 where a span already sits

    def free(start: int, end: int) -> bool:
        return not any(occupied[start:end])

    def take(start: int, end: int, replacement: str) -> None:
        taken.append((start, end, replacement))
        occupied[start:end] = b"\x01" * (end - start)

    for pattern in (_BRACKETS, URL_PATTERN, MENTION_PATTERN, HASHTAG_PATTERN):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                take(match.start(), match.end(), match.group())
    for start, end, replacement in sorted(protected):
        if not 0 <= start < end <= len(text):
            raise ValueError(f"protected span ({start}, {end}) is outside the text")
        if "\n" in text[start:end]:
            raise ValueError("a protected span cannot cross a line break")
        if not text[start:end].strip():
            continue  # nothing to protect
        if free(start, end):
            take(start, end, replacement)
    for pattern in (EMOJI_PATTERN, NUMBER_PATTERN):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                take(match.start(), match.end(), match.group())
    return _trim(text, sorted(taken))


def _trim(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans never start or end with whitespace, so they sit inside a line's stripped core
    (a protected term " OOTD" keeps its space in the text, outside the placeholder)."""
    trimmed = []
    for start, end, replacement in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end, replacement))
    return trimmed


def _restore_segment(translated: str, entities: tuple[Entity, ...]) -> str:
    # An engine's line break would change the layout; the source segment had none.
    translated = translated.replace("\r\n", " ").replace("\n", " ").strip()
    used: set[int] = set()
    pieces: list[str] = []
    cursor = 0
    for match in _LOOSE_PLACEHOLDER.finditer(translated):
        index = int(match.group(1))
        before = translated[cursor : match.start()]
        cursor = match.end()
        if index >= len(entities) or index in used:  # invented or duplicated: drop it
            pieces.append(before)
            if not before or before[-1].isspace():
                cursor = _after_space_end(translated, cursor)  # "a ⦃9⦄ b" -> "a b"
            continue
        used.add(index)
        entity = entities[index]
        pieces.append(_space_before(before, entity))
        pieces.append(entity.text)
        after_end = _after_space_end(translated, cursor)
        if not entity.space_after and _is_cjk_at(translated, after_end):
            cursor = after_end  # drop the engine's space between the entity and CJK text
    pieces.append(translated[cursor:])
    body = "".join(pieces).strip()
    lost = [entity.text for index, entity in enumerate(entities) if index not in used]
    return " ".join([body, *lost]) if body else " ".join(lost)


def _space_before(before: str, entity: Entity) -> str:
    """`before` without the engine's trailing whitespace when a CJK character precedes it and
    the source had no whitespace before the entity."""
    stripped = before.rstrip()
    if stripped != before and not entity.space_before and stripped and _is_cjk(stripped[-1]):
        return stripped
    return before


def _after_space_end(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _is_cjk_at(text: str, position: int) -> bool:
    return position < len(text) and _is_cjk(text[position])


def _is_cjk(char: str) -> bool:
    return _CJK.match(char) is not None
