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
from redleaf.translation.chain import Result
from redleaf.translation.limits import translate_limit
from redleaf.translation.schemas import NoteTranslationOut, TranslateIn, TranslationOut

router = APIRouter(
    prefix="/api/v1",
    route_class=UnitOfWorkRoute,
    tags=["translation"],
    dependencies=[Depends(translate_limit)],
)


async def _translate_loaded(
    request: Request, session: AsyncSession, lang: str, target: str, *texts: str
) -> list[Result]:
    """The pieces of an item the route has loaded (and checked), translated. The connection goes
    back first: a thousand readers of one new note all wait for one translation, and must not
    hold the pool meanwhile (bench/translation.py)."""
    await session.close()
    return await service.translate_content(get_runtime(request), lang, target, *texts)


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
    title, body = await _translate_loaded(
        request, session, note.lang, target, note.title, note.body
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
    target = _target(lang, me)
    (result,) = await _translate_loaded(request, session, comment.lang, target, comment.body)
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
    target = _target(lang, me)
    (result,) = await _translate_loaded(request, session, account.bio_lang, target, account.bio)
    return asdict(result)


@router.post("/translate", response_model=TranslationOut)
async def translate(
    body: TranslateIn, request: Request, me: Account | None = Depends(viewer)
) -> dict[str, Any]:
    target = service.parse_lang(body.target, "target")
    source = service.parse_lang(body.source, "source") if body.source is not None else None
    result = await service.translate_text(get_runtime(request), body.text, target, source)
    return asdict(result)
