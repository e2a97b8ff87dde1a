"""The member's data as one JSON download, for the API and the settings page alike."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import service
from redleaf.accounts.models import Account
from redleaf.kit.responses import ORJSONResponse


async def export_download(session: AsyncSession, account: Account) -> ORJSONResponse:
    archive = await service.get_export(session, account)
    headers = {
        "content-disposition": f'attachment; filename="redleaf-{account.username}.json"',
        "cache-control": "no-store",  # personal data: never kept by a shared cache
    }
    return ORJSONResponse(archive, headers=headers)
