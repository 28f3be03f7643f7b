"""The generated mock answers every operation: a result a test set, else the operation's example
answer (the spec's, or made up from its schema); an example that does not validate is a 500
naming the operation, not a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_cli

PACKAGE = "mock_check"
AGED = {"$ref": "#/components/schemas/aged"}


def answer(schema: dict[str, Any], **media: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": schema, **media}}
    return {"200": {"description": "OK", "content": content}, "500": {"description": "Failed"}}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Mock check", "version": "1"},
    "x-error-schema": "#/components/schemas/error",
    "tags": [{"name": "checks"}],
    "paths": {
        "/made-up": {
            "get": {"operationId": "madeUp", "tags": ["checks"], "responses": answer(AGED)}
        },
        "/given": {
            "get": {
                "operationId": "given",
                "tags": ["checks"],
                "responses": answer(AGED, examples={"first": {"value": {"age": 40}}}),
            }
        },
        "/count": {
            "get": {
                "operationId": "count",
                "tags": ["checks"],
                "responses": answer({"type": "integer"}),
            }
        },
        "/broken": {
            "get": {
                "operationId": "broken",
                "tags": ["checks"],
                # JSON Schema takes it (a format is no bound to it); the int32 model does not.
                "responses": answer(AGED, example={"age": 5_000_000_000}),
            }
        },
    },
    "components": {
        "schemas": {
            "aged": {
                "type": "object",
                "required": ["age"],
                "properties": {"age": {"type": "integer", "format": "int32"}},
            },
            "error": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string"}},
            },
        }
    },
}

# Run with the generated package on the path: each request's status and JSON body, first as the
# mock answers by itself, then with results set (right and wrong types) for some operations.
ASK = """\
import json

import httpx

from mock_check import testing
from mock_check.models import Aged
from tests.loopback import LoopbackServer

mocks = testing.Mocks()
paths = ["/made-up", "/given", "/count", "/broken"]
asked = {}
with LoopbackServer(testing.create_mock_app(mocks)) as running, httpx.Client() as http:
    def ask():
        answers = [(path, http.get(running.url + path)) for path in paths]
        return [[path, answer.status_code, answer.json()] for path, answer in answers]

    asked["example"] = ask()
    mocks.checks.results.update(madeUp=Aged(age=7), count=5, given="no Aged", broken=Aged(age=1))
    asked["result"] = ask()
print(json.dumps(asked))
"""


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[Any]]]:
    """What the mock of ``SPEC`` answered, by round and path: [status, body]."""
    folder = tmp_path_factory.mktemp("mock")
    (folder / "openapi.yaml").write_text(yaml.safe_dump(SPEC))
    out = folder / "out"
    generated = run_cli("generate", "--spec", str(folder / "openapi.yaml"), "--out", str(out))
    assert generated.returncode == 0, generated.stdout + generated.stderr
    result = run_ask(out)
    assert result.returncode == 0, result.stdout + result.stderr
    rounds = json.loads(result.stdout)
    return {name: {path: rest for path, *rest in answers} for name, answers in rounds.items()}


def run_ask(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ASK],
        cwd=out,
        env={"PYTHONPATH": os.pathsep.join([str(out), str(ROOT)])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_operation_with_no_result_answers_an_example_made_up_from_its_schema(
    asked: dict[str, dict[str, list[Any]]],
) -> None:
    assert asked["example"]["/made-up"] == [200, {"age": 1}]
    assert asked["example"]["/count"] == [200, 1]


def test_the_spec_s_example_answer_comes_before_a_made_up_one(
    asked: dict[str, dict[str, list[Any]]],
) -> None:
    assert asked["example"]["/given"] == [200, {"age": 40}]


def test_an_example_that_does_not_validate_is_a_500_naming_the_operation(
    asked: dict[str, dict[str, list[Any]]],
) -> None:
    status, body = asked["example"]["/broken"]
    assert status == 500 and "broken" in body["message"]


def test_a_set_result_wins_over_the_example_even_an_invalid_one(
    asked: dict[str, dict[str, list[Any]]],
) -> None:
    assert asked["result"]["/made-up"] == [200, {"age": 7}]
    assert asked["result"]["/count"] == [200, 5]
    assert asked["result"]["/broken"] == [200, {"age": 1}]


def test_a_set_result_of_the_wrong_type_is_a_500_naming_the_operation(
    asked: dict[str, dict[str, list[Any]]],
) -> None:
    status, body = asked["result"]["/given"]
    assert status == 500 and "given" in body["message"]
