"""Skincare and makeup: bottles and jars standing in window light on a pastel shelf, a top-down
flat lay, and swatches of colour with lipsticks."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from redleaf.demo.drawing import surfaces
from redleaf.demo.drawing.base import (
    RGB,
    Canvas,
    blob,
    ellipse_box,
    hex_rgb,
    jitter,
    mix,
    shade,
)

GLASS = [hex_rgb(h) for h in ("c98a4b", "e8b7b0", "b9cfd9", "f2ece4", "cdb8d8", "a9c4a6", "f0d2a8")]
CAPS = [hex_rgb(h) for h in ("d6b46a", "2f2c2e", "f7f5f2", "c7c9cc", "b98d70")]
LABEL = hex_rgb("faf7f2")


def _label(c: Canvas, x0: float, y0: float, x1: float, y1: float, ink: RGB) -> None:
    c.draw.rounded_rectangle([x0, y0, x1, y1], radius=(x1 - x0) * 0.06, fill=LABEL)
    width = x1 - x0
    for i, fraction in enumerate((0.7, 0.45, 0.55)):  # lines standing for the printed text
        y = y0 + (y1 - y0) * (0.3 + i * 0.2)
        thick = max(2, round((y1 - y0) * (0.07 if i == 0 else 0.035)))
        c.draw.line(
            [(x0 + width * 0.15, y), (x0 + width * (0.15 + fraction * 0.7), y)],
            fill=ink,
            width=thick,
        )


def _gloss(c: Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """A soft vertical highlight on the left of glass or plastic."""
    w = x1 - x0
    c.draw.rounded_rectangle(
        [x0 + w * 0.1, y0, x0 + w * 0.2, y1], radius=w * 0.05, fill=(255, 255, 255, 80)
    )
    c.draw.rounded_rectangle(
        [x0 + w * 0.25, y0, x0 + w * 0.28, y1], radius=w * 0.015, fill=(255, 255, 255, 50)
    )


def dropper(c: Canvas, rng: random.Random, x: float, ground: float, h: float, colour: RGB) -> float:
    w = h * 0.42
    body_top = ground - h * 0.58
    c.draw.rounded_rectangle([x - w / 2, body_top, x + w / 2, ground], radius=w * 0.18, fill=colour)
    c.draw.rounded_rectangle(
        [x - w / 2, body_top + h * 0.12, x + w / 2, ground],
        radius=w * 0.18,
        fill=shade(colour, 0.88),
    )
    neck = w * 0.45
    cap = rng.choice(CAPS)
    c.draw.rectangle(
        [x - neck / 2, body_top - h * 0.16, x + neck / 2, body_top + h * 0.01], fill=cap
    )
    c.draw.rounded_rectangle(
        [x - neck * 0.38, ground - h, x + neck * 0.38, body_top - h * 0.12],
        radius=neck * 0.38,
        fill=rng.choice([hex_rgb("2f2c2e"), hex_rgb("f3efe9"), hex_rgb("d9c3b0")]),
    )
    _label(
        c, x - w * 0.36, body_top + h * 0.18, x + w * 0.36, ground - h * 0.08, shade(colour, 0.6)
    )
    _gloss(c, x - w / 2, body_top + h * 0.04, x + w / 2, ground - h * 0.04)
    return w


def pump(c: Canvas, rng: random.Random, x: float, ground: float, h: float, colour: RGB) -> float:
    w = h * 0.36
    top = ground - h * 0.78
    c.draw.rounded_rectangle([x - w / 2, top, x + w / 2, ground], radius=w * 0.2, fill=colour)
    cap = rng.choice(CAPS)
    c.draw.rounded_rectangle(
        [x - w * 0.3, top - h * 0.06, x + w * 0.3, top + h * 0.02], radius=w * 0.05, fill=cap
    )
    c.draw.rectangle([x - w * 0.07, top - h * 0.15, x + w * 0.07, top - h * 0.06], fill=cap)
    c.draw.rounded_rectangle(
        [x - w * 0.25, ground - h, x + w * 0.25, top - h * 0.14], radius=w * 0.05, fill=cap
    )
    c.draw.rounded_rectangle(
        [x + w * 0.15, ground - h * 0.985, x + w * 0.5, ground - h * 0.95],
        radius=w * 0.02,
        fill=cap,
    )
    _label(c, x - w * 0.38, top + h * 0.2, x + w * 0.38, ground - h * 0.15, shade(colour, 0.55))
    _gloss(c, x - w / 2, top + h * 0.03, x + w / 2, ground - h * 0.03)
    return w


def jar(c: Canvas, rng: random.Random, x: float, ground: float, h: float, colour: RGB) -> float:
    w = h * 1.25
    lid = rng.choice(CAPS)
    c.draw.rounded_rectangle(
        [x - w / 2, ground - h * 0.62, x + w / 2, ground], radius=w * 0.12, fill=colour
    )
    c.draw.rounded_rectangle(
        [x - w * 0.52, ground - h, x + w * 0.52, ground - h * 0.58], radius=w * 0.06, fill=lid
    )
    c.draw.line(
        [(x - w * 0.5, ground - h * 0.6), (x + w * 0.5, ground - h * 0.6)],
        fill=(*shade(lid, 0.75), 160),
        width=max(2, round(h * 0.02)),
    )
    _label(c, x - w * 0.3, ground - h * 0.48, x + w * 0.3, ground - h * 0.14, shade(colour, 0.55))
    _gloss(c, x - w / 2, ground - h * 0.95, x + w / 2, ground - h * 0.05)
    return w


def tube(c: Canvas, rng: random.Random, x: float, ground: float, h: float, colour: RGB) -> float:
    w = h * 0.34
    cap = rng.choice(CAPS)
    c.draw.rounded_rectangle(
        [x - w * 0.32, ground - h * 0.16, x + w * 0.32, ground], radius=w * 0.06, fill=cap
    )
    c.draw.polygon(
        [
            (x - w * 0.32, ground - h * 0.15),
            (x + w * 0.32, ground - h * 0.15),
            (x + w * 0.5, ground - h * 0.93),
            (x - w * 0.5, ground - h * 0.93),
        ],
        fill=colour,
    )
    c.draw.rectangle(
        [x - w * 0.52, ground - h, x + w * 0.52, ground - h * 0.92], fill=shade(colour, 0.92)
    )
    for i in range(6):  # the crimped end
        lx = x - w * 0.45 + i * w * 0.18
        c.draw.line(
            [(lx, ground - h), (lx, ground - h * 0.93)], fill=(*shade(colour, 0.75), 160), width=2
        )
    _label(c, x - w * 0.3, ground - h * 0.75, x + w * 0.3, ground - h * 0.4, shade(colour, 0.55))
    _gloss(c, x - w * 0.45, ground - h * 0.9, x + w * 0.45, ground - h * 0.2)
    return w


def toner(c: Canvas, rng: random.Random, x: float, ground: float, h: float, colour: RGB) -> float:
    w = h * 0.33
    top = ground - h * 0.8
    c.draw.rounded_rectangle([x - w / 2, top, x + w / 2, ground], radius=w * 0.3, fill=colour)
    c.draw.rectangle(
        [x - w / 2, top + h * 0.3, x + w / 2, ground - w * 0.3], fill=shade(colour, 0.9)
    )
    c.draw.rounded_rectangle(
        [x - w * 0.3, ground - h, x + w * 0.3, top + h * 0.04],
        radius=w * 0.12,
        fill=rng.choice(CAPS),
    )
    _label(c, x - w * 0.36, top + h * 0.32, x + w * 0.36, ground - h * 0.2, shade(colour, 0.55))
    _gloss(c, x - w / 2, top + h * 0.05, x + w / 2, ground - h * 0.05)
    return w


PRODUCTS: list[tuple[Callable[[Canvas, random.Random, float, float, float, RGB], float], float]] = [
    (dropper, 0.34),
    (pump, 0.44),
    (jar, 0.17),
    (tube, 0.36),
    (toner, 0.4),
]


def _cast_shadow(c: Canvas, x: float, ground: float, w: float, h: float) -> None:
    c.shadow_ellipse(ellipse_box(x + w * 0.1, ground, w * 0.62, w * 0.1), blur=0.008, opacity=0.45)
    lean = h * 0.55
    c.shadow_polygon(
        [
            (x - w * 0.4, ground),
            (x + w * 0.5, ground),
            (x + w * 0.5 + lean, ground - h * 0.55),
            (x - w * 0.4 + lean, ground - h * 0.55),
        ],
        blur=0.03,
        opacity=0.16,
    )


def lineup(c: Canvas, rng: random.Random) -> None:
    horizon = rng.uniform(0.6, 0.7)
    wall, _ = surfaces.room(c, rng, horizon)
    ground = c.y(horizon + rng.uniform(0.1, 0.16))
    if rng.random() < 0.45:  # a round podium
        px, pw = c.x(rng.uniform(0.4, 0.6)), c.s(rng.uniform(0.32, 0.42))
        stone = shade(wall, 0.9)
        top = ground - c.s(0.12)
        c.shadow_ellipse(
            ellipse_box(px + pw * 0.1, ground + c.s(0.02), pw * 1.05, pw * 0.16), opacity=0.3
        )
        c.draw.rectangle([px - pw, top, px + pw, ground], fill=shade(stone, 0.95))
        c.draw.ellipse(ellipse_box(px, ground, pw, pw * 0.14), fill=shade(stone, 0.95))
        c.draw.ellipse(ellipse_box(px, top, pw, pw * 0.14), fill=shade(stone, 1.06))
    count = rng.randint(3, 5)
    chosen = [rng.choice(PRODUCTS) for _ in range(count)]
    palette = rng.sample(GLASS, k=3)
    slots = [0.5 + (i - (count - 1) / 2) * (0.72 / count) for i in range(count)]
    order = sorted(range(count), key=lambda i: abs(slots[i] - 0.5), reverse=True)
    for i in order:  # the middle one last, in front
        draw_product, height = chosen[i]
        x = c.x(slots[i] + rng.uniform(-0.02, 0.02))
        h = c.y(height * rng.uniform(0.85, 1.1)) * (0.9 if abs(slots[i] - 0.5) > 0.1 else 1.0)
        base = ground + c.s(rng.uniform(-0.01, 0.03))
        _cast_shadow(c, x, base, h * 0.4, h)
        draw_product(c, rng, x, base, h, jitter(rng, palette[i % 3], 6))
    for _ in range(rng.randint(0, 3)):  # pebbles
        sx, sy = c.x(rng.uniform(0.05, 0.95)), ground + c.s(rng.uniform(0.04, 0.12))
        r = c.s(rng.uniform(0.02, 0.035))
        c.shadow_ellipse(ellipse_box(sx + r * 0.3, sy + r * 0.4, r, r * 0.5), opacity=0.3)
        c.draw.ellipse(ellipse_box(sx, sy, r, r * 0.7), fill=jitter(rng, hex_rgb("d8d2cc"), 10))
    if rng.random() < 0.6:
        surfaces.sprig(
            c,
            rng,
            c.x(rng.choice([0.02, 0.98])),
            c.y(0.98),
            c.s(0.5),
            math.radians(rng.choice([-60, -120])),
        )
    surfaces.window_light(c, rng)
    c.vignette(0.12)


def _flower(c: Canvas, x: float, y: float, r: float, colour: RGB, turn: float) -> None:
    for k in range(5):
        a = turn + k * math.tau / 5
        c.draw.ellipse(
            ellipse_box(x + math.cos(a) * r * 0.55, y + math.sin(a) * r * 0.55, r * 0.5),
            fill=colour,
        )
    c.draw.ellipse(ellipse_box(x, y, r * 0.22), fill=hex_rgb("f1c75e"))


def flatlay(c: Canvas, rng: random.Random) -> None:
    base = rng.choice(surfaces.PASTELS)
    c.paste_gradient([(0, shade(base, 1.04)), (1, shade(base, 0.96))])
    if rng.random() < 0.3:
        surfaces.terrazzo(c, rng)
    items = ["open_jar", "tube", "dropper", "pads", "compact"]
    rng.shuffle(items)
    spots = [(0.32, 0.3), (0.7, 0.36), (0.35, 0.72), (0.72, 0.74), (0.52, 0.53)]
    colours = rng.sample(GLASS, k=4)
    for (fx, fy), item in zip(spots, items[: rng.randint(3, 5)], strict=False):
        x, y = c.x(fx + rng.uniform(-0.04, 0.04)), c.y(fy + rng.uniform(-0.03, 0.03))
        colour = rng.choice(colours)
        if item == "open_jar":
            r = c.s(0.13)
            c.shadow_ellipse(ellipse_box(x + r * 0.12, y + r * 0.16, r * 1.02), opacity=0.3)
            c.draw.ellipse(ellipse_box(x, y, r), fill=colour)
            c.radial_shade(ellipse_box(x, y, r * 0.84), hex_rgb("fffdf9"), hex_rgb("efe7dc"))
            for k in range(4):  # the swirl of cream
                c.draw.arc(
                    ellipse_box(x, y, r * (0.2 + k * 0.15)),
                    k * 70,
                    k * 70 + 220,
                    fill=(225, 214, 200, 200),
                    width=max(2, round(r * 0.03)),
                )
            lx, ly = x + r * 1.5, y - r * 0.9  # its lid
            c.shadow_ellipse(ellipse_box(lx + r * 0.1, ly + r * 0.14, r * 0.95), opacity=0.28)
            c.draw.ellipse(ellipse_box(lx, ly, r * 0.95), fill=rng.choice(CAPS))
            c.draw.arc(
                ellipse_box(lx, ly, r * 0.8),
                200,
                290,
                fill=(255, 255, 255, 110),
                width=round(r * 0.06),
            )
        elif item in ("tube", "dropper"):
            angle = rng.uniform(-50, 50)
            length = c.s(0.3 if item == "tube" else 0.24)
            body = blob(x, y, length / 2, c.s(0.05), angle, squareness=6)
            c.shadow_polygon([(px + c.s(0.015), py + c.s(0.02)) for px, py in body], opacity=0.3)
            c.draw.polygon(body, fill=colour)
            end = math.radians(angle)
            cx2, cy2 = x + math.cos(end) * length * 0.55, y + math.sin(end) * length * 0.55
            c.draw.polygon(
                blob(cx2, cy2, c.s(0.035), c.s(0.04), angle, squareness=5), fill=rng.choice(CAPS)
            )
            c.draw.polygon(
                blob(
                    x - math.cos(end) * length * 0.05,
                    y - math.sin(end) * length * 0.05,
                    length * 0.25,
                    c.s(0.03),
                    angle,
                    squareness=6,
                ),
                fill=LABEL,
            )
        elif item == "pads":
            for k in range(3):
                px, py = x + k * c.s(0.05), y + k * c.s(0.03)
                r = c.s(0.075)
                c.shadow_ellipse(ellipse_box(px + r * 0.1, py + r * 0.15, r), opacity=0.2)
                c.draw.ellipse(ellipse_box(px, py, r), fill=hex_rgb("fdfcfa"))
                for _ in range(25):
                    a, d = rng.uniform(0, math.tau), r * 0.85 * math.sqrt(rng.random())
                    c.draw.ellipse(
                        ellipse_box(px + math.cos(a) * d, py + math.sin(a) * d, r * 0.02),
                        fill=(225, 220, 214, 160),
                    )
        else:  # a compact of pressed powder
            r = c.s(0.11)
            c.shadow_ellipse(ellipse_box(x + r * 0.12, y + r * 0.16, r), opacity=0.3)
            c.draw.ellipse(ellipse_box(x, y, r), fill=rng.choice(CAPS))
            c.radial_shade(ellipse_box(x, y, r * 0.78), hex_rgb("f0cdb4"), hex_rgb("d9a88a"))
    petals = [hex_rgb(h) for h in ("f7c6d0", "fbe0e6", "ffffff", "f4d7a8")]
    for _ in range(rng.randint(3, 7)):
        _flower(
            c,
            c.x(rng.random()),
            c.y(rng.random()),
            c.s(rng.uniform(0.025, 0.045)),
            rng.choice(petals),
            rng.uniform(0, 6.3),
        )
    for _ in range(rng.randint(4, 10)):  # drops of water
        dx, dy, r = c.x(rng.random()), c.y(rng.random()), c.s(rng.uniform(0.008, 0.02))
        c.shadow_ellipse(ellipse_box(dx + r * 0.3, dy + r * 0.4, r), blur=0.004, opacity=0.2)
        c.draw.ellipse(
            ellipse_box(dx, dy, r), fill=(255, 255, 255, 70), outline=(255, 255, 255, 150)
        )
        c.draw.ellipse(ellipse_box(dx - r * 0.3, dy - r * 0.3, r * 0.25), fill=(255, 255, 255, 220))
    if rng.random() < 0.5:
        surfaces.sprig(
            c,
            rng,
            c.x(0.0),
            c.y(rng.uniform(0.4, 0.9)),
            c.s(0.45),
            math.radians(rng.uniform(-40, 10)),
        )
    surfaces.window_light(c, rng)
    c.vignette(0.1)


def swatches(c: Canvas, rng: random.Random) -> None:
    surfaces.linen(c, rng, jitter(rng, hex_rgb("f3ede6"), 4))
    shades = [
        hex_rgb(h)
        for h in ("c75b5b", "b4475e", "e08a7a", "d9a58a", "c98f6b", "a35d4a", "e7b8a5", "9c3b4b")
    ]
    rng.shuffle(shades)
    count = rng.randint(4, 6)
    for i in range(count):  # smears of colour, pressed from a finger
        y = c.y(0.2 + i * (0.6 / count))
        x0, x1 = c.x(rng.uniform(0.1, 0.2)), c.x(rng.uniform(0.6, 0.85))
        colour = shades[i % len(shades)]
        steps = 120
        for k in range(steps):
            t = k / (steps - 1)
            r = c.s(0.035) * (1 - 0.7 * t**1.5)
            c.draw.ellipse(
                ellipse_box(x0 + (x1 - x0) * t, y + math.sin(t * 3) * c.s(0.01), r), fill=colour
            )
        c.draw.line(
            [(x0, y - c.s(0.012)), (x0 + (x1 - x0) * 0.6, y - c.s(0.008))],
            fill=(*mix(colour, (255, 255, 255), 0.5), 120),
            width=round(c.s(0.006)),
        )
    for k in range(rng.randint(1, 3)):  # lipsticks lying beside
        x, y = c.x(0.88 - k * 0.08), c.y(0.55 + k * 0.08)
        angle = rng.uniform(60, 110)
        case = blob(x, y, c.s(0.16), c.s(0.035), angle, squareness=8)
        c.shadow_polygon([(px + c.s(0.015), py + c.s(0.02)) for px, py in case], opacity=0.3)
        c.draw.polygon(case, fill=rng.choice(CAPS))
        tip = math.radians(angle)
        bx, by = x - math.cos(tip) * c.s(0.2), y - math.sin(tip) * c.s(0.2)
        c.draw.polygon(blob(bx, by, c.s(0.05), c.s(0.028), angle, squareness=4), fill=shades[k])
    surfaces.window_light(c, rng)
    c.vignette(0.1)


SCENES = {"lineup": lineup, "flatlay": flatlay, "swatches": swatches}
