"""Photos, videos and hostile files made by code, so no binary fixture is committed.

Small on purpose: the suite stays fast. Every picture has a red top-left quadrant on a dark
green field, so a test can tell which way up an output is.
"""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
import zlib
from fractions import Fraction
from pathlib import Path

import av
import pillow_heif
from PIL import Image

RED = (220, 20, 20)
GREEN = (20, 120, 40)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(width: int = 160, height: int = 120, mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (width, height), GREEN)
    image.paste(RED, (0, 0, width // 2, height // 2))
    return image.convert(mode) if mode != "RGB" else image


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    if orientation is not None:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (31.0, 13.0, 50.0)  # Shanghai
    gps[3] = "E"
    gps[4] = (121.0, 28.0, 25.0)
    return exif


def jpeg(width: int = 160, height: int = 120, *, orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    picture(width, height).save(
        buffer,
        "JPEG",
        quality=90,
        exif=exif_with_gps(orientation).tobytes(),
        comment=b"shot on a phone",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>',
    )
    return buffer.getvalue()


def save(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png(width: int = 160, height: int = 120) -> bytes:
    image = picture(width, height, "RGBA")
    image.putpixel((width - 1, height - 1), (0, 0, 0, 0))
    return save(image, "PNG", exif=exif_with_gps().tobytes())


def webp(width: int = 160, height: int = 120) -> bytes:
    return save(picture(width, height), "WEBP", quality=90, exif=exif_with_gps().tobytes())


def heic(width: int = 160, height: int = 120) -> bytes:
    pillow_heif.register_heif_opener()
    return save(picture(width, height), "HEIF", quality=80, exif=exif_with_gps().tobytes())


def gif(width: int = 80, height: int = 60) -> bytes:
    frames = [picture(width, height).convert("P"), Image.new("P", (width, height), 3)]
    return save(
        frames[0],
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=100,
        loop=0,
        comment=b"frames",
    )


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 30_000) -> bytes:
    """A PNG header declaring side×side pixels over a few bytes of data."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def video(
    *,
    container: str = "mp4",
    codec: str = "libx264",
    width: int = 64,
    height: int = 48,
    seconds: float = 1.0,
    rate: int = 12,
    audio: bool = True,
    rotation: int | None = None,
    metadata: dict[str, str] | None = None,
    live: bool = False,
) -> bytes:
    """A short clip made with PyAV: H.264/AAC MP4 by default; `rotation` writes a display matrix
    (counter-clockwise degrees), as a phone does for portrait video; `live` WebM has no duration
    in its header, as a browser's MediaRecorder writes it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"clip.{container}"
        options = {"live": "1"} if live else {}
        output = av.open(str(path), "w", format=container, options=options)
        for key, value in (metadata or {}).items():
            output.metadata[key] = value
        stream = output.add_stream(codec, rate=rate)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        if rotation is not None:
            stream.set_display_rotation(rotation)
        sound = None
        if audio:  # every stream exists before the first packet is written
            sound = output.add_stream("aac" if container != "webm" else "libopus", rate=48_000)
        frames = max(1, round(seconds * rate))
        for index in range(frames):
            image = picture(width, height)
            image.putpixel((width - 1, height - 1), (index * 7 % 255, 0, 0))
            output.mux(stream.encode(av.VideoFrame.from_image(image)))
        output.mux(stream.encode(None))
        if sound is not None:
            _silence(output, sound, seconds)
        output.close()
        return path.read_bytes()


def _silence(output: av.container.OutputContainer, stream: object, seconds: float) -> None:
    size = 960
    pts = 0
    while pts < seconds * 48_000:
        frame = av.AudioFrame(format="fltp", layout="stereo", samples=size)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = 48_000
        frame.pts = pts
        frame.time_base = Fraction(1, 48_000)
        pts += size
        output.mux(stream.encode(frame))  # type: ignore[attr-defined]
    output.mux(stream.encode(None))  # type: ignore[attr-defined]
