"""Model checks as jobs: after a note is published or edited, a comment posted or a profile
changed, its classifier scores join the policy's rules (the cheap rules already ran inline).

    schedule_check(session, "note", id)     in the transaction of the change; the job's key is
                                             the target and a digest of its words and images,
                                             so an edit is checked again and a retry is not
    moderation.check  (job)
      read the target in a short session    published notes only (drafts and notes still
                                             processing are checked when they publish), the
                                             comment, or the profile; gone: nothing to do
      policy_store.current_engine            the policy in force (a worker serves no requests
                                             that would refresh it)
      scoring.score_content                  models on the moderation thread, no transaction
                                             open; photos by their 720 rendition, a video by
                                             its poster frame
      engine.check(Content(scores=...))      the text's kind, and "image" for the photos; only
                                             the score rules count (the inline pass recorded
                                             the others)
      the target changed meanwhile?          stop: the job of the new version checks it
      hiding verdict, content visible        set held/removed, pipeline.record: the case and an
                                             auto.* audit entry; the scores go on the case
      already held or removed                the scores (and new hits) join its open case only
      warn                                   the audit entry only

Never unhides. Idempotent: an auto.* entry for this target with these rules since this version
of the content means it was recorded already (a job re-run after a lost commit, or a moderator
who has since allowed it). A rule that asks for an edit cannot be obeyed after the fact: in a
job it holds the content instead. Mute and suspend take the content down here; sanctions on
the account are pipeline.record's to apply (as for the inline pass).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import new_id
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.media.models import Media
from redleaf.moderation import cases, enforce, pipeline, policy_store
from redleaf.moderation import withholding as _withholding  # noqa: F401  (registers its job)
from redleaf.moderation.engine import Content, Engine, Hit, Verdict
from redleaf.moderation.models import AuditEntry, Case
from redleaf.moderation.scoring import (
    BURST_WINDOW_SECONDS,
    IMAGE_KIND,
    SCORED_MATCHERS,
    score_content,
)
from redleaf.notes.access import parse_id
from redleaf.notes.models import Comment, Note

log = logging.getLogger("redleaf.moderation")

CHECK = "moderation.check"
LIFT_SUSPENSION = "moderation.lift_suspension"  # enqueued by decisions.py, to run at the end
# Case target type → the policy's content kind.
KINDS = {"note": "note", "comment": "comment", "user": "profile"}
RENDITION = "720"  # what the grid shows; NudeNet reads 320×320 anyway


@dataclass(frozen=True)
class Target:
    """What a check reads of its target, taken in one short session."""

    target_type: str
    target_id: int
    author_id: int
    text: str
    images: tuple[str, ...]  # storage keys of renditions
    version: str  # digest of the words and images: changes with an edit
    since: datetime  # when this version was made (audit entries after it are about it)
    recent_posts: int | None = None
    author_locale: str | None = None
    author_region: str | None = None
    author_age_hours: float | None = None

    @property
    def kind(self) -> str:
        return KINDS[self.target_type]


def rendition_key(media: Media) -> str | None:
    """The 720-wide rendition of a ready photo (or a video's poster frame), else the largest."""
    renditions = media.renditions or {}
    if media.state != "ready":
        return None
    if RENDITION in renditions:
        return str(renditions[RENDITION]["key"])
    widths = [label for label in renditions if label.isdigit()]
    return str(renditions[max(widths, key=int)]["key"]) if widths else None


def _digest(*parts: object) -> str:
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def _id_at(moment: datetime) -> int:
    """The smallest id made at `moment` (ids are time-ordered: kit/db.py)."""
    return max(0, int(moment.timestamp() * 1000) - new_id.EPOCH_MS) << 22


async def _read(session: AsyncSession, target_type: str, target_id: int) -> Target | None:
    """The target as the check sees it; None when it is gone or not to be checked (a draft,
    a note still waiting for its media)."""
    if target_type == "note":
        note = await session.get(Note, target_id)
        if note is None or note.state != "published":
            return None
        media = await session.scalars(
            select(Media).where(Media.note_id == note.id).order_by(Media.position)
        )
        images = tuple(key for key in map(rendition_key, media) if key is not None)
        posted = note.published_at or note.created_at
        return Target(
            "note",
            note.id,
            note.author_id,
            f"{note.title}\n{note.body}".strip(),
            images,
            _digest(note.title, note.body, *images),
            max(moment for moment in (note.edited_at, posted) if moment is not None),
        )
    if target_type == "comment":
        comment = await session.get(Comment, target_id)
        if comment is None:
            return None
        return Target(
            "comment",
            comment.id,
            comment.author_id,
            comment.body,
            (),
            _digest(comment.body),
            comment.created_at,
        )
    if target_type == "user":
        account = await session.get(Account, target_id)
        if account is None:
            return None
        text = f"{account.display_name}\n{account.bio}".strip()
        return Target("user", account.id, account.id, text, (), _digest(text), account.updated_at)
    return None


async def _recent_posts(session: AsyncSession, target: Target) -> int | None:
    """The author's posts of this kind in the burst window that ends with this one (counted in
    the database: every process's posts, and a retried job does not count twice)."""
    window = timedelta(seconds=BURST_WINDOW_SECONDS)
    if target.target_type == "note":
        # When the author posted it, not when it published: photos that finish processing
        # together are not a burst of the author's.
        posted = await session.scalar(select(Note.created_at).where(Note.id == target.target_id))
        if posted is None:
            return None
        query = (
            select(func.count())
            .select_from(Note)
            .where(
                Note.author_id == target.author_id,
                Note.created_at > posted - window,
                Note.created_at <= posted,
            )
        )
    elif target.target_type == "comment":
        query = (
            select(func.count())
            .select_from(Comment)
            .where(
                Comment.id >= _id_at(target.since - window),  # ids are time-ordered: the PK range
                Comment.id <= target.target_id,
                Comment.author_id == target.author_id,
            )
        )
    else:
        return None
    return int(await session.scalar(query) or 0)


async def _with_author(session: AsyncSession, target: Target) -> Target | None:
    author = await session.get(Account, target.author_id)
    if author is None:
        return None
    age = (target.since - author.created_at).total_seconds() / 3600
    return replace(
        target,
        recent_posts=await _recent_posts(session, target),
        author_locale=author.ui_language,
        author_region=author.region or None,
        author_age_hours=max(age, 0.0),
    )


async def schedule_check(session: AsyncSession, target_type: str, target_id: int) -> None:
    """Queue the model check of a note, comment or profile ("user") in the caller's
    transaction. Once per version of the content: calling it again for the same words and
    images queues nothing. Only published notes are queued: a draft is not checked, and a note
    still in its draft or processing state when this runs is queued by its publication."""
    if target_type not in KINDS:
        raise ValueError(f"unknown moderation target {target_type!r}")
    await session.flush()  # the media it just took, the words it just got (no autoflush)
    target = await _read(session, target_type, target_id)
    if target is None:
        return
    await enqueue(
        session,
        CHECK,
        {"target_type": target_type, "target_id": str(target_id)},
        idempotency_key=f"{target_type}:{target_id}:{target.version}",
    )


def model_verdict(engine: Engine, target: Target, scores: dict[str, float]) -> Verdict:
    """The verdict of the score rules alone, over the text's kind and, for photos, "image"."""
    base = Content(
        kind=target.kind,
        text=target.text,
        author_locale=target.author_locale,
        author_region=target.author_region,
        author_age_hours=target.author_age_hours,
        scores=scores,
    )
    contents = [base]
    image_scores = {name: scores[name] for name in ("nudity",) if name in scores}
    if target.images and image_scores:
        contents.append(replace(base, kind=IMAGE_KIND, text="", scores=image_scores))
    hits: dict[str, Hit] = {}
    for content in contents:
        for hit in engine.check(content).hits:
            kept = hits.get(hit.rule)
            if hit.matcher in SCORED_MATCHERS and (
                kept is None or (hit.score or 0.0) > (kept.score or 0.0)
            ):
                hits[hit.rule] = hit
    version = engine.policy.version
    if not hits:
        return Verdict("allow", policy_version=version)
    ordered = tuple(hits.values())
    decisive = Verdict("allow", ordered).decisive
    assert decisive is not None
    action = "hold" if decisive.action == "ask_edit" else decisive.action
    timed = action in ("mute", "suspend")
    return Verdict(
        action, ordered, decisive.duration_hours if timed else None, policy_version=version
    )


async def _open_case(session: AsyncSession, target: Target) -> Case | None:
    key = cases.open_key(target.target_type, target.target_id)
    found: Case | None = await session.scalar(
        select(Case).where(Case.open_key == key).execution_options(populate_existing=True)
    )
    return found


def _add_to_case(case: Case, scores: dict[str, float], hits: tuple[Hit, ...]) -> None:
    """The scores, and the hits the case does not show yet, for the console (new objects:
    JSON columns notice only assignment)."""
    case.scores = {**(case.scores or {}), **scores}
    known = {hit.get("rule") for hit in case.hits or [] if isinstance(hit, dict)}
    fresh: list[dict[str, Any]] = [asdict(hit) for hit in hits if hit.rule not in known]
    if fresh:
        case.hits = [*(case.hits or []), *fresh]


async def _recorded(session: AsyncSession, target: Target, verdict: Verdict) -> bool:
    """Whether an auto.* entry with these rules exists for this version of the target (read
    through the time index: only entries since the version was made)."""
    details = await session.scalars(
        select(AuditEntry.details).where(
            AuditEntry.created_at >= target.since,
            AuditEntry.target_type == target.target_type,
            AuditEntry.target_id == target.target_id,
            AuditEntry.action == f"auto.{verdict.action}",
        )
    )
    wanted = set(verdict.rules)
    return any(wanted <= set((entry or {}).get("rules") or ()) for entry in details)


async def apply_verdict(
    session: AsyncSession, target: Target, verdict: Verdict, scores: dict[str, float]
) -> str | None:
    """Act on a job's verdict (see the module's docstring); the state the content took now,
    if any."""
    case = await _open_case(session, target)
    if verdict.action == "allow":
        if case is not None:
            _add_to_case(case, scores, ())
        return None
    hidden = pipeline.HIDING.get(verdict.action)
    state = await enforce.content_state(session, target.target_type, target.target_id)
    already_hidden = hidden is not None and state in ("held", "removed")
    if already_hidden or await _recorded(session, target, verdict):
        if case is not None:
            _add_to_case(case, scores, verdict.hits)
        await session.flush()
        return None
    changed = None
    if hidden is not None and state == "visible":
        await enforce.set_content_state(session, target.target_type, target.target_id, hidden)
        changed = hidden
    await pipeline.record(
        session,
        verdict,
        target_type=target.target_type,
        target_id=target.target_id,
        author_id=target.author_id,
    )
    case = await _open_case(session, target)
    if case is not None:
        if verdict.severity > case.severity:
            await cases.raise_severity(session, case.id, verdict.severity, 0)
            case = await _open_case(session, target)
        if case is not None:
            _add_to_case(case, scores, verdict.hits)
    await session.flush()
    return changed


def _target_of(payload: dict[str, Any]) -> tuple[str, int] | None:
    target_type, raw = str(payload.get("target_type", "")), str(payload.get("target_id", ""))
    if target_type not in KINDS or not (raw.isascii() and raw.isdigit() and len(raw) <= 19):
        return None
    return target_type, int(raw)


@job_handler(CHECK)
async def check_target(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    runtime = ctx.runtime
    found = _target_of(payload)
    if runtime.settings.moderation_models == "off" or found is None:
        return
    # Read in a short session of its own: no transaction stays open while the models run
    # (on SQLite a read kept open across them could not be turned into a write afterwards).
    async with runtime.sessions() as short:
        target = await _read(short, *found)
        target = await _with_author(short, target) if target is not None else None
    if target is None:
        return
    # The policy in force, looked up here too: in a worker process no request refreshes it.
    engine = await policy_store.current_engine(runtime)
    scores = await score_content(
        runtime,
        kind=target.kind,
        text=target.text,
        author_id=target.author_id,
        ref=f"{target.target_type}:{target.target_id}",
        images=target.images,
        recent_posts=target.recent_posts,
        engine=engine,
    )
    if not scores:
        return
    verdict = model_verdict(engine, target, scores)
    now = await _read(session, *found)
    if now is None or now.version != target.version:
        return  # edited or deleted meanwhile: the new version has its own job
    changed = await apply_verdict(session, target, verdict, scores)
    if verdict.action != "allow":
        log.info(
            "model check of %s %s: %s (%s)%s",
            target.target_type,
            target.target_id,
            verdict.action,
            ", ".join(verdict.rules),
            f", now {changed}" if changed else "",
        )


@job_handler(LIFT_SUSPENSION)
async def lift_suspension(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    """At the end of a suspension with a duration (scheduled by the decision; sign-in also
    lifts one whose time is up, should this job be late)."""
    account_id = parse_id(payload.get("account_id"))
    if account_id is not None:
        await enforce.lift_expired(session, account_id)
