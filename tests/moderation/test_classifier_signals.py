from __future__ import annotations

import pytest

from redleaf.moderation.classifiers.signals import (
    BurstCounter,
    burst_score,
    find_links,
    link_domain,
    link_spam,
    mention_spam,
)


def test_links_with_and_without_scheme_are_found() -> None:
    text = "see https://example.com/a and bit.ly/xyz, mail me@example.com"
    assert find_links(text) == ["https://example.com/a", "bit.ly/xyz"]
    assert link_domain("https://www.Example.com:443/a?b") == "example.com"


def test_one_ordinary_link_is_not_spam_but_a_shortener_is_suspicious() -> None:
    assert link_spam("Full recipe: https://example.com/hotpot").score == 0.5
    assert link_spam("Full recipe in my notes, cook it tonight!").score == 0.0
    shortened = link_spam("Free followers here bit.ly/freefollows123 hurry up please")
    assert shortened.shortener_links == 1 and shortened.score >= 0.6


def test_dense_and_repeated_links_score_one() -> None:
    repeated = link_spam("deals https://x.shop/a https://x.shop/a https://x.shop/a")
    assert repeated.most_repeated == 3 and repeated.score == 1.0
    dense = link_spam("a https://a.com b https://b.com c https://c.com")
    assert dense.links == 3 and dense.links_per_100_chars > 2 and dense.score == 1.0
    assert 0 < dense.link_share < 1


def test_custom_shortener_list() -> None:
    assert link_spam("look t.cn/abc", shorteners={"t.cn"}).shortener_links == 1
    assert link_spam("look t.cn/abc", shorteners=()).shortener_links == 0


def test_mentions() -> None:
    assert mention_spam("thanks @amy and @bob!").score == 0.0
    many = mention_spam(" ".join(f"@user{i}" for i in range(10)) + " @user1")
    assert (many.mentions, many.distinct, many.score) == (11, 10, 1.0)
    assert mention_spam("@a @b @c @d @e", free=3, limit=5).score == pytest.approx(1.0)


def test_burst_counter_slides_its_window() -> None:
    counter = BurstCounter(limit=3, window=10)
    assert counter.record("amy", now=0) == pytest.approx(1 / 3)
    counter.record("amy", now=1)
    assert counter.record("amy", now=2) == 1.0
    assert counter.record("bob", now=2) == pytest.approx(1 / 3)
    assert counter.count("amy", now=10.5) == 2  # the post at 0 left the window
    assert counter.count("amy", now=100) == 0
    assert burst_score(10, 3) == 1.0 and burst_score(1, 0) == 0.0


def test_burst_counter_forgets_idle_authors_beyond_its_bound() -> None:
    counter = BurstCounter(limit=5, window=60, max_authors=2)
    for author in ["a", "b", "c"]:
        counter.record(author, now=0)
    assert len(counter) == 2 and counter.count("a", now=1) == 0
