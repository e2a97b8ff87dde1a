"""Receiving an upload: the multipart body is parsed as it streams in and the file part goes
straight to a temporary file on the storage's disk, so nothing large sits in memory.

The first bytes decide what the file is (never its name or declared type), and with it which
size limit applies: a photo over `image_upload_max_bytes` or a video over
`video_upload_max_bytes` is refused with 413 the moment it crosses the limit, not after the
whole body has arrived, and anything that is not a photo or video with 415 after its first
64 bytes.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from redleaf.media.errors import (
    BadUpload,
    EmptyFile,
    NoFile,
    NotMedia,
    PhotoTooBig,
    VideoTooBig,
    megabytes,
)
from redleaf.media.sniff import HEAD_BYTES, Sniffed, sniff
from redleaf.media.storage import Storage
from redleaf.settings import Settings

FILE_FIELD = "file"
MAX_PARTS = 8
OTHER_FIELDS_MAX_BYTES = 16_384  # form fields beside the file are read and ignored, up to this
_HEADERS_MAX = 16


@dataclass
class StagedUpload:
    path: Path
    size: int
    kind: str
    format: str


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    is_file: bool = False


class _Receiver:
    """Collects the parser's callbacks (it calls them synchronously) and acts on them."""

    def __init__(self, settings: Settings, handle: BinaryIO) -> None:
        self.settings = settings
        self.handle = handle
        self.parts = 0
        self.part = _Part()
        self.field_name = b""
        self.field_value = b""
        self.head = b""
        self.sniffed: Sniffed | None = None
        self.limit = 0
        self.size = 0
        self.other_bytes = 0
        self.file_seen = False
        self.file_done = False
        self.finished = False

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise BadUpload()
        self.part = _Part()
        self.field_name = self.field_value = b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.field_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.field_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers[self.field_name.strip().lower()] = self.field_value.strip()
        self.field_name = self.field_value = b""

    def on_headers_finished(self) -> None:
        _disposition, options = parse_options_header(
            self.part.headers.get(b"content-disposition", b"")
        )
        if options.get(b"name") == FILE_FIELD.encode():
            if self.file_seen:
                raise BadUpload()  # one file per request
            self.file_seen = True
            self.part.is_file = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.part.is_file:
            self.other_bytes += end - start
            if self.other_bytes > OTHER_FIELDS_MAX_BYTES:
                raise BadUpload()
            return
        chunk = data[start:end]
        if self.sniffed is None:
            self.head += chunk
            if len(self.head) < HEAD_BYTES:
                return
            self._decide()
            chunk, self.head = self.head, b""
        self._write(chunk)

    def on_part_end(self) -> None:
        if not self.part.is_file:
            return
        if self.sniffed is None:  # a file shorter than the sniffing window
            if not self.head:
                raise EmptyFile(field=FILE_FIELD)
            self._decide()
            self._write(self.head)
            self.head = b""
        self.file_done = True

    def on_end(self) -> None:
        self.finished = True

    def _decide(self) -> None:
        self.sniffed = sniff(self.head)
        if self.sniffed is None:
            raise NotMedia(field=FILE_FIELD)
        if self.sniffed.kind == "image":
            self.limit = self.settings.image_upload_max_bytes
        else:
            self.limit = self.settings.video_upload_max_bytes

    def _write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            too_big = PhotoTooBig if self.sniffed and self.sniffed.kind == "image" else VideoTooBig
            # Connection: close, so the client stops sending the rest of a refused body.
            raise too_big(
                field=FILE_FIELD, headers={"Connection": "close"}, mb=megabytes(self.limit)
            )
        # A write into the page cache: microseconds, not worth a thread hop per chunk.
        self.handle.write(chunk)


async def receive_upload(request: Request, storage: Storage, settings: Settings) -> StagedUpload:
    """Stream the request's `file` part to a staging file; the caller moves or deletes it."""
    content_type, options = parse_options_header(request.headers.get("content-type"))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise BadUpload()
    handle, path = await asyncio.to_thread(storage.staging_file)
    receiver = _Receiver(settings, handle)
    try:
        try:
            parser = MultipartParser(
                boundary,
                receiver.callbacks(),  # type: ignore[arg-type]
                max_header_count=_HEADERS_MAX,
                max_header_size=4096,
            )
        except FormParserError:
            raise BadUpload() from None
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except FormParserError:
                raise BadUpload() from None
            if receiver.finished:
                break
        if not receiver.file_seen:
            raise NoFile(field=FILE_FIELD)
        if not receiver.file_done or receiver.sniffed is None:
            raise BadUpload()  # the body ended inside the file part
        await asyncio.to_thread(_close_durably, handle)
        return StagedUpload(
            path=path,
            size=receiver.size,
            kind=receiver.sniffed.kind,
            format=receiver.sniffed.format,
        )
    except BaseException:
        handle.close()
        path.unlink(missing_ok=True)
        raise


def _close_durably(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
