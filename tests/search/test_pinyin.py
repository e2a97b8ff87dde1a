"""Pinyin keys and the pinyin-prefix heuristic, for suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redleaf.search.pinyin import MAX_PINYIN_CHARS, is_pinyin_prefix, pinyin_keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("火锅", ["huoguo", "hg"]),
        ("成都", ["chengdu", "cd"]),
        ("小红书", ["xiaohongshu", "xhs"]),
        ("火鍋", ["huoguo", "hg"]),  # traditional folds first
        ("重庆", ["chongqing", "cq"]),  # the phrase reading, not zhong
        ("旅行", ["lvxing", "lx"]),  # ü typed as v
        ("ootd穿搭", ["ootdchuanda", "ootdcd"]),
        ("😋 成都 Hotpot!", ["chengduhotpot", "cdhotpot"]),
        ("阿", ["a"]),  # both keys the same: one key
    ],
)
def test_pinyin_keys(text: str, keys: list[str]) -> None:
    assert pinyin_keys(text) == keys


def test_text_without_chinese_has_no_keys() -> None:
    assert pinyin_keys("hotpot") == []
    assert pinyin_keys("") == []
    assert pinyin_keys("😋!!") == []


@pytest.mark.parametrize(
    "query",
    [
        "huoguo",
        "huog",
        "huo",
        "hg",
        "chengdu",
        "chengd",
        "cd",
        "xiaohongshu",
        "xhs",
        "xi'an",
        "cheng du",
        "ＨＵＯＧＵＯ",
        "lvxing",
        "chongq",
    ],
)
def test_pinyin_being_typed(query: str) -> None:
    assert is_pinyin_prefix(query)


@pytest.mark.parametrize(
    "query",
    ["hotpot", "hello", "ootd", "火锅", "", "huoguo2", "x" * 7, "a" * (MAX_PINYIN_CHARS + 1)],
)
def test_not_pinyin(query: str) -> None:
    assert not is_pinyin_prefix(query)


def test_every_key_of_chinese_is_pinyin_being_typed() -> None:
    for text in ["火锅", "成都", "小红书", "重庆火锅", "穿搭分享"]:
        full, initials = pinyin_keys(text)
        for end in range(1, len(full) + 1):
            assert is_pinyin_prefix(full[:end]), full[:end]
        assert is_pinyin_prefix(initials)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_never_raises_and_keys_are_lowercase_ascii(text: str) -> None:
    for key in pinyin_keys(text):
        assert key and key.isascii() and key.isalnum() and key == key.lower()
    is_pinyin_prefix(text)
