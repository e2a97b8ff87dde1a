"""The glossary: matching rules, the renderings, and the bundled file."""

from __future__ import annotations

from pathlib import Path

import pytest

from redleaf.translation.glossary import (
    BUNDLED,
    Glossary,
    GlossaryEntry,
    load_bundled,
    parse,
    rendering,
)

OOTD = GlossaryEntry("OOTD", "outfit of the day", "今日穿搭")
SEED = GlossaryEntry("种草", "got me wanting it", "种草")
NET_CELEB = GlossaryEntry("网红", "internet celebrity", "网红")
NET_CELEB_SHOP = GlossaryEntry("网红店", "trendy spot", "网红店")
REFUGEE = GlossaryEntry("TikTok refugee", "TikTok refugee", "TikTok难民")
DRY_GOODS = GlossaryEntry("干货", "practical tips", "干货")


def spans(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.term) for m in glossary.find(text)]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary([OOTD, SEED, NET_CELEB, NET_CELEB_SHOP, REFUGEE, DRY_GOODS])


def test_latin_terms_match_whole_words_in_any_case(glossary: Glossary) -> None:
    assert spans(glossary, "my ootd and OOTD, Ootd!") == [
        ("ootd", "OOTD"),
        ("OOTD", "OOTD"),
        ("Ootd", "OOTD"),
    ]
    # A longer Latin word is another word: no match inside OOTDs, OOTD2 or xOOTD.
    assert spans(glossary, "OOTDs OOTD2 xOOTD") == []


def test_latin_term_next_to_chinese_matches(glossary: Glossary) -> None:
    assert spans(glossary, "今天的OOTD种草了") == [("OOTD", "OOTD"), ("种草", "种草")]


def test_multi_word_term_allows_any_whitespace(glossary: Glossary) -> None:
    assert spans(glossary, "a TikTok   refugee here") == [("TikTok   refugee", "TikTok refugee")]
    assert spans(glossary, "tiktok\nrefugee") == [("tiktok\nrefugee", "TikTok refugee")]


def test_longest_match_wins_and_matches_do_not_overlap(glossary: Glossary) -> None:
    assert spans(glossary, "网红店和网红") == [("网红店", "网红店"), ("网红", "网红")]
    matches = glossary.find("网红店网红店")
    assert [(m.start, m.end) for m in matches] == [(0, 3), (3, 6)]


def test_traditional_forms_match_the_simplified_entry(glossary: Glossary) -> None:
    # 種草 is the traditional 种草; 乾貨 is how 干货 is written in traditional script.
    assert spans(glossary, "被種草了，全是乾貨") == [("種草", "种草"), ("乾貨", "干货")]


def test_later_entry_with_the_same_term_replaces_the_earlier() -> None:
    mine = GlossaryEntry("ootd", "today's look", "今日造型")
    glossary = Glossary([OOTD, SEED, mine])
    assert len(glossary) == 2
    assert [m.entry for m in glossary.find("OOTD")] == [mine]


def test_empty_glossary_finds_nothing() -> None:
    assert Glossary([]).find("OOTD 种草") == []


def test_many_entries() -> None:
    entries = [GlossaryEntry(f"term{i}", f"en{i}", f"中{i}") for i in range(500)]
    entries += [GlossaryEntry(f"词{chr(0x4E00 + i)}", "x", "x") for i in range(500)]
    glossary = Glossary(entries)
    text = "term4 term49 term499 term4990 词一 词丁"
    assert spans(glossary, text) == [
        ("term4", "term4"),
        ("term49", "term49"),
        ("term499", "term499"),
        ("词一", "词一"),
        ("词丁", "词丁"),
    ]


def test_rendering_per_target_language() -> None:
    assert rendering(DRY_GOODS, "en") == "practical tips"
    assert rendering(DRY_GOODS, "zh-Hans") == "干货"
    assert rendering(DRY_GOODS, "zh-Hant") == "乾貨"
    assert rendering(DRY_GOODS, "fr") == "干货"  # no rendering: the term itself


def test_bundled_file_parses_and_has_the_issue_terms() -> None:
    entries = load_bundled()
    assert len(entries) >= 30
    terms = {entry.term for entry in entries}
    assert {"YYDS", "种草", "拔草", "OOTD", "小红书"} <= terms
    assert len(terms) == len(entries), "a term appears twice"
    for entry in entries:
        assert entry.en and entry.zh and entry.note_en and entry.note_zh, entry.term
    glossary = Glossary(entries)
    found = spans(glossary, "小红书上的姐妹们，这个YYDS！OOTD种草了")
    assert [term for _, term in found] == ["小红书", "姐妹们", "YYDS", "OOTD", "种草"]


def test_parse_rules(tmp_path: Path) -> None:
    lines = [
        "# comment\n",
        "term\ten\tzh\tnote_en\tnote_zh\n",
        "\n",
        "YYDS\tGOAT\t永远的神\n",  # notes may be left off
        "  # indented comment\n",
        "种草\tseeded\t种草\ta note\t一个说明\n",
    ]
    assert parse(lines) == [
        GlossaryEntry("YYDS", "GOAT", "永远的神"),
        GlossaryEntry("种草", "seeded", "种草", "a note", "一个说明"),
    ]
    with pytest.raises(ValueError, match="header"):
        parse(["YYDS\tGOAT\t永远的神\n"])
    with pytest.raises(ValueError, match=":3:"):
        parse(["term\ten\tzh\n", "YYDS\tGOAT\t永远的神\n", "broken line\n"], source="x.tsv")
    path = tmp_path / "glossary.tsv"
    path.write_text("".join(lines), encoding="utf-8")
    assert len(load_bundled(path)) == 2
    assert BUNDLED.exists()
