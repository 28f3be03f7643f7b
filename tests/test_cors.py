"""CORS as a real ICWS server does it: preflights answered for every operation, credentials
allowed, the session headers readable, for the allowed origins only."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from icws_api.server import create_app
from icws_api.testing import create_mock_app
from starlette.applications import Starlette

from generator.ir.build import build
from generator.ir.nodes import Operation
from generator.spec.load import load
from tests.conftest import SPEC

API = build(load(SPEC))
ALLOWED = "https://agents.example.com"
REFUSED = "https://elsewhere.example.com"


def ask(
    app: Starlette, method: str, path: str, headers: dict[str, str], body: str = ""
) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://icws") as client:
            return await client.request(method, path, headers=headers, content=body.encode())

    return asyncio.run(send())


def preflight(app: Starlette, operation: Operation, origin: str) -> httpx.Response:
    """The preflight a browser sends before ``operation``'s example call from ``origin``."""
    requested = [name for name, _ in operation.example_headers if name.lower() != "cookie"]
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": operation.method,
        "Access-Control-Request-Headers": ", ".join(requested).lower(),
    }
    return ask(app, "OPTIONS", operation.example_path, headers)


def listed(value: str | None) -> set[str]:
    return {item.strip().lower() for item in (value or "").split(",") if item.strip()}


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.operation_id)
def test_a_preflight_from_an_allowed_origin_allows_the_call_with_credentials(
    operation: Operation,
) -> None:
    answer = preflight(create_app(allow_origins=[ALLOWED]), operation, ALLOWED)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert operation.method.lower() in listed(answer.headers["Access-Control-Allow-Methods"])
    requested = {name.lower() for name, _ in operation.example_headers} - {"cookie"}
    assert requested <= listed(answer.headers["Access-Control-Allow-Headers"])


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.operation_id)
def test_a_preflight_from_another_origin_allows_nothing(operation: Operation) -> None:
    answer = preflight(create_app(allow_origins=[ALLOWED]), operation, REFUSED)
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert answer.status_code == 400


def test_without_origins_an_app_answers_no_preflight() -> None:
    operation = API.operations[0]
    answer = preflight(create_app(), operation, ALLOWED)
    assert answer.status_code == 405
    assert not [name for name in answer.headers if name.lower().startswith("access-control-")]


def login(app: Starlette, origin: str) -> httpx.Response:
    operation = API.session_create
    assert operation is not None and operation.example_body is not None
    headers = {"Origin": origin, **dict(operation.example_headers)}
    return ask(app, operation.method, operation.example_path, headers, operation.example_body)


def test_a_login_from_an_allowed_origin_lets_its_script_read_the_session_headers() -> None:
    answer = login(create_mock_app(allow_origins=[ALLOWED], allow_origin_regex=None), ALLOWED)
    assert API.session_create is not None and API.session_create.success is not None
    assert answer.status_code == API.session_create.success_status
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    exposed = listed(answer.headers["Access-Control-Expose-Headers"])
    documented = {header.wire_name.lower() for header in API.session_create.success.headers}
    assert documented | {"location"} <= exposed
    session_headers = [
        h.wire_name for h in API.session_create.success.headers if h.session_attribute
    ]
    assert session_headers and all(answer.headers.get(name) for name in session_headers)


def test_a_login_from_another_origin_is_answered_without_allowing_its_script_to_read_it() -> None:
    answer = login(create_mock_app(allow_origins=[ALLOWED], allow_origin_regex=None), REFUSED)
    assert "Access-Control-Allow-Origin" not in answer.headers


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:5173", True),
        ("http://localhost:3000", True),
        ("http://localhost", True),
        ("http://[::1]:8080", True),
        ("http://127.0.0.1.elsewhere.example.com", False),
        ("http://localhost:3000.elsewhere.example.com", False),
        ("https://elsewhere.example.com", False),
    ],
)
def test_the_mock_allows_the_origins_of_this_machine_by_default(origin: str, allowed: bool) -> None:
    assert API.session_create is not None
    answer = preflight(create_mock_app(), API.session_create, origin)
    assert (answer.headers.get("Access-Control-Allow-Origin") == origin) is allowed
