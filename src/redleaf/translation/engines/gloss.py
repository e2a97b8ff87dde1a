"""The offline dictionary-gloss engine: CC-CEDICT word by word, both ways.

Chinese → English segments the text into dictionary words (the fewest words, so the longest
matches; ties go to the segmentation with more basic HSK words) and reads each word by its first
plain sense, with tone-marked pinyin and up to three senses per word in `Output.glosses`.
English → Chinese looks words and short phrases up in the reversed dictionary (translation/
cedict.py ranks which Chinese word an English word most likely means).

It is a gloss, not a translation (`kind = "gloss"`): the reader is told so. Placeholders from
translation/entities.py (entities and glossary terms, already masked) pass through untouched.

The dictionary is read once, lazily, under a lock, inside the worker thread that `translate`
hands the work to, so the event loop never waits for it; with `cache_dir` the built indexes are
kept on disk for the next start.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import opencc

from redleaf.translation import cedict
from redleaf.translation.cedict import Cedict, is_pointer, readable_sense, short_sense
from redleaf.translation.engines.base import (
    EngineError,
    GlossWord,
    Kind,
    Output,
    UnsupportedPair,
)
from redleaf.translation.pinyin import numbered_to_marks

# The masked form of an entity or glossary term (translation/entities.py). The one place that
# knows it: everything matching passes through the engine unchanged.
PLACEHOLDER_PATTERN = r"⦃\d+⦄"

CHINESE = ("zh-Hans", "zh-Hant")
MAX_SENSES = 3
# Longer dictionary entries are proverbs that would only slow the segmenter down.
_MAX_SEGMENT = 8

_HAN_CHARS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〇"
_TOKEN = re.compile(
    rf"(?P<placeholder>{PLACEHOLDER_PATTERN})"
    rf"|(?P<han>[{_HAN_CHARS}]+)"
    r"|(?P<latin>[A-Za-z]+(?:['’-][A-Za-z]+)*)"
    r"|(?P<number>\d+(?:[.,:]\d+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)

# Chinese punctuation as English punctuation, and which side its space goes on.
_TO_ASCII = {
    "，": ",",
    "、": ",",
    "。": ".",
    "！": "!",
    "？": "?",
    "：": ":",
    "；": ";",
    "（": "(",
    "）": ")",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "《": '"',
    "》": '"',
    "「": '"',
    "」": '"',
    "…": "...",
    "～": "~",
}
_OPENING = {"（", "“", "‘", "《", "「", "(", "["}
_CLOSING = {"，", "、", "。", "！", "？", "：", "；", "）", "”", "’", "》", "」", "…"}
_CLOSING |= set(",.!?:;)]")
_TO_FULL_WIDTH = {",": "，", ".": "。", "!": "！", "?": "？", ":": "：", ";": "；"}

# English words CEDICT glosses poorly: it describes Chinese words, so the commonest English
# words are often only a late sense of the commonest Chinese word ("nice" is nowhere among the
# senses of 好, "is" ranks after obscure words that mean "to be").
_COMMON_ENGLISH = {
    "am": "是",
    "and": "和",
    "are": "是",
    "be": "是",
    "can't": "不能",
    "don't": "不",
    "he": "他",
    "her": "她",
    "his": "他的",
    "is": "是",
    "me": "我",
    "my": "我的",
    "nice": "好",
    "not": "不",
    "our": "我们的",
    "she": "她",
    "their": "他们的",
    "them": "他们",
    "they": "他们",
    "us": "我们",
    "was": "是",
    "we": "我们",
    "were": "是",
    "your": "你的",
}
# Words with no Chinese counterpart in a word-by-word gloss.
_DROPPED_ENGLISH = {"a", "an", "the", "to"}
# Common irregular forms, which suffix stripping cannot undo.
_IRREGULAR_ENGLISH = {
    "ate": "eat",
    "bought": "buy",
    "came": "come",
    "did": "do",
    "felt": "feel",
    "found": "find",
    "gave": "give",
    "got": "get",
    "had": "have",
    "knew": "know",
    "made": "make",
    "saw": "see",
    "taught": "teach",
    "thought": "think",
    "took": "take",
    "went": "go",
    "wore": "wear",
}
# Function words whose first CEDICT sense reads badly inline (太 "highest", 要 "important"), or
# that only mark grammar and are best left out of the running text (们, 着). Their senses and
# pinyin still appear in the glosses.
_COMMON_CHINESE = {
    "个": "",
    "们": "",
    "着": "",
    "把": "",
    "被": "by",
    "很": "very",
    "太": "too",
    "要": "want",
    "啊": "ah",
    "呀": "ah",
    "哦": "oh",
}
# A short form longer than this is a definition, not a word; a later short sense is preferred.
_SHORT_WORDS = 4


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def to_traditional(text: str) -> str:
    return str(_converter("s2t").convert(text))


@lru_cache(maxsize=65_536)
def _traditional_word(word: str) -> str:
    """A dictionary word in traditional script; words repeat, so they are converted once."""
    return to_traditional(word)


def _tokens(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _TOKEN.finditer(text):
        yield str(match.lastgroup), match.start(), match.end()


def _pinyin_key(pinyin: str) -> str:
    """A reading compared across CEDICT ("nu:3 er2") and the HSK list ("nü3er2")."""
    return pinyin.lower().replace(" ", "").replace("u:", "ü").replace("v", "ü")


def _english_stems(word: str) -> Iterator[str]:
    """What an inflected English word may come from: "cities" -> "city", "loved" -> "love",
    "shopping" -> "shop", "watches" -> "watch". The caller tries them in this order."""
    if word.endswith("'s"):
        yield word[:-2]
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("es") and len(word) > 3:
        yield word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        yield word[:-1]
    for suffix in ("ied", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if suffix == "ied":
                yield stem + "y"
                continue
            yield stem
            yield stem + "e"
            if len(stem) > 2 and stem[-1] == stem[-2]:
                yield stem[:-1]  # "shopping" -> "shop", "stopped" -> "stop"


class _Text:
    """Pieces of output text joined with the spacing the target language expects."""

    def __init__(self, spaced_words: bool) -> None:
        self._spaced_words = spaced_words  # English: words apart; Chinese: words together
        self._parts: list[str] = []
        self._previous = "start"

    def add(self, piece: str, kind: str, space_before: bool = False) -> None:
        """kind: "word" (Chinese word or English word), "latin" (passed through), "open",
        "close", "newline". `space_before`: the source had whitespace before this piece."""
        previous = self._previous
        if kind in ("newline", "close") or previous in ("start", "newline", "open"):
            space = False
        elif self._spaced_words:
            space = True
        else:
            # Chinese runs together; spaces stay only around Latin text that passes through.
            space = space_before and (kind == "latin" or previous == "latin")
        if space:
            self._parts.append(" ")
        self._parts.append(piece)
        self._previous = kind

    def text(self) -> str:
        return "".join(self._parts)


class GlossEngine:
    """CC-CEDICT glosses: Chinese (either script) ↔ English."""

    name = "gloss"
    kind: Kind = "gloss"

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._dictionary: Cedict | None = None
        self._words: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # word -> its gloss
        self._version: str | None = None

    @property
    def version(self) -> str:
        if self._version is None:
            try:
                date = cedict.release_date()
            except OSError:
                date = "missing"
            self._version = f"cedict-{date}+r{cedict.RULES_REVISION}"
        return self._version

    def supports(self, source: str, target: str) -> bool:
        return (source in CHINESE and target == "en") or (source == "en" and target in CHINESE)

    async def translate(self, segments: list[str], source: str, target: str) -> list[Output]:
        if not self.supports(source, target):
            raise UnsupportedPair(f"gloss: {source} → {target}")
        try:
            return await asyncio.to_thread(self.translate_sync, segments, source, target)
        except EngineError:
            raise
        except Exception as error:  # the chain must only ever see EngineError
            raise EngineError(f"gloss: {type(error).__name__}: {error}") from error

    async def warm(self) -> None:
        """Read the dictionary now (in a thread), so the first reader does not wait for it."""
        await asyncio.to_thread(self.dictionary)

    async def aclose(self) -> None:
        return None

    def dictionary(self) -> Cedict:
        """The indexes, loaded on first use; safe to call from several threads at once."""
        loaded = self._dictionary
        if loaded is None:
            with self._lock:
                if self._dictionary is None:
                    self._dictionary = cedict.load(self._cache_dir)
                loaded = self._dictionary
        return loaded

    def translate_sync(self, segments: list[str], source: str, target: str) -> list[Output]:
        """The work of `translate`, in the calling thread (benchmarks, the eval command)."""
        if not self.supports(source, target):
            raise UnsupportedPair(f"gloss: {source} → {target}")
        if target == "en":
            return [self._chinese_to_english(segment) for segment in segments]
        outputs = [self._english_to_chinese(segment) for segment in segments]
        if target == "zh-Hant":
            outputs = [_traditional(output) for output in outputs]
        return outputs

    # --- Chinese → English ----------------------------------------------------------------------

    def _chinese_to_english(self, text: str) -> Output:
        simplified = to_simplified(text)
        # OpenCC maps character for character almost always; when it does not, show the
        # simplified text rather than misalign the reader's characters.
        surface = text if len(simplified) == len(text) else simplified
        out = _Text(spaced_words=True)
        glosses: list[GlossWord] = []
        for kind, start, end in _tokens(simplified):
            piece = surface[start:end]
            if kind == "han":
                position = start
                for word in self._segment(simplified[start:end]):
                    shown = surface[position : position + len(word)]
                    position += len(word)
                    reading, short, senses = self._gloss(word)
                    glosses.append(GlossWord(text=shown, reading=reading, senses=senses))
                    if short:
                        out.add(short, "word")
                    elif not reading:  # no entry: the character passes through
                        out.add(shown, "word")
            elif kind == "space":
                if "\n" in piece:
                    out.add("\n" * piece.count("\n"), "newline")
            elif kind == "other":
                role = "open" if piece in _OPENING else "close" if piece in _CLOSING else "word"
                out.add(_TO_ASCII.get(piece, piece), role)
            else:
                out.add(piece, "word")
        return Output(text=out.text(), glosses=tuple(glosses))

    def _segment(self, run: str) -> list[str]:
        """A run of Chinese characters as dictionary words: the fewest words, then the fewest
        words outside the HSK lists. A character with no entry is a word of its own."""
        dictionary = self.dictionary()
        words, hsk = dictionary.words, dictionary.hsk
        longest = min(dictionary.max_word_length, _MAX_SEGMENT)
        size = len(run)
        best: list[tuple[int, int] | None] = [None] * (size + 1)
        best[0] = (0, 0)
        back = [0] * (size + 1)
        for start in range(size):
            cost = best[start]
            if cost is None:
                continue
            for length in range(1, min(longest, size - start) + 1):
                word = run[start : start + length]
                if length > 1 and word not in words:
                    continue
                candidate = (cost[0] + 1, cost[1] + (word not in hsk))
                current = best[start + length]
                if current is None or candidate < current:
                    best[start + length] = candidate
                    back[start + length] = start
        pieces: list[str] = []
        end = size
        while end > 0:
            start = back[end]
            pieces.append(run[start:end])
            end = start
        pieces.reverse()
        return pieces

    def _gloss(self, word: str) -> tuple[str, str, tuple[str, ...]]:
        """(tone-marked reading, short English, up to three senses); all empty without an
        entry. The short English is empty for words that only mark grammar (了, 吗)."""
        known = self._words.get(word)
        if known is not None:
            return known
        readings = self.dictionary().words.get(word, ())
        if not readings:
            return "", "", ()
        taught = _pinyin_key(self.dictionary().hsk_pinyin.get(word, ""))

        def rank(item: tuple[int, cedict.Reading]) -> tuple[int, int, int, int]:
            order, (pinyin, senses) = item
            real = any(not is_pointer(sense) for sense in senses)
            # A reading as a name (王 Wang2, 先生 Xian1 sheng5) is rarely what a sentence means.
            name = pinyin[:1].isupper()
            return (not real, taught != _pinyin_key(pinyin), name, order)

        pinyin, senses = min(enumerate(readings), key=rank)[1]
        real = [readable_sense(s) for s in senses if not is_pointer(s)]
        shown = real or [readable_sense(s) for s in senses]
        proper_noun = pinyin[:1].isupper()
        shorts = [short for short in (short_sense(x, proper_noun) for x in shown) if short]
        brief = [short for short in shorts[:MAX_SENSES] if len(short.split()) <= _SHORT_WORDS]
        short = _COMMON_CHINESE.get(word, (brief or shorts or [""])[0])
        known = (numbered_to_marks(pinyin), short, tuple(shown[:MAX_SENSES]))
        if len(self._words) < 100_000:  # a bound, in case of adversarial input
            self._words[word] = known
        return known

    # --- English → Chinese ----------------------------------------------------------------------

    def _english_to_chinese(self, text: str) -> Output:
        tokens = list(_tokens(text))
        out = _Text(spaced_words=False)
        glosses: list[GlossWord] = []
        space_before = False
        index = 0
        while index < len(tokens):
            kind, start, end = tokens[index]
            piece = text[start:end]
            if kind == "space":
                if "\n" in piece:
                    out.add("\n" * piece.count("\n"), "newline")
                space_before = True
                index += 1
                continue
            if kind == "latin":
                found = self._english_phrase(text, tokens, index)
                if found is not None:
                    chinese, pinyin, used = found
                    phrase = text[start : tokens[index + used - 1][2]]
                    glosses.append(GlossWord(text=phrase, reading=pinyin, senses=(chinese,)))
                    out.add(chinese, "word", space_before)
                    index += used
                elif piece.lower() in _DROPPED_ENGLISH:
                    index += 1
                    continue  # an article leaves no trace, not even its space
                else:
                    out.add(piece, "latin", space_before)
                    index += 1
            elif kind == "other":
                role = "open" if piece in _OPENING else "close" if piece in _CLOSING else "latin"
                out.add(_TO_FULL_WIDTH.get(piece, piece), role, space_before)
                index += 1
            else:  # placeholders and numbers pass through
                out.add(piece, "latin", space_before)
                index += 1
            space_before = False
        return Output(text=out.text(), glosses=tuple(glosses))

    def _english_phrase(
        self, text: str, tokens: list[tuple[str, int, int]], index: int
    ) -> tuple[str, str, int] | None:
        """The Chinese for the longest phrase (up to four words) starting at tokens[index]:
        (chinese, tone-marked pinyin, how many tokens it used)."""
        english = self.dictionary().english
        words: list[str] = []
        ends: list[int] = []  # token index after each word
        position = index
        while len(words) < 4 and position < len(tokens) and tokens[position][0] == "latin":
            _, start, end = tokens[position]
            words.append(text[start:end].lower().replace("’", "'"))
            ends.append(position + 1)
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if (
                following is None
                or following[0] != "space"
                or text[following[1] : following[2]] != " "
            ):
                break
            position += 2
        for count in range(len(words), 1, -1):
            phrase = " ".join(words[:count])
            found = [english.get(phrase)]
            if count == 2:
                found.append(english.get("".join(words[:2])))  # "hot pot" is also "hotpot"
            candidates = [c for c in found if c is not None]
            if candidates:
                best = min(candidates, key=lambda c: c[2:])
                return best[0], numbered_to_marks(best[1]), ends[count - 1] - index
        word = words[0]
        if word in _DROPPED_ENGLISH:
            return None
        common = _COMMON_ENGLISH.get(word)
        if common is not None:
            return common, self._reading_of(common), 1
        # The word as written, unless it is only a rare word's sense and its stem is a common
        # one ("friends" is a sense of 三朋四友, "friend" the first of 朋友).
        stems = [_IRREGULAR_ENGLISH.get(word, word), *_english_stems(word)]
        matches = [(rank, english[key]) for rank, key in enumerate(stems) if key in english]
        if not matches:
            return None
        chosen = min(matches, key=lambda item: (item[1][2], item[0]))[1]
        return chosen[0], numbered_to_marks(chosen[1]), 1

    def _reading_of(self, chinese: str) -> str:
        """Pinyin for a Chinese word that may not be an entry itself (我的): character by
        character where needed."""
        words = self.dictionary().words
        if chinese in words:
            return numbered_to_marks(words[chinese][0][0])
        return "".join(
            numbered_to_marks(words[char][0][0]) if char in words else char for char in chinese
        )


def _traditional(output: Output) -> Output:
    return Output(
        text=to_traditional(output.text),
        glosses=tuple(
            GlossWord(
                text=word.text,
                reading=word.reading,
                senses=tuple(_traditional_word(sense) for sense in word.senses),
            )
            for word in output.glosses
        ),
    )
