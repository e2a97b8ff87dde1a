"""Demo data for a first run: a few dozen members of both language communities who follow each
other, and a month of their notes (drawn pictures, places, likes, collects, comments) so that
`make run` opens on a living site. The community itself is described in `redleaf.demo`."""

from __future__ import annotations

import sys
from collections.abc import Callable

from sqlalchemy import func, select

from redleaf.accounts.models import Account
from redleaf.demo.content import Scale
from redleaf.demo.world import seed_world
from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings

DEMO_PASSWORD = "redleaf-demo-2026"


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def seed_demo(
    settings: Settings,
    *,
    if_empty: bool,
    scale: Scale | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Create the demo community and return its usernames; with `if_empty`, only when no
    account exists yet (a first run). Running it again adds nothing twice."""
    # Demo content is ours: the models would take the seeder's burst of comments and its
    # repeated phrases for spam. The inline rules still run.
    runtime = Runtime.build(settings.model_copy(update={"moderation_models": "off"}))
    try:
        if if_empty:
            async with runtime.sessions() as session:
                if await session.scalar(select(func.count()).select_from(Account)):
                    return []
        made = await seed_world(
            runtime, DEMO_PASSWORD, scale=scale, progress=progress or _to_stderr
        )
        # The seeder back-dates what it made after making it: index the finished notes at
        # once, rather than what the jobs queued on the way saw.
        from redleaf.search.jobs import rebuild_index

        await rebuild_index(runtime, lambda _count: None)
        return made
    finally:
        await runtime.close()
