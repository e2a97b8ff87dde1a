"""The policy console (/admin/moderation/policy), driven as a browser without scripts drives it:
the rules table, the YAML editor, importing a file, switching a rule, restoring a version, the
download; admins only, CSRF on every form, errors in both languages with their line."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from redleaf.kit.runtime import Runtime
from redleaf.moderation import policy_pages, policy_store, policy_yaml
from redleaf.moderation.models import PolicyVersion
from tests.accounts.factories import make_account, token_headers
from tests.accounts.test_pages import ZH, csrf_of, log_in
from tests.moderation.test_policy_store import DEFAULT_YAML, SMALL, WITH_PINEAPPLE

PAGE = policy_pages.PAGE


@pytest.fixture(autouse=True)
def console(app: FastAPI) -> None:
    """The console's router, until app.py lists it with the other feature routers."""
    if not any(getattr(route, "path", None) == PAGE for route in app.routes):
        app.include_router(policy_pages.router)


@pytest.fixture
async def admin(client: httpx.AsyncClient, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    await make_account(runtime, "boss", role="admin")
    await log_in(client, "boss")
    yield client


async def token(client: httpx.AsyncClient, page: str = PAGE) -> str:
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text[:300]
    return csrf_of(opened.text)


async def save_yaml(
    client: httpx.AsyncClient, text: str, comment: str = "", **extra: str
) -> httpx.Response:
    """The editor's form, multipart as the page sends it."""
    fields = {"csrf_token": await token(client), "comment": comment, **extra}
    return await client.post(PAGE, data=fields, files={"yaml": (None, text)})


async def import_file(
    client: httpx.AsyncClient, content: bytes, comment: str = ""
) -> httpx.Response:
    fields = {"csrf_token": await token(client), "comment": comment}
    return await client.post(
        PAGE + "/import", data=fields, files={"file": ("policy.yaml", content, "application/yaml")}
    )


async def versions(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PolicyVersion)) or 0)


async def test_the_console_shows_the_rules_in_force(admin: httpx.AsyncClient) -> None:
    page = await admin.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert "Insults (English)" in html and "abuse-insults-en" in html
    assert "5 terms: fuck you, asshole, piece of shit, …" in html
    assert "classifier abuse ≥ 0.85" in html and "spam signal burst ≥ 0.9" in html
    assert "4 domains: spam.example, free-followers.example, cheap-likes.example, …" in html
    assert "notes, comments, messages, profiles<br>accounts younger than 24 hours" in html
    assert "any link" in html and "<td>1 hour</td>" in html  # burst-posting mutes for an hour
    assert "Hold for review" in html and "Redleaf&#39;s default policy" in html
    assert "# Redleaf&#39;s default moderation policy" in html  # the YAML, comments and all
    assert 'href="/admin/moderation/policy.yaml"' in html
    assert "No admin has saved a version yet" in html

    admin.cookies.update(ZH)
    chinese = (await admin.get(PAGE)).text
    assert "辱骂（英文）" in chinese and "审核策略" in chinese and "暂扣待审" in chinese
    assert "注册不满 24 小时的账号" in chinese and "任何链接" in chinese


