"""JSON routes of translation (/api/v1): a note, a comment, a bio, or any text."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.access import load_account
from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import access
from redleaf.translation import service
from redleaf.translation.limits import translate_limit
from redleaf.translation.schemas import NoteTranslationOut, TranslateIn, TranslationOut

router = APIRouter(
    prefix="/api/v1",
    route_class=UnitOfWorkRoute,
    tags=["translation"],
    dependencies=[Depends(translate_limit)],
)


async def _release(session: AsyncSession) -> None:
    """Give the connection back before waiting on an engine: a thousand readers of one new note
    all wait for one translation, and must not hold the pool meanwhile (bench/translation.py)."""
    await session.close()


def _target(lang: str | None, me: Account | None) -> str:
    return service.parse_lang(lang, "lang") if lang else service.reader_target(me)


@router.get("/notes/{note_id}/translation", response_model=NoteTranslationOut)
async def note_translation(
    note_id: str,
    request: Request,
    lang: str | None = None,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    note = await access.load_note(session, me, note_id)
    target = _target(lang, me)
    lang_of, title_text, body_text = note.lang, note.title, note.body
    await _release(session)
    title, body = await service.translate_content(
        get_runtime(request), lang_of, target, title_text, body_text
    )
    merged = service.merge([title, body])
    return {
        "title": title.text,
        "body": body.text,
        "source_lang": merged.source_lang,
        "target_lang": target,
        "engine": merged.engine,
        "kind": merged.kind,
        "words": list(merged.words),
        "terms": list(merged.terms),
    }


@router.get("/comments/{comment_id}/translation", response_model=TranslationOut)
async def comment_translation(
    comment_id: str,
    request: Request,
    lang: str | None = None,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    comment, _note = await access.load_comment(session, me, comment_id)
    lang_of, text = comment.lang, comment.body
    await _release(session)
    (result,) = await service.translate_content(
        get_runtime(request), lang_of, _target(lang, me), text
    )
    return asdict(result)


@router.get("/users/{username}/bio/translation", response_model=TranslationOut)
async def bio_translation(
    username: str,
    request: Request,
    lang: str | None = None,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    account = await load_account(session, me, username)
    lang_of, text = account.bio_lang, account.bio
    await _release(session)
    (result,) = await service.translate_content(
        get_runtime(request), lang_of, _target(lang, me), text
    )
    return asdict(result)


@router.post("/translate", response_model=TranslationOut)
async def translate(
    body: TranslateIn, request: Request, me: Account | None = Depends(viewer)
) -> dict[str, Any]:
    target = service.parse_lang(body.target, "target")
    source = service.parse_lang(body.source, "source") if body.source is not None else None
    result = await service.translate_text(get_runtime(request), body.text, target, source)
    return asdict(result)
