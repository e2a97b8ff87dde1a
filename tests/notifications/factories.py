"""Rows for notification tests, written straight with the ORM (the notes service is tested on its
own), and a notifier that commits the way a request does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from redleaf.accounts.models import Account
from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Comment, Note
from redleaf.notifications import service
from redleaf.notifications.models import Notification


async def make_note(runtime: Runtime, author: Account, **fields: Any) -> Note:
    fields.setdefault("title", "Hotpot in Chengdu")
    fields.setdefault("body", "Spicy and wonderful")
    fields.setdefault("state", "published")
    fields.setdefault("published_at", utcnow())
    async with runtime.sessions() as session:
        note = Note(author_id=author.id, **fields)
        session.add(note)
        await commit(session)
        return note


async def make_comment(
    runtime: Runtime, note: Note, author: Account, body: str = "Looks delicious!", **fields: Any
) -> Comment:
    async with runtime.sessions() as session:
        comment = Comment(note_id=note.id, author_id=author.id, body=body, **fields)
        session.add(comment)
        await commit(session)
        return comment


async def notify(runtime: Runtime, **kwargs: Any) -> None:
    async with runtime.sessions() as session:
        await service.do_notify(session, runtime, **kwargs)
        await commit(session)


async def withdraw(runtime: Runtime, **kwargs: Any) -> None:
    async with runtime.sessions() as session:
        await service.do_withdraw(session, **kwargs)
        await commit(session)


async def count_rows(runtime: Runtime, recipient: Account) -> int:
    async with runtime.sessions() as session:
        query = select(func.count()).where(Notification.recipient_id == recipient.id)
        return int(await session.scalar(query) or 0)


async def page_of(
    runtime: Runtime, reader: Account, *, tab: str = "all", limit: int = 20
) -> list[dict[str, Any]]:
    async with runtime.sessions() as session:
        items, _next = await service.get_page(session, reader, tab=tab, limit=limit)
        return items


async def unread_of(runtime: Runtime, reader: Account) -> int:
    async with runtime.sessions() as session:
        return int((await service.get_unread(session, reader))["count"])
