"""schemathesis against a real server's /openapi.json: no input to account endpoints gives a 5xx."""

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

ACCOUNT_PATHS = r"^/api/v1/(accounts|auth|me|users|admin)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("fuzz"), REDLEAF_RATE_LIMITS="off") as url:
        yield url


@pytest.fixture(scope="module")
def auth_header(server: str) -> dict[str, str]:
    account = {"username": "fuzzer", "password": "fuzzing-is-fun-42"}
    assert httpx.post(f"{server}/api/v1/accounts", json=account).status_code == 201
    created = httpx.post(f"{server}/api/v1/auth/tokens", json=account)
    return {"Authorization": f"Bearer {created.json()['token']}"}


def test_account_endpoints_never_answer_5xx(server: str, auth_header: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{server}/openapi.json").include(
        path_regex=ACCOUNT_PATHS
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        # Keep the fuzzer's own credentials alive so authenticated paths stay reachable.
        if operation.method.upper() == "DELETE" and operation.path in (
            "/api/v1/me",
            "/api/v1/auth/tokens/{token_id}",
        ):
            continue

        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
            def no_server_error(case) -> None:  # type: ignore[no-untyped-def]
                case.call_and_validate(headers=auth_header, checks=[not_a_server_error])

            try:
                no_server_error()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong: no parameters


def test_schema_lists_the_contract(server: str) -> None:
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/accounts",
        "/api/v1/auth/tokens",
        "/api/v1/me",
        "/api/v1/users/{username}",
    ):
        assert path in paths
