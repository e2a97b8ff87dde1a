"""Decisions, notices and appeals through the API: a moderator decides a reported note, the
author reads a notice in their language naming the rule and the action and appeals once, a
different moderator reverses it, and reporters hear the outcome. Sanctions: mute and suspend."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from redleaf.accounts.models import Account
from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.moderation.models import AuditEntry, Case, Decision
from redleaf.notes.models import Note
from tests.accounts.factories import PASSWORD, make_account, token_headers
from tests.notes.factories import make_note

ZH = {"Accept-Language": "zh-Hans"}


async def _reported_note(
    client: httpx.AsyncClient, runtime: Runtime, reason: str = "scam"
) -> tuple[Note, str]:
    author = await make_account(runtime, "mei", ui_language="zh-Hans")
    note = await make_note(runtime, author, title="周末摆摊", body="我的小店经验分享")
    await make_account(runtime, "lily")
    answer = await client.post(
        "/api/v1/reports",
        json={"target_type": "note", "target_id": str(note.id), "reason": reason},
        headers=await token_headers(client, "lily"),
    )
    assert answer.status_code == 201, answer.text
    async with runtime.sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None
    return note, str(case.id)


async def _moderators(client: httpx.AsyncClient, runtime: Runtime) -> tuple[dict, dict]:
    await make_account(runtime, "mod1", role="moderator")
    await make_account(runtime, "mod2", role="moderator")
    return await token_headers(client, "mod1"), await token_headers(client, "mod2")


async def test_remove_notice_appeal_reversal(client: httpx.AsyncClient, runtime: Runtime) -> None:
    note, case_id = await _reported_note(client, runtime)
    mod1, mod2 = await _moderators(client, runtime)
    mei, lily = await token_headers(client, "mei"), await token_headers(client, "lily")

    decided = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "remove", "reason": "scam", "note": "classic side-hustle bait"},
        headers=mod1,
    )
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert (decision["action"], decision["state"]) == ("remove", "in_force")
    # Removed: its author still sees it, marked; nobody else does.
    assert (await client.get(f"/api/v1/notes/{note.id}", headers=lily)).status_code == 404
    mine = await client.get(f"/api/v1/notes/{note.id}", headers=mei)
    assert mine.json()["moderation_state"] == "removed"

    # The author's notice is in their interface language (Chinese), naming rule and action;
    # the moderator's private note is never in it.
    notices = (await client.get("/api/v1/moderation/notices", headers=mei)).json()
    assert notices["unread"] == 1
    (notice,) = notices["items"]
    assert notice["text"] == "你的笔记已被移除。"
    assert notice["decision"]["rule"] == "诈骗"
    assert notice["decision"]["action_label"] == "内容已移除"
    assert notice["decision"]["can_appeal"] is True
    assert notice["target"]["url"] == f"/notes/{note.id}"
    assert "bait" not in str(notice)
    # The reporter hears the outcome, without the details.
    (told,) = (await client.get("/api/v1/moderation/notices", headers=lily)).json()["items"]
    assert told["kind"] == "report" and told["decision"] is None
    assert "took action" in told["text"]

    appeal_url = f"/api/v1/moderation/decisions/{decision['id']}/appeal"
    empty = await client.post(appeal_url, json={"text": "  "}, headers=mei)
    assert empty.status_code == 400
    appealed = await client.post(appeal_url, json={"text": "这是我自己的经验分享"}, headers=mei)
    assert appealed.status_code == 201, appealed.text
    again = await client.post(appeal_url, json={"text": "再次申诉"}, headers=mei)
    assert again.status_code == 409 and again.json()["error"]["code"] == "appeal_exists"
    # Somebody else's decision is not theirs to appeal.
    other = await client.post(appeal_url, json={"text": "me too"}, headers=lily)
    assert other.status_code == 404

    review = f"/api/v1/moderation/appeals/{appealed.json()['id']}/review"
    own = await client.post(review, json={"outcome": "reversed"}, headers=mod1)
    assert own.status_code == 403 and own.json()["error"]["code"] == "appeal_own_decision"
    reversed_ = await client.post(review, json={"outcome": "reversed"}, headers=mod2)
    assert reversed_.status_code == 200, reversed_.text
    assert reversed_.json()["state"] == "reversed"
    assert (await client.get(f"/api/v1/notes/{note.id}", headers=lily)).status_code == 200
    twice = await client.post(review, json={"outcome": "upheld"}, headers=mod2)
    assert twice.status_code == 409

    items = (await client.get("/api/v1/moderation/notices", headers=mei)).json()["items"]
    assert (
        items[0]["kind"] == "appeal"
        and items[0]["text"] == "我们已复核你的申诉，并撤销了该处理决定。"
    )
    assert items[1]["decision"]["state"] == "reversed"
    assert items[1]["decision"]["can_appeal"] is False
    read = await client.post("/api/v1/moderation/notices/read", headers=mei)
    assert read.status_code == 204
    assert (await client.get("/api/v1/moderation/notices", headers=mei)).json()["unread"] == 0

    async with runtime.sessions() as session:
        actions = [
            (a.action, a.actor_role)
            for a in await session.scalars(select(AuditEntry).order_by(AuditEntry.created_at))
        ]
    assert actions == [
        ("report.created", "member"),
        ("case.remove", "moderator"),
        ("appeal.created", "member"),
        ("appeal.reversed", "moderator"),
    ]


async def test_english_notice_and_dismissed_report(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    note, case_id = await _reported_note(client, runtime, reason="spam")
    mod1, _mod2 = await _moderators(client, runtime)
    allowed = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "allow", "reason": "spam"},
        headers=mod1,
    )
    assert allowed.status_code == 201
    # Nothing against the rules: the author is not bothered, the reporter is told.
    mei = await token_headers(client, "mei")
    assert (await client.get("/api/v1/moderation/notices", headers=mei)).json()["items"] == []
    lily = await token_headers(client, "lily")
    (told,) = (await client.get("/api/v1/moderation/notices", headers=lily)).json()["items"]
    assert "found nothing against our rules" in told["text"]
    zh = (await client.get("/api/v1/moderation/notices", headers={**lily, **ZH})).json()
    assert "没有发现违反社区规则" in zh["items"][0]["text"]
    # A decided case cannot be decided again; a new report opens a new case.
    again = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "remove", "reason": "spam"},
        headers=mod1,
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "case_settled"


async def test_claims_keep_two_moderators_apart(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _note, case_id = await _reported_note(client, runtime)
    mod1, mod2 = await _moderators(client, runtime)
    taken = await client.post(f"/api/v1/moderation/cases/{case_id}/claim", headers=mod1)
    assert taken.status_code == 200 and taken.json()["claimed_until"]
    refused = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "remove", "reason": "scam"},
        headers=mod2,
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "case_claimed"
    zh = await client.post(f"/api/v1/moderation/cases/{case_id}/claim", headers={**mod2, **ZH})
    assert zh.json()["error"]["message"] == "另一位版主正在处理此案件。"
    released = await client.delete(f"/api/v1/moderation/cases/{case_id}/claim", headers=mod1)
    assert released.status_code == 204
    assert (
        await client.post(f"/api/v1/moderation/cases/{case_id}/claim", headers=mod2)
    ).status_code == 200
    # A lapsed claim is free again.
    async with runtime.sessions() as session:
        case = await session.get(Case, int(case_id))
        assert case is not None
        case.claimed_until = utcnow() - timedelta(minutes=1)
        await commit(session)
    assert (
        await client.post(f"/api/v1/moderation/cases/{case_id}/claim", headers=mod1)
    ).status_code == 200


async def test_mute_stops_posting_until_it_ends(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _note, case_id = await _reported_note(client, runtime)
    mod1, _mod2 = await _moderators(client, runtime)
    no_duration = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "mute", "reason": "scam"},
        headers=mod1,
    )
    assert no_duration.status_code == 400
    assert no_duration.json()["error"]["field"] == "duration_hours"
    muted = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "mute", "reason": "scam", "duration_hours": 24},
        headers=mod1,
    )
    assert muted.status_code == 201, muted.text
    mei = await token_headers(client, "mei")
    refused = await client.post(
        "/api/v1/notes", json={"title": "又来了", "body": "hi"}, headers=mei
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "muted"
    assert "暂停" in refused.json()["error"]["message"]
    (notice,) = (await client.get("/api/v1/moderation/notices", headers=mei)).json()["items"]
    assert notice["text"].startswith("在") and notice["decision"]["ends_at"]

    async with runtime.sessions() as session:
        account = await session.scalar(select(Account).where(Account.username == "mei"))
        assert account is not None
        account.muted_until = utcnow() - timedelta(seconds=1)
        await commit(session)
    again = await client.post("/api/v1/notes", json={"title": "回来了", "body": "hi"}, headers=mei)
    assert again.status_code == 201


async def test_suspension_ends_sessions_and_lifts_when_due(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _note, case_id = await _reported_note(client, runtime)
    mod1, _mod2 = await _moderators(client, runtime)
    mei = await token_headers(client, "mei")
    suspended = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "suspend", "reason": "scam", "duration_hours": 72},
        headers=mod1,
    )
    assert suspended.status_code == 201, suspended.text
    assert (await client.get("/api/v1/me", headers=mei)).status_code == 401
    login = await client.post("/api/v1/auth/tokens", json={"username": "mei", "password": PASSWORD})
    assert login.status_code in (401, 403)

    async with runtime.sessions() as session:
        account = await session.scalar(select(Account).where(Account.username == "mei"))
        assert account is not None and account.state == "suspended"
        account.suspended_until = utcnow() - timedelta(seconds=1)
        await commit(session)
    # Its time is up: the next sign-in works.
    assert (await token_headers(client, "mei")).get("Authorization")


async def test_decision_input_is_checked(client: httpx.AsyncClient, runtime: Runtime) -> None:
    _note, case_id = await _reported_note(client, runtime)
    mod1, _mod2 = await _moderators(client, runtime)
    url = f"/api/v1/moderation/cases/{case_id}/decision"
    for body, field in (
        ({"action": "delete", "reason": "scam"}, "action"),
        ({"action": "remove", "reason": "no-such-rule"}, "reason"),
        ({"action": "suspend", "reason": "scam", "duration_hours": -1}, "duration_hours"),
    ):
        answer = await client.post(url, json=body, headers=mod1)
        assert answer.status_code == 400, body
        assert answer.json()["error"]["field"] == field
    assert (
        await client.post("/api/v1/moderation/cases/12x/claim", headers=mod1)
    ).status_code == 404
    async with runtime.sessions() as session:
        assert (await session.scalars(select(Decision))).all() == []


async def test_bulk_decisions_skip_what_they_cannot_take(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "spammer")
    await make_account(runtime, "lily")
    lily = await token_headers(client, "lily")
    ids = []
    for n in range(3):
        note = await make_note(runtime, author, title=f"buy now {n}", body="cheap followers")
        await client.post(
            "/api/v1/reports",
            json={"target_type": "note", "target_id": str(note.id), "reason": "spam"},
            headers=lily,
        )
    async with runtime.sessions() as session:
        ids = [str(case.id) for case in await session.scalars(select(Case).order_by(Case.id))]
    mod1, mod2 = await _moderators(client, runtime)
    await client.post(f"/api/v1/moderation/cases/{ids[0]}/claim", headers=mod2)
    answer = await client.post(
        "/api/v1/moderation/cases/bulk-decision",
        json={"case_ids": [*ids, "nope"], "action": "remove", "reason": "spam"},
        headers=mod1,
    )
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["decided"]) == sorted(ids[1:])
    assert answer.json()["skipped"] == {ids[0]: "case_claimed", "nope": "case_not_found"}


async def test_members_cannot_use_moderator_routes(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _note, case_id = await _reported_note(client, runtime)
    lily = await token_headers(client, "lily")
    for method, url, body in (
        ("POST", f"/api/v1/moderation/cases/{case_id}/claim", None),
        ("DELETE", f"/api/v1/moderation/cases/{case_id}/claim", None),
        (
            "POST",
            f"/api/v1/moderation/cases/{case_id}/decision",
            {"action": "allow", "reason": "x"},
        ),
        (
            "POST",
            "/api/v1/moderation/cases/bulk-decision",
            {"case_ids": [], "action": "allow", "reason": "x"},
        ),
        ("POST", "/api/v1/moderation/appeals/1/review", {"outcome": "upheld"}),
    ):
        member = await client.request(method, url, json=body, headers=lily)
        assert member.status_code == 403, url
        anonymous = await client.request(method, url, json=body)
        assert anonymous.status_code == 401, url


async def test_notices_page_and_appeal_form(client: httpx.AsyncClient, runtime: Runtime) -> None:
    from tests.notes.test_pages import member_named, post_form

    author = await member_named(client, runtime, "jun")  # logged in on `client`
    note = await make_note(runtime, author, title="Night market", body="Best skewers in town")
    await make_account(runtime, "lily")
    await client.post(
        "/api/v1/reports",
        json={"target_type": "note", "target_id": str(note.id), "reason": "spam"},
        headers=await token_headers(client, "lily"),
    )
    async with runtime.sessions() as session:
        case_id = await session.scalar(select(Case.id))
    mod1, _mod2 = await _moderators(client, runtime)
    await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "warn", "reason": "spam", "note": "first time"},
        headers=mod1,
    )
    # The notifications page points to the notice; the notice page shows it and marks it read.
    listing = await client.get("/notifications")
    assert "1 new moderation notice" in listing.text
    shown = await client.get("/notices")
    assert shown.status_code == 200
    assert "We are warning you about your note." in shown.text
    assert "Spam or advertising" in shown.text and "first time" not in shown.text
    assert "Appeal this decision" in shown.text
    assert "1 new moderation notice" not in (await client.get("/notifications")).text

    empty = await post_form(
        client, "/notices", "/notices/appeal", {"decision_id": "1", "text": "please"}
    )
    assert empty.status_code == 404
    async with runtime.sessions() as session:
        decision_id = await session.scalar(select(Decision.id))
    blank = await post_form(
        client, "/notices", "/notices/appeal", {"decision_id": str(decision_id), "text": ""}
    )
    assert blank.status_code == 400 and "Tell us why" in blank.text
    sent = await post_form(
        client,
        "/notices",
        "/notices/appeal",
        {"decision_id": str(decision_id), "text": "It is my own stall"},
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/notices"
    after = await client.get("/notices")
    assert "Your appeal is sent" in after.text and "You appealed this decision" in after.text
    assert "Appeal this decision" not in after.text

    client.cookies.update({"redleaf_lang": "zh-Hans"})
    chinese = await client.get("/notices")
    assert "社区管理通知" in chinese.text and "我们就你的笔记向你发出警告。" in chinese.text
    assert "垃圾信息或广告" in chinese.text
    assert (await client.get("/notices", follow_redirects=False)).status_code == 200
    client.cookies.clear()
    assert (await client.get("/notices")).status_code in (302, 303)


async def test_decisions_become_training_rows(client: httpx.AsyncClient, runtime: Runtime) -> None:
    from redleaf.moderation.training_data import decision_rows

    note, case_id = await _reported_note(client, runtime, reason="scam")
    mod1, mod2 = await _moderators(client, runtime)
    decided = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        json={"action": "remove", "reason": "scam"},
        headers=mod1,
    )
    async with runtime.sessions() as session:
        assert await decision_rows(session) == [("scam", "周末摆摊\n我的小店经验分享")]
    mei = await token_headers(client, "mei")
    appeal = await client.post(
        f"/api/v1/moderation/decisions/{decided.json()['id']}/appeal",
        json={"text": "只是分享"},
        headers=mei,
    )
    await client.post(
        f"/api/v1/moderation/appeals/{appeal.json()['id']}/review",
        json={"outcome": "reversed"},
        headers=mod2,
    )
    async with runtime.sessions() as session:  # reversed on appeal: the text was fine
        assert await decision_rows(session) == [("ok", "周末摆摊\n我的小店经验分享")]
