from __future__ import annotations

import asyncio

import httpx
import pytest

from redleaf.kit.runtime import Runtime
from tests.accounts.factories import PASSWORD, make_account, token_headers


async def test_signup_returns_the_account(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/accounts",
        json={
            "username": "Lily_Chen",
            "password": PASSWORD,
            "display_name": "莉莉 🌸",
            "ui_language": "zh-Hans",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "lily_chen"
    assert body["display_name"] == "莉莉 🌸"
    assert body["ui_language"] == "zh-Hans"
    assert isinstance(body["id"], str)


async def test_usernames_are_unique_case_insensitively(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/v1/accounts", json={"username": "mei", "password": PASSWORD})
    assert first.status_code == 201
    again = await client.post("/api/v1/accounts", json={"username": "MEI", "password": PASSWORD})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "username_taken"
    assert again.json()["error"]["field"] == "username"


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("ab", "invalid_username"),
        ("a" * 31, "invalid_username"),
        ("li-na", "invalid_username"),
        ("李娜", "invalid_username"),
        ("robert'); DROP TABLE accounts;--", "invalid_username"),
        ("<script>", "invalid_username"),
        ("admin", "username_taken"),
    ],
)
async def test_bad_usernames_get_a_clear_400(
    client: httpx.AsyncClient, username: str, code: str
) -> None:
    response = await client.post(
        "/api/v1/accounts", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code in (400, 409)
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", "password_too_short"),
        ("password123", "password_too_common"),
        ("woaini1314", "password_too_common"),
        ("qiaoqiao99", "password_is_username"),
        ("x" * 300, "password_too_long"),
        ("aaaaaaaaaa", "password_too_common"),
    ],
)
async def test_weak_passwords_are_refused(
    client: httpx.AsyncClient, password: str, code: str
) -> None:
    response = await client.post(
        "/api/v1/accounts", json={"username": "qiaoqiao99", "password": password}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["field"] == "password"


async def test_errors_speak_the_request_language(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/accounts",
        json={"username": "x", "password": PASSWORD},
        headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize(
    "payload",
    [
        {"username": 123, "password": PASSWORD},
        {"username": "lina"},
        {"username": ["a"], "password": PASSWORD},
        {"username": "lina", "password": PASSWORD, "is_admin": True},
    ],
)
async def test_wrong_types_are_malformed_422(
    client: httpx.AsyncClient, payload: dict[str, object]
) -> None:
    response = await client.post("/api/v1/accounts", json=payload)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "malformed_request"


async def test_display_names_refuse_control_characters_and_overlength(
    client: httpx.AsyncClient,
) -> None:
    bad = await client.post(
        "/api/v1/accounts",
        json={"username": "lina", "password": PASSWORD, "display_name": "Li\x00na"},
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_characters"
    long = await client.post(
        "/api/v1/accounts",
        json={"username": "lina", "password": PASSWORD, "display_name": "长" * 41},
    )
    assert long.status_code == 400 and long.json()["error"]["code"] == "too_long"
    html = await client.post(
        "/api/v1/accounts",
        json={"username": "lina", "password": PASSWORD, "display_name": "<b>Lina</b>"},
    )
    assert html.status_code == 201
    assert html.json()["display_name"] == "<b>Lina</b>"  # stored as text, escaped when shown


async def test_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/accounts",
        content=b'{"username": "' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_tokens_create_list_and_revoke(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "tokenuser")
    headers = await token_headers(client, "tokenuser")
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["username"] == "tokenuser"
    tokens = (await client.get("/api/v1/auth/tokens", headers=headers)).json()
    assert len(tokens) == 1 and tokens[0]["current"] is True
    for garbage in ("abc", "9" * 30, "123"):
        missing = await client.delete(f"/api/v1/auth/tokens/{garbage}", headers=headers)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "token_not_found"
    revoked = await client.delete(f"/api/v1/auth/tokens/{tokens[0]['id']}", headers=headers)
    assert revoked.status_code == 204
    after = await client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "invalid_token"


async def test_wrong_password_is_401_and_backs_off(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "unlucky")
    codes = []
    for _ in range(runtime.settings.login_backoff_after + 1):
        response = await client.post(
            "/api/v1/auth/tokens", json={"username": "unlucky", "password": "wrong-password-1"}
        )
        codes.append(response.json()["error"]["code"])
    assert codes[0] == "invalid_credentials"
    blocked = await client.post(
        "/api/v1/auth/tokens", json={"username": "unlucky", "password": PASSWORD}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert blocked.json()["error"]["code"] == "login_backoff"


async def test_unknown_user_and_wrong_password_look_the_same(
    client: httpx.AsyncClient, runtime
) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "real_one")
    unknown = await client.post(
        "/api/v1/auth/tokens", json={"username": "ghost", "password": PASSWORD}
    )
    wrong = await client.post(
        "/api/v1/auth/tokens", json={"username": "real_one", "password": "nope-nope-1"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


async def test_profile_update_and_validation(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "editor")
    headers = await token_headers(client, "editor")
    ok = await client.patch(
        "/api/v1/me",
        headers=headers,
        json={
            "display_name": "小编 Editor",
            "bio": "Line one\nline two",
            "ui_language": "zh-Hans",
            "languages": ["zh", "en"],
            "interests": ["food", "travel"],
        },
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["interests"] == ["food", "travel"]
    assert ok.json()["bio"] == "Line one\nline two"
    bad = await client.patch("/api/v1/me", headers=headers, json={"interests": ["crypto"]})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "interests"
    lang = await client.patch("/api/v1/me", headers=headers, json={"ui_language": "fr"})
    assert lang.status_code == 400 and lang.json()["error"]["code"] == "invalid_language"
    # The account's UI language answers when the request names none.
    chinese = await client.patch("/api/v1/me", headers=headers, json={"ui_language": "fr"})
    message = chinese.json()["error"]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


async def test_follow_unfollow_and_counts(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "alice")
    await make_account(runtime, "bob")
    alice = await token_headers(client, "alice")
    assert (await client.post("/api/v1/users/bob/follow", headers=alice)).status_code == 204
    assert (
        await client.post("/api/v1/users/bob/follow", headers=alice)
    ).status_code == 204  # idempotent
    bob = (await client.get("/api/v1/users/bob", headers=alice)).json()
    assert bob["counts"] == {"followers": 1, "following": 0}
    assert bob["relationship"]["following"] is True
    followers = (await client.get("/api/v1/users/bob/followers")).json()
    assert [p["username"] for p in followers["items"]] == ["alice"]
    assert (await client.delete("/api/v1/users/bob/follow", headers=alice)).status_code == 204
    bob = (await client.get("/api/v1/users/bob")).json()
    assert bob["counts"]["followers"] == 0
    self_follow = await client.post("/api/v1/users/alice/follow", headers=alice)
    assert self_follow.status_code == 400


async def test_follow_lists_paginate_with_cursor(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "star")
    names = [f"fan{i}" for i in range(5)]
    for name in names:
        await make_account(runtime, name)
        await client.post("/api/v1/users/star/follow", headers=await token_headers(client, name))
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/users/star/followers", params=params)).json()
        seen += [p["username"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == names and len(seen) == 5
    broken = await client.get("/api/v1/users/star/followers", params={"cursor": "not-a-cursor!!"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_cursor"


async def test_block_hides_both_ways_and_cuts_follows(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "carol")
    await make_account(runtime, "dave")
    carol = await token_headers(client, "carol")
    dave = await token_headers(client, "dave")
    await client.post("/api/v1/users/dave/follow", headers=carol)
    await client.post("/api/v1/users/carol/follow", headers=dave)
    assert (await client.post("/api/v1/users/dave/block", headers=carol)).status_code == 204
    # Dave can no longer see Carol, nor follow her.
    assert (await client.get("/api/v1/users/carol", headers=dave)).status_code == 404
    assert (await client.post("/api/v1/users/carol/follow", headers=dave)).status_code == 404
    # Carol still sees Dave (to unblock), the follows are gone, and she cannot follow him.
    dave_profile = (await client.get("/api/v1/users/dave", headers=carol)).json()
    assert dave_profile["relationship"]["blocking"] is True
    assert dave_profile["counts"] == {"followers": 0, "following": 0}
    assert (await client.post("/api/v1/users/dave/follow", headers=carol)).status_code == 409
    # Dave does not appear in anyone's lists as Carol sees them.
    await make_account(runtime, "erin")
    erin = await token_headers(client, "erin")
    await client.post("/api/v1/users/erin/follow", headers=dave)
    followers = (await client.get("/api/v1/users/erin/followers", headers=carol)).json()
    assert followers["items"] == []
    assert (await client.delete("/api/v1/users/dave/block", headers=carol)).status_code == 204
    assert (await client.get("/api/v1/users/carol", headers=dave)).status_code == 200
    assert erin


async def test_mute(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "loud")
    await make_account(runtime, "quiet")
    quiet = await token_headers(client, "quiet")
    assert (await client.post("/api/v1/users/loud/mute", headers=quiet)).status_code == 204
    profile = (await client.get("/api/v1/users/loud", headers=quiet)).json()
    assert profile["relationship"]["muting"] is True
    assert (await client.delete("/api/v1/users/loud/mute", headers=quiet)).status_code == 204


async def test_change_password_ends_other_sessions(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "rotator")
    headers = await token_headers(client, "rotator")
    bad = await client.post(
        "/api/v1/me/password",
        headers=headers,
        json={"current_password": "not-it-at-all", "new_password": "new-plum-blossom-7"},
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "current_password"
    ok = await client.post(
        "/api/v1/me/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "new-plum-blossom-7"},
    )
    assert ok.status_code == 204
    old = await client.post(
        "/api/v1/auth/tokens", json={"username": "rotator", "password": PASSWORD}
    )
    assert old.status_code == 401
    await token_headers(client, "rotator", "new-plum-blossom-7")


async def test_export_and_delete(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "leaver")
    await make_account(runtime, "friend")
    headers = await token_headers(client, "leaver")
    await client.post("/api/v1/users/friend/follow", headers=headers)
    export = await client.get("/api/v1/me/export", headers=headers)
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    assert export.headers["cache-control"] == "no-store"
    archive = export.json()
    assert archive["account"]["username"] == "leaver"
    assert archive["following"][0]["username"] == "friend"
    assert "password_hash" not in export.text
    wrong = await client.request(
        "DELETE", "/api/v1/me", headers=headers, json={"password": "nope-nope-1"}
    )
    assert wrong.status_code == 400
    gone = await client.request(
        "DELETE", "/api/v1/me", headers=headers, json={"password": PASSWORD}
    )
    assert gone.status_code == 204
    assert (await client.get("/api/v1/users/leaver")).status_code == 404
    assert (await client.get("/api/v1/users/friend")).json()["counts"]["followers"] == 0


async def test_staff_roles(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "boss", role="admin")
    await make_account(runtime, "helper")
    boss = await token_headers(client, "boss")
    helper = await token_headers(client, "helper")
    denied = await client.post(
        "/api/v1/admin/accounts/boss/role", headers=helper, json={"role": "member"}
    )
    assert denied.status_code == 403
    promoted = await client.post(
        "/api/v1/admin/accounts/helper/role", headers=boss, json={"role": "moderator"}
    )
    assert promoted.status_code == 200 and promoted.json()["role"] == "moderator"
    bad = await client.post(
        "/api/v1/admin/accounts/helper/role", headers=boss, json={"role": "king"}
    )
    assert bad.status_code == 400


async def test_onboarding(client: httpx.AsyncClient, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_account(runtime, "newbie")
    headers = await token_headers(client, "newbie")
    refused = await client.post(
        "/api/v1/me/onboarding",
        headers=headers,
        json={"interests": ["food"], "languages": ["en"], "accept_guidelines": False},
    )
    assert (
        refused.status_code == 400 and refused.json()["error"]["code"] == "guidelines_not_accepted"
    )
    done = await client.post(
        "/api/v1/me/onboarding",
        headers=headers,
        json={
            "interests": ["food", "skincare"],
            "languages": ["en", "zh"],
            "accept_guidelines": True,
        },
    )
    assert done.status_code == 200
    assert done.json()["onboarded"] is True and done.json()["guidelines_accepted"] is True


async def test_health_and_readiness(client: httpx.AsyncClient, runtime: Runtime) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    for _ in range(300):  # what loads at start (the language detector) may still be loading
        ready = await client.get("/readyz")
        if ready.status_code == 200:
            break
        assert ready.json()["checks"]["translation"] == "warming up"
        await asyncio.sleep(0.1)
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.headers["x-request-id"]
    runtime.warming.add("models")
    warming = await client.get("/readyz")
    assert warming.status_code == 503 and warming.json()["checks"]["models"] == "warming up"
    assert (await client.get("/healthz")).status_code == 200  # up all the same


async def test_unknown_api_path_is_translated_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here", headers={"Accept-Language": "zh-Hans"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
