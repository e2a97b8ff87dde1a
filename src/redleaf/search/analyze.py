"""One analyzer for documents and queries, so that both sides agree on every term.

Normalisation (`normalise`): NFKC (full-width ＡＢＣ１２３ and half-width katakana fold to their
ordinary forms, ① to 1), `casefold`, zero-width characters deleted, then OpenCC `t2s`
(traditional → simplified; one converter per process behind a lock). OpenCC is skipped for
text with none of the characters t2s would change (found once per process by converting every
ideograph; a test holds the skip exact), which is most simplified text. Everything that is not
a letter, a digit or an ideograph is a separator, so emoji, symbols and punctuation never
become terms. A URL is reduced to its host without `www.` (`https://www.xiaohongshu.com/x/1`
indexes xiaohongshu and com). An @mention indexes the username as a word: underscores and
apostrophes join a word (`@chengdu_eats` → chengdueat, `hotpot's` → hotpot). `#` is never part
of a term: tags are matched through their own field, folded by `notes.text.fold_tag`, and the
words of a tag written in a body are indexed like any other words.

Terms are made only of characters for which `str.isalnum()` holds, so a pre-tokenised text
(`tokens_for_index`) splits the same way under Tantivy's `whitespace` tokenizer and SQLite
FTS5's `ascii` or `unicode61` tokenizers, and a term never needs escaping inside quotes.

Chinese: runs of ideographs are segmented by rjieba (our own instance, never the shared
default) with the product dictionary `data/dictionary.txt`, without the HMM: new-word guessing
depends on the surrounding characters, so the same name could be one term in a note and two
in a query; without it, unknown words fall apart into single characters on both sides, and
the dictionary is the lever for words that matter. Both sides cut in search mode, which finds
the dictionary words inside a longer word (成都火锅 → 成都, 火锅, 成都火锅). A query leaves out
a long word whose parts cover all its characters (成都火锅 → 成都, 火锅; 小红书 stays, since 书
is no part of it), so every query term is one that a matching note was certainly indexed with,
and a note that writes 成都的火锅 matches too. Single-character function words (的, 了, 是...)
are dropped.

Documents are indexed with exactly the query's terms, in order, followed by extras: the long
words left out of queries (成都火锅: term frequency, and a term a backend may use to boost the
exact word) and the parts of latin compounds (below). Keeping the extras out of the ordered
terms keeps positions the same on both sides, so a phrase matches the notes that have those
words in that order: with 成都火锅 between 火锅 and 好吃, the phrase "火锅好吃" would miss a note
that says 成都火锅好吃. Every term of `analyze_query(text)` is a term of `analyze(text)`.

English and other alphabetic scripts: words are split on anything that is not a letter or a
digit (`hotpot-chengdu` → hotpot, chengdu), Lucene's short English stop list is dropped
before stemming, and the rest goes through Snowball English (PyStemmer; one stemmer per
thread, results cached per process). Latin words in the dictionary are kept unstemmed, and a
latin entry written with a space is a compound: `city walk` and `citywalk` both give the term
citywalk in place, on both sides, so either spelling finds the other; a note that writes the
words apart also gets citi and walk as extras, so a query for walk still finds it.

`highlight` maps terms back onto the original text, so stemmed (hotpots ↔ hotpot),
traditional (火鍋 ↔ 火锅) and full-width (ＯＯＴＤ ↔ ootd) spellings are marked where they
were written.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import opencc
import rjieba
import Stemmer

from redleaf.search.snippet import Match, Segment, snippet

# Bump when analysis changes what terms a text gives: the index asks for `redleaf reindex`.
ANALYZER_VERSION = "1"
DICTIONARY_PATH = Path(__file__).resolve().parent / "data" / "dictionary.txt"
# Frequency given to a dictionary word that rjieba does not know and that has none written.
DEFAULT_FREQUENCY = 3000
# Longer runs of letters or digits (hashes, keyboard mashing, base64) are not terms.
MAX_TERM_CHARS = 40
# Stems and segmented words remembered per process; beyond this, new ones are redone each time.
MAX_STEM_CACHE = 200_000
MAX_WORD_CACHE = 500_000
# Characters that OpenCC t2s changes only inside a phrase (TSPhrases; 深沈 → 深沉) and not on
# their own, in opencc 1.4.2; a test checks this against the installed dictionaries.
T2S_PHRASE_CHARACTERS = "么俱哩坏彷沈甦瞭藉衹覆"

# Lucene's English stop set (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET): short on purpose.
_ENGLISH_STOPWORDS = (
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with"
)
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split())
# Single-character function words: particles, prepositions, conjunctions, pronouns.
CHINESE_STOPWORDS = frozenset(
    "的地得了着过是在和与及或也都就而吗呢吧啊呀哦嘛啦之其被把让给从向对于以又还才这那个很我你他她它"
)

# The CJK ideograph blocks (unified, extension A, compatibility, extensions B and later).
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Kana and Hangul: words of their own, so 今日のOOTD gives ootd and not のootd.
_KANA_HANGUL = (  # letters only: no ゠ or ・
    "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
    "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3"
)
_LETTER = rf"[^\W{HAN_CHARS}{_KANA_HANGUL}]"
_TOKEN = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    rf"|(?P<han>[{HAN_CHARS}]+)"
    rf"|(?P<word>[{_KANA_HANGUL}]+|{_LETTER}+(?:['\u2019]{_LETTER}+)*)"
)
_WORD = re.compile(rf"[{_KANA_HANGUL}]+|{_LETTER}+")
_HAN_RUN = re.compile(rf"[{HAN_CHARS}]+")
_URL_HOST = re.compile(r"(?:https?://)?(?:[^@/?#\s]*@)?(?:www\.)?([^/?#:\s]*)")
# Invisible format characters (soft hyphen, zero-width space and joiners, direction marks,
# byte-order mark) are deleted, so "火\u200b锅" is 火锅; lone surrogates, which cannot cross
# into rjieba or OpenCC, become spaces.
_UNCLEAN = re.compile("[\xad\u180e\ufeff\u200b-\u200f\u202a-\u202e\u2060-\u2064\ud800-\udfff]")
_CLEAN: dict[int, str | None] = {
    **dict.fromkeys(range(0xD800, 0xE000), " "),
    **dict.fromkeys(
        [
            0xAD,
            0x180E,
            0xFEFF,
            *range(0x200B, 0x2010),
            *range(0x202A, 0x202F),
            *range(0x2060, 0x2065),
        ]
    ),
}

Span = tuple[str, int, int]  # a term and where it came from in the folded text


@dataclass(frozen=True)
class _Resources:
    jieba: rjieba.Jieba
    compounds: dict[tuple[str, str], str]  # ("citi", "walk") → "citywalk"
    joined: frozenset[str]  # "citywalk"


class _Word(NamedTuple):
    """rjieba's search mode for one word of its default cut (the dictionary words inside it,
    then the word) split into the terms a query keeps and the long words their parts cover;
    with offsets inside the word, and as bare terms for the fast path."""

    keep: tuple[Span, ...]
    covered: tuple[Span, ...]
    keep_terms: tuple[str, ...]
    covered_terms: tuple[str, ...]


@dataclass(frozen=True)
class _Converter:
    opencc: opencc.OpenCC
    # Text without any of these characters is its own simplified form: OpenCC is skipped.
    triggers: re.Pattern[str]


_lock = threading.Lock()
_resources: _Resources | None = None
_converter: _Converter | None = None
_converter_lock = threading.Lock()  # OpenCC is not documented as thread-safe
_local = threading.local()
_stems: dict[str, str] = {}  # word → stem (dictionary words map to themselves)
_latin: dict[str, str] = {}  # latin word as written (folded) → its term, "" for none
_words: dict[str, _Word] = {}  # a word of rjieba's default cut → its terms


def warm_up() -> None:
    """Load the dictionary, the segmenter and the converter now rather than on first use."""
    _load()
    _simplifier()


def _load() -> _Resources:
    global _resources
    if _resources is not None:
        return _resources
    with _lock:
        if _resources is None:
            _resources = _read_dictionary(DICTIONARY_PATH)
    return _resources


def _read_dictionary(path: Path) -> _Resources:
    jieba = rjieba.Jieba()
    compounds: dict[tuple[str, str], str] = {}
    joined: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, frequency = line, None
        head, _, tail = line.rpartition(" ")
        if head and tail.isdigit():
            word, frequency = head.strip(), int(tail)
        word = unicodedata.normalize("NFKC", word).casefold()
        if _HAN_RUN.fullmatch(word):
            if frequency is not None or not jieba.has_word(word):
                jieba.add_word(word, frequency or DEFAULT_FREQUENCY, None)
            continue
        parts = word.split()
        if not all(_WORD.fullmatch(part) for part in parts):
            continue  # mixed latin and ideographs cannot be seen by either side; skip
        whole = "".join(parts)
        _stems[whole] = whole  # kept unstemmed
        if len(parts) == 2:
            pair = (_stem(parts[0]), _stem(parts[1]))
            compounds[pair] = whole
            joined.add(whole)
    return _Resources(jieba, compounds, frozenset(joined))


def _simplifier() -> _Converter:
    global _converter
    if _converter is not None:
        return _converter
    with _converter_lock:
        if _converter is None:
            converter = opencc.OpenCC("t2s")
            # Python's re is fast on a large class of BMP characters only: any ideograph
            # beyond the BMP (rare) sends the text to OpenCC.
            triggers = {char for char in _t2s_triggers(converter) if char <= "\uffff"}
            pattern = _character_class(triggers) + "|[\U00020000-\U0003134f]"
            _converter = _Converter(converter, re.compile(pattern))
    return _converter


def _t2s_triggers(converter: opencc.OpenCC) -> set[str]:
    """The ideographs t2s changes: each one converted on its own (one call, one per line),
    and those it changes only inside a phrase."""
    blocks = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)]
    chars = [chr(point) for low, high in blocks for point in range(low, high + 1)]
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; fall back to converting every text
        return set(chars)
    changed = {char for char, out in zip(chars, converted, strict=True) if char != out}
    return changed | set(T2S_PHRASE_CHARACTERS)


def _character_class(chars: set[str]) -> str:
    points = sorted(map(ord, chars))
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return "[" + "".join(f"{chr(a)}-{chr(b)}" if b > a else chr(a) for a, b in ranges) + "]"


def _to_simplified(text: str) -> str:
    converter = _simplifier()
    if not converter.triggers.search(text):
        return text
    with _converter_lock:
        return converter.opencc.convert(text)


def _stem(word: str) -> str:
    stem = _stems.get(word)
    if stem is None:
        stemmer = getattr(_local, "stemmer", None)
        if stemmer is None:
            stemmer = _local.stemmer = Stemmer.Stemmer("english")
        stem = stemmer.stemWord(word)
        if len(_stems) < MAX_STEM_CACHE:
            _stems[word] = stem
    return stem


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        return folded
    if _UNCLEAN.search(folded):  # str.translate is slow: only when needed
        folded = folded.translate(_CLEAN)
    return _to_simplified(folded)


def normalise(text: str) -> str:
    """`text` folded as the analyzer sees it: NFKC, case-folded, simplified, URLs reduced to
    their host, anything but letters, digits and ideographs dropped, words single-spaced."""
    parts: list[str] = []
    for match in _TOKEN.finditer(_fold(text)):
        if match.lastindex == _URL_GROUP:
            host = _URL_HOST.match(match.group())
            parts.extend(_WORD.findall(host.group(1) if host else ""))
        else:
            parts.append(match.group())
    return " ".join(parts)


def analyze(text: str) -> list[str]:
    """The index terms of a document, repeats kept (for term frequency): the query's terms in
    order, then the long words their parts cover and the parts of latin compounds."""
    inline, extra = _terms(_fold(text))
    inline.extend(extra)
    return inline


def analyze_query(text: str) -> list[str]:
    """The terms of a piece of query text, in order (no query syntax: see `query.parse`)."""
    return _terms(_fold(text))[0]


def tokens_for_index(text: str) -> str:
    """The document's terms joined by single spaces, for engines fed pre-tokenised text."""
    return " ".join(analyze(text))


