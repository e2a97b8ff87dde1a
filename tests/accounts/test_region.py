"""A member's region (ISO 3166-1 alpha-2, or "" when not said): set and cleared through the API
and the settings page, named in the page's language, and never shown to other people."""

from __future__ import annotations

import httpx
import pytest

from redleaf.accounts import repository, service
from redleaf.kit.db import commit, utcnow
from redleaf.kit.errors import InvalidInput
from redleaf.kit.i18n import gettext, reset_locale, set_locale
from redleaf.kit.runtime import Runtime
from tests.accounts.factories import PASSWORD, make_account, token_headers
from tests.accounts.test_pages import log_in, submit

UNKNOWN = "Unknown region: %(value)s. Use a two-letter code such as CN or US, or leave it empty."


def in_chinese(msgid: str, **params: object) -> str:
    token = set_locale("zh-Hans")
    try:
        return gettext(msgid, **params)
    finally:
        reset_locale(token)


async def _stored_region(runtime: Runtime, username: str) -> str:
    async with runtime.sessions() as session:
        account = await repository.by_username(session, username)
        assert account is not None
        return account.region


# --- the check ------------------------------------------------------------------------------------


def test_check_region_takes_places_babel_knows() -> None:
    assert service.check_region("") == ""
    assert service.check_region("US") == "US"
    assert service.check_region(" cn ") == "CN"  # rules compare upper-case codes
    assert {"HK", "TW", "MO", "GB", "XK"} <= service.region_codes()
    # Groupings, pseudo-locales, the unknown region and numeric areas are nowhere to live.
    for value in ("001", "419", "ZZ", "EU", "UN", "XA", "USA", "U", "😀"):
        with pytest.raises(InvalidInput) as raised:
            service.check_region(value)
        assert raised.value.field == "region" and raised.value.code == "invalid_region"


# --- the API --------------------------------------------------------------------------------------


async def test_api_sets_clears_and_refuses_a_region(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "ling")
    headers = await token_headers(client, "ling")
    me = await client.get("/api/v1/me", headers=headers)
    assert me.json()["region"] == ""  # not said until the member says

    set_ = await client.patch("/api/v1/me", headers=headers, json={"region": "us"})
    assert set_.status_code == 200, set_.text
    assert set_.json()["region"] == "US"
    assert (await client.get("/api/v1/me", headers=headers)).json()["region"] == "US"
    # Other changes leave it alone.
    other = await client.patch("/api/v1/me", headers=headers, json={"bio": "Dumplings"})
    assert other.json()["region"] == "US"

    english = await client.patch(
        "/api/v1/me", headers={**headers, "Accept-Language": "en"}, json={"region": "ZZ"}
    )
    assert english.status_code == 400
    error = english.json()["error"]
    assert error["code"] == "invalid_region" and error["field"] == "region"
    assert error["message"] == UNKNOWN % {"value": "ZZ"}
    chinese = await client.patch(
        "/api/v1/me", headers={**headers, "Accept-Language": "zh-Hans"}, json={"region": "ZZ"}
    )
    assert chinese.status_code == 400
    assert chinese.json()["error"]["message"] == in_chinese(UNKNOWN, value="ZZ")
    assert await _stored_region(runtime, "ling") == "US"  # a refused change saves nothing

    too_long = await client.patch("/api/v1/me", headers=headers, json={"region": "USA"})
    assert too_long.status_code == 422  # the shape is wrong: two letters at most

    cleared = await client.patch("/api/v1/me", headers=headers, json={"region": ""})
    assert cleared.status_code == 200 and cleared.json()["region"] == ""
    assert await _stored_region(runtime, "ling") == ""


