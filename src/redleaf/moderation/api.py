"""JSON routes of moderation (/api/v1): members' reports, notices and appeals; moderators'
claims, decisions and appeal reviews (the console's pages call the same services)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.auth import require_role, require_viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.i18n import gettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.moderation import appeals, claims, decisions, notices, reports
from redleaf.moderation.limits import appeal_limit, report_limit
from redleaf.moderation.models import Appeal, Decision
from redleaf.moderation.reasons import REASONS
from redleaf.moderation.schemas import (
    AppealIn,
    AppealOut,
    AppealReviewIn,
    BulkDecisionIn,
    BulkOut,
    ClaimOut,
    DecisionIn,
    DecisionOut,
    NoticesOut,
    ReasonsOut,
    ReportIn,
    ReportOut,
)
from redleaf.notes.access import parse_id

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["moderation"])
moderator_only = require_role("moderator", "admin")
NOTICES_PAGE = 20


@router.post(
    "/reports", status_code=201, response_model=ReportOut, dependencies=[Depends(report_limit)]
)
async def create_report(
    body: ReportIn,
    request: Request,
    response: Response,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    report, case, new = await reports.do_report(
        session,
        get_runtime(request),
        me,
        target_type=body.target_type,
        target_id=str(body.target_id),
        reason=body.reason,
        text=body.text,
    )
    if not new:
        response.status_code = 200  # the member's earlier report on this open case
    return {"id": str(report.id), "state": case.state}


@router.get("/reports/reasons", response_model=ReasonsOut)
async def report_reasons() -> dict[str, Any]:
    return {"items": [{"code": r.code, "label": gettext(r.label)} for r in REASONS.values()]}


# --- members: notices and appeals ----------------------------------------------------------------


@router.get("/moderation/notices", response_model=NoticesOut)
async def list_notices(
    before: str | None = Query(default=None, max_length=20),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    """What moderation told me, newest first; `before` is the last id of the previous page."""
    items = await notices.get_page(
        session, me, limit=NOTICES_PAGE, before=parse_id(before) if before else None
    )
    more = len(items) == NOTICES_PAGE
    return {
        "items": items,
        "unread": await notices.unread_count(session, me),
        "next_before": items[-1]["id"] if more else None,
    }


@router.post("/moderation/notices/read", status_code=204, dependencies=[Depends(write_limit)])
async def read_notices(
    me: Account = Depends(require_viewer), session: AsyncSession = Depends(db)
) -> Response:
    await notices.do_mark_read(session, me)
    return Response(status_code=204)


def _appeal_out(appeal: Appeal) -> dict[str, Any]:
    return {"id": str(appeal.id), "decision_id": str(appeal.decision_id), "state": appeal.state}


@router.post(
    "/moderation/decisions/{decision_id}/appeal",
    status_code=201,
    response_model=AppealOut,
    dependencies=[Depends(appeal_limit)],
)
async def appeal_decision(
    decision_id: str,
    body: AppealIn,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    key = parse_id(decision_id)
    if key is None:
        raise appeals.decision_not_found()
    appeal = await appeals.do_appeal(session, get_runtime(request), me, key, body.text)
    return _appeal_out(appeal)


# --- moderators: claims, decisions, appeal reviews ------------------------------------------------


def _case_id(raw: str) -> int:
    key = parse_id(raw)
    if key is None:
        raise claims.case_not_found()
    return key


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": str(decision.id),
        "case_id": str(decision.case_id),
        "action": decision.action,
        "reason": decision.reason,
        "rule": decision.rule,
        "duration_hours": decision.duration_hours,
        "ends_at": decision.ends_at,
        "state": decision.state,
    }


@router.post(
    "/moderation/cases/{case_id}/claim",
    response_model=ClaimOut,
    dependencies=[Depends(write_limit)],
)
async def claim_case(
    case_id: str,
    request: Request,
    me: Account = Depends(moderator_only),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    case = await claims.claim(session, get_runtime(request), me, _case_id(case_id))
    return {"case_id": str(case.id), "claimed_until": case.claimed_until}


@router.delete(
    "/moderation/cases/{case_id}/claim", status_code=204, dependencies=[Depends(write_limit)]
)
async def release_case(
    case_id: str, me: Account = Depends(moderator_only), session: AsyncSession = Depends(db)
) -> Response:
    await claims.release(session, me, _case_id(case_id))
    return Response(status_code=204)


@router.post(
    "/moderation/cases/{case_id}/decision",
    status_code=201,
    response_model=DecisionOut,
    dependencies=[Depends(write_limit)],
)
async def decide_case(
    case_id: str,
    body: DecisionIn,
    request: Request,
    me: Account = Depends(moderator_only),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    decision = await decisions.do_decide(
        session,
        get_runtime(request),
        me,
        _case_id(case_id),
        action=body.action,
        reason=body.reason,
        note=body.note,
        duration_hours=body.duration_hours,
    )
    return _decision_out(decision)


@router.post(
    "/moderation/cases/bulk-decision",
    response_model=BulkOut,
    dependencies=[Depends(write_limit)],
)
async def decide_cases(
    body: BulkDecisionIn,
    request: Request,
    me: Account = Depends(moderator_only),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    ids = [parse_id(raw) for raw in body.case_ids]
    result = await decisions.do_bulk_decide(
        session,
        get_runtime(request),
        me,
        [key for key in ids if key is not None],
        action=body.action,
        reason=body.reason,
        note=body.note,
        duration_hours=body.duration_hours,
    )
    skipped = {str(key): code for key, code in result.skipped.items()}
    skipped.update(
        {
            str(raw): "case_not_found"
            for raw, key in zip(body.case_ids, ids, strict=True)
            if key is None
        }
    )
    return {"decided": [str(key) for key in result.decided], "skipped": skipped}


@router.post(
    "/moderation/appeals/{appeal_id}/review",
    response_model=AppealOut,
    dependencies=[Depends(write_limit)],
)
async def review_appeal(
    appeal_id: str,
    body: AppealReviewIn,
    request: Request,
    me: Account = Depends(moderator_only),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    key = parse_id(appeal_id)
    if key is None:
        raise appeals.appeal_not_found()
    appeal = await appeals.do_review(
        session, get_runtime(request), me, key, outcome=body.outcome, response=body.response
    )
    return _appeal_out(appeal)
