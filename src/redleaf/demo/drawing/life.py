"""Fashion, fitness and home: clothes on a rail, an outfit laid flat, a yoga corner in the
morning sun, a cosy living-room corner, and a desk by the window."""

from __future__ import annotations

import math
import random

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

CLOTHES = [
    hex_rgb(h)
    for h in (
        "e9dcc9",
        "c9a27e",
        "7d8b6a",
        "b8c7d9",
        "f2f0eb",
        "d98c7a",
        "3f4a5a",
        "e7c9c4",
        "a67b5b",
        "5b6f8f",
    )
]


def _garment(c: Canvas, rng: random.Random, x: float, rail: float, colour: RGB, kind: str) -> None:
    hook = c.s(0.035)
    c.draw.arc(
        ellipse_box(x, rail, hook * 0.5),
        180,
        360,
        fill=hex_rgb("8a8c90"),
        width=max(2, round(c.s(0.004))),
    )
    shoulder = rail + hook * 0.9
    w = c.s(rng.uniform(0.16, 0.2))
    c.draw.polygon(
        [(x, rail + hook * 0.3), (x - w * 0.55, shoulder), (x + w * 0.55, shoulder)],
        fill=hex_rgb("b98d62"),
    )
    if kind == "dress":
        length = c.s(rng.uniform(0.55, 0.65))
        body = [
            (x - w * 0.35, shoulder),
            (x + w * 0.35, shoulder),
            (x + w * 0.3, shoulder + length * 0.35),
            (x + w * 0.75, shoulder + length),
            (x - w * 0.75, shoulder + length),
            (x - w * 0.3, shoulder + length * 0.35),
        ]
    elif kind == "coat":
        length = c.s(rng.uniform(0.6, 0.7))
        body = [
            (x - w * 0.5, shoulder),
            (x + w * 0.5, shoulder),
            (x + w * 0.58, shoulder + length),
            (x - w * 0.58, shoulder + length),
        ]
    else:  # a shirt or knit
        length = c.s(rng.uniform(0.35, 0.42))
        body = [
            (x - w * 0.5, shoulder),
            (x + w * 0.5, shoulder),
            (x + w * 0.48, shoulder + length),
            (x - w * 0.48, shoulder + length),
        ]
    c.shadow_polygon(
        [(px + c.s(0.02), py + c.s(0.01)) for px, py in body], blur=0.015, opacity=0.25
    )
    c.draw.polygon(body, fill=colour)
    for side in (-1, 1):  # sleeves hanging down
        if kind != "dress":
            c.draw.polygon(
                [
                    (x + side * w * 0.5, shoulder),
                    (x + side * w * 0.62, shoulder + length * 0.75),
                    (x + side * w * 0.45, shoulder + length * 0.78),
                    (x + side * w * 0.4, shoulder + c.s(0.04)),
                ],
                fill=shade(colour, 0.92),
            )
    c.draw.line(
        [(x, shoulder), (x, shoulder + length * (0.95 if kind == "coat" else 0.2))],
        fill=(*shade(colour, 0.75), 150),
        width=max(2, round(c.s(0.003))),
    )
    if kind == "knit":
        for k in range(int(length / c.s(0.025))):  # ribbing
            y = shoulder + k * c.s(0.025)
            c.draw.line(
                [(x - w * 0.45, y), (x + w * 0.45, y)], fill=(*shade(colour, 0.9), 80), width=2
            )
    c.draw.polygon(
        [(x - w * 0.15, shoulder), (x, shoulder + c.s(0.04)), (x + w * 0.15, shoulder)],
        fill=shade(colour, 0.8),
    )


