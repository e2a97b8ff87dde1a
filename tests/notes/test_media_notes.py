"""Notes with photos: the note waits for its media, publishes when they are ready, and fails
with the reason when one cannot be used."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from redleaf.kit.runtime import Runtime
from tests.accounts.factories import make_account, token_headers
from tests.notes.factories import run_jobs


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (120, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


async def _upload(client: httpx.AsyncClient, headers: dict[str, str], data: bytes) -> str:
    response = await client.post(
        "/api/v1/media", headers=headers, files={"file": ("photo.png", data, "image/png")}
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def test_photo_note_publishes_when_media_are_ready(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "lily")
    lily = await token_headers(client, "lily")
    ids = [await _upload(client, lily, _png(c)) for c in ((200, 40, 60), (40, 200, 60), (0, 0, 0))]
    created = await client.post(
        "/api/v1/notes", headers=lily, json={"title": "Three photos", "media_ids": ids}
    )
    assert created.status_code == 201, created.text
    note = created.json()
    assert note["state"] == "processing"  # the uploads are still being processed
    # Not visible to others until published.
    assert (await client.get(f"/api/v1/notes/{note['id']}")).status_code == 404
    await run_jobs(runtime)
    published = (await client.get(f"/api/v1/notes/{note['id']}")).json()
    assert published["state"] == "published"
    assert published["kind"] == "image"
    assert [m["id"] for m in published["media"]] == ids
    assert all(m["state"] == "ready" for m in published["media"])
    assert published["cover"]["url"] in published["media"][0]["urls"].values()
    assert published["cover"]["color"].startswith("#")
    explore = (await client.get("/api/v1/feeds/explore")).json()
    assert [n["id"] for n in explore["items"]] == [note["id"]]

    # Reorder and drop one: the dropped media is discarded.
    edited = await client.patch(
        f"/api/v1/notes/{note['id']}", headers=lily, json={"media_ids": [ids[2], ids[0]]}
    )
    assert [m["id"] for m in edited.json()["media"]] == [ids[2], ids[0]]
    # A media that belongs to a note cannot be taken by another.
    stolen = await client.post(
        "/api/v1/notes", headers=lily, json={"title": "Again", "media_ids": [ids[0]]}
    )
    assert stolen.json()["error"]["code"] == "media_taken"


async def test_a_failed_media_fails_its_note_with_the_reason(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "lily")
    lily = await token_headers(client, "lily")
    good = await _upload(client, lily, _png((10, 20, 30)))
    # A JPEG cut off half-way: it looks like a photo, so the upload is accepted, and the
    # processing job finds it incomplete.
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (90, 120, 150)).save(buffer, "JPEG", quality=95)
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    bad_upload = await client.post(
        "/api/v1/media", headers=lily, files={"file": ("photo.jpg", truncated, "image/jpeg")}
    )
    assert bad_upload.status_code == 202, bad_upload.text
    bad = str(bad_upload.json()["id"])
    created = await client.post(
        "/api/v1/notes", headers=lily, json={"title": "Oops", "media_ids": [good, bad]}
    )
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "processing"
    note_id = created.json()["id"]
    await run_jobs(runtime)
    failed = (await client.get(f"/api/v1/notes/{note_id}", headers=lily)).json()
    assert failed["state"] == "failed"
    assert failed["error"]["message"]
    # Replacing the bad photo publishes the note.
    fixed = await client.patch(
        f"/api/v1/notes/{note_id}", headers=lily, json={"media_ids": [good], "draft": False}
    )
    assert fixed.json()["state"] == "published", fixed.text
