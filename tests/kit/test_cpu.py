import asyncio
import time

import pytest

from redleaf.kit.cpu import BoundedPool, Overloaded


async def test_refuses_calls_that_would_wait_past_the_budget() -> None:
    pool = BoundedPool(threads=1, queue_max=100, max_wait=0.15)
    try:
        await pool.run(time.sleep, 0.1)  # learn how long a call takes
        running = asyncio.ensure_future(pool.run(time.sleep, 0.1))
        waiting = asyncio.ensure_future(pool.run(time.sleep, 0.1))  # would wait ~0.1 s: admitted
        await asyncio.sleep(0.01)
        with pytest.raises(Overloaded):
            await pool.run(time.sleep, 0.1)  # would wait ~0.2 s
        await asyncio.gather(running, waiting)
        assert pool.load == 0
        await pool.run(time.sleep, 0.01)  # room again once the queue drained
    finally:
        pool.shutdown()


async def test_queue_max_is_a_hard_cap() -> None:
    pool = BoundedPool(threads=1, queue_max=1)
    try:
        calls = [asyncio.ensure_future(pool.run(time.sleep, 0.05)) for _ in range(2)]
        await asyncio.sleep(0.01)
        with pytest.raises(Overloaded):
            await pool.run(time.sleep, 0.05)
        await asyncio.gather(*calls)
    finally:
        pool.shutdown()