_URL_GROUP, _HAN_GROUP, _WORD_GROUP = 1, 2, 3  # the groups of _TOKEN


def _terms(folded: str) -> tuple[list[str], list[str]]:
    """The terms of `folded`: those a query asks for, in order, and the extra ones a document
    is indexed with too. The fast path of `_spans` (which tests hold equal to it)."""
    resources = _load()
    jieba, compounds, joined, words = resources.jieba, resources.compounds, resources.joined, _words
    cut = jieba.cut
    inline: list[str] = []
    extra: list[str] = []
    previous = ""  # the last latin term, for compounds
    for url, han, run in _TOKEN.findall(folded):  # findall: no match objects, measurably faster
        if run:
            term = _latin.get(run)
            if term is None:
                term = _latin_term(run)
            if not term or term in joined:  # nothing, or "citywalk" as one word
                if term:
                    inline.append(term)
                previous = ""
                continue
            whole = compounds.get((previous, term)) if previous else None
            if whole is not None:  # "city walk": citywalk in place, the parts as extras
                inline[-1] = whole
                extra.append(previous)
                extra.append(term)
                previous = ""
                continue
            inline.append(term)
            previous = term
        elif han:
            previous = ""
            for word in cut(han, False):
                expanded = words.get(word) or _expand(jieba, word)
                inline.extend(expanded.keep_terms)
                if expanded.covered_terms:
                    extra.extend(expanded.covered_terms)
        else:
            previous = ""
            inline.extend(span[0] for span in _url_spans(resources, url, 0))
    return inline, extra


