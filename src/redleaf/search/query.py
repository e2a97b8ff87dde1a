"""What a member typed into the search box, parsed by our own code; `parse` never raises.

Syntax: words; "quoted phrases" (also “…”, 「…」 and 『…』; an unclosed quote runs to the end);
`-word` and `-"a phrase"` exclude (a `-` counts only at the start of the input or after white
space, so `hotpot-chengdu` is two words); `#tag` (ending at white space, punctuation or a
closing `#`). Everything else is text: `AND OR NOT` are words (stop words, so they vanish),
`( ) * :` and emoji are separators, control characters are white space. Input is cut to
`MAX_QUERY_CHARS` and every list to its cap below, so a 10,000-character paste costs no more
than a short query.

Words and phrases go through `analyze.analyze_query`, the analyzer the index used. Consecutive
plain words are analyzed together, so `city walk` finds the compound `citywalk`. An excluded
word that analyzes to several terms (`-成都火锅`, `-hotpot-chengdu`) excludes them as a
phrase; a phrase of one term is a term. Tags are folded as notes fold them (`fold_tag`).

`to_fts5` and `to_tantivy` render a parsed query for engines that index `tokens_for_index`
output; every term is quoted, so no input produces a syntax error. Both return "" when
there is nothing positive to match (a query of exclusions only): check `is_empty` first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from redleaf.notes.text import fold_tag
from redleaf.search.analyze import analyze_query

# Caps the lead may move to settings.
MAX_QUERY_CHARS = 256
MAX_TERMS = 32
MAX_PHRASES = 8
MAX_PHRASE_TERMS = 16
MAX_EXCLUSIONS = 16
MAX_TAGS = 8
MAX_TAG_CHARS = 60  # as notes.text.TAG_PATTERN

# Opening quote → the characters that close it.
_QUOTES = {'"': '"', "“": '”"', "「": "」", "『": "』"}
_CLOSERS_ONLY = frozenset("”」』")
_QUOTE_CHARS = frozenset(_QUOTES) | _CLOSERS_ONLY
_TAG_BODY = re.compile(r"[\w\u00b7\-]+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FTS5_KEYWORDS = frozenset({"and", "or", "not", "near"})


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded_terms: tuple[str, ...] = ()
    excluded_phrases: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    raw: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing positive to look for (exclusions alone select nothing)."""
        return not (self.terms or self.phrases or self.tags)

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """The analyzed terms to mark in a snippet: terms, phrase terms and tag words."""
        found = dict.fromkeys(self.terms)
        for phrase in self.phrases:
            found.update(dict.fromkeys(phrase))
        for tag in self.tags:
            found.update(dict.fromkeys(analyze_query(tag)))
        return tuple(found)


def parse(raw: str) -> ParsedQuery:
    """Parse a search box's text. Never raises; see the module docstring for the syntax."""
    raw = raw[:MAX_QUERY_CHARS] if isinstance(raw, str) else ""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", _CONTROL.sub(" ", raw)))
    text = text[: MAX_QUERY_CHARS * 2]  # NFKC may lengthen (﷽ is 18 characters)
    builder = _Builder()
    plain: list[str] = []
    for kind, negated, body in _scan(text):
        if kind == "word" and not negated:
            plain.append(body)
            continue
        if plain:
            builder.add_terms(analyze_query(" ".join(plain)))
            plain = []
        if kind == "tag" and not negated:
            builder.add_tag(body)
        elif negated:
            builder.exclude(analyze_query(body)[:MAX_PHRASE_TERMS])
        else:
            builder.add_phrase(analyze_query(body)[:MAX_PHRASE_TERMS])
    if plain:
        builder.add_terms(analyze_query(" ".join(plain)))
    return builder.build(_CONTROL.sub(" ", raw).strip())


def _scan(text: str) -> list[tuple[str, bool, str]]:
    """Split into ("word" | "phrase" | "tag", negated, body) items."""
    items: list[tuple[str, bool, str]] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char.isspace() or char in _CLOSERS_ONLY:
            index += 1
            continue
        negated = False
        at_start = index == 0 or text[index - 1].isspace()
        if char == "-" and at_start and index + 1 < length and not text[index + 1].isspace():
            negated = True
            index += 1
            char = text[index]
            if char in _CLOSERS_ONLY:
                continue
        if char in _QUOTES:
            closers = _QUOTES[char]
            end = index + 1
            while end < length and text[end] not in closers:
                end += 1
            items.append(("phrase", negated, text[index + 1 : end]))
            index = end + 1
            continue
        if char == "#":
            match = _TAG_BODY.match(text, index + 1)
            if match:
                items.append(("tag", negated, match.group()[:MAX_TAG_CHARS]))
                index = match.end()
                if index < length and text[index] == "#":
                    index += 1
                continue
        end = index + 1
        while end < length and not text[end].isspace() and text[end] not in _QUOTE_CHARS:
            end += 1
        items.append(("word", negated, text[index:end]))
        index = end
    return items


