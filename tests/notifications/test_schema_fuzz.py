"""schemathesis against a real server: no input to the notification endpoints gives a 5xx (the
endless stream is left out: a fuzzer waits for a response to end)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.live_server import live_server

pytestmark = pytest.mark.slow

PATHS = r"^/api/v1/notifications(?!/stream)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("fuzz"), REDLEAF_RATE_LIMITS="off") as url:
        yield url


def test_notification_endpoints_never_answer_5xx(server: str) -> None:
    account = {"username": "fuzzer", "password": "fuzzing-is-fun-42"}
    other = {"username": "friend", "password": "fuzzing-is-fun-42"}
    for member in (account, other):
        assert httpx.post(f"{server}/api/v1/accounts", json=member).status_code == 201
    token = httpx.post(f"{server}/api/v1/auth/tokens", json=account).json()["token"]
    friend = httpx.post(f"{server}/api/v1/auth/tokens", json=other).json()["token"]
    followed = httpx.post(
        f"{server}/api/v1/users/fuzzer/follow", headers={"Authorization": f"Bearer {friend}"}
    )
    assert followed.status_code == 204  # something to list and mark read
    headers = {"Authorization": f"Bearer {token}"}

    schema = schemathesis.openapi.from_url(f"{server}/openapi.json").include(path_regex=PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(op.method.upper(), op.path) for op in operations} == {
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v1/notifications/unread-count"),
        ("POST", "/api/v1/notifications/read"),
    }
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
            def no_server_error(case) -> None:  # type: ignore[no-untyped-def]
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            try:
                no_server_error()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong: no parameters
