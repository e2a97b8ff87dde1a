"""The ct2 engine on the tiny random Marian models of tests/fixtures (made by
tests/fixtures/make_tiny_marian.py): real CTranslate2, sentencepiece and OpenCC, no mocks.
Random weights translate into nonsense, so the tests compare the engine with itself: in a
batch or alone, split by the engine or by hand, traditional or simplified."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
from pathlib import Path

import opencc
import pytest
from click.testing import CliRunner

from redleaf.translation.cli import translation
from redleaf.translation.engines.base import EngineError, UnsupportedPair
from redleaf.translation.engines.ct2 import Ct2Engine
from redleaf.translation.engines.ct2_model import (
    MANIFEST_NAME,
    ModelManifest,
    file_sha256,
    read_manifest,
    scan_models,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EN_ZH = FIXTURES / "tiny-marian-en-zh"
ZH_EN = FIXTURES / "tiny-marian-zh-en"

ENGLISH = [
    "I had hotpot in Chengdu last night.",
    "Where did you buy that bag?",
    "The kids loved the zoo.",
    "This soup tastes like home.",
    "We walked along the river at sunset.",
]
CHINESE = [
    "我昨晚在成都吃了火锅。",
    "你在哪里买的那个包？",
    "孩子们很喜欢动物园。",
    "这碗汤有家的味道。",
]


@pytest.fixture
def engine() -> Ct2Engine:
    return Ct2Engine({("en", "zh-Hans"): EN_ZH, ("zh-Hans", "en"): ZH_EN}, threads=1)


async def texts(engine: Ct2Engine, segments: list[str], source: str, target: str) -> list[str]:
    return [output.text for output in await engine.translate(segments, source, target)]


def copy_model(source: Path, tmp_path: Path, name: str = "model") -> Path:
    destination = tmp_path / name
    shutil.copytree(source, destination)
    return destination


async def test_batch_keeps_count_and_order(engine: Ct2Engine) -> None:
    segments = [ENGLISH[0], "", ENGLISH[1], "   ", *ENGLISH[2:]]
    batch = await texts(engine, segments, "en", "zh-Hans")

    alone = [(await texts(engine, [segment], "en", "zh-Hans"))[0] for segment in segments]
    assert batch == alone
    assert batch[1] == "" and batch[3] == "   "
    assert all(batch[i] for i in (0, 2, 4, 5, 6))
    assert len(set(batch)) > 3  # the outputs depend on the input


async def test_multi_sentence_segments_are_split_and_joined(engine: Ct2Engine) -> None:
    english = " ".join(ENGLISH[:3])
    [whole] = await texts(engine, [english], "en", "zh-Hans")
    parts = await texts(engine, ENGLISH[:3], "en", "zh-Hans")
    assert whole == "".join(parts)  # no space between Chinese sentences

    chinese = "".join(CHINESE[:3])
    [whole] = await texts(engine, [chinese], "zh-Hans", "en")
    parts = await texts(engine, CHINESE[:3], "zh-Hans", "en")
    assert whole == " ".join(parts)


async def test_lines_and_surrounding_space_survive(engine: Ct2Engine) -> None:
    [text] = await texts(engine, [f"  {ENGLISH[0]}\n\n{ENGLISH[1]} "], "en", "zh-Hans")
    first, second = await texts(engine, ENGLISH[:2], "en", "zh-Hans")
    assert text == f"  {first}\n\n{second} "


@pytest.mark.parametrize("max_input_tokens", [16, 512])
async def test_long_sentences_are_cut_not_refused(max_input_tokens: int) -> None:
    # 1,000 words: far beyond the 512 positions a Marian model knows.
    engine = Ct2Engine({("en", "zh-Hans"): EN_ZH}, max_input_tokens=max_input_tokens)
    [text] = await texts(engine, ["and the very small cat " * 200], "en", "zh-Hans")
    assert isinstance(text, str)
    with pytest.raises(ValueError):
        Ct2Engine({("en", "zh-Hans"): EN_ZH}, max_input_tokens=513)


async def test_traditional_chinese_goes_through_the_simplified_model(engine: Ct2Engine) -> None:
    traditional = ["我昨晚在成都吃了火鍋。", "孩子們很喜歡動物園。"]
    assert engine.supports("zh-Hant", "en") and engine.supports("en", "zh-Hant")
    from_traditional = await texts(engine, traditional, "zh-Hant", "en")
    assert from_traditional == await texts(engine, [CHINESE[0], CHINESE[2]], "zh-Hans", "en")

    to_traditional = await texts(engine, ENGLISH, "en", "zh-Hant")
    simplified = await texts(engine, ENGLISH, "en", "zh-Hans")
    assert to_traditional == [opencc.OpenCC("s2t").convert(text) for text in simplified]


async def test_supports_exactly_the_configured_pairs() -> None:
    engine = Ct2Engine({("en", "zh-Hans"): EN_ZH})
    assert engine.supports("en", "zh-Hans")
    assert engine.supports("en", "zh-Hant")
    assert not engine.supports("zh-Hans", "en")
    assert not engine.supports("zh-Hant", "en")
    assert not engine.supports("en", "ja")
    assert not engine.supports("en", "en")
    with pytest.raises(UnsupportedPair):
        await engine.translate(["你好"], "zh-Hans", "en")


async def test_translation_runs_off_the_event_loop(engine: Ct2Engine) -> None:
    ticks = 0
    running = True

    async def tick() -> None:
        nonlocal ticks
        while running:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    before = ticks
    await engine.translate(ENGLISH * 40, "en", "zh-Hans")  # loads the model, then translates
    running = False
    await ticker
    # Had loading or translating run on the loop, the ticker could not have moved meanwhile.
    assert ticks - before > 5


async def test_concurrent_requests_queue_and_agree(engine: Ct2Engine) -> None:
    expected = await texts(engine, ENGLISH, "en", "zh-Hans")
    results = await asyncio.gather(
        *(texts(engine, ENGLISH, "en", "zh-Hans") for _ in range(8)),
        *(texts(engine, CHINESE, "zh-Hans", "en") for _ in range(4)),
    )
    assert all(result == expected for result in results[:8])
    assert len({tuple(result) for result in results[8:]}) == 1


def test_one_engine_serves_several_event_loops() -> None:
    engine = Ct2Engine({("en", "zh-Hans"): EN_ZH})

    async def burst() -> list[list[str]]:
        return await asyncio.gather(*(texts(engine, ENGLISH, "en", "zh-Hans") for _ in range(3)))

    assert asyncio.run(burst()) == asyncio.run(burst())


async def test_missing_model_directory_is_an_engine_error(tmp_path: Path) -> None:
    engine = Ct2Engine({("en", "zh-Hans"): tmp_path / "nowhere"})
    assert engine.supports("en", "zh-Hans")
    with pytest.raises(EngineError) as caught:
        await engine.translate(ENGLISH, "en", "zh-Hans")
    assert not isinstance(caught.value, UnsupportedPair)


@pytest.mark.parametrize("damaged", ["model.bin", "source.spm", "target.spm"])
async def test_corrupt_model_files_are_an_engine_error(tmp_path: Path, damaged: str) -> None:
    model = copy_model(EN_ZH, tmp_path)
    (model / damaged).write_bytes(b"not a model at all")
    engine = Ct2Engine({("en", "zh-Hans"): model})
    with pytest.raises(EngineError):
        await engine.translate(ENGLISH, "en", "zh-Hans")


async def test_malformed_manifest_is_an_engine_error(tmp_path: Path) -> None:
    model = copy_model(EN_ZH, tmp_path)
    (model / MANIFEST_NAME).write_text("{not json")
    engine = Ct2Engine({("en", "zh-Hans"): model})
    with pytest.raises(EngineError):
        await engine.translate(ENGLISH, "en", "zh-Hans")


async def test_from_directory_finds_each_direction(tmp_path: Path) -> None:
    engine = Ct2Engine.from_directory(FIXTURES, threads=1)
    assert engine is not None
    assert engine.pairs == [("en", "zh-Hans"), ("zh-Hans", "en")]
    assert await texts(engine, ENGLISH, "en", "zh-Hans")

    copy_model(EN_ZH, tmp_path, "a-en-zh")
    copy_model(EN_ZH, tmp_path, "b-en-zh-again")  # a second model for one direction: skipped
    broken = copy_model(ZH_EN, tmp_path, "c-broken")
    (broken / MANIFEST_NAME).write_text("[]")
    (tmp_path / "not-a-model").mkdir()
    assert scan_models(tmp_path) == {("en", "zh-Hans"): tmp_path / "a-en-zh"}
    assert Ct2Engine.from_directory(tmp_path / "not-a-model") is None
    assert Ct2Engine.from_directory(tmp_path / "missing") is None


def test_version_follows_the_model(tmp_path: Path) -> None:
    model = copy_model(EN_ZH, tmp_path)
    version = Ct2Engine({("en", "zh-Hans"): model}).version
    assert version == Ct2Engine({("en", "zh-Hans"): model}).version
    assert version != Ct2Engine({("en", "zh-Hans"): model}, beam_size=4).version
    assert version != Ct2Engine({("en", "zh-Hans"): model, ("zh-Hans", "en"): ZH_EN}).version

    # A re-import writes a new model.bin and, with it, a new hash in the manifest.
    manifest = json.loads((model / MANIFEST_NAME).read_text())
    manifest["model_sha256"] = "0" * 64
    (model / MANIFEST_NAME).write_text(json.dumps(manifest))
    reimported = Ct2Engine({("en", "zh-Hans"): model}).version
    assert reimported != version

    # Without a manifest, model.bin's size and mtime stand in for the hash.
    (model / MANIFEST_NAME).unlink()
    bare = Ct2Engine({("en", "zh-Hans"): model}).version
    stat = (model / "model.bin").stat()
    os.utime(model / "model.bin", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert Ct2Engine({("en", "zh-Hans"): model}).version not in {bare, reimported, version}


def test_fixture_manifests_describe_their_models() -> None:
    for directory, pair in ((EN_ZH, ("en", "zh-Hans")), (ZH_EN, ("zh-Hans", "en"))):
        manifest = read_manifest(directory)
        assert isinstance(manifest, ModelManifest)
        assert (manifest.source, manifest.target) == pair
        assert manifest.model_sha256 == file_sha256(directory / "model.bin")
        assert manifest.quantization == "int8"


async def test_aclose_then_translate_loads_again(engine: Ct2Engine) -> None:
    first = await texts(engine, ENGLISH, "en", "zh-Hans")
    await engine.aclose()
    assert await texts(engine, ENGLISH, "en", "zh-Hans") == first


def _hugging_face_like(tmp_path: Path) -> Path:
    """A directory that passes import-model's checks (it is never converted here)."""
    folder = tmp_path / "opus-mt-en-zh"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (folder / "vocab.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"")
    for name in ("source.spm", "target.spm"):
        shutil.copyfile(EN_ZH / name, folder / name)
    return folder


@pytest.mark.skipif(
    importlib.util.find_spec("transformers") is not None, reason="the [mt] extra is installed"
)
def test_import_model_without_the_extra_says_how_to_get_it(tmp_path: Path) -> None:
    source = _hugging_face_like(tmp_path)
    result = CliRunner().invoke(
        translation, ["import-model", str(source), "--to", str(tmp_path / "out")]
    )
    assert result.exit_code == 2, result.output
    assert "pip install 'redleaf[mt]'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_import_model_refuses_what_is_not_marian(tmp_path: Path) -> None:
    source = _hugging_face_like(tmp_path)
    (source / "config.json").write_text(json.dumps({"model_type": "bert"}))
    result = CliRunner().invoke(
        translation, ["import-model", str(source), "--to", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "not Marian" in result.output


def test_import_model_will_not_overwrite_an_unrelated_folder(tmp_path: Path) -> None:
    source = _hugging_face_like(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    arguments = ["import-model", str(source), "--to", str(tmp_path / "out")]
    result = CliRunner().invoke(translation, arguments)
    assert result.exit_code == 1 and "--force" in result.output
    result = CliRunner().invoke(translation, [*arguments, "--force"])
    assert result.exit_code == 1 and "refusing" in result.output
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"