def _spans(folded: str) -> tuple[list[Span], list[Span]]:
    """`_terms` with, for each term, where it came from in `folded` (for highlighting)."""
    resources = _load()
    inline: list[Span] = []
    extra: list[Span] = []
    previous: Span | None = None  # the last latin word, for compounds
    for match in _TOKEN.finditer(folded):
        kind = match.lastindex
        if kind == _WORD_GROUP:
            previous = _word(resources, match.group(), match.start(), previous, inline, extra)
        elif kind == _HAN_GROUP:
            previous = None
            start = match.start()
            for word in resources.jieba.cut(match.group(), False):
                expanded = _words.get(word) or _expand(resources.jieba, word)
                for term, begin, end in expanded.keep:
                    inline.append((term, start + begin, start + end))
                for term, begin, end in expanded.covered:
                    extra.append((term, start + begin, start + end))
                start += len(word)
        else:
            previous = None
            inline.extend(_url_spans(resources, match.group(), match.start()))
    return inline, extra


def _url_spans(resources: _Resources, url: str, start: int) -> list[Span]:
    """A URL's host, less `www.`, as words."""
    spans: list[Span] = []
    host = _URL_HOST.match(url)
    if host:
        offset = start + host.start(1)
        for part in _WORD.finditer(host.group(1)):
            _word(resources, part.group(), offset + part.start(), None, spans, [])
    return spans


