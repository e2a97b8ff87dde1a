"""Language detection: scripts, lingua for Latin text, mixed text as spans, "und" for too little."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redleaf.translation import detect as detection
from redleaf.translation.detect import Detection, Span, detect, detect_lang, warm_up
from redleaf.translation.langs import CONTENT_LANGUAGES, UNDETERMINED


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # Loads lingua's models once (about 3 s), the way the app does at start.
    warm_up()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Had the best brunch downtown today, the pancakes were amazing!", "en"),
        ("今天和朋友去吃了火锅，味道真的很不错", "zh-Hans"),
        ("今天和朋友去吃了火鍋，味道真的很不錯", "zh-Hant"),
        ("今日は友達と渋谷で買い物をしました", "ja"),
        ("오늘 친구들과 맛있는 저녁을 먹었어요", "ko"),
        ("Nous avons passé une journée magnifique au bord de la mer", "fr"),
        ("Wir waren heute im Park und das Wetter war wunderbar", "de"),
        ("Hoy fuimos a la playa y el agua estaba perfecta", "es"),
        ("Oggi siamo andati al mare con tutta la famiglia", "it"),
        ("Hoje fomos à praia e a água estava uma delícia", "pt"),
        ("Vandaag zijn we met de hele familie naar het strand gegaan", "nl"),
        ("Сегодня мы ходили в парк, и погода была чудесной", "ru"),
    ],
)
def test_sentences_of_each_language(text: str, lang: str) -> None:
    result = detect(text)
    assert result.lang == lang
    assert result.spans == (Span(0, len(text.rstrip("!")), lang),)
    assert detect_lang(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # OpenCC's standard s2t rewrites 吃 (-> 喫) although Taiwan writes 吃: not evidence.
        ("吃飯了嗎", "zh-Hant"),
        ("吃饭了吗", "zh-Hans"),
        # Only characters both forms share: simplified, the community's default.
        ("我们", "zh-Hans"),
        ("我在北京", "zh-Hans"),
        # Kana makes the Han characters around it Japanese.
        ("東京に行きました", "ja"),
        ("東京 Tower に行った", "ja"),
        # Tag words carry language; the # does not.
        ("#成都美食 #火锅", "zh-Hans"),
    ],
)
def test_scripts_decide(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "OOTD 今天的穿搭 so cute",
            [("OOTD", "en"), ("今天的穿搭", "zh-Hans"), ("so cute", "en")],
        ),
        (
            "去了 Central Park 好开心",
            [("去了", "zh-Hans"), ("Central Park", "en"), ("好开心", "zh-Hans")],
        ),
        (
            "I love 火锅 so much",
            [("I love", "en"), ("火锅", "zh-Hans"), ("so much", "en")],
        ),
        (
            "Finally tried the famous hotpot place.\n終於吃到了這家火鍋！",
            [("Finally tried the famous hotpot place", "en"), ("終於吃到了這家火鍋", "zh-Hant")],
        ),
    ],
)
def test_mixed_text_is_split_into_spans(text: str, expected: list[tuple[str, str]]) -> None:
    spans = detect(text).spans
    assert [(text[span.start : span.end], span.lang) for span in spans] == expected


def test_the_language_with_most_weight_wins() -> None:
    # A CJK character and a Latin word weigh one unit each.
    assert detect_lang("OOTD 今天的穿搭 so cute") == "zh-Hans"  # 5 characters, 3 words
    assert detect_lang("去了 Central Park 好开心") == "zh-Hans"  # 5 characters, 2 words
    assert detect_lang("I love 火锅 so much") == "en"  # 2 characters, 4 words


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😍😍😍",
        "👨‍👩‍👧🇨🇳1️⃣",
        "!!!",
        "？？？。。。",
        "12 3.5 1,000 50%",
        "ok",
        "Happy",  # one word
        "I love",  # two words, five letters
        "好",  # one character
        "https://example.com/some/long/english/words",
        "www.xiaohongshu.com/explore/today",
        "@amy_1 @bob",
        "c'est la vie",  # lingua cannot choose between French and Spanish
    ],
)
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_lang(text) == UNDETERMINED


def test_entities_do_not_count_but_the_words_around_them_do() -> None:
    text = "@amy look https://example.com/a 😍 we had the best time"
    result = detect(text)
    assert result.lang == "en"
    assert result.spans == (Span(text.index("look"), len(text), "en"),)  # the URL inside


def test_undetermined_letters_still_make_a_span() -> None:
    assert detect("ok 👍").spans == (Span(0, 2, UNDETERMINED),)
    assert detect("😍😍").spans == ()


def test_thresholds_are_named() -> None:
    assert detection.MIN_CJK_CHARS == 2
    assert detect_lang("好" * detection.MIN_CJK_CHARS) == "zh-Hans"
    assert detect_lang("好" * (detection.MIN_CJK_CHARS - 1)) == UNDETERMINED


def test_detector_is_built_once_across_threads() -> None:
    seen: list[object] = []
    threads = [
        threading.Thread(target=lambda: seen.append(detection._detector())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(built) for built in seen}) == 1


_WORDS = ["so", "cute", "hotpot", "today", "今天", "好吃", "東京", "です", "오늘", "день", "été"]
_OTHER = ["#", "@amy", "https://example.com/x", "😍", "👍🏽", "12", "3.5", "!", "。", " ", "\n"]


def _check(text: str, result: Detection) -> None:
    assert result.lang == UNDETERMINED or result.lang in CONTENT_LANGUAGES
    previous_end = 0
    for span in result.spans:
        assert 0 <= previous_end <= span.start < span.end <= len(text)
        assert span.lang == UNDETERMINED or span.lang in CONTENT_LANGUAGES
        previous_end = span.end


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check(text, detect(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _OTHER), max_size=30).map("".join))
def test_never_raises_on_mixes(text: str) -> None:
    _check(text, detect(text))
