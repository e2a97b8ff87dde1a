"""Cut a line of text into sentences and put translated sentences back together.

Neural models are trained on single sentences and drift or stop early on long paragraphs, so
the ct2 engine translates sentence by sentence. The rules are deliberately plain:

- Chinese and Japanese end a sentence at 。！？ or the full-width ； (and at ! or ? written
  half-width), keeping the punctuation and any closing quote with the sentence.
- Other languages end one at . ! ? followed by a space and then a capital letter, an opening
  quote or a CJK character, or at the end of the text; "Mr. Li" and "J. K." are not ends.
"""

from __future__ import annotations

import re

from redleaf.translation.langs import base

_CLOSERS = "\"'”’」』）》〉)】]"
_OPENERS = "\"'“‘「『（《〈(【["
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CAPITALS = "A-Z\u00c0-\u00de\u0391-\u03a9\u0410-\u042f"

_CJK_END = re.compile(rf"(?:[。！？；]+|[!?]+(?=[{_CJK}]))[{re.escape(_CLOSERS)}]*")
_LATIN_END = re.compile(
    rf"[.!?]+[{re.escape(_CLOSERS)}]*"
    rf"(?=\s+[{re.escape(_OPENERS)}]*[{_CAPITALS}{_CJK}]|\s*$)"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|vs|etc|e\.g|i\.e)|(?<![\w.])[A-Z])\.$"
)

# Languages written without spaces between sentences.
_UNSPACED = {"zh", "ja"}


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of one line, stripped, none empty; a line without an end is one sentence."""
    cjk = base(lang) in _UNSPACED
    pattern = _CJK_END if cjk else _LATIN_END
    sentences: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        end = match.end()
        if not cjk and _ABBREVIATION.search(text[start : match.start() + 1]):
            continue
        sentences.append(text[start:end])
        start = end
    sentences.append(text[start:])
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def join_sentences(sentences: list[str], lang: str) -> str:
    """Translated sentences as one line: no space between Chinese or Japanese ones."""
    separator = "" if base(lang) in _UNSPACED else " "
    return separator.join(sentence for sentence in sentences if sentence)
