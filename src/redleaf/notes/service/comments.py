"""Comments with one level of replies, and their likes.

A reply to a reply attaches to the same top-level comment and names the member it answers, as
RedNote shows it ("Reply to @mei: ..."). Deleting a top-level comment deletes its replies.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.errors import Forbidden, InvalidInput
from redleaf.kit.pagination import decode_cursor, encode_cursor
from redleaf.kit.runtime import Runtime
from redleaf.moderation import screening
from redleaf.notes import access, comments_repository, repository, text
from redleaf.notes.models import Comment, Note
from redleaf.notes.service.present import person_out
from redleaf.notifications import service as notifications
from redleaf.settings import Settings
from redleaf.translation.detect import detect, stored_spans

REPLIES_SHOWN = 3  # replies shown under each comment before "show more"


def check_comment_body(settings: Settings, body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidInput("Write something first.", code="empty_comment", field="body")
    if len(body) > settings.comment_max_length:
        raise InvalidInput(
            "A comment can be at most %(max)s characters.",
            code="comment_too_long",
            field="body",
            max=settings.comment_max_length,
        )
    return body


async def do_comment(
    session: AsyncSession,
    runtime: Runtime,
    viewer: Account,
    note: Note,
    body: str,
    reply_to: object | None = None,
) -> Comment:
    body = check_comment_body(runtime.settings, body)
    verdict = await screening.check(session, runtime, viewer, "comment", body)  # may ask to edit
    parent: Comment | None = None
    answered: Comment | None = None
    if reply_to is not None:
        answered, _note = await access.load_comment(session, viewer, reply_to)
        if answered.note_id != note.id:
            raise InvalidInput(
                "That comment belongs to another note.", code="invalid_reply", field="reply_to"
            )
        parent = answered
        if answered.parent_id is not None:
            parent = await session.get(Comment, answered.parent_id)
    comment = Comment(
        note_id=note.id,
        author_id=viewer.id,
        parent_id=parent.id if parent else None,
        reply_to_account_id=answered.author_id
        if answered is not None and answered.parent_id is not None
        else None,
        body=body,
    )
    found = detect(body)
    comment.lang, comment.lang_spans = found.lang, stored_spans(found)
    session.add(comment)
    await session.flush()
    hidden = await screening.after_store(
        session, runtime, viewer, verdict, target_type="comment", target_id=comment.id, text=body
    )
    if hidden is not None:
        comment.moderation_state = hidden
    await repository.bump_note(session, note.id, comment_count=1)
    if parent is not None:
        await comments_repository.bump_comment(session, parent.id, reply_count=1)
    await _notify_comment(session, runtime, viewer, note, comment, answered)
    return comment


async def _notify_comment(
    session: AsyncSession,
    runtime: Runtime,
    viewer: Account,
    note: Note,
    comment: Comment,
    answered: Comment | None,
) -> None:
    told: set[int] = {viewer.id}
    if answered is not None and answered.author_id not in told:
        await notifications.do_notify(
            session,
            runtime,
            recipient_id=answered.author_id,
            kind="reply",
            actor_id=viewer.id,
            note_id=note.id,
            comment_id=comment.id,
        )
        told.add(answered.author_id)
    if note.author_id not in told:
        await notifications.do_notify(
            session,
            runtime,
            recipient_id=note.author_id,
            kind="comment",
            actor_id=viewer.id,
            note_id=note.id,
            comment_id=comment.id,
        )
        told.add(note.author_id)
    names = text.mentions(comment.body)[: runtime.settings.note_mentions_max]
    for account in await repository.accounts_by_usernames(session, names):
        if account.id not in told:
            await notifications.do_notify(
                session,
                runtime,
                recipient_id=account.id,
                kind="mention",
                actor_id=viewer.id,
                note_id=note.id,
                comment_id=comment.id,
            )
            told.add(account.id)


def can_delete(viewer: Account | None, comment: Comment, note: Note) -> bool:
    return viewer is not None and viewer.id in (comment.author_id, note.author_id)


async def do_delete_comment(
    session: AsyncSession, runtime: Runtime, viewer: Account, comment: Comment, note: Note
) -> None:
    if not can_delete(viewer, comment, note):
        raise Forbidden("Only its author or the note's author can delete a comment.")
    removed = 1 + (comment.reply_count if comment.parent_id is None else 0)
    if comment.parent_id is not None:
        await comments_repository.bump_comment(session, comment.parent_id, reply_count=-1)
    await repository.bump_note(session, note.id, comment_count=-removed)
    await session.delete(comment)
    await session.flush()


async def do_like_comment(
    session: AsyncSession, runtime: Runtime, viewer: Account, comment: Comment
) -> None:
    if await comments_repository.add_comment_like(session, viewer.id, comment.id):
        await comments_repository.bump_comment(session, comment.id, like_count=1)
        await notifications.do_notify(
            session,
            runtime,
            recipient_id=comment.author_id,
            kind="comment_like",
            actor_id=viewer.id,
            note_id=comment.note_id,
            comment_id=comment.id,
        )


async def do_unlike_comment(
    session: AsyncSession, runtime: Runtime, viewer: Account, comment: Comment
) -> None:
    if await comments_repository.remove_comment_like(session, viewer.id, comment.id):
        await comments_repository.bump_comment(session, comment.id, like_count=-1)
        await notifications.do_withdraw(
            session,
            recipient_id=comment.author_id,
            kind="comment_like",
            actor_id=viewer.id,
            note_id=comment.note_id,
            comment_id=comment.id,
        )


# --- reads ---------------------------------------------------------------------------------------


async def comments_out(
    session: AsyncSession, viewer: Account | None, note: Note, comments: list[Comment]
) -> list[dict[str, Any]]:
    ids = [c.id for c in comments]
    people = await repository.people_by_ids(
        session,
        {c.author_id for c in comments}
        | {c.reply_to_account_id for c in comments if c.reply_to_account_id is not None},
    )
    liked = await comments_repository.liked_comments(session, viewer.id, ids) if viewer else set()
    out: list[dict[str, Any]] = []
    for comment in comments:
        answered = people.get(comment.reply_to_account_id) if comment.reply_to_account_id else None
        out.append(
            {
                "id": str(comment.id),
                "note_id": str(comment.note_id),
                "parent_id": str(comment.parent_id) if comment.parent_id else None,
                "author": person_out(people[comment.author_id]),
                "body": comment.body,
                "lang": comment.lang,
                "created_at": comment.created_at,
                "counts": {"likes": comment.like_count, "replies": comment.reply_count},
                "viewer": None
                if viewer is None
                else {
                    "liked": comment.id in liked,
                    "can_delete": can_delete(viewer, comment, note),
                },
                "reply_to": {
                    "username": answered.username,
                    "display_name": answered.display_name or answered.username,
                }
                if answered is not None
                else None,
                "replies": [],
            }
        )
    return out


async def comments_page(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    note: Note,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """Top-level comments, newest first, each with its first replies (oldest first)."""
    after = decode_cursor(cursor, 1)
    viewer_id = viewer.id if viewer else None
    rows = await comments_repository.top_level(
        session, note.id, viewer_id, int(after[0]) if after else None, limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    first_replies = await comments_repository.first_replies(
        session, [c.id for c in rows if c.reply_count], viewer_id, REPLIES_SHOWN
    )
    # One pass over the comments and all their shown replies: the viewer's likes in one query.
    shown = [reply for comment in rows for reply in first_replies.get(comment.id, [])]
    presented = await comments_out(session, viewer, note, rows + shown)
    items, by_parent = presented[: len(rows)], presented[len(rows) :]
    for item, comment in zip(items, rows, strict=True):
        count = len(first_replies.get(comment.id, []))
        item["replies"], by_parent = by_parent[:count], by_parent[count:]
    return items, encode_cursor(str(rows[-1].id)) if more and rows else None


async def replies_page(
    session: AsyncSession,
    viewer: Account | None,
    parent: Comment,
    note: Note,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    after = decode_cursor(cursor, 1)
    rows = await comments_repository.replies(
        session,
        parent.id,
        viewer.id if viewer else None,
        int(after[0]) if after else None,
        limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = await comments_out(session, viewer, note, rows)
    return items, encode_cursor(str(rows[-1].id)) if more and rows else None
