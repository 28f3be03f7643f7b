"""Security schemes of plain OpenAPI: the caller's credentials, from the session, on the wire."""

from __future__ import annotations

import base64
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.ir import naming
from tests.conftest import generated_package
from tests.loopback import LoopbackServer, Recorder

SCHEMES = {
    "keyHeader": "{type: apiKey, in: header, name: X-Api-Key}",
    "keyQuery": "{type: apiKey, in: query, name: api_key}",
    "basic": "{type: http, scheme: basic}",
    "bearer": "{type: http, scheme: bearer, bearerFormat: JWT}",
    "oauth": "{type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://x/t', scopes: {}}}}",
    "oidc": "{type: openIdConnect, openIdConnectUrl: 'https://x/.well-known/openid-configuration'}",
}


def _spec() -> str:
    paths = "".join(
        f"  /{key}:\n    get:\n      operationId: with_{key}\n      tags: [locks]\n"
        f"      security: [{{{key}: []}}]\n      responses: {{'204': {{description: done}}}}\n"
        for key in SCHEMES
    )
    schemes = "".join(f"    {key}: {scheme}\n" for key, scheme in SCHEMES.items())
    return (
        "openapi: 3.0.3\ninfo: {title: Locks API, version: '1'}\npaths:\n"
        + paths
        + "components:\n  securitySchemes:\n"
        + schemes
    )


@pytest.fixture(scope="module")
def locks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("locks"), _spec(), "locks_api") as package:
        yield package


def test_each_scheme_sends_the_credentials_the_session_holds(locks: ModuleType) -> None:
    session = locks.Session(
        key_header="k1", key_query="k2", basic="ann:s3cret", bearer="t1", oauth="t2", oidc="t3"
    )
    recorder = Recorder()
    with LoopbackServer(recorder) as running, locks.Client(running.url, session=session) as client:
        for key in SCHEMES:
            getattr(client.locks, naming.snake(f"with_{key}"))()
    sent = {r.path.strip("/"): r for r in recorder.requests}
    assert sent["keyHeader"].headers["x-api-key"] == "k1"
    assert sent["keyQuery"].query == "api_key=k2"
    basic = base64.b64encode(b"ann:s3cret").decode()
    assert sent["basic"].headers["authorization"] == f"Basic {basic}"
    assert [sent[k].headers["authorization"] for k in ("bearer", "oauth", "oidc")] == [
        "Bearer t1",
        "Bearer t2",
        "Bearer t3",
    ]


def test_credentials_stay_out_of_the_sessions_repr(locks: ModuleType) -> None:
    assert "s3cret" not in repr(locks.Session(basic="ann:s3cret", bearer="t1"))


def test_a_credential_the_session_lacks_is_not_sent(locks: ModuleType) -> None:
    recorder = Recorder()
    with (
        LoopbackServer(recorder) as running,
        locks.Client(running.url, session=locks.Session()) as client,
    ):
        client.locks.with_bearer()
    assert "authorization" not in recorder.requests[-1].headers


def _call_the_mock(locks: ModuleType, key: str, **session: Any) -> Any:
    """``with_<key>`` called on a default mock app with ``session``'s values (those of a session
    the mock started, under ``started``); the mock comes back with the error raised, if any."""
    testing = importlib.import_module("locks_api.testing")
    mocks = testing.Mocks()
    started = mocks.sessions.start()
    values = started.values if session.pop("started", False) else session
    with (
        LoopbackServer(testing.create_mock_app(mocks)) as running,
        locks.Client(running.url, session=locks.Session(**values)) as client,
    ):
        try:
            getattr(client.locks, naming.snake(f"with_{key}"))()
        except locks.errors.ApiError as error:
            return mocks, error
    return mocks, None


@pytest.mark.parametrize("key", SCHEMES)
def test_the_default_mock_accepts_the_credentials_of_a_session_it_started(
    locks: ModuleType, key: str
) -> None:
    mocks, error = _call_the_mock(locks, key, started=True)
    assert error is None
    assert [call.operation for call in mocks.locks.calls] == [f"with_{key}"]


@pytest.mark.parametrize("key", SCHEMES)
def test_the_default_mock_refuses_credentials_of_no_session_it_started(
    locks: ModuleType, key: str
) -> None:
    field = naming.field(key)
    value = "ann:wrong" if key == "basic" else "wrong"
    mocks, error = _call_the_mock(locks, key, **{field: value})
    assert error is not None and error.status_code == 401
    assert "The session credentials are not valid." in error.message
    assert mocks.locks.calls == []


@pytest.mark.parametrize("key", SCHEMES)
def test_the_default_mock_refuses_a_call_without_credentials_naming_them(
    locks: ModuleType, key: str
) -> None:
    mocks, error = _call_the_mock(locks, key)
    assert error is not None and error.status_code == 401
    assert "The request lacks " in error.message
    assert "the the" not in error.message and "no the" not in error.message
    assert mocks.locks.calls == []


@pytest.mark.parametrize(
    ("key", "header", "credentials"),
    [
        ("bearer", "Bearer t1", "t1"),
        ("oauth", "bearer  t1", "t1"),
        ("basic", "Basic " + base64.b64encode(b"ann:s3cret").decode(), "ann:s3cret"),
        ("basic", "Basic not-base64!", ""),
        ("basic", "Bearer t1", ""),
        ("oidc", "Digest t1", ""),
        ("bearer", "t1", ""),
    ],
)
def test_the_servers_context_holds_the_credentials_of_an_authorization_header(
    locks: ModuleType, key: str, header: str, credentials: str
) -> None:
    """What follows the header's scheme, decoded for Basic; nothing for another scheme, which
    the ``authenticate`` check then refuses."""
    server = importlib.import_module("locks_api.server")
    seen: list[str] = []

    def check(ctx: Any) -> bool:
        seen.append(getattr(ctx, key))
        return bool(getattr(ctx, key))

    app = server.create_app(authenticate=check)
    with LoopbackServer(app) as running, httpx.Client(base_url=running.url) as client:
        answer = client.get(f"/{key}", headers={"Authorization": header})
    assert seen == [credentials]
    assert (answer.status_code == 401) == (not credentials), answer.text
