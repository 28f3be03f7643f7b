"""A browser app on another origin uses the mock as it would a real server: headless Chromium
loads a page from one loopback port, which logs in to the mock on another with
``fetch(..., {credentials: "include"})``, calls every operation that needs the session, and
logs out, then is refused with a challenge it can read; an origin the app does not allow gets nothing through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from icws_api.testing import Mocks, create_mock_app
from playwright.sync_api import Browser, Page
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from generator.ir.nodes import Operation
from tests.loopback import LoopbackServer
from tests.test_cors import API
from tests.test_docs_browser import browser  # noqa: F401 (the fixture)

SESSION_CALLS = tuple(op for op in API.operations if op.credentials and not op.session_role)
"""The operations a signed-in app calls between its login and its logout."""

FLOW = """async ({base, login, read, calls, logout}) => {
  const send = (step, session) => {
    const value = ([kind, text]) => (kind === "session" ? session[text] : text);
    const path = step.path.map(value).join("") + (step.query ? "?" + step.query : "");
    const headers = Object.fromEntries(step.headers.map(([name, ...v]) => [name, value(v)]));
    const init = {method: step.method, headers, credentials: "include"};
    if (step.body !== null) init.body = step.body;
    return fetch(base + path, init);
  };
  const answer = await send(login, {});
  const session = Object.fromEntries(read.map(([key, name]) => [key, answer.headers.get(name)]));
  const statuses = {};
  for (const call of calls) statuses[call.id] = (await send(call, session)).status;
  const out = await send(logout, session);
  const after = {};
  for (const call of calls) {
    const refused = await send(call, session);
    const shown = call.challenge.map((name) => [name, refused.headers.get(name)]);
    after[call.id] = {status: refused.status, headers: Object.fromEntries(shown)};
  }
  return {login: answer.status, session, statuses, logout: out.status, after};
}"""


def step(operation: Operation) -> dict[str, Any]:
    """``operation``'s example call, its session values left for the page to fill in."""
    path = []
    for part in operation.path_parts:
        parameter = part.parameter
        if parameter is None:
            path.append(["text", part.literal])
        elif parameter.session_attribute:
            path.append(["session", parameter.session_attribute])
        else:
            assert parameter.example is not None, parameter.name
            path.append(["text", str(json.loads(parameter.example.json))])
    from_session = {
        c.wire_name.lower(): c.session_attribute
        for c in operation.credentials
        if c.location == "header"
    }
    headers = [
        (
            [name, "session", from_session[name.lower()]]
            if name.lower() in from_session
            else [name, "text", value]
        )
        for name, value in operation.example_headers
        if name.lower() != "cookie"
    ]
    return {
        "id": operation.operation_id,
        "method": operation.method,
        "path": path,
        "query": operation.example_path.partition("?")[2],
        "headers": headers,
        "body": operation.example_body,
    }


def flow(base: str) -> dict[str, Any]:
    """What the page runs against the app at ``base``: the session's start and end, the calls
    between, and where the login's answer carries the session's values."""
    login, logout = API.session_create, API.session_delete
    assert login is not None and login.success is not None and logout is not None
    read = [
        [h.session_attribute, h.wire_name] for h in login.success.headers if h.session_attribute
    ]
    return {
        "base": base,
        "login": step(login),
        "read": read,
        "calls": [{**step(op), "challenge": challenge(op)} for op in SESSION_CALLS],
        "logout": step(logout),
    }


def challenge(operation: Operation) -> list[str]:
    """The headers ``operation``'s 401 answer documents."""
    return [h.wire_name for r in operation.responses if r.status == "401" for h in r.headers]


@pytest.fixture
def app_page(browser: Browser) -> Iterator[Page]:  # noqa: F811 (the fixture)
    """A page of an app served from its own loopback port."""
    index = HTMLResponse("<!doctype html><title>Agent app</title><p>Dialer dashboard</p>")
    app = Starlette(routes=[Route("/", lambda _: index)])
    with LoopbackServer(app) as served:
        page = browser.new_page()
        page.goto(served.url)
        yield page
        page.close()


def test_an_app_on_another_loopback_port_logs_in_calls_and_logs_out(app_page: Page) -> None:
    mocks = Mocks()
    with LoopbackServer(create_mock_app(mocks)) as mock:
        assert app_page.evaluate("location.origin") != mock.url
        result = app_page.evaluate(FLOW, flow(mock.url))
    login, logout = API.session_create, API.session_delete
    assert login is not None and logout is not None
    assert result["login"] == login.success_status
    assert all(result["session"].values()), result["session"]
    assert result["statuses"] == {op.operation_id: op.success_status for op in SESSION_CALLS}
    assert result["logout"] == logout.success_status
    called = {call.operation for tag in API.tags for call in getattr(mocks, tag.attribute).calls}
    assert {op.operation_id for op in (login, *SESSION_CALLS, logout)} <= called
    assert not mocks.sessions.live
    for op in SESSION_CALLS:
        refused = result["after"][op.operation_id]
        assert refused["status"] == 401 and challenge(op), refused
        assert all(refused["headers"].values()), refused


def test_an_app_from_an_origin_the_mock_does_not_allow_gets_nothing_through(
    app_page: Page,
) -> None:
    mocks = Mocks()
    only = create_mock_app(
        mocks, allow_origins=["https://agents.example.com"], allow_origin_regex=None
    )
    with LoopbackServer(only) as mock:
        refused = app_page.evaluate(
            "async (plan) => { try { await (" + FLOW + ")(plan); return ''; }"
            " catch (error) { return String(error); } }",
            flow(mock.url),
        )
    assert "Failed to fetch" in refused
    assert not mocks.sessions.live
    assert not [call for tag in API.tags for call in getattr(mocks, tag.attribute).calls]
