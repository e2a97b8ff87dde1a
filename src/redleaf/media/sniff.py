"""What a file is, decided by its bytes alone: never by its name or the type a client declared.

`sniff(head)` names the format from the first bytes (magic numbers, the ISO-BMFF brand, the
EBML doc type). `check_structure(path, format)` then walks the whole container and refuses:
- truncated files (a segment, chunk or box that runs past the end; a missing end marker);
- polyglots: a file that is also a ZIP archive (a valid end-of-central-directory record where
  an unzipper looks for it), bytes appended after the image's end that are not one of the
  trailers real cameras write, or script/HTML text hidden in metadata or a trailer.
We never serve an original (only our own re-encodings), so a polyglot could not reach a browser
anyway; refusing them is a second wall, and keeps such files off our disks.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass
from pathlib import Path

from redleaf.media.errors import DAMAGED, POLYGLOT, UNSUPPORTED, MediaRefused

HEAD_BYTES = 64  # enough for every signature below

IMAGE_FORMATS = ("jpeg", "png", "gif", "webp", "heic")
VIDEO_FORMATS = ("mp4", "mov", "m4v", "webm")

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_GENERIC = {b"mif1", b"msf1"}
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"dash", b"mmp4", b"MSNV",
}  # fmt: skip
_M4V_BRANDS = {b"M4V ", b"M4VH", b"M4VP"}
_MOV_BRANDS = {b"qt  "}

# Text that has no business inside a photo's metadata: a PHP, HTML or SVG payload.
_SCRIPT = re.compile(
    rb"<\?php|<script|<html|<!doctype\s+html|<iframe|<svg|<body|<object|<embed", re.IGNORECASE
)
# The end of a JPEG's entropy-coded data: 0xFF then anything but a stuffed zero, a restart
# marker or fill.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_ZIP_END = b"PK\x05\x06"
_ZIP_END_SEARCH = 22 + 65_535  # the record plus the longest comment


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str  # "image" | "video"
    format: str


def sniff(head: bytes) -> Sniffed | None:
    """The format the first bytes announce, or None for anything we do not take."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "webp")
    if head[4:8] == b"ftyp":
        return _sniff_iso_bmff(head)
    if head.startswith(b"\x1a\x45\xdf\xa3") and _ebml_doctype(head) == b"webm":
        return Sniffed("video", "webm")
    return None


def _sniff_iso_bmff(head: bytes) -> Sniffed | None:
    size = int.from_bytes(head[:4], "big")
    if size < 16:
        return None
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    brands = {major} | compatible
    if major in _HEIC_BRANDS or (major in _HEIF_GENERIC and brands & _HEIC_BRANDS):
        return Sniffed("image", "heic")
    if major in _MOV_BRANDS:
        return Sniffed("video", "mov")
    if major in _M4V_BRANDS:
        return Sniffed("video", "m4v")
    if major in _MP4_BRANDS or (compatible & _MP4_BRANDS and not brands & _HEIF_GENERIC):
        return Sniffed("video", "mp4")
    return None  # AVIF, audio-only M4A, 3GPP, JPEG 2000 ...


