"""Compiled matchers: the term automaton, vetted patterns and domain lists."""

from __future__ import annotations

import re

import pytest

from redleaf.moderation.matchers import (
    DomainIndex,
    PatternRejected,
    TermAutomaton,
    compile_pattern,
    find_hosts,
    normalize_domain,
    normalize_term,
    required_literal,
)
from redleaf.moderation.normalize import prepare


def _automaton(*terms: str, leet: bool = False) -> TermAutomaton:
    automaton = TermAutomaton()
    for position, term in enumerate(terms):
        automaton.add(normalize_term(term, leet), position)
    return automaton.build()


def _found(automaton: TermAutomaton, text: str, leet: bool = False) -> list[str]:
    prepared = prepare(text)
    return [
        hit.term
        for hit in automaton.scan(prepared.leet if leet else prepared.strict, prepared.seams)
    ]


ABUSE = _automaton("ass", "fuck", "cunt", "傻逼", "傻b", "crypto", "crypto giveaway")


@pytest.mark.parametrize(
    "text",
    [
        "Ｆｕｃｋ this",
        "f.u.c.k",
        "f u c k off",
        "fսck",
        "fuсk",
        "FUCK!",
        "what the fück",
        "傻 逼",
        "你个傻😀逼",
        "傻B一个",
        "stupid-ass",
        "咦fuck",
    ],
)
def test_evasions_are_caught(text: str) -> None:
    assert _found(ABUSE, text)


@pytest.mark.parametrize(
    "text", ["class", "Scunthorpe", "assassin", "passing grass", "fuckingham", "massive"]
)
def test_no_hits_inside_words(text: str) -> None:
    assert _found(ABUSE, text) == []


def test_overlapping_terms_are_all_reported_with_positions() -> None:
    hits = ABUSE.scan(prepare("crypto giveaway now").strict)
    assert [(hit.term, hit.start, hit.end) for hit in hits] == [
        ("crypto", 0, 6),
        ("crypto giveaway", 0, 15),
    ]
    assert hits[1].payload == (6,)


def test_chinese_terms_match_as_substrings() -> None:
    assert _found(ABUSE, "你真是个傻逼啊") == ["傻逼"]
    assert _found(ABUSE, "說你傻逼") == ["傻逼"]


def test_leet_terms_read_digits_as_letters() -> None:
    leet = _automaton("shit", "asshole", leet=True)
    assert _found(leet, "what a 5h1t day", leet=True) == ["shit"]
    assert _found(leet, "@ssh0le", leet=True) == ["asshole"]
    assert _found(leet, "I paid $5 for 2", leet=True) == []


def test_a_term_added_twice_keeps_both_payloads_and_bounded_differs() -> None:
    automaton = TermAutomaton()
    automaton.add("spam", 1)
    automaton.add("spam", 2)
    automaton.add("spam", -1, bounded=False)
    automaton.build()
    assert [hit.payload for hit in automaton.scan("spam")] == [(1, 2), (-1,)]
    assert [hit.payload for hit in automaton.scan("nospamhere")] == [(-1,)]


def test_scan_before_build_raises() -> None:
    with pytest.raises(RuntimeError):
        TermAutomaton().scan("text")


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(a|aa)*b",
        r"(\w)\1",
        r"(?:foo|bar)+",
        r".*a.*b.*c",
        "(",
        "x" * 600,
        r"a*b*c*d*e",
    ],
)
def test_dangerous_or_broken_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(PatternRejected) as refused:
        compile_pattern(pattern)
    assert refused.value.msgid


@pytest.mark.parametrize(
    "pattern", [r"\d{11}", r"wx[:：]? ?[a-z0-9_-]{5,20}", r"(?:\d{3}-){2}\d{4}", r"\bfree\b"]
)
def test_ordinary_patterns_compile(pattern: str) -> None:
    assert isinstance(compile_pattern(pattern), re.Pattern)


def test_required_literal() -> None:
    assert required_literal(re.compile(r"\bpromo ?code\d+")) == "promo"
    assert required_literal(re.compile(r"(?i)HELLO\s+x")) == "hello"
    assert required_literal(re.compile(r"ab|cd")) is None


def test_hosts_found_in_links_and_bare_domains() -> None:
    text = "see https://a.b.Evil.com/x, x.cn/abc, me@mail.com, ｅｖｉｌ．ｃｎ and 3.14 or e.g. this"
    assert find_hosts(text) == ["a.b.evil.com", "x.cn", "evil.cn"]
    assert find_hosts("no links here") == []


def test_domains_match_the_host_or_a_parent() -> None:
    index = DomainIndex([("evil.com", "rule-a"), ("https://www.Spam.example/path", "rule-b")])
    assert normalize_domain("https://WWW.Spam.example:8080/x") == "spam.example"
    assert index.lookup(["a.b.evil.com"]) == [("a.b.evil.com", "evil.com", "rule-a")]
    assert index.lookup(["spam.example"]) == [("spam.example", "spam.example", "rule-b")]
    assert index.lookup(["notevil.com", "evil.com.cn"]) == []
    anything = DomainIndex([("*", "links")])
    assert anything.lookup(["x.cn"]) == [("x.cn", "*", "links")]
