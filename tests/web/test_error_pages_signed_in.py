"""An error page for a signed-in member (a note that is not there, a page that is not theirs)
still shows who is signed in: the request's rollback must not leave the viewer unusable."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from redleaf.kit.runtime import Runtime
from tests.accounts.factories import make_account
from tests.moderation.test_authorization import _signed_in


async def test_error_pages_keep_the_member_signed_in(app: FastAPI, runtime: Runtime) -> None:
    await make_account(runtime, "lily", display_name="Lily")
    member, _csrf = await _signed_in(app, "lily")
    try:
        for path, status in (("/notes/123456", 404), ("/admin/glossary", 403), ("/mod", 403)):
            answer: httpx.Response = await member.get(path)
            assert answer.status_code == status, (path, answer.text[:200])
            assert "Log out" in answer.text  # the signed-in navigation, not a visitor's
    finally:
        await member.aclose()
