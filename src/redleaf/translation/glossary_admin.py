"""Admins edit the glossary: add or change a term, switch one off (a bundled one too)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.accounts.service import clean_text
from redleaf.kit.db import new_id, on_commit
from redleaf.kit.errors import InvalidInput
from redleaf.kit.runtime import Runtime
from redleaf.translation import glossary_store
from redleaf.translation.glossary import load_bundled
from redleaf.translation.models import GlossaryTerm

LIMITS = {"term": 60, "en": 120, "zh": 120, "note_en": 300, "note_zh": 300}


async def do_save_term(
    session: AsyncSession,
    runtime: Runtime,
    admin: Account,
    *,
    term: str,
    en: str,
    zh: str,
    note_en: str = "",
    note_zh: str = "",
    enabled: bool = True,
) -> GlossaryTerm:
    values = {
        name: clean_text(value, field=name, max_length=LIMITS[name])
        for name, value in (
            ("term", term),
            ("en", en),
            ("zh", zh),
            ("note_en", note_en),
            ("note_zh", note_zh),
        )
    }
    if not values["term"]:
        raise InvalidInput("Enter the term as it appears in notes.", field="term")
    if enabled and not (values["en"] and values["zh"]):
        raise InvalidInput("Give the term in both English and Chinese.", field="en")
    row = await _row(session, values["term"])
    if row is None:
        row = GlossaryTerm(id=new_id(), **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    row.enabled = enabled
    row.updated_by = admin.id
    await session.flush()
    _forget_after_commit(session, runtime)
    return row


async def do_set_enabled(
    session: AsyncSession, runtime: Runtime, admin: Account, term: str, enabled: bool
) -> None:
    """Switch a term off or on; a bundled term gets a row of its own to say so."""
    row = await _row(session, term)
    if row is None:
        bundled = next(
            (e for e in load_bundled() if e.term.casefold() == term.strip().casefold()), None
        )
        if bundled is None:
            raise InvalidInput("There is no such term in the glossary.", field="term")
        row = GlossaryTerm(
            id=new_id(),
            term=bundled.term,
            en=bundled.en,
            zh=bundled.zh,
            note_en=bundled.note_en,
            note_zh=bundled.note_zh,
        )
        session.add(row)
    row.enabled = enabled
    row.updated_by = admin.id
    await session.flush()
    _forget_after_commit(session, runtime)


async def all_rows(session: AsyncSession) -> list[GlossaryTerm]:
    return list((await session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.term))).all())


async def _row(session: AsyncSession, term: str) -> GlossaryTerm | None:
    # Terms are few (hundreds) and matched without regard to case, as the glossary matches text.
    key = term.strip().casefold()
    return next((row for row in await all_rows(session) if row.term.casefold() == key), None)


def _forget_after_commit(session: AsyncSession, runtime: Runtime) -> None:
    async def forget() -> None:
        glossary_store.forget(runtime)

    on_commit(session, forget)
