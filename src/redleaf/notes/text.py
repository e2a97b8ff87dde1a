"""Reading what members typed: #tags and @mentions (the language: translation/detect.py).

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
