"""Reports are writes with a limit of their own: a member reporting everything in sight is a
problem the queue should not have to absorb."""

from __future__ import annotations

from fastapi import Depends, Request

from redleaf.accounts.auth import require_viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.ratelimit import enforce
from redleaf.kit.runtime import get_runtime


async def report_limit(
    request: Request, account: Account = Depends(require_viewer), _w: None = Depends(write_limit)
) -> None:
    rate = get_runtime(request).settings.rate_report_per_account
    await enforce(request, "report-account", rate, str(account.id))


async def appeal_limit(
    request: Request, account: Account = Depends(require_viewer), _w: None = Depends(write_limit)
) -> None:
    rate = get_runtime(request).settings.rate_appeal_per_account
    await enforce(request, "appeal-account", rate, str(account.id))
