"""CC-CEDICT's numbered pinyin ("tian1 qi4", "lu:4", "yi1 hui4 r5") as tone-marked pinyin.

The rules are the standard ones: the mark goes on "a" or "e" when there is one, on the "o" of
"ou", and otherwise on the last vowel; "u:" (and "v") is "ü"; tone 5 is neutral and unmarked.
Syllables of one word are joined, with an apostrophe before a syllable that starts with a vowel
("Xi1 an1" -> "Xī'ān") so the reading cannot be split another way.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MARKS = {
    "a": "āáǎà",
    "e": "ēéěè",
    "i": "īíǐì",
    "o": "ōóǒò",
    "u": "ūúǔù",
    "ü": "ǖǘǚǜ",
}
_VOWELS = "aeiouü"
_SYLLABLE = re.compile(r"^([A-Za-zÜü:]+?)([1-5])$")


def _mark(syllable: str, tone: int) -> str:
    """Put tone `tone` (1-4) on the right vowel of a syllable without its number."""
    lower = syllable.lower()
    if "a" in lower:
        index = lower.index("a")
    elif "e" in lower:
        index = lower.index("e")
    elif "ou" in lower:
        index = lower.index("o")
    else:
        positions = [i for i, char in enumerate(lower) if char in _VOWELS]
        if not positions:
            return syllable  # "r5", "m2", "ng2": no vowel to mark
        index = positions[-1]
    vowel = lower[index]
    marked = _MARKS[vowel][tone - 1]
    if syllable[index].isupper():
        marked = marked.upper()
    return syllable[:index] + marked + syllable[index + 1 :]


def syllable_marks(numbered: str) -> str:
    """One CEDICT syllable ("lu:4", "Cheng2", "r5") as tone-marked pinyin ("lǜ", "Chéng", "r").

    Anything that is not a numbered syllable ("C", ",", "·") comes back as it is.
    """
    text = numbered.replace("u:", "ü").replace("U:", "Ü")
    match = _SYLLABLE.match(text)
    if match is None:
        return text
    # "v" stands for "ü" only inside a numbered syllable ("lv4"), never in Latin letters ("V").
    letters = match.group(1).replace("v", "ü").replace("V", "Ü")
    tone = int(match.group(2))
    return letters if tone == 5 else _mark(letters, tone)


@lru_cache(maxsize=65_536)  # the same common words come back in every sentence
def numbered_to_marks(numbered: str) -> str:
    """A word's CEDICT pinyin ("tian1 qi4") as one tone-marked reading ("tiānqì")."""
    out: list[str] = []
    for raw in numbered.split():
        syllable = syllable_marks(raw)
        if out and syllable[:1].lower() in "aeoāáǎàēéěèōóǒò" and out[-1][-1:].isalpha():
            out.append("'")
        out.append(syllable)
    return "".join(out)
