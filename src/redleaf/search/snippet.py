"""Choosing and cutting a snippet: the window of the original text with the best matches, its
pieces marked, white space collapsed, `…` where text is left out. `analyze.highlight` finds the
matches; this module knows nothing of terms or languages beyond not cutting a latin word.
"""

from __future__ import annotations

import re

Segment = tuple[str, bool]  # a piece of the original text, and whether it matched
Match = tuple[int, int, set[str]]  # where a match is in the original text, and its terms

_SPACES = re.compile(r"\s+")
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def snippet(text: str, matches: list[Match], max_chars: int) -> list[Segment]:
    """About `max_chars` characters of `text` around the window of `matches` with the most
    distinct terms, as `[(piece, is_match)]`; without matches, the start of the text."""
    merged = _merge(matches)
    if not merged:
        end = _snap_end(text, min(len(text), max_chars), 0)
        return _segments(text, 0, end, [])
    first, last = _best_window(merged, max_chars)
    begin, end = _place(text, merged, first, last, max_chars)
    inside = [(b, e) for b, e, _terms in merged if begin <= b and e <= end]
    return _segments(text, begin, end, inside)


def _merge(spans: list[Match]) -> list[Match]:
    merged: list[Match] = []
    for begin, end, terms in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and begin <= merged[-1][1]:
            last_begin, last_end, last_terms = merged[-1]
            merged[-1] = (last_begin, max(last_end, end), last_terms | terms)
        else:
            merged.append((begin, end, set(terms)))
    return merged


def _best_window(spans: list[Match], max_chars: int) -> tuple[int, int]:
    """Indexes of the first and last span of the window with the most distinct terms, then
    the most matches, then the earliest."""
    best: tuple[int, int, int] | None = None
    chosen = (0, 0)
    for first in range(len(spans)):
        terms: set[str] = set()
        last = first
        for index in range(first, len(spans)):
            if index > first and spans[index][1] - spans[first][0] > max_chars:
                break
            terms |= spans[index][2]
            last = index
        score = (len(terms), last - first + 1, -first)
        if best is None or score > best:
            best, chosen = score, (first, last)
    return chosen


def _place(text: str, spans: list[Match], first: int, last: int, max_chars: int) -> tuple[int, int]:
    low, high = spans[first][0], spans[last][1]
    slack = max(0, max_chars - (high - low))
    begin = max(0, low - slack // 3)
    end = min(len(text), begin + max(max_chars, high - low))
    if end == len(text):
        begin = max(0, min(begin, end - max_chars))
    for span_begin, span_end, _terms in spans[last + 1 :]:
        if span_begin < end < span_end:
            end = span_begin
            break
    for span_begin, span_end, _terms in reversed(spans[:first]):
        if span_begin < begin < span_end:
            begin = span_end
            break
    return _snap_begin(text, begin, low), _snap_end(text, end, high)


def _is_latin(char: str) -> bool:
    return char.isalnum() and not _IDEOGRAPH.match(char)


def _snap_begin(text: str, begin: int, limit: int) -> int:
    """Move `begin` forward out of a latin word it would cut, never past `limit`."""
    if begin <= 0 or not (_is_latin(text[begin - 1]) and _is_latin(text[begin])):
        return begin
    index = begin
    while index < limit and not text[index].isspace():
        index += 1
    return index if index < limit else begin


def _snap_end(text: str, end: int, limit: int) -> int:
    """Move `end` back out of a latin word it would cut, never before `limit`."""
    if end >= len(text) or not (_is_latin(text[end - 1]) and _is_latin(text[end])):
        return end
    index = end
    while index > limit and not text[index - 1].isspace():
        index -= 1
    return index if index > limit else end


def _segments(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> list[Segment]:
    pieces: list[Segment] = []
    if begin > 0:
        pieces.append(("…", False))
    cursor = begin
    for span_begin, span_end in spans:
        if span_begin > cursor:
            pieces.append((text[cursor:span_begin], False))
        pieces.append((text[span_begin:span_end], True))
        cursor = span_end
    if end > cursor:
        pieces.append((text[cursor:end], False))
    if end < len(text):
        pieces.append(("…", False))
    out: list[Segment] = []
    for index, (piece, matched) in enumerate(pieces):
        piece = _SPACES.sub(" ", piece)
        if index == 0 or (index == 1 and begin > 0):
            piece = piece.lstrip()
        if index == len(pieces) - 1 or (index == len(pieces) - 2 and end < len(text)):
            piece = piece.rstrip()
        if not piece:
            continue
        if out and not matched and not out[-1][1]:
            out[-1] = (out[-1][0] + piece, False)
        else:
            out.append((piece, matched))
    return out
