"""City life: a street at dusk with lit windows, a café front, a bicycle against a sunny wall,
and red lanterns over a night market."""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

from redleaf.demo.drawing import surfaces
from redleaf.demo.drawing.base import (
    RGB,
    Canvas,
    Point,
    ellipse_box,
    hex_rgb,
    jitter,
    mix,
    shade,
)

WARM_LIGHT = hex_rgb("ffd58a")


def _windows(
    c: Canvas,
    rng: random.Random,
    box: tuple[float, float, float, float],
    lit_share: float,
    dark: RGB,
) -> None:
    x0, y0, x1, y1 = box
    cols = max(2, int((x1 - x0) / c.s(0.05)))
    rows = max(2, int((y1 - y0) / c.s(0.06)))
    cw, rh = (x1 - x0) / cols, (y1 - y0) / rows
    for row in range(rows):
        for col in range(cols):
            wx, wy = x0 + col * cw + cw * 0.25, y0 + row * rh + rh * 0.2
            lit = rng.random() < lit_share
            colour = jitter(rng, WARM_LIGHT, 16) if lit else dark
            c.draw.rectangle([wx, wy, wx + cw * 0.5, wy + rh * 0.55], fill=colour)
            if lit and rng.random() < 0.3:  # a curtain half drawn
                c.draw.rectangle([wx, wy, wx + cw * 0.2, wy + rh * 0.55], fill=shade(colour, 0.8))


def street(c: Canvas, rng: random.Random) -> None:
    c.paste_gradient(
        [
            (0, hex_rgb("27305a")),
            (0.45, hex_rgb("5a5790")),
            (0.75, hex_rgb("d98f8a")),
            (1, hex_rgb("f4c59a")),
        ],
        bottom=0.75,
    )
    ground_y = c.y(rng.uniform(0.74, 0.8))
    far = mix(hex_rgb("6c6496"), hex_rgb("d98f8a"), 0.3)
    x = 0.0
    while x < c.w:  # the far row, hazy
        width = c.s(rng.uniform(0.08, 0.16))
        c.draw.rectangle([x, ground_y - c.y(rng.uniform(0.3, 0.5)), x + width, ground_y], fill=far)
        x += width
    x = -c.s(0.03)
    facades = [hex_rgb(h) for h in ("3a3350", "443a5c", "2f3048", "4a3f55", "3b3a58")]
    while x < c.w:  # the near row, with its windows and shop fronts
        width = c.s(rng.uniform(0.18, 0.3))
        top = ground_y - c.y(rng.uniform(0.2, 0.42))
        colour = rng.choice(facades)
        c.draw.rectangle([x, top, x + width, ground_y], fill=colour)
        c.draw.rectangle(
            [x - c.s(0.005), top - c.s(0.015), x + width + c.s(0.005), top], fill=shade(colour, 0.8)
        )
        _windows(
            c,
            rng,
            (x + c.s(0.01), top + c.s(0.02), x + width - c.s(0.01), ground_y - c.s(0.09)),
            0.45,
            shade(colour, 0.75),
        )
        shop = (x + c.s(0.015), ground_y - c.s(0.08), x + width - c.s(0.015), ground_y)
        c.draw.rectangle(shop, fill=jitter(rng, hex_rgb("ffcf86"), 12))
        c.glow((shop[0] + shop[2]) / 2, ground_y, width * 0.6, WARM_LIGHT, 0.35)
        x += width + c.s(rng.uniform(0, 0.01))
    c.draw.rectangle([0, ground_y, c.w, c.h], fill=hex_rgb("3a3848"))
    c.draw.rectangle([0, ground_y, c.w, ground_y + c.s(0.03)], fill=hex_rgb("5a5566"))
    for i in range(6):  # lane markings leading away
        lx = c.x(0.1 + i * 0.18)
        c.draw.rectangle(
            [lx, c.y(0.9), lx + c.s(0.08), c.y(0.9) + c.s(0.008)], fill=(235, 230, 220, 160)
        )
    for i in range(rng.randint(2, 4)):  # street lamps
        lx = c.x(0.12 + i * 0.28 + rng.uniform(-0.03, 0.03))
        top = ground_y - c.y(0.22)
        c.draw.line(
            [(lx, ground_y + c.s(0.02)), (lx, top)], fill=hex_rgb("1f1d2a"), width=round(c.s(0.008))
        )
        c.glow(lx, top, c.s(0.12), WARM_LIGHT, 0.6)
        c.draw.ellipse(ellipse_box(lx, top, c.s(0.018)), fill=hex_rgb("fff1cf"))
    for _ in range(rng.randint(2, 6)):  # car lights streaking past
        y = c.y(rng.uniform(0.84, 0.96))
        x0 = c.x(rng.uniform(-0.2, 0.6))
        red = rng.random() < 0.5
        colour = hex_rgb("ff6a5a") if red else hex_rgb("fff2d0")

        def streak(d: ImageDraw.ImageDraw, k: float, y: float = y, x0: float = x0) -> None:
            end = ((x0 + c.x(0.5)) * k, (y - c.s(0.01)) * k)
            d.line([(x0 * k, y * k), end], fill=255, width=max(1, round(c.s(0.01) * k)))

        c.soft(streak, colour, blur=0.006, opacity=0.8)
    c.vignette(0.25)


