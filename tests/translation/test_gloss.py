"""The dictionary-gloss engine on real sentences, with the real CC-CEDICT of the package.

The dictionary is read once, by the `engine` fixture (module scope); every other test reuses it.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from redleaf.translation import cedict
from redleaf.translation.engines.base import Engine, UnsupportedPair
from redleaf.translation.engines.gloss import PLACEHOLDER_PATTERN, GlossEngine, to_simplified
from redleaf.translation.pinyin import numbered_to_marks


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gloss-cache")


@pytest.fixture(scope="module")
def engine(cache_dir: Path) -> GlossEngine:
    engine = GlossEngine(cache_dir=cache_dir)
    engine.dictionary()
    return engine


def zh_en(engine: GlossEngine, text: str, source: str = "zh-Hans"):
    return engine.translate_sync([text], source, "en")[0]


def en_zh(engine: GlossEngine, text: str, target: str = "zh-Hans"):
    return engine.translate_sync([text], "en", target)[0]


# --- pinyin (no dictionary needed) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbered", "marked"),
    [
        ("tian1 qi4", "tiānqì"),
        ("lu:4", "lǜ"),
        ("nu:3 er2", "nǚ'ér"),
        ("er2", "ér"),
        ("Xi1 an1", "Xī'ān"),
        ("yi1 hui4 r5", "yīhuìr"),
        ("hao3", "hǎo"),
        ("xiu4", "xiù"),  # last vowel of "iu"
        ("gui4", "guì"),  # last vowel of "ui"
        ("dou1", "dōu"),  # "o" of "ou"
        ("le5", "le"),  # neutral tone
        ("Cheng2 du1", "Chéngdū"),
        ("san1 C", "sānC"),  # Latin letters stay as they are
    ],
)
def test_numbered_pinyin_to_tone_marks(numbered: str, marked: str) -> None:
    assert numbered_to_marks(numbered) == marked


# --- the engine's shape ------------------------------------------------------------------------


def test_engine_protocol_and_pairs() -> None:
    engine: Engine = GlossEngine()  # constructing reads nothing
    assert (engine.name, engine.kind) == ("gloss", "gloss")
    assert engine.version.startswith("cedict-2020-12-21")
    assert engine.supports("zh-Hans", "en") and engine.supports("zh-Hant", "en")
    assert engine.supports("en", "zh-Hans") and engine.supports("en", "zh-Hant")
    assert not engine.supports("en", "fr") and not engine.supports("zh-Hans", "zh-Hant")


async def test_unsupported_pair_raises() -> None:
    with pytest.raises(UnsupportedPair):
        await GlossEngine().translate(["bonjour"], "fr", "en")


def test_placeholder_pattern_is_the_entities_form() -> None:
    assert re.fullmatch(PLACEHOLDER_PATTERN, "⦃0⦄")
    assert re.fullmatch(PLACEHOLDER_PATTERN, "⦃12⦄")


def test_built_index_is_cached(engine: GlossEngine, cache_dir: Path) -> None:
    path = cedict.cache_file(cache_dir)
    assert path.exists() and path.stat().st_size > 1_000_000


# --- Chinese → English -------------------------------------------------------------------------


def test_simple_sentence(engine: GlossEngine) -> None:
    output = zh_en(engine, "今天天气很好")
    assert output.text == "today weather very good"
    assert [w.text for w in output.glosses] == ["今天", "天气", "很", "好"]
    weather = output.glosses[1]
    assert weather.reading == "tiānqì"
    assert weather.senses[0] == "weather"


def test_sentence_with_particles(engine: GlossEngine) -> None:
    output = zh_en(engine, "成都的火锅太好吃了")
    assert [w.text for w in output.glosses] == ["成都", "的", "火锅", "太", "好吃", "了"]
    assert output.text == "Chengdu of hotpot too tasty"  # 了 only marks grammar
    chengdu = output.glosses[0]
    assert chengdu.reading == "Chéngdū"
    assert len(chengdu.senses) <= 3


def test_traditional_input_glossed_as_simplified_and_shown_as_written(
    engine: GlossEngine,
) -> None:
    output = zh_en(engine, "今天天氣很好", source="zh-Hant")
    assert output.text == "today weather very good"
    assert [w.text for w in output.glosses] == ["今天", "天氣", "很", "好"]


def test_tone_marks_on_u_umlaut_and_er(engine: GlossEngine) -> None:
    output = zh_en(engine, "女儿喜欢绿色")
    readings = {w.text: w.reading for w in output.glosses}
    assert readings["女儿"] == "nǚ'ér"
    assert readings["绿色"] == "lǜsè"
    assert output.text == "daughter like green"


def test_senses_are_short_and_clean(engine: GlossEngine) -> None:
    output = zh_en(engine, "丈夫")  # CEDICT: /husband/CL:個|个[ge4]/
    assert output.text == "husband"
    assert output.glosses[0].senses == ("husband",)


def test_punctuation_newlines_and_latin(engine: GlossEngine) -> None:
    output = zh_en(engine, "OOTD 今天，天气很好！\n我爱你。")
    assert output.text == "OOTD today, weather very good!\nI love you."


def test_placeholders_pass_through(engine: GlossEngine) -> None:
    output = zh_en(engine, "我爱⦃0⦄和⦃12⦄")
    assert output.text == "I love ⦃0⦄ and ⦃12⦄"
    assert [w.text for w in output.glosses] == ["我", "爱", "和"]


def test_unknown_characters_pass_through(engine: GlossEngine) -> None:
    words = engine.dictionary().words
    unknown = next(
        char
        for char in map(chr, range(0x4E00, 0x9FFF))
        if char not in words and to_simplified(char) not in words
    )
    output = zh_en(engine, f"我{unknown}你")
    assert output.text == f"I {unknown} you"
    assert output.glosses[1].text == unknown and output.glosses[1].senses == ()


# --- English → Chinese -------------------------------------------------------------------------


def test_phrase_before_words(engine: GlossEngine) -> None:
    output = en_zh(engine, "I love hot pot")
    assert output.text == "我爱火锅"
    assert [(w.text, w.senses) for w in output.glosses] == [
        ("I", ("我",)),
        ("love", ("爱",)),
        ("hot pot", ("火锅",)),
    ]
    assert output.glosses[2].reading == "huǒguō"
    assert en_zh(engine, "ice cream").text in {"冰激凌", "冰淇淋"}


def test_common_words_win(engine: GlossEngine) -> None:
    assert en_zh(engine, "the weather is nice today").text == "天气是好今天"


def test_inflections(engine: GlossEngine) -> None:
    assert en_zh(engine, "My friends loved cities").text == "我的朋友爱城市"
    assert en_zh(engine, "We went shopping").text == "我们去购物"


def test_traditional_target(engine: GlossEngine) -> None:
    output = en_zh(engine, "I love hot pot", target="zh-Hant")
    assert output.text == "我愛火鍋"
    assert output.glosses[1].senses == ("愛",)


def test_english_placeholders_unknown_words_and_punctuation(engine: GlossEngine) -> None:
    output = en_zh(engine, "I love ⦃3⦄ and blorptastic tea, really!")
    assert output.text == "我爱 ⦃3⦄ 和 blorptastic 茶，真！"


# --- async -------------------------------------------------------------------------------------


async def test_translate_runs_off_the_event_loop(engine: GlossEngine) -> None:
    """While a large batch is glossed, the event loop keeps running other tasks."""
    ticks = 0
    done = False

    async def ticker() -> None:
        nonlocal ticks
        while not done:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    ticks_before = ticks
    outputs = await engine.translate(["成都的火锅太好吃了"] * 1000, "zh-Hans", "en")
    done = True
    await task
    assert len(outputs) == 1000 and outputs[0].text == "Chengdu of hotpot too tasty"
    assert ticks - ticks_before > 3
