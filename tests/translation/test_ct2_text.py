"""Sentence splitting (engines/sentences.py) and import-model's detection of languages and
target-language tokens (translation/modelimport.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redleaf.translation.engines.sentences import join_sentences, split_sentences
from redleaf.translation.modelimport import (
    ImportModelError,
    detect_pair,
    language_code,
    pick_source_prefix,
    source_model_id,
)


@pytest.mark.parametrize(
    ("text", "lang", "sentences"),
    [
        ("Hello there. How are you? Fine!", "en", ["Hello there.", "How are you?", "Fine!"]),
        ("Mr. Li went home. He slept.", "en", ["Mr. Li went home.", "He slept."]),
        ("J. K. Rowling wrote it.", "en", ["J. K. Rowling wrote it."]),
        ("It costs 3.5 yuan. ok. Fine", "en", ["It costs 3.5 yuan. ok.", "Fine"]),
        ('He said "Go." Then left.', "en", ['He said "Go."', "Then left."]),
        ("I love it. 真的很好", "en", ["I love it.", "真的很好"]),
        ("no end at all", "fr", ["no end at all"]),
        ("今天好热。你呢？我很好！", "zh-Hans", ["今天好热。", "你呢？", "我很好！"]),
        ("他说：“好。”然后走了。", "zh-Hans", ["他说：“好。”", "然后走了。"]),
        ("第一；第二", "zh-Hant", ["第一；", "第二"]),
        ("好吃!下次再来", "zh-Hans", ["好吃!", "下次再来"]),
        ("版本 3.5 很好", "zh-Hans", ["版本 3.5 很好"]),
        ("   ", "en", []),
    ],
)
def test_split_sentences(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


def test_join_sentences() -> None:
    assert join_sentences(["你好。", "", "再见。"], "zh-Hans") == "你好。再见。"
    assert join_sentences(["Hello.", "Bye."], "en") == "Hello. Bye."


def test_language_codes() -> None:
    assert language_code("en") == "en"
    assert language_code("zho") == "zh-Hans"
    assert language_code("cmn_Hant") == "zh-Hant"
    assert language_code("de") == "de"
    assert language_code("ROMANCE") is None


def test_detect_pair_from_the_name_then_the_tokenizer(tmp_path: Path) -> None:
    named = tmp_path / "opus-mt-zh-en"
    named.mkdir()
    assert detect_pair(named, {}) == ("zh-Hans", "en")
    assert detect_pair(tmp_path, {"_name_or_path": "Helsinki-NLP/opus-mt-en-zh"}) == (
        "en",
        "zh-Hans",
    )
    assert detect_pair(tmp_path, {"_name_or_path": "Helsinki-NLP/opus-mt-tc-big-en-fr"}) == (
        "en",
        "fr",
    )
    (tmp_path / "tokenizer_config.json").write_text('{"source_lang": "eng", "target_lang": "zho"}')
    assert detect_pair(tmp_path, {}) == ("en", "zh-Hans")


def test_source_model_id(tmp_path: Path) -> None:
    assert source_model_id(tmp_path, {"_name_or_path": "Helsinki-NLP/opus-mt-en-zh"}) == (
        "Helsinki-NLP/opus-mt-en-zh"
    )
    assert source_model_id(tmp_path, {"_name_or_path": "/home/me/opus"}) == tmp_path.name


def test_pick_source_prefix() -> None:
    assert pick_source_prefix(["▁a", "b"], "zh-Hans") == ""
    vocabulary = [">>cmn_Hans<<", ">>cmn_Hant<<", ">>yue_Hans<<", "▁a"]
    assert pick_source_prefix(vocabulary, "zh-Hans") == ">>cmn_Hans<<"
    assert pick_source_prefix(vocabulary, "zh-Hant") == ">>cmn_Hant<<"
    with pytest.raises(ImportModelError, match="--source-prefix"):
        pick_source_prefix(vocabulary, "ja")
