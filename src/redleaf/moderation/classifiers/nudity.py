"""Nudity in images: NudeNet's detector (a YOLOv8n at 320×320 in ONNX, shipped in the `nudenet`
wheel; AGPL-3.0, as Redleaf), run on renditions the media pipeline already re-encoded.

NudeNet finds body parts, each with a confidence. The score of an image is the highest
confidence among the parts that count as nudity here:

    FEMALE_GENITALIA_EXPOSED, MALE_GENITALIA_EXPOSED, FEMALE_BREAST_EXPOSED,
    ANUS_EXPOSED, BUTTOCKS_EXPOSED

and 0.0 when none is found (NudeNet drops detections under 0.2). The others are not nudity on a
lifestyle site: MALE_BREAST_EXPOSED, BELLY_EXPOSED, ARMPITS_EXPOSED and FEET_EXPOSED are every
beach and gym photo, the *_COVERED parts are swimwear and underwear, FACE_* are faces.

The detector loads once per process, on first use (~0.4 s, ~12 MB of weights), and answers in
~30 ms an image on two cores. Calls block: run them in a thread, never on the event loop.

Evaluation (`evaluate_images`, and the `evaluate-images` command below) reads a labelled
directory (one folder per label: `nudity/`, `ok/`) or a TSV (label, path). We cannot ship
explicit images, so the set shipped with the code is drawn at run time (`draw_safe_set`) and
holds only safe pictures: it measures false positives, never recall. An operator measures
precision and recall on a labelled set of their own.
"""

from __future__ import annotations

import csv
import io
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click
import numpy as np
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from redleaf.moderation.classifiers.base import Classifier
from redleaf.moderation.classifiers.evaluate import Evaluation, evaluate_scores, format_table

NUDITY_NAME = "nudity"
EXPOSED_LABELS = frozenset(
    {
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "FEMALE_BREAST_EXPOSED",
        "ANUS_EXPOSED",
        "BUTTOCKS_EXPOSED",
    }
)
# The shipped policy's `nudity-images` rule fires at 0.8; evaluations use the same by default.
DEFAULT_THRESHOLD = 0.8
# The detector sees 320×320; decoding more than this only costs time and memory.
MAX_SIDE = 1280
POSITIVE_IMAGE_LABELS = frozenset({NUDITY_NAME})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".avif", ".heic"})
SAFE_SET_NOTE = (
    "The shipped set holds only safe drawn images: it measures false positives, not recall. "
    "Give a labelled directory (nudity/, ok/) or TSV (label, path) of your own for precision "
    "and recall."
)

ImageInput = str | Path | bytes


class ImageUnreadable(ValueError):
    """The bytes are not an image Pillow can decode."""


_detector: Any = None
_detector_lock = threading.Lock()


def detector() -> Any:
    """NudeNet's detector, built once per process (thread-safe)."""
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                from nudenet import NudeDetector

                _detector = NudeDetector()
    return _detector


def load_pixels(image: ImageInput) -> np.ndarray:
    """The image as NudeNet reads a file (BGR, 8-bit, 3 channels), decoded by Pillow so every
    format we store (WebP, AVIF, HEIC...) works; upright, transparency over white, at most
    MAX_SIDE pixels a side."""
    if isinstance(image, bytes):
        source: Any = io.BytesIO(image)
    else:
        source = Path(image)
    try:
        with Image.open(source) as opened:
            opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
            picture = ImageOps.exif_transpose(opened)
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
                rgba = picture.convert("RGBA")
                flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                picture = Image.alpha_composite(flat, rgba)
            rgb = np.asarray(picture.convert("RGB"))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageUnreadable(str(error)) from error
    return np.ascontiguousarray(rgb[:, :, ::-1])


def detect(image: ImageInput) -> list[dict[str, Any]]:
    """NudeNet's detections: [{"class", "score", "box"}]."""
    found: list[dict[str, Any]] = detector().detect(load_pixels(image))
    return found


def nudity_score(detections: Iterable[dict[str, Any]]) -> float:
    return max(
        (float(d["score"]) for d in detections if d.get("class") in EXPOSED_LABELS), default=0.0
    )


