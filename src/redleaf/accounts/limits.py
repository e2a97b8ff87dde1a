"""The limits routes depend on: sign-up and login (shared by the API and the pages, so both draw
on the same buckets), and the write limit of every state-changing route: per account and per IP."""

from __future__ import annotations

from fastapi import Depends, Request

from redleaf.accounts.auth import require_viewer
from redleaf.accounts.models import Account
from redleaf.kit.ratelimit import client_ip, enforce, limit_per_ip, surge_gate
from redleaf.kit.runtime import get_runtime

signup_limits = [
    Depends(surge_gate("signup", lambda s: s.surge_signup_rate)),
    Depends(limit_per_ip("signup", lambda s: s.rate_signup_per_ip)),
]
login_limit = Depends(limit_per_ip("login", lambda s: s.rate_login_per_ip))


async def write_limit(request: Request, account: Account = Depends(require_viewer)) -> None:
    settings = get_runtime(request).settings
    await enforce(request, "write-ip", settings.rate_write_per_ip, client_ip(request))
    await enforce(request, "write-account", settings.rate_write_per_account, str(account.id))
