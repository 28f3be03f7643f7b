"""The server's own answers as ICWS sends them: errorIds, 501, checked answers, bodies matched on
their ``__type``, handler signatures the type checker enforces, and headers that cannot split an
answer (issue 22, points 3 and 4)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from icws_api.models import FeatureInfo
from icws_api.server import ConnectionApi, RequestContext, UnimplementedConnectionApi, create_app
from starlette.testclient import TestClient

from .conftest import GENERATED

LOGIN = "urn:inin.com:connection:icAuthConnectionRequestSettings"


class Answering(UnimplementedConnectionApi):
    """Answers ``getFeature`` with what a test sets, and the headers it sets."""

    def __init__(self, result: Any, headers: dict[str, str] | None = None) -> None:
        self.result = result
        self.headers = headers or {}

    async def get_feature(self, ctx: RequestContext, *, feature_id: str) -> FeatureInfo:
        ctx.response_headers.update(self.headers)
        return self.result  # type: ignore[no-any-return]


def _client(connection: ConnectionApi | None = None) -> TestClient:
    return TestClient(create_app(connection=connection), raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error_id"),
    [
        ("POST", "/icws/connection", b"{", 400, "error.request.invalidRepresentation"),
        ("GET", "/icws/1/dialer/nowhere", None, 404, "error.request.notFound"),
        ("PUT", "/icws/connection", None, 405, "error.request.methodNotAllowed"),
        ("DELETE", "/icws/1/connection", None, 401, "error.request.accessDenied"),
        ("POST", "/icws/connection", b"x" * 2_000_000, 400, "error.request.entityTooLarge"),
    ],
)
def test_errors_the_server_makes_carry_an_icws_error_id(
    method: str, path: str, body: bytes | None, status: int, error_id: str
) -> None:
    headers = {"Content-Type": "application/json"}
    response = _client().request(method, path, content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["errorId"] == error_id


def test_an_operation_nobody_implemented_answers_501() -> None:
    response = _client().get("/icws/connection/features/dialer")
    assert response.status_code == 501
    assert response.json() == {
        "errorId": "error.server.notImplemented",
        "message": "getFeature is not implemented by this server.",
    }


def test_a_valid_answer_is_sent_as_the_handler_made_it() -> None:
    feature = FeatureInfo(feature_id="dialer", version=3)
    response = _client(Answering(feature)).get("/icws/connection/features/dialer")
    assert response.status_code == 200
    assert response.json() == {"featureId": "dialer", "version": 3}


@pytest.mark.parametrize(
    ("result", "field"),
    [
        (None, "FeatureInfo"),
        ({"featureId": "dialer", "version": 3}, "FeatureInfo"),
        (FeatureInfo.model_construct(feature_id=5, version=-3), "featureId"),
    ],
    ids=["none", "a dict", "wrong values"],
)
def test_an_answer_unlike_its_schema_is_a_500_with_a_log_naming_the_field(
    result: Any, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = _client(Answering(result)).get("/icws/connection/features/dialer")
    assert response.status_code == 500
    assert response.json()["errorId"] == "error.server.internal"
    logged = [record.getMessage() for record in caplog.records]
    assert any("getFeature" in line and field in line for line in logged), logged


def test_a_body_naming_its_option_by_type_is_checked_against_that_option_alone() -> None:
    body = {"__type": LOGIN, "applicationName": "app", "userID": "agent"}
    response = _client().post("/icws/connection", json=body)
    assert response.status_code == 400
    message = response.json()["message"]
    assert "password" in message
    assert "Token" not in message and "authToken" not in message


def test_a_line_break_in_a_header_a_handler_sets_answers_500() -> None:
    feature = FeatureInfo(feature_id="dialer", version=3)
    api = Answering(feature, headers={"X-Trace": "a\r\nSet-Cookie: stolen=1"})
    response = _client(api).get("/icws/connection/features/dialer")
    assert response.status_code == 500
    assert "stolen" not in response.headers.get("Set-Cookie", "")


def test_a_class_leaving_an_operation_out_is_a_type_error(tmp_path: Path) -> None:
    handler = tmp_path / "partial.py"
    handler.write_text(
        "from icws_api.models import FeatureInfo\n"
        "from icws_api.server import ConnectionApi, RequestContext, create_app\n\n\n"
        "class Partial(ConnectionApi):\n"
        "    async def get_feature(self, ctx: RequestContext, *, feature_id: str) -> FeatureInfo:\n"
        "        return FeatureInfo(feature_id=feature_id, version=1)\n\n\n"
        "app = create_app(connection=Partial())\n"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file=", "--no-incremental", str(handler)],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        check=False,
    )
    assert checked.returncode == 1, checked.stdout
    assert 'Cannot instantiate abstract class "Partial"' in checked.stdout, checked.stdout


def test_a_handler_overridden_without_async_is_a_type_error(tmp_path: Path) -> None:
    handler = tmp_path / "handler.py"
    handler.write_text(
        "from icws_api.models import FeatureInfo\n"
        "from icws_api.server import RequestContext, UnimplementedConnectionApi\n\n\n"
        "class Sync(UnimplementedConnectionApi):\n"
        "    def get_feature(self, ctx: RequestContext, *, feature_id: str) -> FeatureInfo:\n"
        "        return FeatureInfo(feature_id=feature_id, version=1)\n"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file=", "--no-incremental", str(handler)],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        check=False,
    )
    assert checked.returncode == 1, checked.stdout
    assert 'incompatible with return type "Coroutine' in checked.stdout, checked.stdout
