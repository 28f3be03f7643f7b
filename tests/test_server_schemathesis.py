"""Schemathesis against the running server, every check on, with bounded example counts."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any

import icws_api
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from icws_api.server import RequestContext, create_app
from icws_api.testing import Mocks, MockSession, create_mock_app
from schemathesis.config import SchemathesisConfig

from tests.loopback import LoopbackServer

SESSION_ID, TOKEN, COOKIE = "1731001", "token-abc", "cookie-xyz"


def one_session_spec() -> dict[str, Any]:
    """The bundled spec, as one session sees it: the session id fixed, so the cookie's name is.

    The cookie's name holds the session id (``x-name-template``), which schemathesis would take
    literally; a session whose id is known has a cookie of a fixed name, as a client sends it.
    """
    spec = copy.deepcopy(icws_api.openapi_spec())
    components = spec["components"]
    components["parameters"]["sessionId"]["schema"] = {"type": "string", "enum": [SESSION_ID]}
    cookie = components["securitySchemes"]["sessionCookie"]
    cookie["name"] = cookie["name"].replace("{sessionId}", SESSION_ID)
    del cookie["x-name-template"]
    return spec


CONFIG = SchemathesisConfig.from_dict(
    {"auth": {"openapi": {"csrfToken": {"api_key": TOKEN}, "sessionCookie": {"api_key": COOKIE}}}}
)
schema = schemathesis.openapi.from_dict(one_session_spec(), config=CONFIG)


def valid_credentials(ctx: RequestContext) -> bool:
    return ctx.csrf_token == TOKEN and ctx.cookies.get(f"icws_{ctx.session_id}") == COOKIE


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    mocks = Mocks()
    # Every tag's mock (the fields the mocks make themselves), whatever tags the spec has.
    tags = {f.name: getattr(mocks, f.name) for f in dataclasses.fields(mocks) if not f.init}
    app = create_app(**tags, authenticate=valid_credentials)
    with LoopbackServer(app) as running:
        yield running.url


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_server_conforms_to_its_spec(case: Any, url: str) -> None:
    case.call_and_validate(base_url=url, timeout=10)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """The mock as the command line serves it, with a live session of the test's credentials."""
    mocks = Mocks()
    mocks.sessions.live.append(
        MockSession({"session_id": SESSION_ID, "csrf_token": TOKEN}, {f"icws_{SESSION_ID}": COOKIE})
    )
    with LoopbackServer(create_mock_app(mocks)) as running:
        yield running.url


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_mock_conforms_to_its_spec(case: Any, mock_url: str) -> None:
    case.call_and_validate(base_url=mock_url, timeout=10)
