"""Password rules and argon2id hashing.

Hashing runs in the runtime's bounded pool (`kit.cpu.BoundedPool`): argon2-cffi releases the GIL,
so the pool's threads use every core while the event loop keeps serving, and the pool's queue cap
turns a sign-up flood into surge 503s instead of unbounded memory (19 MiB per running hash).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from redleaf.kit.cpu import BoundedPool, Overloaded
from redleaf.kit.errors import InvalidInput, SurgeQueued
from redleaf.settings import Settings


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords, plus our own file of Chinese favourites."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    extra = resources.files("redleaf.accounts").joinpath("data/common_passwords_extra.txt")
    lines = extra.read_text(encoding="utf-8").splitlines()
    ours = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"]) | ours


def check_password(
    settings: Settings, password: str, username: str, field: str = "password"
) -> None:
    if len(password) < settings.password_min_length:
        raise InvalidInput(
            "Use at least %(min)s characters.",
            code="password_too_short",
            field=field,
            min=settings.password_min_length,
        )
    if len(password) > settings.password_max_length:
        raise InvalidInput(
            "Use at most %(max)s characters.",
            code="password_too_long",
            field=field,
            max=settings.password_max_length,
        )
    lowered = password.lower()
    if username and lowered == username.lower():
        raise InvalidInput(
            "Your password cannot be your username.", code="password_is_username", field=field
        )
    if lowered in common_passwords() or len(set(password)) <= 2:
        raise InvalidInput(
            "This password is one of the most common ones and would be guessed quickly. "
            "Please choose another.",
            code="password_too_common",
            field=field,
        )


@cache
def _hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
    )


def hasher(settings: Settings) -> PasswordHasher:
    return _hasher(
        settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism
    )


async def hash_password(settings: Settings, pool: BoundedPool, password: str) -> str:
    try:
        return await pool.run(hasher(settings).hash, password)
    except Overloaded:
        raise SurgeQueued(settings.surge_retry_after_seconds) from None


def _verify(ph: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return ph.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(
    settings: Settings, pool: BoundedPool, stored: str, password: str
) -> bool:
    try:
        return await pool.run(_verify, hasher(settings), stored, password)
    except Overloaded:
        raise SurgeQueued(settings.surge_retry_after_seconds) from None


def needs_rehash(settings: Settings, stored: str) -> bool:
    try:
        return hasher(settings).check_needs_rehash(stored)
    except InvalidHashError:
        return True


# A hash of a random password, verified against when the username does not exist, so a login for
# an unknown name costs the same time as one for a real account (no user enumeration by timing).
DUMMY_PASSWORD = "redleaf-timing-equaliser-not-a-password"
