"""Screening on posting: what notes, comments and profiles call (the one door into moderation).

Before storing: a muted author is refused, and the policy's cheap rules run (pipeline.check,
which may ask for an edit). After storing, in the same transaction: the verdict's case and audit
entry (pipeline.record), the newcomer hold, the locales whose readers a viewer-scoped rule
withholds a note or comment from (`withheld_in`, read by notes/withheld.py), and the job that
runs the models after commit (for notes, when they publish: see notes' service).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.errors import Forbidden
from redleaf.kit.i18n import LOCALES, format_moment
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit, cases, enforce, pipeline, policy_store
from redleaf.moderation.engine import Content, Verdict
from redleaf.notes import withheld
from redleaf.notes.models import Comment, Note


class Muted(Forbidden):
    code = "muted"
    message = "A moderator paused your posting until %(until)s."


async def check(
    session: AsyncSession, runtime: Runtime, author: Account, kind: str, text: str
) -> Verdict:
    """Refuse a muted author; else the verdict of the policy in force (AskToEdit when a rule
    asks). Also the chat fast path's door (kind "message"): the policy refresh costs nothing
    within its interval, and the rules ~0.03 ms a short text."""
    await policy_store.refresh(runtime, session)
    if enforce.muted(author):
        assert author.muted_until is not None
        until = format_moment(author.muted_until)
        raise Muted(until=until)
    return pipeline.check(runtime, author, kind, text)


async def after_store(
    session: AsyncSession,
    runtime: Runtime,
    author: Account,
    verdict: Verdict,
    *,
    target_type: str,
    target_id: int,
    publishing: bool = False,
    text: str | None = None,
) -> str | None:
    """The moderation state the stored content takes ("held", "removed", or None to leave it).
    `publishing`: a note leaving its draft now (the newcomer hold applies then, once). `text`:
    what was checked; for a note or comment it sets (or, after an edit, resets) the locales whose
    readers it is withheld from."""
    hidden = await pipeline.record(
        session, verdict, target_type=target_type, target_id=target_id, author_id=author.id
    )
    if text is not None and target_type in _WITHHOLDABLE:
        await _withhold(session, runtime, author, target_type, target_id, text)
    newcomer = hidden is None and publishing and target_type == "note"
    if newcomer and await _newcomer_hold(session, runtime, author, target_id):
        hidden = "held"
    if target_type != "note":  # a note is checked when it publishes (notes' _publish)
        await schedule_models(session, runtime, target_type, target_id)
    return hidden


_WITHHOLDABLE: dict[str, type[Note] | type[Comment]] = {"note": Note, "comment": Comment}


async def _withhold(
    session: AsyncSession,
    runtime: Runtime,
    author: Account,
    target_type: str,
    target_id: int,
    text: str,
) -> None:
    """Regional withholding: the row's `withheld_in` is the interface locales a rule scoped to
    readers' locales holds it from (",zh-Hans," or ""); its author and other readers see it.
    The row is the caller's, just flushed: `session.get` finds it without a query."""
    age_hours = (utcnow() - author.created_at).total_seconds() / 3600
    content = Content(
        kind=target_type,
        text=text,
        author_locale=author.ui_language,
        author_region=author.region or None,
        author_age_hours=age_hours,
    )
    locales = pipeline.engine_for(runtime).withheld_locales(content, LOCALES)
    row: Note | Comment | None = await session.get(_WITHHOLDABLE[target_type], target_id)
    if row is not None:
        row.withheld_in = withheld.encode(locales)


async def _newcomer_hold(
    session: AsyncSession, runtime: Runtime, author: Account, note_id: int
) -> bool:
    """The surge switch: the first `newcomer_hold_posts` notes of an account younger than
    `newcomer_hold_hours` wait for a moderator (RedNote held new accounts' posts for 48 hours)."""
    settings = runtime.settings
    if settings.newcomer_hold_posts <= 0:
        return False
    if utcnow() - author.created_at >= timedelta(hours=settings.newcomer_hold_hours):
        return False
    earlier = await session.scalar(
        select(func.count())
        .select_from(Note)
        .where(Note.author_id == author.id, Note.state != "draft", Note.id != note_id)
    )
    posted = int(earlier or 0)
    if posted >= settings.newcomer_hold_posts:
        return False
    case, _new = await cases.open_case(
        session,
        target_type="note",
        target_id=note_id,
        author_id=author.id,
        source="newcomer",
        severity=1,
    )
    await audit.record(
        session,
        None,
        "auto.newcomer_hold",
        target_type="note",
        target_id=note_id,
        case_id=case.id,
        earlier_posts=posted,
    )
    return True


async def schedule_models(
    session: AsyncSession, runtime: Runtime, target_type: str, target_id: int
) -> None:
    """The model checks after commit, unless `MODERATION_MODELS` is off (the demo seeder turns
    them off: its burst of comments and repeated phrases are ours, not spam)."""
    if runtime.settings.moderation_models == "off":
        return
    from redleaf.moderation import jobs  # jobs import the notes' models and media

    await jobs.schedule_check(session, target_type, target_id)
