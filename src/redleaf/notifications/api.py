"""JSON routes of notifications (/api/v1): the grouped list, the unread count, marking read, and
the live stream (Server-Sent Events)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.auth import require_viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.errors import InvalidInput
from redleaf.kit.i18n import get_locale
from redleaf.kit.pagination import Page, page_params
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notifications import service, stream
from redleaf.notifications.schemas import MarkRead, NotificationGroupOut, UnreadCount

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["notifications"])


@router.get("/notifications", response_model=Page[NotificationGroupOut])
async def list_notifications(
    tab: str = Query(default="all", max_length=20, description="all, likes, comments, follows"),
    page: tuple[str | None, int] = Depends(page_params),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, object]:
    cursor, limit = page
    items, next_cursor = await service.get_page(session, me, tab=tab, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/notifications/unread-count", response_model=UnreadCount)
async def unread_count(
    me: Account = Depends(require_viewer), session: AsyncSession = Depends(db)
) -> dict[str, object]:
    return await service.get_unread(session, me)


@router.post(
    "/notifications/read",
    status_code=204,
    response_class=Response,
    dependencies=[Depends(write_limit)],
)
async def mark_read(
    body: MarkRead,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    await service.do_mark_read(
        session, get_runtime(request), me, ids=body.ids, groups=body.groups, everything=body.all
    )
    return Response(status_code=204)


def _event_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 19 or int(raw) >= 2**63:
        raise InvalidInput(
            "This event id is not valid.", code="invalid_event_id", field="last_event_id"
        )
    return int(raw)


@router.get(
    "/notifications/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def notification_stream(
    request: Request,
    last_event_id: str | None = Query(
        default=None, max_length=20, description="Resume after this event (or Last-Event-ID)."
    ),
    me: Account = Depends(require_viewer),
) -> StreamingResponse:
    """Live notifications for the signed-in member: `unread` and `notification` events, a
    heartbeat comment, and `retry`. The request's database session ends before the stream
    starts; the stream reads in short sessions of its own."""
    since = _event_id(request.headers.get("last-event-id") or last_event_id)
    return StreamingResponse(
        stream.events(get_runtime(request), me, get_locale(), since),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
