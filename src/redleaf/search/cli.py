"""`redleaf reindex`: rebuild the search index from the database, with a progress bar.

The new index is written beside the live one and switched in at the end, so searches keep
answering meanwhile; notes changed while it ran are queued for indexing again.
"""

from __future__ import annotations

import asyncio
import sys
import time

import click

from redleaf.settings import Settings, load_settings


async def _reindex(settings: Settings) -> None:
    from redleaf.kit.runtime import Runtime
    from redleaf.search.analyze import warm_up
    from redleaf.search.backends.select import backend_for
    from redleaf.search.documents import count_searchable
    from redleaf.search.jobs import rebuild_index

    runtime = Runtime.build(settings)
    try:
        backend = backend_for(runtime)
        async with runtime.sessions() as session:
            total = await count_searchable(session)
        warm_up()
        started = time.perf_counter()
        done = 0
        with click.progressbar(
            length=total, label=f"Indexing notes ({backend.name})", file=sys.stderr
        ) as bar:

            def progress(count: int) -> None:
                nonlocal done
                bar.update(count - done)
                done = count

            count = await rebuild_index(runtime, progress)
        seconds = time.perf_counter() - started
        stats = await backend.stats()
        rate = count / seconds if seconds > 0 else 0.0
        click.echo(
            f"indexed {count} notes in {seconds:.1f} s ({rate:,.0f} notes/s); the index holds "
            f"{stats.documents} documents, {stats.size_bytes / 1e6:.1f} MB"
        )
    finally:
        await runtime.close()


@click.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the database (searches keep working meanwhile)."""
    settings = load_settings()
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(_reindex(settings))
