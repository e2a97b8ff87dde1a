"""The policy in force: admins' versions over the operator's file and the shipped default, cached
per process and picked up by other processes within moderation_policy_refresh_seconds; saving,
restoring and switching a rule, each a new version with its audit entry; invalid YAML named by
line and column; the size an admin may save."""

from __future__ import annotations

from importlib.resources import files

import httpx
import pytest
from sqlalchemy import select

from redleaf.accounts.models import Account
from redleaf.kit.db import commit, new_id, utcnow
from redleaf.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from redleaf.kit.i18n import reset_locale, set_locale
from redleaf.kit.runtime import Runtime
from redleaf.moderation import pipeline, policy_store, policy_yaml
from redleaf.moderation.engine import Content
from redleaf.moderation.models import AuditEntry, PolicyVersion
from redleaf.settings import Settings
from tests.accounts.factories import make_account, token_headers

DEFAULT_YAML = files("redleaf.moderation").joinpath("data/default_policy.yaml").read_text("utf-8")
PINEAPPLE_RULE = """
  - code: no-pineapple
    name: {en: Pineapple talk, zh: 菠萝话题}
    matcher:
      kind: terms
      terms: [pineapple pizza, 菠萝披萨]
    action: hold
    severity: 2
    reason:
      en: Pineapple pizza talk waits for a moderator.
      zh: 菠萝披萨话题需等待版主审核。
"""
WITH_PINEAPPLE = DEFAULT_YAML.rstrip("\n") + "\n" + PINEAPPLE_RULE
SMALL = """version: "small-1"
rules:
  - code: shouting
    name: {en: Shouting, zh: 大喊大叫}
    matcher: {kind: terms, terms: [aaaargh]}
    action: ask_edit
    reason: {en: Please do not shout., zh: 请不要大喊大叫。}
"""


def note(text: str) -> Content:
    return Content(kind="note", text=text, author_age_hours=1000)


async def save(runtime: Runtime, admin: Account, text: str, comment: str = "") -> PolicyVersion:
    async with runtime.sessions() as session:
        row = await policy_store.do_save(session, runtime, admin, text, comment)
        await commit(session)
        return row


async def test_with_no_version_the_default_is_in_force(runtime: Runtime) -> None:
    in_force = await policy_store.current(runtime)
    assert in_force.source == "default" and in_force.version_id is None
    assert in_force.yaml == DEFAULT_YAML
    assert pipeline.engine_for(runtime) is in_force.engine
    assert in_force.engine.policy.rule("abuse-insults-en") is not None


async def test_the_operators_file_comes_before_the_default(app_with, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "policy.yaml"
    path.write_text(SMALL, encoding="utf-8")
    async with app_with(moderation_policy_file=path) as (app, _client):
        runtime = app.state.runtime
        assert pipeline.engine_for(runtime).policy.version == "small-1"
        in_force = await policy_store.current(runtime)
        assert (in_force.source, in_force.yaml) == ("file", SMALL)


async def test_a_saved_version_is_in_force_at_once_and_audited(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    admin = await make_account(runtime, "boss", role="admin")
    await make_account(runtime, "mei", age_days=30)
    mei = await token_headers(client, "mei")
    body = {"title": "Dinner", "body": "We had pineapple pizza tonight"}
    before = await client.post("/api/v1/notes", json=body, headers=mei)
    assert before.json()["moderation_state"] == "visible"

    row = await save(runtime, admin, WITH_PINEAPPLE, "pineapple")
    assert pipeline.engine_for(runtime).check(note("PINEAPPLE  pizza!")).action == "hold"
    after = await client.post("/api/v1/notes", json=body, headers=mei)
    assert after.json()["moderation_state"] == "held"

    in_force = await policy_store.current(runtime)
    assert (in_force.source, in_force.version_id) == ("database", row.id)
    async with runtime.sessions() as session:
        (entry,) = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "policy.saved"))
        ).all()
    assert (entry.actor_id, entry.actor_role) == (admin.id, "admin")
    assert entry.details["digest"] == row.digest == policy_yaml.digest_of(WITH_PINEAPPLE)
    assert (
        entry.details["version"] == "2025.1"
        and entry.details["rules"] == len(policy_yaml.parse(DEFAULT_YAML).rules) + 1
    )


async def test_a_rolled_back_save_changes_nothing(runtime: Runtime) -> None:
    admin = await make_account(runtime, "boss", role="admin")
    async with runtime.sessions() as session:
        await policy_store.do_save(session, runtime, admin, WITH_PINEAPPLE, "")
        await session.rollback()
    assert pipeline.engine_for(runtime).check(note("pineapple pizza")).action == "allow"
    assert (await policy_store.current(runtime)).source == "default"


