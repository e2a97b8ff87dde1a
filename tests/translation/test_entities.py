"""Entities survive translation: masking, restoring, and engines that mangle placeholders."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redleaf.translation.entities import (
    PLACEHOLDER_PATTERN,
    Masked,
    mask,
    needs_engine,
    restore,
)


def _entities_of(masked: Masked) -> list[list[str]]:
    return [[entity.text for entity in line] for line in masked.entities]


def test_each_kind_of_entity_is_masked() -> None:
    text = "OOTD #成都美食 @amy_1 https://example.com/a?b=1 😍 3天 50% 1,000 3.5"
    masked = mask(text)
    assert masked.segments == ("OOTD ⦃0⦄ ⦃1⦄ ⦃2⦄ ⦃3⦄ ⦃4⦄天 ⦃5⦄ ⦃6⦄ ⦃7⦄",)
    assert _entities_of(masked) == [
        ["#成都美食", "@amy_1", "https://example.com/a?b=1", "😍", "3", "50%", "1,000", "3.5"]
    ]


@pytest.mark.parametrize(
    "emoji",
    ["👨‍👩‍👧", "👍🏽", "🇨🇳", "1️⃣", "#️⃣", "❤️", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "👩🏻‍💻", "✨"],
)
def test_an_emoji_sequence_is_one_entity(emoji: str) -> None:
    masked = mask(f"so cute {emoji} today")
    assert masked.segments == ("so cute ⦃0⦄ today",)
    assert _entities_of(masked) == [[emoji]]


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("mail me@example.com now", "mail me@example.com now"),  # no mention inside an address
        ("I code in C# daily", "I code in C# daily"),  # no tag inside a word
        ("the 2nd iPhone15 in 3C", "the 2nd iPhone15 in 3C"),  # numbers glued to words
        ("see https://example.com/a.", "see ⦃0⦄."),  # the full stop ends the sentence
        ("#旅行#今天出发", "⦃0⦄今天出发"),  # RedNote's closing #
        ("(www.example.com)", "(⦃0⦄)"),
    ],
)
def test_entity_boundaries(text: str, segment: str) -> None:
    assert mask(text).segments == (segment,)


def test_layout_comes_back_exactly() -> None:
    text = "  first line  \n\n\t\nsecond 😍\r\n   \nthird"
    masked = mask(text)
    assert masked.segments == ("first line", "second ⦃0⦄", "third")
    translated = ["première ligne", "deuxième ⦃0⦄", "troisième"]
    assert restore(masked, translated) == "  première ligne  \n\n\t\ndeuxième 😍\r\n   \ntroisième"


def test_an_entities_only_segment_needs_no_engine() -> None:
    masked = mask("今天好开心\n#ootd 😍 @amy\n!!! 12")
    assert [needs_engine(segment) for segment in masked.segments] == [True, False, False]
    assert restore(masked, masked.segments) == "今天好开心\n#ootd 😍 @amy\n!!! 12"


def test_placeholder_pattern_is_the_shared_form() -> None:
    assert PLACEHOLDER_PATTERN.fullmatch("⦃12⦄")
    assert PLACEHOLDER_PATTERN.findall(mask("a 😍 b 🎉").segments[0]) == ["0", "1"]


def test_typed_brackets_are_not_mistaken_for_placeholders() -> None:
    text = "I typed ⦃0⦄ and ⦃ and ⦄ 😍"
    masked = mask(text)
    assert restore(masked, masked.segments) == text
    assert restore(masked, [masked.segments[0].upper()]) == "I TYPED ⦃0⦄ AND ⦃ AND ⦄ 😍"


@pytest.mark.parametrize(
    ("engine_output", "restored"),
    [
        ("I love ⦃ 0 ⦄ so much ⦃1⦄", "I love #火锅 so much 😍"),  # spaces inside
        ("I love ⦃０⦄ so much ⦃１⦄", "I love #火锅 so much 😍"),  # full-width digits
        ("I love so much ⦃1⦄", "I love so much 😍 #火锅"),  # dropped: appended to its line
        ("I love ⦃0⦄ ⦃0⦄ so much ⦃1⦄", "I love #火锅 so much 😍"),  # duplicated: first kept
        ("I love ⦃0⦄ ⦃7⦄ so much ⦃1⦄", "I love #火锅 so much 😍"),  # invented: removed
        ("I love⦃0⦄so much⦃1⦄", "I love#火锅so much😍"),  # glued in English: as the engine gave
        ("", "#火锅 😍"),  # an empty answer still returns every entity
    ],
)
def test_restore_survives_what_engines_do(engine_output: str, restored: str) -> None:
    masked = mask("我超爱#火锅 😍")
    assert masked.segments == ("我超爱⦃0⦄ ⦃1⦄",)
    assert restore(masked, [engine_output]) == restored


def test_no_spaces_between_an_entity_and_chinese() -> None:
    masked = mask("去了🎉好开心 see @amy")
    assert masked.segments == ("去了⦃0⦄好开心 see ⦃1⦄",)
    # Neural MT spaces placeholders; Chinese does not, unless the source did.
    assert restore(masked, ["去了 ⦃0⦄ 好开心，见 ⦃1⦄ 。"]) == "去了🎉好开心，见 @amy。"


def test_an_engine_line_break_does_not_change_the_layout() -> None:
    masked = mask("one\ntwo")
    assert restore(masked, ["un\ndeux", "trois"]) == "un deux\ntrois"


def test_segment_count_must_match() -> None:
    with pytest.raises(ValueError, match="expected 2 segments"):
        restore(mask("one\ntwo"), ["un"])


def test_protected_spans_come_back_as_their_replacements() -> None:
    text = "今天的OOTD真的YYDS #OOTD"
    protected = [(3, 7, "outfit of the day"), (9, 13, "the GOAT"), (15, 19, "never")]
    masked = mask(text, protected)
    # The term inside the hashtag is not replaced: the tag comes back as it was.
    assert masked.segments == ("今天的⦃0⦄真的⦃1⦄ ⦃2⦄",)
    assert restore(masked, masked.segments) == "今天的outfit of the day真的the GOAT #OOTD"
    assert restore(masked, ["Today's ⦃0⦄ is truly ⦃1⦄ ⦃2⦄"]) == (
        "Today's outfit of the day is truly the GOAT #OOTD"
    )


def test_protected_spans_must_lie_inside_one_line() -> None:
    with pytest.raises(ValueError):
        mask("abc", [(2, 9, "x")])
    with pytest.raises(ValueError):
        mask("ab\ncd", [(1, 4, "x")])


# --- properties ------------------------------------------------------------------------------

_HASHTAGS = ["#ootd", "#成都美食", "#火锅#", "#旅行2024"]
_MENTIONS = ["@amy", "@bob_99"]
_URLS = ["https://example.com/a?b=1", "www.xiaohongshu.com/explore", "http://x.cn/%E8%B7%AF"]
_EMOJI = ["😍", "👍🏽", "👨‍👩‍👧", "🇨🇳", "1️⃣", "❤️", "✨"]
_NUMBERS = ["12", "3.5", "1,000", "50%"]
_ENTITIES = _HASHTAGS + _MENTIONS + _URLS + _EMOJI + _NUMBERS
_WORDS = ["so", "cute", "hotpot", "love", "the", "今天", "好吃", "火锅", "穿搭", "真的"]
_SEPARATORS = [" ", "  ", "\n", "\n\n", " \n  ", "\t"]

_mixes = st.lists(
    st.tuples(st.sampled_from(_WORDS + _ENTITIES), st.sampled_from(_SEPARATORS)),
    max_size=25,
).map(lambda pairs: "".join(token + separator for token, separator in pairs))


@settings(max_examples=200, deadline=None)
@given(_mixes)
def test_unchanged_segments_restore_the_text_exactly(text: str) -> None:
    masked = mask(text)
    assert all("\n" not in segment for segment in masked.segments)
    assert restore(masked, masked.segments) == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_restores_exactly(text: str) -> None:
    masked = mask(text)
    assert restore(masked, masked.segments) == text


def _hostile_engine(segments: Sequence[str]) -> list[str]:
    """Uppercases words, reverses their order, spaces placeholders and drops the first one."""
    out = []
    for segment in segments:
        words = [word.upper() for word in reversed(segment.split())]
        spaced = re.sub(r"⦃\d+⦄", lambda m: f"  {m.group()}  ", " ".join(words))
        out.append(PLACEHOLDER_PATTERN.sub("", spaced, count=1))
    return out


@settings(max_examples=200, deadline=None)
@given(_mixes)
def test_entities_survive_a_hostile_engine(text: str) -> None:
    masked = mask(text)
    restored = restore(masked, _hostile_engine(masked.segments))
    for entity in set(_ENTITIES):
        assert restored.count(entity) == text.count(entity), entity
    assert restored.count("\n") == text.count("\n")


@settings(max_examples=200, deadline=None)
@given(_mixes, st.data())
def test_restore_never_raises_on_any_engine_output(text: str, data: st.DataObject) -> None:
    masked = mask(text)
    noise = st.text(alphabet=st.sampled_from(list("⦃⦄0１2 \n\t好aB#😍")), max_size=20)
    outputs = data.draw(
        st.lists(noise, min_size=len(masked.segments), max_size=len(masked.segments))
    )
    restored = restore(masked, outputs)
    assert restored.count("\n") == text.count("\n")
    for line in masked.entities:
        for entity in line:
            assert entity.text in restored
