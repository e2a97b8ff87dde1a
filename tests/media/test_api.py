"""Uploading, reading and serving media through HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.media.storage import LocalStorage, storage_for
from redleaf.notes.models import Note
from tests.accounts.factories import make_account, token_headers
from tests.media import samples
from tests.media.factories import process_all, ready_media, upload, uploaded


def files_in(runtime: Runtime, top: str) -> list[Path]:
    storage = storage_for(runtime.settings)
    assert isinstance(storage, LocalStorage)
    folder = storage.root / top
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
async def lily(runtime: Runtime, client: httpx.AsyncClient) -> dict[str, str]:
    await make_account(runtime, "lily")
    return await token_headers(client, "lily")


async def test_a_photo_is_accepted_at_once_then_processed_by_the_job(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    response = await upload(client, lily, samples.jpeg(1600, 1200))
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["kind"] == "image" and body["state"] == "processing"  # queued for the job
    assert body["error"] is None and body["urls"] == {}
    assert len(files_in(runtime, "uploads")) == 1  # the original, kept until processed

    await process_all(runtime)
    media = (await client.get(f"/api/v1/media/{body['id']}", headers=lily)).json()
    assert media["state"] == "ready"
    assert (media["width"], media["height"]) == (1600, 1200)
    assert media["color"].startswith("#")
    assert set(media["urls"]) == {"360", "720", "1080"}
    assert files_in(runtime, "uploads") == []  # the original (with its GPS) is gone

    served = await client.get(media["urls"]["720"])  # public, like a CDN: no credentials
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["accept-ranges"] == "bytes"
    assert b"PhoneMaker" not in served.content
    with Image.open(__import__("io").BytesIO(served.content)) as image:
        assert image.size == (720, 540)
        assert not image.getexif()


async def test_the_name_and_declared_type_are_ignored(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    response = await upload(
        client, lily, samples.png(), name="notes.txt", content_type="text/plain"
    )
    assert response.status_code == 202
    assert response.json()["kind"] == "image"
    zipped = await upload(client, lily, samples.zip_archive(), name="photo.jpg")
    assert zipped.status_code == 415
    assert zipped.json()["error"]["code"] == "unsupported"
    assert zipped.json()["error"]["message"] == "This file is not a photo or video we can use."
    assert files_in(runtime, "tmp") == []  # the refused bytes were not kept


async def test_an_empty_file_and_a_missing_file_are_refused(
    client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    empty = await upload(client, lily, b"")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "empty_file"
    missing = await client.post("/api/v1/media", files={"other": ("a", b"x")}, headers=lily)
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "no_file"
    not_multipart = await client.post("/api/v1/media", content=samples.jpeg(), headers=lily)
    assert not_multipart.status_code == 400
    assert not_multipart.json()["error"]["code"] == "invalid_upload"


async def test_uploads_need_an_account(client: httpx.AsyncClient) -> None:
    response = await upload(client, {})
    assert response.status_code == 401


class CountingBody:
    """A multipart body produced chunk by chunk, counting how much the server asked for."""

    def __init__(self, head: bytes, total: int, chunk: int = 16_384) -> None:
        self.boundary = "redleafboundary42"
        self.head, self.total, self.chunk = head, total, chunk
        self.sent = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"content-type": f"multipart/form-data; boundary={self.boundary}"}

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield (
            f"--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        yield self.head
        self.sent = len(self.head)
        while self.sent < self.total:
            yield b"\x00" * self.chunk
            self.sent += self.chunk
        yield f"\r\n--{self.boundary}--\r\n".encode()


@pytest.mark.parametrize(
    ("head", "setting", "code"),
    [
        (samples.jpeg(), "image_upload_max_bytes", "photo_too_big"),
        (samples.video(seconds=0.25), "video_upload_max_bytes", "video_too_big"),
    ],
)
async def test_an_oversize_upload_is_refused_while_it_streams(
    app_with,
    head: bytes,
    setting: str,
    code: str,  # type: ignore[no-untyped-def]
) -> None:
    async with app_with(**{setting: 100_000}) as (application, client):
        runtime: Runtime = application.state.runtime
        await make_account(runtime, "mei")
        headers = await token_headers(client, "mei")
        body = CountingBody(head, total=20_000_000)
        response = await client.post(
            "/api/v1/media",
            content=body,
            headers={**headers, **body.headers},  # type: ignore[arg-type]
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == code
        assert "0.1 MB" in response.json()["error"]["message"]
        assert body.sent < 1_000_000  # refused soon after the limit, not after 20 MB
        assert files_in(runtime, "tmp") == [] and files_in(runtime, "uploads") == []


async def test_uploads_are_rate_limited_per_account(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(rate_upload_per_account="2/hour") as (application, client):
        await make_account(application.state.runtime, "sam")
        headers = await token_headers(client, "sam")
        codes = [(await upload(client, headers)).status_code for _ in range(3)]
        assert codes == [202, 202, 429]


async def test_a_failed_media_says_why_in_the_readers_language(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    body = await uploaded(client, lily, samples.png_bomb())
    await process_all(runtime)
    url = f"/api/v1/media/{body['id']}"
    english = (await client.get(url, headers=lily)).json()
    assert english["state"] == "failed" and english["urls"] == {}
    assert english["error"] == {
        "code": "image_too_large",
        "message": "This photo is too large (over 60 megapixels).",
    }
    chinese = (await client.get(url, headers={**lily, "Accept-Language": "zh-CN"})).json()
    assert chinese["error"]["code"] == "image_too_large"
    assert files_in(runtime, "uploads") == [] and files_in(runtime, "m") == []


async def test_only_the_owner_sees_an_unattached_media(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    media = await ready_media(runtime, client, lily)
    await make_account(runtime, "jake")
    jake = await token_headers(client, "jake")
    url = f"/api/v1/media/{media['id']}"
    assert (await client.get(url, headers=jake)).status_code == 404
    assert (await client.get(url)).status_code == 404
    assert (await client.get("/api/v1/media/not-a-number", headers=lily)).status_code == 404


async def test_a_media_on_a_published_public_note_is_visible_to_all(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    from redleaf.media.models import Media

    media = await ready_media(runtime, client, lily)
    async with runtime.sessions() as session:
        row = await session.get(Media, int(media["id"]))
        assert row is not None
        note = Note(author_id=row.owner_id, state="published", visibility="followers")
        session.add(note)
        await session.flush()
        row.note_id = note.id
        await commit(session)
    url = f"/api/v1/media/{media['id']}"
    assert (await client.get(url)).status_code == 404  # followers only: not for everyone
    async with runtime.sessions() as session:
        found = await session.get(Note, note.id)
        assert found is not None
        found.visibility = "public"
        await commit(session)
    response = await client.get(url)
    assert response.status_code == 200 and response.json()["urls"] == media["urls"]


async def test_files_are_served_with_http_ranges(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    media = await ready_media(runtime, client, lily, samples.video())
    assert set(media["urls"]) == {"360", "720", "1080", "poster", "video"}
    assert media["duration_ms"] == 1000 and media["kind"] == "video"
    whole = await client.get(media["urls"]["video"])
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    size = len(whole.content)

    first = await client.get(media["urls"]["video"], headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    assert first.content == whole.content[:100]
    tail = await client.get(media["urls"]["video"], headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole.content[-10:]
    middle = await client.get(media["urls"]["video"], headers={"Range": "bytes=1000-"})
    assert middle.status_code == 206 and middle.content == whole.content[1000:]
    beyond = await client.get(media["urls"]["video"], headers={"Range": f"bytes={size + 5}-"})
    assert beyond.status_code == 416


async def test_unknown_keys_originals_and_traversal_are_not_served(
    runtime: Runtime, client: httpx.AsyncClient, app: FastAPI, lily: dict[str, str]
) -> None:
    await uploaded(client, lily)
    original = files_in(runtime, "uploads")[0]
    storage = storage_for(runtime.settings)
    assert isinstance(storage, LocalStorage)
    key = original.relative_to(storage.root).as_posix()
    for path in (
        f"/media/{key}",  # the original keeps its GPS: never served
        "/media/m/ab/abcdefghijklmnopqrstuv/720.webp",
        "/media/m/ab/..%2F..%2F..%2Fredleaf.db",
        "/media/..%2Fredleaf.db",
        "/media/%2Fetc%2Fpasswd",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
