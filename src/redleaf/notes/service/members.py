"""What leaving takes with it. An account's rows go by ON DELETE CASCADE, but the counters their
likes, collects and comments fed on other members' notes must be taken back first, and the
files of their photos and videos deleted (by a job, after commit)."""

from __future__ import annotations

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.media import service as media_service
from redleaf.media.models import Media
from redleaf.notes import comments_repository, repository
from redleaf.notes.models import Collect, Comment, CommentLike, Like, Note, Place


async def do_forget_member(session: AsyncSession, account: Account) -> None:
    """Call before deleting `account`, in the same transaction."""
    member = account.id
    # Each like, collect and comment like is one row per member: one less each.
    await session.execute(
        update(Note)
        .where(Note.id.in_(select(Like.note_id).where(Like.account_id == member)))
        .values(like_count=Note.like_count - 1)
    )
    await session.execute(
        update(Note)
        .where(Note.id.in_(select(Collect.note_id).where(Collect.account_id == member)))
        .values(collect_count=Note.collect_count - 1)
    )
    await session.execute(
        update(Comment)
        .where(
            Comment.id.in_(select(CommentLike.comment_id).where(CommentLike.account_id == member))
        )
        .values(like_count=Comment.like_count - 1)
    )
    # Their replies under other people's comments.
    replies = await session.execute(
        select(Comment.parent_id, func.count())
        .where(Comment.author_id == member, Comment.parent_id.is_not(None))
        .group_by(Comment.parent_id)
    )
    for parent_id, count in replies.all():
        if parent_id is not None:
            await comments_repository.bump_comment(session, parent_id, reply_count=-count)
    # Comments that go: theirs, and every reply under their top-level comments.
    own_threads = select(Comment.id).where(Comment.author_id == member, Comment.parent_id.is_(None))
    vanishing = await session.execute(
        select(Comment.note_id, func.count())
        .where(or_(Comment.author_id == member, Comment.parent_id.in_(own_threads)))
        .group_by(Comment.note_id)
    )
    for note_id, count in vanishing.all():
        await repository.bump_note(session, note_id, comment_count=-count)
    # Other members' boards that held their notes.
    held = await session.execute(
        select(Collect.board_id, func.count())
        .where(
            Collect.note_id.in_(select(Note.id).where(Note.author_id == member)),
            Collect.board_id.is_not(None),
        )
        .group_by(Collect.board_id)
    )
    for board_id, count in held.all():
        await repository.bump_board(session, board_id, -count)
    # Places their published notes counted.
    await session.execute(
        update(Place)
        .where(
            Place.id.in_(
                select(Note.place_id).where(Note.author_id == member, Note.state == "published")
            )
        )
        .values(
            note_count=Place.note_count
            - select(func.count())
            .where(
                Note.author_id == member,
                Note.state == "published",
                Note.place_id == Place.id,
            )
            .scalar_subquery()
        )
    )
    media = list(await session.scalars(select(Media).where(Media.owner_id == member)))
    await media_service.do_discard(session, media)
