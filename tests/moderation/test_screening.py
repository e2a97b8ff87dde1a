"""Screening on posting beyond the rules: the newcomer hold (the surge switch), profiles passing
the policy, and the chat fast path's door."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from redleaf.kit.runtime import Runtime
from redleaf.moderation import screening
from redleaf.moderation.models import AuditEntry, Case
from tests.accounts.factories import make_account, token_headers


async def test_newcomers_first_posts_wait_for_a_moderator(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(newcomer_hold_posts=2, newcomer_hold_hours=48) as (app, client):
        runtime: Runtime = app.state.runtime
        await make_account(runtime, "newbie")
        await make_account(runtime, "regular", age_days=10)
        await make_account(runtime, "lily")
        newbie = await token_headers(client, "newbie")
        regular = await token_headers(client, "regular")

        states = []
        for n in range(3):
            answer = await client.post(
                "/api/v1/notes",
                json={"title": f"Hello {n}", "body": "First days here"},
                headers=newbie,
            )
            assert answer.status_code == 201, answer.text
            states.append(answer.json()["moderation_state"])
        assert states == ["held", "held", "visible"]
        # A draft is not a post: publishing it later is.
        old = await client.post(
            "/api/v1/notes", json={"title": "Old hand", "body": "hi"}, headers=regular
        )
        assert old.json()["moderation_state"] == "visible"

        async with runtime.sessions() as session:
            cases = list(await session.scalars(select(Case).order_by(Case.opened_at)))
            audit = list(await session.scalars(select(AuditEntry.action)))
        assert [(c.source, c.severity, c.state) for c in cases] == [("newcomer", 1, "open")] * 2
        assert audit.count("auto.newcomer_hold") == 2

        # A moderator lets the first one out: it is visible to everyone.
        await make_account(runtime, "mod1", role="moderator")
        mod = await token_headers(client, "mod1")
        allowed = await client.post(
            f"/api/v1/moderation/cases/{cases[0].id}/decision",
            json={"action": "allow", "reason": "other"},
            headers=mod,
        )
        assert allowed.status_code == 201, allowed.text
        lily = await token_headers(client, "lily")
        seen = await client.get(f"/api/v1/notes/{cases[0].target_id}", headers=lily)
        assert seen.status_code == 200
        hidden = await client.get(f"/api/v1/notes/{cases[1].target_id}", headers=lily)
        assert hidden.status_code == 404


async def test_the_hold_is_off_by_default(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "newbie")
    newbie = await token_headers(client, "newbie")
    answer = await client.post("/api/v1/notes", json={"title": "Hi", "body": "x"}, headers=newbie)
    assert answer.json()["moderation_state"] == "visible"


async def test_profiles_pass_the_policy(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "mei", age_days=30)
    mei = await token_headers(client, "mei")
    fine = await client.patch("/api/v1/me", json={"bio": "Chengdu foodie 🌶️"}, headers=mei)
    assert fine.status_code == 200
    flagged = await client.patch(
        "/api/v1/me", json={"bio": "日赚千元，稳赚不赔，加微信详聊"}, headers=mei
    )
    assert flagged.status_code == 200  # kept, and a moderator looks at the profile
    async with runtime.sessions() as session:
        (case,) = list(await session.scalars(select(Case)))
    assert (case.target_type, case.source) == ("user", "automatic")


async def test_the_chat_fast_path_is_the_same_door(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei", age_days=30)
    async with runtime.sessions() as session:
        fine = await screening.check(session, runtime, author, "message", "hello everyone 👋")
        held = await screening.check(session, runtime, author, "message", "加我微信 稳赚不赔")
    assert (fine.action, held.action) == ("allow", "hold")
