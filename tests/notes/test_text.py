"""Reading #tags, @mentions and a first language guess out of what members type."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redleaf.notes.text import fold_tag, hashtags, mentions


def test_tags_in_both_languages_folded_in_order() -> None:
    body = "去 #成都# 吃火锅 #OOTD and #ootd，#旅行 email a#b #Ｃａｆé"
    assert hashtags(body) == ["成都", "ootd", "旅行", "café"]


def test_mentions_skip_email_addresses() -> None:
    assert mentions("hi @Lily and @jake_2, write me@example.com (@mei)") == [
        "lily",
        "jake_2",
        "mei",
    ]


@given(st.text(max_size=300))
def test_any_text_reads_without_error(text: str) -> None:
    tags = hashtags(text)
    assert len(tags) == len(set(tags))
    assert all(tag == fold_tag(tag) and tag for tag in tags)
    assert all(name == name.lower() for name in mentions(text))
