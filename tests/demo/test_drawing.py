"""The demo pictures: valid JPEGs of the asked size and shape, the same for the same seed, and
actually pictures (not a flat colour)."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image, ImageStat

from redleaf.demo import drawing

ASPECTS = itertools.cycle(drawing.ASPECTS)
CASES = [(scene, next(ASPECTS)) for scene in drawing.SCENES]


@pytest.mark.parametrize(("scene", "aspect"), CASES)
def test_every_scene_is_a_jpeg_of_the_asked_size(scene: str, aspect: str) -> None:
    data = drawing.jpeg(scene, seed=3, aspect=aspect, width=160)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == drawing.size_for(aspect, 160)
    assert image.mode == "RGB"
    image.load()
    # Something was drawn: the picture varies across its pixels.
    assert max(ImageStat.Stat(image.convert("L")).stddev) > 8


def test_sizes_follow_phone_aspect_ratios() -> None:
    assert drawing.size_for("3:4", 720) == (720, 960)
    assert drawing.size_for("1:1", 720) == (720, 720)
    assert drawing.size_for("4:3", 720) == (720, 540)


def test_the_same_seed_draws_the_same_picture() -> None:
    first = drawing.jpeg("hotpot", seed=11, width=200)
    assert drawing.jpeg("hotpot", seed=11, width=200) == first
    assert drawing.jpeg("hotpot", seed=12, width=200) != first


def test_scenes_of_one_kind_differ_between_seeds() -> None:
    pictures = [drawing.picture("mountains", seed, width=120).tobytes() for seed in range(4)]
    assert len(set(pictures)) == 4


def test_unknown_scene_or_aspect_is_refused() -> None:
    with pytest.raises(ValueError, match="scene"):
        drawing.picture("volcano", 1)
    with pytest.raises(ValueError, match="aspect"):
        drawing.picture("cake", 1, aspect="16:9")


def test_every_topic_has_scenes_that_exist() -> None:
    assert set(drawing.TOPIC_SCENES) == {
        "travel",
        "food",
        "skincare",
        "city",
        "fashion",
        "fitness",
        "home",
    }
    for scenes in drawing.TOPIC_SCENES.values():
        assert scenes
        assert set(scenes) <= set(drawing.SCENES)
