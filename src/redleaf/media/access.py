"""Permission-checked loaders: the only way routes (and the notes feature) load media."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.errors import InvalidInput, NotFound
from redleaf.media import repository
from redleaf.media.models import Media
from redleaf.settings import Settings, load_settings

FIELD = "media_ids"


def parse_id(raw: object) -> int | None:
    text = str(raw)
    return (
        int(text)
        if text.isascii() and text.isdigit() and len(text) <= 19 and int(text) < 2**63
        else None
    )


def _not_found() -> NotFound:
    return NotFound("We could not find that photo or video.", code="media_not_found")


async def load_media(session: AsyncSession, viewer: Account | None, media_id: str) -> Media:
    """A media its owner asked for, or one on a note anybody may read; 404 otherwise."""
    parsed = parse_id(media_id)
    media = await repository.get(session, parsed) if parsed is not None else None
    if media is None:
        raise _not_found()
    if viewer is not None and media.owner_id == viewer.id:
        return media
    if media.note_id is not None and await repository.on_public_note(session, media.note_id):
        return media
    raise _not_found()


async def load_attachable(
    session: AsyncSession,
    owner: Account,
    ids: list[str],
    *,
    note_id: int | None = None,
    settings: Settings | None = None,
) -> list[Media]:
    """The owner's media `ids`, in that order, for a note to take: none may belong to another
    note (`note_id`: the note being edited, whose own media are fine); at most
    `note_images_max` photos, or exactly one video.

    The rows stay locked until the transaction ends, so processing that settles a media at the
    same moment either finishes first (the note sees it ready or failed) or sees the note."""
    if not ids:
        return []
    settings = settings or load_settings()
    parsed = [parse_id(raw) for raw in ids]
    if any(value is None for value in parsed):
        raise _missing()
    wanted = [value for value in parsed if value is not None]
    if len(set(wanted)) != len(wanted):
        raise InvalidInput(
            "The same photo or video is listed twice.", code="duplicate_media", field=FIELD
        )
    if len(wanted) > max(settings.note_images_max, 1):
        raise _too_many(settings)
    found = {
        media.id: media for media in await repository.lock_for_attach(session, owner.id, wanted)
    }
    if len(found) != len(wanted):
        raise _missing()
    ordered = [found[value] for value in wanted]
    for media in ordered:
        if media.note_id is not None and media.note_id != note_id:
            raise InvalidInput(
                "A photo or video here already belongs to another note.",
                code="media_taken",
                field=FIELD,
            )
    videos = sum(1 for media in ordered if media.kind == "video")
    if videos and len(ordered) > 1:
        raise InvalidInput(
            "A note holds one video or up to %(max)s photos, not both.",
            code="invalid_media_mix",
            field=FIELD,
            max=settings.note_images_max,
        )
    return ordered


def _missing() -> InvalidInput:
    return InvalidInput(
        "We could not find one of these photos or videos.", code="media_not_found", field=FIELD
    )


def _too_many(settings: Settings) -> InvalidInput:
    return InvalidInput(
        "A note holds at most %(max)s photos.",
        code="too_many_media",
        field=FIELD,
        max=settings.note_images_max,
    )
