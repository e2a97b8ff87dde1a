"""Photos: verify, orient, strip, re-encode.

1. Open with the one Pillow plugin the sniffed format names, and refuse more pixels than
   `image_max_pixels` from the header alone, before a single pixel is decoded (a 30000×30000
   PNG of a few KB would otherwise take 3.6 GB).
2. Decode the whole file, so a truncated upload is refused (a JPEG is decoded straight at the
   smallest DCT scale still larger than the biggest rendition: a quarter of the pixels of a
   12 MP photo, and of the memory; bench/media.py).
3. Resize, convert to sRGB (iPhone photos are Display P3), apply the EXIF orientation.
4. Encode new files from the pixels alone, so no EXIF, GPS, XMP, ICC or comment survives.

Renditions are WebP (quality 80): about 30% smaller than a progressive JPEG at quality 82 on our
benchmark photos, which matters for a grid of photos on a phone's data plan; every browser we
support decodes it. The price is encoding time (hence effort 2, see WEBP_METHOD). WebP stops at
16,383 pixels a side, so a taller "long image" gets a JPEG instead. A GIF keeps its first frame
only: an animation would need its every frame checked against the pixel limit and re-encoded,
several times the work for a format phones no longer make.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pillow_heif
from PIL import Image, ImageCms, UnidentifiedImageError

from redleaf.media.errors import DAMAGED, IMAGE_TOO_LARGE, UNSUPPORTED, MediaRefused
from redleaf.media.storage import Storage
from redleaf.settings import Settings

# iPhone HEIC: the main picture only (no thumbnails, depth maps or auxiliary images).
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP", "heic": "HEIF"}
WEBP_QUALITY = 80
# Effort 2 of 6: about 3× faster than Pillow's default 4 for files ~3% larger (12 MP photos).
WEBP_METHOD = 2
# Bicubic, not Lanczos: Pillow widens either filter by the scale factor, so both antialias a
# reduction; Lanczos cost 3-4× the time here (the largest single cost of a photo) for a
# difference not visible at these sizes.
_RESAMPLE = Image.Resampling.BICUBIC
JPEG_QUALITY = 82
WEBP_MAX_SIDE = 16_383
JPEG_MAX_SIDE = 65_500
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What a broken file makes Pillow and its plugins raise.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


@dataclass
class Still:
    width: int  # the oriented image, full size
    height: int
    color: str  # "#rrggbb": the average colour, shown while the picture loads
    renditions: dict[str, dict[str, Any]] = field(default_factory=dict)


def process_image(path: Path, fmt: str, settings: Settings, storage: Storage, prefix: str) -> Still:
    """Verify the photo at `path` and write its renditions under `prefix`."""
    with warnings.catch_warnings():
        # Our own pixel limit applies; Pillow's warning at its lower default would be noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path, formats=[PIL_FORMATS[fmt]])
        except Image.DecompressionBombError as exc:
            raise MediaRefused(IMAGE_TOO_LARGE, str(exc)) from None
        except UnidentifiedImageError as exc:
            raise MediaRefused(UNSUPPORTED, str(exc)) from None
        except _DECODE_ERRORS as exc:
            raise MediaRefused(DAMAGED, f"open: {exc}") from None
        with image:
            return _process_open(image, fmt, settings, storage, prefix)


def _process_open(
    image: Image.Image, fmt: str, settings: Settings, storage: Storage, prefix: str
) -> Still:
    width, height = image.size
    if width < 1 or height < 1:
        raise MediaRefused(DAMAGED, "no pixels")
    if width * height > settings.image_max_pixels:
        raise MediaRefused(IMAGE_TOO_LARGE, f"{width}x{height}")
    orientation = 1
    if fmt == "jpeg":
        orientation = _orientation(image)
        oriented_width = height if orientation >= 5 else width
        scale = min(1.0, max(settings.image_widths) / oriented_width)
        # Decode at the smallest 1/2, 1/4 or 1/8 scale that is still at least this large.
        image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
    try:
        image.load()
    except Image.DecompressionBombError as exc:
        raise MediaRefused(IMAGE_TOO_LARGE, str(exc)) from None
    except _DECODE_ERRORS as exc:
        raise MediaRefused(DAMAGED, f"decode: {exc}") from None
    if fmt != "jpeg":
        orientation = _orientation(image)
    full = (height, width) if orientation >= 5 else (width, height)
    return render_still(image, settings, storage, prefix, orientation=orientation, full_size=full)


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except _DECODE_ERRORS:
        return 1  # unreadable EXIF: no orientation, and it is dropped anyway
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def render_still(
    image: Image.Image,
    settings: Settings,
    storage: Storage,
    prefix: str,
    *,
    orientation: int = 1,
    full_size: tuple[int, int] | None = None,
) -> Still:
    """Renditions of decoded pixels (a photo, or a video's poster frame) at every configured
    width, never wider than the picture itself."""
    image = _plain_mode(image)
    upright = image.size if orientation < 5 else (image.height, image.width)
    largest_width = min(max(settings.image_widths), upright[0])
    largest_height = max(1, round(upright[1] * largest_width / upright[0]))
    if largest_height > JPEG_MAX_SIDE:
        raise MediaRefused(UNSUPPORTED, f"too narrow: {upright}")
    target = (largest_width, largest_height) if orientation < 5 else (largest_height, largest_width)
    if target != image.size:
        image = image.resize(target, _RESAMPLE, reducing_gap=3.0)
    image = _to_srgb(image)
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    width, height = full_size or image.size
    still = Still(width=width, height=height, color="#000000")
    written: dict[tuple[int, int], dict[str, Any]] = {}
    smallest = image
    for label in sorted(settings.image_widths, reverse=True):
        size_w = min(label, image.width)
        size = (size_w, max(1, round(image.height * size_w / image.width)))
        if size not in written:
            rendition = image if size == image.size else image.resize(size, _RESAMPLE)
            written[size] = _save(rendition, storage, f"{prefix}/{label}")
            smallest = rendition
        still.renditions[str(label)] = written[size]
    still.color = average_colour(smallest)
    return still


def _plain_mode(image: Image.Image) -> Image.Image:
    """RGB, RGBA, L or CMYK (kept for its colour profile); 16-bit greys scaled down."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "CMYK"):
        return image
    if mode.startswith("I") or mode == "F":
        converted = image.convert("I").point(lambda value: value * (1 / 256))
        return converted.convert("L")
    has_alpha = "A" in mode or "a" in mode or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    profile_bytes = image.info.get("icc_profile")
    output = "RGBA" if image.mode == "RGBA" else "RGB"
    if profile_bytes and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes))
            if "srgb" not in ImageCms.getProfileDescription(profile).lower():
                converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=output)
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: take the numbers as they are, as browsers do
    return image if image.mode == output else image.convert(output)


def _save(image: Image.Image, storage: Storage, stem: str) -> dict[str, Any]:
    image.info = {}  # nothing of the source rides along (JPEG would keep a comment)
    buffer = io.BytesIO()
    if max(image.size) <= WEBP_MAX_SIDE:
        key = f"{stem}.webp"
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        key = f"{stem}.jpg"
        flat = _flatten(image)
        flat.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    data = buffer.getvalue()
    storage.save_bytes(key, data)
    return {"key": key, "width": image.width, "height": image.height, "bytes": len(data)}


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent pixels over white, as the page shows them."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, image).convert("RGB")


def average_colour(image: Image.Image) -> str:
    red, green, blue = _flatten(image).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))  # type: ignore[misc]
    return f"#{red:02x}{green:02x}{blue:02x}"
