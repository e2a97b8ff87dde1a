"""The durable job queue: outbox semantics, retries, leases, concurrency, and a worker killed
mid-job. Runs on SQLite, and on PostgreSQL when REDLEAF_TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url

from redleaf.kit.db import commit, make_engine, rollback, utcnow
from redleaf.kit.jobs import queue
from redleaf.kit.jobs.models import DEAD, DONE, QUEUED, RUNNING, Job
from redleaf.kit.jobs.queue import backoff_seconds, claim, enqueue
from redleaf.kit.jobs.registry import (
    DuplicateJobKind,
    import_job_modules,
    job_handler,
    registered_kinds,
)
from redleaf.kit.jobs.worker import Worker, start_inprocess_worker
from redleaf.kit.migrate import upgrade
from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings

from . import job_fixtures

REPO_ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("REDLEAF_TEST_DATABASE_URL")

# --- private fixtures: a fresh, migrated database for this module (to be replaced by the shared
# ones in tests/conftest.py once they exist)


def _asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _pg_admin(sql: str) -> None:
    assert PG_URL
    connection = await asyncpg.connect(_asyncpg_dsn(PG_URL))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _create_effects_table(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text(job_fixtures.CREATE_EFFECTS))
    await engine.dispose()


@pytest.fixture(scope="module")
def _jobs_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"redleaf_jobs_{secrets.token_hex(6)}"
    if PG_URL:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('jobs') / (name + '.db')}"
    try:
        upgrade(url)  # runs its own event loop: this fixture is synchronous for that reason
        asyncio.run(_create_effects_table(url))
        yield url
    finally:
        if PG_URL:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


RuntimeFactory = Callable[..., Runtime]


@pytest.fixture
async def _make_runtime(_jobs_db_url: str, tmp_path: Path) -> AsyncIterator[RuntimeFactory]:
    built: list[Runtime] = []

    def make(**overrides: Any) -> Runtime:
        options: dict[str, Any] = {
            "database_url": _jobs_db_url,
            "var_dir": tmp_path,
            "job_poll_seconds": 0.05,
            "job_lease_seconds": 5.0,
            "job_backoff_base_seconds": 10.0,
            "job_backoff_max_seconds": 1000.0,
            "hash_threads": 1,
        }
        options.update(overrides)
        runtime = Runtime.build(Settings(_env_file=None, **options))  # type: ignore[call-arg]
        built.append(runtime)
        return runtime

    first = make()
    async with first.engine.begin() as connection:  # each test starts from empty tables
        await connection.execute(text("DELETE FROM jobs"))
        await connection.execute(text("DELETE FROM job_effects"))
    job_fixtures.calls.clear()
    yield make
    for runtime in built:
        await runtime.close()


@pytest.fixture
def runtime(_make_runtime: RuntimeFactory) -> Runtime:
    return _make_runtime()


# --- helpers


async def _add(
    runtime: Runtime, kind: str, payload: dict[str, Any] | None = None, **kw: Any
) -> int:
    async with runtime.sessions() as session:
        job_id = await enqueue(session, kind, payload, **kw)
        await commit(session)
    assert job_id is not None
    return job_id


async def _job(runtime: Runtime, job_id: int) -> Job:
    async with runtime.sessions() as session:
        job = await session.get(Job, job_id)
    assert job is not None
    return job


async def _count(runtime: Runtime, sql: str, **params: Any) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(text(sql), params)).scalar_one())


async def _make_due(runtime: Runtime, job_id: int) -> None:
    async with runtime.sessions() as session:
        await session.execute(update(Job).where(Job.id == job_id).values(run_at=utcnow()))
        await session.commit()


async def _wait_for(check: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    try:
        async with asyncio.timeout(seconds):
            while not await check():  # noqa: ASYNC110 (polls another process's writes)
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out after {seconds}s waiting for {what}") from None


class _Waker:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1


# --- enqueue


async def test_enqueue_is_invisible_until_commit_and_dropped_on_rollback(runtime: Runtime) -> None:
    waker = _Waker()
    queue.add_local_worker(waker)
    try:
        async with runtime.sessions() as session:
            job_id = await enqueue(session, "tests.record", {"n": 1})
            assert job_id is not None
            assert await _count(runtime, "SELECT count(*) FROM jobs") == 0
            await rollback(session)
        assert await _count(runtime, "SELECT count(*) FROM jobs") == 0
        assert waker.woken == 0  # never woken for work that was not committed

        async with runtime.sessions() as session:
            job_id = await enqueue(session, "tests.record", {"n": 2})
            await enqueue(session, "tests.record", {"n": 3})
            assert waker.woken == 0
            await commit(session)
        assert waker.woken == 1  # once per commit, however many jobs it enqueued
    finally:
        queue.remove_local_worker(waker)

    assert await Worker(runtime).run_until_idle() == 2
    assert sorted(n for kind, _, n in job_fixtures.calls) == [1, 1]  # attempts
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts, job.payload) == (DONE, 1, {"n": 2})
    assert job.finished_at is not None


async def test_idempotency_key_dedupes(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        first = await enqueue(session, "tests.record", {"a": 1}, idempotency_key="k1")
        again = await enqueue(session, "tests.record", {"a": 2}, idempotency_key="k1")
        other_kind = await enqueue(session, "tests.fail", idempotency_key="k1")
        no_key = [await enqueue(session, "tests.record") for _ in range(2)]
        await commit(session)
    assert first is not None and again is None and other_kind is not None
    assert all(no_key)
    async with runtime.sessions() as session:
        assert await enqueue(session, "tests.record", idempotency_key="k1") is None
        await commit(session)
    assert await _count(runtime, "SELECT count(*) FROM jobs") == 4
    assert (await _job(runtime, first)).payload == {"a": 1}


async def test_enqueue_checks_payload_and_schedules(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        with pytest.raises(TypeError):
            await enqueue(session, "tests.record", {"x": object()})
        with pytest.raises(TypeError):
            await enqueue(session, "tests.record", ["not", "a", "dict"])  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            await enqueue(session, "tests.record", max_attempts=0)
        when = utcnow()
        stamped = await enqueue(session, "tests.record", {"at": when})
        later = await enqueue(session, "tests.record", delay=3600)
        urgent = await enqueue(session, "tests.record", priority=5, run_at=when - timedelta(1))
        await commit(session)
    assert stamped and later and urgent
    assert (await _job(runtime, stamped)).payload == {"at": when.isoformat()}
    assert (await _job(runtime, later)).run_at > utcnow() + timedelta(minutes=59)

    due = await claim(runtime.sessions, "w", 10, 5.0)
    assert [job.id for job in due] == [urgent, stamped]  # priority first; the delayed one waits


# --- failures


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff_seconds(n, 2, 100, jitter=1.0) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff_seconds(30, 2, 100, jitter=1.0) == 100
    for _ in range(200):
        assert 1.6 <= backoff_seconds(1, 2, 100) <= 2.4


async def test_failing_job_backs_off_then_goes_dead(runtime: Runtime) -> None:
    job_id = await _add(runtime, "tests.fail", {"message": "kaput"}, max_attempts=3)
    worker = Worker(runtime)
    delays = []
    for attempt in (1, 2):
        assert await worker.run_until_idle() == 1
        job = await _job(runtime, job_id)
        assert (job.state, job.attempts, job.locked_by) == (QUEUED, attempt, None)
        assert job.last_error and "RuntimeError: kaput" in job.last_error
        delays.append((job.run_at - utcnow()).total_seconds())
        assert await worker.run_until_idle() == 0  # not due yet
        await _make_due(runtime, job_id)
    # base 10 s: first retry in 8..12 s, second in 16..24 s
    assert 7 <= delays[0] <= 12 and 15 <= delays[1] <= 24

    assert await worker.run_until_idle() == 1
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts) == (DEAD, 3)
    assert job.finished_at is not None and "kaput" in (job.last_error or "")
    await _make_due(runtime, job_id)
    assert await worker.run_until_idle() == 0
    assert len(job_fixtures.calls) == 3


async def test_default_max_attempts_comes_from_settings(_make_runtime: RuntimeFactory) -> None:
    runtime = _make_runtime(job_max_attempts=1)
    job_id = await _add(runtime, "tests.fail")
    assert await Worker(runtime).run_until_idle() == 1
    assert (await _job(runtime, job_id)).state == DEAD


async def test_unknown_kind_goes_dead(runtime: Runtime) -> None:
    job_id = await _add(runtime, "tests.nobody_handles_this")
    assert await Worker(runtime).run_until_idle() == 1
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts) == (DEAD, 1)
    assert "no handler registered" in (job.last_error or "")


async def test_handler_writes_commit_with_done_and_roll_back_on_failure(runtime: Runtime) -> None:
    ok = await _add(runtime, "tests.effect", {"key": "ok"})
    bad = await _add(runtime, "tests.effect", {"key": "bad", "fail": True})
    assert await Worker(runtime, concurrency=2).run_until_idle() == 2
    assert (await _job(runtime, ok)).state == DONE
    assert (await _job(runtime, bad)).state == QUEUED
    sql = "SELECT count(*) FROM job_effects WHERE effect_key = :k"
    assert await _count(runtime, sql, k="ok") == 1
    assert await _count(runtime, sql, k="bad") == 0


# --- leases


async def test_expired_lease_is_claimed_again(runtime: Runtime) -> None:
    job_id = await _add(runtime, "tests.record")
    [ghost_job] = await claim(runtime.sessions, "ghost", 1, 0.2)  # a worker that then dies
    assert await claim(runtime.sessions, "other", 1, 5.0) == []  # leased: nobody else gets it
    await asyncio.sleep(0.3)
    assert await Worker(runtime).run_until_idle() == 1
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts) == (DONE, 2)
    # The ghost comes back: it owns nothing any more, so it can change nothing.
    assert not await queue.settle_failure(runtime.sessions, ghost_job.id, "ghost", "x", retry_in=1)
    assert not await queue.renew_lease(runtime.sessions, ghost_job.id, "ghost", 5.0)
    assert (await _job(runtime, job_id)).state == DONE


async def test_job_that_keeps_killing_workers_goes_dead(runtime: Runtime) -> None:
    job_id = await _add(runtime, "tests.record", max_attempts=2)
    for _ in range(2):
        await claim(runtime.sessions, "doomed", 1, 0.05)
        await asyncio.sleep(0.1)
    assert await Worker(runtime).run_until_idle() == 1
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts) == (DEAD, 3)
    assert "stopped responding" in (job.last_error or "")
    assert job_fixtures.calls == []


async def test_lost_lease_rolls_back_the_handler(runtime: Runtime) -> None:
    job_id = await _add(runtime, "tests.stolen", {"key": "stolen"})
    assert await Worker(runtime).run_until_idle() == 1
    job = await _job(runtime, job_id)
    assert (job.state, job.locked_by) == (RUNNING, "thief")
    assert await _count(runtime, "SELECT count(*) FROM job_effects") == 0


async def test_heartbeat_keeps_a_long_job_leased(_make_runtime: RuntimeFactory) -> None:
    slow = _make_runtime(job_lease_seconds=1.0)
    job_id = await _add(slow, "tests.record", {"sleep": 2.0})
    owner = asyncio.create_task(Worker(slow).run_until_idle())
    rival = Worker(_make_runtime(job_lease_seconds=1.0))
    while not owner.done():  # a rival polls all along; the lease never looks expired to it
        assert await rival.run_until_idle() == 0
        await asyncio.sleep(0.05)
    assert await owner == 1
    job = await _job(slow, job_id)
    assert (job.state, job.attempts) == (DONE, 1)


# --- concurrency and waking


async def test_two_workers_never_run_a_job_twice(_make_runtime: RuntimeFactory) -> None:
    first, second = _make_runtime(), _make_runtime()  # separate engines: separate connections
    async with first.sessions() as session:
        for n in range(40):
            await enqueue(session, "tests.record", {"n": n, "sleep": 0.01})
        await commit(session)
    workers = [Worker(first, concurrency=4), Worker(second, concurrency=4)]
    tasks = [asyncio.create_task(worker.run()) for worker in workers]
    try:
        sql = "SELECT count(*) FROM jobs WHERE state = 'done'"
        await _wait_for(lambda: _done(first, sql, 40), 30, "40 jobs done")
    finally:
        for worker in workers:
            await worker.stop(timeout=5)
        await asyncio.gather(*tasks)
    runs = Counter(job_id for _, job_id, _ in job_fixtures.calls)
    assert len(runs) == 40 and set(runs.values()) == {1}
    assert sum(worker.processed for worker in workers) == 40


async def _done(runtime: Runtime, sql: str, expected: int) -> bool:
    return await _count(runtime, sql) == expected


async def test_concurrent_claims_are_disjoint(_make_runtime: RuntimeFactory) -> None:
    runtimes = [_make_runtime() for _ in range(4)]
    async with runtimes[0].sessions() as session:
        for _ in range(60):
            await enqueue(session, "tests.record")
        await commit(session)

    async def drain(runtime: Runtime, worker_id: str) -> list[int]:
        got: list[int] = []
        while batch := await claim(runtime.sessions, worker_id, 3, 30.0):
            got += [job.id for job in batch]
        return got

    results = await asyncio.gather(*(drain(rt, f"w{i}") for i, rt in enumerate(runtimes)))
    claimed = [job_id for ids in results for job_id in ids]
    assert len(claimed) == len(set(claimed)) == 60
    async with runtimes[0].sessions() as session:
        owners = (
            await session.execute(select(Job.locked_by, func.count()).group_by(Job.locked_by))
        ).all()
    assert sum(n for _, n in owners) == 60


async def test_commit_wakes_the_inprocess_worker(_make_runtime: RuntimeFactory) -> None:
    runtime = _make_runtime(job_poll_seconds=30.0)
    worker = await start_inprocess_worker(runtime)
    try:
        await asyncio.sleep(0.2)  # let it claim nothing and go to sleep for 30 s
        started = time.monotonic()
        await _add(runtime, "tests.record")
        await _wait_for(lambda: _ran(1), 10, "the job to run after the wake-up")
        assert time.monotonic() - started < 10  # long before the 30 s poll
    finally:
        await worker.stop(timeout=5)


async def _ran(n: int) -> bool:
    return len(job_fixtures.calls) >= n


async def test_stop_hands_back_a_running_job(runtime: Runtime) -> None:
    job_id = await _add(runtime, "tests.record", {"sleep": 60})
    worker = await start_inprocess_worker(runtime)
    await _wait_for(lambda: _ran(1), 10, "the job to start")
    await worker.stop(timeout=0.2)
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts, job.locked_by) == (QUEUED, 0, None)


# --- registry


def test_kind_registers_once_and_feature_modules_load() -> None:
    with pytest.raises(DuplicateJobKind):
        job_handler("tests.record")(job_fixtures.record)
    assert {"tests.effect", "tests.record", "tests.fail"} <= set(registered_kinds())
    names = import_job_modules(["redleaf.kit.jobs.models"])
    assert names[-1] == "redleaf.kit.jobs.models"
    assert all(name.startswith("redleaf.") and name.endswith(".jobs") for name in names[:-1])


# --- real worker processes


def _spawn_worker(
    db_url: str, workdir: Path, log_name: str, lease: float = 1.5
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "REDLEAF_DATABASE_URL": db_url,
        "REDLEAF_JOB_MODULES": '["tests.kit.job_fixtures"]',
        "REDLEAF_JOB_LEASE_SECONDS": str(lease),
        "REDLEAF_JOB_POLL_SECONDS": "0.1",
        "REDLEAF_VAR_DIR": str(workdir),
        "REDLEAF_LOG_FORMAT": "text",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDLEAF_REDIS_URL", None)
    with (workdir / log_name).open("wb") as log:  # the child keeps its own copy of the fd
        return subprocess.Popen(
            [sys.executable, "-m", "redleaf.kit.jobs.worker"],
            cwd=workdir,  # away from any .env in the repository
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


async def _wait_for_file(path: Path, process: subprocess.Popen[bytes], seconds: float) -> None:
    async def started() -> bool:
        assert process.poll() is None, f"worker exited early with {process.returncode}"
        return await asyncio.to_thread(path.exists)

    await _wait_for(started, seconds, path.name)


@pytest.mark.slow
async def test_killed_worker_process_job_completes_exactly_once_in_effect(
    runtime: Runtime, _jobs_db_url: str, tmp_path: Path
) -> None:
    marker = tmp_path / "started"
    payload = {"key": "effect-1", "marker": str(marker), "first_attempt_sleep": 120}
    job_id = await _add(runtime, "tests.effect", payload, idempotency_key="effect-1")
    processes = []
    try:
        first = _spawn_worker(_jobs_db_url, tmp_path, "worker1.log")
        processes.append(first)
        await _wait_for_file(Path(f"{marker}.1"), first, 60)
        first.send_signal(signal.SIGKILL)  # mid-job, effect written but not committed
        first.wait(timeout=10)
        job = await _job(runtime, job_id)
        assert (job.state, job.attempts) == (RUNNING, 1)
        assert await _count(runtime, "SELECT count(*) FROM job_effects") == 0

        second = _spawn_worker(_jobs_db_url, tmp_path, "worker2.log")
        processes.append(second)
        sql = f"SELECT count(*) FROM jobs WHERE id = {job_id} AND state = 'done'"
        await _wait_for(lambda: _done(runtime, sql, 1), 60, "the job to finish in worker 2")
    finally:
        for process in processes:
            _kill(process)
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts) == (DONE, 2)
    assert await asyncio.to_thread(Path(f"{marker}.2").exists)
    async with runtime.sessions() as session:
        rows = (await session.execute(text("SELECT effect_key, attempt FROM job_effects"))).all()
    assert [tuple(row) for row in rows] == [("effect-1", 2)]


@pytest.mark.slow
async def test_sigterm_lets_the_running_job_finish(
    runtime: Runtime, _jobs_db_url: str, tmp_path: Path
) -> None:
    job_id = await _add(
        runtime,
        "tests.effect",
        {"key": "graceful", "marker": str(tmp_path / "m"), "first_attempt_sleep": 1.0},
    )
    worker = _spawn_worker(_jobs_db_url, tmp_path, "worker.log")
    try:
        await _wait_for_file(tmp_path / "m.1", worker, 60)
        worker.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(worker.wait, 20) == 0
    finally:
        _kill(worker)
    job = await _job(runtime, job_id)
    assert (job.state, job.attempts) == (DONE, 1)
    assert await _count(runtime, "SELECT count(*) FROM job_effects") == 1


_CLAIMER = """
import asyncio, json, pathlib, sys, time
from redleaf.kit.db import make_engine, make_sessionmaker
from redleaf.kit.jobs.queue import claim