def cafe(c: Canvas, rng: random.Random) -> None:
    wall = rng.choice(
        [hex_rgb(h) for h in ("2f5d50", "2e3f5c", "b65f45", "efe3cf", "7a4a5a", "d9b26a")]
    )
    c.draw.rectangle([0, 0, c.w, c.h], fill=wall)
    for row in range(int(c.h / c.s(0.03)) + 1):  # brick or board texture
        y = row * c.s(0.03)
        c.draw.line([(0, y), (c.w, y)], fill=(*shade(wall, 0.9), 90), width=2)
        for col in range(8):
            bx = (col + (0.5 if row % 2 else 0)) * c.w / 7
            c.draw.line([(bx, y), (bx, y + c.s(0.03))], fill=(*shade(wall, 0.9), 60), width=2)
    pavement = c.y(0.86)
    door_side = rng.choice([-1, 0, 1])  # a door left or right of the window, or none
    left = 0.1 + (0.2 if door_side < 0 else 0) + rng.uniform(-0.03, 0.03)
    right = 0.9 - (0.2 if door_side > 0 else 0) + rng.uniform(-0.03, 0.03)
    win = (c.x(left), c.y(rng.uniform(0.3, 0.36)), c.x(right), pavement - c.s(0.06))
    c.paste_gradient(
        [(0, hex_rgb("f6c77a")), (1, hex_rgb("d9894a"))], top=win[1] / c.h, bottom=win[3] / c.h
    )
    c.draw.rectangle([0, 0, win[0], c.h], fill=wall)
    c.draw.rectangle([win[2], 0, c.w, c.h], fill=wall)
    c.draw.rectangle([win[0], 0, win[2], win[1]], fill=wall)
    lamps = rng.randint(2, 4)
    for i in range(lamps):  # pendant lamps and shelves inside
        lx = win[0] + (win[2] - win[0]) * (i + 1) / (lamps + 1)
        c.draw.line([(lx, win[1]), (lx, win[1] + c.s(0.08))], fill=hex_rgb("3a2a20"), width=3)
        c.glow(lx, win[1] + c.s(0.1), c.s(0.09), hex_rgb("fff0c8"), 0.8)
        c.draw.pieslice(
            ellipse_box(lx, win[1] + c.s(0.1), c.s(0.03)), 180, 360, fill=hex_rgb("3a2a20")
        )
    for shelf in (0.5, 0.62):
        y = c.y(shelf)
        c.draw.rectangle([win[0], y, win[2], y + c.s(0.008)], fill=hex_rgb("8a5a3a"))
        x = win[0] + c.s(0.02)
        while x < win[2] - c.s(0.05):  # jars and cups on the shelves
            h = c.s(rng.uniform(0.02, 0.045))
            c.draw.rectangle([x, y - h, x + c.s(0.025), y], fill=jitter(rng, hex_rgb("b06a3a"), 30))
            x += c.s(rng.uniform(0.035, 0.06))
    frame = shade(wall, 0.6)
    c.draw.rectangle(win, outline=frame, width=round(c.s(0.015)))
    c.draw.line(
        [((win[0] + win[2]) / 2, win[1]), ((win[0] + win[2]) / 2, win[3])],
        fill=frame,
        width=round(c.s(0.01)),
    )
    c.draw.rectangle(
        [win[0], win[1], win[2], win[1] + (win[3] - win[1]) * 0.5], fill=(255, 255, 255, 18)
    )
    if door_side:
        dx0 = c.x(0.06) if door_side < 0 else win[2] + c.s(0.06)
        dx1 = win[0] - c.s(0.06) if door_side < 0 else c.x(0.94)
        door = (dx0, c.y(0.38), dx1, pavement)
        c.draw.rectangle(door, fill=shade(wall, 0.55))
        c.draw.rectangle(
            [door[0] + c.s(0.02), door[1] + c.s(0.02), door[2] - c.s(0.02), c.y(0.66)],
            fill=hex_rgb("f0b56a"),
        )
        c.draw.ellipse(
            ellipse_box(
                door[2 if door_side < 0 else 0] - door_side * c.s(0.025), c.y(0.7), c.s(0.008)
            ),
            fill=hex_rgb("d6b46a"),
        )
    stripes, stripe_colour = 9, rng.choice([hex_rgb("f4efe6"), hex_rgb("e9d9b8")])
    awning_top, awning_bottom = c.y(0.17), c.y(0.28)
    c.shadow_polygon(
        [
            (c.x(0.06), awning_bottom),
            (c.x(0.94), awning_bottom),
            (c.x(0.94), awning_bottom + c.s(0.05)),
            (c.x(0.06), awning_bottom + c.s(0.05)),
        ],
        opacity=0.35,
    )
    stripe_alt = rng.choice([hex_rgb("c44a3f"), hex_rgb("2f6b5a"), hex_rgb("3e5a8a")])
    for i in range(stripes):  # a striped awning with scalloped edge
        x0 = c.x(0.06) + i * c.x(0.88) / stripes
        x1 = x0 + c.x(0.88) / stripes
        colour = stripe_colour if i % 2 else stripe_alt
        c.draw.polygon(
            [
                (x0 + c.s(0.01), awning_top),
                (x1 + c.s(0.01), awning_top),
                (x1, awning_bottom),
                (x0, awning_bottom),
            ],
            fill=colour,
        )
        c.draw.pieslice(
            [x0, awning_bottom - (x1 - x0) / 2, x1, awning_bottom + (x1 - x0) / 2],
            0,
            180,
            fill=colour,
        )
    sx, sy, sr = (
        c.x(rng.uniform(0.3, 0.7)),
        c.y(0.09),
        c.s(0.06),
    )  # the hanging sign with a cup on it
    c.draw.ellipse(
        ellipse_box(sx, sy, sr),
        fill=hex_rgb("f6efe2"),
        outline=shade(wall, 0.5),
        width=round(c.s(0.006)),
    )
    c.draw.rounded_rectangle(
        [sx - sr * 0.4, sy - sr * 0.3, sx + sr * 0.25, sy + sr * 0.4],
        radius=sr * 0.12,
        fill=shade(wall, 0.6),
    )
    c.draw.arc(
        [sx + sr * 0.15, sy - sr * 0.15, sx + sr * 0.45, sy + sr * 0.2],
        270,
        90,
        fill=shade(wall, 0.6),
        width=round(sr * 0.1),
    )
    c.draw.rectangle([0, pavement, c.w, c.h], fill=hex_rgb("b8b0a6"))
    for i in range(9):
        c.draw.line(
            [(c.w * i / 8, pavement), (c.w * i / 8 - c.s(0.1), c.h)],
            fill=(255, 255, 255, 50),
            width=2,
        )
    for px in (c.x(0.05), c.x(0.95)):  # potted shrubs at each side
        c.draw.rectangle(
            [px - c.s(0.06), pavement - c.s(0.12), px + c.s(0.06), pavement + c.s(0.02)],
            fill=hex_rgb("8a6a58"),
        )
        for _ in range(12):
            c.draw.ellipse(
                ellipse_box(
                    px + rng.uniform(-0.06, 0.06) * c.s(1),
                    pavement - c.s(0.12) - rng.uniform(0, 0.14) * c.s(1),
                    c.s(0.04),
                ),
                fill=jitter(rng, hex_rgb("4f7d4a"), 14),
            )
    if rng.random() < 0.5:  # a chalkboard stand
        ax = c.x(rng.choice([0.2, 0.8]))
        c.draw.polygon(
            [
                (ax - c.s(0.06), pavement + c.s(0.06)),
                (ax - c.s(0.04), pavement - c.s(0.12)),
                (ax + c.s(0.04), pavement - c.s(0.12)),
                (ax + c.s(0.06), pavement + c.s(0.06)),
            ],
            fill=hex_rgb("6b4a36"),
        )
        c.draw.rectangle(
            [ax - c.s(0.04), pavement - c.s(0.1), ax + c.s(0.04), pavement + c.s(0.03)],
            fill=hex_rgb("2c2f2e"),
        )
        for k in range(4):
            y = pavement - c.s(0.08) + k * c.s(0.03)
            c.draw.line(
                [(ax - c.s(0.028), y), (ax + c.s(0.01 + 0.005 * k), y)],
                fill=(240, 236, 226, 200),
                width=2,
            )
    tx = c.x(rng.uniform(0.3, 0.7))  # a little table and two chairs
    c.shadow_ellipse(ellipse_box(tx, pavement + c.s(0.08), c.s(0.16), c.s(0.03)), opacity=0.35)
    c.draw.ellipse(
        ellipse_box(tx, pavement - c.s(0.05), c.s(0.08), c.s(0.018)), fill=hex_rgb("2e2e30")
    )
    c.draw.line(
        [(tx, pavement - c.s(0.05)), (tx, pavement + c.s(0.08))],
        fill=hex_rgb("2e2e30"),
        width=round(c.s(0.008)),
    )
    for side in (-1, 1):
        cx0 = tx + side * c.s(0.13)
        c.draw.line(
            [(cx0, pavement - c.s(0.1)), (cx0, pavement + c.s(0.08))],
            fill=hex_rgb("2e2e30"),
            width=round(c.s(0.006)),
        )
        c.draw.line(
            [(cx0 - side * c.s(0.05), pavement), (cx0, pavement)],
            fill=hex_rgb("2e2e30"),
            width=round(c.s(0.006)),
        )
        c.draw.line(
            [(cx0 - side * c.s(0.05), pavement), (cx0 - side * c.s(0.05), pavement + c.s(0.08))],
            fill=hex_rgb("2e2e30"),
            width=round(c.s(0.006)),
        )
    c.draw.rectangle(
        [tx - c.s(0.015), pavement - c.s(0.09), tx + c.s(0.015), pavement - c.s(0.055)],
        fill=hex_rgb("fbf7f0"),
    )
    c.vignette(0.2)


