"""Food seen from above on a table: a split hotpot with its side plates, a bowl of noodles, a
steamer of soup dumplings, a latte with its art, a cake with berries, and a brunch plate."""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

from redleaf.demo.drawing import surfaces
from redleaf.demo.drawing.base import (
    RGB,
    Canvas,
    blob,
    ellipse_box,
    hex_rgb,
    jitter,
    mix,
    rotate_points,
    shade,
)

LIGHT = (0.35, 0.5)  # shadows fall right and down, as under a window to the upper left
CERAMICS = [hex_rgb(h) for h in ("f6f3ee", "e9eef0", "d7e3da", "f1e4d8", "3e4147", "e6dcd0")]


def _shadowed_disc(
    c: Canvas, cx: float, cy: float, r: float, colour: RGB, *, lift: float = 0.05
) -> None:
    dx, dy = r * lift * LIGHT[0] * 2, r * lift * LIGHT[1] * 2
    c.shadow_ellipse(ellipse_box(cx + dx, cy + dy, r * 1.02), blur=0.02, opacity=0.32)
    c.draw.ellipse(ellipse_box(cx, cy, r), fill=colour)


def plate(c: Canvas, cx: float, cy: float, r: float, colour: RGB) -> None:
    _shadowed_disc(c, cx, cy, r, colour)
    c.draw.ellipse(ellipse_box(cx, cy, r * 0.78), fill=shade(colour, 0.96))
    c.draw.arc(
        ellipse_box(cx, cy, r * 0.9), 190, 280, fill=(255, 255, 255, 110), width=round(r * 0.04)
    )


def bowl(c: Canvas, cx: float, cy: float, r: float, colour: RGB, inner: RGB, outer: RGB) -> float:
    """A bowl seen from above: its rim and the soup in it. Returns the soup's radius."""
    _shadowed_disc(c, cx, cy, r, colour, lift=0.12)
    c.draw.arc(
        ellipse_box(cx, cy, r * 0.96), 200, 290, fill=(255, 255, 255, 120), width=round(r * 0.03)
    )
    soup = r * 0.86
    c.radial_shade(ellipse_box(cx, cy, soup), inner, outer)
    c.draw.ellipse(
        ellipse_box(cx, cy, soup), outline=(*shade(colour, 0.8), 120), width=round(r * 0.015)
    )
    return soup


def chopsticks(
    c: Canvas, rng: random.Random, x: float, y: float, length: float, angle: float
) -> None:
    colour = rng.choice(
        [hex_rgb("c49a6c"), hex_rgb("2f2a28"), hex_rgb("e9dcc6"), hex_rgb("8a5a3c")]
    )
    for offset in (-1, 1):
        bx, by = x + offset * c.s(0.012), y + offset * c.s(0.004)
        stick = [
            (bx, by - c.s(0.006)),
            (bx + length, by - c.s(0.0035)),
            (bx + length, by + c.s(0.0035)),
            (bx, by + c.s(0.006)),
        ]
        stick = rotate_points(stick, angle, (x, y))
        c.shadow_polygon(
            [(px + c.s(0.012), py + c.s(0.016)) for px, py in stick], blur=0.006, opacity=0.3
        )
        c.draw.polygon(stick, fill=colour)


def _beef(c: Canvas, rng: random.Random, cx: float, cy: float, r: float) -> None:
    for i in range(7):
        angle = -60 + i * 22 + rng.uniform(-5, 5)
        ox = cx + math.cos(math.radians(angle)) * r * 0.25
        oy = cy + math.sin(math.radians(angle)) * r * 0.25
        meat = jitter(rng, hex_rgb("c4505a"), 10)
        shape = blob(ox, oy, r * 0.5, r * 0.28, angle, squareness=2.6)
        c.draw.polygon(shape, fill=meat, outline=shade(meat, 0.8))
        for k in range(3):  # marbling
            line = [
                (ox - r * 0.35 + j * r * 0.14, oy + (k - 1) * r * 0.09 + math.sin(j + k) * r * 0.03)
                for j in range(6)
            ]
            c.draw.line(
                rotate_points(line, angle, (ox, oy)),
                fill=(250, 226, 226, 170),
                width=max(2, round(r * 0.02)),
            )


