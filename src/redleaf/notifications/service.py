"""Business rules of notifications: `do_*` changes and emits, `check_*` validates, `get_*` reads.

One row per event (a like, a comment, a follow...). Rows that share a `group_key` are shown as
one line ("Alice, Bob and 11 others liked your note"), grouped when read, so marking read and
withdrawing stay single-row operations. A new row announces itself on the event bus after commit
(`notifications:{recipient}`); the stream endpoint turns that into a line in the reader's
language. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import avatar
from redleaf.accounts.models import Account
from redleaf.kit.db import new_id, on_commit, utcnow
from redleaf.kit.errors import InvalidInput
from redleaf.kit.events import publish_on_commit
from redleaf.kit.pagination import decode_cursor, encode_cursor
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Comment, Note
from redleaf.notifications import repository, text
from redleaf.notifications.models import NOTIFICATION_KINDS, Notification
from redleaf.settings import Settings

# The list's tabs, as RedNote has them: likes and collects · comments and @mentions · followers.
TABS: dict[str, tuple[str, ...]] = {
    "all": (),
    "likes": ("like", "collect", "comment_like"),
    "comments": ("comment", "reply", "mention"),
    "follows": ("follow",),
}
ACTORS_SHOWN = 2
_NOTE_KINDS = {"like", "collect"}
_COMMENT_KINDS = {"comment", "reply", "comment_like"}


def channel(recipient_id: int) -> str:
    return f"notifications:{recipient_id}"


# --- keys ---------------------------------------------------------------------------------------


def _check_subject(kind: str, note_id: int | None, comment_id: int | None) -> None:
    """Callers are our own services: a wrong call is a bug, said loudly, not a member's error."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if kind in _NOTE_KINDS and note_id is None:
        raise ValueError(f"a {kind} notification needs note_id")
    if kind in _COMMENT_KINDS and (comment_id is None or note_id is None):
        raise ValueError(f"a {kind} notification needs note_id and comment_id")
    if kind == "mention" and note_id is None:
        raise ValueError("a mention notification needs note_id")


def _subject(kind: str, note_id: int | None, comment_id: int | None) -> str:
    if kind in _COMMENT_KINDS or (kind == "mention" and comment_id is not None):
        return f"c{comment_id}"
    if kind == "follow":
        return ""
    return f"n{note_id}"


def dedupe_key(
    recipient_id: int, kind: str, actor_id: int, note_id: int | None, comment_id: int | None
) -> str:
    """One notification per recipient, kind, actor and subject: like, unlike, like again
    notifies once; each new comment is a subject of its own."""
    return f"{kind}:{recipient_id}:{actor_id}:{_subject(kind, note_id, comment_id)}"


def group_key(kind: str, note_id: int | None, comment_id: int | None, now: datetime) -> str:
    """Likes, collects, comments, replies and mentions group per note; likes of a comment per
    comment; new followers per day (one line for ever would hide who is new)."""
    if kind == "follow":
        return f"follow:{now.date().isoformat()}"
    if kind == "comment_like":
        return f"comment_like:comment:{comment_id}"
    return f"{kind}:note:{note_id}"


# --- writes -------------------------------------------------------------------------------------


