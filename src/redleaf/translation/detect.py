"""Which language a note, comment, chat message or bio is written in, and where.

Scripts decide what they can: kana means Japanese (with the Han characters of the same run),
Hangul Korean, Han without kana Chinese, simplified or traditional by counting the characters
that only one of the two forms uses (OpenCC); Cyrillic is Russian, the only Cyrillic language
we detect. Latin runs go to lingua, built once per process for a fixed set of languages.

Before anything is counted, what carries no language is taken out: URLs, @mentions, the `#` of
hashtags (the tag's words count), emoji, numbers and punctuation. Mixed text ("OOTD 今天的穿搭 so
cute") comes back as spans, one per run of one language; the text's language is the one with the
most weight, a CJK character and a Latin word weighing one unit each. Too little text (emoji only,
"ok", a single word, one Chinese character) or a Latin guess lingua is unsure of is "und".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import opencc
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from redleaf.translation.entities import MENTION_PATTERN, URL_PATTERN
from redleaf.translation.langs import UNDETERMINED

# Less text than this is undetermined rather than guessed.
MIN_CJK_CHARS = 2  # Han, kana or Hangul characters of one language in the whole text
MIN_LATIN_WORDS = 2  # and at least MIN_LATIN_LETTERS letters: "ok", "Paris", "I love" are "und"
MIN_LATIN_LETTERS = 6

# lingua's confidence (after the priors below) under which Latin text is "und": two-word
# phrases such as "c'est la vie" or "hola amigos" sit between two languages.
MIN_LATIN_CONFIDENCE = 0.5

# Redleaf is an English-Chinese community, so Latin text is a priori English: lingua's value for
# English is multiplied by these before normalising. On 57 phrases of two or three words in seven
# languages ("so much", "weekend mood", "muy bien", "goede morgen"), lingua alone got 1 wrong and
# left 28 "und" ("so much" is Spanish-or-English to it); with 3, none wrong and 15 "und".
# Latin words inside Chinese or Japanese text are nearly always English ("OOTD", "so cute"),
# hence the stronger prior there.
ENGLISH_PRIOR = 3.0
ENGLISH_PRIOR_BESIDE_CJK = 10.0

# Accuracy stops growing long before these; a longer text is judged by its beginning, which
# bounds the time a long note takes (lingua costs one to two µs a character here).
MAX_LINGUA_CHARS = 300
MAX_HAN_CHARS = 1000

# Each Latin run of at least this many words is judged on its own (at most MAX_RUN_JUDGEMENTS
# of them, the longest); shorter runs take the language of all the text's Latin words.
MIN_RUN_WORDS = 3
MAX_RUN_JUDGEMENTS = 4

_LINGUA_LANGUAGES = {
    Language.ENGLISH: "en",
    Language.FRENCH: "fr",
    Language.GERMAN: "de",
    Language.SPANISH: "es",
    Language.ITALIAN: "it",
    Language.PORTUGUESE: "pt",
    Language.DUTCH: "nl",
    Language.RUSSIAN: "ru",
    # Never sent CJK text (scripts decide it), but part of the fixed set the detector knows.
    Language.CHINESE: "zh-Hans",
    Language.JAPANESE: "ja",
    Language.KOREAN: "ko",
}

_HAN = r"\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = r"\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # not ・ (U+30FB)
_HANGUL = r"\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_LATIN = (
    r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff"
    r"\uff21-\uff3a\uff41-\uff5a"  # full-width Ａ-Ｚ ａ-ｚ
)
_CYRILLIC = r"\u0400-\u052f"
_KNOWN = _HAN + _KANA + _HANGUL + _LATIN + _CYRILLIC

# One match per word (Latin, Cyrillic, other alphabets) or per run of CJK characters.
_TOKEN = re.compile(
    r"(?=[^\W\d_])"  # fails fast where no letter starts
    rf"(?:(?P<cjk>[{_HAN}{_KANA}]+)"
    rf"|(?P<hangul>[{_HANGUL}]+)"
    rf"|(?P<latin>[{_LATIN}]+(?:['’][{_LATIN}]+)*)"
    rf"|(?P<cyrillic>[{_CYRILLIC}]+)"
    rf"|(?P<other>(?:(?![{_KNOWN}])[^\W\d_])+))"
)
_HAS_KANA = re.compile(f"[{_KANA}]")


@dataclass(frozen=True)
class Span:
    """Characters text[start:end] are in `lang` ("und" for letters we could not place)."""

    start: int
    end: int
    lang: str


@dataclass(frozen=True)
class Detection:
    lang: str  # a code of translation/langs.py, or "und"
    spans: tuple[Span, ...]  # in order, non-overlapping; entities between them may be left out


def stored_spans(detection: Detection) -> list[list[object]] | None:
    """What is kept with mixed content: `[[start, end, lang], ...]` when the text holds more than
    one language (search segments and moderation classifies each span in its language); None
    for text in one language, which its `lang` says entirely."""
    languages = {span.lang for span in detection.spans if span.lang != UNDETERMINED}
    if len(languages) < 2:
        return None
    return [[span.start, span.end, span.lang] for span in detection.spans]


def detect(text: str) -> Detection:
    """The language of `text` and its spans. Never raises; CPU-bound (about 0.1-1 ms), so
    async callers run it in a thread."""
    words = _words(text)
    if not words:
        return Detection(UNDETERMINED, ())
    runs = _runs(words)
    pieces = _label(runs)
    spans = _merge(pieces)
    return Detection(_overall(pieces), spans)


def detect_lang(text: str) -> str:
    return detect(text).lang


def warm_up() -> None:
    """Build the detector and load its models (about 3 s and 200 MB here): call it in a thread at
    start-up so that the first post does not wait."""
    detector = _detector()
    for sample in ("the weather is lovely today", "il fait très beau aujourd'hui"):
        detector.compute_language_confidence_values(sample)
    _han_form("天氣")


# --- building blocks -------------------------------------------------------------------------


class _Word(NamedTuple):  # a tuple: detection makes one per word, so it must be cheap
    start: int
    end: int
    script: str  # "cjk", "hangul", "latin", "cyrillic", "other"
    text: str
    units: int  # weight in the vote for the text's language


class _Piece(NamedTuple):
    words: tuple[_Word, ...]
    lang: str

    @property
    def units(self) -> int:
        return sum(word.units for word in self.words)


def _words(text: str) -> list[_Word]:
    # URLs and mentions become spaces of the same length, so offsets stay those of `text`.
    blanked = text
    if "://" in text or "www." in text or "WWW." in text:
        blanked = URL_PATTERN.sub(_spaces, blanked)
    if "@" in text:
        blanked = MENTION_PATTERN.sub(_spaces, blanked)
    words = []
    for match in _TOKEN.finditer(blanked):
        script = match.lastgroup or "other"
        word = match.group()
        # A CJK or Hangul character weighs as much as a word of an alphabet.
        units = len(word) if script in ("cjk", "hangul") else 1
        words.append(_Word(match.start(), match.end(), script, word, units))
    return words


def _spaces(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _runs(words: list[_Word]) -> list[list[_Word]]:
    """Consecutive words of one script; whatever lies between them (spaces, punctuation, emoji,
    numbers, line breaks) does not break a run."""
    runs: list[list[_Word]] = []
    for word in words:
        if runs and runs[-1][-1].script == word.script:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _label(runs: list[list[_Word]]) -> list[_Piece]:
    """Each run with its language."""
    labelled: list[_Piece | list[_Word]] = []  # Latin runs wait for the joint judgement
    for run in runs:
        script = run[0].script
        if script == "cjk":
            lang = "ja" if any(_HAS_KANA.search(word.text) for word in run) else "zh"
            labelled.append(_Piece(tuple(run), lang))
        elif script == "hangul":
            labelled.append(_Piece(tuple(run), "ko"))
        elif script == "cyrillic":
            labelled.append(_Piece(tuple(run), "ru"))
        elif script == "latin":
            labelled.append(run)
        else:
            labelled.append(_Piece(tuple(run), UNDETERMINED))
    beside_cjk = any(
        isinstance(item, _Piece) and item.lang in ("zh", "ja", "ko") for item in labelled
    )
    pieces = _label_latin(labelled, ENGLISH_PRIOR_BESIDE_CJK if beside_cjk else ENGLISH_PRIOR)
    return _settle_scripts(pieces)


def _label_latin(labelled: list[_Piece | list[_Word]], prior: float) -> list[_Piece]:
    latin_runs = [item for item in labelled if not isinstance(item, _Piece)]
    alone = sorted((run for run in latin_runs if len(run) >= MIN_RUN_WORDS), key=len)
    judged = {id(run): _judge(run, prior) for run in alone[-MAX_RUN_JUDGEMENTS:]}
    joint: list[str] = []  # all the text's Latin words judged together, when first needed
    pieces: list[_Piece] = []
    for item in labelled:
        if isinstance(item, _Piece):
            pieces.append(item)
            continue
        lang = judged.get(id(item), UNDETERMINED)
        if lang == UNDETERMINED:  # "OOTD" or "so cute" take the language of all the Latin words
            if not joint:
                words = [word for run in latin_runs for word in run]
                judged_already = len(latin_runs) == 1 and id(item) in judged
                joint.append(UNDETERMINED if judged_already else _judge(words, prior))
            lang = joint[0]
        pieces.append(_Piece(tuple(item), lang))
    return pieces


def _judge(words: list[_Word], prior: float) -> str:
    """lingua's language for these Latin words, or "und" for too few words or low confidence."""
    letters = sum(len(word.text) for word in words)
    if len(words) < MIN_LATIN_WORDS or letters < MIN_LATIN_LETTERS:
        return UNDETERMINED
    sample = unicodedata.normalize("NFKC", " ".join(word.text for word in words)[:MAX_LINGUA_CHARS])
    scores = {
        _LINGUA_LANGUAGES[value.language]: value.value
        * (prior if value.language == Language.ENGLISH else 1.0)
        for value in _detector().compute_language_confidence_values(sample)
    }
    total = sum(scores.values())
    lang = max(scores, key=scores.__getitem__)
    if total <= 0 or scores[lang] / total < MIN_LATIN_CONFIDENCE:
        return UNDETERMINED
    return lang


