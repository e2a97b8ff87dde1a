"""The glossary console for admins (/admin/glossary): every term in force, add or change one,
switch one off. Plain forms, no scripts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts.auth import require_role
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.errors import AppError
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.translation import glossary_admin, glossary_store
from redleaf.web.forms import csrf_form, field_errors, page, redirect, text, undo

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
admin_only = require_role("admin")
WRITE = [Depends(csrf_form), Depends(write_limit)]
FIELDS = ("term", "en", "zh", "note_en", "note_zh")


async def _glossary_page(
    request: Request,
    session: AsyncSession,
    *,
    values: dict[str, Any] | None = None,
    error: AppError | None = None,
) -> Response:
    runtime = get_runtime(request)
    current = await glossary_store.current(runtime, session)
    in_force = {entry.term.casefold() for entry in current.entries}
    switched_off = [
        row
        for row in await glossary_admin.all_rows(session)
        if not row.enabled and row.term.casefold() not in in_force
    ]
    return page(
        request,
        "translation/glossary.html",
        {
            "entries": current.entries,
            "switched_off": switched_off,
            "values": values or {},
            "errors": field_errors(error, FIELDS) if error else {},
            "limits": glossary_admin.LIMITS,
        },
        status_code=error.status if error else 200,
    )


@router.get("/admin/glossary")
async def glossary_page(
    request: Request,
    _admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    return await _glossary_page(request, session)


@router.post("/admin/glossary", dependencies=WRITE)
async def save_term(
    request: Request,
    form: FormData = Depends(csrf_form),
    admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    values = {name: text(form, name) for name in FIELDS}
    try:
        await glossary_admin.do_save_term(
            session,
            get_runtime(request),
            admin,
            term=values["term"],
            en=values["en"],
            zh=values["zh"],
            note_en=values["note_en"],
            note_zh=values["note_zh"],
        )
    except AppError as error:
        await undo(session, admin)
        return await _glossary_page(request, session, values=values, error=error)
    return redirect(request, "/admin/glossary", notice="saved")


@router.post("/admin/glossary/switch", dependencies=WRITE)
async def switch_term(
    request: Request,
    form: FormData = Depends(csrf_form),
    admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    enabled = text(form, "enabled") == "on"
    try:
        await glossary_admin.do_set_enabled(
            session, get_runtime(request), admin, text(form, "term"), enabled
        )
    except AppError as error:
        await undo(session, admin)
        return await _glossary_page(request, session, error=error)
    return redirect(request, "/admin/glossary", notice="saved")