async def main(url, me, go):
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    while not pathlib.Path(go).exists():
        time.sleep(0.01)
    got = []
    while batch := await claim(sessions, me, 2, 60.0):
        got += [job.id for job in batch]
    print(json.dumps(got))
    await engine.dispose()

asyncio.run(main(*sys.argv[1:]))
"""


def _spawn_claimer(db_url: str, name: str, go: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", _CLAIMER, db_url, name, str(go)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, cwd=go.parent)


@pytest.mark.slow
async def test_claims_from_several_processes_are_disjoint(
    runtime: Runtime, _jobs_db_url: str, tmp_path: Path
) -> None:
    async with runtime.sessions() as session:
        expected = {await enqueue(session, "tests.record") for _ in range(150)}
        await commit(session)
    go = tmp_path / "go"
    processes = [_spawn_claimer(_jobs_db_url, f"p{i}", go) for i in range(3)]
    try:
        await asyncio.sleep(1.0)  # let them all import and wait at the line
        await asyncio.to_thread(go.touch)
        outputs = [await asyncio.to_thread(p.communicate, timeout=60) for p in processes]
    finally:
        for process in processes:
            _kill(process)
    claimed = [job_id for out, _ in outputs for job_id in json.loads(out)]
    assert len(claimed) == len(set(claimed)) == 150
    assert set(claimed) == expected
