"""The job worker: claims due jobs, runs their handlers, retries with back-off, gives up to 'dead'.

`redleaf worker` runs `run_worker()` as its own process; `redleaf serve` starts one in-process
with `start_inprocess_worker()`. Any number of workers, in any number of processes, may share one
database: claims never overlap, and a job whose worker died is claimed again when its lease ends.
A handler's writes and the 'done' mark commit together, so a job's effect happens exactly once
even when a worker is killed mid-job.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
import time
import traceback

from redleaf.kit.db import commit, rollback
from redleaf.kit.jobs import maintenance, queue
from redleaf.kit.jobs.registry import Handler, JobContext, get_handler, import_job_modules
from redleaf.kit.logs import configure_logging
from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings, load_settings

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 25.0  # under the 30 s most process managers wait before SIGKILL
MAINTENANCE_CHECK_SECONDS = 3600.0  # how often a worker makes sure today's upkeep is queued


class Worker:
    def __init__(
        self,
        runtime: Runtime,
        *,
        concurrency: int = 1,
        worker_id: str | None = None,
        maintenance: bool = False,
    ):
        self.runtime = runtime
        # Workers started for real also schedule the job table's daily upkeep.
        self.maintenance = maintenance
        self._next_maintenance = 0.0
        self.settings = runtime.settings
        self.concurrency = max(1, concurrency)
        host = socket.gethostname()[:40]
        self.worker_id = worker_id or f"{host}:{os.getpid()}:{secrets.token_hex(4)}"
        self.processed = 0  # jobs finished in any way (done, retried, dead)
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake_event: asyncio.Event | None = None
        self._finished: asyncio.Event | None = None
        self._stopping = False
        self._grace = STOP_GRACE_SECONDS
        self._run_task: asyncio.Task[None] | None = None

    # --- waking and stopping

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._wake_event = loop, asyncio.Event()

    def wake(self) -> None:
        """Look for work now. Safe from any thread (an enqueue may commit on another loop)."""
        loop, event = self._loop, self._wake_event
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    def request_stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop claiming; running jobs get `grace` seconds. Asked twice, cancel them now."""
        if self._stopping:
            grace = 0
            for task in list(self._tasks):
                task.cancel()
        self._stopping, self._grace = True, grace
        self.wake()

    async def stop(self, timeout: float = STOP_GRACE_SECONDS) -> None:  # noqa: ASYNC109
        """Graceful: let running jobs finish for up to `timeout` seconds, then cancel them (they
        are handed back to the queue)."""
        self.request_stop(timeout)
        if self._finished is not None:
            await self._finished.wait()
        if self._run_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._run_task

    # --- the loops

    async def run(self) -> None:
        """Claim into free slots, run jobs concurrently, sleep until woken or the poll interval."""
        self._bind()
        assert self._wake_event is not None
        self._finished = asyncio.Event()
        queue.add_local_worker(self)
        log.info("job worker started", extra={"worker_id": self.worker_id})
        try:
            while not self._stopping:
                await self._schedule_maintenance()
                self._wake_event.clear()  # before claiming, so a commit meanwhile is not missed
                try:
                    await self._fill()
                except Exception:
                    log.exception("claiming jobs failed")
                if self._stopping:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake_event.wait(), self.settings.job_poll_seconds)
        except asyncio.CancelledError:
            self._grace = 0
            raise
        finally:
            queue.remove_local_worker(self)
            await self._drain(self._grace)
            self._finished.set()
            log.info("job worker stopped", extra={"worker_id": self.worker_id})

    async def _schedule_maintenance(self) -> None:
        if not self.maintenance or time.monotonic() < self._next_maintenance:
            return
        self._next_maintenance = time.monotonic() + MAINTENANCE_CHECK_SECONDS
        try:
            await maintenance.schedule_daily(self.runtime)
        except Exception:
            log.exception("scheduling the job table's upkeep failed")

    async def run_until_idle(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """Run every job that is due now (and what they make due), then return how many ran.

        For tests and one-off commands; do not combine with `run()` on the same worker."""
        self._bind()
        start = self.processed
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self._fill()
                    if not self._tasks:
                        return self.processed - start
                    await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            await self._drain(0)

    async def _fill(self) -> None:
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            return
        lease = self.settings.job_lease_seconds
        for job in await queue.claim(self.runtime.sessions, self.worker_id, free, lease):
            task = asyncio.create_task(self._execute(job), name=f"job-{job.id}")
            self._tasks.add(task)
            task.add_done_callback(self._job_finished)

    def _job_finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._wake_event is not None:
            self._wake_event.set()  # a slot is free

    async def _drain(self, grace: float) -> None:
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=10)

    # --- one job

    async def _execute(self, job: queue.ClaimedJob) -> None:
        sessions, me = self.runtime.sessions, self.worker_id
        cancelled = False
        max_attempts = job.max_attempts or self.settings.job_max_attempts
        try:
            handler = get_handler(job.kind)
            if handler is None:
                reason = (
                    f"no handler registered for job kind {job.kind!r}: is the module that defines"
                    " it a redleaf.<feature>.jobs module or listed in REDLEAF_JOB_MODULES?"
                )
                await queue.settle_failure(sessions, job.id, me, reason, retry_in=None)
                log.error("job %s: unknown kind %r", job.id, job.kind)
                return
            if job.attempts > max_attempts:
                # Only reached through expired leases: the job keeps killing its workers.
                reason = (
                    f"gave up: the worker running attempt {job.attempts - 1} stopped responding"
                )
                await queue.settle_failure(sessions, job.id, me, reason, retry_in=None)
                log.error("job %s (%s): dead after lost leases", job.id, job.kind)
                return
            error = await self._run_handler(handler, job)
            if error is None:
                return
            retry_in = None
            if job.attempts < max_attempts:
                base = self.settings.job_backoff_base_seconds
                retry_in = queue.backoff_seconds(
                    job.attempts, base, self.settings.job_backoff_max_seconds
                )
            await queue.settle_failure(sessions, job.id, me, error, retry_in=retry_in)
            log.warning(
                "job %s (%s) attempt %s failed; %s",
                job.id,
                job.kind,
                job.attempts,
                "dead" if retry_in is None else f"retry in {retry_in:.1f}s",
                extra={"error": error.strip().rsplit("\n", 1)[-1]},
            )
        except asyncio.CancelledError:
            # Stopping: hand the job back now rather than after its lease.
            cancelled = True
            with contextlib.suppress(Exception):
                await asyncio.shield(queue.release(sessions, job.id, me))
            raise
        except Exception:
            # The database went away while recording the outcome; the lease will expire and
            # another claim will pick the job up.
            log.exception("job %s: could not record its outcome", job.id)
        finally:
            if not cancelled:
                self.processed += 1

    async def _run_handler(self, handler: Handler, job: queue.ClaimedJob) -> str | None:
        """Run the handler and mark the job done in one transaction; a traceback on failure."""
        ctx = JobContext(job_id=job.id, attempt=job.attempts, runtime=self.runtime)
        stop_heartbeat = asyncio.Event()
        heartbeat = asyncio.create_task(self._heartbeat(job.id, stop_heartbeat))
        error: str | None = None
        try:
            async with self.runtime.sessions() as session:
                try:
                    await handler(session, job.payload, ctx)
                    result = await session.execute(queue.mark_done(job.id, self.worker_id))
                    if result.rowcount == 0:  # type: ignore[attr-defined]
                        # Our lease ran out and another worker owns the job: its run counts.
                        await rollback(session)
                        log.warning("job %s: lease lost while running; rolled back", job.id)
                    else:
                        await commit(session)
                except Exception:
                    error = traceback.format_exc()
                    with contextlib.suppress(Exception):
                        await rollback(session)
        except BaseException:
            heartbeat.cancel()
            raise
        # Only after commit or rollback: on SQLite a renewal may be waiting for our write lock.
        stop_heartbeat.set()
        await heartbeat
        return error

    async def _heartbeat(self, job_id: int, stop: asyncio.Event) -> None:
        lease = self.settings.job_lease_seconds
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), lease / 3)
                return
            try:
                if not await queue.renew_lease(
                    self.runtime.sessions, job_id, self.worker_id, lease
                ):
                    return  # finished meanwhile, or taken over; the done-mark will tell
            except Exception:
                log.warning("job %s: could not renew its lease", job_id, exc_info=True)