async def test_restoring_saves_the_old_version_again(runtime: Runtime) -> None:
    admin = await make_account(runtime, "boss", role="admin")
    first = await save(runtime, admin, WITH_PINEAPPLE)
    await save(runtime, admin, SMALL)
    assert pipeline.engine_for(runtime).check(note("pineapple pizza")).action == "allow"
    async with runtime.sessions() as session:
        restored = await policy_store.do_revert(session, runtime, admin, str(first.id))
        await commit(session)
        versions = await policy_store.history(session, 10)
        with pytest.raises(NotFound):
            await policy_store.do_revert(session, runtime, admin, "12345")
        with pytest.raises(NotFound):
            await policy_store.do_revert(session, runtime, admin, "not-a-number")
    assert [v.id for v in versions][0] == restored.id and len(versions) == 3
    assert restored.yaml == first.yaml and restored.digest == first.digest
    assert restored.comment.startswith("↩ 2025.1")
    assert pipeline.engine_for(runtime).check(note("pineapple pizza")).action == "hold"
    async with runtime.sessions() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "policy.restored")
        )
    assert entry is not None and entry.details["restored_from"] == str(first.id)


async def test_switching_a_rule_keeps_the_yaml_as_written(runtime: Runtime) -> None:
    admin = await make_account(runtime, "boss", role="admin")
    insult = note("you are an asshole")
    assert pipeline.engine_for(runtime).check(insult).action == "hold"
    async with runtime.sessions() as session:
        off = await policy_store.set_rule_enabled(
            session, runtime, admin, "abuse-insults-en", False
        )
        await commit(session)
    # One line added under the rule's code; every comment of the default stays.
    added = "  - code: abuse-insults-en\n    enabled: false\n"
    assert off.yaml == DEFAULT_YAML.replace("  - code: abuse-insults-en\n", added)
    assert off.comment == "abuse-insults-en: enabled=false"
    assert pipeline.engine_for(runtime).check(insult).action == "allow"

    async with runtime.sessions() as session:
        again = await policy_store.set_rule_enabled(
            session, runtime, admin, "abuse-insults-en", False
        )
        assert again.id == off.id  # already off: no new version
        on = await policy_store.set_rule_enabled(session, runtime, admin, "abuse-insults-en", True)
        await commit(session)
    assert on.yaml == off.yaml.replace("enabled: false", "enabled: true")
    assert pipeline.engine_for(runtime).check(insult).action == "hold"


def test_switching_a_rule_in_flow_style_or_with_a_flag() -> None:
    inline = (
        'version: "f"\nrules:\n  - {code: shouting, name: {en: S, zh: 喊}, '
        "matcher: {kind: terms, terms: [a]}, action: hold, reason: {en: R, zh: 理}}\n"
    )
    switched = policy_yaml.switch_rule_text(inline, "shouting", False)
    assert "{code: shouting, enabled: false, name:" in switched
    rule = policy_yaml.parse(switched).rule("shouting")
    assert rule is not None and rule.enabled is False

    flagged = SMALL.replace(
        "    action: ask_edit\n", "    action: ask_edit\n    enabled: true  # on\n"
    )
    switched = policy_yaml.switch_rule_text(flagged, "shouting", False)
    assert "    enabled: false  # on\n" in switched


def test_an_unknown_rule_cannot_be_switched() -> None:
    with pytest.raises(InvalidInput) as raised:
        policy_yaml.switch_rule_text(SMALL, "nope", False)
    assert raised.value.field == "code" and "nope" in raised.value.translated()


@pytest.mark.parametrize(
    ("text", "line", "column", "english", "chinese"),
    [
        (
            SMALL.replace("action: ask_edit", "action: ask_edit: now"),
            6,
            21,
            "not valid YAML",
            "不是有效的 YAML",
        ),
        (
            SMALL.replace("action: ask_edit", "action: shout"),
            6,
            5,
            "unknown action shout",
            "规则 shouting",
        ),
        (
            SMALL.replace("terms: [aaaargh]", "terms: []"),
            5,
            28,
            "list at least one term",
            "规则 shouting",
        ),
        (
            SMALL.replace("    action: ask_edit\n", "    action: hold\n    colour: red\n"),
            7,
            5,
            "unknown field",
            "规则 shouting",
        ),
        (SMALL + SMALL.split("rules:\n")[1], 8, 5, "two rules have this code", "规则 shouting"),
        (
            SMALL.replace('version: "small-1"', "version:"),
            1,
            1,
            "give the policy a version",
            "字段 version",
        ),
        ("", 1, 1, "expected a mapping", "字段 policy"),
    ],
)
def test_invalid_policies_name_the_line_and_column_in_both_languages(
    text: str, line: int, column: int, english: str, chinese: str
) -> None:
    with pytest.raises(policy_yaml.InvalidPolicy) as raised:
        policy_yaml.parse(text)
    error = raised.value
    assert (error.line, error.column, error.field, error.status) == (line, column, "yaml", 400)
    assert error.translated().startswith(f"Line {line}, column {column}: ")
    assert english in error.translated()
    token = set_locale("zh-Hans")
    try:
        assert error.translated().startswith(f"第 {line} 行，第 {column} 列：")
        assert chinese in error.translated()
    finally:
        reset_locale(token)