async def do_notify(
    session: AsyncSession,
    runtime: Runtime,
    *,
    recipient_id: int,
    kind: str,
    actor_id: int,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Tell `recipient_id` that `actor_id` did `kind`, unless it is about oneself, a block or
    mute stands between them, or the same thing was already said."""
    _check_subject(kind, note_id, comment_id)
    if recipient_id == actor_id:
        return
    if await repository.refused(session, recipient_id, actor_id):
        return
    now = utcnow()
    notification_id = new_id()
    key = group_key(kind, note_id, comment_id, now)
    inserted = await repository.insert(
        session,
        id=notification_id,
        recipient_id=recipient_id,
        kind=kind,
        actor_id=actor_id,
        note_id=note_id,
        comment_id=comment_id,
        group_key=key,
        dedupe_key=dedupe_key(recipient_id, kind, actor_id, note_id, comment_id),
        created_at=now,
    )
    if not inserted:
        return
    event: dict[str, Any] = {
        "type": "notification",
        "id": str(notification_id),
        "group": key,
        "kind": kind,
        "actor_id": str(actor_id),
        "note_id": str(note_id) if note_id is not None else None,
        "comment_id": str(comment_id) if comment_id is not None else None,
        "created_at": now.isoformat(),
    }
    publish_on_commit(session, runtime.events, channel(recipient_id), event)
    await _schedule_prune(session, now)


async def do_withdraw(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    actor_id: int,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Take back an unread notification (unlike, uncollect, unfollow). A read one stays: the
    recipient saw it, and its key keeps a like-again from notifying twice."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    key = dedupe_key(recipient_id, kind, actor_id, note_id, comment_id)
    await repository.delete_unread(session, recipient_id, key)


_pruning_scheduled_for: str | None = None


async def _schedule_prune(session: AsyncSession, now: datetime) -> None:
    """Queue today's prune once per process (the date is the job's idempotency key, so other
    processes doing the same add nothing)."""
    global _pruning_scheduled_for
    today = now.date().isoformat()
    if _pruning_scheduled_for == today:
        return
    from redleaf.notifications.jobs import schedule_prune

    await schedule_prune(session, today)

    async def remember() -> None:
        global _pruning_scheduled_for
        _pruning_scheduled_for = today

    on_commit(session, remember)


def _parse_ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) >= 2**63:
            raise InvalidInput(
                "This is not a notification id: %(value)s",
                code="invalid_notification_id",
                field="ids",
                value=value[:30],
            )
        ids.append(int(value))
    return ids


def check_read_request(
    settings: Settings, ids: list[str], groups: list[str], everything: bool
) -> tuple[list[int], list[str]]:
    if not (ids or groups or everything):
        raise InvalidInput(
            "Say which notifications to mark as read: ids, groups or all.",
            code="nothing_to_mark",
        )
    limit = settings.notifications_read_max_items
    if len(ids) + len(groups) > limit:
        raise InvalidInput(
            "Mark at most %(max)s notifications or groups at once.",
            code="too_many",
            field="ids",
            max=limit,
        )
    for group in groups:
        if not group or len(group) > 80:
            raise InvalidInput(
                "This is not a notification group: %(value)s",
                code="invalid_notification_group",
                field="groups",
                value=group[:30],
            )
    return _parse_ids(ids), list(dict.fromkeys(groups))


async def do_mark_read(
    session: AsyncSession,
    runtime: Runtime,
    reader: Account,
    *,
    ids: list[str] | None = None,
    groups: list[str] | None = None,
    everything: bool = False,
) -> int:
    """Mark the reader's notifications read; other open pages of the reader hear of it."""
    parsed_ids, parsed_groups = check_read_request(
        runtime.settings, ids or [], groups or [], everything
    )
    changed = await repository.mark_read(
        session, reader.id, utcnow(), ids=parsed_ids, groups=parsed_groups, everything=everything
    )
    if changed:
        publish_on_commit(session, runtime.events, channel(reader.id), {"type": "read"})
    return changed


# --- reads --------------------------------------------------------------------------------------


async def get_unread(session: AsyncSession, reader: Account) -> dict[str, Any]:
    """`{"count", "by_kind"}`: one grouped COUNT over the unread rows the list would show. The
    count (the nav badge) includes unread moderation notices, which have a page of their own."""
    from redleaf.moderation import notices  # moderation imports notifications

    by_kind = await repository.unread_by_kind(session, reader.id)
    moderation = await notices.unread_count(session, reader)
    return {"count": sum(by_kind.values()) + moderation, "by_kind": by_kind}


def tab_counts(by_kind: dict[str, int]) -> dict[str, int]:
    return {
        tab: sum(n for kind, n in by_kind.items() if not kinds or kind in kinds)
        for tab, kinds in TABS.items()
    }


def check_tab(tab: str | None) -> str:
    if tab is None or tab == "":
        return "all"
    if tab not in TABS:
        raise InvalidInput(
            "Choose one of: all, likes, comments, follows.", code="invalid_tab", field="tab"
        )
    return tab


def _cursor_id(cursor: str | None) -> int | None:
    key = decode_cursor(cursor, 1)
    if key is None:
        return None
    value = key[0]
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 19:
        raise InvalidInput("This page link is not valid.", code="invalid_cursor", field="cursor")
    return int(value)


