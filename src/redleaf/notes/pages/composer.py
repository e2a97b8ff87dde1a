"""The composer: a new note (/new) and editing one (/notes/{id}/edit), drafts included.

composer.js uploads photos and videos and sends the note to the JSON API. Without JavaScript the
same page is a plain form for text notes, posted here with its CSRF token; a refused value comes
back next to its field, with everything typed kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.pages.common import login_redirect
from redleaf.accounts.vocab import INTERESTS
from redleaf.kit.errors import AppError, InvalidInput
from redleaf.kit.i18n import gettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import access, service
from redleaf.notes.limits import note_limit
from redleaf.notes.models import VISIBILITIES, Note
from redleaf.notes.pages.common import (
    explicit_tags,
    int_or_zero,
    place_from_form,
    tags_from_form,
)
from redleaf.notes.schemas import NoteCreate, NoteUpdate
from redleaf.web.forms import csrf_form, field_errors, page, redirect, text, undo

router = APIRouter(route_class=UnitOfWorkRoute)

WRITE = [Depends(csrf_form), Depends(write_limit)]
FIELDS = ("title", "body", "tags", "place", "visibility", "text_style", "media_ids")
TAG_SUGGESTIONS = 8  # the first Explore channels, offered as one-tap tags
VALUE_NAMES = (
    "title",
    "body",
    "tags",
    "place_name",
    "place_name_zh",
    "place_lat",
    "place_lon",
    "visibility",
    "text_style",
)


def _composer(
    request: Request,
    *,
    note: dict[str, Any] | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "note": note,
        "values": values or {"visibility": "public", "text_style": "0"},
        "errors": errors or {},
        "limits": get_runtime(request).settings,
        "visibilities": VISIBILITIES,
        # The Explore channels, in the reader's language, as one-tap tags.
        "tag_suggestions": [
            gettext(label).lower() for label in list(INTERESTS.values())[:TAG_SUGGESTIONS]
        ],
    }
    return page(request, "notes/composer.html", context, status_code=status)


def _values_of(note: dict[str, Any]) -> dict[str, str]:
    place = note.get("place") or {}
    lat, lon = place.get("lat"), place.get("lon")
    return {
        "title": note["title"],
        "body": note["body"],
        "tags": " ".join(explicit_tags(note)),
        "place_name": place.get("name_en") or "",
        "place_name_zh": place.get("name_zh") or "",
        "place_lat": "" if lat is None else str(lat),
        "place_lon": "" if lon is None else str(lon),
        "visibility": note["visibility"],
        "text_style": str(note["text_style"]),
    }


def _visibility(form: FormData) -> str:
    chosen = text(form, "visibility", "public")
    if chosen not in VISIBILITIES:
        raise InvalidInput(
            "Choose who can see this note.", code="invalid_visibility", field="visibility"
        )
    return chosen


@router.get("/new")
async def new_note(request: Request, me: Account | None = Depends(viewer)) -> Response:
    # Visitors get the page too, saying what it is for and offering to log in.
    return _composer(request)


# The same per-account note limit as POST /api/v1/notes (it includes the write limit).
@router.post("/new", dependencies=[Depends(csrf_form), Depends(note_limit)])
async def create_note(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    values = {name: text(form, name) for name in VALUE_NAMES}
    try:
        data = NoteCreate(
            title=values["title"],
            body=values["body"],
            tags=tags_from_form(values["tags"]),
            place=place_from_form(form),
            visibility=_visibility(form),  # type: ignore[arg-type]
            draft=text(form, "action") == "draft",
            text_style=int_or_zero(values["text_style"]),
        )
        note = await service.do_create_note(session, get_runtime(request), me, data)
    except AppError as error:
        await undo(session, me)
        return _composer(
            request, values=values, errors=field_errors(error, FIELDS), status=error.status
        )
    return redirect(request, f"/notes/{note.id}")


async def _own(session: AsyncSession, me: Account, note_id: str) -> Note:
    return await access.load_own_note(session, me, note_id)


@router.get("/notes/{note_id}/edit")
async def edit_note(
    request: Request,
    note_id: str,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if me is None:
        return login_redirect(request)
    note = await _own(session, me, note_id)
    data = await service.note_out(session, get_runtime(request).settings, me, note)
    return _composer(request, note=data, values=_values_of(data))


async def edit_failed(
    request: Request,
    session: AsyncSession,
    me: Account,
    note: Note,
    error: AppError,
    values: dict[str, str] | None = None,
) -> Response:
    """The editor again, after `error` refused a change (or publishing the draft)."""
    await undo(session, me, note)
    data = await service.note_out(session, get_runtime(request).settings, me, note)
    return _composer(
        request,
        note=data,
        values=values or _values_of(data),
        errors=field_errors(error, FIELDS),
        status=error.status,
    )


@router.post("/notes/{note_id}/edit", dependencies=WRITE)
async def save_note(
    request: Request,
    note_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    note = await _own(session, me, note_id)
    values = {name: text(form, name) for name in VALUE_NAMES}
    publishing = text(form, "action") == "publish" and note.state in ("draft", "failed")
    try:
        data = NoteUpdate(
            title=values["title"],
            body=values["body"],
            tags=tags_from_form(values["tags"]),
            place=place_from_form(form),
            visibility=_visibility(form),  # type: ignore[arg-type]
            text_style=int_or_zero(values["text_style"]),
        )
        if publishing:
            data.draft = False  # set only when publishing: an unset field leaves the state
        await service.do_update_note(session, get_runtime(request), me, note, data)
    except AppError as error:
        return await edit_failed(request, session, me, note, error, values)
    return redirect(request, f"/notes/{note.id}")