async def test_an_oversized_policy_is_refused(app_with) -> None:  # type: ignore[no-untyped-def]
    padded = "# " + "x" * 2000 + "\n" + SMALL  # 2.2 KB
    async with app_with(moderation_policy_max_bytes=2048) as (app, _client):
        runtime = app.state.runtime
        admin = await make_account(runtime, "boss", role="admin")
        async with runtime.sessions() as session:
            with pytest.raises(policy_yaml.PolicyTooLarge) as raised:
                await policy_store.do_save(session, runtime, admin, padded, "")
            await policy_store.do_save(session, runtime, admin, SMALL, "")  # 0.2 KB: saved
    error = raised.value
    assert (error.field, error.status) == ("yaml", 400)
    assert error.translated() == "The policy is 3 KB; a policy may be at most 2 KB."
    token = set_locale("zh-Hans")
    try:
        assert error.translated() == "该策略大小为 3 KB；策略最大为 2 KB。"
    finally:
        reset_locale(token)


async def test_only_admins_save_and_stale_edits_conflict(runtime: Runtime) -> None:
    admin = await make_account(runtime, "boss", role="admin")
    moderator = await make_account(runtime, "kai", role="moderator")
    async with runtime.sessions() as session:
        for call in (
            policy_store.do_save(session, runtime, moderator, SMALL, ""),
            policy_store.do_revert(session, runtime, moderator, "1"),
            policy_store.set_rule_enabled(session, runtime, moderator, "shouting", False),
        ):
            with pytest.raises(Forbidden):
                await call
        opened_at = (await policy_store.current(runtime, session)).digest
        await policy_store.do_save(session, runtime, admin, SMALL, "", based_on=opened_at)
        await commit(session)
        with pytest.raises(Conflict):  # a second admin's page opened before that save
            await policy_store.do_save(
                session, runtime, admin, WITH_PINEAPPLE, "", based_on=opened_at
            )


async def test_another_process_follows_within_the_refresh_time(
    runtime: Runtime, settings: Settings
) -> None:
    admin = await make_account(runtime, "boss", role="admin")
    # Two more server processes on the same database: one re-checks every 30 s (the default),
    # the other at every refresh.
    other = Runtime.build(settings)
    quick = Runtime.build(settings.model_copy(update={"moderation_policy_refresh_seconds": 0.0}))
    try:
        for process in (other, quick):
            assert (await policy_store.current_engine(process)).policy.version == "2025.1"
        await save(runtime, admin, SMALL)
        # Within its refresh time a process keeps what it has; the one that saved switched at once.
        await policy_store.refresh(other)
        await policy_store.settled(other)
        assert pipeline.engine_for(other).policy.version == "2025.1"
        assert pipeline.engine_for(runtime).policy.version == "small-1"

        await policy_store.refresh(quick)  # the look runs in the background ...
        await policy_store.settled(quick)  # ... and the next post gets the new policy
        assert pipeline.engine_for(quick).policy.version == "small-1"
        kept = pipeline.engine_for(quick)
        await policy_store.refresh(quick)
        await policy_store.settled(quick)  # same digest: nothing rebuilt
        assert pipeline.engine_for(quick) is kept
    finally:
        await other.close()
        await quick.close()

    # A process that never looked waits for its first look: its first post meets the new policy.
    fresh = Runtime.build(settings)
    try:
        assert pipeline.engine_for(fresh).policy.version == "2025.1"  # nothing read yet
        await policy_store.refresh(fresh)
        assert pipeline.engine_for(fresh).policy.version == "small-1"
    finally:
        await fresh.close()


async def test_a_version_that_no_longer_validates_keeps_the_engine(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(moderation_policy_refresh_seconds=0.0) as (app, _client):
        runtime = app.state.runtime
        before = await policy_store.current_engine(runtime)
        async with runtime.sessions() as session:
            session.add(
                PolicyVersion(
                    id=new_id(), yaml="rules: 3", version="x", digest="broken", created_at=utcnow()
                )
            )
            await commit(session)
        assert await policy_store.current_engine(runtime) is before
