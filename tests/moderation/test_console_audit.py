"""The review console's audit log (/mod/audit) with its filters and CSV export (/mod/audit.csv),
and the per-moderator counts (/mod/stats), in both interface languages."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import httpx
from sqlalchemy import select

from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit, console_audit
from redleaf.moderation.models import AuditEntry, Decision
from tests.accounts.factories import make_account, token_headers
from tests.moderation.console_helpers import (
    ZH,
    Reporters,
    SignIn,
    post_from,
)
from tests.notes.factories import make_note


async def _decided_history(
    client: httpx.AsyncClient, runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    """mod1 removes one note and warns about another; the first is appealed and mod2 reverses."""
    author = await make_account(runtime, "mei")
    first = await make_note(runtime, author, title="One", body="Cheap bags")
    second = await make_note(runtime, author, title="Two", body="More bags")
    first_case = await reporters.report("note", first.id, "spam")
    second_case = await reporters.report("note", second.id, "spam")
    mod1, mod2 = await sign_in("mod1"), await sign_in("mod2")
    for case, action in ((first_case, "remove"), (second_case, "warn")):
        answer = await post_from(
            mod1,
            f"/mod/cases/{case.id}",
            f"/mod/cases/{case.id}/decide",
            {"action": action, "reason": "spam"},
        )
        assert answer.status_code == 303
    async with runtime.sessions() as session:
        decision = await session.scalar(select(Decision).where(Decision.case_id == first_case.id))
    assert decision is not None
    appealed = await client.post(
        f"/api/v1/moderation/decisions/{decision.id}/appeal",
        json={"text": "Please look again"},
        headers=await token_headers(client, "mei"),
    )
    review = await post_from(
        mod2,
        f"/mod/cases/{first_case.id}",
        f"/mod/appeals/{appealed.json()['id']}/review",
        {"outcome": "reversed"},
    )
    assert review.status_code == 303
    return mod1, mod2


async def test_the_audit_log_filters_and_exports_csv(
    client: httpx.AsyncClient, runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    mod1, _mod2 = await _decided_history(client, runtime, reporters, sign_in)
    async with runtime.sessions() as session:  # a value a spreadsheet would run as a formula
        await audit.record(session, None, '=HYPERLINK("http://evil.example","x")')
        await commit(session)

    everything = await mod1.get("/mod/audit")
    assert everything.status_code == 200
    for action in ("report.created", "case.remove", "case.warn", "appeal.reversed"):
        assert f"<code>{action}</code>" in everything.text
    assert 'href="/mod/audit.csv"' in everything.text

    by_mod1 = await mod1.get("/mod/audit", params={"actor": "mod1", "action": "case."})
    actions = re.findall(r"<code>([a-z_.]+)</code>", by_mod1.text)
    assert sorted(actions) == ["case.remove", "case.warn"]
    assert 'href="/mod/audit.csv?actor=mod1&amp;action=case.' in by_mod1.text
    appeals = await mod1.get("/mod/audit", params={"action": "appeal."})
    assert re.findall(r"<code>([a-z_.]+)</code>", appeals.text) == [
        "appeal.reversed",
        "appeal.created",
    ]
    assert "<code>" not in (await mod1.get("/mod/audit?actor=nobody")).text
    assert "<code>" not in (await mod1.get("/mod/audit?actor=²")).text
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    assert "<code>" not in (await mod1.get(f"/mod/audit?until={yesterday}")).text
    assert "<code>case.remove</code>" in (await mod1.get(f"/mod/audit?since={yesterday}")).text
    bad = await mod1.get("/mod/audit?since=last-week")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text

    exported = await mod1.get("/mod/audit.csv", params={"actor": "mod1"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["content-disposition"].startswith("attachment; filename=")
    assert exported.text.startswith("\ufeff")  # a byte-order mark: spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0] == list(console_audit.CSV_COLUMNS)
    assert sorted(row[3] for row in rows[1:]) == ["case.remove", "case.warn"]
    assert {row[1] for row in rows[1:]} == {"mod1"}

    everything_csv = await mod1.get("/mod/audit.csv")
    rows = list(csv.reader(io.StringIO(everything_csv.text.lstrip("\ufeff"))))
    injected = [row for row in rows if "HYPERLINK" in row[3]]
    assert injected and injected[0][3].startswith("'=HYPERLINK")
    assert injected[0][1] == "system"
    async with runtime.sessions() as session:
        total = len((await session.scalars(select(AuditEntry))).all())
    assert len(rows) == total + 1


def test_csv_cells_that_look_like_formulas_are_quoted() -> None:
    for risky in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert console_audit.safe_cell(risky) == "'" + risky
    for plain in ("mod1", "case.remove", "", '{"reason": "spam"}', 12):
        assert console_audit.safe_cell(plain) == str(plain)


async def test_moderator_activity_counts(
    client: httpx.AsyncClient, runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    mod1, mod2 = await _decided_history(client, runtime, reporters, sign_in)
    async with runtime.sessions() as session:
        rows = await console_audit.moderator_counts(session, utcnow() - timedelta(days=7))
        later = await console_audit.moderator_counts(session, utcnow() + timedelta(minutes=1))
    by_name = {row["moderator"]: row for row in rows}
    assert by_name["mod1"]["decisions"] == {"remove": 1, "warn": 1}
    assert by_name["mod1"]["reversed"] == 1 and by_name["mod1"]["reversed_share"] == 0.5
    assert by_name["mod2"]["appeals_reviewed"] == 1 and by_name["mod2"]["appeals_reversed"] == 1
    assert by_name["mod2"]["total"] == 0
    assert [row["moderator"] for row in rows] == ["mod1", "mod2"]
    assert later == []

    page = await mod2.get("/mod/stats")
    assert page.status_code == 200
    assert page.text.count("@mod1") == 2 and "50%" in page.text  # last 7 and 30 days
    mod2.cookies.update(ZH)
    chinese = await mod2.get("/mod/stats")
    assert '<html lang="zh-Hans">' in chinese.text and '<th scope="col">移除</th>' in chinese.text
