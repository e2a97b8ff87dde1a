"""Backgrounds the other pictures stand on: wooden tables, linen, marble, terrazzo, and a wall
meeting a table or floor with window light falling across it."""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

from redleaf.demo.drawing.base import RGB, Canvas, Point, ellipse_box, hex_rgb, jitter, mix, shade

WOODS = [hex_rgb(h) for h in ("d8b68c", "b98a5e", "e4d6c2", "8a6246", "c99f72")]
LINENS = [hex_rgb(h) for h in ("efe6da", "e7dccf", "dfe6e1", "f1e1dc", "e4e0ea", "f3ead2")]
PASTELS = [
    hex_rgb(h) for h in ("f4dcd6", "e4dcf0", "d9e8e0", "f5e6cc", "dce7f2", "f2d4dc", "e8e2d6")
]


def wood(c: Canvas, rng: random.Random, tone: RGB | None = None) -> RGB:
    base = tone or rng.choice(WOODS)
    vertical = rng.random() < 0.5
    length, across = (c.h, c.w) if vertical else (c.w, c.h)
    position = 0.0
    while position < across:
        plank = c.s(rng.uniform(0.14, 0.22))
        colour = shade(base, rng.uniform(0.9, 1.06))  # planks differ in light, not in hue
        box = (
            [position, 0, position + plank, length]
            if vertical
            else [0, position, length, position + plank]
        )
        c.draw.rectangle(box, fill=colour)
        grain = shade(colour, 0.82)
        for _ in range(rng.randint(7, 12)):  # grain: long wavy lines
            offset = rng.uniform(0.05, 0.95) * plank
            amplitude, period = c.s(rng.uniform(0.002, 0.01)), c.s(rng.uniform(0.2, 0.6))
            phase = rng.uniform(0, math.tau)
            line = []
            for i in range(0, 41):
                along = length * i / 40
                wobble = math.sin(along / period * math.tau + phase) * amplitude
                line.append(
                    (position + offset + wobble, along)
                    if vertical
                    else (along, position + offset + wobble)
                )
            c.draw.line(line, fill=(*grain, rng.randint(30, 70)), width=max(1, round(c.s(0.002))))
        if rng.random() < 0.25:  # a knot
            kx = position + plank / 2 if vertical else c.x(rng.random())
            ky = c.y(rng.random()) if vertical else position + plank / 2
            for ring in range(3):
                r = c.s(0.012) * (ring + 1)
                c.draw.ellipse(
                    [kx - r * 0.6, ky - r, kx + r * 0.6, ky + r]
                    if vertical
                    else [kx - r, ky - r * 0.6, kx + r, ky + r * 0.6],
                    outline=(*shade(colour, 0.7), 70),
                    width=max(1, round(c.s(0.002))),
                )
        gap = (
            [position, 0, position + c.s(0.003), length]
            if vertical
            else [0, position, length, position + c.s(0.003)]
        )
        c.draw.rectangle(gap, fill=(*shade(base, 0.55), 160))
        position += plank
    return base


def linen(c: Canvas, rng: random.Random, colour: RGB | None = None, check: bool = False) -> RGB:
    base = colour or rng.choice(LINENS)
    c.draw.rectangle([0, 0, c.w, c.h], fill=base)
    if check:  # a gingham cloth
        stripe = c.s(0.06)
        tint = rng.choice([hex_rgb("c9574f"), hex_rgb("5b7fb0"), hex_rgb("6f9a6b")])
        for i in range(int(max(c.w, c.h) / stripe) + 1):
            if i % 2 == 0:
                c.draw.rectangle([i * stripe, 0, (i + 1) * stripe, c.h], fill=(*tint, 70))
                c.draw.rectangle([0, i * stripe, c.w, (i + 1) * stripe], fill=(*tint, 70))
    step = max(3, round(c.s(0.004)))
    dark = (*shade(base, 0.9), 30)
    for y in range(0, c.h, step * 2):  # the weave
        c.draw.line([(0, y), (c.w, y)], fill=dark, width=1)
    for x in range(0, c.w, step * 2):
        c.draw.line([(x, 0), (x, c.h)], fill=dark, width=1)
    return base


def marble(c: Canvas, rng: random.Random) -> RGB:
    base = jitter(rng, hex_rgb("f1eeea"), 4)
    c.draw.rectangle([0, 0, c.w, c.h], fill=base)
    vein = hex_rgb("9c9a9e")
    for _ in range(rng.randint(4, 7)):
        x, y = c.x(rng.uniform(-0.2, 1.2)), c.y(rng.uniform(-0.1, 0.3))
        angle = rng.uniform(1.0, 2.1)
        path = [(x, y)]
        for _ in range(40):
            angle += rng.uniform(-0.35, 0.35)
            x += math.cos(angle) * c.s(0.04)
            y += math.sin(angle) * c.s(0.04)
            path.append((x, y))

        def blurred(d: ImageDraw.ImageDraw, k: float, path: list[Point] = path) -> None:
            d.line([(px * k, py * k) for px, py in path], fill=255, width=3)

        c.soft(
            blurred,
            vein,
            blur=0.01,
            opacity=0.25,
        )
        c.draw.line(path, fill=(*vein, 70), width=max(1, round(c.s(0.0025))), joint="curve")
    return base


