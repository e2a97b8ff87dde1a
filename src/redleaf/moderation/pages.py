"""Members' moderation pages, plain forms that work without scripts: reporting a note, a comment
or a member (reached from their "Report" links), and /notices, what moderation told them, with
an appeal form under each decision they may still appeal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.models import Account
from redleaf.kit.errors import AppError
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.moderation import appeals, notices, reports
from redleaf.moderation.limits import appeal_limit, report_limit
from redleaf.moderation.reasons import REASONS
from redleaf.notes.access import parse_id
from redleaf.web.forms import csrf_form, field_errors, page, redirect, safe_next, text, undo

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
FIELDS = ("reason", "text", "target_id", "target_type")


def _report_page(
    request: Request,
    values: dict[str, str],
    error: AppError | None = None,
) -> Response:
    return page(
        request,
        "moderation/report.html",
        {
            "values": values,
            "reasons": list(REASONS.values()),
            "errors": field_errors(error, FIELDS) if error else {},
            "limits": get_runtime(request).settings,
        },
        status_code=error.status if error else 200,
    )


def _values(source: Any) -> dict[str, str]:
    return {
        "target_type": str(source.get("type") or source.get("target_type") or ""),
        "target_id": str(source.get("id") or source.get("target_id") or ""),
        "next": safe_next(source.get("next"), "/"),
        "reason": str(source.get("reason") or ""),
        "text": str(source.get("text") or ""),
    }


@router.get("/report")
async def report_page(
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    values = _values(request.query_params)
    if me is None:
        return redirect(request, f"/login?next={request.url.path}?{request.url.query}")
    try:  # the same check as sending it: only what the member can see, and not their own
        target = await reports.load_target(session, me, values["target_type"], values["target_id"])
        if target.author_id == me.id:
            raise reports.own_content()
    except AppError as error:
        return _report_page(request, values, error)
    return _report_page(request, values)


@router.post("/report", dependencies=[Depends(csrf_form), Depends(report_limit)])
async def send_report(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    values = _values(form)
    values["text"] = text(form, "text")
    try:
        await reports.do_report(
            session,
            get_runtime(request),
            me,
            target_type=values["target_type"],
            target_id=values["target_id"],
            reason=values["reason"],
            text=values["text"],
        )
    except AppError as error:
        await undo(session, me)  # the page shows the member: reload them after the rollback
        return _report_page(request, values, error)
    return redirect(request, values["next"], notice="reported")


NOTICES_SHOWN = 50


async def _notices_page(
    request: Request,
    me: Account,
    session: AsyncSession,
    *,
    values: dict[str, str] | None = None,
    error: AppError | None = None,
) -> Response:
    items = await notices.get_page(session, me, limit=NOTICES_SHOWN)
    await notices.do_mark_read(session, me)
    return page(
        request,
        "moderation/notices.html",
        {
            "items": items,
            "values": values or {},
            "errors": field_errors(error, ("text", "decision_id")) if error else {},
            "limits": get_runtime(request).settings,
        },
        status_code=error.status if error else 200,
    )


@router.get("/notices")
async def notices_page(
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if me is None:
        return redirect(request, "/login?next=/notices")
    return await _notices_page(request, me, session)


@router.post("/notices/appeal", dependencies=[Depends(csrf_form), Depends(appeal_limit)])
async def send_appeal(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    values = {"decision_id": text(form, "decision_id"), "text": text(form, "text")}
    try:
        key = parse_id(values["decision_id"])
        if key is None:
            raise appeals.decision_not_found()
        await appeals.do_appeal(session, get_runtime(request), me, key, values["text"])
    except AppError as error:
        await undo(session, me)
        return await _notices_page(request, me, session, values=values, error=error)
    return redirect(request, "/notices", notice="appealed")
