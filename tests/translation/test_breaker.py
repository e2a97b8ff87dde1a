"""The circuit breaker, on an injected clock: closed -> open after N consecutive failures, fail fast
while open, one trial at a time once the reset time has passed."""

from __future__ import annotations

import asyncio

import pytest

from redleaf.translation.breaker import CircuitBreaker, CircuitOpen
from redleaf.translation.engines.base import EngineError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Service:
    """Something to call through the breaker that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.failing = True

    async def __call__(self) -> str:
        self.calls += 1
        if self.failing:
            raise EngineError("down")
        return "ok"


async def fail_times(breaker: CircuitBreaker, service: Service, n: int) -> None:
    for _ in range(n):
        with pytest.raises(EngineError):
            await breaker.call(service)


async def test_opens_after_consecutive_failures_and_fails_fast() -> None:
    clock, service = Clock(), Service()
    breaker = CircuitBreaker(3, 30.0, clock=clock)
    await fail_times(breaker, service, 2)
    assert breaker.state == "closed"
    await fail_times(breaker, service, 1)
    assert breaker.state == "open"
    with pytest.raises(CircuitOpen, match="circuit open"):
        await breaker.call(service)
    assert service.calls == 3  # the refused call never reached the service
    clock.now += 29.9
    with pytest.raises(CircuitOpen):
        await breaker.call(service)
    assert service.calls == 3


async def test_a_success_resets_the_count() -> None:
    service = Service()
    breaker = CircuitBreaker(3, 30.0, clock=Clock())
    await fail_times(breaker, service, 2)
    service.failing = False
    assert await breaker.call(service) == "ok"
    service.failing = True
    await fail_times(breaker, service, 2)
    assert breaker.state == "closed"
    assert breaker.consecutive_failures == 2


async def test_half_open_trial_success_closes() -> None:
    clock, service = Clock(), Service()
    breaker = CircuitBreaker(1, 30.0, clock=clock)
    await fail_times(breaker, service, 1)
    clock.now += 30.0
    service.failing = False
    assert await breaker.call(service) == "ok"
    assert breaker.state == "closed"
    assert await breaker.call(service) == "ok"
    assert service.calls == 3


async def test_half_open_trial_failure_reopens_for_another_period() -> None:
    clock, service = Clock(), Service()
    breaker = CircuitBreaker(2, 30.0, clock=clock)
    await fail_times(breaker, service, 2)
    clock.now += 31.0
    await fail_times(breaker, service, 1)  # the trial
    assert breaker.state == "open"
    assert service.calls == 3
    clock.now += 29.0  # counted from the trial's failure, not the first opening
    with pytest.raises(CircuitOpen):
        await breaker.call(service)
    clock.now += 1.0
    service.failing = False
    assert await breaker.call(service) == "ok"
    assert service.calls == 4


async def test_only_one_trial_at_a_time() -> None:
    clock = Clock()
    breaker = CircuitBreaker(1, 5.0, clock=clock)
    with pytest.raises(EngineError):
        await breaker.call(Service())
    clock.now += 5.0
    release = asyncio.Event()
    started = 0

    async def slow_trial() -> str:
        nonlocal started
        started += 1
        await release.wait()
        return "ok"

    trial = asyncio.create_task(breaker.call(slow_trial))
    await asyncio.sleep(0)
    assert breaker.state == "half-open"
    others = await asyncio.gather(
        *(breaker.call(slow_trial) for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(result, CircuitOpen) for result in others)
    assert started == 1
    release.set()
    assert await trial == "ok"
    assert breaker.state == "closed"


async def test_a_cancelled_trial_lets_the_next_caller_try() -> None:
    clock = Clock()
    breaker = CircuitBreaker(1, 5.0, clock=clock)
    with pytest.raises(EngineError):
        await breaker.call(Service())
    clock.now += 5.0

    async def hang() -> str:
        await asyncio.Event().wait()
        return "never"

    trial = asyncio.create_task(breaker.call(hang))
    await asyncio.sleep(0)
    trial.cancel()
    with pytest.raises(asyncio.CancelledError):
        await trial
    service = Service()
    service.failing = False
    assert await breaker.call(service) == "ok"
    assert breaker.state == "closed"


async def test_a_late_failure_does_not_steal_the_trial() -> None:
    # A call admitted while closed fails after the breaker opened and the trial started: the
    # trial still decides.
    clock = Clock()
    breaker = CircuitBreaker(1, 5.0, clock=clock)
    assert breaker.admit() is False  # the slow call, admitted while closed
    with pytest.raises(EngineError):
        await breaker.call(Service())
    clock.now += 5.0
    assert breaker.admit() is True  # the trial
    breaker.record_failure(trial=False)  # the slow call's late failure
    assert breaker.state == "half-open"
    with pytest.raises(CircuitOpen):
        breaker.admit()
    breaker.record_success()
    assert breaker.state == "closed"


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(0, 1.0)
    with pytest.raises(ValueError):
        CircuitBreaker(1, -1.0)