def _settle_scripts(pieces: list[_Piece]) -> list[_Piece]:
    """CJK and Cyrillic thresholds, Han beside Japanese, and simplified or traditional."""
    units: dict[str, int] = {}
    letters: dict[str, int] = {}
    for piece in pieces:
        units[piece.lang] = units.get(piece.lang, 0) + piece.units
        letters[piece.lang] = letters.get(piece.lang, 0) + sum(len(w.text) for w in piece.words)
    # Han-only runs in a text that is mostly Japanese are Japanese ("東京 Tower に行った").
    han_is_japanese = units.get("ja", 0) > units.get("zh", 0)
    if han_is_japanese:
        units["ja"] = units.get("ja", 0) + units.pop("zh", 0)
    chinese = "".join(word.text for piece in pieces if piece.lang == "zh" for word in piece.words)
    zh_code = _han_form(chinese) if chinese and not han_is_japanese else "zh-Hans"
    settled = []
    for piece in pieces:
        lang = "ja" if piece.lang == "zh" and han_is_japanese else piece.lang
        if _too_little(lang, units, letters):
            lang = UNDETERMINED
        elif lang == "zh":
            lang = zh_code
        settled.append(_Piece(piece.words, lang))
    return settled


def _too_little(lang: str, units: dict[str, int], letters: dict[str, int]) -> bool:
    if lang in ("zh", "ja", "ko"):
        return units.get(lang, 0) < MIN_CJK_CHARS
    if lang == "ru":  # Latin text meets these thresholds in _judge
        return units["ru"] < MIN_LATIN_WORDS or letters["ru"] < MIN_LATIN_LETTERS
    return False


