"""The analyzer: folding, segmentation with the product dictionary, stemming, highlighting."""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

import opencc
import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from redleaf.search import analyze as analyzer
from redleaf.search.analyze import (
    CHINESE_STOPWORDS,
    DICTIONARY_PATH,
    MAX_TERM_CHARS,
    T2S_PHRASE_CHARACTERS,
    analyze,
    analyze_query,
    highlight,
    normalise,
    tokens_for_index,
)

NOTE = (
    "周末去了成都的宝藏火锅店🔥 氛围感拉满，出片率超高！强烈种草给姐妹们～ "
    "Best HOTPOTS in Chengdu, the broth was amazing 😋 #成都美食 @chengdu_eats"
)

# Text that leans on what the analyzer treats specially, mixed with anything at all.
PIECES = list("成都火锅小红书穿搭臺灣頭髮的了是ＯＯＴＤｈｏｔ＃＠#@'’_-. \n") + [
    "hotpot",
    "city",
    "walk",
    "Citywalks",
    "https://www.a.com/x",
    "😋",
    "\u200b",
]
bilingual = st.one_of(st.text(), st.lists(st.sampled_from(PIECES)).map("".join))


def test_the_dictionary_keeps_product_words_whole() -> None:
    plain = rjieba.Jieba()  # rjieba as it ships
    assert "小红书" not in plain.cut("我在小红书上看穿搭", False)
    assert "穿搭" not in plain.cut("我在小红书上看穿搭", False)
    assert analyze("我在小红书上看穿搭") == ["小红书", "上", "看", "穿搭"]


def test_the_dictionary_has_enough_community_words() -> None:
    entries = [
        line.split("#", 1)[0].strip()
        for line in DICTIONARY_PATH.read_text(encoding="utf-8").splitlines()
    ]
    words = [entry for entry in entries if entry]
    assert len(words) >= 60
    for word in ["种草", "拔草", "探店", "打卡", "平替", "出片", "氛围感", "绝绝子", "citywalk"]:
        assert word in words
    for word in ["种草", "探店", "平替", "出片", "氛围感", "绝绝子", "宝藏", "攻略", "网红"]:
        assert word in analyze(f"今天{word}了"), word


def test_documents_index_a_long_word_and_its_parts_and_queries_ask_for_the_parts() -> None:
    assert analyze("成都火锅") == ["成都", "火锅", "成都火锅"]
    assert analyze_query("成都火锅") == ["成都", "火锅"]
    # A note that writes the words apart is found by the same query.
    assert set(analyze_query("成都火锅")) <= set(analyze("成都的火锅"))
    # 小红书 is not covered by its parts (书 is not a word of it), so the query keeps it.
    assert "小红书" in analyze_query("小红书")


def test_chinese_function_words_are_dropped() -> None:
    terms = analyze("我的火锅是最好吃的了")
    assert not CHINESE_STOPWORDS.intersection(terms)
    assert "火锅" in terms


def test_normalise_folds_width_case_script_and_drops_symbols() -> None:
    assert normalise("ＯＯＴＤ　Ｈｏｔｐｏｔ") == "ootd hotpot"
    assert normalise("臺灣的頭髮") == "台湾的头发"
    assert normalise("好吃😋🔥!!! (真的)") == "好吃 真的"
    assert normalise("See https://www.xiaohongshu.com/explore/1?x=2 now") == (
        "see xiaohongshu com now"
    )
    assert normalise("Straße") == "strasse"


def test_english_is_lowercased_stemmed_and_stop_words_dropped() -> None:
    assert analyze("The Best HOTPOTS of Chengdu") == ["best", "hotpot", "chengdu"]
    assert analyze("hotpot's") == ["hotpot"]
    assert analyze("hotpot-chengdu") == ["hotpot", "chengdu"]
    assert analyze("running runs") == ["run", "run"]


def test_traditional_and_full_width_match_simplified_and_ascii() -> None:
    assert analyze("火鍋") == analyze("火锅")
    assert analyze("ＯＯＴＤ") == analyze("ootd") == ["ootd"]
    assert analyze_query("臺北 夜市") == analyze_query("台北 夜市")


