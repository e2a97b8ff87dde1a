"""Reports (API.md): what may be reported and by whom, one case per target, one report per
member and case, reasons in both languages, limits, and the audit log."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from redleaf.kit.runtime import Runtime
from redleaf.moderation.models import AuditEntry, Case, Report
from tests.accounts.factories import make_account, token_headers
from tests.notes.factories import make_note

ZH = {"Accept-Language": "zh-Hans"}


async def _cases(runtime: Runtime) -> list[Case]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Case))).all())


async def test_reports_on_one_note_join_one_case(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Too good to be true", body="DM me to learn more")
    await make_account(runtime, "lily")
    await make_account(runtime, "jake")
    lily, jake = await token_headers(client, "lily"), await token_headers(client, "jake")

    first = await client.post(
        "/api/v1/reports",
        json={"target_type": "note", "target_id": str(note.id), "reason": "spam"},
        headers=lily,
    )
    assert first.status_code == 201, first.text
    assert first.json()["state"] == "open"
    second = await client.post(
        "/api/v1/reports",
        json={"target_type": "note", "target_id": note.id, "reason": "scam", "text": "a scam"},
        headers=jake,
    )
    assert second.status_code == 201
    again = await client.post(
        "/api/v1/reports",
        json={"target_type": "note", "target_id": str(note.id), "reason": "other"},
        headers=lily,
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]

    (case,) = await _cases(runtime)
    assert (case.target_type, case.target_id, case.author_id) == ("note", note.id, author.id)
    assert case.report_count == 2 and case.severity == 4  # a scam outranks spam
    async with runtime.sessions() as session:
        reports = (await session.scalars(select(Report))).all()
        audit = (await session.scalars(select(AuditEntry))).all()
    assert sorted(r.reason for r in reports) == ["scam", "spam"]
    assert [a.action for a in audit] == ["report.created", "report.created"]
    assert {a.actor_role for a in audit} == {"member"}


async def test_concurrent_reports_make_one_case(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author)
    headers = []
    for i in range(6):
        await make_account(runtime, f"reader{i}")
        headers.append(await token_headers(client, f"reader{i}"))
    body = {"target_type": "note", "target_id": str(note.id), "reason": "spam"}
    answers = await asyncio.gather(
        *(client.post("/api/v1/reports", json=body, headers=h) for h in headers)
    )
    assert [a.status_code for a in answers] == [201] * 6
    (case,) = await _cases(runtime)
    assert case.report_count == 6


async def test_what_cannot_be_reported(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "mei")
    hidden = await make_note(runtime, author, visibility="private")
    mine = await make_note(runtime, author)
    await make_account(runtime, "lily")
    lily, mei = await token_headers(client, "lily"), await token_headers(client, "mei")

    def report(target_type: str, target_id: object, reason: str = "spam") -> dict[str, object]:
        return {"target_type": target_type, "target_id": target_id, "reason": reason}

    cases = [
        (lily, report("note", str(hidden.id)), 404, None),  # cannot see it
        (lily, report("note", "nope"), 404, None),
        (lily, report("message", "123"), 404, None),
        (lily, report("user", "nobody_here"), 404, None),
        (mei, report("note", str(mine.id)), 400, "target_id"),  # one's own note
        (mei, report("user", "mei"), 400, "target_id"),
        (lily, report("note", str(mine.id), "boring"), 400, "reason"),
        (lily, report("planet", "1"), 400, "target_type"),
        (lily, {**report("note", str(mine.id)), "text": "x" * 501}, 400, "text"),
    ]
    for headers, body, status, field in cases:
        answer = await client.post("/api/v1/reports", json=body, headers=headers)
        assert answer.status_code == status, (body, answer.text)
        if field:
            assert answer.json()["error"]["field"] == field
    anonymous = await client.post("/api/v1/reports", json=report("note", str(mine.id)))
    assert anonymous.status_code == 401
    refused = await client.post(
        "/api/v1/reports", json=report("note", str(mine.id), "boring"), headers={**lily, **ZH}
    )
    assert "原因" in refused.json()["error"]["message"]
    assert await _cases(runtime) == []


async def test_comments_and_people_can_be_reported(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author)
    await make_account(runtime, "lily")
    lily = await token_headers(client, "lily")
    comment = await client.post(
        f"/api/v1/notes/{note.id}/comments",
        json={"body": "hello"},
        headers=await token_headers(client, "mei"),
    )
    for body in (
        {"target_type": "comment", "target_id": comment.json()["id"], "reason": "harassment"},
        {"target_type": "user", "target_id": "mei", "reason": "scam"},
        {"target_type": "user", "target_id": str(author.id), "reason": "spam"},
    ):
        answer = await client.post("/api/v1/reports", json=body, headers=lily)
        assert answer.status_code in (200, 201), answer.text
    kinds = sorted((c.target_type, c.report_count) for c in await _cases(runtime))
    assert kinds == [("comment", 1), ("user", 1)]  # the second report of mei is the first one


async def test_reasons_in_both_languages(client: httpx.AsyncClient) -> None:
    english = (await client.get("/api/v1/reports/reasons")).json()["items"]
    chinese = (await client.get("/api/v1/reports/reasons", headers=ZH)).json()["items"]
    assert [r["code"] for r in english] == [r["code"] for r in chinese]
    assert "spam" in [r["code"] for r in english]
    assert english[0]["label"] != chinese[0]["label"]


async def test_reports_are_rate_limited(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(rate_limits="on", rate_report_per_account="1/hour") as (app, client):
        runtime = app.state.runtime
        author = await make_account(runtime, "mei")
        notes = [await make_note(runtime, author) for _ in range(2)]
        await make_account(runtime, "lily")
        lily = await token_headers(client, "lily")
        answers = [
            await client.post(
                "/api/v1/reports",
                json={"target_type": "note", "target_id": str(n.id), "reason": "spam"},
                headers=lily,
            )
            for n in notes
        ]
        assert [a.status_code for a in answers] == [201, 429]


async def test_reporting_from_the_pages(client: httpx.AsyncClient, runtime: Runtime) -> None:
    from tests.accounts.test_pages import ZH
    from tests.notes.test_pages import member_named, post_form

    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author)
    assert "/report?type=note" not in (await client.get(f"/notes/{note.id}")).text  # visitors
    await member_named(client, runtime, "lily")
    page = await client.get(f"/notes/{note.id}")
    assert f"/report?type=note&amp;id={note.id}" in page.text
    assert "/report?type=user&amp;id=mei" in (await client.get("/u/mei")).text

    form_url = f"/report?type=note&id={note.id}&next=/notes/{note.id}"
    form = await client.get(form_url)
    assert form.status_code == 200 and "Spam or advertising" in form.text
    missing = await post_form(
        client, form_url, "/report", {"target_type": "note", "target_id": str(note.id)}
    )
    assert missing.status_code == 400 and "Choose a reason" in missing.text
    sent = await post_form(
        client,
        form_url,
        "/report",
        {
            "target_type": "note",
            "target_id": str(note.id),
            "reason": "spam",
            "text": "Same post in ten groups",
            "next": f"/notes/{note.id}",
        },
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/notes/{note.id}"
    assert "Thank you for telling us" in (await client.get(sent.headers["location"])).text
    (case,) = await _cases(runtime)
    assert case.report_count == 1

    client.cookies.update(ZH)
    chinese = await client.get(form_url)
    assert "垃圾信息或广告" in chinese.text and "举报" in chinese.text
    own = await client.get("/report?type=user&id=lily")
    assert own.status_code == 400 and "Send report" not in own.text


async def test_odd_ids_are_not_found(client: httpx.AsyncClient, runtime: Runtime) -> None:
    """Found by schemathesis: "²".isdigit() is true, and int("²") raises."""
    await make_account(runtime, "lily")
    lily = await token_headers(client, "lily")
    for odd in ("²", "٣", "99999999999999999999", "9223372036854775808"):
        for path in (f"/api/v1/notes/{odd}", f"/api/v1/notes/{odd}/translation"):
            assert (await client.get(path)).status_code == 404, path
        body = {"target_type": "user", "target_id": odd, "reason": "spam"}
        answer = await client.post("/api/v1/reports", json=body, headers=lily)
        assert answer.status_code == 404, (odd, answer.text)
