"""What the client puts on the wire and in its logs for parameters of any type and for secrets
wherever a spec puts them: parameters, properties and lists of them."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import generated_package

SPEC = """
openapi: 3.1.0
info: {title: Wire, version: "1"}
paths:
  /events/{at}:
    get:
      operationId: listEvents
      tags: [events]
      parameters:
        - {name: at, in: path, required: true, schema: {type: string, format: date-time}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: open, in: query, schema: {type: boolean}}
        - {name: kinds, in: query, schema: {type: array, items: {type: string}}}
        - {name: pin, in: query, schema: {type: string, format: password}}
        - {name: X-Secret, in: header, schema: {type: string, x-secret: true}}
      responses:
        '200':
          description: the keys
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Keys'}
components:
  schemas:
    Keys:
      type: object
      properties:
        owner: {type: string}
        keys: {type: array, items: {type: string, format: password}}
"""
AT = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
ANSWER = b'{"owner": "ann", "keys": ["KEY-SECRET-1", "KEY-SECRET-2"]}'


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("wire"), SPEC, "wire") as package:
        yield package


def call(package: ModuleType) -> tuple[httpx.Request, Any]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=ANSWER, headers={"Content-Type": "application/json"})

    http = httpx.Client(base_url="http://wire.test", transport=httpx.MockTransport(answer))
    with package.Client(http=http) as client:
        keys = client.events.list_events(
            at=AT, since=AT, open=True, kinds=["a", "b"], pin="PIN-SECRET", x_secret="HDR-SECRET"
        )
    return sent[0], keys


def test_path_and_query_values_go_in_their_wire_form(wire: ModuleType) -> None:
    request, _ = call(wire)
    assert request.url.raw_path.decode().split("?")[0] == "/events/2024-01-02T03%3A04%3A05Z"
    assert request.url.params.get("since") == "2024-01-02T03:04:05Z"
    assert request.url.params.get("open") == "true"
    assert request.url.params.get_list("kinds") == ["a", "b"]


def test_secret_parameters_and_lists_of_secrets_stay_out_of_logs_and_repr(
    wire: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="wire"):
        request, keys = call(wire)
    assert request.url.params.get("pin") == "PIN-SECRET"  # sent all the same
    logged = "\n".join(record.getMessage() for record in caplog.records)
    shown = logged + repr(keys) + str(keys)
    assert "owner" in logged and "[redacted]" in logged
    for secret in ("PIN-SECRET", "HDR-SECRET", "KEY-SECRET-1", "KEY-SECRET-2"):
        assert secret not in shown
