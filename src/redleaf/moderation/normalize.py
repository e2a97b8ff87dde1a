"""What term matching sees: a text folded so that evasions read as the plain word.

`normalize(text)` is the strict form: NFKC (full-width → half-width, 𝐟𝐮𝐜𝐤 → fuck), case-folded,
diacritics dropped (fück → fuck), traditional → simplified Chinese (OpenCC t2s), look-alike
letters from other scripts mapped to the Latin letter they imitate (Cyrillic "а", Greek "ο",
Armenian "ս"), invisible characters removed, whitespace collapsed, and separators removed inside
words: "f.u.c.k", "fu_ck", "f u c k" (three or more single letters), "傻 逼", "傻😀逼".
`normalize_leet(text)` is the same text with digits and symbols used as letters read as letters
("sh1t", "@ss", "5h17"), only inside tokens that hold a letter, so prices and years stay digits.
A rule chooses the form it matches on: leet catches more and also misfires more.

`prepare(text)` gives both forms at once plus the positions where a separator was removed, so a
word-bounded term still matches at the seam: "stupid-ass" folds to "stupidass", and "ass" there
starts where the dash was, while "class" never had a seam.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import opencc

# Invisible characters used to split words without showing it: zero-width space/joiners, word
# joiner, BOM, soft hyphen, bidi controls, Mongolian vowel separator, variation selectors, tags,
# and lone surrogates (they cannot be encoded, so OpenCC would raise).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff\ud800-\udfff]"
)
# Combining marks after decomposition: diacritics (fück), Zalgo stacks, enclosing keycaps.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_CJK_CHAR = (
    "\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\U00020000-\U0003134f"
)
_HAS_CJK = re.compile(f"[{_CJK_CHAR}]")
_PICTOGRAPHS = "\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u2190-\u21ff"
# What people put inside a word to break it: ASCII punctuation that never joins words in
# running text the way a comma does ("我傻，逼你" must not become "傻逼"), and emoji.
_SEPARATORS = r".\-_*~|/\\·•'’`^+="
_SEP_RUN = f"[{_SEPARATORS}{_PICTOGRAPHS}]+"
_LETTER = r"[^\W\d_]"
_DIGIT = r"\d"
_WORD = r"[^\W_]"

# One pass, left to right, so positions of what is removed can be recorded exactly:
#   spaced: three or more single letters with single spaces between ("f u c k");
#   cjk: spaces, separators or emoji between two CJK characters ("傻 逼", "傻😀逼");
#   inword: separators or emoji between letters, or between a letter and a digit ("f.u.c.k",
#   "5.h.1.t"), never between two digits so "3.14" and "2024-05-01" stay as written.
_JOINS = re.compile(
    rf"(?P<spaced>(?<!{_WORD}){_LETTER}(?: {_LETTER}(?!{_WORD})){{2,}})"
    rf"|(?P<cjk>(?<=[{_CJK_CHAR}])(?:\s|[{_SEPARATORS}{_PICTOGRAPHS}])+(?=[{_CJK_CHAR}]))"
    rf"|(?P<inword>(?<={_LETTER}){_SEP_RUN}(?={_WORD})|(?<={_DIGIT}){_SEP_RUN}(?={_LETTER}))"
)
# Cheap guards, so the usual text skips the work (each is a fast scan, no lookbehind).
_MAY_JOIN_CHARS = re.compile(f"[{_SEPARATORS}{_PICTOGRAPHS}]")
_MAY_JOIN_SPACED = re.compile(rf"(?:^| ){_LETTER} {_LETTER} ")
_MAY_JOIN_CJK = re.compile(f"[{_CJK_CHAR}] [{_CJK_CHAR}]")
_SPACES = re.compile(r"\s+")
_ODD_SPACES = re.compile(r"[^\S ]|  ")

# Letters of other scripts that render like a Latin letter, lower case (text is case-folded
# first). NFKC already folds full-width, mathematical and circled letters.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "һ": "h", "ӏ": "l", "ү": "y",
    "ԍ": "g", "ѡ": "w",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j", "μ": "u",
    # Armenian
    "ս": "u", "օ": "o", "ո": "n", "հ": "h", "ց": "g", "զ": "q", "ա": "w", "ք": "p",
    # Latin variants NFKC keeps
    "ı": "i", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ᴀ": "a", "ᴄ": "c", "ᴅ": "d",
    "ᴇ": "e", "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w",
    "ᴢ": "z",
    "ʀ": "r", "ꜱ": "s", "ɢ": "g", "ʜ": "h", "ʟ": "l", "ɴ": "n", "ø": "o", "ð": "d", "ł": "l",
    "đ": "d", "ħ": "h", "ŧ": "t", "ƅ": "b",
}  # fmt: skip
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)
_HAS_LOOKALIKE = re.compile("[" + "".join(_LOOKALIKES) + "]")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_TOKEN = re.compile(r"[\w@$]+")
_ANY_LETTER = re.compile(_LETTER)
_HAS_LEET = re.compile(r"[013457@$]")


@dataclass(frozen=True)
class Prepared:
    """Both forms of one text (same length), and where separators were removed: an index i in
    `seams` means a separator stood just before character i of `strict`."""

    strict: str
    leet: str
    seams: frozenset[int] = field(default_factory=frozenset)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _traditional() -> frozenset[str]:
    """Characters OpenCC changes on their own. Most Chinese text is already simplified: when a
    text holds none of these, the (phrase-level, slower) conversion is skipped."""
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF)]
    chars = [chr(code) for low, high in ranges for code in range(low, high + 1)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; then convert every Chinese text
        return frozenset(chars)
    return frozenset(char for char, out in zip(chars, converted, strict=True) if out != char)


def _fold(text: str) -> str:
    """Everything but the separator joins: the per-character part of the strict form."""
    if text.isascii():
        return text.lower()
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    if _COMBINING.search(decomposed):
        text = unicodedata.normalize("NFKC", _COMBINING.sub("", decomposed)).casefold()
    if _HAS_CJK.search(text) and not _traditional().isdisjoint(text):
        text = _t2s().convert(text)
    if _HAS_LOOKALIKE.search(text):
        text = text.translate(_LOOKALIKE_TABLE)
    # Folding can expose invisible characters again (NFKC of some compatibility forms).
    return _INVISIBLE.sub("", text)


def _join(text: str) -> tuple[str, frozenset[int]]:
    if not (
        _MAY_JOIN_CHARS.search(text) or _MAY_JOIN_SPACED.search(text) or _MAY_JOIN_CJK.search(text)
    ):
        return text, frozenset()
    seams: list[int] = []
    removed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal removed
        start = match.start() - removed
        if match.lastgroup == "spaced":
            letters = match.group()[::2]
            seams.extend(range(start + 1, start + len(letters)))
            removed += len(match.group()) - len(letters)
            return letters
        seams.append(start)
        removed += len(match.group())
        return ""

    return _JOINS.sub(replace, text), frozenset(seams)


def _to_leet(strict: str) -> str:
    if not _HAS_LEET.search(strict):
        return strict

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        # Tokens without a letter are numbers ("2024", "$5"), not words spelt with digits.
        return token.translate(_LEET) if _ANY_LETTER.search(token) else token

    return _LEET_TOKEN.sub(replace, strict)


def prepare(text: str) -> Prepared:
    folded = _fold(text)
    if _ODD_SPACES.search(folded):
        folded = _SPACES.sub(" ", folded)
    folded = folded.strip()
    strict, seams = _join(folded)
    return Prepared(strict, _to_leet(strict), seams)


def normalize(text: str) -> str:
    """The strict form of `text` (see the module's docstring)."""
    return prepare(text).strict


def normalize_leet(text: str) -> str:
    """The strict form with digits and symbols used as letters read as letters."""
    return prepare(text).leet


def fold_for_links(text: str) -> str:
    """NFKC and case folding only, for finding links: "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ" is a link,
    but separators must stay where they are."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()


def has_cjk(text: str) -> bool:
    return _HAS_CJK.search(text) is not None
