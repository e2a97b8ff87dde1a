"""Rate limits of note writes, on top of the general write limit (per account and per IP)."""

from __future__ import annotations

from fastapi import Depends, Request

from redleaf.accounts.auth import require_viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.ratelimit import enforce
from redleaf.kit.runtime import get_runtime


async def note_limit(
    request: Request, account: Account = Depends(require_viewer), _w: None = Depends(write_limit)
) -> None:
    rate = get_runtime(request).settings.rate_note_per_account
    await enforce(request, "note-account", rate, str(account.id))


async def comment_limit(
    request: Request, account: Account = Depends(require_viewer), _w: None = Depends(write_limit)
) -> None:
    rate = get_runtime(request).settings.rate_comment_per_account
    await enforce(request, "comment-account", rate, str(account.id))