async def get_page(
    session: AsyncSession,
    reader: Account,
    *,
    tab: str = "all",
    cursor: str | None = None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of groups, newest first, and the cursor of the next page (or None)."""
    rows = await repository.group_rows(
        session, reader.id, kinds=TABS[check_tab(tab)], before=_cursor_id(cursor), limit=limit + 1
    )
    items = await _present(session, reader, rows[:limit])
    next_cursor = encode_cursor(str(rows[limit - 1].last_id)) if len(rows) > limit else None
    return items, next_cursor


async def get_groups(
    session: AsyncSession, reader: Account, keys: list[str]
) -> list[dict[str, Any]]:
    """The current state of some groups (those a live event touched), newest first."""
    rows = await repository.group_rows(session, reader.id, keys=keys, limit=max(1, len(keys)))
    return await _present(session, reader, rows)


async def get_since(
    session: AsyncSession, reader: Account, after_id: int, limit: int
) -> list[dict[str, Any]]:
    """Groups that changed after event `after_id`, oldest first (a stream that resumes)."""
    rows = await repository.group_rows(
        session, reader.id, after=after_id, limit=limit, oldest_first=True
    )
    return await _present(session, reader, rows)


# --- presentation --------------------------------------------------------------------------------


@dataclass
class _Subject:
    notification: Notification
    note: Note | None
    comment: Comment | None


def actor_out(account: Account) -> dict[str, str]:
    return {
        "id": str(account.id),
        "username": account.username,
        "display_name": account.display_name or account.username,
        "avatar_url": avatar.url(account),
    }


def _note_out(note: Note) -> dict[str, Any]:
    title = note.title or text.excerpt(note.body, 40)
    cover = note.cover if isinstance(note.cover, dict) else {}
    return {"id": str(note.id), "url": f"/notes/{note.id}", "title": title, "cover": cover}


def _url(kind: str, subject: _Subject, actors: list[Account], count: int, reader: Account) -> str:
    if kind == "follow":
        if count == 1 and actors:
            return f"/u/{actors[0].username}"
        return f"/u/{reader.username}/followers"
    row = subject.notification
    if row.note_id is None:
        return "/notifications"
    if row.comment_id is not None:
        return f"/notes/{row.note_id}#comment-{row.comment_id}"
    return f"/notes/{row.note_id}"


async def _present(
    session: AsyncSession, reader: Account, rows: list[repository.GroupRow]
) -> list[dict[str, Any]]:
    """Groups as the API and the page show them, in the reader's language (3 queries in all)."""
    if not rows:
        return []
    latest = await repository.latest_of(session, [row.last_id for row in rows])
    actors = await repository.recent_actors(
        session, reader.id, [row.key for row in rows], ACTORS_SHOWN
    )
    single_followers = [
        group[0].id
        for row in rows
        if row.key.startswith("follow:") and row.actors == 1 and (group := actors.get(row.key))
    ]
    followed = await repository.following_among(session, reader.id, single_followers)
    now = utcnow()
    items = []
    for row in rows:
        found = latest.get(row.last_id)
        if found is None:  # deleted between the two reads
            continue
        subject = _Subject(*found)
        people = actors.get(row.key, [])
        kind = subject.notification.kind
        line = text.parts(
            kind,
            subject.comment is not None,
            [(a.display_name, a.username) for a in people],
            row.actors,
        )
        created_at = subject.notification.created_at
        items.append(
            {
                "id": str(row.last_id),
                "group": row.key,
                "kind": kind,
                "unread": row.unread > 0,
                "count": row.actors,
                "actors": [actor_out(a) for a in people],
                "text": text.plain(line),
                "parts": line,
                "note": _note_out(subject.note) if subject.note is not None else None,
                "comment": (
                    {"id": str(subject.comment.id), "excerpt": text.excerpt(subject.comment.body)}
                    if subject.comment is not None
                    else None
                ),
                "url": _url(kind, subject, people, row.actors, reader),
                "follow_back": kind == "follow"
                and row.actors == 1
                and bool(people)
                and people[0].id not in followed,
                "created_at": created_at,
                "when": text.when(created_at, now),
            }
        )
    return items
