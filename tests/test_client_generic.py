"""The client generated from another spec: results, query and header parameters, its own errors."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.conftest import generated_package
from tests.loopback import LoopbackServer, Recorder

SHOP_SPEC = """\
openapi: 3.1.0
info: {title: Shop API, version: 2.0.0}
tags: [{name: items}]
x-error-schema: '#/components/schemas/problem'
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      tags: [items]
      x-feature: {name: items, version: 1}
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: The item.
          content: {application/json: {schema: {$ref: '#/components/schemas/item'}}}
        "404":
          description: No such item.
          content: {application/json: {schema: {$ref: '#/components/schemas/problem'}}}
components:
  schemas:
    item:
      type: object
      required: [id]
      properties: {id: {type: string}, price: {type: number}}
    problem:
      type: object
      required: [detail]
      properties: {detail: {type: string}}
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("shop"), SHOP_SPEC, "shop_api") as package:
        yield package


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    with LoopbackServer(recorder) as running:
        yield running.url, recorder


def test_result_parameters_and_headers(shop: ModuleType, server: tuple[str, Recorder]) -> None:
    url, recorder = server
    recorder.reply(
        200, b'{"id": "i 1", "price": 9.5, "extra": true}', "application/json; charset=utf-8"
    )
    with shop.Client(url, session=shop.Session()) as client:
        item = client.items.get_item(item_id="i 1", verbose=True, x_trace="t-1")
    assert item == shop.models.Item(id="i 1", price=9.5)
    request = recorder.requests[-1]
    assert (request.method, request.path, request.query) == ("GET", "/items/i%201", "verbose=true")
    assert request.headers["x-trace"] == "t-1"
    assert "cookie" not in request.headers and "content-type" not in request.headers


def test_optional_parameters_left_out_are_not_sent(
    shop: ModuleType, server: tuple[str, Recorder]
) -> None:
    url, recorder = server
    recorder.reply(200, b'{"id": "x"}', "application/json")
    with shop.Client(url, session=shop.Session()) as client:
        client.items.get_item(item_id="x")
    assert recorder.requests[-1].query == ""
    assert "x-trace" not in recorder.requests[-1].headers


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b'{"price": 1}', "application/json"), (b"<html/>", "text/html"), (b"{", "application/json")],
)
def test_a_success_with_a_wrong_body_raises_invalid_response(
    shop: ModuleType, server: tuple[str, Recorder], body: bytes, content_type: str
) -> None:
    url, recorder = server
    recorder.reply(200, body, content_type)
    with (
        shop.Client(url, session=shop.Session()) as client,
        pytest.raises(shop.errors.InvalidResponseError) as caught,
    ):
        client.items.get_item(item_id="x")
    assert caught.value.status_code == 200
    assert caught.value.detail


def test_errors_carry_the_specs_own_error_fields(
    shop: ModuleType, server: tuple[str, Recorder]
) -> None:
    url, recorder = server
    recorder.reply(404, b'{"detail": "gone fishing"}', "application/json")
    with (
        shop.Client(url, session=shop.Session()) as client,
        pytest.raises(shop.errors.NotFoundError) as caught,
    ):
        client.items.get_item(item_id="x")
    assert caught.value.detail == "gone fishing"
    assert str(caught.value) == "404: gone fishing"
