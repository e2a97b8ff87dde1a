"""The live stream (Server-Sent Events): what it sends, that an event published after a commit
arrives, and that it ends cleanly when the client hangs up, when it has lived long enough, and
when the server shuts down (the last one against a real `redleaf serve`)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from redleaf.kit.db import commit
from redleaf.kit.events import MemoryEventBus, RedisEventBus
from redleaf.kit.runtime import Runtime
from redleaf.notifications import service, stream
from tests.accounts.factories import PASSWORD, make_account, token_headers
from tests.live_server import live_server
from tests.notifications.factories import make_note, notify, page_of
from tests.notifications.sse import AsgiStream, SseReader

STREAM = "/api/v1/notifications/stream"


async def _no_subscriber_left(runtime: Runtime, recipient_id: int) -> None:
    channel = service.channel(recipient_id)
    bus = runtime.events
    if isinstance(bus, RedisEventBus):
        assert channel not in bus._counts
        assert runtime.redis is not None
        redis_channels = await runtime.redis.pubsub_channels(
            runtime.settings.redis_prefix + "ev:" + channel
        )
        assert redis_channels == []
    else:
        assert isinstance(bus, MemoryEventBus)
        assert channel not in bus._subscribers
    assert len(stream.open_streams(runtime)) == 0


async def test_the_stream_needs_a_member(client: httpx.AsyncClient) -> None:
    response = await client.get(STREAM)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


async def test_a_notification_committed_later_arrives_live(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "author")
    first = await make_account(runtime, "first", display_name="First")
    second = await make_account(runtime, "second", display_name="Second")
    note = await make_note(runtime, author)
    like = {"recipient_id": author.id, "kind": "like", "note_id": note.id}
    await notify(runtime, actor_id=first.id, **like)
    headers = await token_headers(client, "author")

    async with AsgiStream(app, STREAM, headers) as live:
        assert live.status == 200
        assert live.response_headers["content-type"].startswith("text/event-stream")
        assert live.response_headers["cache-control"] == "no-store"
        hello = await live.reader.next()
        assert hello is not None and hello.retry == runtime.settings.notifications_stream_retry_ms
        unread = await live.reader.next_named("unread")
        assert unread.data["count"] == 1

        await asyncio.sleep(0.05)  # a Redis subscription settles
        await notify(runtime, actor_id=second.id, **like)
        event = await live.reader.next_named("notification")
        [row] = [i for i in await page_of(runtime, author) if i["group"] == f"like:note:{note.id}"]
        assert event.id == row["id"]
        assert event.data["count"] == 2
        item = event.data["item"]
        assert item["group"] == f"like:note:{note.id}"
        assert item["count"] == 2 and item["unread"] is True
        assert item["text"] == "Second and First liked your note"
        assert item["when"] == "just now"
        assert (await live.reader.next_named("unread")).data["count"] == 2

        # Reading on another device updates this page's badge.
        async with runtime.sessions() as session:
            await service.do_mark_read(session, runtime, author, everything=True)
            await commit(session)
        assert (await live.reader.next_named("unread")).data == {"count": 0, "by_kind": {}}

        live.hang_up()
        await live.wait_closed()
    await _no_subscriber_left(runtime, author.id)


async def test_the_stream_speaks_the_readers_language(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "author", ui_language="zh-Hans")
    fan = await make_account(runtime, "fan", display_name="美美")
    headers = await token_headers(client, "author")
    async with AsgiStream(app, STREAM, headers) as live:
        await live.reader.next_named("unread")
        await asyncio.sleep(0.05)
        await notify(runtime, recipient_id=author.id, kind="follow", actor_id=fan.id)
        event = await live.reader.next_named("notification")
    assert event.data["item"]["text"] == "美美开始关注你了"
    assert event.data["item"]["when"] == "刚刚"


async def test_a_client_that_comes_back_gets_what_it_missed(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "author")
    fan = await make_account(runtime)
    seen, missed = await make_note(runtime, author), await make_note(runtime, author)
    for note in (seen, missed):
        await notify(runtime, recipient_id=author.id, kind="like", actor_id=fan.id, note_id=note.id)
    lines = {i["group"]: i for i in await page_of(runtime, author)}
    last_seen = lines[f"like:note:{seen.id}"]["id"]
    headers = {**await token_headers(client, "author"), "Last-Event-ID": last_seen}
    async with AsgiStream(app, STREAM, headers) as live:
        replayed = await live.reader.next_named("notification")
        assert replayed.data["item"]["group"] == f"like:note:{missed.id}"
        following = await live.reader.next()
        assert following is not None and following.event == "unread"

    bad = await client.get(STREAM, headers={**headers, "Last-Event-ID": "abc"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_event_id"


async def test_heartbeats_and_a_bounded_life(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(
        notifications_stream_heartbeat_seconds=0.05, notifications_stream_max_seconds=0.6
    ) as (application, http):
        await make_account(application.state.runtime, "author")
        headers = await token_headers(http, "author")
        async with AsgiStream(application, STREAM, headers) as live:
            pings = 0
            while (event := await live.reader.next()) is not None:
                pings += "ping" in event.comments
            # The stream closed by itself (the browser then reconnects).
            await live.wait_closed()
        assert pings >= 1


async def test_a_server_shutdown_ends_open_streams(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "author")
    headers = await token_headers(client, "author")
    async with AsgiStream(app, STREAM, headers) as live:
        await live.reader.next_named("unread")
        stream.open_streams(runtime).stop_all()  # what uvicorn's SIGTERM sets off
        assert await live.reader.next() is None
        await live.wait_closed()
    await _no_subscriber_left(runtime, author.id)


async def test_a_member_holds_a_bounded_number_of_streams(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(notifications_streams_per_account=2) as (application, http):
        runtime = application.state.runtime
        await make_account(runtime, "author")
        headers = await token_headers(http, "author")
        async with (
            AsgiStream(application, STREAM, headers) as oldest,
            AsgiStream(application, STREAM, headers) as middle,
        ):
            await oldest.reader.next_named("unread")
            await middle.reader.next_named("unread")
            async with AsgiStream(application, STREAM, headers) as newest:
                await newest.reader.next_named("unread")
                # The third closes the first; the other two stay open.
                while await oldest.reader.next() is not None:
                    pass
                await oldest.wait_closed()
                assert not middle.finished.is_set() and not newest.finished.is_set()
                assert len(stream.open_streams(runtime)) == 2


@pytest.mark.slow
async def test_a_real_server_streams_and_stops_cleanly(tmp_path: Path) -> None:
    reader = SseReader()
    failure: list[BaseException] = []

    async def consume(http: httpx.AsyncClient, headers: dict[str, str]) -> None:
        try:
            async with http.stream("GET", STREAM, headers=headers) as response:
                assert response.status_code == 200
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk)
        except BaseException as exc:  # noqa: BLE001  (reported below, in the test's own task)
            failure.append(exc)
        finally:
            reader.end()

    log = tmp_path / "server.log"
    # The client outlives the server: the stream must end because the server ended it.
    async with httpx.AsyncClient(timeout=10) as http:
        with live_server(tmp_path, REDLEAF_LOG_LEVEL="INFO") as url:
            http.base_url = httpx.URL(url)
            for name in ("lily", "mei"):
                created = await http.post(
                    "/api/v1/accounts",
                    json={"username": name, "password": PASSWORD, "display_name": name.title()},
                )
                assert created.status_code == 201, created.text
            lily = await token_headers(http, "lily")
            mei = await token_headers(http, "mei")
            task = asyncio.create_task(consume(http, lily))
            assert (await reader.next_named("unread", seconds=10)).data["count"] == 0
            assert (await http.post("/api/v1/users/lily/follow", headers=mei)).status_code == 204
            event = await reader.next_named("notification", seconds=10)
            assert event.data["item"]["text"] == "Mei started following you"
            assert event.data["count"] == 1
            # Leaving `live_server` sends SIGTERM and waits: the open stream must not hold it up.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(task, 10)
    assert failure == [], f"the stream did not end cleanly: {failure!r}"
    while await reader.next(seconds=1) is not None:  # what was sent before the end...
        pass  # ...then the end itself (a timeout here would fail the test)
    assert "Finished server process" in log.read_text()
