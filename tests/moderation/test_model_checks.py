"""Model checks as jobs, on the real database and the real models: the scam head holds a note
the inline rules let through, NudeNet reads a photo note's rendition, the same words from two
accounts are held, a burst of comments is taken down, a profile gets a case; and a check runs
once per version of the content."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from fastapi import FastAPI
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.jobs.models import Job
from redleaf.kit.jobs.registry import JobContext
from redleaf.kit.runtime import Runtime
from redleaf.moderation import jobs
from redleaf.moderation.models import AuditEntry, Case
from redleaf.moderation.scoring import score_content
from redleaf.notes.models import Comment, Note
from redleaf.notes.service import comments as comment_service
from tests.accounts.factories import make_account, token_headers
from tests.notes.factories import make_note, run_jobs

SCAM = (
    "Account notice",
    "Your account has been frozen. Verify your bank card details to unlock it today.",
)
MARKET = "周末去了河边的集市，买了新鲜荔枝和小笼包，还有一家卖桂花乌龙的小茶摊"


async def _check(runtime: Runtime, target_type: str, target_id: int) -> None:
    """What the notes and accounts services will do after a change: queue the check, commit,
    and let the worker run it."""
    async with runtime.sessions() as session:
        await jobs.schedule_check(session, target_type, target_id)
        await commit(session)
    await run_jobs(runtime)


async def _state(runtime: Runtime, model: type[Note | Comment], row_id: int) -> str:
    async with runtime.sessions() as session:
        row: Note | Comment | None = await session.get(model, row_id)
        assert row is not None
        return row.moderation_state


async def _cases(runtime: Runtime) -> list[Case]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Case).order_by(Case.opened_at))).all())


async def _audit(runtime: Runtime) -> list[tuple[str, str, int | None]]:
    async with runtime.sessions() as session:
        rows = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        return [(a.action, a.target_type, a.target_id) for a in rows]


async def _check_jobs(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Job).where(Job.kind == jobs.CHECK)
        )
        return int(count or 0)


async def _run_again(runtime: Runtime, target_type: str, target_id: int) -> None:
    """The handler once more, as after a commit the worker never heard of."""
    async with runtime.sessions() as session:
        payload = {"target_type": target_type, "target_id": str(target_id)}
        await jobs.check_target(session, payload, JobContext(0, 2, runtime))
        await commit(session)


async def test_the_scam_model_holds_a_note_the_inline_rules_let_through(
    runtime: Runtime,
) -> None:
    mei = await make_account(runtime, "mei", age_days=30)
    fine = await make_note(runtime, mei, title="成都火锅", body="今天的火锅太好吃了")
    scam = await make_note(runtime, mei, title=SCAM[0], body=SCAM[1])
    assert scam.moderation_state == "visible"  # no term or pattern of the policy matched

    await _check(runtime, "note", fine.id)
    await _check(runtime, "note", scam.id)
    assert await _state(runtime, Note, fine.id) == "visible"
    assert await _state(runtime, Note, scam.id) == "held"
    (case,) = await _cases(runtime)
    assert (case.target_type, case.target_id, case.source) == ("note", scam.id, "automatic")
    assert [hit["rule"] for hit in case.hits] == ["scam-model"]
    assert case.hits[0]["score"] >= 0.9
    assert case.scores["scam"] >= 0.9 and "spam" in case.scores and "links" in case.scores
    assert await _audit(runtime) == [("auto.hold", "note", scam.id)]

    # Again: the same version queues no second job, and a re-run records nothing new.
    jobs_before = await _check_jobs(runtime)
    await _check(runtime, "note", scam.id)
    assert await _check_jobs(runtime) == jobs_before
    await _run_again(runtime, "note", scam.id)
    assert len(await _cases(runtime)) == 1
    assert await _audit(runtime) == [("auto.hold", "note", scam.id)]


async def test_held_content_only_gains_the_scores_on_its_case(runtime: Runtime) -> None:
    mei = await make_account(runtime, "mei", age_days=30)
    held = await make_note(runtime, mei, title="副业", body="日赚千元，稳赚不赔。" + SCAM[1])
    assert held.moderation_state == "held"  # by the inline term rule
    await _check(runtime, "note", held.id)
    (case,) = await _cases(runtime)
    assert [hit["rule"] for hit in case.hits] == ["scam-crypto-and-money", "scam-model"]
    assert case.scores["scam"] >= 0.9
    assert await _audit(runtime) == [("auto.hold", "note", held.id)]  # the inline one only
    assert await _state(runtime, Note, held.id) == "held"


async def test_an_edit_is_checked_again(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "mei", age_days=30)
    headers = await token_headers(client, "mei")
    created = await client.post(
        "/api/v1/notes", headers=headers, json={"title": "Dinner", "body": "Noodles tonight"}
    )
    note_id = int(created.json()["id"])
    await _check(runtime, "note", note_id)
    assert await _state(runtime, Note, note_id) == "visible"
    edited = await client.patch(
        f"/api/v1/notes/{note_id}", headers=headers, json={"title": SCAM[0], "body": SCAM[1]}
    )
    assert edited.status_code == 200, edited.text
    await _check(runtime, "note", note_id)
    assert await _check_jobs(runtime) == 2
    assert await _state(runtime, Note, note_id) == "held"


async def test_a_warning_is_audited_once_and_hides_nothing(runtime: Runtime) -> None:
    mei = await make_account(runtime, "mei", age_days=30)
    lily = await make_account(runtime, "lily", age_days=30)
    note = await make_note(runtime, mei)
    async with runtime.sessions() as session:
        author, row = await session.get(Account, lily.id), await session.get(Note, note.id)
        assert author is not None and row is not None
        body = "This hotpot is fucking amazing, holy shit"
        comment = await comment_service.do_comment(session, runtime, author, row, body)
        await commit(session)
    await _check(runtime, "comment", comment.id)
    await _run_again(runtime, "comment", comment.id)
    assert await _state(runtime, Comment, comment.id) == "visible"
    assert await _cases(runtime) == []
    assert await _audit(runtime) == [("auto.warn", "comment", comment.id)]


async def test_drafts_are_not_checked(runtime: Runtime) -> None:
    mei = await make_account(runtime, "mei", age_days=30)
    draft = await make_note(runtime, mei, title=SCAM[0], body=SCAM[1], draft=True)
    await _check(runtime, "note", draft.id)
    assert await _check_jobs(runtime) == 0
    assert await _cases(runtime) == []


async def test_the_same_words_from_two_accounts_are_held(runtime: Runtime) -> None:
    mei = await make_account(runtime, "mei", age_days=30)
    bot = await make_account(runtime, "bot", age_days=30)
    first = await make_note(runtime, mei, title="集市", body=MARKET)
    again = await make_note(runtime, mei, title="集市", body=MARKET)  # her own copy
    copy = await make_note(runtime, bot, title="集市", body=MARKET + "！")
    for note in (first, again, copy):
        await _check(runtime, "note", note.id)
    assert await _state(runtime, Note, first.id) == "visible"
    assert await _state(runtime, Note, again.id) == "visible"
    assert await _state(runtime, Note, copy.id) == "held"
    (case,) = await _cases(runtime)
    assert case.target_id == copy.id
    assert [hit["rule"] for hit in case.hits] == ["duplicate-across-accounts"]
    assert case.scores["duplicate"] == 1.0


async def test_a_burst_of_comments_is_taken_down(runtime: Runtime) -> None:
    mei = await make_account(runtime, "mei", age_days=30)
    bot = await make_account(runtime, "bot", age_days=30)
    note = await make_note(runtime, mei)
    ids = []
    async with runtime.sessions() as session:
        author = await session.get(Account, bot.id)
        row = await session.get(Note, note.id)
        assert author is not None and row is not None
        for number in range(9):
            body = f"Comment number {number} on your lovely photo"
            comment = await comment_service.do_comment(session, runtime, author, row, body)
            ids.append(comment.id)
        await commit(session)
    await _check(runtime, "comment", ids[0])
    await _check(runtime, "comment", ids[-1])
    assert await _state(runtime, Comment, ids[0]) == "visible"
    assert await _state(runtime, Comment, ids[-1]) == "removed"  # a mute takes it down
    (case,) = await _cases(runtime)
    assert [hit["rule"] for hit in case.hits] == ["burst-posting"]
    assert case.scores["burst"] == 0.9
    assert await _audit(runtime) == [("auto.mute", "comment", ids[-1])]


async def test_a_scam_profile_gets_a_case_once(runtime: Runtime) -> None:
    lily = await make_account(runtime, "lily", age_days=30)
    async with runtime.sessions() as session:
        account = await session.get(Account, lily.id)
        assert account is not None
        account.bio = "Earn $500 a day from home! Guaranteed profit, message me to join our group."
        await commit(session)
    await _check(runtime, "user", lily.id)
    await _run_again(runtime, "user", lily.id)
    (case,) = await _cases(runtime)
    assert (case.target_type, case.target_id, case.author_id) == ("user", lily.id, lily.id)
    assert "scam-model" in [hit["rule"] for hit in case.hits]
    assert await _audit(runtime) == [("auto.hold", "user", lily.id)]


async def test_models_off_checks_nothing(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(moderation_models="off") as (application, _client):
        runtime = application.state.runtime
        mei = await make_account(runtime, "mei", age_days=30)
        scam = await make_note(runtime, mei, title=SCAM[0], body=SCAM[1])
        await _check(runtime, "note", scam.id)
        assert await _state(runtime, Note, scam.id) == "visible"
        assert await score_content(runtime, kind="note", text=SCAM[1], author_id=mei.id) == {}


# --- photos ----------------------------------------------------------------------------------


def _photo() -> bytes:
    """A plate of dumplings on a wooden table, as a member might post."""
    image = Image.new("RGB", (900, 1200), (110, 70, 40))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 300, 750, 900), fill=(250, 250, 245), outline=(90, 90, 90), width=10)
    for x, y in ((300, 450), (450, 420), (380, 600), (520, 580)):
        draw.ellipse((x, y, x + 110, y + 80), fill=(240, 225, 190))
    draw.rectangle((0, 1000, 900, 1200), fill=(60, 90, 140))  # a napkin
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


async def _photo_note(application: FastAPI, client: httpx.AsyncClient) -> int:
    runtime: Runtime = application.state.runtime
    await make_account(runtime, "mei", age_days=30)
    headers = await token_headers(client, "mei")
    upload = await client.post(
        "/api/v1/media", headers=headers, files={"file": ("d.jpg", _photo(), "image/jpeg")}
    )
    assert upload.status_code == 202, upload.text
    created = await client.post(
        "/api/v1/notes",
        headers=headers,
        json={"title": "Dumplings", "media_ids": [upload.json()["id"]]},
    )
    assert created.status_code == 201, created.text
    await run_jobs(runtime)  # processed, then published
    note_id = int(created.json()["id"])
    await _check(runtime, "note", note_id)
    return note_id


async def test_a_safe_photo_scores_low_on_its_rendition(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    note_id = await _photo_note(app, client)
    assert await _state(runtime, Note, note_id) == "visible"
    assert await _cases(runtime) == []
    async with runtime.sessions() as session:
        target = await jobs._read(session, "note", note_id)
    assert target is not None and len(target.images) == 1
    assert target.images[0].endswith("/720.webp")
    scores = await score_content(
        runtime, kind="note", text="Dumplings", author_id=1, images=target.images
    )
    assert 0.0 <= scores["nudity"] < 0.5


NUDITY_ALWAYS = """
version: "test"
rules:
  - code: any-image
    name: {en: Every image, zh: 所有图片}
    scope: {kinds: [image]}
    matcher: {kind: classifier, name: nudity, threshold: 0.0}
    action: hold
    severity: 4
    reason: {en: Images are reviewed., zh: 图片需要审核。}
"""


async def test_the_job_runs_nudenet_on_the_note_rendition(app_with, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A policy whose image rule fires on any score: the hold shows NudeNet's score was read
    from the note's photo."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(NUDITY_ALWAYS, encoding="utf-8")
    async with app_with(moderation_policy_file=policy) as (application, http):
        runtime = application.state.runtime
        note_id = await _photo_note(application, http)
        assert await _state(runtime, Note, note_id) == "held"
        (case,) = await _cases(runtime)
        assert [hit["rule"] for hit in case.hits] == ["any-image"]
        assert 0.0 <= case.scores["nudity"] < 0.5


async def test_image_model_off_skips_nudenet(app_with, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "policy.yaml"
    policy.write_text(NUDITY_ALWAYS, encoding="utf-8")
    async with app_with(moderation_policy_file=policy, moderation_image_model="off") as (
        application,
        http,
    ):
        runtime = application.state.runtime
        note_id = await _photo_note(application, http)
        assert await _state(runtime, Note, note_id) == "visible"
        assert await _cases(runtime) == []
