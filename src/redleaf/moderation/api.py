"""JSON routes of moderation (/api/v1): reports and their reasons."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.auth import require_viewer
from redleaf.accounts.models import Account
from redleaf.kit.i18n import gettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.moderation import reports
from redleaf.moderation.limits import report_limit
from redleaf.moderation.reasons import REASONS
from redleaf.moderation.schemas import ReasonsOut, ReportIn, ReportOut

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["moderation"])


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
