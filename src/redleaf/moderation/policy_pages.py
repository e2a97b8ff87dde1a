"""The policy console for admins (/admin/moderation/policy): the rules in force as a table with a
switch per rule, the YAML editor, importing a YAML file, the version history with Restore, and
the download. Plain forms, no scripts.

The editor and the import are multipart forms: url-encoded forms stop at 64 KB
(form_body_max_bytes), and Chinese text triples in size when url-encoded. Multipart bodies stop
at json_body_max_bytes (1 MiB); settings.moderation_policy_max_bytes (512 KB) sits under it, so
an oversized policy gets this page's message rather than a bare 413.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from redleaf.accounts.auth import require_role
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.errors import AppError, InvalidInput
from redleaf.kit.i18n import get_locale, gettext, lazy, ngettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.moderation import policy_store
from redleaf.moderation.policy import CONTENT_KINDS, Rule
from redleaf.moderation.policy_yaml import check_size, clean_yaml
from redleaf.web.forms import csrf_form, page, redirect, text, undo

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
admin_only = require_role("admin")
WRITE = [Depends(csrf_form), Depends(write_limit)]
PAGE = "/admin/moderation/policy"
HISTORY_LIMIT = 50

ACTION_LABELS = {
    "allow": lazy("Allow"),
    "warn": lazy("Warn"),
    "ask_edit": lazy("Ask to edit"),
    "hold": lazy("Hold for review"),
    "remove": lazy("Remove"),
    "mute": lazy("Mute the author"),
    "suspend": lazy("Suspend the author"),
}
KIND_LABELS = {
    "note": lazy("notes"),
    "comment": lazy("comments"),
    "message": lazy("messages"),
    "profile": lazy("profiles"),
    "image": lazy("images"),
}
SOURCE_LABELS = {
    "database": lazy("saved by an admin"),
    "file": lazy("the operator's file"),
    "default": lazy("Redleaf's default policy"),
}
_SHOWN_ITEMS = 3  # terms or domains named in the table before "…"


# ----------------------------------------------------------------------------- the table


def _listed(items: tuple[str, ...]) -> str:
    shown = ", ".join(items[:_SHOWN_ITEMS])
    return shown + (", …" if len(items) > _SHOWN_ITEMS else "")


def matcher_summary(rule: Rule) -> str:
    matcher = rule.matcher
    if matcher.kind == "terms":
        count = ngettext("%(num)s term", "%(num)s terms", len(matcher.terms))
        return f"{count}: {_listed(matcher.terms)}"
    if matcher.kind == "pattern":
        pattern = matcher.pattern or ""
        return gettext(
            "pattern %(pattern)s", pattern=pattern[:80] + ("…" if len(pattern) > 80 else "")
        )
    if matcher.kind == "domains":
        if matcher.domains == ("*",):
            return gettext("any link")
        count = ngettext("%(num)s domain", "%(num)s domains", len(matcher.domains))
        return f"{count}: {_listed(matcher.domains)}"
    message = (
        lazy("classifier %(name)s ≥ %(threshold)s")
        if matcher.kind == "classifier"
        else lazy("spam signal %(name)s ≥ %(threshold)s")
    )
    return gettext(message, name=matcher.name, threshold=f"{matcher.threshold:g}")


def scope_summary(rule: Rule) -> list[str]:
    scope = rule.scope
    kinds = (
        gettext("everything")
        if set(scope.kinds) == set(CONTENT_KINDS)
        else ", ".join(gettext(KIND_LABELS[kind]) for kind in scope.kinds)
    )
    lines = [kinds]
    if scope.author_locales:
        lines.append(gettext("authors writing in %(list)s", list=", ".join(scope.author_locales)))
    if scope.author_regions:
        lines.append(gettext("authors in %(list)s", list=", ".join(scope.author_regions)))
    if scope.viewer_locales:
        lines.append(gettext("readers of %(list)s", list=", ".join(scope.viewer_locales)))
    if scope.min_account_age_hours is not None:
        lines.append(
            gettext(
                "accounts at least %(hours)s hours old", hours=f"{scope.min_account_age_hours:g}"
            )
        )
    if scope.max_account_age_hours is not None:
        lines.append(
            gettext(
                "accounts younger than %(hours)s hours", hours=f"{scope.max_account_age_hours:g}"
            )
        )
    return lines


def duration_label(rule: Rule) -> str:
    hours = rule.duration_hours
    if hours is not None:
        count = int(hours) if hours == int(hours) else 2  # 1.5 hours: the plural
        return ngettext("%(num)s hour", "%(num)s hours", count, num=f"{hours:g}")
    return gettext("until lifted") if rule.action == "suspend" else "—"


def rule_rows(rules: tuple[Rule, ...]) -> list[dict[str, Any]]:
    locale = get_locale()
    return [
        {
            "code": rule.code,
            "name": rule.name.in_locale(locale),
            "scope": scope_summary(rule),
            "matcher": matcher_summary(rule),
            "action": gettext(ACTION_LABELS[rule.action]),
            "severity": rule.severity,
            "duration": duration_label(rule),
            "enabled": rule.enabled,
        }
        for rule in rules
    ]


# ----------------------------------------------------------------------------- the page


async def _usernames(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Account.id, Account.username).where(Account.id.in_(ids)))
    return {row.id: row.username for row in rows}


async def _policy_page(
    request: Request,
    session: AsyncSession,
    *,
    draft: str | None = None,
    comment: str = "",
    based_on: str | None = None,
    error: AppError | None = None,
) -> Response:
    runtime = get_runtime(request)
    settings = runtime.settings
    # The console shows what every process runs: look at the newest version now, not after the
    # TTL (one small query; a rebuild only when another process saved an edit).
    in_force = await policy_store.current(runtime, session, max_age=0)
    versions = await policy_store.history(session, HISTORY_LIMIT)
    names = await _usernames(session, {v.author_id for v in versions if v.author_id})
    shown = in_force.yaml if draft is None else draft
    line = getattr(error, "line", None)
    lines = shown.splitlines()
    return page(
        request,
        "moderation/policy.html",
        {
            "rules": rule_rows(in_force.engine.policy.rules),
            "policy_version": in_force.engine.policy.version,
            "source": gettext(SOURCE_LABELS[in_force.source]),
            "in_force_id": in_force.version_id,
            "yaml_text": shown,
            "comment": comment,
            "based_on": based_on or in_force.digest,
            "error": error.translated() if error else None,
            "error_line": lines[line - 1] if line and line <= len(lines) else None,
            "error_column": getattr(error, "column", None),
            "versions": [{"row": v, "author": names.get(v.author_id or 0, "—")} for v in versions],
            "max_kb": settings.moderation_policy_max_bytes // 1024,
            "ttl_seconds": f"{settings.moderation_policy_refresh_seconds:g}",
        },
        status_code=error.status if error else 200,
    )


@router.get(PAGE)
async def policy_page(
    request: Request,
    _admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    return await _policy_page(request, session)


@router.get(PAGE + ".yaml")
async def download_policy(
    request: Request,
    _admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    in_force = await policy_store.current(get_runtime(request), session, max_age=0)
    version = in_force.engine.policy.version
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", version).strip("-.") or "policy"
    return Response(
        in_force.yaml,
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="redleaf-policy-{name}.yaml"',
            "Cache-Control": "no-store",
        },
    )


@router.post(PAGE, dependencies=WRITE)
async def save_policy(
    request: Request,
    form: FormData = Depends(csrf_form),
    admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    draft, comment, based_on = text(form, "yaml"), text(form, "comment"), text(form, "based_on")
    try:
        await policy_store.do_save(
            session, get_runtime(request), admin, draft, comment, based_on=based_on or None
        )
    except AppError as error:
        await undo(session, admin)
        # After a conflict, offer to save over the version now in force.
        keep = None if error.status == 409 else based_on
        draft = clean_yaml(draft)
        return await _policy_page(
            request, session, draft=draft, comment=comment, based_on=keep, error=error
        )
    return redirect(request, PAGE, notice="saved")


class NotUtf8(InvalidInput):
    code = "policy_not_utf8"
    message = lazy("This file is not UTF-8 text. Save it as UTF-8 and import it again.")


class NoFile(InvalidInput):
    code = "policy_no_file"
    message = lazy("Choose a YAML file to import.")


async def _read_upload(form: FormData, max_bytes: int) -> str:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise NoFile(field="file")
    data = await upload.read(max_bytes + 1)  # enough to tell it is too large
    if not data:
        raise NoFile(field="file")
    check_size(max(len(data), upload.size or 0), max_bytes, field="file")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is dropped
    except UnicodeDecodeError:
        raise NotUtf8(field="file") from None


@router.post(PAGE + "/import", dependencies=WRITE)
async def import_policy(
    request: Request,
    form: FormData = Depends(csrf_form),
    admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    comment = text(form, "comment")
    draft = None
    try:
        runtime = get_runtime(request)
        draft = await _read_upload(form, runtime.settings.moderation_policy_max_bytes)
        await policy_store.do_save(session, runtime, admin, draft, comment)
    except AppError as error:
        await undo(session, admin)
        shown = clean_yaml(draft) if draft is not None else None
        return await _policy_page(request, session, draft=shown, comment=comment, error=error)
    return redirect(request, PAGE, notice="saved")


@router.post(PAGE + "/switch", dependencies=WRITE)
async def switch_rule(
    request: Request,
    form: FormData = Depends(csrf_form),
    admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    enabled = text(form, "enabled") == "on"
    try:
        await policy_store.set_rule_enabled(
            session, get_runtime(request), admin, text(form, "code"), enabled
        )
    except AppError as error:
        await undo(session, admin)
        return await _policy_page(request, session, error=error)
    return redirect(request, PAGE + "#rules", notice="saved")


@router.post(PAGE + "/restore", dependencies=WRITE)
async def restore_version(
    request: Request,
    form: FormData = Depends(csrf_form),
    admin: Account = Depends(admin_only),
    session: AsyncSession = Depends(db),
) -> Response:
    try:
        await policy_store.do_revert(session, get_runtime(request), admin, text(form, "version"))
    except AppError as error:
        await undo(session, admin)
        return await _policy_page(request, session, error=error)
    return redirect(request, PAGE, notice="saved")