async def start_inprocess_worker(runtime: Runtime, *, concurrency: int = 1) -> Worker:
    """Run a worker beside the web app; the lifespan later awaits `worker.stop()`."""
    import_job_modules(runtime.settings.job_modules)
    worker = Worker(runtime, concurrency=concurrency, maintenance=True)
    worker._bind()  # so a commit right after startup already wakes it
    worker._run_task = asyncio.create_task(worker.run(), name="job-worker")
    return worker


async def _serve(settings: Settings, concurrency: int) -> None:
    runtime = Runtime.build(settings)
    worker = Worker(runtime, concurrency=concurrency, maintenance=True)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, worker.request_stop)
    try:
        await worker.run()
    finally:
        await runtime.close()


def run_worker(settings: Settings, concurrency: int = 1) -> None:
    """Blocking entry of `redleaf worker`: run until SIGTERM/SIGINT (a second one cancels jobs)."""
    configure_logging(settings.log_level, settings.log_format)
    names = import_job_modules(settings.job_modules)
    log.info("job modules imported", extra={"modules": names})
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        runner.run(_serve(settings, concurrency))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m redleaf.kit.jobs.worker")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    run_worker(load_settings(), args.concurrency)


if __name__ == "__main__":
    # Through the package module, so logs and state belong to `redleaf.kit.jobs.worker`.
    from redleaf.kit.jobs.worker import main as _main

    _main()
