"""Reading #tags, @mentions and a first language guess out of what members type."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redleaf.notes.text import fold_tag, guess_language, hashtags, mentions


def test_tags_in_both_languages_folded_in_order() -> None:
    body = "去 #成都# 吃火锅 #OOTD and #ootd，#旅行 email a#b #Ｃａｆé"
    assert hashtags(body) == ["成都", "ootd", "旅行", "café"]


def test_mentions_skip_email_addresses() -> None:
    assert mentions("hi @Lily and @jake_2, write me@example.com (@mei)") == [
        "lily",
        "jake_2",
        "mei",
    ]


def test_language_guess_leaves_short_and_emoji_text_undetermined() -> None:
    assert guess_language("成都的火锅真好吃") == "zh"
    assert guess_language("The best hotpot in town") == "en"
    assert guess_language("今日はいい天気ですね") == "ja"
    assert guess_language("오늘 날씨 좋네요") == "ko"
    assert guess_language("😀🔥") == "und"
    assert guess_language("ok") == "und"


@given(st.text(max_size=300))
def test_any_text_reads_without_error(text: str) -> None:
    tags = hashtags(text)
    assert len(tags) == len(set(tags))
    assert all(tag == fold_tag(tag) and tag for tag in tags)
    assert all(name == name.lower() for name in mentions(text))
    assert guess_language(text) in {"zh", "ja", "ko", "en", "und"}
