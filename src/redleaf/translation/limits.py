"""Translation costs an engine call on a miss: limited per member, and per address for visitors."""

from __future__ import annotations

from fastapi import Depends, Request

from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.ratelimit import client_ip, enforce
from redleaf.kit.runtime import get_runtime


async def translate_limit(request: Request, me: Account | None = Depends(viewer)) -> None:
    settings = get_runtime(request).settings
    if me is not None:
        await enforce(request, "translate-account", settings.rate_translate_per_account, str(me.id))
    else:
        await enforce(request, "translate-ip", settings.rate_translate_per_ip, client_ip(request))
