"""Parameters on the generated server: each is validated with its schema's rules (a violation
answers 400 naming it), and one left out that has a ``default`` reaches the handler as it."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import generated_package
from tests.loopback import LoopbackServer

PARAMETERS: list[dict[str, Any]] = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
    {"name": "name", "in": "query", "schema": {"type": "string", "maxLength": 5}},
    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}},
    {"name": "order", "in": "query", "schema": {"$ref": "#/components/schemas/Order"}},
    {"name": "X-Trace", "in": "header", "schema": {"type": "string", "pattern": "^[a-f0-9]+$"}},
]
DEFAULTS = {"limit": 20, "status": "closed"}
"""The defaults written on the parameters' schemas (``order``'s is on its component)."""
ORDER = {"type": "string", "enum": ["asc", "desc"], "default": "desc"}

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Rules API", "version": "1"},
    "tags": [{"name": "items"}],
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "parameters": [
                    (
                        {**p, "schema": {**p["schema"], "default": DEFAULTS[p["name"]]}}
                        if p["name"] in DEFAULTS
                        else p
                    )
                    for p in PARAMETERS
                ],
                "responses": {"204": {"description": "listed"}},
            }
        },
        "/items/{code}": {
            "get": {
                "operationId": "showItem",
                "tags": ["items"],
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 3},
                    }
                ],
                "responses": {"204": {"description": "shown"}},
            }
        },
    },
    "components": {"schemas": {"Order": ORDER}},
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("shop"), json.dumps(SPEC), "rules_api") as shop:
        yield shop


def _get(
    shop: ModuleType, path: str, headers: dict[str, str] | None = None, **params: Any
) -> tuple[httpx.Response, list[Any]]:
    """The mock's answer to ``GET path``, and the calls its handlers received."""
    testing = importlib.import_module("rules_api.testing")
    mocks = testing.Mocks()
    with LoopbackServer(testing.create_mock_app(mocks)) as running:
        answer = httpx.get(running.url + path, params=params, headers=headers)
    return answer, mocks.items.calls


def test_a_parameter_left_out_reaches_the_handler_as_its_default(shop: ModuleType) -> None:
    answer, calls = _get(shop, "/items")
    assert answer.status_code == 204, answer.text
    arguments = calls[0].arguments
    assert {name: arguments[name] for name in DEFAULTS} == DEFAULTS
    assert arguments["order"] is shop.models.Order(ORDER["default"])
    assert arguments["name"] is None and arguments["x_trace"] is None


def test_values_within_the_rules_reach_the_handler(shop: ModuleType) -> None:
    given = {"limit": "50", "name": "abcde", "status": "open", "order": "asc"}
    answer, calls = _get(shop, "/items", headers={"X-Trace": "ab12"}, **given)
    assert answer.status_code == 204, answer.text
    arguments = calls[0].arguments
    assert {name: str(arguments[name]) for name in given} == given
    assert arguments["x_trace"] == "ab12"


@pytest.mark.parametrize(
    ("path", "query", "headers", "wire_name"),
    [
        ("/items", {"limit": "51"}, {}, "limit"),
        ("/items", {"limit": "0"}, {}, "limit"),
        ("/items", {"limit": "2.5"}, {}, "limit"),
        ("/items", {"name": "abcdef"}, {}, "name"),
        ("/items", {"status": "lost"}, {}, "status"),
        ("/items", {"order": "up"}, {}, "order"),
        ("/items", {}, {"X-Trace": "XYZ"}, "X-Trace"),
        ("/items/abcd", {}, {}, "code"),
    ],
)
def test_a_value_breaking_its_parameters_rules_answers_400_naming_it(
    shop: ModuleType, path: str, query: dict[str, str], headers: dict[str, str], wire_name: str
) -> None:
    answer, calls = _get(shop, path, headers=headers, **query)
    assert answer.status_code == 400
    assert f"The {wire_name} parameter is not valid" in answer.text
    assert calls == []


def test_a_handler_takes_a_parameter_with_a_default_without_none(shop: ModuleType) -> None:
    server = importlib.import_module("rules_api.server")
    hints = {
        name: parameter.annotation
        for name, parameter in inspect.signature(server.ItemsApi.list_items).parameters.items()
    }
    assert [name for name in DEFAULTS if "None" in hints[name]] == []
    assert "None" not in hints["order"]
    assert "None" in hints["name"] and "None" in hints["x_trace"]


def test_the_package_with_rules_and_defaults_passes_mypy_strict_and_ruff(
    shop: ModuleType,
) -> None:
    out = Path(shop.__file__).parent.parent
    ruff = ["ruff", "check", "--isolated", "--no-cache", "--line-length", "100"]
    checks = [
        ["mypy", "--strict", "--cache-dir", str(out.parent / ".mypy_cache"), "rules_api"],
        [*ruff, "--select", "E,F,W,I,B,UP,RUF", "--ignore", "E501", "rules_api"],
    ]
    for check in checks:
        result = subprocess.run(
            [sys.executable, "-m", *check], cwd=out, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
