"""Pictures for the demo notes, drawn by code so that no photograph is downloaded or shipped.

`picture("hotpot", seed=7, aspect="3:4", width=720)` draws one scene; the same scene, seed, aspect
and width always give the same pixels. `jpeg(...)` returns it encoded, as a phone would upload it.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image

from redleaf.demo.drawing import beauty, city, food, life, travel
from redleaf.demo.drawing.base import Canvas

Scene = Callable[[Canvas, random.Random], None]

SCENES: dict[str, Scene] = {
    **travel.SCENES,
    **food.SCENES,
    **beauty.SCENES,
    **city.SCENES,
    **life.SCENES,
}

# Which scenes suit a note on each topic.
TOPIC_SCENES: dict[str, tuple[str, ...]] = {
    "travel": ("mountains", "pagoda", "seaside", "torii", "skyline", "hillside_town", "blossom"),
    "food": ("hotpot", "noodles", "dumplings", "latte", "cake", "brunch"),
    "skincare": ("lineup", "flatlay", "swatches"),
    "city": ("street", "cafe", "bicycle", "lanterns", "skyline"),
    "fashion": ("rack", "outfit"),
    "fitness": ("yoga",),
    "home": ("living_room", "desk"),
}

# Width : height. Phones shoot 3:4 portraits mostly; the grid shows each at its own shape.
ASPECTS: dict[str, tuple[int, int]] = {"3:4": (3, 4), "1:1": (1, 1), "4:3": (4, 3)}


def size_for(aspect: str, width: int) -> tuple[int, int]:
    across, down = ASPECTS[aspect]
    return width, round(width * down / across)


def picture(scene: str, seed: int, *, aspect: str = "3:4", width: int = 720) -> Image.Image:
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r}")
    if aspect not in ASPECTS:
        raise ValueError(f"unknown aspect {aspect!r}")
    rng = random.Random(f"{scene}:{seed}")
    canvas = Canvas(*size_for(aspect, width))
    SCENES[scene](canvas, rng)
    image = canvas.finish(rng)
    # No picture has writing in it, so a mirror image is as good and doubles the variety.
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return image


def jpeg(
    scene: str, seed: int, *, aspect: str = "3:4", width: int = 720, quality: int = 88
) -> bytes:
    buffer = io.BytesIO()
    picture(scene, seed, aspect=aspect, width=width).save(
        buffer, "JPEG", quality=quality, optimize=True, progressive=True
    )
    return buffer.getvalue()


__all__ = ["ASPECTS", "SCENES", "TOPIC_SCENES", "jpeg", "picture", "size_for"]