class NudityClassifier(Classifier):
    """The `Classifier` interface over images: `score` takes image paths (so the registry and
    the text-shaped tooling can hold it), `score_images` paths or bytes."""

    name = NUDITY_NAME
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self) -> None:
        from importlib.metadata import version

        self.version = f"nudenet-{version('nudenet')}-320n"

    def score(self, texts: list[str]) -> list[float]:
        return self.score_images(texts)

    def score_images(self, images: Sequence[ImageInput]) -> list[float]:
        return [nudity_score(detect(image)) for image in images]


# --- evaluation ---------------------------------------------------------------------------------


def read_image_labels(source: Path) -> list[tuple[str, Path]]:
    """(label, image path) rows from a directory (each sub-folder's name is the label of the
    images under it) or a TSV with a header naming `label` and `path` (or `text`) columns;
    relative paths are read from the TSV's folder."""
    source = Path(source)
    if source.is_dir():
        return [
            (folder.name, path)
            for folder in sorted(p for p in source.iterdir() if p.is_dir())
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES
        ]
    rows: list[tuple[str, Path]] = []
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        fields = set(reader.fieldnames or ())
        column = "path" if "path" in fields else "text"
        if not {"label", column} <= fields:
            raise ValueError(f"{source}: the header must name the columns label and path")
        for line, record in enumerate(reader, start=2):
            label, raw = (record.get("label") or "").strip(), (record.get(column) or "").strip()
            if not label or not raw:
                raise ValueError(f"{source}:{line}: empty label or path")
            path = Path(raw)
            rows.append((label, path if path.is_absolute() else source.parent / path))
    return rows


def evaluate_images(
    rows: Sequence[tuple[str, Path]],
    threshold: float = DEFAULT_THRESHOLD,
    classifier: NudityClassifier | None = None,
    positive_labels: Iterable[str] = POSITIVE_IMAGE_LABELS,
) -> Evaluation:
    """Precision and recall of the nudity score on labelled images (a row is positive when its
    label is one of `positive_labels`)."""
    classifier = classifier or NudityClassifier()
    wanted = frozenset(positive_labels)
    scores = classifier.score_images([path for _, path in rows])
    return evaluate_scores(NUDITY_NAME, scores, [label in wanted for label, _ in rows], threshold)


