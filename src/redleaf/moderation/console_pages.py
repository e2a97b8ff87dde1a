"""The review console (/mod) for moderators and admins: the queue and its views with bulk
actions, one case beside its translation with the decision form, and appeals (the audit log and
per-moderator counts are console_audit_pages.py). Plain forms; mod-console.js adds keyboard
shortcuts.

Opening a case claims it (claims.py) so two moderators never decide the same case; after a
decision the console goes on to the next case of the same view, like a work queue.
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts.auth import require_role, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.pages.common import login_redirect
from redleaf.kit.db import commit
from redleaf.kit.errors import AppError, Forbidden, InvalidInput
from redleaf.kit.i18n import get_locale, gettext, lazy, ngettext
from redleaf.kit.runtime import Runtime, get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.moderation import appeals, claims, console, console_case, decisions
from redleaf.moderation.models import DECISION_ACTIONS, Case
from redleaf.notes.access import parse_id
from redleaf.translation import detect
from redleaf.translation.langs import UNDETERMINED, base
from redleaf.translation.service import merge, translate_content
from redleaf.web.forms import choices, csrf_form, field_errors, page, redirect, text, undo

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
staff = require_role("moderator", "admin")
WRITE = [Depends(csrf_form), Depends(write_limit)]
STAFF_ROLES = ("moderator", "admin")
DECIDE_FIELDS = ("action", "reason", "duration_hours", "note")
REVIEW_FIELDS = ("outcome", "response")
COUNTS = ("decided", "skipped")  # a bulk decision's outcome, in the queue's URL
DURATIONS = (1, 24, 72, 168, 720, 8760)  # hours a mute or suspension may last
# One key per action for the keyboard (mod-console.js); shown beside each choice.
ACTION_KEYS = {"allow": "a", "warn": "w", "remove": "r", "mute": "m", "suspend": "s"}
# What a moderator chooses, as verbs (the notices name the outcome: "Content removed").
ACTION_VERBS = {
    "allow": lazy("Allow"),
    "warn": lazy("Warn"),
    "remove": lazy("Remove"),
    "mute": lazy("Pause posting"),
    "suspend": lazy("Suspend"),
}
# Engines by the name a reader knows them (as translate.js names them).
ENGINE_NAMES = {
    "ct2": "OPUS-MT",
    "openai": "AI",
    "libretranslate": "LibreTranslate",
    "opencc": "OpenCC",
    "gloss": "CC-CEDICT",
}


def staff_gate(request: Request, me: Account | None) -> Response | None:
    """Visitors go to sign in; members who are not staff are refused."""
    if me is None:
        return login_redirect(request)
    if me.role not in STAFF_ROLES:
        raise Forbidden()
    return None


def _view(value: object) -> str:
    return value if isinstance(value, str) and value in console.VIEWS else "all"


def _case_id(raw: object) -> int:
    found = parse_id(raw)
    if found is None:
        raise claims.case_not_found()
    return found


def _queue_url(view: str, **extra: object) -> str:
    query = {"view": view, **{k: v for k, v in extra.items() if v is not None}}
    return "/mod?" + urlencode(query)


def _case_url(case_id: int | str, view: str) -> str:
    return f"/mod/cases/{case_id}?" + urlencode({"view": view})


def _hours(raw: str) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        hours = float(raw)
    except ValueError:
        raise InvalidInput("Give a duration in hours.", field="duration_hours") from None
    if not math.isfinite(hours):
        raise InvalidInput("Give a duration in hours.", field="duration_hours")
    return hours


def durations() -> list[tuple[str, str]]:
    out = [("", gettext("No end (suspension only)"))]
    for hours in DURATIONS:
        if hours < 24:
            label = ngettext("%(num)s hour", "%(num)s hours", hours)
        else:
            label = ngettext("%(num)s day", "%(num)s days", hours // 24)
        out.append((str(hours), label))
    return out


def _actions() -> list[dict[str, str]]:
    return [
        {"value": action, "label": gettext(ACTION_VERBS[action]), "key": ACTION_KEYS[action]}
        for action in DECISION_ACTIONS
    ]


# --- the queue --------------------------------------------------------------------------------


async def _queue_page(
    request: Request,
    session: AsyncSession,
    *,
    view: str,
    cursor: str | None,
    values: dict[str, Any] | None = None,
    error: AppError | None = None,
) -> Response:
    runtime = get_runtime(request)
    items, next_cursor = await console.queue(
        session, view=view, limit=runtime.settings.moderation_queue_page, cursor=cursor
    )
    params = request.query_params
    outcome = None
    if all(params.get(key, "").isascii() and params.get(key, "").isdigit() for key in COUNTS):
        outcome = {key: int(params[key]) for key in COUNTS}
    return page(
        request,
        "moderation/console_queue.html",
        {
            "view": view,
            "views": console.VIEWS,
            "counts": await console.view_counts(session),
            "items": items,
            "next_url": _queue_url(view, cursor=next_cursor) if next_cursor else None,
            "outcome": outcome,
            "actions": _actions(),
            "reason_groups": console_case.reason_groups(runtime),
            "durations": durations(),
            "values": values or {},
            "errors": field_errors(error, DECIDE_FIELDS + ("case_ids",)) if error else {},
            "limits": runtime.settings,
        },
        status_code=error.status if error else 200,
    )


@router.get("/mod")
async def queue_page(
    request: Request,
    view: str = Query(default="all", max_length=20),
    cursor: str | None = Query(default=None, max_length=100),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if (answer := staff_gate(request, me)) is not None:
        return answer
    return await _queue_page(request, session, view=_view(view), cursor=cursor)


@router.post("/mod/bulk", dependencies=WRITE)
async def bulk_decide(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(staff),
    session: AsyncSession = Depends(db),
) -> Response:
    view = _view(text(form, "view"))
    values: dict[str, Any] = {name: text(form, name) for name in DECIDE_FIELDS}
    values["case_ids"] = choices(form, "case_ids")
    ids = [parse_id(raw) for raw in values["case_ids"]]
    try:
        result = await decisions.do_bulk_decide(
            session,
            get_runtime(request),
            me,
            [case_id for case_id in ids if case_id is not None],
            action=values["action"],
            reason=values["reason"],
            note=values["note"],
            duration_hours=_hours(values["duration_hours"]),
        )
    except AppError as error:
        await undo(session, me)
        return await _queue_page(
            request, session, view=view, cursor=None, values=values, error=error
        )
    target = _queue_url(view, decided=len(result.decided), skipped=len(result.skipped))
    return redirect(request, target)


# --- one case ---------------------------------------------------------------------------------


def _translation_target(lang: str) -> str:
    """The moderator's interface language, or the other of English and Chinese when the
    content is already in it."""
    target = "zh-Hans" if get_locale() == "zh-Hans" else "en"
    if lang != UNDETERMINED and base(lang) == base(target):
        return "en" if base(target) == "zh" else "zh-Hans"
    return target


async def _translate(runtime: Runtime, content: dict[str, Any]) -> dict[str, Any] | None:
    """The content in the moderator's language, by the translation chain (at worst the
    dictionary gloss, said so). Called with the session closed: an engine may take seconds."""
    if content.get("gone"):
        return None
    if content["kind"] == "note":
        pieces = [content["title"], content["body"]]
    elif content["kind"] == "user":
        pieces = [content["display_name"], content["body"]]
    else:
        pieces = [content["body"]]
    joined = "\n".join(pieces)
    if not joined.strip():
        return None
    lang = content["lang"]
    if lang == UNDETERMINED:
        lang = detect.detect_lang(joined)
    target = _translation_target(lang)
    try:
        results = await translate_content(runtime, lang, target, *pieces)
    except AppError as error:
        return {"error": error.translated(), "target": target}
    merged = merge(results)
    return {
        "pieces": [result.text for result in results],
        "target": target,
        "engine": ENGINE_NAMES.get(merged.engine, merged.engine),
        "kind": merged.kind,
        "same": merged.engine == "none",
        "terms": list(merged.terms),
    }


async def _case_page(
    request: Request,
    session: AsyncSession,
    me: Account,
    case_id: int,
    *,
    view: str,
    values: dict[str, str] | None = None,
    error: AppError | None = None,
    fields: tuple[str, ...] = DECIDE_FIELDS,
) -> Response:
    runtime = get_runtime(request)
    detail = await console_case.case_detail(session, runtime, me, case_id)
    if detail is None:
        raise claims.case_not_found()
    case = await session.get(Case, case_id)
    skip_to = await console.next_case(session, me, view, after=case)
    # The claim taken on opening is kept (committed) before the slow part: translation.
    await commit(session)
    await session.close()
    translation = await _translate(runtime, detail["content"])
    return page(
        request,
        "moderation/console_case.html",
        {
            "case": detail,
            "view": view,
            "translation": translation,
            "skip_url": _case_url(skip_to, view) if skip_to else _queue_url(view),
            "actions": _actions(),
            "durations": durations(),
            "values": values or {"reason": _likely_reason(detail)},
            "errors": field_errors(error, fields) if error else {},
            "limits": runtime.settings,
        },
        status_code=error.status if error else 200,
    )


def _likely_reason(detail: dict[str, Any]) -> str:
    """The reason chosen before the moderator chooses: the first rule that fired, else what
    most reporters said; none for a newcomer's held post (most are fine)."""
    if detail["hits"]:
        return str(detail["hits"][0]["rule"])
    said = Counter(report["reason"] for report in detail["reports"])
    return said.most_common(1)[0][0] if said else ""


