"""Notes made the way members make them: through the service, in a committed transaction."""

from __future__ import annotations

from typing import Any

from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.notes import service
from redleaf.notes.models import Note
from redleaf.notes.schemas import NoteCreate


async def make_note(runtime: Runtime, author: Account, **fields: Any) -> Note:
    fields.setdefault("title", "Hotpot in Chengdu")
    fields.setdefault("body", "Spicy and wonderful #food")
    async with runtime.sessions() as session:
        note = await service.do_create_note(session, runtime, author, NoteCreate(**fields))
        await commit(session)
        return note


async def run_jobs(runtime: Runtime) -> int:
    """Run every queued job to the end, as the worker process would."""
    from redleaf.kit.jobs.registry import import_job_modules
    from redleaf.kit.jobs.worker import Worker

    import_job_modules()
    return await Worker(runtime).run_until_idle()
