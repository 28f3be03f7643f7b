"""Security schemes of plain OpenAPI: the caller's credentials, from the session, on the wire."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from types import ModuleType

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