def _merge(pieces: list[_Piece]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for piece in pieces:
        start, end = piece.words[0].start, piece.words[-1].end
        if spans and spans[-1].lang == piece.lang:
            spans[-1] = Span(spans[-1].start, end, piece.lang)
        else:
            spans.append(Span(start, end, piece.lang))
    return tuple(spans)


def _overall(pieces: list[_Piece]) -> str:
    """The language with the most units; on a tie, the one that comes first."""
    units: dict[str, int] = {}
    for piece in pieces:
        if piece.lang != UNDETERMINED:
            units[piece.lang] = units.get(piece.lang, 0) + piece.units
    if not units:
        return UNDETERMINED
    return max(units, key=units.__getitem__)  # dicts keep first-seen order, max keeps the first


# --- the detector and OpenCC, built once per process -----------------------------------------

_lock = threading.Lock()
_built: LanguageDetector | None = None
_converters: dict[str, opencc.OpenCC] = {}
_han_forms: dict[str, int] = {}  # per character: +1 traditional only, -1 simplified only, 0 both


def _detector() -> LanguageDetector:
    global _built
    if _built is None:
        with _lock:
            if _built is None:
                # Models load on first use (warm_up): about 3 s and +200 MB RSS for this set.
                # Preloading them costs as long, in the builder, and +260-275 MB; low accuracy
                # mode (+16 MB, 0.3 s) gets more short phrases confidently wrong.
                _built = LanguageDetectorBuilder.from_languages(*_LINGUA_LANGUAGES).build()
    return _built


def _converter(config: str) -> opencc.OpenCC:
    converter = _converters.get(config)
    if converter is None:
        with _lock:
            converter = _converters.setdefault(config, opencc.OpenCC(config))
    return converter


def _han_form(han: str) -> str:
    """ "zh-Hant" when more characters are traditional-only than simplified-only."""
    counts = Counter(han[:MAX_HAN_CHARS])
    for char in [char for char in counts if char not in _han_forms]:
        _han_forms[char] = _classify_han(char)  # racing threads write the same value
    balance = sum(_han_forms[char] * count for char, count in counts.items())
    return "zh-Hant" if balance > 0 else "zh-Hans"


def _classify_han(char: str) -> int:
    if _converter("t2s").convert(char) != char:
        return 1
    # OpenCC's standard s2t also rewrites characters both forms use (吃 -> 喫, 台 -> 臺); a
    # character is simplified-only when the Taiwan and Hong Kong conventions change it too.
    if all(_converter(config).convert(char) != char for config in ("s2t", "s2tw", "s2hk")):
        return -1
    return 0
