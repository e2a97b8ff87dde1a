"""The inline check on posting: notes and comments pass the policy's rules before they are
stored; held and removed content stays visible to its author only, with a case and an audit
entry; a rule may ask for an edit, and then nothing is stored."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from redleaf.accounts import repository
from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.moderation.models import AuditEntry, Case
from redleaf.notes.models import Comment, Note
from tests.accounts.factories import make_account, token_headers


async def _older(runtime: Runtime, username: str, days: int = 30) -> None:
    """An account that has been here a while (links from day-old accounts are held)."""
    async with runtime.sessions() as session:
        account = await repository.by_username(session, username)
        assert account is not None
        account.created_at = utcnow() - timedelta(days=days)
        await commit(session)


async def _post(client: httpx.AsyncClient, headers: dict[str, str], **note: object) -> dict:
    answer = await client.post("/api/v1/notes", json=note, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_a_scam_note_is_held_for_review(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "mei")
    await make_account(runtime, "lily")
    await _older(runtime, "mei")
    mei, lily = await token_headers(client, "mei"), await token_headers(client, "lily")
    fine = await _post(client, mei, title="成都火锅", body="今天的火锅太好吃了")
    held = await _post(client, mei, title="副业", body="日赚千元，稳赚不赔，加微信详聊")
    assert fine["moderation_state"] == "visible"
    assert held["moderation_state"] == "held"

    # Its author still sees it, marked; nobody else does.
    assert (await client.get(f"/api/v1/notes/{held['id']}", headers=mei)).status_code == 200
    for headers in (lily, {}):
        answer = await client.get(f"/api/v1/notes/{held['id']}", headers=headers)
        assert answer.status_code == 404
    explore = (await client.get("/api/v1/feeds/explore")).json()["items"]
    assert [item["id"] for item in explore] == [fine["id"]]

    async with runtime.sessions() as session:
        (case,) = (await session.scalars(select(Case))).all()
        audit = (await session.scalars(select(AuditEntry))).all()
    assert (case.target_type, str(case.target_id), case.source) == ("note", held["id"], "automatic")
    assert {hit["rule"] for hit in case.hits} >= {"scam-crypto-and-money"}
    assert [(a.action, a.actor_role, a.actor_id) for a in audit] == [("auto.hold", "system", None)]


async def test_links_from_new_accounts_wait(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "newbie")
    await make_account(runtime, "regular")
    await _older(runtime, "regular")
    body = "Menu here: https://hotpot.example.com/menu"
    new = await _post(client, await token_headers(client, "newbie"), title="Hotpot", body=body)
    old = await _post(client, await token_headers(client, "regular"), title="Hotpot", body=body)
    assert (new["moderation_state"], old["moderation_state"]) == ("held", "visible")


async def test_drafts_are_checked_when_they_go_out_and_edits_too(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "mei")
    await _older(runtime, "mei")
    mei = await token_headers(client, "mei")
    draft = await _post(client, mei, title="副业", body="刷单返利", draft=True)
    assert draft["moderation_state"] == "visible"  # nobody sees a draft anyway
    published = await client.patch(
        f"/api/v1/notes/{draft['id']}", json={"draft": False}, headers=mei
    )
    assert published.json()["moderation_state"] == "held"

    clean = await _post(client, mei, title="Coffee", body="A quiet cafe by the river")
    edited = await client.patch(
        f"/api/v1/notes/{clean['id']}", json={"body": "guaranteed returns, send USDT"}, headers=mei
    )
    assert edited.status_code == 200 and edited.json()["moderation_state"] == "held"


async def test_a_removed_comment_is_its_authors_alone(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "mei")
    await make_account(runtime, "troll")
    await _older(runtime, "troll")
    note = await _post(client, await token_headers(client, "mei"), title="Hi", body="My first note")
    troll = await token_headers(client, "troll")
    answer = await client.post(
        f"/api/v1/notes/{note['id']}/comments", json={"body": "go die, k.y.s"}, headers=troll
    )
    assert answer.status_code == 201, answer.text
    async with runtime.sessions() as session:
        (comment,) = (await session.scalars(select(Comment))).all()
    assert comment.moderation_state == "removed"
    listed = (await client.get(f"/api/v1/notes/{note['id']}/comments")).json()["items"]
    assert listed == []


async def test_a_rule_may_ask_for_an_edit_in_the_authors_language(
    app_with,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        """version: "test-1"
rules:
  - code: no-shouting
    name: {en: Shouting, zh: 大喊大叫}
    matcher: {kind: terms, terms: [buy now, 立即购买]}
    action: ask_edit
    severity: 1
    reason: {en: Please don't shout sales lines., zh: 请不要发布叫卖用语。}
""",
        encoding="utf-8",
    )
    async with app_with(moderation_policy_file=policy) as (app, client):
        runtime = app.state.runtime
        await make_account(runtime, "mei", ui_language="zh-Hans")
        mei = await token_headers(client, "mei")
        refused = await client.post(
            "/api/v1/notes", json={"title": "Sale", "body": "BUY NOW!!"}, headers=mei
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "moderation_ask_edit"
        assert "请不要发布叫卖用语" in refused.json()["error"]["message"]
        async with runtime.sessions() as session:
            assert (await session.scalars(select(Note))).all() == []
            assert (await session.scalars(select(Case))).all() == []