def rack(c: Canvas, rng: random.Random) -> None:
    surfaces.room(c, rng, 0.84)
    rail = c.y(0.14)
    metal = rng.choice([hex_rgb("c9a86a"), hex_rgb("2e2e30"), hex_rgb("b9bcc2")])
    c.draw.line([(c.x(0.06), rail), (c.x(0.94), rail)], fill=metal, width=round(c.s(0.012)))
    for x in (c.x(0.06), c.x(0.94)):
        c.draw.line([(x, rail), (x, c.y(0.9))], fill=metal, width=round(c.s(0.012)))
    palette = rng.sample(CLOTHES, k=5)
    count = rng.randint(4, 6)
    kinds = ["shirt", "knit", "dress", "coat"]
    for i in range(count):
        x = c.x(0.16 + i * (0.68 / max(1, count - 1)))
        _garment(c, rng, x, rail, palette[i % len(palette)], rng.choice(kinds))
    for k in range(rng.randint(1, 3)):  # shoes and a bag below
        sx = c.x(0.2 + k * 0.25 + rng.uniform(-0.05, 0.05))
        sy = c.y(0.9)
        colour = rng.choice(palette)
        c.shadow_ellipse(ellipse_box(sx, sy + c.s(0.01), c.s(0.08), c.s(0.015)), opacity=0.35)
        c.draw.rounded_rectangle(
            [sx - c.s(0.08), sy - c.s(0.04), sx + c.s(0.08), sy], radius=c.s(0.03), fill=colour
        )
        c.draw.rectangle(
            [sx - c.s(0.08), sy - c.s(0.008), sx + c.s(0.08), sy], fill=hex_rgb("f4f1ea")
        )
    if rng.random() < 0.6:
        px = c.x(rng.choice([0.05, 0.95]))
        c.draw.polygon(
            [
                (px - c.s(0.07), c.y(0.82)),
                (px + c.s(0.07), c.y(0.82)),
                (px + c.s(0.05), c.y(0.92)),
                (px - c.s(0.05), c.y(0.92)),
            ],
            fill=hex_rgb("e8e2da"),
        )
        for _ in range(7):
            a = rng.uniform(-2.6, -0.5)
            c.draw.polygon(
                blob(
                    px + math.cos(a) * c.s(0.12),
                    c.y(0.82) + math.sin(a) * c.s(0.16),
                    c.s(0.09),
                    c.s(0.04),
                    math.degrees(a),
                ),
                fill=jitter(rng, hex_rgb("4f7d4a"), 12),
            )
    surfaces.window_light(c, rng)
    c.vignette(0.15)


def outfit(c: Canvas, rng: random.Random) -> None:
    base = surfaces.table(c, rng, ("linen", "wood", "terrazzo"))
    top, bottom = rng.sample(CLOTHES, k=2)
    x, y = c.x(0.45), c.y(0.3)
    w = c.s(0.3)
    tee = [
        (x - w * 0.5, y - w * 0.35),
        (x - w * 0.15, y - w * 0.45),
        (x + w * 0.15, y - w * 0.45),
        (x + w * 0.5, y - w * 0.35),
        (x + w * 0.75, y - w * 0.05),
        (x + w * 0.5, y + w * 0.08),
        (x + w * 0.45, y + w * 0.6),
        (x - w * 0.45, y + w * 0.6),
        (x - w * 0.5, y + w * 0.08),
        (x - w * 0.75, y - w * 0.05),
    ]
    c.shadow_polygon([(px + c.s(0.012), py + c.s(0.016)) for px, py in tee], opacity=0.28)
    c.draw.polygon(tee, fill=top)
    c.draw.arc(
        ellipse_box(x, y - w * 0.45, w * 0.15, w * 0.1),
        0,
        180,
        fill=shade(top, 0.8),
        width=round(c.s(0.006)),
    )
    ly = y + w * 0.68
    legs = [
        (x - w * 0.42, ly),
        (x + w * 0.42, ly),
        (x + w * 0.52, ly + w * 1.35),
        (x + w * 0.08, ly + w * 1.35),
        (x, ly + w * 0.35),
        (x - w * 0.08, ly + w * 1.35),
        (x - w * 0.52, ly + w * 1.35),
    ]
    c.shadow_polygon([(px + c.s(0.012), py + c.s(0.016)) for px, py in legs], opacity=0.28)
    c.draw.polygon(legs, fill=bottom)
    c.draw.line(
        [(x - w * 0.42, ly + w * 0.06), (x + w * 0.42, ly + w * 0.06)],
        fill=shade(bottom, 0.8),
        width=round(c.s(0.005)),
    )
    bx, by = c.x(0.8), c.y(0.32)  # a bag
    bag = rng.choice(CLOTHES)
    c.draw.arc(
        [bx - c.s(0.08), by - c.s(0.13), bx + c.s(0.08), by + c.s(0.02)],
        180,
        360,
        fill=shade(bag, 0.7),
        width=round(c.s(0.01)),
    )
    c.shadow_rounded(
        [bx - c.s(0.11) + 8, by - c.s(0.04) + 10, bx + c.s(0.11) + 8, by + c.s(0.12) + 10],
        c.s(0.03),
        opacity=0.3,
    )
    c.draw.rounded_rectangle(
        [bx - c.s(0.11), by - c.s(0.04), bx + c.s(0.11), by + c.s(0.12)], radius=c.s(0.03), fill=bag
    )
    c.draw.rectangle([bx - c.s(0.02), by, bx + c.s(0.02), by + c.s(0.02)], fill=hex_rgb("d6b46a"))
    gx, gy = c.x(0.8), c.y(0.62)  # sunglasses
    for side in (-1, 1):
        c.draw.ellipse(
            ellipse_box(gx + side * c.s(0.045), gy, c.s(0.038), c.s(0.032)), fill=hex_rgb("3a302c")
        )
        c.draw.ellipse(
            ellipse_box(gx + side * c.s(0.045) - c.s(0.012), gy - c.s(0.01), c.s(0.01)),
            fill=(255, 255, 255, 70),
        )
    c.draw.arc(
        ellipse_box(gx, gy - c.s(0.005), c.s(0.012)),
        200,
        340,
        fill=hex_rgb("3a302c"),
        width=round(c.s(0.005)),
    )
    for k in range(2):  # sneakers from above
        sx, sy = c.x(0.72 + k * 0.12), c.y(0.82)
        c.shadow_polygon(
            blob(sx + 8, sy + 12, c.s(0.045), c.s(0.1), 8, squareness=2.4), opacity=0.25
        )
        c.draw.polygon(
            blob(sx, sy, c.s(0.045), c.s(0.1), 8, squareness=2.4), fill=hex_rgb("f7f5f0")
        )
        c.draw.polygon(blob(sx, sy - c.s(0.01), c.s(0.025), c.s(0.05), 8), fill=shade(base, 0.9))
    surfaces.sprig(c, rng, c.x(0.02), c.y(0.98), c.s(0.35), math.radians(-50))
    surfaces.window_light(c, rng)
    c.vignette(0.15)


