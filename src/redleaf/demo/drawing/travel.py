"""Travel pictures: mountains at sunset, the sea, a pagoda, a torii in the water, a skyline over a
river, a pastel hillside town with its tram, and blossom against the sky."""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

from redleaf.demo.drawing.base import (
    RGB,
    Canvas,
    Point,
    ellipse_box,
    hex_rgb,
    jitter,
    mix,
    ridge,
    shade,
    waves,
)

SKIES: list[list[tuple[float, RGB]]] = [
    [(0, hex_rgb("8fa6c9")), (0.55, hex_rgb("e9b8b0")), (1, hex_rgb("f7d9b8"))],  # dawn
    [(0, hex_rgb("6c8fbf")), (0.5, hex_rgb("f0b98a")), (1, hex_rgb("fbe3b4"))],  # golden hour
    [
        (0, hex_rgb("3d3f6e")),
        (0.45, hex_rgb("9a6a8e")),
        (0.8, hex_rgb("e99a7c")),
        (1, hex_rgb("f5c48f")),
    ],
    [(0, hex_rgb("7fb6e0")), (1, hex_rgb("e4f0f4"))],  # clear day
    [(0, hex_rgb("aab8c6")), (1, hex_rgb("eceee6"))],  # mist
]
# The near colour of the land under each sky, darkest in front.
LANDS = [
    hex_rgb("4b5a74"),
    hex_rgb("5b4a5e"),
    hex_rgb("2e2740"),
    hex_rgb("3f6b5a"),
    hex_rgb("55676b"),
]
SUN = hex_rgb("fff3d6")
Point3 = tuple[float, float, float]


def _sky(c: Canvas, rng: random.Random) -> tuple[int, list[tuple[float, RGB]]]:
    index = rng.randrange(len(SKIES))
    stops = SKIES[index]
    c.paste_gradient(stops)
    return index, stops


def _clouds(c: Canvas, rng: random.Random, top: float, bottom: float, tint: RGB) -> None:
    for _ in range(rng.randint(2, 5)):
        cx, cy = c.x(rng.uniform(0.05, 0.95)), c.y(rng.uniform(top, bottom))
        width = c.s(rng.uniform(0.18, 0.4))
        puffs = [
            (
                cx + rng.uniform(-0.5, 0.5) * width,
                cy + rng.uniform(-0.12, 0.05) * width,
                width * rng.uniform(0.16, 0.3),
            )
            for _ in range(rng.randint(4, 7))
        ]

        def shape(d: ImageDraw.ImageDraw, k: float, puffs: list[Point3] = puffs) -> None:
            for px, py, r in puffs:
                d.ellipse(ellipse_box(px * k, py * k, r * k, r * 0.7 * k), fill=255)

        c.soft(shape, tint, blur=0.012, opacity=rng.uniform(0.55, 0.85))


def _ridge_points(
    c: Canvas, rng: random.Random, base: float, amplitude: float, roughness: float
) -> list[Point]:
    heights = ridge(rng, 65, roughness)
    peak = max(abs(v) for v in heights) or 1.0
    step = c.w / (len(heights) - 1)
    return [(i * step, c.y(base) - v / peak * c.y(amplitude)) for i, v in enumerate(heights)]


def _hill_points(c: Canvas, rng: random.Random, base: float, amplitude: float) -> list[Point]:
    wave = waves(rng, 3)
    return [(c.w * i / 48, c.y(base) - wave(i / 48) * c.y(amplitude)) for i in range(49)]


def _height_at(points: list[Point], x: float) -> float:
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * ((x - x0) / (x1 - x0) if x1 > x0 else 0)
    return points[-1][1]


def _fill_below(c: Canvas, points: list[Point], colour: RGB) -> None:
    c.draw.polygon([*points, (c.w, c.h), (0, c.h)], fill=colour)


