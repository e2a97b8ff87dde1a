"""Members report notes, comments, messages and people. A report must name something its
reporter can see and did not write; reports on one target join its open case; a second report
by the same member on the same open case is the first one, unchanged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import access as accounts_access
from redleaf.accounts.models import Account
from redleaf.accounts.service import clean_text
from redleaf.kit.db import insert_ignore, new_id, utcnow
from redleaf.kit.errors import InvalidInput, NotFound
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit, cases
from redleaf.moderation.models import TARGET_TYPES, Case, Report
from redleaf.moderation.reasons import REASONS
from redleaf.notes import access as notes_access


@dataclass(frozen=True)
class Target:
    type: str
    id: int
    author_id: int | None


def own_content() -> InvalidInput:
    return InvalidInput("You cannot report yourself or what you wrote.", field="target_id")


async def load_target(
    session: AsyncSession, viewer: Account, target_type: str, raw_id: str
) -> Target:
    """What is reported, as the reporter may see it (404 otherwise, as for any read)."""
    if target_type == "note":
        note = await notes_access.load_note(session, viewer, raw_id)
        return Target("note", note.id, note.author_id)
    if target_type == "comment":
        comment, _note = await notes_access.load_comment(session, viewer, raw_id)
        return Target("comment", comment.id, comment.author_id)
    if target_type == "user":
        username = raw_id
        key = notes_access.parse_id(raw_id)  # a member's id, or else their name
        if key is not None:
            from redleaf.accounts import repository

            found = await repository.by_id(session, key)
            username = found.username if found is not None else ""
        account = await accounts_access.load_account(session, viewer, username)
        return Target("user", account.id, account.id)
    if target_type == "message":
        # Chat messages arrive with the chat feature; until then there is none to find.
        raise NotFound("We could not find that message.", code="message_not_found")
    raise InvalidInput("Choose what you are reporting.", field="target_type")


async def do_report(
    session: AsyncSession,
    runtime: Runtime,
    reporter: Account,
    *,
    target_type: str,
    target_id: str,
    reason: str,
    text: str = "",
) -> tuple[Report, Case, bool]:
    """The report (new, or the member's earlier one on this open case), its case, and whether
    it is new."""
    if target_type not in TARGET_TYPES:
        raise InvalidInput("Choose what you are reporting.", field="target_type")
    category = REASONS.get(reason)
    if category is None:
        raise InvalidInput("Choose a reason for your report.", field="reason")
    text = clean_text(
        text, field="text", max_length=runtime.settings.report_text_max_length, multiline=True
    )
    target = await load_target(session, reporter, target_type, target_id)
    if target.author_id == reporter.id:
        raise own_content()

    case, _new_case = await cases.open_case(
        session,
        target_type=target.type,
        target_id=target.id,
        author_id=target.author_id,
        source="report",
        severity=category.severity,
    )
    report_id = await session.scalar(
        insert_ignore(
            session,
            Report,
            id=new_id(),
            case_id=case.id,
            reporter_id=reporter.id,
            reason=category.code,
            text=text,
            created_at=utcnow(),
        ).returning(Report.id)
    )
    if report_id is None:  # this member already reported it while the case is open
        earlier = await session.scalar(
            select(Report).where(Report.case_id == case.id, Report.reporter_id == reporter.id)
        )
        assert earlier is not None
        return earlier, case, False
    await cases.raise_severity(session, case.id, category.severity, reports=1)
    await audit.record(
        session,
        reporter,
        "report.created",
        target_type=target.type,
        target_id=target.id,
        case_id=case.id,
        reason=category.code,
    )
    report = await session.get(Report, report_id)
    assert report is not None
    return report, case, True
