"""Reading what members typed: #tags, @mentions and a first guess at the language.

Tags are written `#旅行` or `#ootd` in a body (a closing `#`, as RedNote writes `#旅行#`, is
accepted too). A tag is stored folded (NFKC, lower-case) so `#OOTD` and `#ootd` are one topic.
"""

from __future__ import annotations

import re
import unicodedata

# A tag or a username starts after a space, line start or punctuation, never inside a word or
# an e-mail address ("me@example.com" mentions nobody).
_START = r"(?:^|(?<=[\s(（,，。.!！?？、:：;；\"'“‘]))"
TAG_PATTERN = re.compile(_START + r"#([\w\u00b7\-]{1,60})#?", re.UNICODE)
MENTION_PATTERN = re.compile(_START + r"@([A-Za-z0-9_]{1,30})")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")


def fold_tag(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip().lstrip("#").rstrip("#").strip().lower()


def hashtags(text: str) -> list[str]:
    """The tags written in `text`, folded, in order of first appearance."""
    found: list[str] = []
    for match in TAG_PATTERN.finditer(unicodedata.normalize("NFKC", text)):
        tag = fold_tag(match.group(1).strip("-_"))
        if tag and tag not in found:
            found.append(tag)
    return found


def mentions(text: str) -> list[str]:
    """The usernames mentioned in `text`, lower-cased, in order of first appearance."""
    found: list[str] = []
    for match in MENTION_PATTERN.finditer(text):
        name = match.group(1).lower()
        if name not in found:
            found.append(name)
    return found


def guess_language(text: str) -> str:
    """ "zh", "ja", "ko", "en" or "und" from the scripts in `text`. A rough first reading that the
    translation feature replaces with a real detector; short or emoji-only text stays "und"."""
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    if kana >= 2:
        return "ja"
    if hangul >= 2:
        return "ko"
    if han >= 2 and han >= latin_words:
        return "zh"
    if latin_words >= 2 and _LATIN.search(text):
        return "en"
    return "und"
