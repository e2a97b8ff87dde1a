"""The normaliser: evasions fold to the plain word, and hypothesis checks its invariants."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redleaf.moderation.normalize import normalize, normalize_leet, prepare

# NFKC expands one character to at most 18 (U+FDFA); nothing later in the pipeline lengthens.
MAX_EXPANSION = 18

# Text that looks like what members type: ASCII, Chinese (both scripts), full-width forms,
# look-alike letters, separators, emoji and invisible characters, mixed together.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=32, max_codepoint=126),
    st.sampled_from(list("傻逼說话開发学習們你好吗 ")),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.sampled_from(list("аеорсѕіαοսօ\u200b\u200d\ufe0f😀🎉·•’ß")),
    st.characters(),
)
texts = st.text(_ALPHABET, max_size=60)


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Ｆｕｃｋ", "fuck"),
        ("FUCK", "fuck"),
        ("f.u.c.k", "fuck"),
        ("f-u-c-k", "fuck"),
        ("f_u_c_k", "fuck"),
        ("f u c k", "fuck"),
        ("fu\u200bck", "fuck"),
        ("fսck", "fuck"),  # Armenian ս
        ("fuсk", "fuck"),  # Cyrillic с
        ("ѕhіt", "shit"),  # Cyrillic ѕ and і
        ("fück", "fuck"),
        ("𝐟𝐮𝐜𝐤", "fuck"),
        ("傻 逼", "傻逼"),
        ("傻😀逼", "傻逼"),
        ("傻.逼", "傻逼"),
        ("傻B", "傻b"),
        ("說話", "说话"),
        ("  many   spaces\there ", "many spaces here"),
    ],
)
def test_evasions_fold_to_the_plain_word(written: str, plain: str) -> None:
    assert normalize(written) == plain


@pytest.mark.parametrize(
    "text",
    ["3.14", "2024-05-01", "我傻，逼你", "class act", "I am a b", "e.g. this", "$5 for 2"],
)
def test_ordinary_text_is_not_joined_into_new_words(text: str) -> None:
    folded = normalize(text)
    assert normalize_leet(text).count(" ") == folded.count(" ")
    if text == "我傻，逼你":
        assert "傻逼" not in folded
    if text in {"3.14", "2024-05-01", "$5 for 2"}:
        assert normalize_leet(text) == text  # numbers are not leet words


def test_leet_form_reads_digits_as_letters_only_in_words() -> None:
    assert normalize("sh1t") == "sh1t"
    assert normalize_leet("sh1t") == "shit"
    assert normalize_leet("@ss h0le in 2024") == "ass hole in 2024"
    assert normalize_leet("5.h.1.t") == "shit"


def test_seams_mark_where_separators_were() -> None:
    prepared = prepare("stupid-ass")
    assert prepared.strict == "stupidass"
    assert 6 in prepared.seams
    assert prepare("class").seams == frozenset()


@settings(max_examples=300, deadline=None)
@given(texts)
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    # The leet form is the strict form read once more: no word in it still holds a digit or
    # symbol that stands for a letter.
    for token in re.findall(r"[\w@$]+", normalize_leet(text)):
        if re.search(r"[^\W\d_]", token):
            assert not re.search(r"[013457@$]", token)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_and_stays_bounded(text: str) -> None:
    prepared = prepare(text)
    assert len(prepared.strict) <= MAX_EXPANSION * len(text)
    assert len(prepared.leet) == len(prepared.strict)
    assert all(0 < seam < len(prepared.strict) for seam in prepared.seams)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40))
def test_full_width_and_half_width_agree(text: str) -> None:
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in text)
    assert normalize(full_width) == normalize(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["說話", "开發", "學習", "們", "傻逼", "軟件"]), max_size=8))
def test_traditional_and_simplified_agree(words: list[str]) -> None:
    from opencc import OpenCC

    traditional = "".join(words)
    simplified = OpenCC("t2s").convert(traditional)
    assert normalize(traditional) == normalize(simplified)
    assert unicodedata.is_normalized("NFC", normalize(traditional))