class _Builder:
    def __init__(self) -> None:
        self.terms: dict[str, None] = {}
        self.phrases: dict[tuple[str, ...], None] = {}
        self.excluded_terms: dict[str, None] = {}
        self.excluded_phrases: dict[tuple[str, ...], None] = {}
        self.tags: dict[str, None] = {}

    def add_terms(self, terms: list[str]) -> None:
        for term in terms:
            if len(self.terms) >= MAX_TERMS:
                return
            self.terms[term] = None

    def add_phrase(self, terms: list[str]) -> None:
        if len(terms) == 1:
            self.add_terms(terms)
        elif terms and len(self.phrases) < MAX_PHRASES:
            self.phrases[tuple(terms)] = None

    def exclude(self, terms: list[str]) -> None:
        if len(self.excluded_terms) + len(self.excluded_phrases) >= MAX_EXCLUSIONS:
            return
        if len(terms) == 1:
            self.excluded_terms[terms[0]] = None
        elif terms:
            self.excluded_phrases[tuple(terms)] = None

    def add_tag(self, body: str) -> None:
        tag = fold_tag(body.strip("-_"))
        if tag and len(self.tags) < MAX_TAGS:
            self.tags[tag] = None

    def build(self, raw: str) -> ParsedQuery:
        return ParsedQuery(
            terms=tuple(self.terms),
            phrases=tuple(self.phrases),
            excluded_terms=tuple(self.excluded_terms),
            excluded_phrases=tuple(self.excluded_phrases),
            tags=tuple(self.tags),
            raw=raw,
        )


# --- rendering for engines that index `analyze.tokens_for_index` output --------------------


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name) or name.lower() in _FTS5_KEYWORDS:
        raise ValueError(f"not a usable field name: {name!r}")
    return name


def _tag_phrases(parsed: ParsedQuery) -> list[tuple[str, ...]]:
    phrases = []
    for tag in parsed.tags:
        terms = analyze_query(tag)[:MAX_PHRASE_TERMS]
        if terms:
            phrases.append(tuple(terms))
    return phrases


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_fts5(parsed: ParsedQuery, *, tag_column: str | None = None) -> str:
    """A SQLite FTS5 MATCH expression. Tags match `tag_column` when given (a column holding
    the folded tags); otherwise their words must appear, as a phrase, in the text."""
    positive = [_fts5_string(term) for term in parsed.terms]
    positive += [_fts5_string(" ".join(phrase)) for phrase in parsed.phrases]
    if tag_column is not None:
        column = _check_name(tag_column)
        positive += [f"{column} : {_fts5_string(tag)}" for tag in parsed.tags]
    else:
        positive += [_fts5_string(" ".join(phrase)) for phrase in _tag_phrases(parsed)]
    if not positive:
        return ""
    expression = "(" + " AND ".join(positive) + ")"
    negative = [_fts5_string(term) for term in parsed.excluded_terms]
    negative += [_fts5_string(" ".join(phrase)) for phrase in parsed.excluded_phrases]
    return " NOT ".join([expression, *negative])


def _tantivy_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_tantivy(
    parsed: ParsedQuery, *, field: str | None = None, tag_field: str | None = None
) -> str:
    """A query for tantivy's `parse_query` over a field with the `whitespace` tokenizer
    (`field`, or the parser's default fields). Tags match `tag_field` when given (a `raw`
    field of folded tags); otherwise their words must appear, as a phrase, in the text."""
    prefix = f"{_check_name(field)}:" if field is not None else ""
    positive = [prefix + _tantivy_string(term) for term in parsed.terms]
    positive += [prefix + _tantivy_string(" ".join(phrase)) for phrase in parsed.phrases]
    if tag_field is not None:
        name = _check_name(tag_field)
        positive += [f"{name}:{_tantivy_string(tag)}" for tag in parsed.tags]
    else:
        positive += [prefix + _tantivy_string(" ".join(p)) for p in _tag_phrases(parsed)]
    if not positive:
        return ""  # tantivy refuses a query of exclusions only
    negative = [prefix + _tantivy_string(term) for term in parsed.excluded_terms]
    negative += [prefix + _tantivy_string(" ".join(p)) for p in parsed.excluded_phrases]
    return " ".join(["+" + clause for clause in positive] + ["-" + clause for clause in negative])
