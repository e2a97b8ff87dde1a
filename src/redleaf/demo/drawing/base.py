"""Drawing primitives for the demo pictures: a supersampled canvas, colour arithmetic, gradients,
soft shadows, glows and grain. Pillow only.

Shapes are drawn at twice the output size and scaled down once at the end, which gives clean
antialiased edges that ImageDraw alone does not. Blurs (shadows, glows) run on a small copy of
their mask and are scaled up: a blur that wide looks the same and costs a fraction.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]

SUPERSAMPLE = 2


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """`a` at t=0, `b` at t=1."""
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(colour: RGB, factor: float) -> RGB:
    """Darker below 1, lighter (towards white) above 1."""
    if factor <= 1:
        return mix((0, 0, 0), colour, factor)
    return mix(colour, (255, 255, 255), factor - 1)


def jitter(rng: random.Random, colour: RGB, amount: int = 12) -> RGB:
    return (
        max(0, min(255, colour[0] + rng.randint(-amount, amount))),
        max(0, min(255, colour[1] + rng.randint(-amount, amount))),
        max(0, min(255, colour[2] + rng.randint(-amount, amount))),
    )


def rgba(colour: RGB, alpha: int) -> tuple[int, int, int, int]:
    return (colour[0], colour[1], colour[2], alpha)


def gradient_colour(stops: Sequence[tuple[float, RGB]], t: float) -> RGB:
    if t <= stops[0][0]:
        return stops[0][1]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if t <= p1:
            return mix(c0, c1, (t - p0) / (p1 - p0) if p1 > p0 else 1.0)
    return stops[-1][1]


def vertical_gradient(size: tuple[int, int], stops: Sequence[tuple[float, RGB]]) -> Image.Image:
    """A top-to-bottom gradient through colour stops at positions 0..1."""
    steps = 256
    strip = Image.new("RGB", (1, steps))
    strip.putdata([gradient_colour(stops, i / (steps - 1)) for i in range(steps)])
    # Smooth down the column, then copied across: ten times cheaper than a 2-D bilinear.
    column = strip.resize((1, size[1]), Image.Resampling.BILINEAR)
    return column.resize(size, Image.Resampling.NEAREST)


def ridge(rng: random.Random, points: int, roughness: float) -> list[float]:
    """A mountain ridge by midpoint displacement: `points` heights around 0 (2**k + 1 long)."""
    size = 1
    while size + 1 < points:
        size *= 2
    values = [0.0] * (size + 1)
    values[0], values[size] = rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)
    step, scale = size, 1.0
    while step > 1:
        half = step // 2
        for start in range(0, size, step):
            middle = (values[start] + values[start + step]) / 2
            values[start + half] = middle + rng.uniform(-scale, scale)
        step, scale = half, scale * roughness
    return values


def waves(rng: random.Random, count: int) -> Callable[[float], float]:
    """A smooth random function of x in 0..1 with values around -1..1 (a sum of sines)."""
    terms = [
        (rng.uniform(0.4, 1.0) / (k + 1), rng.uniform(1.0, 3.0) * (k + 1), rng.uniform(0, 6.3))
        for k in range(count)
    ]
    total = sum(a for a, _, _ in terms)

    def value(x: float) -> float:
        return sum(a * math.sin(f * x * math.tau + p) for a, f, p in terms) / total

    return value


class Canvas:
    """An RGB picture being drawn at SUPERSAMPLE times its output size. Coordinates passed to the
    helpers are fractions of the width (`x`) and height (`y`), or of the shorter side (`s`)."""

    def __init__(self, width: int, height: int, background: RGB = (240, 236, 230)) -> None:
        self.out_size = (width, height)
        self.w = width * SUPERSAMPLE
        self.h = height * SUPERSAMPLE
        self.image = Image.new("RGB", (self.w, self.h), background)
        self.draw = ImageDraw.Draw(self.image, "RGBA")
        self.vignette_strength = 0.0
        self._overlays: list[
            tuple[Callable[[ImageDraw.ImageDraw, float], None], RGB, float, float]
        ] = []

    # --- coordinates ----------------------------------------------------------------------------

    def x(self, fraction: float) -> float:
        return fraction * self.w

    def y(self, fraction: float) -> float:
        return fraction * self.h

    def s(self, fraction: float) -> float:
        return fraction * min(self.w, self.h)

    @property
    def portrait(self) -> float:
        """How much taller than wide the picture is (1.0 square, 1.33 for 3:4)."""
        return self.h / self.w

    # --- layers ---------------------------------------------------------------------------------

    def paste_gradient(self, stops: Sequence[tuple[float, RGB]], top: float = 0, bottom: float = 1):
        y0, y1 = round(self.y(top)), round(self.y(bottom))
        if y1 > y0:
            self.image.paste(vertical_gradient((self.w, y1 - y0), stops), (0, y0))

    def fill_with_mask(self, colour: RGB, mask: Image.Image, opacity: float = 1.0) -> None:
        """Colour the canvas through a full-size L mask (255 = full colour)."""
        box = mask.getbbox()
        if box is None:
            return
        mask = mask.crop(box)
        if opacity < 1:
            mask = mask.point(lambda v: round(v * opacity))
        self.image.paste(colour, box[:2], mask)

    def new_mask(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        mask = Image.new("L", (self.w, self.h), 0)
        return mask, ImageDraw.Draw(mask)

    def soft(
        self,
        shape: Callable[[ImageDraw.ImageDraw, float], None],
        colour: RGB,
        *,
        blur: float,
        opacity: float,
        factor: int = 8,
        last: bool = False,
    ) -> None:
        """A blurred shape (a shadow, a glow, a haze): `shape(draw, scale)` draws on a mask
        `factor` times smaller, where every coordinate must be multiplied by `scale`.

        `last=True` lays it over the finished picture instead, at the output size: four times
        fewer pixels for a light falling across everything."""
        if last:
            self._overlays.append((shape, colour, blur, opacity))
            return
        _soft_onto(self.image, shape, colour, self.s(blur), opacity, factor, 1.0)

    def shadow_ellipse(
        self,
        box: Sequence[float],
        *,
        blur: float = 0.02,
        opacity: float = 0.35,
        colour: RGB = (40, 30, 25),
    ) -> None:
        self.soft(
            lambda d, k: d.ellipse([v * k for v in box], fill=255),
            colour,
            blur=blur,
            opacity=opacity,
        )

    def shadow_polygon(
        self,
        points: Sequence[Point],
        *,
        blur: float = 0.02,
        opacity: float = 0.3,
        colour: RGB = (40, 30, 25),
    ) -> None:
        self.soft(
            lambda d, k: d.polygon([(px * k, py * k) for px, py in points], fill=255),
            colour,
            blur=blur,
            opacity=opacity,
        )

    def shadow_rounded(
        self,
        box: Sequence[float],
        radius: float,
        *,
        blur: float = 0.02,
        opacity: float = 0.3,
        colour: RGB = (40, 30, 25),
    ) -> None:
        self.soft(
            lambda d, k: d.rounded_rectangle([v * k for v in box], radius * k, fill=255),
            colour,
            blur=blur,
            opacity=opacity,
        )

    def glow(self, cx: float, cy: float, radius: float, colour: RGB, opacity: float = 0.6) -> None:
        """A soft radial light: full at the centre, fading to nothing at `radius` pixels."""
        size = max(2, round(radius * 2))
        ramp = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
        ramp = ramp.point(lambda v: round(max(0.0, 1 - v / 180) ** 2 * 255 * opacity))
        self.image.paste(colour, (round(cx - radius), round(cy - radius)), ramp)

    def radial_shade(
        self, box: Sequence[float], inner: RGB, outer: RGB, *, power: float = 1.6
    ) -> None:
        """An ellipse filled from `inner` at its centre to `outer` at its rim (a bowl, a sauce)."""
        x0, y0, x1, y1 = (round(v) for v in box)
        size = (max(2, x1 - x0), max(2, y1 - y0))
        ramp = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
        ramp = ramp.point(lambda v: round(min(1.0, (v / 181) ** power) * 255))
        fill = Image.composite(Image.new("RGB", size, outer), Image.new("RGB", size, inner), ramp)
        shape = Image.new("L", size, 0)
        ImageDraw.Draw(shape).ellipse([0, 0, size[0] - 1, size[1] - 1], fill=255)
        self.image.paste(fill, (x0, y0), shape)

    def layer(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        """A transparent layer the size of the canvas, to draw something that is then rotated
        or composited as a whole (see `place`)."""
        layer = Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))
        return layer, ImageDraw.Draw(layer)

    def place(self, layer: Image.Image, *, angle: float = 0, centre: Point | None = None) -> None:
        """Composite a layer onto the canvas, rotated by `angle` degrees around `centre`."""
        if angle:
            layer = layer.rotate(
                angle, resample=Image.Resampling.BICUBIC, center=centre, expand=False
            )
        self.image.paste(layer, (0, 0), layer)

    # --- finishing -------------------------------------------------------------------------------

    def vignette(self, strength: float = 0.25) -> None:
        """Darken the corners a little (applied at the output size, when finishing)."""
        self.vignette_strength = strength

    def finish(self, rng: random.Random, grain: float = 3.0) -> Image.Image:
        """Scale down to the output size (antialiasing every edge), darken the corners and add a
        little film grain."""
        image = self.image.reduce(SUPERSAMPLE)
        for shape, colour, blur, opacity in self._overlays:
            _soft_onto(
                image, shape, colour, self.s(blur) / SUPERSAMPLE, opacity, 4, 1 / SUPERSAMPLE
            )
        if self.vignette_strength > 0:
            strength = self.vignette_strength
            ramp = Image.radial_gradient("L").resize(image.size, Image.Resampling.BILINEAR)
            ramp = ramp.point(lambda v: round(max(0.0, (v - 110) / 80) ** 1.5 * 255 * strength))
            image.paste((20, 16, 24), (0, 0), ramp)
        if grain > 0:
            tile = _grain_tile(round(grain))
            noise = Image.new("RGB", image.size)
            # Shifted by a random offset so neighbouring pictures do not share a pattern.
            dx, dy = rng.randrange(_TILE), rng.randrange(_TILE)
            for top in range(-dy, image.size[1], _TILE):
                for left in range(-dx, image.size[0], _TILE):
                    noise.paste(tile, (left, top))
            image = ImageChops.add(image, noise, scale=1.0, offset=-128)
        return image


def _soft_onto(
    image: Image.Image,
    shape: Callable[[ImageDraw.ImageDraw, float], None],
    colour: RGB,
    blur_px: float,
    opacity: float,
    factor: int,
    coord_scale: float,
) -> None:
    """Draw `shape` on a mask `factor` times smaller than `image`, blur it, and colour the
    region it covers. `coord_scale` maps the shape's canvas coordinates onto `image`."""
    small = (max(1, image.width // factor), max(1, image.height // factor))
    mask = Image.new("L", small, 0)
    shape(ImageDraw.Draw(mask), coord_scale / factor)
    mask = mask.filter(ImageFilter.GaussianBlur(max(0.5, blur_px / factor)))
    if opacity < 1:
        mask = mask.point(lambda v: round(v * opacity))
    box = mask.getbbox()
    if box is None:
        return
    # Only the region the blurred shape covers is scaled up and pasted.
    region = mask.crop(box).resize(
        ((box[2] - box[0]) * factor, (box[3] - box[1]) * factor), Image.Resampling.BILINEAR
    )
    image.paste(colour, (box[0] * factor, box[1] * factor), region)


_TILE = 256
_tiles: dict[int, Image.Image] = {}


def _grain_tile(sigma: int) -> Image.Image:
    """A tile of grey Gaussian noise around 128, from a fixed seed (Pillow's own effect_noise
    cannot be seeded, and the pictures must be the same on every run)."""
    if sigma not in _tiles:
        rng = random.Random(sigma)
        values = [max(0, min(255, round(rng.gauss(128, sigma)))) for _ in range(_TILE * _TILE)]
        tile = Image.new("L", (_TILE, _TILE))
        tile.putdata(values)
        _tiles[sigma] = tile.convert("RGB")
    return _tiles[sigma]


def polygon_path(points: Sequence[Point]) -> list[Point]:
    return [(float(px), float(py)) for px, py in points]


def ellipse_box(cx: float, cy: float, rx: float, ry: float | None = None) -> list[float]:
    return [
        cx - rx,
        cy - (ry if ry is not None else rx),
        cx + rx,
        cy + (ry if ry is not None else rx),
    ]


def rotate_points(points: Sequence[Point], angle_deg: float, centre: Point) -> list[Point]:
    angle = math.radians(angle_deg)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = centre
    return [
        (cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos)
        for px, py in points
    ]


def blob(
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    angle: float = 0.0,
    *,
    squareness: float = 2.0,
    points: int = 36,
) -> list[Point]:
    """An ellipse (squareness 2) or a rounded rectangle (4 and up) as a polygon, turned by
    `angle` degrees, so it can be rotated where ImageDraw's ellipse cannot."""
    outline: list[Point] = []
    power = 2 / squareness
    for i in range(points):
        t = math.tau * i / points
        cos, sin = math.cos(t), math.sin(t)
        outline.append(
            (
                cx + rx * math.copysign(abs(cos) ** power, cos),
                cy + ry * math.copysign(abs(sin) ** power, sin),
            )
        )
    return rotate_points(outline, angle, (cx, cy)) if angle else outline
