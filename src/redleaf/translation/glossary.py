"""The operator's glossary of slang and product terms (YYDS, 种草, OOTD, 小红书 ...).

Every engine gets text with glossary terms masked (translation/entities.py) and the terms come
back as `rendering(entry, target)`; the gloss engine shows each with its note. The bundled list
lives in data/glossary.tsv; an operator's own entries (from the database) are passed after it and
replace a bundled entry with the same term.

Matching, all in one compiled pattern so hundreds of terms cost one scan:
- the longest term wins where several start at the same place, matches never overlap;
- Latin terms match case-insensitively and only as whole words: "OOTD" matches "ootd" and
  "OOTD的穿搭" but not "OOTDs" or "OOTD2", since a longer Latin word is another word;
- Chinese terms match anywhere (Chinese has no spaces) and in traditional script too (種草).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

BUNDLED = Path(__file__).resolve().parent / "data" / "glossary.tsv"
COLUMNS = ("term", "en", "zh", "note_en", "note_zh")
HEADER = "\t".join(COLUMNS)
# Traditional spellings a Chinese term is also found as: OpenCC's standard set, Taiwan's and
# Hong Kong's (they differ for some characters).
_TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2hk")
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str  # as it appears in text
    en: str
    zh: str  # simplified
    note_en: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class GlossaryMatch:
    start: int
    end: int
    entry: GlossaryEntry


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _key(text: str) -> str:
    """How a matched span finds its entry: case and runs of spaces do not matter."""
    return " ".join(text.split()).lower()  # lower(), as re.IGNORECASE compares


_END = object()  # marks, in the trie, that a spelling ends here


def _trie_pattern(spellings: Iterable[str]) -> str:
    """One regex for all spellings, shaped as a trie so that the engine walks shared prefixes
    once instead of trying every term at every position (hundreds of terms stay fast).

    At each node the longer continuations are tried before ending there, which makes the match
    the longest term starting at that position. A space matches any run of whitespace; a term
    that starts (ends) with a Latin letter or digit must not be preceded (followed) by one.
    """
    root: dict[object, dict] = {}
    for spelling in spellings:
        node = root
        for char in spelling:
            node = node.setdefault(char, {})
        node[_END] = {}

    def pattern(node: dict[object, dict], last: str) -> str:
        branches = []
        for char, child in node.items():
            if char is _END:
                continue
            assert isinstance(char, str)
            atom = r"\s+" if char == " " else re.escape(char)
            branches.append(atom + pattern(child, char))
        if _END in node:
            branches.append(r"(?![A-Za-z0-9])" if _LATIN.match(last) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    starts = []
    for first, child in root.items():
        assert isinstance(first, str)
        guard = r"(?<![A-Za-z0-9])" if _LATIN.match(first) else ""
        starts.append(guard + re.escape(first) + pattern(child, first))
    return "|".join(starts)


class Glossary:
    """Entries indexed for matching; cheap enough to rebuild after every edit (~ms for
    hundreds of entries)."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        by_term: dict[str, GlossaryEntry] = {}
        for entry in entries:
            term = " ".join(entry.term.split())
            if term:
                by_term[_key(term)] = entry  # later entries (the operator's) win
        self.entries: tuple[GlossaryEntry, ...] = tuple(by_term.values())
        spellings: dict[str, GlossaryEntry] = {}
        for entry in self.entries:
            term = " ".join(entry.term.split())
            for spelling in (term, *(_converter(c).convert(term) for c in _TRADITIONAL_CONFIGS)):
                spellings.setdefault(_key(spelling), entry)
        self._by_spelling = spellings
        self._pattern = re.compile(_trie_pattern(spellings), re.IGNORECASE) if spellings else None

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[GlossaryMatch]:
        """Every term in `text`, left to right, non-overlapping, the longest where several
        start at the same place."""
        if self._pattern is None:
            return []
        matches = []
        for match in self._pattern.finditer(text):
            entry = self._by_spelling.get(_key(match.group()))
            if entry is not None:  # always, unless case folding differs for an exotic letter
                matches.append(GlossaryMatch(match.start(), match.end(), entry))
        return matches


def rendering(entry: GlossaryEntry, target_lang: str) -> str:
    """How the term reads in `target_lang`: "en", "zh-Hans", "zh-Hant"; the term itself for
    any other language."""
    if target_lang == "en":
        return entry.en
    if target_lang == "zh-Hans":
        return entry.zh
    if target_lang == "zh-Hant":
        return str(_converter("s2t").convert(entry.zh))
    return entry.term


def parse(lines: Iterable[str], source: str = "glossary") -> list[GlossaryEntry]:
    """Entries from TSV lines: a header line naming the columns, `#` comments, blank lines.
    The two note columns may be left off. Raises ValueError naming the line of a bad row."""
    entries: list[GlossaryEntry] = []
    header_seen = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if not header_seen:
            if len(fields) < 3 or tuple(fields) != COLUMNS[: len(fields)]:
                raise ValueError(f"{source}:{number}: expected the header line {HEADER!r}")
            header_seen = True
            continue
        if not 3 <= len(fields) <= len(COLUMNS) or not all(fields[:3]):
            raise ValueError(f"{source}:{number}: expected term, en, zh and up to two notes")
        entries.append(GlossaryEntry(*fields))
    return entries


def load_bundled(path: Path = BUNDLED) -> list[GlossaryEntry]:
    """The glossary that ships with Redleaf (data/glossary.tsv): read once per process and
    version of the file (the glossary in force is rebuilt every few seconds)."""
    stat = path.stat()
    return list(_read_bundled(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _read_bundled(path: Path, _mtime_ns: int, _size: int) -> tuple[GlossaryEntry, ...]:
    with path.open(encoding="utf-8") as file:
        return tuple(parse(file, source=path.name))
