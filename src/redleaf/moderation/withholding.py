"""Regional withholding kept true when the policy changes: posting sets a note's or comment's
`withheld_in` (screening.py), and a saved policy version re-derives it for everything already
posted, in batches of jobs (one transaction each), so readers of a newly barred locale stop
seeing it and a rule switched off gives the content back.

    moderation.rewithhold {table, after, digest}   BATCH rows of `table` with id > after;
                                                   then the next batch, notes then comments
    a newer policy saved meanwhile                 this chain stops: the newer one's runs
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.i18n import LOCALES
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.moderation import policy_store
from redleaf.moderation.engine import Content, Engine
from redleaf.notes import withheld
from redleaf.notes.access import parse_id
from redleaf.notes.models import Comment, Note
from redleaf.search.jobs import schedule_index

REWITHHOLD = "moderation.rewithhold"
BATCH = 500
_TABLES = ("note", "comment")
_NEXT = {"note": "comment"}


async def schedule_backfill(session: AsyncSession, digest: str) -> None:
    """Start the chain for the policy version `digest` (once per version)."""
    payload = {"table": "note", "after": "0", "digest": digest}
    await enqueue(session, REWITHHOLD, payload, idempotency_key=f"{digest}:note:0")


async def _batch(session: AsyncSession, table: str, after: int) -> list[Note] | list[Comment]:
    if table == "note":
        notes = select(Note).where(Note.id > after).order_by(Note.id).limit(BATCH)
        return list(await session.scalars(notes))
    comments = select(Comment).where(Comment.id > after).order_by(Comment.id).limit(BATCH)
    return list(await session.scalars(comments))


def _text(row: Note | Comment) -> str:
    return f"{row.title}\n{row.body}" if isinstance(row, Note) else row.body


async def rewithhold_batch(
    session: AsyncSession, engine: Engine, table: str, after: int
) -> int | None:
    """Re-derive `withheld_in` for one batch; the last id seen, or None when the table is done.
    Authors are judged as at posting: their locale now, their account's age then."""
    rows = await _batch(session, table, after)
    if not rows:
        return None
    authors = {
        account.id: account
        for account in await session.scalars(
            select(Account).where(Account.id.in_({row.author_id for row in rows}))
        )
    }
    for row in rows:
        author = authors.get(row.author_id)
        age = (row.created_at - author.created_at).total_seconds() / 3600 if author else None
        content = Content(
            kind=table,
            text=_text(row),
            author_locale=author.ui_language if author else None,
            author_region=(author.region or None) if author else None,
            author_age_hours=age,
        )
        found = withheld.encode(engine.withheld_locales(content, LOCALES))
        if row.withheld_in != found:
            row.withheld_in = found
            if isinstance(row, Note):  # withheld notes stay out of the search index
                await schedule_index(session, row.id)
    await session.flush()
    return rows[-1].id


@job_handler(REWITHHOLD)
async def rewithhold(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    table = str(payload.get("table", ""))
    after = parse_id(payload.get("after")) if payload.get("after") != "0" else 0
    digest = str(payload.get("digest", ""))
    if table not in _TABLES or after is None:
        return
    in_force = await policy_store.current(ctx.runtime, session, max_age=0)  # the newest
    if in_force.digest != digest:
        return  # a newer version was saved: its own chain re-derives everything
    last = await rewithhold_batch(session, in_force.engine, table, after)
    if last is None:
        following = _NEXT.get(table)
        if following is None:
            return
        table, last = following, 0
    payload = {"table": table, "after": str(last), "digest": digest}
    await enqueue(session, REWITHHOLD, payload, idempotency_key=f"{digest}:{table}:{last}")
