"""A generated community for read-path benchmarks: members, notes (text and photo notes with
their media rows), tags, places, likes, comments and replies, bulk-inserted straight into a
migrated database.

The rows are what the services would have written (states, counters, covers), made in bulk
because going through the API would take longer than the benchmark itself.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text

from redleaf.accounts.models import Account
from redleaf.kit.db import make_engine, new_id
from redleaf.media.models import Media
from redleaf.notes.models import Comment, Like, Note, NoteTag, Place

TOPICS = {
    "travel": ("Weekend in {city}", "{city}周末攻略", ["travel", "旅行", "citywalk"]),
    "food": ("Best {dish} in {city}", "{city}最好吃的{dish_zh}", ["food", "美食", "探店"]),
    "skincare": ("My night routine", "我的晚间护肤", ["skincare", "护肤", "种草"]),
    "fashion": ("OOTD in {city}", "今天的穿搭 {city}", ["ootd", "穿搭"]),
}
CITIES = [("Chengdu", "成都"), ("Kyoto", "京都"), ("Lisbon", "里斯本"), ("Dali", "大理")]
COORDINATES = [(30.657, 104.066), (35.011, 135.768), (38.722, -9.139), (25.606, 100.267)]
COMMENTS = ["Looks amazing!", "太好看了", "Where is this?", "求地址", "Saved for my trip #travel"]
DISHES = [("hotpot", "火锅"), ("dumplings", "小笼包"), ("noodles", "面"), ("brunch", "早午餐")]
COLOURS = ["#e8c4a8", "#a8c8e8", "#c8e8a8", "#e8a8c4", "#d4c4f0", "#f0e0b0"]


def _place_rows(now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": new_id(),
            "key": f"bench:{city.lower()}",
            "name_en": city,
            "name_zh": city_zh,
            "lat": lat,
            "lon": lon,
            "note_count": 0,
            "created_at": now,
        }
        for (city, city_zh), (lat, lon) in zip(CITIES, COORDINATES, strict=True)
    ]


def _note_rows(
    rng: random.Random,
    author_ids: list[int],
    places: list[dict[str, Any]],
    count: int,
    now: datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    notes, media, tags = [], [], []
    for i in range(count):
        topic = rng.choice(list(TOPICS))
        title_en, title_zh, topic_tags = TOPICS[topic]
        city_index = rng.randrange(len(CITIES))
        city, city_zh = CITIES[city_index]
        place = places[city_index] if i % 3 == 0 else None
        if place is not None:
            place["note_count"] += 1
        dish, dish_zh = rng.choice(DISHES)
        chinese = i % 2 == 0
        title = (title_zh if chinese else title_en).format(
            city=city_zh if chinese else city, dish=dish, dish_zh=dish_zh
        )
        body = (
            ("今天去了{c}，推荐给大家！" if chinese else "Spent the day in {c}, loved it!").format(
                c=city_zh if chinese else city
            )
            + " "
            + " ".join(f"#{t}" for t in topic_tags)
        )
        note_id = new_id()
        published = now - timedelta(seconds=rng.randint(0, 30 * 86400))
        photos = 0 if i % 5 == 0 else rng.randint(1, 4)
        width, height = rng.choice([(1080, 1440), (1080, 1080), (1080, 810)])
        colour = rng.choice(COLOURS)
        cover: dict[str, Any] = {}
        for position in range(photos):
            media_id = new_id()
            token = f"{media_id:x}"
            renditions = {
                str(w): {
                    "key": f"bench/{token}/{w}.webp",
                    "width": w,
                    "height": height * w // width,
                }
                for w in (360, 720, 1080)
            }
            media.append(
                {
                    "id": media_id,
                    "owner_id": 0,
                    "kind": "image",
                    "state": "ready",
                    "format": "jpeg",
                    "width": width,
                    "height": height,
                    "placeholder_color": colour,
                    "renditions": renditions,
                    "note_id": note_id,
                    "position": position,
                    "created_at": published,
                    "updated_at": published,
                    "original_size": 0,
                }
            )
            if position == 0:
                cover = {
                    "url": f"/media/bench/{token}/720.webp",
                    "width": 720,
                    "height": height * 720 // width,
                    "color": colour,
                    "video": False,
                }
        author = rng.choice(author_ids)
        for row in media[len(media) - photos :]:
            row["owner_id"] = author
        notes.append(
            {
                "id": note_id,
                "author_id": author,
                "kind": "image" if photos else "text",
                "title": title[:40],
                "body": body,
                "lang": "zh" if chinese else "en",
                "tags": topic_tags,
                "visibility": "public",
                "state": "published",
                "moderation_state": "visible",
                "cover": cover,
                "text_style": i % 6,
                "like_count": 0,
                "collect_count": 0,
                "comment_count": 0,
                "view_count": 0,
                "created_at": published,
                "updated_at": published,
                "published_at": published,
                "error_code": None,
                "place_id": place["id"] if place is not None else None,
                "edited_at": None,
            }
        )
        tags.extend({"note_id": note_id, "tag": t} for t in topic_tags)
    return notes, media, tags


async def fill(
    database_url: str, *, members: int = 500, notes: int = 10_000, seed: int = 7
) -> list[int]:
    """Insert the community; return the note ids."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    engine = make_engine(database_url)
    author_ids = [new_id() for _ in range(members)]
    accounts = [
        {
            "id": account_id,
            "username": f"bench{i}",
            "display_name": f"Bench {i}",
            "password_hash": "!",
            "ui_language": "en",
            "languages": [],
            "interests": [],
            "role": "member",
            "state": "active",
            "created_at": now,
            "updated_at": now,
            "password_changed_at": now,
            "failed_logins": 0,
            "bio": "",
        }
        for i, account_id in enumerate(author_ids)
    ]
    place_rows = _place_rows(now)
    note_rows, media_rows, tag_rows = _note_rows(rng, author_ids, place_rows, notes, now)
    like_rows: list[dict[str, Any]] = []
    comment_rows: list[dict[str, Any]] = []
    moment = now - timedelta(days=1)
    for row in note_rows[: notes // 4]:
        likers = rng.sample(author_ids, rng.randint(1, 20))
        like_rows.extend({"account_id": a, "note_id": row["id"], "created_at": now} for a in likers)
        row["like_count"] = len(likers)
        for _ in range(rng.randint(0, 6)):
            moment += timedelta(milliseconds=1)
            top = _comment(rng, author_ids, row["id"], moment)
            comment_rows.append(top)
            row["comment_count"] += 1
            # A third of the comments get replies: the note page shows up to three under each.
            for _ in range(rng.randint(1, 5) if rng.random() < 1 / 3 else 0):
                moment += timedelta(milliseconds=1)
                reply = _comment(rng, author_ids, row["id"], moment)
                reply["parent_id"] = top["id"]
                if rng.random() < 0.5:
                    reply["reply_to_account_id"] = rng.choice(author_ids)
                comment_rows.append(reply)
                top["reply_count"] += 1
                row["comment_count"] += 1
    try:
        async with engine.begin() as connection:
            for table, rows in (
                (Account, accounts),
                (Place, place_rows),
                (Note, note_rows),
                (Media, media_rows),
                (NoteTag, tag_rows),
                (Like, like_rows),
                (Comment, comment_rows),
            ):
                for start in range(0, len(rows), 2000):
                    await connection.execute(insert(table), rows[start : start + 2000])
        if engine.dialect.name == "postgresql":
            # Statistics, as autovacuum would gather them on a live database: a bulk-loaded
            # table without them can get a poor plan for the first minute of the benchmark.
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
    return [row["id"] for row in note_rows]


def _comment(
    rng: random.Random, author_ids: list[int], note_id: int, moment: datetime
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "note_id": note_id,
        "author_id": rng.choice(author_ids),
        "body": rng.choice(COMMENTS),
        "lang": "und",
        "moderation_state": "visible",
        "like_count": rng.choice([0, 0, 0, 1, 2, 5]),
        "reply_count": 0,
        "created_at": moment,
        "parent_id": None,
        "reply_to_account_id": None,
    }


if __name__ == "__main__":  # pragma: no cover - a manual helper
    import sys

    print(len(asyncio.run(fill(sys.argv[1]))))