async def test_signup_may_say_a_region(client: httpx.AsyncClient, runtime: Runtime) -> None:
    created = await client.post(
        "/api/v1/accounts", json={"username": "wen", "password": PASSWORD, "region": "HK"}
    )
    assert created.status_code == 201, created.text
    assert "region" not in created.json()  # the sign-up answer is the public shape
    assert await _stored_region(runtime, "wen") == "HK"
    refused = await client.post(
        "/api/v1/accounts", json={"username": "wu_li", "password": PASSWORD, "region": "QQ"}
    )
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "region"
    plain = await client.post("/api/v1/accounts", json={"username": "xu_an", "password": PASSWORD})
    assert plain.status_code == 201 and await _stored_region(runtime, "xu_an") == ""


async def test_region_is_personal(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "jun", region="JP")
    await make_account(runtime, "kai")
    viewer = await token_headers(client, "kai")
    for headers in (viewer, {}):
        profile = await client.get("/api/v1/users/jun", headers=headers)
        assert profile.status_code == 200
        assert "region" not in profile.json()
    own = await client.get("/api/v1/me", headers=await token_headers(client, "jun"))
    assert own.json()["region"] == "JP"
    page = await client.get("/u/jun")
    assert page.status_code == 200 and "Japan" not in page.text
    export = await client.get("/api/v1/me/export", headers=await token_headers(client, "jun"))
    assert export.json()["account"]["region"] == "JP"  # everything we hold about them


# --- the settings page ----------------------------------------------------------------------------


async def _member(client: httpx.AsyncClient, runtime: Runtime, username: str) -> None:
    account = await make_account(runtime, username)
    async with runtime.sessions() as session:
        stored = await repository.by_id(session, account.id)
        assert stored is not None
        stored.onboarded_at = utcnow()
        await commit(session)
    await log_in(client, username)


def _profile_form(**fields: str) -> dict[str, object]:
    return {"display_name": "Mei", "bio": "", "ui_language": "en", **fields}


async def test_settings_page_names_regions_in_english(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _member(client, runtime, "mei")
    page = await client.get("/settings")
    html = page.text
    assert '<option value="">Not set</option>' in html
    assert '<option value="US">United States</option>' in html
    assert "Used to apply community rules that differ by region." in html
    # The common regions first, then the rest by name.
    assert html.index('value="CN"') < html.index('value="US"') < html.index('value="AF"')
    assert html.index(">Afghanistan<") < html.index(">Åland Islands<") < html.index(">Albania<")
    assert 'value="001"' not in html and 'value="ZZ"' not in html

    saved = await submit(client, "/settings", "/settings/profile", _profile_form(region="US"))
    assert saved.status_code == 303
    assert await _stored_region(runtime, "mei") == "US"
    assert (
        '<option value="US" selected>United States</option>' in (await client.get("/settings")).text
    )

    # A form without the field (an older page) leaves the region as it was.
    kept = await submit(client, "/settings", "/settings/profile", _profile_form())
    assert kept.status_code == 303 and await _stored_region(runtime, "mei") == "US"

    refused = await submit(client, "/settings", "/settings/profile", _profile_form(region="ZZ"))
    assert refused.status_code == 400
    assert UNKNOWN % {"value": "ZZ"} in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert await _stored_region(runtime, "mei") == "US"

    cleared = await submit(client, "/settings", "/settings/profile", _profile_form(region=""))
    assert cleared.status_code == 303 and await _stored_region(runtime, "mei") == ""


async def test_settings_page_names_regions_in_chinese(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _member(client, runtime, "lan")
    client.cookies.set("redleaf_lang", "zh-Hans")
    saved = await submit(
        client, "/settings", "/settings/profile", _profile_form(ui_language="zh-Hans", region="CN")
    )
    assert saved.status_code == 303
    html = (await client.get("/settings")).text
    assert '<html lang="zh-Hans">' in html
    assert '<option value="CN" selected>中国</option>' in html
    assert '<option value="US">美国</option>' in html and "United States" not in html
    assert in_chinese("Not set") in html
    # The others in pinyin order: 阿尔巴尼亚 (a), 巴西 (ba), 德国 (de).
    assert html.index(">阿尔巴尼亚<") < html.index(">巴西<") < html.index(">德国<")
