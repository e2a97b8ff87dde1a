"""The write limit every state-changing route of every feature depends on: per account and per IP."""

from __future__ import annotations

from fastapi import Depends, Request

from redleaf.accounts.auth import require_viewer
from redleaf.accounts.models import Account
from redleaf.kit.ratelimit import client_ip, enforce
from redleaf.kit.runtime import get_runtime


async def write_limit(request: Request, account: Account = Depends(require_viewer)) -> None:
    settings = get_runtime(request).settings
    await enforce(request, "write-ip", settings.rate_write_per_ip, client_ip(request))
    await enforce(request, "write-account", settings.rate_write_per_account, str(account.id))