async def test_a_rule_added_in_the_console_applies_to_the_next_post(
    admin: httpx.AsyncClient, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "mei", age_days=30)
    mei = await token_headers(client, "mei")
    body = {"title": "Dinner", "body": "We had pineapple pizza tonight"}
    assert (await client.post("/api/v1/notes", json=body, headers=mei)).json()[
        "moderation_state"
    ] == "visible"

    saved = await save_yaml(admin, WITH_PINEAPPLE.replace("\n", "\r\n"), "no pineapple")
    assert saved.status_code == 303 and saved.headers["location"] == PAGE
    held = await client.post("/api/v1/notes", json=body, headers=mei)
    assert held.json()["moderation_state"] == "held"

    page = (await admin.get(PAGE)).text
    assert "Saved." in page and "Pineapple talk" in page and "no pineapple" in page
    assert "@boss" in page and policy_yaml.digest_of(WITH_PINEAPPLE)[:8] in page

    # A rule that asks for an edit refuses the post outright.
    asking = WITH_PINEAPPLE.replace("    action: hold\n    severity: 2", "    action: ask_edit")
    assert (await save_yaml(admin, asking)).status_code == 303
    refused = await client.post("/api/v1/notes", json=body, headers=mei)
    assert refused.status_code == 400
    assert "Pineapple pizza talk waits" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    ("cookies", "expected"), [({}, "Line 6, column 5: "), (ZH, "第 6 行，第 5 列：")]
)
async def test_invalid_yaml_comes_back_with_its_line(
    admin: httpx.AsyncClient, runtime: Runtime, cookies: dict[str, str], expected: str
) -> None:
    admin.cookies.update(cookies)
    typed = SMALL.replace("action: ask_edit", "action: shout")
    answer = await save_yaml(admin, typed, "my try")
    assert answer.status_code == 400
    assert expected in answer.text
    assert (
        "<code>    action: shout\n    ^</code>" in answer.text
    )  # the line, and a caret under column 5
    assert (
        "action: shout\n    reason: {en: Please do not shout., zh: 请不要大喊大叫。}\n</textarea>"
        in answer.text
    )
    assert 'value="my try"' in answer.text
    assert await versions(runtime) == 0


async def test_importing_a_file(admin: httpx.AsyncClient, runtime: Runtime) -> None:
    imported = await import_file(admin, ("\ufeff" + SMALL).encode(), "from staging")
    assert imported.status_code == 303
    assert policy_store.cached_engine(runtime).policy.version == "small-1"
    page = (await admin.get(PAGE)).text
    assert "from staging" in page and "Shouting" in page and "In force" in page

    latin = await import_file(admin, "version: café\n".encode("latin-1"))
    assert latin.status_code == 400 and "This file is not UTF-8 text" in latin.text
    big = b"# " + b"x" * runtime.settings.moderation_policy_max_bytes + b"\n" + SMALL.encode()
    too_big = await import_file(admin, big)
    assert too_big.status_code == 400 and "a policy may be at most 512 KB" in too_big.text
    nothing = await import_file(admin, b"")
    assert nothing.status_code == 400 and "Choose a YAML file to import." in nothing.text
    broken = await import_file(admin, b"version: 1\nrules: [\n")
    assert broken.status_code == 400 and "Line 3, column 1: " in broken.text
    assert "rules: [\n</textarea>" in broken.text  # the file's text, to fix in the editor
    assert await versions(runtime) == 1

    admin.cookies.update(ZH)
    latin = await import_file(admin, "version: café\n".encode("latin-1"))
    assert latin.status_code == 400 and "该文件不是 UTF-8 文本" in latin.text


async def test_the_size_limit_and_refresh_time_are_settings(app_with) -> None:  # type: ignore[no-untyped-def]
    tuned = {"moderation_policy_max_bytes": 2048, "moderation_policy_refresh_seconds": 5.0}
    async with app_with(**tuned) as (app, client):
        await make_account(app.state.runtime, "boss", role="admin")
        await log_in(client, "boss")
        page = (await client.get(PAGE)).text
        assert "Every server process follows a change within 5 seconds." in page
        assert "UTF-8 text, at most 2 KB." in page
        padded = "# " + "x" * 2000 + "\n" + SMALL  # 2.2 KB
        too_big = await import_file(client, padded.encode())
        assert too_big.status_code == 400
        assert "The policy is 3 KB; a policy may be at most 2 KB." in too_big.text
        typed = await save_yaml(client, padded)
        assert typed.status_code == 400 and "a policy may be at most 2 KB" in typed.text

        client.cookies.update(ZH)
        chinese = await import_file(client, padded.encode())
        assert "该策略大小为 3 KB；策略最大为 2 KB。" in chinese.text
        assert "修改会在 5 秒内同步到每个服务器进程" in chinese.text
        assert await versions(app.state.runtime) == 0


