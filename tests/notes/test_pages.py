"""The note pages, driven as a browser without JavaScript drives them: the Explore grid, the note
page (text, photo and video notes), the composer and editor, boards, profile tabs, and every
form (like, collect, comment, reply, delete, post a text note) with its CSRF token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.media.models import Media
from redleaf.notes import service
from redleaf.notes.models import Board, Note
from redleaf.notes.pages.common import GRID_PAGE, compact_count, rich_text
from tests.accounts.factories import make_account
from tests.accounts.test_pages import ZH, _member, assert_no_inline_code, csrf_of
from tests.notes.factories import make_note

# --- helpers -------------------------------------------------------------------------------------


async def ready_media(
    runtime: Runtime, owner: Account, kind: str = "image", width: int = 1080, height: int = 1440
) -> str:
    """A processed photo or video as the media pipeline leaves it: ready, with renditions."""
    stem = f"test/{owner.id}-{kind}-{width}x{height}"
    renditions: dict[str, Any] = {}
    for label in ("360", "720", "1080"):
        scale = int(label) / width
        renditions[label] = {
            "key": f"{stem}-{label}.webp",
            "width": int(label),
            "height": round(height * scale),
        }
    if kind == "video":
        renditions["poster"] = {"key": f"{stem}-poster.jpg", "width": width, "height": height}
        renditions["video"] = {"key": f"{stem}.mp4", "width": width, "height": height}
    async with runtime.sessions() as session:
        media = Media(
            owner_id=owner.id,
            kind=kind,
            state="ready",
            format="jpeg" if kind == "image" else "mp4",
            width=width,
            height=height,
            duration_ms=4000 if kind == "video" else None,
            placeholder_color="#a1b2c3",
            renditions=renditions,
        )
        session.add(media)
        await commit(session)
        return str(media.id)


async def member_named(client: httpx.AsyncClient, runtime: Runtime, name: str) -> Account:
    """A signed-up, onboarded member logged in on `client`."""
    await _member(client, runtime, name)
    async with runtime.sessions() as session:
        from redleaf.accounts import repository

        account = await repository.by_username(session, name)
        assert account is not None
        return account


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, data: dict[str, Any]
) -> httpx.Response:
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text[:300]
    return await client.post(action, data={"csrf_token": csrf_of(opened.text), **data})


async def reload(runtime: Runtime, note: Note) -> Note:
    async with runtime.sessions() as session:
        found = await session.get(Note, note.id)
        assert found is not None
        return found


# --- Explore -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
async def test_explore_grid_for_visitors_in_both_languages(
    client: httpx.AsyncClient, runtime: Runtime, lang: str
) -> None:
    author = await make_account(runtime, "mei")
    await make_note(runtime, author, title="Text only", body="Just words", text_style=3)
    photo = await ready_media(runtime, author, width=1000, height=3000)  # very tall: clamped
    await make_note(runtime, author, title="Photo note", media_ids=[photo])
    video = await ready_media(runtime, author, "video", 1920, 1080)
    await make_note(runtime, author, title="Video note", media_ids=[video])
    await make_note(runtime, author, title="Secret", visibility="private")
    client.cookies.set("redleaf_lang", lang)

    page = await client.get("/")
    assert page.status_code == 200
    html = page.text
    assert (">发现<" if lang == "zh-Hans" else ">Explore<") in html
    assert ("发现和分享生活里的美好" if lang == "zh-Hans" else "Discover and share") in html
    for title in ("Text only", "Photo note", "Video note"):
        assert title in html
    assert "Secret" not in html
    assert 'class="note-card-text text-style-3"' in html
    # A 1:3 photo keeps at most a 3:4 box; the colour waits in data-color for grid.js.
    assert 'width="600" height="800"' in html and 'data-color="#a1b2c3"' in html
    assert html.count('class="note-card-play"') == 2  # the video card, and the template's
    assert 'id="note-card-template"' in html and 'data-feed="/api/v1/feeds/explore"' in html
    assert "js/grid.js" in html and "redleaf-notes-kit" in html
    assert_no_inline_code(html)


async def test_explore_pages_with_a_cursor_and_channels(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "lin")
    for n in range(GRID_PAGE + 1):
        await make_note(runtime, author, title=f"Note number {n:02d}", body="plain")
    await make_note(runtime, author, title="Hotpot night", body="spicy #food")
    first = (await client.get("/")).text
    assert "Hotpot night" in first and "Note number 02" in first
    assert "Note number 01" not in first  # the two oldest are on page two
    more = re.search(r'href="(/\?cursor=[^"]+)"[^>]*data-more', first)
    assert more, "no link to the next page"
    second = (await client.get(more.group(1).replace("&amp;", "&"))).text
    assert "Note number 00" in second and "Note number 01" in second
    assert "Hotpot night" not in second
    assert "data-more" not in second

    food = (await client.get("/", params={"channel": "Food"})).text
    assert "Hotpot night" in food and "Note number" not in food
    assert 'aria-current="page">Food<' in food
    assert 'data-feed="/api/v1/feeds/explore?channel=food"' in food
    client.cookies.update(ZH)
    assert '?channel=%E7%BE%8E%E9%A3%9F"' in (await client.get("/")).text  # 美食


async def test_members_get_people_to_follow_and_onboarding_first(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "bob")
    await member_named(client, runtime, "ana")
    home = (await client.get("/")).text
    assert "People to follow" in home and "@bob" in home
    assert "No notes to explore yet" in home and "Discover and share" not in home


# --- the note page -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
async def test_note_page_variants_in_both_languages(
    client: httpx.AsyncClient, runtime: Runtime, lang: str
) -> None:
    author = await make_account(runtime, "mei")
    await make_account(runtime, "lily")
    text = await make_note(
        runtime,
        author,
        title="Tea house",
        body="Quiet morning #成都 with @lily and @nobody <b>",
        tags=["tea"],
        place={"name": "Chengdu", "name_zh": "成都", "lat": 30.66, "lon": 104.06},
        text_style=2,
    )
    photos = [await ready_media(runtime, author) for _ in range(3)]
    gallery = await make_note(runtime, author, title="Three photos", media_ids=photos)
    video_id = await ready_media(runtime, author, "video", 1920, 1080)
    film = await make_note(runtime, author, title="A video", media_ids=[video_id])
    client.cookies.set("redleaf_lang", lang)

    page = await client.get(f"/notes/{text.id}")
    assert page.status_code == 200
    html = page.text
    assert 'class="note-textcard text-style-2"' in html
    assert '<a class="tag-link" href="/search?q=%23%E6%88%90%E9%83%BD">#成都</a>' in html
    assert '<a class="mention-link" href="/u/lily">@lily</a>' in html
    assert "@nobody &lt;b&gt;" in html  # unknown names stay text; markup stays escaped
    assert '<a class="tag-link" href="/search?q=%23tea">#tea</a>' in html
    assert ("成都 · Chengdu" if lang == "zh-Hans" else "Chengdu · 成都") in html
    assert ("登录后评论" if lang == "zh-Hans" else "Log in to comment") in html
    assert "js/note.js" in html and "data-count-view" in html
    assert_no_inline_code(html)

    html = (await client.get(f"/notes/{gallery.id}")).text
    assert html.count('class="carousel-slide"') == 3 and html.count('class="carousel-dot"') == 3
    assert "720w" in html and "1080w" in html and 'data-ratio="1.3333"' in html
    assert ("第 2 张，共 3 张" if lang == "zh-Hans" else "Photo 2 of 3") in html

    html = (await client.get(f"/notes/{film.id}")).text
    assert re.search(r'<video class="note-video" controls playsinline[^>]+poster="[^"]+"', html)


async def test_hidden_notes_are_404_pages(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "mei")
    private = await make_note(runtime, author, title="Mine only", visibility="private")
    followers = await make_note(runtime, author, title="Friends", visibility="followers")
    draft = await make_note(runtime, author, title="Half done", draft=True)
    await member_named(client, runtime, "ana")
    for note in (private, followers, draft):
        page = await client.get(f"/notes/{note.id}")
        assert page.status_code == 404 and "<html" in page.text and "Mine only" not in page.text
        assert (await client.get(f"/notes/{note.id}/edit")).status_code == 404
    assert (await client.get("/notes/not-a-number")).status_code == 404
    # Forms on a note the member cannot see find nothing either.
    response = await post_form(client, "/", f"/notes/{private.id}/like", {})
    assert response.status_code == 404
    assert (await reload(runtime, private)).like_count == 0


async def test_the_author_sees_states_badges_and_actions(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    me = await member_named(client, runtime, "mei")
    draft = await make_note(runtime, me, title="Half done", draft=True)
    private = await make_note(runtime, me, title="Mine only", visibility="private")
    html = (await client.get(f"/notes/{draft.id}")).text
    assert "This is a draft: only you can see it." in html
    assert (
        f'action="/notes/{draft.id}/publish"' in html and f'href="/notes/{draft.id}/edit"' in html
    )
    assert "data-count-view" not in html  # drafts are not viewed
    html = (await client.get(f"/notes/{private.id}")).text
    assert '<span class="badge">Only me</span>' in html and "Note actions" in html

    published = await post_form(client, f"/notes/{draft.id}", f"/notes/{draft.id}/publish", {})
    assert published.status_code == 303
    assert (await reload(runtime, draft)).state == "published"
    deleted = await post_form(client, f"/notes/{private.id}", f"/notes/{private.id}/delete", {})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/u/mei"
    assert (await client.get(f"/notes/{private.id}")).status_code == 404


async def test_processing_and_failed_banners(client: httpx.AsyncClient, runtime: Runtime) -> None:
    me = await member_named(client, runtime, "mei")
    async with runtime.sessions() as session:
        waiting = Media(owner_id=me.id, kind="image", state="processing", format="jpeg")
        session.add(waiting)
        await commit(session)
    note = await make_note(runtime, me, title="Soon", media_ids=[str(waiting.id)])
    assert note.state == "processing"
    html = (await client.get(f"/notes/{note.id}")).text
    assert "data-poll-state" in html and "publish by itself" in html
    assert "This photo is still being processed." in html
    async with runtime.sessions() as session:
        stored = await session.get(Note, note.id)
        assert stored is not None
        stored.state, stored.error_code = "failed", "processing_failed"
        await commit(session)
    html = (await client.get(f"/notes/{note.id}")).text
    assert "This note could not be published." in html and "Edit and try again" in html


# --- forms without JavaScript --------------------------------------------------------------------


async def test_like_and_collect_with_plain_forms(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Dumplings")
    me = await member_named(client, runtime, "ana")
    url = f"/notes/{note.id}"

    # No token, no change: CSRF is checked before anything else.
    refused = await client.post(f"{url}/like", data={})
    assert refused.status_code == 403
    assert (await reload(runtime, note)).like_count == 0

    liked = await post_form(client, url, f"{url}/like", {})
    assert liked.status_code == 303 and liked.headers["location"] == url
    html = (await client.get(url)).text
    assert f'action="{url}/unlike"' in html and 'aria-pressed="true" aria-label="Like"' in html
    assert (await reload(runtime, note)).like_count == 1
    await post_form(client, url, f"{url}/unlike", {})
    assert (await reload(runtime, note)).like_count == 0

    async with runtime.sessions() as session:
        board = await service.do_create_board(session, runtime, me, "Eats")
        await commit(session)
    collected = await post_form(client, url, f"{url}/collect", {})
    assert collected.status_code == 303
    html = (await client.get(url)).text
    assert f'action="{url}/uncollect"' in html and "Choose a board" in html
    moved = await post_form(client, url, f"{url}/collect", {"board_id": str(board.id)})
    assert moved.status_code == 303
    async with runtime.sessions() as session:
        stored = await session.get(Board, board.id)
        assert stored is not None and stored.note_count == 1
    html = (await client.get(url)).text
    assert f'<option value="{board.id}" selected>Eats</option>' in html
    assert (await reload(runtime, note)).collect_count == 1
    await post_form(client, url, f"{url}/uncollect", {})
    assert (await reload(runtime, note)).collect_count == 0

    # Visitors are sent to log in instead.
    client.cookies.clear()
    html = (await client.get(url)).text
    assert f'href="/login?next=/notes/{note.id}"' in html and f"{url}/like" not in html


async def test_comments_replies_and_deletion_with_plain_forms(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Noodles")
    await member_named(client, runtime, "ana")
    url = f"/notes/{note.id}"

    empty = await post_form(client, url, f"{url}/comments", {"body": "   "})
    assert empty.status_code == 400 and "Write something first." in empty.text
    assert 'aria-invalid="true"' in empty.text

    made = await post_form(client, url, f"{url}/comments", {"body": "Where is this? #面"})
    assert made.status_code == 303
    comment_id = made.headers["location"].rsplit("#comment-", 1)[1]
    html = (await client.get(url)).text
    assert f'id="comment-{comment_id}"' in html and "Where is this?" in html
    assert '<a class="tag-link" href="/search?q=%23%E9%9D%A2">#面</a>' in html
    assert f'action="/comments/{comment_id}/delete"' in html  # its author may delete it

    # A reply link opens the form "replying to" that comment.
    html = (await client.get(url, params={"reply_to": comment_id})).text
    assert f'name="reply_to" value="{comment_id}"' in html and "Replying to" in html
    await post_form(client, url, f"{url}/comments", {"body": "Thanks!", "reply_to": comment_id})
    for n in range(4):
        await post_form(
            client, url, f"{url}/comments", {"body": f"More {n}", "reply_to": comment_id}
        )
    html = (await client.get(url)).text
    assert "Thanks!" in html and "More 1" in html and "More 3" not in html  # first three shown
    assert f'href="{url}/comments/{comment_id}"' in html and "Show 2 more replies" in html
    thread = (await client.get(f"{url}/comments/{comment_id}")).text
    assert "More 0" in thread and "More 3" in thread and 'name="reply_to"' in thread
    assert_no_inline_code(thread)

    liked = await post_form(client, url, f"/comments/{comment_id}/like", {})
    assert liked.status_code == 303 and liked.headers["location"] == f"{url}#comment-{comment_id}"
    assert f'action="/comments/{comment_id}/unlike"' in (await client.get(url)).text

    # The note's author may delete any comment on it; others may not.
    client.cookies.clear()
    await member_named(client, runtime, "zed")
    refused = await post_form(client, url, f"/comments/{comment_id}/delete", {})
    assert refused.status_code == 403
    client.cookies.clear()
    from tests.accounts.test_pages import log_in

    await log_in(client, "mei")
    gone = await post_form(client, url, f"/comments/{comment_id}/delete", {})
    assert gone.status_code == 303
    assert f'id="comment-{comment_id}"' not in (await client.get(url)).text
    assert (await reload(runtime, note)).comment_count == 0


# --- the composer --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
async def test_composer_renders_for_members_and_invites_visitors(
    client: httpx.AsyncClient, runtime: Runtime, lang: str
) -> None:
    client.cookies.set("redleaf_lang", lang)
    visitor = (await client.get("/new")).text
    assert "data-composer" not in visitor and "/login?next=/new" in visitor
    await member_named(client, runtime, "mei")
    client.cookies.set("redleaf_lang", lang)
    html = (await client.get("/new")).text
    assert "data-composer" in html and 'accept="image/*,video/*"' in html
    assert 'maxlength="40"' in html and 'maxlength="1000"' in html
    assert ("还可输入 {n} 字" if lang == "zh-Hans" else "{n} left") in html
    assert ("存草稿" if lang == "zh-Hans" else "Save draft") in html
    assert "js/composer.js" in html
    assert_no_inline_code(html)


async def test_text_note_from_the_plain_form(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await member_named(client, runtime, "mei")
    refused = await client.post("/new", data={"title": "No token"})
    assert refused.status_code == 403

    too_long = await post_form(client, "/new", "/new", {"title": "x" * 41, "body": "kept"})
    assert too_long.status_code == 400
    assert 'id="title-error"' in too_long.text and "at most" in too_long.text
    assert ">kept</textarea>" in too_long.text  # what was typed survives

    bad_place = await post_form(
        client, "/new", "/new", {"title": "Tea", "place_name": "Park", "place_lat": "north"}
    )
    assert bad_place.status_code == 400 and "Latitude must be a number" in bad_place.text

    created = await post_form(
        client,
        "/new",
        "/new",
        {
            "title": "Tea house",
            "body": "Calm #tea",
            "tags": "#chengdu, 茶馆",
            "place_name": "Heming",
            "place_name_zh": "鹤鸣茶社",
            "place_lat": "30.66",
            "place_lon": "104.05",
            "visibility": "followers",
            "text_style": "4",
            "action": "publish",
        },
    )
    assert created.status_code == 303
    location = created.headers["location"]
    assert re.fullmatch(r"/notes/\d+", location)
    html = (await client.get(location)).text
    assert "Tea house" in html and "鹤鸣茶社" in html and "text-style-4" in html
    assert "Followers only" in html and "#chengdu" in html and "#茶馆" in html

    draft = await post_form(client, "/new", "/new", {"title": "Later", "action": "draft"})
    draft_id = draft.headers["location"].rsplit("/", 1)[1]
    async with runtime.sessions() as session:
        stored = await session.get(Note, int(draft_id))
        assert stored is not None and stored.state == "draft"


async def test_editing_a_note_with_the_plain_form(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    me = await member_named(client, runtime, "mei")
    note = await make_note(
        runtime, me, title="Old", body="Body #kept", tags=["extra"], place={"name": "Home"}
    )
    edit = f"/notes/{note.id}/edit"
    html = (await client.get(edit)).text
    assert 'value="Old"' in html and 'value="extra"' in html and 'value="Home"' in html
    assert 'data-method="PATCH"' in html and ">Save<" in html and "Save draft" not in html

    saved = await post_form(
        client, edit, edit, {"title": "New", "body": "Body", "tags": "", "visibility": "public"}
    )
    assert saved.status_code == 303
    stored = await reload(runtime, note)
    assert stored.title == "New" and stored.place_id is None and stored.edited_at is not None
    assert "Edited" in (await client.get(f"/notes/{note.id}")).text

    emptied = await post_form(client, edit, edit, {"title": "", "body": ""})
    assert emptied.status_code == 400 and "Add a photo, a video or some text." in emptied.text
    assert (await reload(runtime, note)).title == "New"

    client.cookies.clear()
    login = await client.get(edit)
    assert login.status_code == 303 and login.headers["location"].startswith("/login?next=")


# --- boards and profiles -------------------------------------------------------------------------


async def test_boards_with_plain_forms(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "lin")
    note = await make_note(runtime, author, title="Sunset")
    await member_named(client, runtime, "mei")
    created = await post_form(
        client, "/u/mei?tab=boards", "/boards", {"name": "Trips", "description": "Where next"}
    )
    assert created.status_code == 303
    board_url = created.headers["location"]
    board_id = board_url.rsplit("/", 1)[1]
    duplicate = await post_form(client, "/boards/new", "/boards", {"name": "Trips"})
    assert duplicate.status_code == 409 and "already have a board" in duplicate.text

    await post_form(
        client, f"/notes/{note.id}", f"/notes/{note.id}/collect", {"board_id": board_id}
    )
    html = (await client.get(board_url)).text
    assert "Trips" in html and "Where next" in html and "Sunset" in html
    assert f'data-feed="/api/v1/boards/{board_id}/notes"' in html and "Edit board" in html
    assert_no_inline_code(html)

    renamed = await post_form(
        client, board_url, f"{board_url}/edit", {"name": "Secret trips", "private": "on"}
    )
    assert renamed.status_code == 303
    html = (await client.get(board_url)).text
    assert "Secret trips" in html and '<span class="badge">Private</span>' in html

    tab = (await client.get("/u/mei", params={"tab": "boards"})).text
    assert "Secret trips" in tab and 'action="/boards"' in tab and "1 note" in tab

    # Someone else sees neither the private board nor its tile.
    client.cookies.clear()
    assert (await client.get(board_url)).status_code == 404
    assert "Secret trips" not in (await client.get("/u/mei", params={"tab": "boards"})).text
    await member_named(client, runtime, "zed")
    assert (await client.get(board_url)).status_code == 404
    assert (await post_form(client, "/", f"{board_url}/delete", {})).status_code == 404

    client.cookies.clear()
    from tests.accounts.test_pages import log_in

    await log_in(client, "mei")
    deleted = await post_form(client, board_url, f"{board_url}/delete", {})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/u/mei?tab=boards"
    assert (await client.get(board_url)).status_code == 404


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
async def test_profile_tabs_show_the_grid(
    client: httpx.AsyncClient, runtime: Runtime, lang: str
) -> None:
    me = await member_named(client, runtime, "mei")
    other = await make_account(runtime, "lin")
    await make_note(runtime, me, title="Public one")
    await make_note(runtime, me, title="My draft", draft=True)
    theirs = await make_note(runtime, other, title="Saved it")
    async with runtime.sessions() as session:
        stored = await session.get(Note, theirs.id)
        assert stored is not None
        await service.do_collect(session, runtime, me, stored)
        await commit(session)
    client.cookies.set("redleaf_lang", lang)

    notes = (await client.get("/u/mei")).text
    assert "Public one" in notes and "My draft" in notes
    assert ('note-card-state">草稿<' if lang == "zh-Hans" else 'note-card-state">Draft<') in notes
    assert 'data-feed="/api/v1/users/mei/notes"' in notes
    collects = (await client.get("/u/mei", params={"tab": "collects"})).text
    assert "Saved it" in collects and "Public one" not in collects
    assert 'data-feed="/api/v1/users/mei/collects"' in collects
    boards = (await client.get("/u/mei", params={"tab": "boards"})).text
    assert ("还没有专辑" if lang == "zh-Hans" else "No boards yet") in boards
    for html in (notes, collects, boards):
        assert_no_inline_code(html)

    client.cookies.clear()
    client.cookies.set("redleaf_lang", lang)
    seen = (await client.get("/u/mei")).text
    assert "Public one" in seen and "My draft" not in seen
    assert 'action="/boards"' not in (await client.get("/u/mei", params={"tab": "boards"})).text


# --- helpers shown on every card -----------------------------------------------------------------


def test_counts_and_text_helpers() -> None:
    assert [compact_count(n) for n in (0, 999, 1000, 1250, 9999, 12_345, 2_500_000)] == [
        "0",
        "999",
        "1k",
        "1.2k",
        "9.9k",
        "12k",
        "2.5M",
    ]
    html = str(rich_text("#a<b> @x #旅行# end", [{"username": "X"}]))
    assert html == (
        '<a class="tag-link" href="/search?q=%23a">#a</a>&lt;b&gt; '
        '<a class="mention-link" href="/u/x">@x</a> '
        '<a class="tag-link" href="/search?q=%23%E6%97%85%E8%A1%8C">#旅行#</a> end'
    )


def test_note_templates_and_scripts_have_no_inline_code() -> None:
    """The CSP forbids inline scripts and styles: templates only link scripts, and scripts set
    colours and ratios through CSSOM (element.style), never a style attribute."""
    root = Path(__file__).resolve().parents[2] / "src/redleaf"
    templates = list((root / "notes/templates").glob("*.html"))
    assert len(templates) >= 8
    for path in templates:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path.name
        assert not re.search(r"\sstyle\s*=|<style|\son[a-z]+\s*=", source), path.name
    for name in ("grid.js", "note.js", "composer.js", "notes-kit.js"):
        script = (root / "web/static/js" / name).read_text(encoding="utf-8")
        assert 'setAttribute("style"' not in script and "innerHTML" not in script, name