def test_urls_give_their_domain_and_mentions_their_username() -> None:
    terms = analyze("看这里 https://www.xiaohongshu.com/explore/64f1?xsec=abc 谢谢 @Chengdu_Eats")
    assert "xiaohongshu" in terms
    assert "explore" not in terms and "64f1" not in terms and "xsec" not in terms
    assert analyze("@Chengdu_Eats") == analyze("chengdu_eats")
    assert "#" not in "".join(analyze("#成都美食 #OOTD"))
    assert analyze("#成都美食") == ["成都", "美食"]


def test_city_walk_is_one_thing_however_it_is_written() -> None:
    assert analyze("city walk today") == ["citywalk", "today", "citi", "walk"]
    assert analyze("CityWalks") == ["citywalk"]
    assert analyze("hotpots") == ["hotpot"] and analyze("hot pot") == ["hotpot", "hot", "pot"]
    assert analyze_query("city walk") == analyze_query("citywalk") == ["citywalk"]


def test_documents_keep_the_query_terms_in_order_and_put_extras_after() -> None:
    assert analyze("成都火锅好吃") == ["成都", "火锅", "好吃", "成都火锅"]
    assert analyze_query("成都火锅好吃") == ["成都", "火锅", "好吃"]
    text = "周末去成都火锅店 and a spicy hot pot city walk"
    assert analyze(text)[: len(analyze_query(text))] == analyze_query(text)


def test_long_runs_are_not_terms_and_zero_width_characters_join() -> None:
    assert analyze("a" * (MAX_TERM_CHARS + 1) + " hotpot") == ["hotpot"]
    assert analyze("火\u200b锅") == ["火锅"]


def test_tokens_for_index_is_space_joined() -> None:
    assert tokens_for_index("成都火锅 Hotpots") == "成都 火锅 hotpot 成都火锅"
    assert tokens_for_index("") == ""


def test_lone_surrogates_and_nul_do_not_break_anything() -> None:
    assert analyze("火锅\ud800hotpot\x00臺") == ["火锅", "hotpot", "台"]
    assert highlight("火锅\ud800hotpot", ["hotpot"])[-1] == ("hotpot", True)


@given(bilingual)
@settings(max_examples=300, deadline=None)
def test_terms_are_never_empty_and_are_letters_and_digits_only(text: str) -> None:
    for terms in (analyze(text), analyze_query(text)):
        for term in terms:
            assert term and term.isalnum() and len(term) <= MAX_TERM_CHARS


@given(bilingual)
@settings(max_examples=300, deadline=None)
def test_a_document_starts_with_the_query_terms_of_its_text(text: str) -> None:
    query = analyze_query(text)
    assert analyze(text)[: len(query)] == query


@given(bilingual)
@settings(max_examples=300, deadline=None)
def test_normalised_text_analyzes_the_same(text: str) -> None:
    assert analyze(normalise(text)) == analyze(text)


@given(bilingual)
@settings(max_examples=300, deadline=None)
def test_the_fast_path_gives_the_terms_of_the_span_path(text: str) -> None:
    folded = analyzer._fold(text)
    inline, extra = analyzer._spans(folded)
    assert analyzer._terms(folded) == ([s[0] for s in inline], [s[0] for s in extra])


# Characters t2s changes, alone or in phrases, and ones it leaves, in any order.
hanzi = st.lists(
    st.sampled_from(list("乾隆乾燥深沈沈默瞭解么麼著名穿著臺灣台湾後來后来頭髮发的了𠀀"))
)


@given(hanzi.map("".join))
@settings(max_examples=500, deadline=None)
def test_skipping_opencc_never_changes_the_result(text: str) -> None:
    assert analyzer._to_simplified(text) == opencc.OpenCC("t2s").convert(text)


def test_the_phrase_characters_match_the_installed_opencc(tmp_path: Path) -> None:
    """Every character that t2s changes only inside a phrase is listed (dumped with the
    `opencc_dict` tool that the opencc wheel ships)."""
    tool = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    if not tool.exists():
        pytest.skip("this opencc wheel ships no opencc_dict")
    target = tmp_path / "TSPhrases.txt"
    source = share / "TSPhrases.ocd2"
    command = [str(tool), "-i", str(source), "-o", str(target), "-f", "ocd2", "-t", "text"]
    subprocess.run(command, check=True, capture_output=True)
    converter = opencc.OpenCC("t2s")
    needed = set()
    for line in target.read_text(encoding="utf-8").splitlines():
        key, values = line.split("\t")
        value = values.split(" ")[0]
        if len(key) != len(value):
            changed = set(key)
        else:
            changed = {a for a, b in zip(key, value, strict=True) if a != b}
        needed |= {char for char in changed if converter.convert(char) == char}
    assert needed
    assert needed <= set(T2S_PHRASE_CHARACTERS)


