"""The query parser, and its renderings run against real FTS5 and Tantivy indexes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redleaf.search.analyze import tokens_for_index
from redleaf.search.query import (
    MAX_EXCLUSIONS,
    MAX_PHRASE_TERMS,
    MAX_PHRASES,
    MAX_QUERY_CHARS,
    MAX_TAG_CHARS,
    MAX_TAGS,
    MAX_TERMS,
    ParsedQuery,
    parse,
    to_fts5,
    to_tantivy,
)

NOTES = {
    1: "成都火锅好吃！Best hotpots in Chengdu #成都美食",
    2: "重慶火鍋也不錯，city walk 之后去吃 #重庆",
    3: "今日のOOTD：穿搭分享 #ootd",
    4: "Spicy hot pot in Chongqing, a citywalk guide",
    5: "排队两小时的成都的火锅店，不推荐",
    6: "Spicy hot noodles",
}
TAGS = {1: "成都美食", 2: "重庆", 3: "ootd", 4: "", 5: "", 6: ""}

# Query syntax and its look-alikes, mixed with anything at all.
SYNTAX = [
    '"',
    "“",
    "”",
    "「",
    "」",
    "『",
    "』",
    "-",
    "#",
    "(",
    ")",
    "*",
    ":",
    "^",
    "~",
    "+",
    "{",
    "}",
    "[",
    "]",
    "\\",
    "'",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    " ",
    "\t",
    "\n",
    "\x00",
    "火锅",
    "成都",
    "hotpot",
    "city",
    "walk",
    "Ｈｏｔ",
    "臺",
    "😋",
    "a-b",
    "\u200b",
    "NEAR(",
    "col:",
]
queries = st.one_of(
    st.text(),
    st.lists(st.sampled_from(SYNTAX), max_size=40).map("".join),
    st.lists(st.sampled_from(SYNTAX), max_size=40).map(" ".join),
)


def test_words_phrases_exclusions_and_tags() -> None:
    parsed = parse('成都火锅 -排队 "city walk" #成都美食 #OOTD')
    assert parsed.terms == ("成都", "火锅", "citywalk")
    assert parsed.excluded_terms == ("排队",)
    assert parsed.tags == ("成都美食", "ootd")
    assert not parsed.is_empty
    assert parsed.raw == '成都火锅 -排队 "city walk" #成都美食 #OOTD'


def test_chinese_quotes_make_phrases_and_excluded_phrases() -> None:
    parsed = parse('“小红书 穿搭” 「spicy hot pot」 『成都 夜市』 -"hot pot" -hotpot-chengdu')
    assert parsed.phrases == (("小红书", "穿搭"), ("spici", "hotpot"), ("成都", "夜市"))
    assert parsed.excluded_terms == ("hotpot",)  # "hot pot" is the compound hotpot
    assert parsed.excluded_phrases == (("hotpot", "chengdu"),)
    assert parse("-成都火锅").excluded_phrases == (("成都", "火锅"),)


def test_a_hyphen_inside_a_word_is_not_an_exclusion() -> None:
    assert parse("hotpot-chengdu") == ParsedQuery(terms=("hotpot", "chengdu"), raw="hotpot-chengdu")
    assert parse("a -b").excluded_terms == ("b",)
    assert parse("-b").excluded_terms == ("b",)
    assert parse("--b").excluded_terms == ("b",)
    assert parse("- b").terms == ("b",)
    assert parse('"hotpot"-chengdu').terms == ("hotpot", "chengdu")


def test_operators_and_stray_syntax_are_plain_text() -> None:
    assert parse("火锅 (成都").terms == ("火锅", "成都")
    assert parse("hotpot AND chengdu OR NOT x*").terms == ("hotpot", "chengdu", "x")
    assert parse("title:hotpot").terms == ("titl", "hotpot")
    assert parse('"unclosed phrase here').phrases == (("unclos", "phrase", "here"),)
    assert parse("”」』").is_empty
    assert parse('"the"').is_empty  # a phrase of stop words is nothing
    assert parse('"hotpot"').terms == ("hotpot",)  # a phrase of one term is a term


def test_tags_fold_as_notes_fold_them() -> None:
    from redleaf.notes.text import hashtags

    for written in ["#OOTD", "＃ＯＯＴＤ", "#成都美食#", "#city-walk", "#_旅行_"]:
        assert parse(written).tags == tuple(hashtags(written)), written
    assert parse("#成都美食，火锅").tags == ("成都美食",)
    assert parse("#成都美食，火锅").terms == ("火锅",)
    assert parse("-#ootd").excluded_terms == ("ootd",)
    assert parse("#").is_empty and parse("#-_").is_empty


def test_exclusions_alone_are_an_empty_query() -> None:
    parsed = parse("-火锅 -hotpot")
    assert parsed.is_empty and parsed.excluded_terms == ("火锅", "hotpot")
    assert to_fts5(parsed) == "" and to_tantivy(parsed) == ""


def test_full_width_and_traditional_queries_fold() -> None:
    assert parse("ＨＯＴＰＯＴ　火鍋").terms == ("hotpot", "火锅")
    assert parse("＂ｈｏｔｐｏｔ ｃｈｅｎｇｄｕ＂").phrases == (("hotpot", "chengdu"),)


def test_lengths_and_counts_are_capped() -> None:
    parsed = parse(" ".join(f"word{n}" for n in range(5000)))
    assert len(parsed.raw) <= MAX_QUERY_CHARS
    assert len(parsed.terms) <= MAX_TERMS
    many = parse(
        " ".join(f'"a{n} b{n}" -x{n} #t{n}' for n in range(100))
        + ' "'
        + " ".join(f"w{n}" for n in range(100))
    )
    assert len(many.phrases) <= MAX_PHRASES
    assert len(many.excluded_terms) + len(many.excluded_phrases) <= MAX_EXCLUSIONS
    assert len(many.tags) <= MAX_TAGS
    assert all(len(phrase) <= MAX_PHRASE_TERMS for phrase in many.phrases)
    assert all(len(tag) <= MAX_TAG_CHARS for tag in parse("#" + "长" * 500).tags)
    assert parse("x" * 10_000).is_empty  # one over-long run is no term


def test_highlight_terms_gather_terms_phrases_and_tag_words() -> None:
    parsed = parse('火锅 "city walk" "spicy noodles" #成都美食')
    assert parsed.highlight_terms == ("火锅", "citywalk", "spici", "noodl", "成都", "美食")


def test_renderings_quote_everything() -> None:
    parsed = parse('成都火锅 -排队 "spicy hot" #OOTD')
    assert to_fts5(parsed) == '("成都" AND "火锅" AND "spici hot" AND "ootd") NOT "排队"'
    assert to_fts5(parsed, tag_column="tags") == (
        '("成都" AND "火锅" AND "spici hot" AND tags : "ootd") NOT "排队"'
    )
    assert to_tantivy(parsed, field="body", tag_field="tags") == (
        '+body:"成都" +body:"火锅" +body:"spici hot" +tags:"ootd" -body:"排队"'
    )
    with pytest.raises(ValueError):
        to_fts5(parsed, tag_column="tags) OR (x")
    with pytest.raises(ValueError):
        to_tantivy(parsed, field="NOT")


@given(queries)
@settings(max_examples=400, deadline=None)
def test_parse_never_raises_and_terms_are_never_empty(text: str) -> None:
    parsed = parse(text)
    for term in parsed.terms + parsed.excluded_terms:
        assert term and term.isalnum()
    for phrase in parsed.phrases + parsed.excluded_phrases:
        assert len(phrase) >= 2 and all(term and term.isalnum() for term in phrase)
    for tag in parsed.tags:
        assert tag and not tag.startswith("#")
    assert len(parsed.terms) <= MAX_TERMS and len(parsed.tags) <= MAX_TAGS
    assert parsed.is_empty == (to_fts5(parsed) == "") or parsed.tags


# --- real engines ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fts5() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    for table, tokenizer in (("notes_ascii", "ascii"), ("notes_unicode", "unicode61")):
        connection.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5(body, tags, tokenize = '{tokenizer}')"
        )
        for rowid, text in NOTES.items():
            connection.execute(
                f"INSERT INTO {table} (rowid, body, tags) VALUES (?, ?, ?)",
                (rowid, tokens_for_index(text), TAGS[rowid]),
            )
    yield connection
    connection.close()


def _fts5_ids(connection: sqlite3.Connection, table: str, expression: str) -> set[int]:
    rows = connection.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (expression,))
    return {row[0] for row in rows}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("火锅", {1, 2, 5}),
        ("火鍋 -排队", {1, 2}),
        ("成都火锅", {1, 5}),
        ('"成都火锅"', {1, 5}),  # 的 is dropped, so 成都的火锅 is the same phrase
        ("hotpot", {1, 4}),
        ("hot pot", {1, 4}),
        ('"spicy hot pot"', {4}),
        ('"spicy hot"', {6}),  # 4 is indexed "spici hotpot ... hot pot"
        ("hot", {4, 6}),
        ('"火锅好吃"', {1}),
        ("citywalk", {2, 4}),
        ('"city walk"', {2, 4}),
        ("ootd", {3}),
        ("ＯＯＴＤ 穿搭", {3}),
        ("#成都美食", {1}),
        ("#OOTD 穿搭", {3}),
        ("chongqing -spicy", set()),
        ('spicy -"hot pot"', {6}),
    ],
)
def test_fts5_finds_what_the_query_means(
    fts5: sqlite3.Connection, query: str, expected: set[int]
) -> None:
    parsed = parse(query)
    for table in ("notes_ascii", "notes_unicode"):
        assert _fts5_ids(fts5, table, to_fts5(parsed)) == expected, table
        if parsed.tags:
            assert _fts5_ids(fts5, table, to_fts5(parsed, tag_column="tags")) == expected


@given(queries)
@settings(max_examples=400, deadline=None)
def test_fts5_accepts_every_rendered_query(fts5: sqlite3.Connection, text: str) -> None:
    parsed = parse(text)
    for tag_column in (None, "tags"):
        expression = to_fts5(parsed, tag_column=tag_column)
        if not expression:
            assert parsed.is_empty or parsed.tags
            continue
        for table in ("notes_ascii", "notes_unicode"):
            _fts5_ids(fts5, table, expression)  # raises sqlite3.OperationalError on bad syntax


@pytest.fixture(scope="module")
def tantivy_index() -> Any:
    tantivy = pytest.importorskip("tantivy")
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("tags", tokenizer_name="raw")
    index = tantivy.Index(builder.build())
    writer = index.writer(15_000_000, 1)
    for rowid, text in NOTES.items():
        tags = [TAGS[rowid]] if TAGS[rowid] else []
        writer.add_document(tantivy.Document(id=rowid, body=tokens_for_index(text), tags=tags))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def _tantivy_ids(index: Any, expression: str) -> set[int]:
    searcher = index.searcher()
    query = index.parse_query(expression, ["body"])
    hits = searcher.search(query, 100).hits
    return {searcher.doc(address)["id"][0] for _score, address in hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("火锅", {1, 2, 5}),
        ("火鍋 -排队", {1, 2}),
        ('"成都火锅"', {1, 5}),
        ("hot pot", {1, 4}),
        ('"spicy hot pot"', {4}),
        ('"火锅好吃"', {1}),
        ("citywalk", {2, 4}),
        ('"city walk"', {2, 4}),
        ("#成都美食", {1}),
        ("#OOTD 穿搭", {3}),
        ('spicy -"hot pot"', {6}),
    ],
)
def test_tantivy_finds_what_the_query_means(
    tantivy_index: Any, query: str, expected: set[int]
) -> None:
    parsed = parse(query)
    assert _tantivy_ids(tantivy_index, to_tantivy(parsed)) == expected
    assert _tantivy_ids(tantivy_index, to_tantivy(parsed, field="body", tag_field="tags")) == (
        expected
    )


@given(queries)
@settings(max_examples=400, deadline=None)
def test_tantivy_accepts_every_rendered_query(tantivy_index: Any, text: str) -> None:
    parsed = parse(text)
    for options in ({}, {"field": "body", "tag_field": "tags"}):
        expression = to_tantivy(parsed, **options)
        if expression:
            _tantivy_ids(tantivy_index, expression)  # raises ValueError on bad syntax
        else:
            assert parsed.is_empty or parsed.tags