def _expand(jieba: rjieba.Jieba, word: str) -> _Word:
    """Search mode for one word of the default cut, done once per distinct word: rjieba's
    search mode is exactly this, word by word."""
    tokens = [(word, 0, len(word))] if len(word) <= 2 else jieba.tokenize(word, "search", False)
    keep: list[Span] = []
    covered: list[Span] = []
    for token in tokens:
        term, begin, end = token
        # isalnum: the blocks hold code points this Python's Unicode has not assigned yet
        if (end - begin == 1 and term in CHINESE_STOPWORDS) or not term.isalnum():
            continue
        (covered if end - begin > 2 and _covered(token, tokens) else keep).append(token)
    result = _Word(
        tuple(keep),
        tuple(covered),
        tuple(span[0] for span in keep),
        tuple(span[0] for span in covered),
    )
    if len(_words) < MAX_WORD_CACHE:
        _words[word] = result
    return result


def _covered(token: Span, tokens: list[Span]) -> bool:
    """Whether shorter tokens inside `token` cover every one of its characters."""
    _term, begin, end = token
    reached = begin
    for _other, other_begin, other_end in sorted(tokens, key=lambda t: t[1]):
        if begin <= other_begin and other_end <= end and (other_begin, other_end) != (begin, end):
            if other_begin > reached:
                return False
            reached = max(reached, other_end)
    return reached >= end


