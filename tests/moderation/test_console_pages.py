"""The review console (/mod), driven as a browser without JavaScript drives it: the queue and its
views, claims between two moderators, decisions and bulk decisions, appeal reviews, the
translation beside the original in both interface languages, and who may open any of it (the
audit log and the counts: test_console_audit.py)."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.moderation.models import Appeal, Decision
from redleaf.notes import service as notes_service
from redleaf.notes.models import Note
from tests.accounts.factories import make_account, token_headers
from tests.accounts.test_pages import assert_no_inline_code, csrf_of
from tests.conftest import http_client
from tests.moderation.console_helpers import (
    CASE_LINK,
    ZH,
    Reporters,
    SignIn,
    case_of,
    opened_ago,
    post_from,
    reload_case,
)
from tests.notes.factories import make_note

# --- the queue ------------------------------------------------------------------------------------


async def test_queue_orders_by_severity_then_age_and_splits_into_views(
    runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei", age_days=30)
    spam = await make_note(runtime, author, title="Cheap bags", body="Visit my shop")
    scam_new = await make_note(runtime, author, title="Easy money", body="DM me")
    scam_old = await make_note(runtime, author, title="Double it", body="Send me money")
    spam_case = await reporters.report("note", spam.id, "spam")
    new_case = await reporters.report("note", scam_new.id, "scam", text="a scam")
    await reporters.report("note", scam_new.id, "spam", name="jake")
    old_case = await reporters.report("note", scam_old.id, "scam")
    await opened_ago(runtime, old_case.id, 5)
    await opened_ago(runtime, spam_case.id, 48)  # older, but less severe
    # An automatic hold (a policy term) and a newcomer's held post.
    held = await make_note(runtime, author, title="Side hustle", body="加微信 abc12345 详聊")
    auto_case = await case_of(runtime, "note", held.id)
    runtime.settings.newcomer_hold_posts = 2
    newbie = await make_account(runtime, "newbie")
    first_post = await make_note(runtime, newbie, title="Hello", body="My first note here")
    newcomer_case = await case_of(runtime, "note", first_post.id)
    assert (auto_case.source, newcomer_case.source) == ("automatic", "newcomer")

    moderator = await sign_in("mod1")
    page = await moderator.get("/mod")
    assert page.status_code == 200
    order = CASE_LINK.findall(page.text)
    assert order[:2] == [str(old_case.id), str(new_case.id)]  # severity 4, oldest first
    assert order.index(str(spam_case.id)) > 1 and len(order) == 5
    assert str(newcomer_case.id) == order[-1]  # severity 1
    assert "Spam or advertising" in page.text and "@mei" in page.text
    assert 'src="/static/js/mod-console.js' in page.text
    assert_no_inline_code(page.text)

    views = {
        "reports": {spam_case.id, new_case.id, old_case.id},
        "automatic": {auto_case.id},
        "newcomers": {newcomer_case.id},
        "appeals": set(),
    }
    for view, expected in views.items():
        shown = await moderator.get("/mod", params={"view": view})
        assert {int(i) for i in CASE_LINK.findall(shown.text)} == expected, view
    assert "scam-off-platform-contact" in (await moderator.get("/mod?view=automatic")).text
    newcomers = await moderator.get("/mod?view=newcomers")
    assert "@newbie" in newcomers.text and "Newcomer hold" in newcomers.text

    # Odd values in the URL are ignored rather than failing.
    for odd in ("/mod?cursor=4_yesterday_1", "/mod?decided=²&skipped=1", "/mod?view=nope"):
        assert (await moderator.get(odd)).status_code == 200, odd

    # Pages follow a cursor without repeating or losing a case.
    runtime.settings.moderation_queue_page = 2
    seen, url = [], "/mod"
    while url:
        shown = await moderator.get(url)
        seen += CASE_LINK.findall(shown.text)
        found = re.search(r'href="(/mod\?view=all&amp;cursor=[^"]+)"', shown.text)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == order


async def test_queue_and_case_pages_in_chinese(
    runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Easy money", body="DM me")
    case = await reporters.report("note", note.id, "scam")
    moderator = await sign_in("mod1")
    moderator.cookies.update(ZH)
    queue = await moderator.get("/mod")
    assert queue.status_code == 200 and '<html lang="zh-Hans">' in queue.text
    assert "诈骗" in queue.text  # the report reason's label
    detail = await moderator.get(f"/mod/cases/{case.id}")
    assert detail.status_code == 200 and '<html lang="zh-Hans">' in detail.text
    assert_no_inline_code(detail.text)


# --- claims, decisions, the work queue ------------------------------------------------------------


async def test_two_moderators_never_decide_the_same_case(
    runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Easy money", body="DM me")
    case = await reporters.report("note", note.id, "scam")
    first, second = await sign_in("mod1"), await sign_in("mod2")

    mine = await first.get(f"/mod/cases/{case.id}")
    assert mine.status_code == 200
    assert "This case is yours until" in mine.text and 'action="/mod/cases/' in mine.text
    assert 'data-key="r"' in mine.text
    stored = await reload_case(runtime, case.id)
    assert stored.claimed_by is not None and stored.claimed_until is not None

    theirs = await second.get(f"/mod/cases/{case.id}")
    assert theirs.status_code == 200
    assert "@mod1 is working on this case until" in theirs.text
    assert f'action="/mod/cases/{case.id}/decide"' not in theirs.text
    refused = await post_from(
        second,
        f"/mod/cases/{case.id}",
        f"/mod/cases/{case.id}/decide",
        {"action": "remove", "reason": "scam"},
    )
    assert refused.status_code == 409
    assert "Another moderator is working on this case." in refused.text
    assert (await reload_case(runtime, case.id)).state == "open"

    # Giving it back lets the other take it.
    released = await post_from(
        first, f"/mod/cases/{case.id}", f"/mod/cases/{case.id}/release", {"view": "all"}
    )
    assert released.status_code == 303
    again = await second.get(f"/mod/cases/{case.id}")
    assert "This case is yours until" in again.text


async def test_deciding_removes_the_note_and_goes_on_to_the_next_case(
    client: httpx.AsyncClient, runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    first = await make_note(runtime, author, title="Easy money", body="DM me for profits")
    second = await make_note(runtime, author, title="More money", body="Join my group")
    first_case = await reporters.report("note", first.id, "scam")
    second_case = await reporters.report("note", second.id, "spam")
    moderator = await sign_in("mod1")

    page = await moderator.get(f"/mod/cases/{first_case.id}?view=reports")
    assert "DM me for profits" in page.text and "@lily" in page.text
    assert '<option value="scam" selected>' in page.text  # the report's reason, chosen already
    decided = await moderator.post(
        f"/mod/cases/{first_case.id}/decide",
        data={
            "csrf_token": csrf_of(page.text),
            "view": "reports",
            "action": "remove",
            "reason": "scam",
            "note": "side-hustle bait",
        },
    )
    assert decided.status_code == 303
    assert decided.headers["location"] == f"/mod/cases/{second_case.id}?view=reports"
    following = await moderator.get(decided.headers["location"])
    assert "Saved." in following.text and "Join my group" in following.text

    async with runtime.sessions() as session:
        note = await session.get(Note, first.id)
        decision = await session.scalar(select(Decision).where(Decision.case_id == first_case.id))
    assert note is not None and note.moderation_state == "removed"
    assert decision is not None and (decision.action, decision.note) == (
        "remove",
        "side-hustle bait",
    )
    others = reporters.headers["lily"]
    assert (await client.get(f"/api/v1/notes/{first.id}", headers=others)).status_code == 404
    assert (await reload_case(runtime, first_case.id)).state == "decided"

    # The decided case reads as history, with no form; the author's record shows it.
    history = await moderator.get(f"/mod/cases/{first_case.id}")
    assert history.status_code == 200 and "Decisions on this case" in history.text
    assert f'action="/mod/cases/{first_case.id}/decide"' not in history.text
    assert f"/mod/cases/{first_case.id}?view=reports" in following.text  # "Past decisions"

    # A refused decision shows the form again with the error (a mute needs a duration).
    page = await moderator.get(f"/mod/cases/{second_case.id}")
    refused = await moderator.post(
        f"/mod/cases/{second_case.id}/decide",
        data={"csrf_token": csrf_of(page.text), "action": "mute", "reason": "spam"},
    )
    assert refused.status_code == 400 and "A mute needs a duration." in refused.text
    unknown = await moderator.post(
        f"/mod/cases/{second_case.id}/decide",
        data={"csrf_token": csrf_of(page.text), "action": "warn", "reason": "no-such-rule"},
    )
    assert unknown.status_code == 400 and "Choose the rule or reason" in unknown.text
    last = await moderator.post(
        f"/mod/cases/{second_case.id}/decide",
        data={
            "csrf_token": csrf_of(page.text),
            "action": "mute",
            "reason": "spam",
            "duration_hours": "24",
        },
    )
    assert last.status_code == 303 and last.headers["location"] == "/mod?view=all"


async def test_bulk_decisions_skip_a_case_another_moderator_holds(
    runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    cases = []
    for n in range(3):
        note = await make_note(runtime, author, title=f"Shop {n}", body="Cheap bags here")
        cases.append(await reporters.report("note", note.id, "spam"))
    mod1, mod2 = await sign_in("mod1"), await sign_in("mod2")
    assert (await mod2.get(f"/mod/cases/{cases[2].id}")).status_code == 200  # mod2 holds it

    queue = await mod1.get("/mod")
    assert 'name="case_ids"' in queue.text and "Decide the selected cases" in queue.text
    answer = await mod1.post(
        "/mod/bulk",
        data={
            "csrf_token": csrf_of(queue.text),
            "view": "all",
            "case_ids": [str(c.id) for c in cases],
            "action": "remove",
            "reason": "spam",
            "duration_hours": "",
            "note": "",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/mod?view=all&decided=2&skipped=1"
    shown = await mod1.get(answer.headers["location"])
    assert "2 cases decided." in shown.text and "1 case skipped" in shown.text
    states = [(await reload_case(runtime, c.id)).state for c in cases]
    assert states == ["decided", "decided", "open"]
    assert CASE_LINK.findall(shown.text) == [str(cases[2].id)]

    nothing = await mod1.post(
        "/mod/bulk",
        data={"csrf_token": csrf_of(queue.text), "action": "remove", "reason": "spam"},
    )
    assert nothing.status_code == 400 and "Choose at least one case." in nothing.text


# --- appeals --------------------------------------------------------------------------------------


async def test_an_appeal_is_reviewed_by_another_moderator(
    client: httpx.AsyncClient, runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="My stall", body="Weekend market tips")
    case = await reporters.report("note", note.id, "scam")
    mod1, mod2 = await sign_in("mod1"), await sign_in("mod2")
    decided = await post_from(
        mod1,
        f"/mod/cases/{case.id}",
        f"/mod/cases/{case.id}/decide",
        {"action": "remove", "reason": "scam"},
    )
    assert decided.status_code == 303
    async with runtime.sessions() as session:
        decision = await session.scalar(select(Decision).where(Decision.case_id == case.id))
    assert decision is not None
    appealed = await client.post(
        f"/api/v1/moderation/decisions/{decision.id}/appeal",
        json={"text": "These are honest tips, nothing for sale."},
        headers=await token_headers(client, "mei"),
    )
    assert appealed.status_code == 201, appealed.text
    appeal_id = appealed.json()["id"]

    queue = await mod1.get("/mod?view=appeals")
    assert CASE_LINK.findall(queue.text) == [str(case.id)]
    own = await mod1.get(f"/mod/cases/{case.id}?view=appeals")
    assert "a different moderator must review the appeal" in own.text
    assert (await reload_case(runtime, case.id)).claimed_by is None  # not taken from others
    refused = await mod1.post(
        f"/mod/appeals/{appeal_id}/review",
        data={"csrf_token": csrf_of(own.text), "outcome": "reversed", "view": "appeals"},
    )
    assert refused.status_code == 403

    review = await mod2.get(f"/mod/cases/{case.id}?view=appeals")
    assert "These are honest tips" in review.text
    assert f'action="/mod/appeals/{appeal_id}/review"' in review.text
    reversed_ = await mod2.post(
        f"/mod/appeals/{appeal_id}/review",
        data={
            "csrf_token": csrf_of(review.text),
            "outcome": "reversed",
            "response": "Sorry, our mistake.",
            "view": "appeals",
        },
    )
    assert reversed_.status_code == 303 and reversed_.headers["location"] == "/mod?view=appeals"
    async with runtime.sessions() as session:
        appeal = await session.get(Appeal, int(appeal_id))
        restored = await session.get(Note, note.id)
    assert appeal is not None and appeal.state == "reversed"
    assert restored is not None and restored.moderation_state == "visible"
    history = await mod2.get(f"/mod/cases/{case.id}")
    assert "reversed on appeal" in history.text and "Sorry, our mistake." in history.text


# --- the translation beside the original ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
async def test_the_case_shows_the_content_beside_its_translation(
    runtime: Runtime, reporters: Reporters, sign_in: SignIn, lang: str
) -> None:
    author = await make_account(runtime, "mei", ui_language="zh-Hans")
    chinese = await make_note(runtime, author, title="成都火锅", body="今天的火锅太好吃了")
    english = await make_note(runtime, author, title="Hotpot", body="The best hotpot in town")
    zh_case = await reporters.report("note", chinese.id, "spam")
    en_case = await reporters.report("note", english.id, "spam")
    moderator = await sign_in("mod1", ui_language=lang)

    # The content in the other language comes translated into the moderator's.
    foreign = zh_case if lang == "en" else en_case
    page = await moderator.get(f"/mod/cases/{foreign.id}")
    assert page.status_code == 200
    side = page.text.split("data-translation", 1)[1]
    if lang == "en":
        assert "成都火锅" in page.text and "Chengdu hotpot" in side
        assert "Dictionary gloss (CC-CEDICT): word by word, not a translation" in side
        assert '<div lang="en">' in side
    else:
        assert "The best hotpot in town" in page.text and "火锅" in side
        assert "词典" in side and '<div lang="zh-Hans">' in side
    # Content already in the moderator's language is translated into the other one.
    own = en_case if lang == "en" else zh_case
    other = (await moderator.get(f"/mod/cases/{own.id}")).text.split("data-translation", 1)[1]
    assert ("火锅" in other) if lang == "en" else ("Chengdu hotpot" in other)


async def test_comment_and_member_cases_show_what_was_reported(
    runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Hotpot night", body="Best in town")
    async with runtime.sessions() as session:
        commenter = await session.get(Account, author.id)
        stored = await session.get(Note, note.id)
        assert commenter is not None and stored is not None
        commenter.bio = "Selling followers, DM me"
        comment = await notes_service.do_comment(
            session, runtime, commenter, stored, "Cheap followers here"
        )
        await commit(session)
    comment_case = await reporters.report("comment", comment.id, "spam")
    member_case = await reporters.report("user", author.id, "spam", name="jake")
    moderator = await sign_in("mod1")

    shown = await moderator.get(f"/mod/cases/{comment_case.id}")
    assert "Cheap followers here" in shown.text and f'href="/notes/{note.id}"' in shown.text
    assert "Hotpot night" in shown.text and "Comment" in shown.text
    profile = await moderator.get(f"/mod/cases/{member_case.id}")
    assert "Selling followers, DM me" in profile.text and "Member profile" in profile.text
    assert 'value="remove"' not in profile.text  # an account is warned, muted or suspended


# --- who may open the console ---------------------------------------------------------------------


async def test_only_moderators_and_admins_reach_the_console(
    app: FastAPI, runtime: Runtime, reporters: Reporters, sign_in: SignIn
) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author)
    case = await reporters.report("note", note.id, "spam")
    pages = ["/mod", f"/mod/cases/{case.id}", "/mod/audit", "/mod/audit.csv", "/mod/stats"]
    forms = ["/mod/bulk", f"/mod/cases/{case.id}/decide", f"/mod/cases/{case.id}/release"]
    forms.append("/mod/appeals/1/review")

    member = await sign_in("jake", role="member")
    token = csrf_of((await member.get("/")).text)
    for path in pages:
        assert (await member.get(path)).status_code == 403, path
    for path in forms:
        answer = await member.post(path, data={"csrf_token": token, "action": "remove"})
        assert answer.status_code == 403, path

    async with http_client(app, ip="203.0.113.99") as visitor:
        token = csrf_of((await visitor.get("/")).text)
        for path in pages:
            answer = await visitor.get(path)
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/login?next=/mod"), path
        for path in forms:
            answer = await visitor.post(path, data={"csrf_token": token})
            assert answer.status_code == 401, path

    admin = await sign_in("boss", role="admin")
    for path in pages:
        assert (await admin.get(path)).status_code == 200, path
    assert (await reload_case(runtime, case.id)).state == "open"