def yoga(c: Canvas, rng: random.Random) -> None:
    horizon = rng.uniform(0.55, 0.62)
    wall, floor = surfaces.room(c, rng, horizon)
    if rng.random() < 0.7:  # a window with the morning outside
        wx0, wx1 = c.x(rng.uniform(0.1, 0.3)), c.x(rng.uniform(0.6, 0.85))
        wy0, wy1 = c.y(0.08), c.y(horizon - 0.08)
        c.paste_gradient(
            [(0, hex_rgb("a9cbe6")), (1, hex_rgb("f6e2c4"))], top=wy0 / c.h, bottom=wy1 / c.h
        )
        c.draw.rectangle([0, wy0, wx0, wy1], fill=shade(wall, 0.98))
        c.draw.rectangle([wx1, wy0, c.w, wy1], fill=shade(wall, 0.98))
        for k in range(3):
            c.draw.ellipse(
                ellipse_box(wx0 + (wx1 - wx0) * (0.2 + k * 0.3), wy1, c.s(0.1), c.s(0.06)),
                fill=jitter(rng, hex_rgb("8fb28a"), 12),
            )
        c.draw.rectangle([wx0, wy0, wx1, wy1], outline=hex_rgb("f7f4ee"), width=round(c.s(0.014)))
        c.draw.line(
            [((wx0 + wx1) / 2, wy0), ((wx0 + wx1) / 2, wy1)],
            fill=hex_rgb("f7f4ee"),
            width=round(c.s(0.01)),
        )
    mat = rng.choice([hex_rgb(h) for h in ("8fa9a0", "c9a0b4", "9aa8cf", "d9a07a", "6f8a6a")])
    top_y = c.y(horizon + 0.1)
    mat_poly = [
        (c.x(0.22), top_y),
        (c.x(0.62), top_y),
        (c.x(0.86), c.y(0.98)),
        (c.x(0.02), c.y(0.98)),
    ]
    c.shadow_polygon(
        [(x + c.s(0.01), y + c.s(0.015)) for x, y in mat_poly], blur=0.01, opacity=0.25
    )
    c.draw.polygon(mat_poly, fill=mat)
    c.draw.line([mat_poly[0], mat_poly[1]], fill=shade(mat, 1.1), width=round(c.s(0.006)))
    rx, ry = c.x(0.8), c.y(horizon + 0.12)  # a second mat, rolled up
    c.draw.rounded_rectangle(
        [rx - c.s(0.13), ry - c.s(0.05), rx + c.s(0.08), ry + c.s(0.05)],
        radius=c.s(0.05),
        fill=shade(mat, 0.85),
    )
    c.draw.ellipse(ellipse_box(rx + c.s(0.08), ry, c.s(0.035), c.s(0.05)), fill=shade(mat, 1.05))
    c.draw.arc(
        ellipse_box(rx + c.s(0.08), ry, c.s(0.02), c.s(0.03)), 0, 300, fill=shade(mat, 0.7), width=3
    )
    for k in range(2):  # dumbbells
        dx, dy = c.x(0.1 + k * 0.1), c.y(horizon + 0.06)
        bell = rng.choice([hex_rgb("e8a87c"), hex_rgb("6c7a89"), hex_rgb("c3d5c9")])
        c.shadow_ellipse(ellipse_box(dx, dy + c.s(0.03), c.s(0.07), c.s(0.01)), opacity=0.3)
        c.draw.rectangle(
            [dx - c.s(0.05), dy - c.s(0.008), dx + c.s(0.05), dy + c.s(0.008)],
            fill=hex_rgb("9a9ca3"),
        )
        for side in (-1, 1):
            c.draw.polygon(
                blob(dx + side * c.s(0.05), dy, c.s(0.02), c.s(0.032), 0, squareness=5), fill=bell
            )
    bx, by = c.x(0.7), c.y(horizon + 0.03)  # a water bottle
    c.shadow_ellipse(ellipse_box(bx + c.s(0.02), by, c.s(0.04), c.s(0.008)), opacity=0.3)
    c.draw.rounded_rectangle(
        [bx - c.s(0.025), by - c.s(0.16), bx + c.s(0.025), by],
        radius=c.s(0.012),
        fill=rng.choice([hex_rgb("f3efe8"), hex_rgb("aac6d6"), hex_rgb("e8c7c7")]),
    )
    c.draw.rounded_rectangle(
        [bx - c.s(0.018), by - c.s(0.19), bx + c.s(0.018), by - c.s(0.15)],
        radius=c.s(0.006),
        fill=hex_rgb("3a3a3e"),
    )
    if rng.random() < 0.7:  # a plant in the corner
        px = c.x(rng.choice([0.06, 0.94]))
        pot_y = c.y(horizon + 0.02)
        c.draw.polygon(
            [
                (px - c.s(0.07), pot_y - c.s(0.13)),
                (px + c.s(0.07), pot_y - c.s(0.13)),
                (px + c.s(0.05), pot_y),
                (px - c.s(0.05), pot_y),
            ],
            fill=hex_rgb("e9e3da"),
        )
        for _ in range(9):
            a = rng.uniform(-2.8, -0.3)
            lx, ly = px + math.cos(a) * c.s(0.14), pot_y - c.s(0.13) + math.sin(a) * c.s(0.2)
            c.draw.line([(px, pot_y - c.s(0.13)), (lx, ly)], fill=hex_rgb("4f6f3f"), width=3)
            c.draw.polygon(
                blob(lx, ly, c.s(0.08), c.s(0.05), math.degrees(a)),
                fill=jitter(rng, hex_rgb("4f8048"), 12),
            )
    surfaces.window_light(c, rng, mix(hex_rgb("fff2d6"), floor, 0.1))
    c.vignette(0.15)