def bicycle(c: Canvas, rng: random.Random) -> None:
    wall, _ = surfaces.room(
        c,
        rng,
        0.78,
        rng.choice([hex_rgb(h) for h in ("f2d7c4", "dfe9e4", "f5e7c4", "e4dff0", "f1d2d6")]),
    )
    if rng.random() < 0.6:  # shutters of a window above
        wx = c.x(rng.uniform(0.3, 0.6))
        shutter = rng.choice([hex_rgb("5f8f86"), hex_rgb("4e6a8f"), hex_rgb("b5643f")])
        for side in (-1, 1):
            x0 = wx + side * c.s(0.12)
            c.draw.rectangle(
                [
                    min(x0, x0 + side * c.s(0.1)),
                    c.y(0.08),
                    max(x0, x0 + side * c.s(0.1)),
                    c.y(0.36),
                ],
                fill=shutter,
            )
            for k in range(10):
                y = c.y(0.09) + k * (c.y(0.27) / 10)
                c.draw.line(
                    [(min(x0, x0 + side * c.s(0.1)), y), (max(x0, x0 + side * c.s(0.1)), y)],
                    fill=(*shade(shutter, 0.8), 200),
                    width=2,
                )
        c.draw.rectangle(
            [wx - c.s(0.12), c.y(0.08), wx + c.s(0.12), c.y(0.36)], fill=hex_rgb("3e4a55")
        )
        c.draw.rectangle(
            [wx - c.s(0.14), c.y(0.36), wx + c.s(0.14), c.y(0.375)], fill=shade(wall, 0.85)
        )
    ground = c.y(0.86)
    r = c.s(0.15)
    rear, front = c.x(0.5) - r * 1.55, c.x(0.5) + r * 1.55
    crank = (c.x(0.5) - r * 0.2, ground - r)
    seat_top = (c.x(0.5) - r * 0.55, ground - r * 2.25)
    head = (front - r * 0.55, ground - r * 2.15)
    frame_colour = rng.choice(
        [hex_rgb(h) for h in ("d4574b", "2f5d73", "e7c35a", "3f7a5c", "f3efe8", "222428")]
    )
    tyre = hex_rgb("26262a")
    offset = c.s(0.06)  # the shadow on the wall, up and to the right

    def wheel_shadows(d: ImageDraw.ImageDraw, k: float) -> None:
        for wx0 in (rear, front):
            box = ellipse_box((wx0 + offset) * k, (ground - r - offset * 0.6) * k, r * k)
            d.ellipse(box, outline=255, width=max(1, round(r * 0.12 * k)))

    c.soft(wheel_shadows, (60, 50, 45), blur=0.01, opacity=0.18)
    for wx0 in (rear, front):
        c.draw.ellipse(ellipse_box(wx0, ground - r, r), outline=tyre, width=round(r * 0.11))
        c.draw.ellipse(
            ellipse_box(wx0, ground - r, r * 0.86),
            outline=hex_rgb("b9bcc2"),
            width=max(2, round(r * 0.03)),
        )
        for k in range(16):
            a = k * math.tau / 16
            c.draw.line(
                [
                    (wx0, ground - r),
                    (wx0 + math.cos(a) * r * 0.85, ground - r + math.sin(a) * r * 0.85),
                ],
                fill=(190, 192, 198, 200),
                width=2,
            )
        c.draw.ellipse(ellipse_box(wx0, ground - r, r * 0.08), fill=hex_rgb("9a9ca3"))
    width = round(r * 0.09)
    tubes: list[tuple[Point, Point]] = [
        ((rear, ground - r), crank),
        (crank, seat_top),
        ((rear, ground - r), seat_top),
        (seat_top, head),
        (crank, head),
        (head, (front, ground - r)),
    ]
    for start, end in tubes:
        c.draw.line([start, end], fill=frame_colour, width=width)
    c.draw.line(
        [seat_top, (seat_top[0] - r * 0.05, seat_top[1] - r * 0.25)],
        fill=hex_rgb("2b2b2f"),
        width=width,
    )
    c.draw.polygon(
        [
            (seat_top[0] - r * 0.35, seat_top[1] - r * 0.28),
            (seat_top[0] + r * 0.2, seat_top[1] - r * 0.3),
            (seat_top[0] + r * 0.1, seat_top[1] - r * 0.2),
            (seat_top[0] - r * 0.3, seat_top[1] - r * 0.18),
        ],
        fill=hex_rgb("6b4a36"),
    )
    bar = (head[0] - r * 0.1, head[1] - r * 0.35)
    c.draw.line([head, bar], fill=frame_colour, width=width)
    c.draw.line([bar, (bar[0] - r * 0.35, bar[1] - r * 0.05)], fill=hex_rgb("2b2b2f"), width=width)
    c.draw.ellipse(
        ellipse_box(crank[0], crank[1], r * 0.14), outline=hex_rgb("5a5c63"), width=round(r * 0.05)
    )
    if rng.random() < 0.7:  # a basket of flowers
        bx, by = front - r * 0.15, head[1] - r * 0.05
        c.draw.rounded_rectangle(
            [bx - r * 0.45, by - r * 0.45, bx + r * 0.45, by + r * 0.2],
            radius=r * 0.08,
            fill=hex_rgb("c9a06a"),
        )
        for k in range(5):
            c.draw.line(
                [
                    (bx - r * 0.45, by - r * 0.35 + k * r * 0.13),
                    (bx + r * 0.45, by - r * 0.35 + k * r * 0.13),
                ],
                fill=(*shade(hex_rgb("c9a06a"), 0.75), 200),
                width=2,
            )
        for _ in range(10):
            fx, fy = bx + rng.uniform(-0.4, 0.4) * r, by - r * 0.45 - rng.uniform(0, 0.3) * r
            c.draw.ellipse(ellipse_box(fx, fy + r * 0.1, r * 0.08), fill=hex_rgb("5f8f4e"))
            c.draw.ellipse(
                ellipse_box(fx, fy, r * 0.09),
                fill=rng.choice(
                    [hex_rgb(h) for h in ("f4b6c2", "f7e08a", "ffffff", "e98a7a", "c9b6e8")]
                ),
            )
    if rng.random() < 0.5:
        pot_x = c.x(rng.choice([0.1, 0.9]))
        c.draw.polygon(
            [
                (pot_x - c.s(0.06), ground - c.s(0.14)),
                (pot_x + c.s(0.06), ground - c.s(0.14)),
                (pot_x + c.s(0.045), ground),
                (pot_x - c.s(0.045), ground),
            ],
            fill=hex_rgb("c26e4f"),
        )
        for _ in range(14):
            c.draw.ellipse(
                ellipse_box(
                    pot_x + rng.uniform(-0.08, 0.08) * c.s(1),
                    ground - c.s(0.16) - rng.uniform(0, 0.2) * c.s(1),
                    c.s(0.035),
                ),
                fill=jitter(rng, hex_rgb("5a8a4e"), 14),
            )
    surfaces.window_light(c, rng, hex_rgb("fff3da"))
    c.vignette(0.15)


