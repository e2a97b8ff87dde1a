"""Writing notes: check_* validates what a member typed, do_* changes and emits.

A note's life: draft → (publish) → processing while its media are not ready → published, or
failed with the media's reason. `notes.media_settled` (a job the media pipeline enqueues when a
media of a note becomes ready or failed) moves a processing note on; it is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.errors import InvalidInput
from redleaf.kit.runtime import Runtime
from redleaf.media import access as media_access
from redleaf.media import service as media_service
from redleaf.media.models import Media
from redleaf.moderation import screening
from redleaf.notes import repository, text
from redleaf.notes.models import Note, Place
from redleaf.notes.schemas import NoteCreate, NoteUpdate, PlaceIn
from redleaf.notifications import service as notifications
from redleaf.search import jobs as search_jobs
from redleaf.settings import Settings
from redleaf.translation.detect import detect, stored_spans

TEXT_STYLES = 6  # palettes of a text-only card


@dataclass
class CheckedNote:
    title: str
    body: str
    tags: list[str]
    mentions: list[str] = field(default_factory=list)


def check_note_text(settings: Settings, title: str, body: str, tags: list[str]) -> CheckedNote:
    title = title.strip()
    body = body.strip()
    if len(title) > settings.note_title_max_length:
        raise InvalidInput(
            "The title can be at most %(max)s characters.",
            code="title_too_long",
            field="title",
            max=settings.note_title_max_length,
        )
    if len(body) > settings.note_body_max_length:
        raise InvalidInput(
            "The text can be at most %(max)s characters.",
            code="body_too_long",
            field="body",
            max=settings.note_body_max_length,
        )
    folded: list[str] = []
    for raw in [*tags, *text.hashtags(body)]:
        tag = text.fold_tag(raw)
        if not tag:
            continue
        if len(tag) > settings.tag_max_length:
            raise InvalidInput(
                "A tag can be at most %(max)s characters.",
                code="tag_too_long",
                field="tags",
                max=settings.tag_max_length,
            )
        if tag not in folded:
            folded.append(tag)
    if len(folded) > settings.note_tags_max:
        raise InvalidInput(
            "A note can have at most %(max)s tags.",
            code="too_many_tags",
            field="tags",
            max=settings.note_tags_max,
        )
    mentions = text.mentions(f"{title}\n{body}")[: settings.note_mentions_max]
    return CheckedNote(title=title, body=body, tags=folded, mentions=mentions)


def check_text_style(value: int) -> int:
    if not 0 <= value < TEXT_STYLES:
        raise InvalidInput(
            "Choose one of the card styles.", code="invalid_text_style", field="text_style"
        )
    return value


async def check_place(
    session: AsyncSession, settings: Settings, place: PlaceIn | None
) -> Place | None:
    if place is None:
        return None
    name_en = " ".join(place.name.split())
    name_zh = " ".join((place.name_zh or "").split())
    if not name_en and not name_zh:
        return None
    limit = settings.place_name_max_length
    if len(name_en) > limit or len(name_zh) > limit:
        raise InvalidInput(
            "A place name can be at most %(max)s characters.",
            code="place_name_too_long",
            field="place",
            max=limit,
        )
    if (place.lat is None) != (place.lon is None):
        raise InvalidInput(
            "Give both latitude and longitude, or neither.", code="invalid_place", field="place"
        )
    if place.lat is not None and not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):  # type: ignore[operator]
        raise InvalidInput(
            "Those coordinates are not on Earth.", code="invalid_place", field="place"
        )
    lat = round(place.lat, 6) if place.lat is not None else None
    lon = round(place.lon, 6) if place.lon is not None else None
    # Notes naming the same place within ~100 m share one row.
    spot = f"{lat:.3f},{lon:.3f}" if lat is not None and lon is not None else ""
    key = f"{name_en.casefold()}|{name_zh}|{spot}"
    return await repository.place_for(session, key, name_en, name_zh, lat, lon)


def _note_kind(media: list[Media]) -> str:
    if not media:
        return "text"
    return "video" if media[0].kind == "video" else "image"


async def _attach(session: AsyncSession, note: Note, media: list[Media]) -> None:
    for position, item in enumerate(media):
        item.note_id = note.id
        item.position = position
    note.kind = _note_kind(media)


async def _apply_text(
    session: AsyncSession, author: Account, note: Note, checked: CheckedNote
) -> list[int]:
    note.title = checked.title
    note.body = checked.body
    note.tags = checked.tags
    found = detect(f"{checked.title}\n{checked.body}")
    note.lang, note.lang_spans = found.lang, stored_spans(found)
    await repository.set_tags(session, note.id, checked.tags)
    mentioned = await repository.mentionable(session, author.id, checked.mentions)
    return await repository.set_mentions(session, note.id, mentioned)


async def do_create_note(
    session: AsyncSession, runtime: Runtime, author: Account, data: NoteCreate
) -> Note:
    settings = runtime.settings
    checked = check_note_text(settings, data.title, data.body, data.tags)
    style = check_text_style(data.text_style)
    media = await media_access.load_attachable(session, author, data.media_ids, settings=settings)
    if not media and not (checked.title or checked.body):
        raise InvalidInput("Add a photo, a video or some text.", code="empty_note", field="title")
    if data.draft and await repository.count_drafts(session, author.id) >= settings.drafts_max:
        raise InvalidInput(
            "You have %(max)s drafts already. Publish or delete some first.",
            code="too_many_drafts",
            max=settings.drafts_max,
        )
    place = await check_place(session, settings, data.place)
    note = Note(
        author_id=author.id,
        visibility=data.visibility,
        text_style=style,
        place_id=place.id if place else None,
        state="draft",
    )
    session.add(note)
    await session.flush()
    await _attach(session, note, media)
    await _apply_text(session, author, note, checked)
    if not data.draft:
        await _screen(session, runtime, author, note, publishing=True)
        await _submit(session, runtime, author, note, media)
    await search_jobs.schedule_index(session, note.id)  # indexed if searchable, after commit
    await session.flush()
    return note


async def _screen(
    session: AsyncSession, runtime: Runtime, author: Account, note: Note, *, publishing: bool
) -> None:
    """Moderation's inline check of a note that leaves its draft or changes its words after: a
    rule may refuse it (ask to edit), or hide it until a moderator looks. Never unhides."""
    text = f"{note.title}\n{note.body}"
    verdict = await screening.check(session, runtime, author, "note", text)
    hidden = await screening.after_store(
        session,
        runtime,
        author,
        verdict,
        target_type="note",
        target_id=note.id,
        publishing=publishing,
        text=text,
    )
    if hidden is not None:
        note.moderation_state = hidden


async def _submit(
    session: AsyncSession, runtime: Runtime, author: Account, note: Note, media: list[Media]
) -> None:
    """Leave the draft state: publish now when every media is ready, else wait for them."""
    failed = [m for m in media if m.state == "failed"]
    if failed:
        raise InvalidInput(
            "One of your photos or videos could not be processed. Remove it and try again.",
            code="media_failed",
            field="media_ids",
        )
    if all(m.state == "ready" for m in media):
        await _publish(session, runtime, note, media)
    else:
        note.state = "processing"


async def _publish(session: AsyncSession, runtime: Runtime, note: Note, media: list[Media]) -> None:
    note.state = "published"
    note.error_code = None
    note.published_at = note.published_at or utcnow()
    note.cover = media_service.cover_of(media[0], runtime.settings) if media else {}
    await repository.bump_place(session, note.place_id, 1)
    for account_id in await repository.mentioned_ids(session, note.id):
        await _notify_mention(session, runtime, note, account_id)
    await screening.schedule_models(session, runtime, "note", note.id)  # after commit


async def _notify_mention(
    session: AsyncSession, runtime: Runtime, note: Note, account_id: int
) -> None:
    await notifications.do_notify(
        session,
        runtime,
        recipient_id=account_id,
        kind="mention",
        actor_id=note.author_id,
        note_id=note.id,
    )


async def do_update_note(
    session: AsyncSession, runtime: Runtime, author: Account, note: Note, data: NoteUpdate
) -> Note:
    settings = runtime.settings
    changes = data.model_dump(exclude_unset=True)
    was_published = note.state == "published"
    if changes.get("draft") is True and note.state != "draft":
        raise InvalidInput(
            "A published note cannot go back to being a draft.",
            code="already_published",
            field="draft",
        )
    media = await _current_media(session, note)
    if data.media_ids is not None:
        media = await _replace_media(session, runtime, author, note, media, data.media_ids)
    text_changed = any(changes.get(name) is not None for name in ("title", "body", "tags"))
    new_mentions: list[int] = []
    if text_changed or data.media_ids is not None:
        # Tags typed in the old body go with it; tags given explicitly stay unless replaced.
        explicit = [t for t in note.tags if t not in text.hashtags(note.body)]
        checked = check_note_text(
            settings,
            data.title if data.title is not None else note.title,
            data.body if data.body is not None else note.body,
            data.tags if data.tags is not None else explicit,
        )
        if not media and not (checked.title or checked.body):
            raise InvalidInput(
                "Add a photo, a video or some text.", code="empty_note", field="title"
            )
        new_mentions = await _apply_text(session, author, note, checked)
    if data.visibility is not None:
        note.visibility = data.visibility
    if data.text_style is not None:
        note.text_style = check_text_style(data.text_style)
    if "place" in changes:
        place = await check_place(session, settings, data.place)
        new_place_id = place.id if place else None
        if was_published and new_place_id != note.place_id:
            await repository.bump_place(session, note.place_id, -1)
            await repository.bump_place(session, new_place_id, 1)
        note.place_id = new_place_id
    if was_published:
        note.edited_at = utcnow()
        note.cover = media_service.cover_of(media[0], settings) if media else {}
        for account_id in new_mentions:
            await _notify_mention(session, runtime, note, account_id)
    else:
        publishing = changes.get("draft") is False and note.state in ("draft", "failed")
        new_media_while_waiting = note.state == "processing" and data.media_ids is not None
        if publishing or new_media_while_waiting:
            await _submit(session, runtime, author, note, media)
    if note.state != "draft" and (text_changed or changes.get("draft") is False):
        leaving_draft = changes.get("draft") is False and not was_published
        await _screen(session, runtime, author, note, publishing=leaving_draft)
    if was_published:  # new words or photos: the models look again (a no-op if unchanged)
        await screening.schedule_models(session, runtime, "note", note.id)
    await search_jobs.schedule_index(session, note.id)
    await session.flush()
    return note


async def _current_media(session: AsyncSession, note: Note) -> list[Media]:
    return (await repository.media_of_notes(session, [note.id])).get(note.id, [])


async def _replace_media(
    session: AsyncSession,
    runtime: Runtime,
    author: Account,
    note: Note,
    current: list[Media],
    ids: list[str],
) -> list[Media]:
    """The note's media become `ids` in that order: kept ones move, new ones attach, dropped ones
    are discarded (their files deleted after commit)."""
    ordered = await media_access.load_attachable(
        session, author, ids, note_id=note.id, settings=runtime.settings
    )
    if note.state == "published" and any(m.state != "ready" for m in ordered):
        raise InvalidInput(
            "Wait until your new photos are ready, then save again.",
            code="media_not_ready",
            field="media_ids",
        )
    dropped = [m for m in current if m not in ordered]
    for item in dropped:
        item.note_id = None
    if dropped:
        await media_service.do_discard(session, dropped)
    if note.state == "published" and not ordered and not (note.title or note.body):
        raise InvalidInput("Add a photo, a video or some text.", code="empty_note", field="title")
    await _attach(session, note, ordered)
    return ordered


async def do_delete_note(session: AsyncSession, runtime: Runtime, note: Note) -> None:
    media = await _current_media(session, note)
    if media:
        await media_service.do_discard(session, media)
    if note.state == "published":
        await repository.bump_place(session, note.place_id, -1)
    await repository.forget_note_in_boards(session, note.id)
    await search_jobs.schedule_index(session, note.id)  # gone: the job deletes it
    await session.delete(note)
    await session.flush()


async def do_settle_media(session: AsyncSession, runtime: Runtime, note_id: int) -> None:
    """A media of this note became ready or failed: publish the note when all are ready, mark
    it failed when one failed. Runs again harmlessly."""
    note = await repository.note_by_id(session, note_id)
    if note is None or note.state != "processing":
        return
    media = await _current_media(session, note)
    failed = next((m for m in media if m.state == "failed"), None)
    if failed is not None:
        note.state = "failed"
        note.error_code = failed.error_code or "media_failed"
    elif all(m.state == "ready" for m in media):
        await _publish(session, runtime, note, media)
    await search_jobs.schedule_index(session, note.id)
    await session.flush()
