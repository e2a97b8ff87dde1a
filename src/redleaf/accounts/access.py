"""Permission-checked loaders: the only way routes load accounts.

Blocks hide both ways, except that the blocker still reaches the profile of the member they
blocked (to unblock them). To the blocked member the blocker does not exist: 404.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import repository
from redleaf.accounts.models import Account
from redleaf.kit.errors import NotFound


def _not_found() -> NotFound:
    return NotFound("We could not find that member.", code="account_not_found")


async def load_account(session: AsyncSession, viewer: Account | None, username: str) -> Account:
    """The account named `username` as `viewer` may see it, or 404."""
    if not username or len(username) > 100:
        raise _not_found()
    account = await repository.by_username(session, username.lstrip("@"))
    if account is None:
        raise _not_found()
    blocked = viewer is not None and viewer.id != account.id
    if blocked and await repository.is_blocking(session, account.id, viewer.id):  # type: ignore[union-attr]
        raise _not_found()
    return account
