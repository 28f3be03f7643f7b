"""The client's per-call options, shared-pool copies, raw responses and logger, on loopback,
for every operation of the spec."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from icws_api import AsyncClient, Client, RequestOptions
from icws_api.errors import ApiError, RequestTimeoutError, TransportError
from icws_api.testing import Mocks, create_mock_app
from pydantic import BaseModel

from generator.ir.nodes import Operation
from tests.conftest import GENERATED
from tests.example_calls import API, SESSION, example_call
from tests.loopback import LoopbackServer, Recorder
from tests.test_session import LOGIN

OPERATIONS = pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    with LoopbackServer(recorder) as running:
        yield running.url, recorder


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[str, Mocks]]:
    mocks = Mocks()
    with LoopbackServer(create_mock_app(mocks, check_sessions=False)) as running:
        yield running.url, mocks


@OPERATIONS
def test_extra_headers_and_query_of_the_client_and_the_call_reach_the_wire(
    operation: Operation, recorder: tuple[str, Recorder]
) -> None:
    url, requests = recorder
    requests.requests.clear()
    with Client(url, session=SESSION, max_retries=0) as base:
        client = base.with_options(extra_headers={"X-Team": "a"}, extra_query={"trace": "1"})
        with contextlib.suppress(ApiError):  # the recorder answers an empty 200
            options: RequestOptions = {
                "extra_headers": {"X-Call": "b"},
                "extra_query": {"call": "2"},
            }
            example_call(client, operation, options)
    (sent,) = requests.requests
    assert (sent.headers["x-team"], sent.headers["x-call"]) == ("a", "b")
    assert "trace=1" in sent.query and "call=2" in sent.query


def test_an_extra_header_takes_the_place_of_the_operations_own(
    recorder: tuple[str, Recorder],
) -> None:
    operation = next(op for op in API.operations if op.accept)
    url, requests = recorder
    requests.requests.clear()
    with Client(url, session=SESSION, max_retries=0) as client, contextlib.suppress(ApiError):
        example_call(client, operation, {"extra_headers": {"accept": "application/json"}})
    assert requests.requests[0].headers["accept"] == "application/json"


def test_a_timeout_of_the_call_beats_the_clients(recorder: tuple[str, Recorder]) -> None:
    url, requests = recorder
    requests.stall(1.0)
    operation = API.operations[0]
    with Client(url, session=SESSION, timeout=30, max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            example_call(client, operation, {"timeout": 0.1})
        assert time.monotonic() - started < 0.9


def test_with_options_shares_the_connection_pool_and_closing_it_closes_nothing(
    mock: tuple[str, Mocks],
) -> None:
    url, _ = mock
    with Client(url, session=SESSION) as client:
        copy = client.with_options(timeout=5, max_retries=0)
        assert copy._http is client._http
        copy.close()
        example_call(client, API.operations[0])
        assert copy.session == client.session


@OPERATIONS
def test_raw_responses_carry_status_headers_and_the_result(
    operation: Operation, mock: tuple[str, Mocks]
) -> None:
    url, _ = mock
    with Client(url, session=SESSION) as client:
        raw = example_call(client.with_raw_response, operation)
        parsed = example_call(client, operation)
    assert raw.status_code == operation.success_status
    assert raw.attempts == 1
    assert isinstance(raw.headers, httpx.Headers)
    for header in operation.success.headers if operation.success else ():
        if header.required:
            assert header.wire_name in raw.headers
    assert type(raw.parsed) is type(parsed)
    if isinstance(parsed, BaseModel):  # the same fields (a new session's values differ)
        assert raw.parsed.model_fields_set == parsed.model_fields_set
    else:
        assert raw.parsed == parsed


@OPERATIONS
def test_asyncio_raw_responses_alike(operation: Operation, mock: tuple[str, Mocks]) -> None:
    url, _ = mock

    async def run() -> Any:
        async with AsyncClient(url, session=SESSION) as client:
            return await example_call(client.with_raw_response, operation)

    raw = asyncio.run(run())
    assert (raw.status_code, raw.attempts) == (operation.success_status, 1)


def test_the_logger_shows_requests_and_answers_but_no_credential(
    mock: tuple[str, Mocks], caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = mock
    secrets = [f.example for f in API.session_fields if f.secret]
    secrets += [value for _, value in API.example_cookies]
    assert secrets, "the spec has credentials"
    with caplog.at_level(logging.DEBUG, logger="icws_api"), Client(url, session=SESSION) as client:
        for operation in API.operations:
            example_call(client, operation)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged.count("request ") >= len(API.operations)
    assert logged.count("answer ") >= len(API.operations)
    for secret in secrets:
        assert secret not in logged


def test_a_logged_session_from_login_to_logout_shows_no_password_token_or_cookie(
    caplog: pytest.LogCaptureFixture,
) -> None:
    password = "pw-that-must-not-be-logged"
    mocks = Mocks()
    with (
        LoopbackServer(create_mock_app(mocks)) as running,
        caplog.at_level(logging.DEBUG, logger="icws_api"),
        Client.connect(running.url, **{**LOGIN, "password": password}) as client,
    ):
        assert client.session is not None
        secrets = [password, client.session.csrf_token, *client.session.cookies.values()]
        for operation in API.operations:
            if operation.session_role is None:
                example_call(client, operation)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "[redacted]" in logged
    for secret in secrets:
        assert secret not in logged


def test_the_environment_variable_turns_the_logger_on() -> None:
    operation = next(op for op in API.operations if not op.example_body_python)
    code = (
        "import httpx, icws_api\n"
        "transport = httpx.MockTransport(lambda request: httpx.Response(204))\n"
        "http = httpx.Client(base_url='http://icws.test', transport=transport)\n"
        f"session = icws_api.Session(**{ {f.name: f.example for f in API.session_fields}!r})\n"
        "client = icws_api.Client(http=http, session=session)\n"
        "try:\n"
        f"    client.{operation.tag_attribute}.{operation.name}"
        "(**{name: eval(code, vars(icws_api.models)) for name, code in "
        f"{list(operation.example_arguments)!r}}})\n"
        "except icws_api.errors.ApiError:\n"
        "    pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "ICWS_API_LOG": "debug", "PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "icws_api DEBUG request " in done.stderr
    assert "icws_api DEBUG answer 204" in done.stderr


def sent_through(client_options: dict[str, Any], **http_options: Any) -> list[httpx.Request]:
    """The requests the first operation's example call sends through a recording transport."""
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(204))
    with httpx.Client(base_url="http://icws.test", transport=transport, **http_options) as http:
        client = Client(http=http, session=SESSION, **client_options)
        with contextlib.suppress(ApiError):
            example_call(client, API.operations[0])
        chained = client.with_options(extra_headers={"X-Team": "ops"}).with_options(
            extra_headers={"x-team": "dev"}
        )
        with contextlib.suppress(ApiError):
            example_call(chained, API.operations[0])
    return sent


def test_a_timeout_given_with_a_ready_http_client_is_kept() -> None:
    first, _ = sent_through({"timeout": 1.5}, timeout=7)
    assert first.extensions["timeout"]["read"] == 1.5
    first, _ = sent_through({}, timeout=7)
    assert first.extensions["timeout"]["read"] == 7


def test_chained_with_options_headers_replace_each_other_whatever_their_case() -> None:
    _, chained = sent_through({})
    assert chained.headers.get_list("x-team") == ["dev"]


def test_a_call_through_a_closed_http_client_is_a_transport_error_nothing_sent() -> None:
    http = httpx.Client(base_url="http://icws.test")
    client = Client(http=http, session=SESSION)
    http.close()
    with pytest.raises(TransportError) as raised:
        example_call(client, API.operations[0])
    assert (raised.value.attempts, raised.value.sent) == (0, False)