async def test_switching_a_rule_and_restoring_a_version(
    admin: httpx.AsyncClient, runtime: Runtime
) -> None:
    switched = await admin.post(
        PAGE + "/switch", data={"csrf_token": await token(admin), "code": "abuse-insults-en"}
    )
    assert switched.status_code == 303
    engine = policy_store.cached_engine(runtime)
    rule = engine.policy.rule("abuse-insults-en")
    assert rule is not None and not rule.enabled
    page = (await admin.get(PAGE)).text
    assert "Switch on" in page and "abuse-insults-en: enabled=false" in page

    unknown = await admin.post(
        PAGE + "/switch", data={"csrf_token": await token(admin), "code": "nope", "enabled": "on"}
    )
    assert unknown.status_code == 400 and "There is no rule with the code nope." in unknown.text

    async with runtime.sessions() as session:
        (first,) = await policy_store.history(session, 5)
    assert (await save_yaml(admin, SMALL)).status_code == 303
    restored = await admin.post(
        PAGE + "/restore", data={"csrf_token": await token(admin), "version": str(first.id)}
    )
    assert restored.status_code == 303
    rule = policy_store.cached_engine(runtime).policy.rule("abuse-insults-en")
    assert rule is not None and not rule.enabled
    assert await versions(runtime) == 3
    missing = await admin.post(
        PAGE + "/restore", data={"csrf_token": await token(admin), "version": "42"}
    )
    assert missing.status_code == 404 and "We could not find that policy version." in missing.text


async def test_a_stale_editor_does_not_overwrite_a_newer_save(
    admin: httpx.AsyncClient, runtime: Runtime
) -> None:
    opened = await admin.get(PAGE)
    based_on = policy_yaml.digest_of(DEFAULT_YAML)
    assert f'name="based_on" value="{based_on}"' in opened.text
    assert (await save_yaml(admin, SMALL, based_on=based_on)).status_code == 303
    late = await save_yaml(admin, WITH_PINEAPPLE, based_on=based_on)
    assert late.status_code == 409 and "Someone saved the policy after you opened it" in late.text
    # Their text is kept, and saving again goes over the version now in force.
    assert f'name="based_on" value="{policy_yaml.digest_of(SMALL)}"' in late.text
    assert await versions(runtime) == 1


async def test_the_download_is_the_yaml_in_force(admin: httpx.AsyncClient) -> None:
    default = await admin.get(PAGE + ".yaml")
    assert default.status_code == 200 and default.text == DEFAULT_YAML
    assert default.headers["content-disposition"] == (
        'attachment; filename="redleaf-policy-2025.1.yaml"'
    )
    assert default.headers["content-type"].startswith("application/yaml")
    await save_yaml(admin, SMALL)
    assert (await admin.get(PAGE + ".yaml")).text == SMALL


@pytest.mark.parametrize("role", ["member", "moderator"])
async def test_only_admins_reach_the_console(
    client: httpx.AsyncClient, runtime: Runtime, role: str
) -> None:
    await make_account(runtime, "kai", role=role)
    await log_in(client, "kai")
    csrf = await token(client, "/settings")
    assert (await client.get(PAGE)).status_code == 403
    assert (await client.get(PAGE + ".yaml")).status_code == 403
    for action, data in (
        (PAGE, {"yaml": SMALL}),
        (PAGE + "/switch", {"code": "abuse-insults-en"}),
        (PAGE + "/restore", {"version": "1"}),
    ):
        answer = await client.post(action, data={"csrf_token": csrf, **data})
        assert answer.status_code == 403, action
    upload = await client.post(
        PAGE + "/import",
        data={"csrf_token": csrf},
        files={"file": ("p.yaml", SMALL.encode(), "application/yaml")},
    )
    assert upload.status_code == 403
    assert await versions(runtime) == 0


async def test_every_form_needs_its_csrf_token(admin: httpx.AsyncClient, runtime: Runtime) -> None:
    for action, data in (
        (PAGE, {"yaml": SMALL}),
        (PAGE + "/switch", {"code": "abuse-insults-en"}),
        (PAGE + "/restore", {"version": "1"}),
        (PAGE + "/import", {}),
    ):
        answer = await admin.post(
            action, data=data, files={"file": ("p.yaml", SMALL.encode(), "application/yaml")}
        )
        assert answer.status_code == 403, action
        wrong = await admin.post(action, data={"csrf_token": "forged", **data})
        assert wrong.status_code == 403, action
    assert await versions(runtime) == 0