def _latin_term(run: str) -> str:
    """The term of a latin (or kana, hangul...) word as written: apostrophes and underscores
    joined, "" for a stop word or an over-long run, else its stem."""
    word = run
    if "'" in word or "\u2019" in word or "_" in word:
        word = word.replace("'", "").replace("\u2019", "").replace("_", "")
    if not word or word in ENGLISH_STOPWORDS or len(word) > MAX_TERM_CHARS:
        term = ""
    else:
        term = _stem(word)
    if len(_latin) < MAX_STEM_CACHE:
        _latin[run] = term
    return term


def _word(
    resources: _Resources,
    run: str,
    start: int,
    previous: Span | None,
    inline: list[Span],
    extra: list[Span],
) -> Span | None:
    """Add a latin word's span; return it when it may start a compound."""
    term = _latin.get(run)
    if term is None:
        term = _latin_term(run)
    end = start + len(run)
    if not term:
        return None
    if term in resources.joined:  # "citywalk", as one word
        inline.append((term, start, end))
        return None
    if previous is not None:
        whole = resources.compounds.get((previous[0], term))
        if whole is not None:  # "city walk": citywalk in place, the parts as extras
            inline[-1] = (whole, previous[1], end)
            extra.append(previous)
            extra.append((term, start, end))
            return None
    span = (term, start, end)
    inline.append(span)
    return span


# --- highlighting: the snippet's window and pieces are chosen in snippet.py ----------------


def highlight(text: str, terms: Iterable[str], max_chars: int = 160) -> list[Segment]:
    """A snippet of the original `text` around its best match for `terms` (analyzed terms, as
    a query gives them), as `[(piece, is_match)]`; templates escape each piece. Runs of white
    space become one space; `…` marks text left out at either end. Without a match the
    snippet is the start of the text."""
    wanted = set(terms)
    if not text:
        return []
    folded, starts, ends = _fold_with_offsets(text)
    spans: list[Match] = []
    if wanted:
        inline, extra = _spans(folded)
        for term, begin, end in inline + extra:
            if term in wanted:
                spans.append((starts[begin], ends[end - 1], {term}))
    return snippet(text, spans, max_chars)


def _fold_with_offsets(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """`_fold(text)` with, for each folded character, where the original characters it came
    from start and end (a character and its combining marks fold together)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    starts: Sequence[int]
    ends: Sequence[int]
    if (
        len(folded) == len(text)
        and unicodedata.is_normalized("NFKC", text)
        and (text.isascii() or not _UNCLEAN.search(text))
    ):
        starts, ends = range(len(text)), range(1, len(text) + 1)
    else:
        pieces: list[str] = []
        starts, ends = [], []
        index = 0
        while index < len(text):
            after = index + 1
            while after < len(text) and unicodedata.combining(text[after]):
                after += 1
            piece = unicodedata.normalize("NFKC", text[index:after]).casefold()
            piece = piece.translate(_CLEAN)
            pieces.append(piece)
            starts.extend([index] * len(piece))
            ends.extend([after] * len(piece))
            index = after
        folded = "".join(pieces)
    if folded.isascii():
        return folded, starts, ends
    simplified = _to_simplified(folded)
    if len(simplified) != len(folded):
        # A phrase conversion changed the length: convert character by character instead.
        chars = [_to_simplified(char) for char in folded]
        simplified = "".join(c if len(c) == 1 else o for c, o in zip(chars, folded, strict=True))
    return simplified, starts, ends
