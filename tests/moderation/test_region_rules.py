"""Rules scoped by the author's region (issue 5, item 1): the member's own region reaches the
engine on posting, in regional withholding (on posting and when a saved policy re-derives it)
and in the model check's score rules. Members who say no region match no region rule."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files

import httpx
import pytest
from sqlalchemy import select

from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.moderation import policy_store
from redleaf.moderation.engine import Engine
from redleaf.moderation.jobs import Target, model_verdict
from redleaf.moderation.policy import load_yaml
from redleaf.notes.models import Note
from tests.accounts.factories import make_account, token_headers

DEFAULT_YAML = files("redleaf.moderation").joinpath("data/default_policy.yaml").read_text("utf-8")
HELD_TERM = "ticketgrab"
WITHHELD_TERM = "lanternfest"
REGION_RULES = f"""
  - code: us-ticket-resale
    name: {{en: Ticket resale (US), zh: 转售门票（美国）}}
    matcher: {{kind: terms, terms: [{HELD_TERM}]}}
    action: hold
    severity: 2
    scope: {{author_regions: [US]}}
    reason:
      en: Ticket resale by members in this region is reviewed first.
      zh: 此地区会员转售门票的内容需先经审核。
  - code: us-authors-zh-readers
    name: {{en: Regional limit, zh: 地区限制}}
    matcher: {{kind: terms, terms: [{WITHHELD_TERM}]}}
    action: hold
    severity: 2
    scope: {{author_regions: [US], viewer_locales: [zh-Hans]}}
    reason:
      en: Not shown to readers in this region.
      zh: 此地区的读者不会看到。
  - code: us-burst
    name: {{en: Burst (US), zh: 连发（美国）}}
    matcher: {{kind: spam_signal, name: burst, threshold: 0.5}}
    action: remove
    severity: 2
    scope: {{author_regions: [US]}}
    reason:
      en: Too many posts at once.
      zh: 短时间内发布过多。
"""
WITH_REGION_RULES = DEFAULT_YAML.rstrip("\n") + "\n" + REGION_RULES


async def _save_policy(runtime: Runtime, text: str) -> None:
    admin = await make_account(runtime, f"boss{len(text)}", role="admin", age_days=100)
    async with runtime.sessions() as session:
        await policy_store.do_save(session, runtime, admin, text, "region rules")
        await commit(session)


@pytest.fixture
async def authors(client: httpx.AsyncClient, runtime: Runtime) -> dict[str, dict[str, str]]:
    """Three members old enough to skip the newcomer hold: in the US, in China, and unsaid."""
    await make_account(runtime, "sam", age_days=30, region="US")
    await make_account(runtime, "mei", age_days=30, region="CN")
    await make_account(runtime, "ash", age_days=30)
    return {name: await token_headers(client, name) for name in ("sam", "mei", "ash")}


async def _post(client: httpx.AsyncClient, headers: dict[str, str], title: str) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/notes", json={"title": title, "body": "Concert tonight"}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


async def _withheld_in(runtime: Runtime, note_id: str) -> str:
    async with runtime.sessions() as session:
        value = await session.scalar(select(Note.withheld_in).where(Note.id == int(note_id)))
    assert value is not None
    return value


async def test_a_rule_for_us_authors_holds_their_notes_only(
    client: httpx.AsyncClient, runtime: Runtime, authors: dict[str, dict[str, str]]
) -> None:
    await _save_policy(runtime, WITH_REGION_RULES)
    held = await _post(client, authors["sam"], f"{HELD_TERM} two seats")
    assert held["moderation_state"] == "held"
    for name in ("mei", "ash"):
        note = await _post(client, authors[name], f"{HELD_TERM} two seats")
        assert note["moderation_state"] == "visible", name
    # Saying a region later brings the member under its rules.
    changed = await client.patch("/api/v1/me", headers=authors["ash"], json={"region": "US"})
    assert changed.status_code == 200
    later = await _post(client, authors["ash"], f"{HELD_TERM} again")
    assert later["moderation_state"] == "held"


async def test_withholding_reads_the_authors_region(
    client: httpx.AsyncClient, runtime: Runtime, authors: dict[str, dict[str, str]]
) -> None:
    await _save_policy(runtime, WITH_REGION_RULES)
    from_us = await _post(client, authors["sam"], f"{WITHHELD_TERM} photos")
    from_cn = await _post(client, authors["mei"], f"{WITHHELD_TERM} photos")
    assert from_us["moderation_state"] == "visible"  # withheld from some readers, not held
    assert await _withheld_in(runtime, from_us["id"]) == ",zh-Hans,"
    assert await _withheld_in(runtime, from_cn["id"]) == ""


async def test_a_saved_policy_rederives_by_the_authors_region(
    client: httpx.AsyncClient, runtime: Runtime, authors: dict[str, dict[str, str]]
) -> None:
    from tests.notes.factories import run_jobs

    from_us = await _post(client, authors["sam"], f"{WITHHELD_TERM} photos")
    from_unsaid = await _post(client, authors["ash"], f"{WITHHELD_TERM} photos")
    await run_jobs(runtime)
    assert await _withheld_in(runtime, from_us["id"]) == ""
    await _save_policy(runtime, WITH_REGION_RULES)
    await run_jobs(runtime)
    assert await _withheld_in(runtime, from_us["id"]) == ",zh-Hans,"
    assert await _withheld_in(runtime, from_unsaid["id"]) == ""


def test_score_rules_in_the_model_check_read_the_region() -> None:
    engine = Engine(load_yaml(WITH_REGION_RULES))
    since = datetime(2026, 1, 1, tzinfo=UTC)

    def target(region: str | None) -> Target:
        return Target(
            "note", 1, 2, "hello", (), "v1", since, author_region=region, author_age_hours=500
        )

    scores = {"burst": 0.7}
    verdict = model_verdict(engine, target("US"), scores)
    assert verdict.action == "remove"
    assert verdict.decisive is not None and verdict.decisive.rule == "us-burst"
    for region in ("CN", None):
        assert model_verdict(engine, target(region), scores).action == "allow"
