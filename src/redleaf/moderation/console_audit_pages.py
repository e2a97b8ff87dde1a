"""The review console's audit log (/mod/audit, filtered, with its CSV export /mod/audit.csv) and
per-moderator counts (/mod/stats), for moderators and admins. Read-only pages.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.errors import AppError
from redleaf.kit.i18n import gettext, ngettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.moderation import console_audit
from redleaf.moderation.console_pages import ACTION_VERBS, staff_gate
from redleaf.moderation.models import DECISION_ACTIONS
from redleaf.web.forms import field_errors, page

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
AUDIT_FIELDS = ("actor", "action", "target_type", "since", "until")
AUDIT_PAGE = 100


@router.get("/mod/audit")
async def audit_page(
    request: Request,
    cursor: str | None = Query(default=None, max_length=100),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if (answer := staff_gate(request, me)) is not None:
        return answer
    params = request.query_params
    values = {name: params.get(name, "") for name in AUDIT_FIELDS}
    try:
        filters = console_audit.parse_filters(params)
    except AppError as error:
        return page(
            request,
            "moderation/console_audit.html",
            {"entries": [], "values": values, "errors": field_errors(error, AUDIT_FIELDS)},
            status_code=error.status,
        )
    entries, next_cursor = await console_audit.audit_page(
        session, filters, limit=AUDIT_PAGE, cursor=cursor
    )
    query = filters.query()
    return page(
        request,
        "moderation/console_audit.html",
        {
            "entries": entries,
            "values": values,
            "errors": {},
            "csv_url": "/mod/audit.csv" + ("?" + urlencode(query) if query else ""),
            "next_url": "/mod/audit?" + urlencode({**query, "cursor": next_cursor})
            if next_cursor
            else None,
        },
    )


@router.get("/mod/audit.csv")
async def audit_csv(
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if (answer := staff_gate(request, me)) is not None:
        return answer
    filters = console_audit.parse_filters(request.query_params)
    name = f"redleaf-audit-{utcnow():%Y%m%d-%H%M}.csv"
    return StreamingResponse(
        console_audit.audit_csv(get_runtime(request), filters),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/mod/stats")
async def stats_page(
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if (answer := staff_gate(request, me)) is not None:
        return answer
    now = utcnow()
    periods = []
    for days in (7, 30):
        rows = await console_audit.moderator_counts(session, now - timedelta(days=days))
        for row in rows:
            share = row["reversed_share"]
            row["reversed_percent"] = f"{share:.0%}" if share is not None else "–"
        label = ngettext("Last %(num)s day", "Last %(num)s days", days)
        periods.append({"days": days, "label": label, "rows": rows})
    actions = [{"value": a, "label": gettext(ACTION_VERBS[a])} for a in DECISION_ACTIONS]
    return page(request, "moderation/console_stats.html", {"periods": periods, "actions": actions})
