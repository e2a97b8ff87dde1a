"""All SQL of notes: the notes themselves, what hangs off them, and the visibility rule as SQL.

Counters move by one atomic `UPDATE ... SET n = n + delta` in the same transaction as the row
that justifies them (a like, a collect, a comment), so concurrent likes never lose a count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account, Block, Follow, Mute
from redleaf.kit.db import insert_ignore, new_id, utcnow
from redleaf.media.models import Media
from redleaf.notes import withheld
from redleaf.notes.models import (
    Board,
    Collect,
    Like,
    Note,
    NoteMention,
    NoteTag,
    NoteView,
    Place,
)

# --- visibility ----------------------------------------------------------------------------------


def blocked_either_way(
    viewer_id: int | BindParameter[int], author_column: Any
) -> ColumnElement[bool]:
    return or_(
        exists().where(Block.blocker_id == author_column, Block.blocked_id == viewer_id),
        exists().where(Block.blocker_id == viewer_id, Block.blocked_id == author_column),
    )


def visible_notes(viewer_id: int | None) -> ColumnElement[bool]:
    """The notes `viewer_id` may see (the same rule as access.can_see, as SQL), in the reader's
    locale (a note withheld there shows to its author only)."""
    shown = and_(
        Note.state == "published",
        Note.moderation_state == "visible",
        withheld.readable(Note.withheld_in),
    )
    if viewer_id is None:
        return and_(shown, Note.visibility == "public")
    follows = exists().where(Follow.follower_id == viewer_id, Follow.followee_id == Note.author_id)
    audience = or_(Note.visibility == "public", and_(Note.visibility == "followers", follows))
    return or_(
        Note.author_id == viewer_id,
        and_(shown, audience, ~blocked_either_way(viewer_id, Note.author_id)),
    )


def not_muted(viewer_id: int | None) -> ColumnElement[bool]:
    if viewer_id is None:
        return ~false()
    return ~exists().where(Mute.muter_id == viewer_id, Mute.muted_id == Note.author_id)


def after_cursor(column: Any, cursor: list[Any] | None) -> ColumnElement[bool]:
    """Rows after (time, id) in a newest-first listing."""
    if cursor is None:
        return ~false()
    moment, last_id = datetime.fromisoformat(cursor[0]), int(cursor[1])
    return or_(column < moment, and_(column == moment, Note.id < last_id))


# --- notes ---------------------------------------------------------------------------------------


class Author(NamedTuple):
    """What a card shows of a note's author. List queries select just these columns: loading
    whole Account rows (JSON columns, password hash and all) cost 0.5 ms of a 20-note page."""

    id: int
    username: str
    display_name: str


_AUTHOR_COLUMNS = (Account.id, Account.username, Account.display_name)


# Built once: every note page and note API call runs it, and building and keying a statement
# costs about as much as SQLite answering it. The author comes as the few columns a page shows.
_NOTE_BY_ID = (
    select(Note, *_AUTHOR_COLUMNS, Place)
    .outerjoin(Account, Account.id == Note.author_id)
    .outerjoin(Place, Place.id == Note.place_id)
    .where(Note.id == bindparam("note_id"))
)


async def note_by_id(session: AsyncSession, note_id: int) -> Note | None:
    """The note, with its author and place brought along: whoever reads a note shows them
    next, and `people_by_ids` and `places_by_ids` then find them without a query."""
    row = (await session.execute(_NOTE_BY_ID, {"note_id": note_id})).first()
    if row is None:
        return None
    if row[1] is not None:
        remember_people(session, [Author(row[1], row[2], row[3])])
    _remember(session, _PLACES, [row[4]])
    return row[0]


async def is_following(session: AsyncSession, follower_id: int, followee_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
            )
        )
    )


async def count_drafts(session: AsyncSession, author_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(Note.author_id == author_id, Note.state == "draft")
        )
        or 0
    )


async def list_notes(
    session: AsyncSession,
    where: list[ColumnElement[bool]],
    cursor: list[Any] | None,
    limit: int,
    order_column: Any = None,
) -> list[tuple[Note, Author]]:
    """A page of notes with their authors, in one query (a list page's main cost)."""
    column = order_column if order_column is not None else Note.published_at
    query = (
        select(Note, *_AUTHOR_COLUMNS)
        .join(Account, Account.id == Note.author_id)
        .where(*where, after_cursor(column, cursor))
        .order_by(column.desc(), Note.id.desc())
        .limit(limit)
    )
    return [(row[0], Author(*row[1:])) for row in (await session.execute(query)).all()]


async def collected_notes(
    session: AsyncSession,
    viewer_id: int | None,
    owner_id: int,
    board_id: int | None,
    cursor: list[Any] | None,
    limit: int,
) -> list[tuple[Note, Author, datetime]]:
    """Notes `owner_id` collected (into `board_id` when given), newest collect first, that the
    viewer may see."""
    where = [Collect.account_id == owner_id, visible_notes(viewer_id)]
    if board_id is not None:
        where.append(Collect.board_id == board_id)
    if cursor is not None:
        moment, last_id = datetime.fromisoformat(cursor[0]), int(cursor[1])
        where.append(
            or_(
                Collect.created_at < moment,
                and_(Collect.created_at == moment, Collect.note_id < last_id),
            )
        )
    query = (
        select(Note, *_AUTHOR_COLUMNS, Collect.created_at)
        .join(Collect, Collect.note_id == Note.id)
        .join(Account, Account.id == Note.author_id)
        .where(*where)
        .order_by(Collect.created_at.desc(), Collect.note_id.desc())
        .limit(limit)
    )
    return [
        (row[0], Author(row[1], row[2], row[3]), row[4])
        for row in (await session.execute(query)).all()
    ]


# Rows a query brought along, kept for the look-ups that would otherwise ask for them again (the
# identity map holds rows only weakly: they would be gone by the time the presenter asks).
_ACCOUNTS = "notes.accounts"
_PLACES = "notes.places"
_PEOPLE = "notes.people"


def _remember(session: AsyncSession, kind: str, rows: list[Any]) -> None:
    seen: dict[int, Any] = session.info.setdefault(kind, {})
    for row in rows:
        if row is not None:
            seen[row.id] = row


def remember_people(session: AsyncSession, people: list[Author | None]) -> None:
    """Keep the few columns of members a query brought along (comments' authors) for
    `people_by_ids`: plain tuples, so unlike rows they never expire."""
    _remember(session, _PEOPLE, list(people))


def _known(session: AsyncSession, kind: str, ids: set[int]) -> tuple[dict[int, Any], set[int]]:
    """The rows of `ids` this request already holds, and the ids still to ask for."""
    seen: dict[int, Any] = session.info.get(kind, {})
    found: dict[int, Any] = {}
    missing: set[int] = set()
    for key in ids:
        row = seen.get(key)
        # After a rollback rows are expired, and an async session cannot reload them lazily.
        state = inspect(row) if row is not None else None
        if state is None or state.expired or state.expired_attributes:
            missing.add(key)
        else:
            found[key] = row
    return found, missing


async def accounts_by_ids(session: AsyncSession, ids: set[int]) -> dict[int, Account]:
    """Accounts by id; those the request already loaded (the note's author came with the note,
    commenters with their comments) cost no query."""
    found, missing = _known(session, _ACCOUNTS, ids)
    if missing:
        rows = await session.scalars(select(Account).where(Account.id.in_(missing)))
        found.update((account.id, account) for account in rows)
    return found


async def people_by_ids(session: AsyncSession, ids: set[int]) -> dict[int, Account | Author]:
    """What a page shows of these members (`person_out`): from a query that brought them
    along when there was one, else their accounts."""
    seen: dict[int, Author] = session.info.get(_PEOPLE, {})
    found: dict[int, Account | Author] = {key: seen[key] for key in ids if key in seen}
    if len(found) < len(ids):
        found.update(await accounts_by_ids(session, ids - found.keys()))
    return found


async def media_of_notes(session: AsyncSession, note_ids: list[int]) -> dict[int, list[Media]]:
    found: dict[int, list[Media]] = defaultdict(list)
    if note_ids:
        rows = await session.scalars(
            select(Media).where(Media.note_id.in_(note_ids)).order_by(Media.position)
        )
        for media in rows:
            found[media.note_id].append(media)  # type: ignore[index]
    return found


async def places_by_ids(session: AsyncSession, ids: set[int]) -> dict[int, Place]:
    found, missing = _known(session, _PLACES, ids)
    if not missing:
        return found
    rows = await session.scalars(select(Place).where(Place.id.in_(missing)))
    found.update((place.id, place) for place in rows)
    return found


async def mentions_of(session: AsyncSession, note_ids: list[int]) -> dict[int, list[Account]]:
    found: dict[int, list[Account]] = defaultdict(list)
    if note_ids:
        rows = await session.execute(
            select(NoteMention.note_id, Account)
            .join(Account, Account.id == NoteMention.account_id)
            .where(NoteMention.note_id.in_(note_ids))
        )
        for note_id, account in rows.all():
            found[note_id].append(account)
    return found


async def hides_any(session: AsyncSession, viewer_id: int, author_ids: set[int]) -> bool:
    """Whether the viewer blocked, was blocked by, or muted any of these authors: a shared list
    of their notes cannot be shown to the viewer as it is."""
    if not author_ids:
        return False
    hidden = or_(
        exists().where(Block.blocker_id == viewer_id, Block.blocked_id.in_(author_ids)),
        exists().where(Block.blocked_id == viewer_id, Block.blocker_id.in_(author_ids)),
        exists().where(Mute.muter_id == viewer_id, Mute.muted_id.in_(author_ids)),
    )
    return bool(await session.scalar(select(hidden)))


async def viewer_state(
    session: AsyncSession, viewer_id: int, note_ids: list[int]
) -> tuple[set[int], dict[int, int | None]]:
    """Which of these notes the viewer liked, and which they collected (into which board)."""
    if not note_ids:
        return set(), {}
    liked = set(
        await session.scalars(
            select(Like.note_id).where(Like.account_id == viewer_id, Like.note_id.in_(note_ids))
        )
    )
    collected = {
        note_id: board_id
        for note_id, board_id in (
            await session.execute(
                select(Collect.note_id, Collect.board_id).where(
                    Collect.account_id == viewer_id, Collect.note_id.in_(note_ids)
                )
            )
        ).all()
    }
    return liked, collected


async def place_for(
    session: AsyncSession,
    key: str,
    name_en: str,
    name_zh: str,
    lat: float | None,
    lon: float | None,
) -> Place:
    place = await session.scalar(select(Place).where(Place.key == key))
    if place is None:
        await session.execute(
            insert_ignore(
                session,
                Place,
                id=new_id(),
                key=key,
                name_en=name_en,
                name_zh=name_zh,
                lat=lat,
                lon=lon,
                note_count=0,
                created_at=utcnow(),
            )
        )
        place = await session.scalar(select(Place).where(Place.key == key))
    assert place is not None
    return place


async def bump_place(session: AsyncSession, place_id: int | None, delta: int) -> None:
    if place_id is not None:
        await session.execute(
            update(Place).where(Place.id == place_id).values(note_count=Place.note_count + delta)
        )


async def set_tags(session: AsyncSession, note_id: int, tags: list[str]) -> None:
    await session.execute(delete(NoteTag).where(NoteTag.note_id == note_id))
    for tag in tags:
        session.add(NoteTag(note_id=note_id, tag=tag))


async def set_mentions(session: AsyncSession, note_id: int, account_ids: list[int]) -> list[int]:
    """Replace the note's mentions; return the accounts mentioned for the first time."""
    before = set(
        await session.scalars(select(NoteMention.account_id).where(NoteMention.note_id == note_id))
    )
    await session.execute(delete(NoteMention).where(NoteMention.note_id == note_id))
    for account_id in account_ids:
        session.add(NoteMention(note_id=note_id, account_id=account_id))
    return [account_id for account_id in account_ids if account_id not in before]


async def mentionable(session: AsyncSession, author_id: int, usernames: list[str]) -> list[int]:
    """The accounts named in `usernames` (in that order) that `author_id` may mention: not
    themselves, and no block between them either way."""
    if not usernames:
        return []
    rows = await session.execute(
        select(Account.username, Account.id).where(
            Account.username.in_(usernames),
            Account.id != author_id,
            ~blocked_either_way(author_id, Account.id),
        )
    )
    found = dict(rows.tuples().all())
    return [found[name] for name in usernames if name in found]


async def accounts_by_usernames(session: AsyncSession, usernames: list[str]) -> list[Account]:
    if not usernames:
        return []
    rows = await session.scalars(select(Account).where(Account.username.in_(usernames)))
    by_name = {account.username: account for account in rows}
    return [by_name[name] for name in usernames if name in by_name]


async def bump_note(session: AsyncSession, note_id: int, **deltas: int) -> None:
    """Atomically add to the note's counters: `bump_note(s, id, like_count=1)`."""
    values = {name: getattr(Note, name) + delta for name, delta in deltas.items()}
    await session.execute(update(Note).where(Note.id == note_id).values(**values))


# --- likes, collects, views ----------------------------------------------------------------------


async def add_like(session: AsyncSession, account_id: int, note_id: int) -> bool:
    new = await session.scalar(
        insert_ignore(
            session, Like, account_id=account_id, note_id=note_id, created_at=utcnow()
        ).returning(Like.note_id)
    )
    return new is not None


async def remove_like(session: AsyncSession, account_id: int, note_id: int) -> bool:
    result = await session.execute(
        delete(Like).where(Like.account_id == account_id, Like.note_id == note_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def collect_of(session: AsyncSession, account_id: int, note_id: int) -> Collect | None:
    return await session.get(Collect, (account_id, note_id))


async def add_collect(
    session: AsyncSession, account_id: int, note_id: int, board_id: int | None
) -> bool:
    new = await session.scalar(
        insert_ignore(
            session,
            Collect,
            account_id=account_id,
            note_id=note_id,
            board_id=board_id,
            created_at=utcnow(),
        ).returning(Collect.note_id)
    )
    return new is not None


async def remove_collect(
    session: AsyncSession, account_id: int, note_id: int
) -> tuple[bool, int | None]:
    """Delete the collect: (whether there was one, the board it was in)."""
    row = (
        await session.execute(
            delete(Collect)
            .where(Collect.account_id == account_id, Collect.note_id == note_id)
            .returning(Collect.board_id)
        )
    ).first()
    return (row is not None, row[0] if row is not None else None)


async def bump_board(session: AsyncSession, board_id: int | None, delta: int) -> None:
    if board_id is not None:
        await session.execute(
            update(Board).where(Board.id == board_id).values(note_count=Board.note_count + delta)
        )


async def add_view(session: AsyncSession, note_id: int, viewer: str, day: str) -> bool:
    new = await session.scalar(
        insert_ignore(session, NoteView, note_id=note_id, viewer=viewer, day=day).returning(
            NoteView.note_id
        )
    )
    return new is not None


async def prune_views(session: AsyncSession, before_day: str) -> int:
    result = await session.execute(delete(NoteView).where(NoteView.day < before_day))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def board_covers(
    session: AsyncSession, viewer_id: int | None, board_ids: list[int], per_board: int = 4
) -> dict[int, list[dict[str, Any]]]:
    """Up to `per_board` covers of the latest notes in each board that the viewer may see."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not board_ids:
        return found
    rank = (
        func.row_number()
        .over(partition_by=Collect.board_id, order_by=Collect.created_at.desc())
        .label("rank")
    )
    inner = (
        select(Collect.board_id, Note.cover, Note.text_style, Note.title, rank)
        .join(Note, Note.id == Collect.note_id)
        .where(Collect.board_id.in_(board_ids), visible_notes(viewer_id))
        .subquery()
    )
    rows = await session.execute(
        select(inner.c.board_id, inner.c.cover, inner.c.text_style, inner.c.title).where(
            inner.c.rank <= per_board
        )
    )
    for board_id, cover, text_style, title in rows.all():
        found[board_id].append(dict(cover or {}) or {"text": title, "text_style": text_style})
    return found


async def mentioned_ids(session: AsyncSession, note_id: int) -> list[int]:
    return list(
        await session.scalars(select(NoteMention.account_id).where(NoteMention.note_id == note_id))
    )


async def forget_note_in_boards(session: AsyncSession, note_id: int) -> None:
    """Before a note is deleted: the boards that held it count one note fewer."""
    rows = await session.execute(
        select(Collect.board_id).where(Collect.note_id == note_id, Collect.board_id.is_not(None))
    )
    for (board_id,) in rows.all():
        await bump_board(session, board_id, -1)