def living_room(c: Canvas, rng: random.Random) -> None:
    horizon = rng.uniform(0.68, 0.74)
    wall, floor = surfaces.room(c, rng, horizon)
    frame_x, frame_y = c.x(rng.uniform(0.3, 0.6)), c.y(0.22)
    fw, fh = c.s(0.22), c.s(0.16)  # a framed print of a landscape
    c.shadow_rounded(
        [frame_x - fw / 2 + 8, frame_y - fh / 2 + 12, frame_x + fw / 2 + 8, frame_y + fh / 2 + 12],
        4,
        opacity=0.25,
    )
    c.draw.rectangle(
        [frame_x - fw / 2, frame_y - fh / 2, frame_x + fw / 2, frame_y + fh / 2],
        fill=hex_rgb("3a2e28"),
    )
    c.draw.rectangle(
        [frame_x - fw * 0.42, frame_y - fh * 0.38, frame_x + fw * 0.42, frame_y + fh * 0.38],
        fill=hex_rgb("f1e3cf"),
    )
    c.draw.ellipse(
        ellipse_box(frame_x + fw * 0.15, frame_y - fh * 0.1, fh * 0.12), fill=hex_rgb("e58a5a")
    )
    c.draw.polygon(
        [
            (frame_x - fw * 0.42, frame_y + fh * 0.38),
            (frame_x - fw * 0.1, frame_y - fh * 0.05),
            (frame_x + fw * 0.15, frame_y + fh * 0.15),
            (frame_x + fw * 0.42, frame_y + fh * 0.0),
            (frame_x + fw * 0.42, frame_y + fh * 0.38),
        ],
        fill=hex_rgb("7d9a8a"),
    )
    sofa = rng.choice(
        [hex_rgb(h) for h in ("c9b8a6", "8fa3a8", "d9a48f", "a7b59a", "ece4d8", "6f7f9a")]
    )
    sx0, sx1 = c.x(0.08), c.x(0.78)
    seat = c.y(horizon + 0.08)
    c.shadow_rounded(
        [sx0, seat - c.s(0.02), sx1 + c.s(0.04), seat + c.s(0.05)],
        c.s(0.03),
        blur=0.02,
        opacity=0.35,
    )
    c.draw.rounded_rectangle(
        [sx0 + c.s(0.03), seat - c.s(0.32), sx1 - c.s(0.03), seat - c.s(0.1)],
        radius=c.s(0.05),
        fill=shade(sofa, 0.92),
    )
    c.draw.rounded_rectangle([sx0, seat - c.s(0.14), sx1, seat], radius=c.s(0.04), fill=sofa)
    for x0 in (sx0 - c.s(0.02), sx1 - c.s(0.07)):
        c.draw.rounded_rectangle(
            [x0, seat - c.s(0.22), x0 + c.s(0.09), seat + c.s(0.005)],
            radius=c.s(0.04),
            fill=shade(sofa, 0.96),
        )
    c.draw.line(
        [((sx0 + sx1) / 2, seat - c.s(0.14)), ((sx0 + sx1) / 2, seat - c.s(0.02))],
        fill=(*shade(sofa, 0.8), 160),
        width=3,
    )
    for k in range(rng.randint(1, 3)):  # cushions
        cx0 = sx0 + c.s(0.1) + k * c.s(0.16)
        cushion = rng.choice(CLOTHES)
        c.draw.polygon(
            blob(
                cx0 + c.s(0.06),
                seat - c.s(0.2),
                c.s(0.07),
                c.s(0.065),
                rng.uniform(-12, 12),
                squareness=3,
            ),
            fill=cushion,
        )
    rug = rng.choice([hex_rgb("e9dcc7"), hex_rgb("d9c0b0"), hex_rgb("c8d0c4")])
    c.draw.ellipse(ellipse_box(c.x(0.45), c.y(horizon + 0.2), c.x(0.4), c.s(0.06)), fill=rug)
    lx = c.x(0.88)  # a floor lamp, lit
    c.draw.line(
        [(lx, c.y(horizon + 0.1)), (lx, c.y(0.28))], fill=hex_rgb("2e2e30"), width=round(c.s(0.008))
    )
    c.glow(lx, c.y(0.3), c.s(0.25), hex_rgb("ffe2b0"), 0.55)
    c.draw.polygon(
        [
            (lx - c.s(0.07), c.y(0.31)),
            (lx + c.s(0.07), c.y(0.31)),
            (lx + c.s(0.045), c.y(0.22)),
            (lx - c.s(0.045), c.y(0.22)),
        ],
        fill=hex_rgb("f4e6cc"),
    )
    px = c.x(rng.uniform(0.02, 0.1))  # a monstera
    pot_y = c.y(horizon + 0.14)
    for _ in range(8):
        a = rng.uniform(-2.4, -0.6)
        lx2, ly2 = (
            px + c.s(0.05) + math.cos(a) * c.s(0.2),
            pot_y - c.s(0.15) + math.sin(a) * c.s(0.3),
        )
        c.draw.line(
            [(px + c.s(0.05), pot_y - c.s(0.15)), (lx2, ly2)], fill=hex_rgb("3f6a3a"), width=3
        )
        leaf = jitter(rng, hex_rgb("3f7a48"), 12)
        c.draw.polygon(blob(lx2, ly2, c.s(0.08), c.s(0.06), math.degrees(a)), fill=leaf)
        for k in (-1, 1):  # the splits in a monstera leaf
            c.draw.line(
                [(lx2, ly2), (lx2 + k * c.s(0.05), ly2 + c.s(0.03))],
                fill=shade(wall, 0.95),
                width=3,
            )
    c.draw.polygon(
        [
            (px - c.s(0.03), pot_y - c.s(0.16)),
            (px + c.s(0.13), pot_y - c.s(0.16)),
            (px + c.s(0.11), pot_y),
            (px - c.s(0.01), pot_y),
        ],
        fill=hex_rgb("d7cfc4"),
    )
    surfaces.window_light(c, rng)
    c.vignette(0.15)