def _sun(c: Canvas, cx: float, cy: float, radius: float) -> None:
    c.glow(cx, cy, radius * 7, hex_rgb("ffe2b0"), opacity=0.55)
    c.glow(cx, cy, radius * 2.4, hex_rgb("fff0cf"), opacity=0.7)
    c.draw.ellipse(ellipse_box(cx, cy, radius), fill=SUN)


def _pagoda(c: Canvas, x: float, ground: float, height: float, colour: RGB) -> None:
    tiers = 5
    unit = height / (tiers + 1.0)
    base_w = height * 0.3
    c.draw.rectangle([x - base_w * 0.7, ground - unit * 0.2, x + base_w * 0.7, ground], fill=colour)
    y = ground - unit * 0.2
    for tier in range(tiers):
        body_w = base_w * (1 - 0.11 * tier)
        body_h = unit * 0.55
        c.draw.rectangle([x - body_w / 2, y - body_h, x + body_w / 2, y], fill=colour)
        y -= body_h
        roof_w, roof_h, tip = body_w * 1.8, unit * 0.3, unit * 0.17
        c.draw.polygon(
            [
                (x - roof_w / 2, y - tip),  # the upturned corners of the eaves
                (x - roof_w * 0.36, y + roof_h * 0.12),
                (x + roof_w * 0.36, y + roof_h * 0.12),
                (x + roof_w / 2, y - tip),
                (x + body_w * 0.42, y - roof_h),
                (x - body_w * 0.42, y - roof_h),
            ],
            fill=colour,
        )
        y -= roof_h
    spire = unit * 0.9
    c.draw.line([(x, y), (x, y - spire)], fill=colour, width=max(2, round(unit * 0.08)))
    for i in range(3):
        c.draw.ellipse(ellipse_box(x, y - spire * (0.25 + 0.2 * i), unit * 0.07), fill=colour)


def _torii(c: Canvas, x: float, ground: float, height: float, colour: RGB) -> None:
    span = height * 0.95
    post = height * 0.075
    for side in (-1, 1):
        px = x + side * span * 0.36
        c.draw.polygon(
            [
                (px - post / 2 + side * post * 0.25, ground),
                (px + post / 2 + side * post * 0.25, ground),
                (px + post / 2, ground - height * 0.9),
                (px - post / 2, ground - height * 0.9),
            ],
            fill=colour,
        )
    top = ground - height
    c.draw.polygon(
        [
            (x - span * 0.62, top - height * 0.06),
            (x - span * 0.45, top + height * 0.02),
            (x + span * 0.45, top + height * 0.02),
            (x + span * 0.62, top - height * 0.06),
            (x + span * 0.55, top + height * 0.09),
            (x - span * 0.55, top + height * 0.09),
        ],
        fill=colour,
    )
    c.draw.rectangle(
        [x - span * 0.47, top + height * 0.2, x + span * 0.47, top + height * 0.27], fill=colour
    )
    c.draw.rectangle(
        [x - post * 0.4, top + height * 0.09, x + post * 0.4, top + height * 0.2], fill=colour
    )


