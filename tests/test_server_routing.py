"""Routing of the generated server: a path is served by its most literal route, whatever order
the spec lists the paths in (OpenAPI: a literal segment wins over a template)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import httpx
import pytest

from tests.conftest import generated_package
from tests.loopback import LoopbackServer

PATHS = {
    "/anything/{id}/{action}": "act",
    "/anything/{id}/override": "override",
    "/anything/mine/{action}": "actOnMine",
    "/anything/{id}": "show",
    "/anything/latest": "showLatest",
}
"""Each path and its GET operation, templates listed before the literal paths they shadow."""


def _spec() -> str:
    paths = ""
    for path, operation_id in PATHS.items():
        parameters = "".join(
            f"      - {{name: {name}, in: path, required: true, schema: {{type: string}}}}\n"
            for name in ("id", "action")
            if f"{{{name}}}" in path
        )
        paths += (
            f"  {path}:\n"
            + ("    parameters:\n" + parameters if parameters else "")
            + f"    get:\n      operationId: {operation_id}\n      tags: [things]\n"
            + "      responses: {'204': {description: done}}\n"
        )
        if path == "/anything/{id}":  # a second operation of one path: a route of its own
            paths += (
                "    delete:\n      operationId: forget\n      tags: [things]\n"
                "      responses: {'204': {description: done}}\n"
            )
    return "openapi: 3.0.3\ninfo: {title: Things API, version: '1'}\npaths:\n" + paths


@pytest.fixture(scope="module")
def things(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("things"), _spec(), "things_api"):
        yield importlib.import_module("things_api.testing")


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/anything/5/override", "override"),
        ("/anything/5/stop", "act"),
        ("/anything/mine/stop", "actOnMine"),
        ("/anything/mine/override", "actOnMine"),
        ("/anything/latest", "showLatest"),
        ("/anything/5", "show"),
    ],
)
def test_a_path_is_served_by_its_most_literal_route(
    things: ModuleType, path: str, operation: str
) -> None:
    mocks = things.Mocks()
    with LoopbackServer(things.create_mock_app(mocks)) as running:
        answer = httpx.get(running.url + path)
    assert answer.status_code == 204, answer.text
    assert [call.operation for call in mocks.things.calls] == [operation]


def test_a_method_a_path_does_not_serve_is_405_naming_every_method_it_does(
    things: ModuleType,
) -> None:
    with LoopbackServer(things.create_mock_app()) as running:
        answer = httpx.request("PUT", running.url + "/anything/5")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "DELETE, GET, HEAD"