def desk(c: Canvas, rng: random.Random) -> None:
    surfaces.table(c, rng, ("wood", "wood", "linen"))
    lx, ly = c.x(0.45), c.y(0.42)  # an open laptop from above
    lw, lh = c.s(0.32), c.s(0.22)
    c.shadow_rounded(
        [lx - lw + 10, ly - lh + 14, lx + lw + 10, ly + lh + 14], c.s(0.02), opacity=0.3
    )
    c.draw.rounded_rectangle(
        [lx - lw, ly - lh, lx + lw, ly + lh], radius=c.s(0.02), fill=hex_rgb("c9cbd0")
    )
    for row in range(5):
        for col in range(12):
            kx = lx - lw * 0.9 + col * lw * 0.152
            ky = ly - lh * 0.8 + row * lh * 0.22
            c.draw.rounded_rectangle(
                [kx, ky, kx + lw * 0.12, ky + lh * 0.16], radius=3, fill=hex_rgb("4a4c52")
            )
    c.draw.rounded_rectangle(
        [lx - lw * 0.3, ly + lh * 0.35, lx + lw * 0.3, ly + lh * 0.9],
        radius=c.s(0.01),
        fill=hex_rgb("b7b9bf"),
    )
    nx, ny = c.x(0.22), c.y(0.78)  # a notebook with a pen
    c.shadow_rounded(
        [nx - c.s(0.14) + 8, ny - c.s(0.18) + 10, nx + c.s(0.14) + 8, ny + c.s(0.18) + 10],
        6,
        opacity=0.28,
    )
    c.draw.rectangle(
        [nx - c.s(0.14), ny - c.s(0.18), nx + c.s(0.14), ny + c.s(0.18)], fill=hex_rgb("fbf8f1")
    )
    for k in range(12):
        y = ny - c.s(0.15) + k * c.s(0.026)
        c.draw.line([(nx - c.s(0.12), y), (nx + c.s(0.12), y)], fill=(160, 170, 190, 120), width=2)
    for k in range(5):
        y = ny - c.s(0.14) + k * c.s(0.052)
        c.draw.line(
            [(nx - c.s(0.1), y), (nx + c.s(rng.uniform(0.0, 0.1)), y)],
            fill=(70, 70, 90, 200),
            width=3,
        )
    c.draw.line(
        [(nx + c.s(0.18), ny - c.s(0.16)), (nx + c.s(0.2), ny + c.s(0.16))],
        fill=hex_rgb("2f3a5a"),
        width=round(c.s(0.012)),
    )
    mx, my = c.x(0.8), c.y(0.75)  # a mug of tea
    c.draw.rounded_rectangle(
        [mx + c.s(0.06), my - c.s(0.02), mx + c.s(0.11), my + c.s(0.02)],
        radius=c.s(0.015),
        fill=hex_rgb("e7d9c4"),
    )
    c.shadow_ellipse(ellipse_box(mx + 8, my + 12, c.s(0.08)), opacity=0.3)
    c.draw.ellipse(ellipse_box(mx, my, c.s(0.08)), fill=hex_rgb("e7d9c4"))
    c.radial_shade(ellipse_box(mx, my, c.s(0.065)), hex_rgb("c98a4a"), hex_rgb("8a5226"))
    for k in range(rng.randint(2, 3)):  # a stack of books
        bx, by = c.x(0.82), c.y(0.18) + k * c.s(0.015)
        cover = rng.choice(CLOTHES)
        c.draw.rounded_rectangle(
            [bx - c.s(0.13), by - c.s(0.09), bx + c.s(0.13), by + c.s(0.09)],
            radius=4,
            fill=cover,
            outline=shade(cover, 0.8),
        )
    surfaces.sprig(c, rng, c.x(1.0), c.y(0.5), c.s(0.3), math.radians(200))
    surfaces.window_light(c, rng)
    c.vignette(0.15)


SCENES = {"rack": rack, "outfit": outfit, "yoga": yoga, "living_room": living_room, "desk": desk}