def terrazzo(c: Canvas, rng: random.Random) -> RGB:
    base = jitter(rng, rng.choice([hex_rgb("f0ebe3"), hex_rgb("ece6ea"), hex_rgb("e6ece6")]), 4)
    c.draw.rectangle([0, 0, c.w, c.h], fill=base)
    chips = [hex_rgb(h) for h in ("e59b83", "8fb3a2", "f1c27d", "9aa6c9", "d8c4b6", "6f6a66")]
    for _ in range(int(220 * c.w * c.h / (2000 * 2000))):
        x, y, r = c.x(rng.random()), c.y(rng.random()), c.s(rng.uniform(0.004, 0.016))
        sides = rng.randint(4, 7)
        turn = rng.uniform(0, math.tau)
        c.draw.polygon(
            [
                (
                    x + math.cos(turn + i * math.tau / sides) * r * rng.uniform(0.6, 1.2),
                    y + math.sin(turn + i * math.tau / sides) * r * rng.uniform(0.6, 1.2),
                )
                for i in range(sides)
            ],
            fill=rng.choice(chips),
        )
    return base


def table(
    c: Canvas, rng: random.Random, kinds: tuple[str, ...] = ("wood", "linen", "marble")
) -> RGB:
    kind = rng.choice(kinds)
    if kind == "wood":
        return wood(c, rng)
    if kind == "marble":
        return marble(c, rng)
    if kind == "terrazzo":
        return terrazzo(c, rng)
    return linen(c, rng, check=kind == "gingham")


def window_light(c: Canvas, rng: random.Random, colour: RGB = (255, 248, 232)) -> None:
    """Sunlight through a window: soft, slanted bright panes across everything drawn so far."""
    slant = c.s(rng.uniform(0.2, 0.5))
    left = c.x(rng.uniform(-0.1, 0.4))
    pane = c.s(rng.uniform(0.14, 0.2))
    bar = c.s(0.025)

    def shape(d: ImageDraw.ImageDraw, k: float) -> None:
        for i in range(2):
            x0 = left + i * (pane + bar)
            d.polygon(
                [
                    (x0 * k, 0),
                    ((x0 + pane) * k, 0),
                    ((x0 + pane + slant) * k, c.h * k),
                    ((x0 + slant) * k, c.h * k),
                ],
                fill=255,
            )

    c.soft(shape, colour, blur=0.02, opacity=0.2, last=True)


def room(c: Canvas, rng: random.Random, horizon: float, wall: RGB | None = None) -> tuple[RGB, RGB]:
    """A pastel wall meeting a table top or floor at `horizon` (a fraction of the height)."""
    wall = wall or rng.choice(PASTELS)
    top = mix(wall, (255, 255, 255), 0.25)
    c.paste_gradient([(0, shade(wall, 0.96)), (1, top)], top=0, bottom=horizon)
    ground = shade(mix(wall, hex_rgb("eadbc4"), 0.6), 0.95)
    c.paste_gradient([(0, shade(ground, 0.92)), (1, ground)], top=horizon, bottom=1)
    c.draw.line([(0, c.y(horizon)), (c.w, c.y(horizon))], fill=(*shade(ground, 0.8), 120), width=2)
    return wall, ground


def sprig(c: Canvas, rng: random.Random, x: float, y: float, length: float, angle: float) -> None:
    """A eucalyptus sprig: a thin stem with round grey-green leaves."""
    leaf = rng.choice([hex_rgb("9fb6a3"), hex_rgb("8aa58f"), hex_rgb("b4c4a8")])
    points = [(x, y)]
    for _ in range(12):
        angle += rng.uniform(-0.08, 0.08)
        x += math.cos(angle) * length / 12
        y += math.sin(angle) * length / 12
        points.append((x, y))
    c.draw.line(points, fill=shade(leaf, 0.6), width=max(2, round(c.s(0.004))), joint="curve")
    for i, (px, py) in enumerate(points[1:], start=1):
        r = c.s(0.022) * (1 - i / 16)
        for side in (-1, 1):
            nx = px + math.cos(angle + side * 1.2) * r * 1.1
            ny = py + math.sin(angle + side * 1.2) * r * 1.1
            c.draw.ellipse(ellipse_box(nx, ny, r), fill=jitter(rng, leaf, 8))