def _card(size: tuple[int, int], colour: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", size, colour)


def _gradient(size: tuple[int, int], top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    width, height = size
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    rows = np.array(top)[None, None, :] * (1 - ramp) + np.array(bottom)[None, None, :] * ramp
    return Image.fromarray(np.repeat(rows, width, axis=1).astype(np.uint8), "RGB")


def _safe_pictures() -> dict[str, Image.Image]:
    """Everyday pictures of the kinds members post, some with large skin-coloured areas (the
    hard negatives of a nudity detector): drawn, so they ship as code."""
    pictures: dict[str, Image.Image] = {}
    pictures["text-card"] = _card((720, 960), (250, 236, 214))
    ImageDraw.Draw(pictures["text-card"]).text((60, 400), "Hotpot in Chengdu", fill=(40, 40, 40))
    landscape = _gradient((960, 720), (120, 170, 235), (240, 220, 200))
    draw = ImageDraw.Draw(landscape)
    draw.polygon([(0, 520), (300, 250), (560, 520)], fill=(80, 100, 90))
    draw.polygon([(380, 520), (720, 200), (960, 520)], fill=(60, 85, 80))
    draw.rectangle((0, 520, 960, 720), fill=(90, 140, 70))
    pictures["landscape"] = landscape
    food = _card((720, 720), (245, 240, 230))
    draw = ImageDraw.Draw(food)
    draw.ellipse((110, 110, 610, 610), fill=(180, 30, 20), outline=(60, 60, 60), width=18)
    for x, y in ((250, 250), (400, 300), (300, 420), (450, 450)):
        draw.ellipse((x, y, x + 70, y + 50), fill=(230, 200, 150))
    pictures["hotpot"] = food
    # Measured: NudeNet calls this BUTTOCKS_EXPOSED at ~0.52 (round pale shapes on a skin-toned
    # ground), the highest score of the set: below the policy's 0.8, a reason not to lower it.
    plate = _card((900, 1200), (214, 190, 160))
    draw = ImageDraw.Draw(plate)
    draw.ellipse((150, 300, 750, 900), fill=(250, 250, 245), outline=(90, 90, 90), width=10)
    for x, y in ((300, 450), (450, 420), (380, 600), (520, 580)):
        draw.ellipse((x, y, x + 110, y + 80), fill=(240, 225, 190))
    pictures["plate-on-beige-table"] = plate
    beach = _gradient((960, 640), (110, 180, 240), (200, 230, 250))
    draw = ImageDraw.Draw(beach)
    draw.rectangle((0, 300, 960, 450), fill=(30, 120, 170))
    draw.rectangle((0, 450, 960, 640), fill=(235, 215, 170))
    pictures["beach"] = beach
    skin = _card((720, 960), (120, 110, 100))
    ImageDraw.Draw(skin).ellipse((160, 180, 560, 780), fill=(224, 172, 140))
    pictures["skin-oval"] = skin
    face = _card((720, 720), (200, 225, 240))
    draw = ImageDraw.Draw(face)
    draw.ellipse((180, 120, 540, 540), fill=(240, 200, 170))
    draw.ellipse((270, 260, 310, 300), fill=(40, 30, 30))
    draw.ellipse((410, 260, 450, 300), fill=(40, 30, 30))
    draw.arc((290, 330, 430, 450), 20, 160, fill=(150, 50, 50), width=8)
    draw.rectangle((230, 540, 490, 720), fill=(40, 80, 160))  # a shirt
    pictures["portrait"] = face
    warm = _gradient((720, 960), (250, 210, 180), (200, 140, 110))
    pictures["warm-gradient"] = warm
    noise = np.random.default_rng(7).integers(0, 256, (540, 720, 3), dtype=np.uint8)
    pictures["noise"] = Image.fromarray(noise, "RGB")
    checks = np.indices((640, 640)).sum(axis=0) // 80 % 2
    pictures["checks"] = Image.fromarray((checks * 200 + 30).astype(np.uint8), "L").convert("RGB")
    return pictures


def draw_safe_set(directory: Path) -> Path:
    """Write the shipped safe set (WebP, as our renditions are) and its `labels.tsv` under
    `directory`; the TSV's path."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = ["label\tpath"]
    for name, picture in _safe_pictures().items():
        picture.save(directory / f"{name}.webp", "WEBP", quality=82)
        lines.append(f"ok\t{name}.webp")
    labels = directory / "labels.tsv"
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return labels


def evaluation_report(source: Path | None, threshold: float = DEFAULT_THRESHOLD) -> str:
    """The evaluation table of a labelled directory or TSV; with none, of the shipped safe set,
    said so in the output."""
    with tempfile.TemporaryDirectory(prefix="redleaf-nudity-") as scratch:
        path = source if source is not None else draw_safe_set(Path(scratch))
        rows = read_image_labels(path)
        if not rows:
            raise ValueError(f"{path}: no labelled images")
        scores = NudityClassifier().score_images([image for _, image in rows])
    positives = [label in POSITIVE_IMAGE_LABELS for label, _ in rows]
    result = evaluate_scores(NUDITY_NAME, scores, positives, threshold)
    safe = [score for score, positive in zip(scores, positives, strict=True) if not positive]
    lines = [
        format_table([result]),
        f"{len(rows)} images from {'the shipped safe set' if source is None else path}; "
        f"false positives: {result.false_positives} of {len(safe)} safe images, "
        f"highest safe score {max(safe, default=0.0):.3f}",
    ]
    if source is None:
        lines.append(SAFE_SET_NOTE)
    return "\n".join(lines)


@click.command("evaluate-images")
@click.argument(
    "source", required=False, type=click.Path(exists=True, path_type=Path), default=None
)
@click.option("--threshold", type=float, default=DEFAULT_THRESHOLD, show_default=True)
def evaluate_images_command(source: Path | None, threshold: float) -> None:
    """Precision and recall of the nudity classifier on labelled images: a directory with one
    folder per label (nudity/, ok/) or a TSV (label, path). Without SOURCE: the shipped set of
    safe drawn images, which measures false positives only."""
    try:
        click.echo(evaluation_report(source, threshold))
    except (ValueError, ImageUnreadable) as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    evaluate_images_command()
