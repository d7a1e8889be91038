"""The API against its own OpenAPI document, fuzzed by Schemathesis on a live server.

Every request is sent by a signed-in member (the moderation endpoints by a moderator, so
they get past the 403). Whatever is generated, valid or deliberately invalid, the server must
never answer 5xx, and every answer must be one the document lists, with its content type and
body schema (errors as problem+json). Half the cases name posts, cases and accounts that exist,
so the fuzzing reaches past the 404s.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from tests.factories import PASSWORD
from tests.live import LiveServer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SIGN_OUT = ("DELETE", "/api/v1/sessions/current")


@dataclass
class World:
    member: dict[str, str]
    moderator: dict[str, str]
    ids: dict[str, int]  # path parameter -> an id that exists


def _signed_up(http: httpx.Client, pseudonym: str) -> dict[str, str]:
    account = {"pseudonym": pseudonym, "password": PASSWORD}
    assert http.post("/accounts", json=account).status_code == 201
    signed_in = http.post("/sessions", json=account)
    assert signed_in.status_code == 201, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['token']}"}


@pytest.fixture(scope="session")
def world(api_server: LiveServer) -> Iterator[World]:
    with httpx.Client(base_url=api_server.url + "/api/v1") as http:
        member = _signed_up(http, "Quiet Fuzzer")
        other = _signed_up(http, "Other Fuzzer")
        moderator = _signed_up(http, "Moss Keeper")
        api_server.cli("moderator", "add", "Moss Keeper")
        circle = http.get("/circles").json()["items"][0]["slug"]
        story = {"circle": circle, "title": "Fuzzed", "body": "A story to reply to."}
        mine = http.post("/stories", json=story, headers=member).json()
        theirs = http.post("/stories", json=story, headers=other).json()
        reply = {"body": "A reply."}
        http.post(f"/stories/{theirs['id']}/replies", json=reply, headers=member)
        report = {"post_id": theirs["id"], "reason": "spam"}
        assert http.post("/reports", json=report, headers=member).status_code == 201
        queue = http.get("/moderation/queue", headers=moderator).json()
        other_id = http.get("/me", headers=other).json()["id"]
        ids = {
            "story_id": theirs["id"],
            "post_id": mine["id"],
            "item_id": queue["items"][0]["id"],
            "account_id": other_id,
        }
        yield World(member, moderator, ids)


@pytest.fixture(scope="session")
def api_schema(api_server: LiveServer) -> Any:
    return schemathesis.openapi.from_url(api_server.url + "/openapi.json")


def _operations() -> list[Any]:
    # The app's own document names the cases at collection time; each runs against the
    # document the live server serves.
    paths = create_app().openapi()["paths"]
    return [
        pytest.param(method.upper(), path, id=f"{method.upper()} {path}")
        for path, methods in paths.items()
        for method in methods
        if (method.upper(), path) != SIGN_OUT
    ]


def _strategy(operation: Any, ids: dict[str, int]) -> Any:
    """Valid requests, requests that break the document on purpose, and valid ones about
    things that exist."""
    strategies = [operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)]
    known = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
    if known:
        strategies.append(operation.as_strategy(path_parameters=known))
    return st.one_of(strategies)


@pytest.mark.parametrize(("method", "path"), _operations())
def test_the_api_keeps_to_its_openapi_document(
    api_schema: Any, world: World, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    headers = world.moderator if path.startswith("/api/v1/moderation/") else world.member

    @given(case=_strategy(operation, world.ids))
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


# Signing out would sign the fuzzing member out of every later case, so it has its own test.
def test_signing_out_keeps_to_the_document(api_server: LiveServer, api_schema: Any) -> None:
    with httpx.Client(base_url=api_server.url + "/api/v1") as http:
        headers = _signed_up(http, "Brief Visitor")
    operation = api_schema[SIGN_OUT[1]][SIGN_OUT[0]]
    for status in (204, 401):  # signed in, then with the token it has just ended
        response = operation.Case().call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == status