def _vint(data: bytes | mmap.mmap, pos: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `pos`: (value, length); value -1 for "unknown"."""
    if pos >= len(data):
        raise MediaRefused(DAMAGED, "ebml: end of data")
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        raise MediaRefused(DAMAGED, "ebml: bad varint")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = -1
    return value, length


def _ebml_doctype(head: bytes) -> bytes | None:
    try:
        _id, id_len = _vint(head, 0, True)
        size, size_len = _vint(head, id_len, False)
        pos, end = id_len + size_len, min(len(head), id_len + size_len + max(size, 0))
        while pos < end:
            element, id_len = _vint(head, pos, True)
            size, size_len = _vint(head, pos + id_len, False)
            start = pos + id_len + size_len
            if element == 0x4282:
                return head[start : start + size]
            pos = start + max(size, 0)
    except MediaRefused:
        return None
    return None


# --- whole-file checks ---------------------------------------------------------------------------


def check_structure(path: Path, fmt: str) -> None:
    """Walk the container of a file already sniffed as `fmt`; raise MediaRefused when it is
    truncated or is also something else."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            raise MediaRefused(UNSUPPORTED, "empty")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            _refuse_zip(data)
            walker = _WALKERS.get(fmt)
            if walker is None:
                raise MediaRefused(UNSUPPORTED, f"no structure check for {fmt}")
            walker(data)


def _refuse_zip(data: mmap.mmap) -> None:
    """An unzipper reads a file from the end: a real end-of-central-directory record there (its
    comment length reaching exactly the last byte) makes the file a ZIP, whatever its head."""
    size = len(data)
    start = max(0, size - _ZIP_END_SEARCH)
    at = data.rfind(_ZIP_END, start)
    while at != -1:
        if at + 22 <= size and at + 22 + int.from_bytes(data[at + 20 : at + 22], "little") == size:
            raise MediaRefused(POLYGLOT, "zip end record")
        at = data.rfind(_ZIP_END, start, at + 3)  # the next one before it


def _scan_text(chunk: bytes) -> None:
    if _SCRIPT.search(chunk):
        raise MediaRefused(POLYGLOT, "script or html text")


def _padding_only(rest: bytes) -> bool:
    return not rest.strip(b"\x00\xff\r\n\t ")


def _be(data: bytes | mmap.mmap, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "big")


def _le(data: bytes | mmap.mmap, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "little")


def _walk_jpeg(data: mmap.mmap) -> None:
    size, pos = len(data), 2
    while True:
        if pos >= size or data[pos] != 0xFF:
            raise MediaRefused(DAMAGED, f"jpeg: no marker at {pos}")
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            raise MediaRefused(DAMAGED, "jpeg: ends in fill")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        length = _be(data, pos, 2)
        if length < 2 or pos + length > size:
            raise MediaRefused(DAMAGED, "jpeg: segment past the end")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and comments: metadata
            _scan_text(data[pos + 2 : pos + length])
        pos += length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            found = _JPEG_MARKER.search(data, pos)  # type: ignore[call-overload]
            if found is None:
                raise MediaRefused(DAMAGED, "jpeg: scan data never ends")
            pos = found.start()
    _check_jpeg_trailer(data[pos:])


def _check_jpeg_trailer(rest: bytes) -> None:
    """After the primary image, cameras write: padding; more JPEGs (MPF: depth maps, previews);
    a Motion Photo's MP4; Samsung's SEFT block. Anything else is a file riding along."""
    if _padding_only(rest):
        return
    more_jpeg = rest.lstrip(b"\x00").startswith(b"\xff\xd8\xff")
    allowed = more_jpeg or rest[4:8] == b"ftyp" or rest.endswith(b"SEFT")
    if not allowed:
        raise MediaRefused(POLYGLOT, "jpeg: data after the image")
    _scan_text(rest)


def _walk_png(data: mmap.mmap) -> None:
    size, pos = len(data), 8
    while True:
        if pos + 12 > size:
            raise MediaRefused(DAMAGED, "png: no IEND")
        length, kind = _be(data, pos, 4), data[pos + 4 : pos + 8]
        if not kind.isalpha():
            raise MediaRefused(DAMAGED, "png: bad chunk type")
        end = pos + 12 + length
        if end > size:
            raise MediaRefused(DAMAGED, "png: chunk past the end")
        if kind not in (b"IDAT", b"fdAT"):
            _scan_text(data[pos + 8 : pos + 8 + length])
        pos = end
        if kind == b"IEND":
            break
    if not _padding_only(data[pos:]):
        raise MediaRefused(POLYGLOT, "png: data after IEND")


def _skip_sub_blocks(data: mmap.mmap, pos: int, scan: bool) -> int:
    size = len(data)
    start = pos
    while True:
        if pos >= size:
            raise MediaRefused(DAMAGED, "gif: sub-blocks past the end")
        length = data[pos]
        pos += 1
        if length == 0:
            if scan:
                _scan_text(data[start:pos])
            return pos
        pos += length


def _walk_gif(data: mmap.mmap) -> None:
    size = len(data)
    if size < 13:
        raise MediaRefused(DAMAGED, "gif: short header")
    flags, pos = data[10], 13
    if flags & 0x80:
        pos += 3 * (2 << (flags & 7))
    while True:
        if pos >= size:
            raise MediaRefused(DAMAGED, "gif: no trailer")
        block = data[pos]
        if block == 0x3B:  # trailer
            pos += 1
            break
        if block == 0x21:  # extension: comment, application and plain text carry free text
            if pos + 2 > size:
                raise MediaRefused(DAMAGED, "gif: short extension")
            label = data[pos + 1]
            pos = _skip_sub_blocks(data, pos + 2, scan=label in (0x01, 0xFE, 0xFF))
        elif block == 0x2C:  # image: descriptor, optional local palette, LZW data
            if pos + 11 > size:
                raise MediaRefused(DAMAGED, "gif: short image descriptor")
            local = data[pos + 9]
            pos += 10
            if local & 0x80:
                pos += 3 * (2 << (local & 7))
            pos = _skip_sub_blocks(data, pos + 1, scan=False)
        else:
            raise MediaRefused(DAMAGED, "gif: unknown block")
    if not _padding_only(data[pos:]):
        raise MediaRefused(POLYGLOT, "gif: data after the trailer")


def _walk_webp(data: mmap.mmap) -> None:
    size = len(data)
    end = 8 + _le(data, 4, 4)
    if end > size or end < 12:
        raise MediaRefused(DAMAGED, "webp: RIFF size past the end")
    pos = 12
    while pos + 8 <= end:
        kind, length = data[pos : pos + 4], _le(data, pos + 4, 4)
        body_end = pos + 8 + length
        if body_end > end:
            raise MediaRefused(DAMAGED, "webp: chunk past the end")
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            _scan_text(data[pos + 8 : body_end])
        pos = body_end + (length & 1)
    if not _padding_only(data[end:]):
        raise MediaRefused(POLYGLOT, "webp: data after the RIFF chunk")


def _box_type_ok(kind: bytes) -> bool:
    return all(32 <= c < 127 or c == 0xA9 for c in kind)  # 0xA9: "©xyz" and friends


def _walk_iso_bmff(data: mmap.mmap) -> None:
    """Top-level boxes must tile the file exactly; text in every box but the media data is
    scanned."""
    size, pos = len(data), 0
    while pos < size:
        if size - pos < 8:
            if _padding_only(data[pos:]):
                return
            raise MediaRefused(POLYGLOT, "iso-bmff: bytes after the last box")
        length, kind, header = _be(data, pos, 4), data[pos + 4 : pos + 8], 8
        if not _box_type_ok(kind):
            if _padding_only(data[pos:]):
                return
            raise MediaRefused(POLYGLOT if pos else DAMAGED, "iso-bmff: not a box")
        if length == 1:
            if size - pos < 16:
                raise MediaRefused(DAMAGED, "iso-bmff: short large box")
            length, header = _be(data, pos + 8, 8), 16
        elif length == 0:  # "to the end of the file"
            length = size - pos
        if length < header or pos + length > size:
            raise MediaRefused(DAMAGED, "iso-bmff: box past the end")
        if kind != b"mdat" and length <= 16 << 20:
            _scan_text(data[pos + header : pos + length])
        pos += length


def _walk_webm(data: mmap.mmap) -> None:
    size, pos = len(data), 0
    while pos < size:
        element, id_len = _vint(data, pos, True)
        length, size_len = _vint(data, pos + id_len, False)
        start = pos + id_len + size_len
        if length == -1:  # unknown size (live recordings): runs to the end of the file
            return
        if start + length > size:
            raise MediaRefused(DAMAGED, "webm: element past the end")
        if element not in (0x1A45DFA3, 0x18538067, 0xEC):  # header, segment, void
            raise MediaRefused(POLYGLOT, "webm: unknown top-level element")
        pos = start + length
        if element == 0x18538067 and _padding_only(data[pos:]):
            return


_WALKERS = {
    "jpeg": _walk_jpeg,
    "png": _walk_png,
    "gif": _walk_gif,
    "webp": _walk_webp,
    "heic": _walk_iso_bmff,
    "mp4": _walk_iso_bmff,
    "mov": _walk_iso_bmff,
    "m4v": _walk_iso_bmff,
    "webm": _walk_webm,
}