def test_analyze_gives_the_same_terms_from_many_threads() -> None:
    texts = [NOTE, "臺灣的頭髮很漂亮", "city walk in Chengdu", "成都火锅 hotpots"] * 50
    expected = [analyze(text) for text in texts]
    results: dict[int, list[list[str]]] = {}

    def work(number: int) -> None:
        results[number] = [analyze(text) for text in texts]

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


# --- highlighting -------------------------------------------------------------------------


def _marked(segments: list[tuple[str, bool]]) -> list[str]:
    return [text for text, matched in segments if matched]


def test_highlight_marks_stemmed_words_as_written() -> None:
    segments = highlight("We loved the HotPots in Chengdu.", analyze_query("hotpot chengdu"))
    assert _marked(segments) == ["HotPots", "Chengdu"]
    assert "".join(text for text, _ in segments) == "We loved the HotPots in Chengdu."


def test_highlight_marks_traditional_and_full_width_text_for_simplified_queries() -> None:
    assert _marked(highlight("台北的火鍋店很好吃", analyze_query("火锅"))) == ["火鍋"]
    assert _marked(highlight("今日のＯＯＴＤ", analyze_query("ootd"))) == ["ＯＯＴＤ"]
    assert _marked(highlight("臺北夜市", analyze_query("台北"))) == ["臺北"]


def test_highlight_joins_the_parts_of_a_chinese_word() -> None:
    assert _marked(highlight("推荐一家成都火锅店", analyze_query("成都火锅"))) == ["成都火锅"]
    assert _marked(highlight("a city walk today", analyze_query("citywalk"))) == ["city walk"]


def test_highlight_centres_on_the_best_window_and_marks_the_cuts() -> None:
    text = (
        "A long introduction about many things that are not relevant to anything at all. " * 3
        + "Then we went for hotpot in Chengdu and it was great. "
        + "And a long tail of text that follows and says nothing much about it. " * 3
    )
    segments = highlight(text, analyze_query("hotpot chengdu"), max_chars=80)
    assert segments[0][0].startswith("…") and segments[-1][0].endswith("…")
    assert _marked(segments) == ["hotpot", "Chengdu"]
    shown = "".join(piece for piece, _ in segments).strip("…")
    assert len(shown) <= 80
    assert shown in text  # words are not cut: the snippet is whole text of the original
    assert not shown.startswith(" ") and not shown.endswith(" ")


def test_highlight_without_a_match_shows_the_start() -> None:
    text = "这是一篇关于旅行的笔记。" * 30
    segments = highlight(text, analyze_query("hotpot"), max_chars=20)
    assert segments == [(text[:20] + "…", False)]
    assert highlight("", ["x"]) == []
    assert highlight("short note", []) == [("short note", False)]


def test_highlight_marks_a_letter_with_its_combining_accent() -> None:
    assert _marked(highlight("un cafe\u0301 noir", analyze_query("café"))) == ["cafe\u0301"]
    assert _marked(highlight("die STRASSE und die Straße", analyze_query("strasse"))) == [
        "STRASSE",
        "Straße",
    ]


def test_highlight_collapses_white_space() -> None:
    assert highlight("火锅\n\n  真好吃", ["火锅"]) == [("火锅", True), (" 真好吃", False)]


@given(bilingual, bilingual, st.integers(min_value=1, max_value=200))
@settings(max_examples=300, deadline=None)
def test_highlight_never_raises_and_only_marks_original_text(
    text: str, query: str, max_chars: int
) -> None:
    segments = highlight(text, analyze_query(query), max_chars=max_chars)
    for piece, matched in segments:
        assert piece
        if matched:  # original text, white space collapsed
            assert piece in re.sub(r"\s+", " ", text)
