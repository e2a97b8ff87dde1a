"""schemathesis against a real server: no input to the notes, comments, boards, feed and translate
endpoints gives a 5xx. Real ids are seeded first so generated requests reach past the 404s."""

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

PATHS = (
    r"^/api/v1/(notes|comments|boards|feeds|translate|me/boards"
    r"|users/\{username\}/(notes|collects|boards))"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("fuzz"), REDLEAF_RATE_LIMITS="off") as url:
        yield url


def test_note_endpoints_never_answer_5xx(server: str) -> None:
    account = {"username": "fuzzer", "password": "fuzzing-is-fun-42"}
    assert httpx.post(f"{server}/api/v1/accounts", json=account).status_code == 201
    token = httpx.post(f"{server}/api/v1/auth/tokens", json=account).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    note = httpx.post(
        f"{server}/api/v1/notes", headers=headers, json={"title": "Fuzz me", "body": "#fuzz"}
    ).json()
    comment = httpx.post(
        f"{server}/api/v1/notes/{note['id']}/comments", headers=headers, json={"body": "hi"}
    ).json()
    board = httpx.post(f"{server}/api/v1/boards", headers=headers, json={"name": "Fuzz"}).json()
    # Path parameters the fuzzer would otherwise only ever guess wrong.
    known = {
        "note_id": note["id"],
        "comment_id": comment["id"],
        "board_id": board["id"],
        "username": "fuzzer",
    }

    schema = schemathesis.openapi.from_url(f"{server}/openapi.json").include(path_regex=PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, headers, known if mode is GenerationMode.POSITIVE else {})


def _fuzz(operation, mode, headers, known) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    def no_server_error(case) -> None:  # type: ignore[no-untyped-def]
        for name in case.path_parameters or {}:
            if name in known:
                case.path_parameters[name] = known[name]
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    try:
        no_server_error()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE
