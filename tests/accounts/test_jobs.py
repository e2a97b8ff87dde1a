from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from redleaf.accounts import service
from redleaf.accounts.jobs import PURGE_EXPIRED_TOKENS
from redleaf.accounts.models import AuthToken
from redleaf.kit.db import commit, utcnow
from redleaf.kit.jobs.models import Job
from redleaf.kit.jobs.worker import Worker
from redleaf.kit.runtime import Runtime
from tests.accounts.factories import make_account


async def test_sign_ins_schedule_one_daily_purge_that_removes_expired_sessions(
    runtime: Runtime,
) -> None:
    account = await make_account(runtime, "sleepy")
    async with runtime.sessions() as session:
        old, _ = await service.do_create_token(session, runtime.settings, account, kind="session")
        old.expires_at = utcnow() - timedelta(days=1)
        await service.do_create_token(session, runtime.settings, account, kind="session")
        await commit(session)
    async with runtime.sessions() as session:
        jobs = await session.scalar(select(func.count()).where(Job.kind == PURGE_EXPIRED_TOKENS))
        assert jobs == 1  # two sign-ins, one purge a day
    assert await Worker(runtime).run_until_idle() == 1
    async with runtime.sessions() as session:
        left = await session.scalar(select(func.count()).select_from(AuthToken))
        assert left == 1