def lanterns(c: Canvas, rng: random.Random) -> None:
    c.paste_gradient([(0, hex_rgb("141a33")), (0.6, hex_rgb("2b2a4a")), (1, hex_rgb("5a3a4a"))])
    vanish = (c.x(0.5 + rng.uniform(-0.08, 0.08)), c.y(0.62))
    for side in (-1, 1):  # the buildings on both sides, receding to the end of the street
        edge = 0.0 if side < 0 else float(c.w)
        near_x = c.x(0.5 + side * 0.42)
        c.draw.polygon(
            [
                (edge, 0),
                (near_x, 0),
                (vanish[0] + side * c.s(0.04), vanish[1] - c.s(0.1)),
                (vanish[0] + side * c.s(0.04), vanish[1]),
                (near_x, c.h),
                (edge, c.h),
            ],
            fill=hex_rgb("1d1a28"),
        )
        for k in range(7):  # lit shop signs and stalls, smaller towards the end
            t = k / 7
            x = near_x + (vanish[0] - near_x) * t
            size = (1 - t) * c.s(0.1) + c.s(0.01)
            top = c.y(0.3) + (vanish[1] - c.s(0.08) - c.y(0.3)) * t
            sign = [
                min(x, x - side * size * 0.4),
                top,
                max(x, x - side * size * 0.4),
                top + size * 1.6,
            ]
            c.draw.rectangle(sign, fill=jitter(rng, hex_rgb("e9a35a"), 30))
            stall_top = c.h - (c.h - vanish[1]) * t - size * 2.2
            stall = [
                min(x, x - side * size),
                stall_top,
                max(x, x - side * size),
                stall_top + size * 1.2,
            ]
            c.draw.rectangle(stall, fill=jitter(rng, hex_rgb("ffcf86"), 20))
            c.glow(
                (stall[0] + stall[2]) / 2, (stall[1] + stall[3]) / 2, size * 1.5, WARM_LIGHT, 0.35
            )
    c.draw.polygon(
        [
            (c.x(0.08), c.h),
            (vanish[0] - c.s(0.04), vanish[1]),
            (vanish[0] + c.s(0.04), vanish[1]),
            (c.x(0.92), c.h),
        ],
        fill=hex_rgb("3a3042"),
    )
    for row in range(rng.randint(2, 4)):  # strings of lanterns, smaller as they recede
        t = row / 4
        y0 = c.y(0.1) + (vanish[1] - c.y(0.25)) * t
        half = c.x(0.5) * (1 - t * 0.8)
        scale = 1.0 - t * 0.75
        sag = c.s(0.05) * scale
        x0, x1 = vanish[0] - half, vanish[0] + half
        c.draw.line(
            [(x0 + (x1 - x0) * i / 20, y0 + sag * math.sin(math.pi * i / 20)) for i in range(21)],
            fill=hex_rgb("3a2a2a"),
            width=2,
        )
        count = rng.randint(4, 6)
        for i in range(count):
            u = (i + 0.5) / count
            lx = x0 + (x1 - x0) * u
            ly = y0 + sag * math.sin(math.pi * u) + c.s(0.05) * scale
            rw, rh = c.s(0.055) * scale, c.s(0.045) * scale
            c.glow(lx, ly, rw * 3.2, hex_rgb("ff8a5a"), 0.5)
            c.draw.rectangle(
                [lx - rw * 0.3, ly - rh * 1.25, lx + rw * 0.3, ly - rh * 0.9],
                fill=hex_rgb("d6a23a"),
            )
            c.draw.ellipse(ellipse_box(lx, ly, rw, rh), fill=hex_rgb("d8342a"))
            c.draw.ellipse(ellipse_box(lx, ly, rw * 0.55, rh * 0.8), fill=hex_rgb("f0643a"))
            for rib in (0.33, 0.66):
                c.draw.ellipse(
                    ellipse_box(lx, ly, rw * rib, rh), outline=(140, 30, 20, 150), width=2
                )
            c.draw.rectangle(
                [lx - rw * 0.3, ly + rh * 0.9, lx + rw * 0.3, ly + rh * 1.2], fill=hex_rgb("d6a23a")
            )
            c.draw.line(
                [(lx, ly + rh * 1.2), (lx, ly + rh * 1.9)],
                fill=hex_rgb("e0b040"),
                width=max(2, round(rw * 0.08)),
            )
    for _ in range(rng.randint(6, 14)):  # people walking, in silhouette
        t = rng.random() ** 0.7
        px = vanish[0] + rng.uniform(-0.35, 0.35) * c.w * (1 - t)
        py = c.h - (c.h - vanish[1]) * t
        r = c.s(0.035) * (1 - t * 0.85)
        body = shade(hex_rgb("2a2330"), 0.6 + 0.4 * t)
        c.draw.ellipse(ellipse_box(px, py - r * 3.6, r * 0.55), fill=body)
        c.draw.rounded_rectangle(
            [px - r * 0.75, py - r * 3, px + r * 0.75, py], radius=r * 0.6, fill=body
        )

    def haze(d: ImageDraw.ImageDraw, k: float) -> None:
        d.rectangle([0, c.y(0.75) * k, c.w * k, c.h * k], fill=255)

    c.soft(haze, hex_rgb("ff9a6a"), blur=0.08, opacity=0.12)
    c.vignette(0.3)


SCENES = {"street": street, "cafe": cafe, "bicycle": bicycle, "lanterns": lanterns}