@router.get("/mod/cases/{case_id}")
async def case_page(
    request: Request,
    case_id: str,
    view: str = Query(default="all", max_length=20),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if (answer := staff_gate(request, me)) is not None:
        return answer
    assert me is not None
    key = _case_id(case_id)
    case = await session.get(Case, key)
    if case is None:
        raise claims.case_not_found()
    mine_appealed = await console.appealed_own_decision(session, case, me)
    if case.state in claims.DECIDABLE and not mine_appealed:
        # Taken by someone else: the page shows who holds it, read-only.
        with contextlib.suppress(claims.CaseClaimed, claims.CaseSettled):
            await claims.claim(session, get_runtime(request), me, key)
    return await _case_page(request, session, me, key, view=_view(view))


async def _onwards(
    request: Request,
    session: AsyncSession,
    me: Account,
    key: int,
    view: str,
    notice: str | None = "saved",
) -> Response:
    """To the next case of the view after this one (a work queue), or back to the queue."""
    case = await session.get(Case, key)
    following = await console.next_case(session, me, view, after=case)
    return redirect(
        request, _case_url(following, view) if following else _queue_url(view), notice=notice
    )


@router.post("/mod/cases/{case_id}/decide", dependencies=WRITE)
async def decide(
    request: Request,
    case_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(staff),
    session: AsyncSession = Depends(db),
) -> Response:
    key = _case_id(case_id)
    view = _view(text(form, "view"))
    values = {name: text(form, name) for name in DECIDE_FIELDS}
    try:
        await decisions.do_decide(
            session,
            get_runtime(request),
            me,
            key,
            action=values["action"],
            reason=values["reason"],
            note=values["note"],
            duration_hours=_hours(values["duration_hours"]),
        )
    except AppError as error:
        await undo(session, me)
        return await _case_page(request, session, me, key, view=view, values=values, error=error)
    return await _onwards(request, session, me, key, view)


@router.post("/mod/cases/{case_id}/release", dependencies=WRITE)
async def release(
    request: Request,
    case_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(staff),
    session: AsyncSession = Depends(db),
) -> Response:
    key = _case_id(case_id)
    if await session.get(Case, key) is None:
        raise claims.case_not_found()
    await claims.release(session, me, key)
    return await _onwards(request, session, me, key, _view(text(form, "view")), notice=None)


@router.post("/mod/appeals/{appeal_id}/review", dependencies=WRITE)
async def review(
    request: Request,
    appeal_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(staff),
    session: AsyncSession = Depends(db),
) -> Response:
    key = parse_id(appeal_id)
    case_id = await console.case_of_appeal(session, key) if key is not None else None
    if key is None or case_id is None:
        raise appeals.appeal_not_found()
    view = _view(text(form, "view"))
    values = {name: text(form, name) for name in REVIEW_FIELDS}
    try:
        await appeals.do_review(
            session,
            get_runtime(request),
            me,
            key,
            outcome=values["outcome"],
            response=values["response"],
        )
    except AppError as error:
        await undo(session, me)
        return await _case_page(
            request,
            session,
            me,
            case_id,
            view=view,
            values=values,
            error=error,
            fields=REVIEW_FIELDS,
        )
    return await _onwards(request, session, me, case_id, view)