def _greens(c: Canvas, rng: random.Random, cx: float, cy: float, r: float) -> None:
    for _ in range(9):
        angle = rng.uniform(0, 360)
        ox, oy = cx + rng.uniform(-0.3, 0.3) * r, cy + rng.uniform(-0.3, 0.3) * r
        leaf = jitter(rng, hex_rgb("5f9a4e"), 14)
        c.draw.polygon(blob(ox, oy, r * 0.42, r * 0.2, angle), fill=leaf)
        rib = rotate_points([(ox - r * 0.4, oy), (ox + r * 0.38, oy)], angle, (ox, oy))
        c.draw.line(
            rib, fill=(*mix(leaf, (255, 255, 255), 0.5), 200), width=max(2, round(r * 0.025))
        )


def _tofu(c: Canvas, rng: random.Random, cx: float, cy: float, r: float) -> None:
    for i in range(6):
        ox = cx + ((i % 3) - 1) * r * 0.42 + rng.uniform(-3, 3)
        oy = cy + (i // 3 - 0.5) * r * 0.45
        cube = blob(ox, oy, r * 0.18, r * 0.18, rng.uniform(-12, 12), squareness=6)
        c.draw.polygon(cube, fill=jitter(rng, hex_rgb("efe2c2"), 6), outline=hex_rgb("d9c8a2"))


def _dip(c: Canvas, rng: random.Random, cx: float, cy: float, r: float, sauce: RGB) -> None:
    _shadowed_disc(c, cx, cy, r, hex_rgb("f4f1ec"))
    c.radial_shade(ellipse_box(cx, cy, r * 0.75), shade(sauce, 1.15), sauce)
    for _ in range(6):  # chopped coriander and spring onion
        px, py = cx + rng.uniform(-0.4, 0.4) * r, cy + rng.uniform(-0.4, 0.4) * r
        c.draw.ellipse(ellipse_box(px, py, r * 0.08), fill=jitter(rng, hex_rgb("5c9a48"), 10))


def hotpot(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("wood", "wood", "marble"))
    cx, cy = c.x(0.5 + rng.uniform(-0.05, 0.05)), c.y(0.47 + rng.uniform(-0.03, 0.03))
    r = c.s(0.38)
    for side in (-1, 1):  # handles
        c.draw.rounded_rectangle(
            [
                cx + side * r * 1.02 - r * 0.1,
                cy - r * 0.08,
                cx + side * r * 1.02 + r * 0.1,
                cy + r * 0.08,
            ],
            radius=r * 0.05,
            fill=hex_rgb("9a9ca3"),
        )
    c.shadow_ellipse(ellipse_box(cx + r * 0.05, cy + r * 0.08, r * 1.03), blur=0.03, opacity=0.4)
    c.radial_shade(ellipse_box(cx, cy, r), hex_rgb("c9cbd0"), hex_rgb("8c8f97"), power=3)
    broth = r * 0.9
    spicy, clear = hex_rgb("b8321f"), hex_rgb("ead9bb")
    c.radial_shade(ellipse_box(cx, cy, broth), hex_rgb("cf4a24"), shade(spicy, 0.8))
    # The clear half of a 鸳鸯锅: a half disc plus the head of the S-shaped divider.
    mask, draw = c.new_mask()
    draw.pieslice(ellipse_box(cx, cy, broth), 90, 270, fill=255)
    draw.ellipse(ellipse_box(cx, cy - broth / 2, broth / 2), fill=255)
    draw.ellipse(ellipse_box(cx, cy + broth / 2, broth / 2), fill=0)
    c.fill_with_mask(clear, mask)
    steel = hex_rgb("a9abb2")
    width = round(r * 0.035)
    c.draw.arc(ellipse_box(cx, cy - broth / 2, broth / 2), 270, 90, fill=steel, width=width)
    c.draw.arc(ellipse_box(cx, cy + broth / 2, broth / 2), 90, 270, fill=steel, width=width)
    c.draw.ellipse(ellipse_box(cx, cy, broth), outline=steel, width=width)

    def in_spicy(px: float, py: float) -> bool:
        if math.hypot(px - cx, py - cy) > broth * 0.92:
            return False
        if math.hypot(px - cx, py - (cy - broth / 2)) < broth / 2 + width:
            return False
        if math.hypot(px - cx, py - (cy + broth / 2)) < broth / 2 + width:
            return True
        return px > cx + width

    for _ in range(400):
        px, py = cx + rng.uniform(-1, 1) * broth, cy + rng.uniform(-1, 1) * broth
        if in_spicy(px, py):
            roll = rng.random()
            if roll < 0.55:  # oil glinting on the surface
                c.draw.ellipse(
                    ellipse_box(px, py, r * rng.uniform(0.01, 0.03)), fill=(255, 170, 60, 90)
                )
            elif roll < 0.75:  # dried chillies
                c.draw.polygon(
                    blob(px, py, r * 0.06, r * 0.018, rng.uniform(0, 180)),
                    fill=jitter(rng, hex_rgb("8e1a14"), 12),
                )
            else:  # Sichuan pepper
                c.draw.ellipse(ellipse_box(px, py, r * 0.011), fill=hex_rgb("4a2418"))
        elif math.hypot(px - cx, py - cy) < broth * 0.9 and rng.random() < 0.25:
            roll = rng.random()
            if roll < 0.4:  # goji berries
                c.draw.polygon(
                    blob(px, py, r * 0.022, r * 0.012, rng.uniform(0, 180)), fill=hex_rgb("d4462a")
                )
            elif roll < 0.7:  # spring onion
                c.draw.ellipse(
                    ellipse_box(px, py, r * 0.018),
                    outline=hex_rgb("6fa05a"),
                    width=max(2, round(r * 0.008)),
                )
            else:  # mushroom slices
                c.draw.pieslice(
                    ellipse_box(px, py, r * 0.05), rng.uniform(0, 360), 0, fill=hex_rgb("9a7050")
                )
                c.draw.pieslice(ellipse_box(px, py, r * 0.05), 0, 180, fill=hex_rgb("b48860"))

    def steam(d: ImageDraw.ImageDraw, k: float) -> None:
        for dx, dy in ((-0.3, -0.2), (0.25, 0.1), (0.0, 0.35)):
            box = ellipse_box((cx + dx * r) * k, (cy + dy * r) * k, r * 0.35 * k, r * 0.2 * k)
            d.ellipse(box, fill=255)

    c.soft(steam, (255, 255, 255), blur=0.05, opacity=0.28)
    sides = [_beef, _greens, _tofu, _beef]
    rng.shuffle(sides)
    corners = [(0.14, 0.1), (0.86, 0.12), (0.15, 0.9), (0.85, 0.88)]
    for (fx, fy), food in zip(corners, sides[: rng.randint(2, 4)], strict=False):
        pr = c.s(0.17)
        px, py = c.x(fx), c.y(fy)
        plate(c, px, py, pr, rng.choice(CERAMICS[:4]))
        food(c, rng, px, py, pr * 0.75)
    _dip(c, rng, c.x(0.5 + rng.uniform(-0.3, 0.3)), c.y(0.93), c.s(0.08), hex_rgb("c9a070"))
    chopsticks(c, rng, c.x(0.62), c.y(0.88), c.s(0.5), -20)
    c.vignette(0.22)


def noodles(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("wood", "linen", "marble", "wood"))
    cx, cy = c.x(0.5 + rng.uniform(-0.06, 0.06)), c.y(0.5 + rng.uniform(-0.05, 0.05))
    r = c.s(0.36)
    soups = [
        (hex_rgb("e8c48c"), hex_rgb("c8924e")),  # clear beef broth
        (hex_rgb("d86a34"), hex_rgb("a9401f")),  # red oil
        (hex_rgb("f3e6cf"), hex_rgb("dcc7a4")),  # tonkotsu
    ]
    inner, outer = rng.choice(soups)
    soup = bowl(c, cx, cy, r, rng.choice(CERAMICS), inner, outer)
    noodle = hex_rgb("f4dc9e")
    turn = rng.uniform(0, 360)  # where the toppings sit around the nest of noodles
    nest_x = cx + math.cos(math.radians(turn + 180)) * soup * 0.15
    nest_y = cy + math.sin(math.radians(turn + 180)) * soup * 0.15
    for _ in range(110):
        ox, oy = nest_x + rng.uniform(-0.35, 0.35) * soup, nest_y + rng.uniform(-0.35, 0.35) * soup
        rr = soup * rng.uniform(0.15, 0.45)
        start = rng.uniform(0, 360)
        sweep = rng.uniform(60, 160)
        box = ellipse_box(ox, oy, rr, rr * rng.uniform(0.6, 1.0))
        if math.hypot(ox - cx, oy - cy) + rr < soup * 0.98:
            c.draw.arc(box, start, start + sweep, fill=shade(noodle, 0.8), width=round(c.s(0.014)))
            c.draw.arc(box, start, start + sweep, fill=noodle, width=round(c.s(0.009)))
    slices = rng.randint(3, 6)
    for i in range(slices):  # braised beef, fanned on one side
        angle = turn + (i - slices / 2) * 27
        bx = cx + math.cos(math.radians(angle)) * soup * 0.6
        by = cy + math.sin(math.radians(angle)) * soup * 0.6
        beef = jitter(rng, hex_rgb("7a3f2a"), 10)
        shape = blob(bx, by, soup * 0.15, soup * 0.1, angle + rng.uniform(-20, 20), squareness=3)
        c.draw.polygon(shape, fill=beef, outline=shade(beef, 0.7))
        c.draw.line(
            rotate_points([(bx - soup * 0.12, by), (bx + soup * 0.12, by)], angle + 90, (bx, by)),
            fill=(*shade(beef, 1.3), 150),
            width=max(2, round(soup * 0.012)),
        )
    if rng.random() < 0.7:  # a soft egg, halved
        angle = math.radians(turn + rng.choice([-100, 100]))
        ex, ey = cx + math.cos(angle) * soup * 0.55, cy + math.sin(angle) * soup * 0.55
        for dx in (-soup * 0.1, soup * 0.1):
            c.draw.ellipse(
                ellipse_box(ex + dx, ey, soup * 0.1, soup * 0.13), fill=hex_rgb("fbf6ea")
            )
            c.draw.ellipse(ellipse_box(ex + dx, ey, soup * 0.06), fill=hex_rgb("f0a03a"))
    for _ in range(rng.randint(0, 3)):  # bok choy
        angle = turn + rng.uniform(120, 240)
        gx = cx + math.cos(math.radians(angle)) * soup * 0.55
        gy = cy + math.sin(math.radians(angle)) * soup * 0.55
        c.draw.polygon(
            blob(gx, gy, soup * 0.22, soup * 0.09, angle), fill=jitter(rng, hex_rgb("4f8f43"), 10)
        )
        c.draw.polygon(blob(gx, gy, soup * 0.14, soup * 0.04, angle), fill=hex_rgb("d7e8c0"))
    for _ in range(40):  # spring onion, sesame, chilli oil
        angle, dist = rng.uniform(0, math.tau), soup * math.sqrt(rng.random()) * 0.9
        px, py = cx + math.cos(angle) * dist, cy + math.sin(angle) * dist
        roll = rng.random()
        if roll < 0.4:
            c.draw.ellipse(
                ellipse_box(px, py, c.s(0.008)),
                outline=hex_rgb("6fae55"),
                width=max(2, round(c.s(0.004))),
            )
        elif roll < 0.7:
            c.draw.ellipse(ellipse_box(px, py, c.s(0.004), c.s(0.0025)), fill=hex_rgb("f4ead2"))
        else:
            c.draw.ellipse(ellipse_box(px, py, c.s(0.015)), fill=(214, 80, 30, 110))
    chopsticks(c, rng, cx - r * 0.4, cy + r * 1.15, c.s(0.55), -8)
    if rng.random() < 0.5:  # a ceramic spoon
        sx, sy = cx + r * 1.05, cy - r * 0.6
        c.shadow_ellipse(ellipse_box(sx + 10, sy + 14, r * 0.16, r * 0.2), opacity=0.25)
        c.draw.ellipse(ellipse_box(sx, sy, r * 0.15, r * 0.19), fill=hex_rgb("f6f3ee"))
        c.draw.ellipse(ellipse_box(sx, sy, r * 0.1, r * 0.14), fill=hex_rgb("ebe6de"))
        c.draw.rounded_rectangle(
            [sx - r * 0.04, sy + r * 0.15, sx + r * 0.04, sy + r * 0.55],
            r * 0.03,
            fill=hex_rgb("f6f3ee"),
        )
    c.vignette(0.2)


def dumplings(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("wood", "linen", "wood"))
    cx, cy = c.x(0.5 + rng.uniform(-0.05, 0.05)), c.y(0.46 + rng.uniform(-0.03, 0.03))
    r = c.s(0.4)
    bamboo = hex_rgb("d6ad74")
    _shadowed_disc(c, cx, cy, r, bamboo, lift=0.1)
    for ring in (0.97, 0.93):
        c.draw.ellipse(
            ellipse_box(cx, cy, r * ring), outline=shade(bamboo, 0.8), width=round(r * 0.012)
        )
    mat = r * 0.9
    c.draw.ellipse(ellipse_box(cx, cy, mat), fill=hex_rgb("e8cf9d"))
    step = r * 0.05
    y = cy - mat + step
    while y < cy + mat:  # the slats of the mat
        half = math.sqrt(max(0.0, mat**2 - (y - cy) ** 2))
        c.draw.line(
            [(cx - half, y), (cx + half, y)],
            fill=(*shade(bamboo, 0.75), 110),
            width=max(1, round(r * 0.006)),
        )
        y += step
    ring = rng.randint(5, 7)
    turn = rng.uniform(0, math.tau)
    spread = 0.58 if ring > 5 else 0.5
    spots = [
        (
            math.cos(turn + i * math.tau / ring) * spread,
            math.sin(turn + i * math.tau / ring) * spread,
        )
        for i in range(ring)
    ]
    if ring > 5 or rng.random() < 0.5:
        spots.append((0.0, 0.0))
    for fx, fy in spots:
        dx, dy = cx + fx * mat, cy + fy * mat
        dr = mat * (0.25 if ring > 5 else 0.28)
        c.shadow_ellipse(ellipse_box(dx + dr * 0.1, dy + dr * 0.15, dr), blur=0.015, opacity=0.3)
        c.radial_shade(ellipse_box(dx, dy, dr), hex_rgb("fcf8ef"), hex_rgb("e2d6c0"), power=2.2)
        turn = rng.uniform(0, math.tau)
        for k in range(14):  # the pleats gathered at the top
            a = turn + k * math.tau / 14
            c.draw.arc(
                ellipse_box(dx + math.cos(a) * dr * 0.3, dy + math.sin(a) * dr * 0.3, dr * 0.45),
                math.degrees(a) - 40,
                math.degrees(a) + 20,
                fill=(200, 184, 160, 150),
                width=max(2, round(dr * 0.03)),
            )
        c.draw.ellipse(ellipse_box(dx, dy, dr * 0.1), fill=hex_rgb("efe4d0"))
    vx, vy = c.x(0.2), c.y(0.88)
    _shadowed_disc(c, vx, vy, c.s(0.1), hex_rgb("f4f1ec"))
    c.radial_shade(ellipse_box(vx, vy, c.s(0.075)), hex_rgb("6a3a22"), hex_rgb("3a1f12"))
    for _ in range(10):  # ginger shreds
        gx, gy = vx + rng.uniform(-0.04, 0.04) * c.s(1), vy + rng.uniform(-0.04, 0.04) * c.s(1)
        a = rng.uniform(0, math.tau)
        c.draw.line(
            [(gx, gy), (gx + math.cos(a) * c.s(0.03), gy + math.sin(a) * c.s(0.03))],
            fill=hex_rgb("f1d98a"),
            width=max(2, round(c.s(0.004))),
        )
    chopsticks(c, rng, c.x(0.4), c.y(0.93), c.s(0.55), -6)
    c.vignette(0.2)


def _latte_art(c: Canvas, rng: random.Random, cx: float, cy: float, r: float) -> None:
    foam = hex_rgb("f7ecdc")
    style = rng.choice(["heart", "rosetta"])
    if style == "heart":
        c.draw.ellipse(ellipse_box(cx - r * 0.25, cy - r * 0.1, r * 0.32), fill=foam)
        c.draw.ellipse(ellipse_box(cx + r * 0.25, cy - r * 0.1, r * 0.32), fill=foam)
        c.draw.polygon([(cx - r * 0.55, cy), (cx + r * 0.55, cy), (cx, cy + r * 0.6)], fill=foam)
    else:
        # A rosetta: layered crescents, widest near the cup's handle, cut by one pulled line.
        for i in range(9):
            y = cy - r * 0.55 + i * r * 0.13
            w = r * (0.2 + i * 0.05)
            box = ellipse_box(cx, y, w, w * 0.5)
            c.draw.arc(box, 20, 160, fill=foam, width=round(r * 0.06))
        c.draw.line([(cx, cy - r * 0.6), (cx, cy + r * 0.75)], fill=foam, width=round(r * 0.03))


def _croissant(
    c: Canvas, rng: random.Random, cx: float, cy: float, size: float, angle: float
) -> None:
    segments = 7
    parts = []
    for i in range(segments):
        t = i / (segments - 1) - 0.5
        a = math.radians(angle) + t * 2.2
        px, py = cx + math.cos(a) * size * 0.55, cy + math.sin(a) * size * 0.55
        parts.append((t, a, px, py, size * (0.42 - abs(t) * 0.5)))

    def shadow(d: ImageDraw.ImageDraw, k: float) -> None:
        for _, a, px, py, w in parts:
            outline = blob(px + size * 0.06, py + size * 0.1, w * 0.7, w, math.degrees(a))
            d.polygon([(x * k, y * k) for x, y in outline], fill=255)

    c.soft(shadow, (40, 30, 25), blur=0.015, opacity=0.3)
    for t, a, px, py, width in parts:
        colour = mix(hex_rgb("e0a85a"), hex_rgb("b06a2a"), abs(t) * 1.4)
        c.draw.polygon(
            blob(px, py, width * 0.7, width, math.degrees(a)),
            fill=colour,
            outline=shade(colour, 0.75),
        )
        c.draw.ellipse(
            ellipse_box(px - width * 0.15, py - width * 0.2, width * 0.25), fill=(255, 230, 180, 70)
        )


def latte(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("marble", "wood", "terrazzo", "linen"))
    cx, cy = c.x(0.5 + rng.uniform(-0.08, 0.08)), c.y(0.48 + rng.uniform(-0.05, 0.05))
    saucer = c.s(0.32)
    china = rng.choice(CERAMICS)
    plate(c, cx, cy, saucer, china)
    cup = saucer * 0.72
    hx = cx + cup * 1.05
    c.draw.rounded_rectangle(
        [hx - cup * 0.1, cy - cup * 0.12, hx + cup * 0.3, cy + cup * 0.12],
        cup * 0.1,
        fill=shade(china, 0.97),
    )
    c.shadow_ellipse(ellipse_box(cx + cup * 0.08, cy + cup * 0.1, cup), opacity=0.35)
    c.draw.ellipse(ellipse_box(cx, cy, cup), fill=china)
    coffee = cup * 0.85
    c.radial_shade(ellipse_box(cx, cy, coffee), hex_rgb("c9965f"), hex_rgb("7a4524"), power=1.3)
    _latte_art(c, rng, cx, cy, coffee)
    spoon_y = cy + saucer * 0.78
    c.draw.ellipse(
        ellipse_box(cx - saucer * 0.35, spoon_y, saucer * 0.09, saucer * 0.06),
        fill=hex_rgb("c8c9cd"),
    )
    c.draw.line(
        [(cx - saucer * 0.27, spoon_y), (cx + saucer * 0.3, spoon_y + saucer * 0.05)],
        fill=hex_rgb("c8c9cd"),
        width=round(saucer * 0.03),
    )
    extra = rng.random()
    if extra < 0.45:
        _croissant(c, rng, c.x(0.22), c.y(0.85), c.s(0.2), rng.uniform(-120, -60))
    elif extra < 0.75:  # coffee beans
        for _ in range(12):
            bx, by = c.x(rng.uniform(0.6, 0.95)), c.y(rng.uniform(0.78, 0.95))
            a = rng.uniform(0, 180)
            c.draw.polygon(
                blob(bx, by, c.s(0.018), c.s(0.012), a), fill=jitter(rng, hex_rgb("4a2c1c"), 8)
            )
            c.draw.line(
                rotate_points([(bx - c.s(0.014), by), (bx + c.s(0.014), by)], a, (bx, by)),
                fill=hex_rgb("2a170e"),
                width=2,
            )
    else:
        surfaces.sprig(c, rng, c.x(0.95), c.y(0.1), c.s(0.4), math.radians(150))
    c.vignette(0.18)


def cake(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("linen", "marble", "gingham", "terrazzo"))
    cx, cy = c.x(0.5 + rng.uniform(-0.05, 0.05)), c.y(0.48 + rng.uniform(-0.04, 0.04))
    plate(c, cx, cy, c.s(0.42), hex_rgb("f7f4ef"))
    r = c.s(0.32)
    frosting = rng.choice(
        [hex_rgb("fbeee6"), hex_rgb("f6d3da"), hex_rgb("dfe8c9"), hex_rgb("7b4a36")]
    )
    c.shadow_ellipse(ellipse_box(cx + r * 0.05, cy + r * 0.08, r), opacity=0.3)
    c.radial_shade(ellipse_box(cx, cy, r), shade(frosting, 1.05), shade(frosting, 0.92))
    cream = hex_rgb("fffaf2") if frosting != hex_rgb("fbeee6") else hex_rgb("f3dfcf")
    for i in range(24):  # piped border
        a = i * math.tau / 24
        px, py = cx + math.cos(a) * r * 0.88, cy + math.sin(a) * r * 0.88
        c.draw.ellipse(ellipse_box(px, py, r * 0.085), fill=cream, outline=shade(cream, 0.9))
        c.draw.ellipse(
            ellipse_box(px - r * 0.02, py - r * 0.02, r * 0.03), fill=(255, 255, 255, 180)
        )
    for i in range(rng.choice([5, 6, 8])):  # strawberries
        a = i * math.tau / 8 + rng.uniform(-0.1, 0.1)
        px, py = cx + math.cos(a) * r * 0.55, cy + math.sin(a) * r * 0.55
        berry = jitter(rng, hex_rgb("d8384a"), 10)
        c.draw.polygon(blob(px, py, r * 0.11, r * 0.13, math.degrees(a) + 90), fill=berry)
        for _ in range(6):
            c.draw.ellipse(
                ellipse_box(
                    px + rng.uniform(-0.06, 0.06) * r, py + rng.uniform(-0.07, 0.07) * r, r * 0.008
                ),
                fill=hex_rgb("f4d28a"),
            )
        c.draw.polygon(
            blob(
                px - math.cos(a) * r * 0.1,
                py - math.sin(a) * r * 0.1,
                r * 0.06,
                r * 0.025,
                math.degrees(a) + 90,
            ),
            fill=hex_rgb("4f8a3c"),
        )
    for _ in range(rng.randint(4, 9)):  # blueberries
        a, d = rng.uniform(0, math.tau), r * rng.uniform(0, 0.35)
        bx, by = cx + math.cos(a) * d, cy + math.sin(a) * d
        c.draw.ellipse(ellipse_box(bx, by, r * 0.055), fill=hex_rgb("3d4a7a"))
        c.draw.ellipse(
            ellipse_box(bx - r * 0.015, by - r * 0.015, r * 0.015), fill=(200, 210, 240, 150)
        )
    for _ in range(2):  # mint
        mx, my = cx + rng.uniform(-0.15, 0.15) * r, cy + rng.uniform(-0.15, 0.15) * r
        c.draw.polygon(
            blob(mx, my, r * 0.09, r * 0.045, rng.uniform(0, 180)), fill=hex_rgb("5fa35a")
        )
    fx, fy = c.x(0.86), c.y(0.6)  # a fork beside the plate
    c.draw.rounded_rectangle(
        [fx - c.s(0.01), fy, fx + c.s(0.01), fy + c.s(0.35)], c.s(0.01), fill=hex_rgb("c7c8cc")
    )
    for k in range(4):
        tx = fx - c.s(0.024) + k * c.s(0.016)
        c.draw.rounded_rectangle(
            [tx - c.s(0.004), fy - c.s(0.09), tx + c.s(0.004), fy + c.s(0.01)],
            c.s(0.004),
            fill=hex_rgb("c7c8cc"),
        )
    c.vignette(0.15)


def brunch(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("wood", "marble", "linen", "terrazzo"))
    cx, cy = c.x(0.46 + rng.uniform(-0.04, 0.04)), c.y(0.52 + rng.uniform(-0.04, 0.04))
    r = c.s(0.38)
    plate(c, cx, cy, r, rng.choice(CERAMICS[:4] + CERAMICS[5:]))
    tilt = rng.uniform(-25, 25)
    tx, ty = cx - r * 0.2, cy
    toast = blob(tx, ty, r * 0.42, r * 0.3, tilt, squareness=5)
    c.shadow_polygon([(x + r * 0.04, y + r * 0.06) for x, y in toast], opacity=0.3)
    c.draw.polygon(toast, fill=hex_rgb("b9773e"))
    c.draw.polygon(blob(tx, ty, r * 0.37, r * 0.25, tilt, squareness=5), fill=hex_rgb("e5b77a"))
    for i in range(6):  # avocado fanned across the toast
        t = i - 2.5
        ax, ay = rotate_points([(tx + t * r * 0.1, ty)], tilt, (tx, ty))[0]
        slice_ = blob(ax, ay, r * 0.07, r * 0.2, tilt + t * 6)
        c.draw.polygon(slice_, fill=hex_rgb("6f9a3a"))
        c.draw.polygon(blob(ax, ay, r * 0.055, r * 0.18, tilt + t * 6), fill=hex_rgb("c9dc84"))
    for _ in range(25):  # chilli flakes and seeds
        px, py = tx + rng.uniform(-0.3, 0.3) * r, ty + rng.uniform(-0.2, 0.2) * r
        c.draw.ellipse(
            ellipse_box(px, py, r * 0.008),
            fill=rng.choice([hex_rgb("c0392b"), hex_rgb("2d2a26"), hex_rgb("f1e6cf")]),
        )
    ex, ey = cx + r * 0.42, cy - r * 0.3  # a fried egg
    for _ in range(6):
        c.draw.ellipse(
            ellipse_box(
                ex + rng.uniform(-0.08, 0.08) * r, ey + rng.uniform(-0.08, 0.08) * r, r * 0.17
            ),
            fill=hex_rgb("fdfbf5"),
        )
    c.draw.ellipse(ellipse_box(ex, ey, r * 0.08), fill=hex_rgb("f5a623"))
    c.draw.ellipse(ellipse_box(ex - r * 0.02, ey - r * 0.02, r * 0.025), fill=(255, 240, 200, 160))
    for i in range(3):  # cherry tomatoes, halved
        px, py = cx + r * (0.35 + i * 0.12), cy + r * (0.3 + (i % 2) * 0.1)
        c.draw.ellipse(ellipse_box(px, py, r * 0.07), fill=hex_rgb("d9412f"))
        c.draw.ellipse(ellipse_box(px, py, r * 0.05), fill=hex_rgb("ef7a5c"))
    gx, gy = c.x(0.82), c.y(0.16)  # orange juice, from above
    c.shadow_ellipse(ellipse_box(gx + 12, gy + 18, c.s(0.12)), opacity=0.25)
    c.draw.ellipse(ellipse_box(gx, gy, c.s(0.12)), fill=(255, 255, 255, 140))
    c.radial_shade(ellipse_box(gx, gy, c.s(0.1)), hex_rgb("ffc44d"), hex_rgb("f39a1e"))
    c.draw.arc(
        ellipse_box(gx, gy, c.s(0.11)), 200, 280, fill=(255, 255, 255, 200), width=round(c.s(0.008))
    )
    c.vignette(0.18)


SCENES = {
    "hotpot": hotpot,
    "noodles": noodles,
    "dumplings": dumplings,
    "latte": latte,
    "cake": cake,
    "brunch": brunch,
}