def _reflect(c: Canvas, waterline: float, tint: RGB, strength: float = 0.35) -> None:
    """Mirror what is above the waterline into the water below, tinted and rippled."""
    from PIL import Image, ImageFilter

    top = round(waterline)
    depth = c.h - top
    if depth <= 0:
        return
    source = c.image.crop((0, max(0, top - depth), c.w, top)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    source = source.resize((c.w // 4, max(1, depth // 4))).filter(ImageFilter.GaussianBlur(1.2))
    source = source.resize((c.w, depth), Image.Resampling.BILINEAR)
    tinted = Image.blend(source, Image.new("RGB", source.size, tint), strength)
    c.image.paste(tinted, (0, top))
    for i in range(int(depth / c.s(0.012))):
        y = top + c.s(0.012) * i + c.s(0.004)
        x0 = c.x(((i * 0.37) % 1.0) * 0.8)
        c.draw.line(
            [(x0, y), (x0 + c.x(0.25), y)], fill=(255, 255, 255, 26), width=round(c.s(0.002)) + 1
        )


def mountains(c: Canvas, rng: random.Random, *, pagoda: bool | None = None) -> None:
    index, stops = _sky(c, rng)
    horizon = rng.uniform(0.52, 0.66)
    haze = stops[-1][1]
    if index in (0, 1, 2):
        _sun(c, c.x(rng.uniform(0.25, 0.75)), c.y(horizon - rng.uniform(0.06, 0.16)), c.s(0.055))
    else:
        _clouds(c, rng, 0.08, horizon - 0.15, (255, 255, 255))
    land = LANDS[index]
    layers = rng.randint(4, 5)
    lake = rng.random() < 0.45
    drawn: list[list[Point]] = []
    with_pagoda = pagoda if pagoda is not None else rng.random() < 0.35
    for i in range(layers):
        depth = (i + 1) / layers
        colour = mix(haze, land, 0.15 + 0.85 * depth**1.4)
        base = horizon + (i * 0.09 if not lake else i * 0.04)
        if i < 2:
            points = _ridge_points(c, rng, base - 0.04, 0.13 - 0.03 * i, 0.55)
        else:
            points = _hill_points(c, rng, base, 0.04)
        _fill_below(c, points, colour)
        drawn.append(points)
        if i == 2 and with_pagoda:  # on the highest hill of the middle range
            middle = [p for p in points if c.x(0.25) <= p[0] <= c.x(0.75)]
            px, py = min(middle, key=lambda p: p[1])
            _pagoda(c, px, py + c.s(0.01), c.y(rng.uniform(0.18, 0.26)), shade(colour, 0.85))
        if i < layers - 1:  # mist settling in front of each range
            y_mist = c.y(base + 0.02)

            def mist(d: ImageDraw.ImageDraw, k: float, y: float = y_mist) -> None:
                d.rectangle([0, (y - c.s(0.04)) * k, c.w * k, (y + c.s(0.03)) * k], fill=255)

            c.soft(mist, haze, blur=0.03, opacity=0.3)
        if lake and i == min(2, layers - 1):
            break
    if lake:
        water_y = max(p[1] for p in drawn[-1]) + c.s(0.005)
        _reflect(c, water_y, mix(haze, hex_rgb("4a6f8a"), 0.4))
    for _ in range(rng.randint(0, 4)):  # a few birds
        bx, by, size = c.x(rng.uniform(0.1, 0.9)), c.y(rng.uniform(0.1, horizon - 0.2)), c.s(0.015)
        c.draw.line(
            [(bx - size, by - size * 0.4), (bx, by), (bx + size, by - size * 0.45)],
            fill=rgba_dark(land),
            width=max(2, round(size * 0.18)),
            joint="curve",
        )
    c.vignette(0.2)


def rgba_dark(colour: RGB) -> tuple[int, int, int, int]:
    dark = shade(colour, 0.7)
    return (dark[0], dark[1], dark[2], 200)


def pagoda(c: Canvas, rng: random.Random) -> None:
    mountains(c, rng, pagoda=True)


def seaside(c: Canvas, rng: random.Random) -> None:
    index, stops = _sky(c, rng)
    horizon = rng.uniform(0.45, 0.58)
    haze = stops[-1][1]
    sun_x = c.x(rng.uniform(0.3, 0.7))
    if index in (0, 1, 2):
        _sun(c, sun_x, c.y(horizon - rng.uniform(0.04, 0.12)), c.s(0.05))
    _clouds(c, rng, 0.06, horizon - 0.12, mix(haze, (255, 255, 255), 0.6))
    sea_far = mix(haze, hex_rgb("5d8fa8"), 0.55)
    sea_near = hex_rgb("2f6f86") if index >= 3 else hex_rgb("4b5d7c")
    if rng.random() < 0.6:  # an island on the horizon
        island = _ridge_points(c, rng, horizon, 0.04, 0.5)
        island = [(x, min(y, c.y(horizon))) for x, y in island]
        start = rng.uniform(-0.2, 0.5)
        island = [(c.x(start) + x * 0.5, y) for x, y in island]
        c.draw.polygon(
            [*island, (island[-1][0], c.y(horizon)), (island[0][0], c.y(horizon))],
            fill=mix(haze, LANDS[index], 0.5),
        )
    c.paste_gradient([(0, sea_far), (1, sea_near)], top=horizon, bottom=1)
    if index in (0, 1, 2):  # the sun's path on the water
        for i in range(60):
            t = i / 60
            y = c.y(horizon + 0.005 + t * (0.82 - horizon))
            half = c.s(0.02 + 0.09 * t) * rng.uniform(0.3, 1.0)
            x = sun_x + rng.uniform(-1, 1) * c.s(0.02) * t
            c.draw.line(
                [(x - half, y), (x + half, y)],
                fill=(255, 236, 200, round(140 * (1 - t))),
                width=round(c.s(0.004)) + 1,
            )
    for i in range(40):  # glints and swell
        y = c.y(horizon + 0.02 + (i / 40) * (0.85 - horizon))
        x = c.x(rng.random())
        c.draw.line(
            [(x, y), (x + c.s(0.05 + 0.1 * i / 40), y)],
            fill=(255, 255, 255, 40),
            width=round(c.s(0.003)) + 1,
        )
    if rng.random() < 0.6:  # a sailing boat
        bx, by, size = (
            c.x(rng.uniform(0.15, 0.85)),
            c.y(horizon + 0.05),
            c.s(rng.uniform(0.05, 0.08)),
        )
        c.draw.polygon(
            [(bx, by - size * 1.6), (bx, by - size * 0.1), (bx + size * 0.9, by - size * 0.1)],
            fill=(250, 246, 238),
        )
        c.draw.polygon(
            [
                (bx - size * 0.1, by - size * 1.3),
                (bx - size * 0.1, by - size * 0.1),
                (bx - size * 0.6, by - size * 0.1),
            ],
            fill=(236, 230, 222),
        )
        c.draw.polygon(
            [
                (bx - size * 0.7, by),
                (bx + size, by),
                (bx + size * 0.8, by + size * 0.2),
                (bx - size * 0.5, by + size * 0.2),
            ],
            fill=shade(sea_near, 0.6),
        )
    shore = rng.uniform(0.8, 0.88)
    wave = waves(rng, 3)
    edge = [(c.w * i / 40, c.y(shore + 0.03 * wave(i / 40))) for i in range(41)]
    sand = hex_rgb("e8d3b0") if index >= 3 else hex_rgb("d9b99a")
    c.draw.polygon(
        [*[(x, y - c.s(0.012)) for x, y in edge], (c.w, c.h), (0, c.h)], fill=shade(sand, 0.8)
    )
    c.draw.polygon([*edge, (c.w, c.h), (0, c.h)], fill=sand)
    c.draw.line(
        [(x, y - c.s(0.012)) for x, y in edge],
        fill=(255, 255, 255, 190),
        width=round(c.s(0.008)),
        joint="curve",
    )
    for _ in range(80):  # sand texture
        x, y = c.x(rng.random()), c.y(rng.uniform(shore + 0.04, 1))
        c.draw.ellipse(ellipse_box(x, y, c.s(0.003)), fill=rgb_alpha(shade(sand, 0.85), 120))
    c.vignette(0.18)


def rgb_alpha(colour: RGB, alpha: int) -> tuple[int, int, int, int]:
    return (colour[0], colour[1], colour[2], alpha)


def torii(c: Canvas, rng: random.Random) -> None:
    index, stops = _sky(c, rng)
    horizon = rng.uniform(0.55, 0.62)
    haze = stops[-1][1]
    if index in (0, 1, 2):
        _sun(c, c.x(rng.uniform(0.2, 0.8)), c.y(horizon - 0.14), c.s(0.05))
    far = _ridge_points(c, rng, horizon - 0.02, 0.08, 0.5)
    _fill_below(c, far, mix(haze, LANDS[index], 0.45))
    c.draw.rectangle([0, c.y(horizon), c.w, c.h], fill=mix(haze, hex_rgb("6f8fa6"), 0.5))
    vermilion = hex_rgb("c8553d") if index in (3, 4) else shade(hex_rgb("8a3b35"), 0.7)
    ground = c.y(horizon + rng.uniform(0.1, 0.16))
    _torii(c, c.x(rng.uniform(0.4, 0.6)), ground, c.y(rng.uniform(0.27, 0.35)), vermilion)
    _reflect(c, ground, mix(haze, hex_rgb("3f6480"), 0.5), strength=0.3)
    c.vignette(0.2)


def skyline(c: Canvas, rng: random.Random) -> None:
    night = rng.random() < 0.5
    stops = (
        [(0, hex_rgb("1c2340")), (0.6, hex_rgb("3a3f6b")), (1, hex_rgb("8a6a8a"))]
        if night
        else SKIES[2]
    )
    c.paste_gradient(stops)
    if night:
        for _ in range(50):
            x, y = c.x(rng.random()), c.y(rng.uniform(0, 0.4))
            c.draw.ellipse(
                ellipse_box(x, y, c.s(0.0025)), fill=(255, 255, 240, rng.randint(80, 200))
            )
        c.glow(c.x(0.78), c.y(0.15), c.s(0.12), hex_rgb("fff3d0"), 0.4)
        c.draw.ellipse(ellipse_box(c.x(0.78), c.y(0.15), c.s(0.035)), fill=(250, 244, 226))
    water = rng.uniform(0.68, 0.76)
    body = hex_rgb("232438") if night else hex_rgb("3b3450")
    back = mix(stops[-1][1], body, 0.72)
    for layer, colour in ((0, back), (1, body)):
        x = -c.s(0.02)
        while x < c.w:
            width = c.s(rng.uniform(0.05, 0.12))
            height = c.y(rng.uniform(0.1, 0.28) if layer else rng.uniform(0.15, 0.36))
            top = c.y(water) - height
            c.draw.rectangle([x, top, x + width, c.y(water)], fill=colour)
            if layer and rng.random() < 0.3:  # a spire or a mast
                c.draw.line(
                    [(x + width / 2, top), (x + width / 2, top - c.s(0.05))],
                    fill=colour,
                    width=round(c.s(0.006)),
                )
            if layer:
                cols, rows = max(2, int(width / c.s(0.018))), max(3, int(height / c.s(0.022)))
                for row in range(rows):
                    for col in range(cols):
                        if rng.random() < (0.45 if night else 0.3):
                            wx = x + width * (col + 0.3) / cols
                            wy = top + height * (row + 0.3) / rows
                            lit = jitter(rng, hex_rgb("ffd48a"), 18)
                            c.draw.rectangle(
                                [wx, wy, wx + width / cols * 0.45, wy + height / rows * 0.4],
                                fill=(*lit, 230),
                            )
            x += width + c.s(rng.uniform(0, 0.01))
    tower_x = c.x(rng.uniform(0.25, 0.75))  # one landmark tower with two spheres
    tower_h = c.y(rng.uniform(0.42, 0.52))
    base_y = c.y(water)
    c.draw.polygon(
        [
            (tower_x - c.s(0.03), base_y),
            (tower_x + c.s(0.03), base_y),
            (tower_x + c.s(0.008), base_y - tower_h),
            (tower_x - c.s(0.008), base_y - tower_h),
        ],
        fill=body,
    )
    pearl = shade(hex_rgb("c46a86"), 0.85 if night else 0.7)
    for frac, r in ((0.33, 0.032), (0.7, 0.022)):
        cy = base_y - tower_h * frac
        c.draw.ellipse(ellipse_box(tower_x, cy, c.s(r)), fill=pearl)
        c.draw.ellipse(
            ellipse_box(tower_x - c.s(r * 0.35), cy - c.s(r * 0.35), c.s(r * 0.3)),
            fill=(255, 220, 230, 110),
        )
    c.draw.line(
        [(tower_x, base_y - tower_h), (tower_x, base_y - tower_h - c.s(0.06))],
        fill=body,
        width=round(c.s(0.006)),
    )
    _reflect(c, base_y, mix(body, hex_rgb("2d3a5c"), 0.5), strength=0.25)
    c.vignette(0.25)


def hillside_town(c: Canvas, rng: random.Random) -> None:
    c.paste_gradient([(0, hex_rgb("7fb3da")), (0.5, hex_rgb("cfe3ee")), (1, hex_rgb("f4efe4"))])
    _clouds(c, rng, 0.05, 0.22, (255, 255, 255))
    walls = [
        hex_rgb(h) for h in ("f3d9a4", "f2c6b8", "bcd6e6", "cfe3cf", "f5efe2", "e6b89c", "d9c6e8")
    ]
    roof = hex_rgb("c06a4c")
    rows = rng.randint(5, 7)
    for row in range(rows):
        t = row / (rows - 1)
        y_base = c.y(0.35 + t * 0.5)
        x = -c.s(rng.uniform(0, 0.08))
        scale = 0.6 + 0.5 * t
        while x < c.w:
            width = c.s(rng.uniform(0.12, 0.2) * scale)
            height = c.s(rng.uniform(0.14, 0.24) * scale)
            slope = (x / c.w - 0.5) * c.s(0.08)  # the hill falls to the right
            bottom = y_base + slope
            colour = jitter(rng, rng.choice(walls), 6)
            c.draw.rectangle([x, bottom - height, x + width, bottom + c.s(0.06)], fill=colour)
            c.draw.polygon(
                [
                    (x - c.s(0.008), bottom - height),
                    (x + width / 2, bottom - height - c.s(0.05) * scale),
                    (x + width + c.s(0.008), bottom - height),
                ],
                fill=jitter(rng, roof, 10),
            )
            floors, cols = rng.randint(2, 3), rng.randint(2, 3)
            for f in range(floors):
                for col in range(cols):
                    wx = x + width * (col + 0.3) / cols
                    wy = bottom - height + height * (f + 0.25) / floors
                    ww, wh = width / cols * 0.4, height / floors * 0.45
                    c.draw.rectangle(
                        [
                            wx - c.s(0.003),
                            wy - c.s(0.003),
                            wx + ww + c.s(0.003),
                            wy + wh + c.s(0.003),
                        ],
                        fill=(255, 255, 255),
                    )
                    c.draw.rectangle(
                        [wx, wy, wx + ww, wy + wh],
                        fill=shade(hex_rgb("5a6f86"), rng.uniform(0.7, 1.1)),
                    )
            x += width
    street = c.y(0.86)
    c.draw.rectangle([0, street, c.w, c.h], fill=hex_rgb("b9aa98"))
    for i in range(12):  # cobbles
        c.draw.line(
            [(0, street + c.s(0.012) * i * 1.6), (c.w, street + c.s(0.012) * i * 1.6)],
            fill=(255, 255, 255, 35),
            width=2,
        )
    if rng.random() < 0.8:  # the yellow tram
        tx, length, tall = c.x(rng.uniform(0.1, 0.4)), c.s(0.5), c.s(0.2)
        top = street - tall + c.s(0.02)
        c.shadow_rounded([tx, street, tx + length, street + c.s(0.03)], c.s(0.01), opacity=0.35)
        c.draw.rounded_rectangle(
            [tx, top, tx + length, street + c.s(0.01)], radius=c.s(0.03), fill=hex_rgb("f2c230")
        )
        c.draw.rectangle(
            [tx, street - c.s(0.05), tx + length, street + c.s(0.01)], fill=hex_rgb("f6f0e0")
        )
        for i in range(5):
            wx = tx + c.s(0.025) + i * (length - c.s(0.05)) / 5
            c.draw.rounded_rectangle(
                [wx, top + c.s(0.03), wx + length / 5 - c.s(0.02), top + tall * 0.45],
                radius=c.s(0.008),
                fill=hex_rgb("45566a"),
            )
        c.draw.line(
            [(tx + length * 0.5, top), (tx + length * 0.6, top - c.s(0.08))],
            fill=(60, 60, 60),
            width=round(c.s(0.004)),
        )
        for wx in (tx + length * 0.2, tx + length * 0.8):
            c.draw.ellipse(ellipse_box(wx, street + c.s(0.012), c.s(0.018)), fill=(50, 50, 55))
    c.vignette(0.15)


def blossom(c: Canvas, rng: random.Random) -> None:
    c.paste_gradient([(0, hex_rgb("8dbbe2")), (1, hex_rgb("eaf2f6"))])
    if rng.random() < 0.5:  # a distant pagoda through the branches
        ground = _hill_points(c, rng, 0.9, 0.03)
        _fill_below(c, ground, hex_rgb("9fb2b8"))
        _pagoda(c, c.x(rng.uniform(0.55, 0.8)), c.y(0.9), c.y(0.3), hex_rgb("8d6a64"))
    bark = hex_rgb("4a3a36")
    petals = [hex_rgb(h) for h in ("f7c6d0", "f4b3c2", "fbe0e6", "eea4b8", "ffffff")]
    tips: list[Point] = []

    def branch(x: float, y: float, angle: float, length: float, width: float, depth: int) -> None:
        x2 = x + math.cos(angle) * length
        y2 = y + math.sin(angle) * length
        c.draw.line([(x, y), (x2, y2)], fill=bark, width=max(2, round(width)))
        c.draw.ellipse(ellipse_box(x2, y2, width / 2), fill=bark)
        if depth == 0:
            tips.append((x2, y2))
            return
        for _ in range(rng.randint(2, 3)):
            branch(
                x2,
                y2,
                angle + rng.uniform(-0.7, 0.7),
                length * rng.uniform(0.6, 0.8),
                width * 0.62,
                depth - 1,
            )

    start_left = rng.random() < 0.5
    origin = (0.0 if start_left else c.w, c.y(rng.uniform(0.1, 0.35)))
    branch(
        origin[0],
        origin[1],
        (0.25 if start_left else math.pi - 0.25) + rng.uniform(-0.2, 0.2),
        c.s(0.3),
        c.s(0.045),
        4,
    )
    for tx, ty in tips:
        c.glow(tx, ty, c.s(0.09), hex_rgb("fbe3ea"), opacity=0.5)
    for tx, ty in tips + tips:
        for _ in range(rng.randint(3, 5)):
            px, py = tx + rng.gauss(0, c.s(0.035)), ty + rng.gauss(0, c.s(0.035))
            r = c.s(rng.uniform(0.011, 0.019))
            colour = rng.choice(petals)
            turn = rng.uniform(0, math.tau)
            for k in range(5):  # five round petals and a darker heart
                a = turn + k * math.tau / 5
                c.draw.ellipse(
                    ellipse_box(px + math.cos(a) * r * 0.55, py + math.sin(a) * r * 0.55, r * 0.55),
                    fill=(*colour, 235),
                )
            c.draw.ellipse(ellipse_box(px, py, r * 0.22), fill=(226, 150, 170, 220))
    for _ in range(30):  # falling petals
        px, py = c.x(rng.random()), c.y(rng.uniform(0.3, 1))
        r = c.s(rng.uniform(0.006, 0.011))
        c.draw.ellipse(
            [px - r, py - r * 0.6, px + r, py + r * 0.6], fill=(*rng.choice(petals), 200)
        )
    c.vignette(0.12)


SCENES = {
    "mountains": mountains,
    "pagoda": pagoda,
    "seaside": seaside,
    "torii": torii,
    "skyline": skyline,
    "hillside_town": hillside_town,
    "blossom": blossom,
}
