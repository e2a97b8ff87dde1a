"""Notes, comments and boards as the API and the pages show them: batched, so a grid of 20
notes costs a fixed handful of queries whatever its size."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.accounts.service import avatar_url
from redleaf.kit.i18n import get_locale
from redleaf.kit.i18n import gettext as _
from redleaf.media import service as media_service
from redleaf.notes import repository
from redleaf.notes.models import Board, Note, Place
from redleaf.notes.repository import Author
from redleaf.settings import Settings


def person_out(account: Account | Author) -> dict[str, Any]:
    return {
        "id": str(account.id),
        "username": account.username,
        "display_name": account.display_name or account.username,
        # An Author (a list query's few columns) has all that avatar_url reads: the username.
        "avatar_url": avatar_url(cast(Account, account)),
    }


def viewer_flags(
    viewer_id: int,
    note_id: int,
    author_id: int,
    liked: set[int],
    collected: dict[int, int | None],
) -> dict[str, Any]:
    """A note's `viewer` object: what this member did with it."""
    board_id = collected.get(note_id)
    return {
        "liked": note_id in liked,
        "collected": note_id in collected,
        "board_id": str(board_id) if board_id is not None else None,
        "is_author": viewer_id == author_id,
    }


def place_out(place: Place | None, locale: str = "en") -> dict[str, Any] | None:
    if place is None:
        return None
    preferred = place.name_zh if locale.startswith("zh") and place.name_zh else place.name_en
    return {
        "id": str(place.id),
        "name": preferred or place.name_zh,
        "name_en": place.name_en,
        "name_zh": place.name_zh,
        "lat": place.lat,
        "lon": place.lon,
    }


def note_error(note: Note) -> dict[str, str] | None:
    if note.state != "failed":
        return None
    return {
        "code": note.error_code or "media_failed",
        "message": _(
            "A photo or video of this note could not be processed. Edit the note to replace it."
        ),
    }


# The media JSON of published notes, by (note id, updated_at): renditions never change once
# ready, and any change to a note's media changes the note's row, so a stale entry cannot be hit.
# It spares list pages their second query.
_MEDIA_CACHE: OrderedDict[tuple[int, datetime], list[dict[str, Any]]] = OrderedDict()
_MEDIA_CACHE_SIZE = 20_000


async def _media_json(
    session: AsyncSession, settings: Settings, notes: list[Note]
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    missing: list[Note] = []
    for note in notes:
        if note.kind == "text" and note.state == "published":
            found[note.id] = []
            continue
        cached = _MEDIA_CACHE.get((note.id, note.updated_at))
        if cached is not None:
            found[note.id] = cached
        else:
            missing.append(note)
    if missing:
        rows = await repository.media_of_notes(session, [note.id for note in missing])
        for note in missing:
            items = [media_service.media_out(m, settings) for m in rows.get(note.id, [])]
            found[note.id] = items
            if note.state == "published":
                _MEDIA_CACHE[(note.id, note.updated_at)] = items
                if len(_MEDIA_CACHE) > _MEDIA_CACHE_SIZE:
                    _MEDIA_CACHE.popitem(last=False)
    return found


async def notes_out(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    notes: list[Note],
    authors: Mapping[int, Account | Author] | None = None,
) -> list[dict[str, Any]]:
    """`authors` may come with the notes (list queries join them); else they are looked up."""
    if not notes:
        return []
    ids = [note.id for note in notes]
    if authors is None:
        authors = await repository.people_by_ids(session, {note.author_id for note in notes})
    media = await _media_json(session, settings, notes)
    places = await repository.places_by_ids(
        session, {note.place_id for note in notes if note.place_id is not None}
    )
    # Mentions exist only where an "@" was typed: most pages need no query for them.
    mentioned = await repository.mentions_of(
        session, [note.id for note in notes if "@" in note.title or "@" in note.body]
    )
    liked: set[int] = set()
    collected: dict[int, int | None] = {}
    if viewer is not None:
        liked, collected = await repository.viewer_state(session, viewer.id, ids)
    locale = get_locale()
    out: list[dict[str, Any]] = []
    for note in notes:
        author = authors[note.author_id]
        out.append(
            {
                "id": str(note.id),
                "url": f"/notes/{note.id}",
                "author": person_out(author),
                "title": note.title,
                "body": note.body,
                "lang": note.lang,
                "kind": note.kind,
                "tags": list(note.tags or []),
                "media": media[note.id],
                "place": place_out(places.get(note.place_id) if note.place_id else None, locale),
                "mentions": [
                    {"username": a.username, "display_name": a.display_name or a.username}
                    for a in mentioned.get(note.id, [])
                ],
                "visibility": note.visibility,
                "state": note.state,
                "moderation_state": note.moderation_state,
                "error": note_error(note),
                "counts": {
                    "likes": note.like_count,
                    "collects": note.collect_count,
                    "comments": note.comment_count,
                    "views": note.view_count,
                },
                "viewer": None
                if viewer is None
                else viewer_flags(viewer.id, note.id, note.author_id, liked, collected),
                "cover": dict(note.cover or {}),
                "text_style": note.text_style,
                "created_at": note.created_at,
                "published_at": note.published_at,
                "edited_at": note.edited_at,
            }
        )
    return out


async def note_out(
    session: AsyncSession, settings: Settings, viewer: Account | None, note: Note
) -> dict[str, Any]:
    return (await notes_out(session, settings, viewer, [note]))[0]


async def boards_out(
    session: AsyncSession, settings: Settings, viewer: Account | None, boards: list[Board]
) -> list[dict[str, Any]]:
    if not boards:
        return []
    owners = await repository.accounts_by_ids(session, {board.owner_id for board in boards})
    covers = await repository.board_covers(
        session, viewer.id if viewer else None, [board.id for board in boards]
    )
    return [
        {
            "id": str(board.id),
            "url": f"/boards/{board.id}",
            "owner": person_out(owners[board.owner_id]),
            "name": board.name,
            "description": board.description,
            "private": board.private,
            "note_count": board.note_count,
            "covers": covers.get(board.id, []),
            "created_at": board.created_at,
        }
        for board in boards
    ]


async def board_out(
    session: AsyncSession, settings: Settings, viewer: Account | None, board: Board
) -> dict[str, Any]:
    return (await boards_out(session, settings, viewer, [board]))[0]
