"""Retries against a deliberately flaky loopback server in front of the mock: for every operation
of the spec and every kind of failure, the attempts made are those its method allows, and a call
the server may have executed is never sent twice."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from icws_api import AsyncClient, Client, _retries
from icws_api.errors import ApiError, TransportError
from icws_api.testing import Mocks, create_mock_app

from generator.ir.build import build
from generator.ir.nodes import Operation
from generator.render.render import render
from generator.spec.load import load
from tests.conftest import SPEC, TEMPLATES
from tests.example_calls import API, SESSION, example_call
from tests.flaky import CUT, PASS, SILENT, flaky_server
from tests.loopback import LoopbackServer

IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
TIMEOUT = 0.3
"""Seconds a call waits in these tests before giving up on a silent server."""
MAX_RETRIES = 2


def idempotent(operation: Operation) -> bool:
    return (
        operation.idempotent if operation.idempotent is not None else operation.method in IDEMPOTENT
    )


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_retries, "INITIAL_RETRY_DELAY", 0.01)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with LoopbackServer(create_mock_app(Mocks(), check_sessions=False)) as running:
        yield running.url


def call(client: Any, operation: Operation, **options: Any) -> Any:
    """``operation``'s example call, given up on after :data:`TIMEOUT`."""
    return example_call(client, operation, {"timeout": TIMEOUT, **options})


FAULTS: dict[str, tuple[Any, bool]] = {
    # fault: (what the flaky server does, retried whatever the method)
    "503": ((503, {}), True),
    "429": ((429, {}), True),
    "500": ((500, {}), False),
    "502": ((502, {}), False),
    "504": ((504, {}), False),
    "cut after sending": (CUT, False),
    "no answer in time": (SILENT, False),
}
RETRIED_IF_IDEMPOTENT = {"502", "504", "cut after sending", "no answer in time"}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)
def test_each_failure_is_retried_only_where_sending_again_cannot_repeat_the_call(
    operation: Operation, fault: str, mock_url: str
) -> None:
    behaviour, always = FAULTS[fault]
    retried = always or (fault in RETRIED_IF_IDEMPOTENT and idempotent(operation))
    expected = 1 + MAX_RETRIES if retried else 1
    with (
        flaky_server([behaviour] * (MAX_RETRIES + 1), mock_url) as flaky,
        Client(flaky.url, session=SESSION, max_retries=MAX_RETRIES) as client,
        pytest.raises((ApiError, TransportError)) as raised,
    ):
        call(client, operation)
    assert len(flaky.received) == expected
    assert raised.value.attempts == expected


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)
def test_a_call_refused_before_sending_is_retried_whatever_its_method(operation: Operation) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with Client(url, session=SESSION) as client, pytest.raises(TransportError) as raised:
        call(client, operation)
    assert raised.value.attempts == 1 + MAX_RETRIES


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)
def test_a_call_that_fails_then_succeeds_answers_with_the_success(
    operation: Operation, mock_url: str
) -> None:
    with (
        flaky_server([(503, {}), PASS], mock_url) as flaky,
        Client(flaky.url, session=SESSION) as client,
    ):
        raw = call(client.with_raw_response, operation)
    assert len(flaky.received) == 2
    assert raw.attempts == 2
    assert raw.status_code == operation.success_status


def test_retry_after_is_honoured(mock_url: str) -> None:
    operation = API.operations[0]
    with (
        flaky_server([(503, {"Retry-After": "1"}), PASS], mock_url) as flaky,
        Client(flaky.url, session=SESSION) as client,
    ):
        started = time.monotonic()
        call(client, operation)
    assert time.monotonic() - started >= 1
    assert len(flaky.received) == 2


def test_a_retry_after_beyond_a_minute_fails_at_once(mock_url: str) -> None:
    operation = API.operations[0]
    with (
        flaky_server([(503, {"Retry-After": "3600"})], mock_url) as flaky,
        Client(flaky.url, session=SESSION) as client,
        pytest.raises(ApiError) as raised,
    ):
        call(client, operation)
    assert (len(flaky.received), raised.value.attempts) == (1, 1)


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "expected"),
    [(0, None, 1), (5, 1, 2), (1, None, 2), (None, 0, 1), (None, None, 1 + MAX_RETRIES)],
)
def test_max_retries_is_the_clients_unless_the_call_says(
    client_retries: int | None, call_retries: int | None, expected: int, mock_url: str
) -> None:
    operation = API.operations[0]
    per_call = {} if call_retries is None else {"max_retries": call_retries}
    with (
        flaky_server([(503, {})] * 6, mock_url) as flaky,
        Client(flaky.url, session=SESSION) as base,
        pytest.raises(ApiError),
    ):
        client = base if client_retries is None else base.with_options(max_retries=client_retries)
        call(client, operation, **per_call)
    assert len(flaky.received) == expected


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)
def test_the_asyncio_client_retries_alike(operation: Operation, mock_url: str) -> None:
    async def run(fault: Any) -> tuple[int, int]:
        with flaky_server([fault] * (MAX_RETRIES + 1), mock_url) as flaky:
            async with AsyncClient(flaky.url, session=SESSION) as client:
                with pytest.raises((ApiError, TransportError)) as raised:
                    await call(client, operation)
            return len(flaky.received), raised.value.attempts

    assert asyncio.run(run((503, {}))) == (3, 3)
    cut = 3 if idempotent(operation) else 1
    assert asyncio.run(run(CUT)) == (cut, cut)


def test_a_post_the_spec_marks_idempotent_is_retried_after_a_cut_as_a_put_is() -> None:
    cut = httpx.ReadError("connection lost after sending")
    assert _retries.RetryPolicy(MAX_RETRIES, idempotent=True).after_failure(cut, 1) is not None
    assert _retries.RetryPolicy(MAX_RETRIES, idempotent=False).after_failure(cut, 1) is None


def test_x_idempotent_reaches_the_operations_call() -> None:
    spec = load(SPEC)
    post = next(op for op in API.operations if op.method == "POST")
    spec.document["paths"][post.path]["post"]["x-idempotent"] = True
    marked = build(spec)
    operation = next(op for op in marked.operations if op.operation_id == post.operation_id)
    assert operation.idempotent is True
    module = render(marked, [TEMPLATES])[f"icws_api/resources/{operation.tag_attribute}.py"]
    method = module[module.index(f"def {operation.name}(") :]
    call = method[method.index("self._call(") : method.index("request_options=request_options")]
    assert "idempotent=True" in call
