"""Packaging of the generated package: a client-only install (httpx and pydantic) imports and
calls; the server side needs the ``[server]`` extra and says so where it is missing; and
``pyright --verifytypes`` finds the public interface's types complete."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from typing import Any

import pytest
from packaging.requirements import Requirement

from generator.ir.build import build
from generator.spec.load import load
from tests.conftest import GENERATED, SPEC

API = build(load(SPEC))
PACKAGE = API.package
INSTALL_SERVER_EXTRA = f"pip install '{API.distribution}[server]'"
SERVER_EXTRA = {"starlette", "uvicorn"}
MINIMUM_TYPE_COMPLETENESS = 0.95

# A fresh interpreter where the modules of argv[1] (a JSON list) cannot be imported, as where the
# server extra is not installed; it runs the statements of argv[2], which print what they found.
WITHOUT = """\
import importlib.abc, json, sys

REFUSED = set(json.loads(sys.argv[1]))


class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in REFUSED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Refuse())
exec(sys.argv[2])
"""

# Imports the client side, checks Starlette is out of reach, and calls an operation through
# ``httpx.MockTransport``: prints the request the server got and the result the client read.
CLIENT_CALL = f"""\
import httpx
import {PACKAGE}
from {PACKAGE} import Client, errors, models, session
from {PACKAGE}.models import FeatureInfo, FeatureInfoList

try:
    import starlette
except ModuleNotFoundError:
    pass
else:
    raise AssertionError("starlette imported")

sent = FeatureInfoList(feature_info_list=[FeatureInfo(feature_id="dialer", version=9)])
requests = []


def answer(request):
    requests.append(f"{{request.method}} {{request.url.path}}")
    return httpx.Response(200, content=sent.model_dump_json(by_alias=True),
                          headers={{"Content-Type": "application/json"}})


http = httpx.Client(base_url="http://icws.test", transport=httpx.MockTransport(answer))
with Client(http=http) as client:
    read = client.connection.get_features()
print(json.dumps({{
    "requests": requests,
    "read": read.model_dump(mode="json"),
    "sent": sent.model_dump(mode="json"),
    "errors": errors.ApiError.__module__,
    "loaded": sorted(m for m in sys.modules if m.partition(".")[0] in REFUSED),
}}))
"""

IMPORT_ERROR = """\
import importlib

try:
    importlib.import_module(sys.argv[3])
except ModuleNotFoundError as error:
    print(json.dumps({"message": str(error), "name": error.name}))
else:
    raise AssertionError(f"{sys.argv[3]} imported")
"""

SERVE = f"""\
from {PACKAGE}.server.__main__ import main

main([])
"""


def run_without(refused: set[str], statements: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``statements`` in a fresh interpreter where the ``refused`` modules cannot be imported."""
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, json.dumps(sorted(refused)), statements, *args],
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def requirement_names(requirements: list[str]) -> set[str]:
    return {Requirement(line).name for line in requirements}


def project() -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads((GENERATED / "pyproject.toml").read_text())["project"]
    return table


def test_the_base_install_needs_only_httpx_and_pydantic() -> None:
    assert requirement_names(project()["dependencies"]) == {"httpx", "pydantic"}


def test_the_server_extra_adds_starlette_and_uvicorn() -> None:
    extras = project()["optional-dependencies"]
    assert set(extras) == {"server"}
    assert requirement_names(extras["server"]) == SERVER_EXTRA


def test_without_the_server_extra_the_client_imports_and_calls_through_a_mock_transport() -> None:
    result = run_without(SERVER_EXTRA, CLIENT_CALL)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["requests"] == ["GET /icws/connection/features"]
    assert outcome["read"] == outcome["sent"]
    assert outcome["errors"] == f"{PACKAGE}.errors"
    assert outcome["loaded"] == []


@pytest.mark.parametrize(
    "module",
    ["server", "testing", *(f"server.{tag.module}" for tag in API.tags)],
)
def test_without_starlette_the_server_side_fails_naming_the_extra(module: str) -> None:
    result = run_without(SERVER_EXTRA, IMPORT_ERROR, f"{PACKAGE}.{module}")
    assert result.returncode == 0, result.stderr
    error = json.loads(result.stdout)
    assert INSTALL_SERVER_EXTRA in error["message"]
    assert error["name"] == "starlette"


def test_serving_without_uvicorn_exits_naming_the_extra() -> None:
    result = run_without({"uvicorn"}, SERVE)
    assert result.returncode == 2
    assert INSTALL_SERVER_EXTRA in result.stderr


@pytest.mark.skipif(
    importlib.util.find_spec("basedpyright") is None,
    reason="basedpyright (pyright with its node runtime, from PyPI) is not installed",
)
def test_verifytypes_finds_the_public_interface_typed() -> None:
    """``--ignoreexternal``: the score counts the package's own symbols, not those of pydantic,
    httpx or Starlette, which it cannot change."""
    command = [sys.executable, "-m", "basedpyright", "--pythonpath", sys.executable]
    command += ["--verifytypes", PACKAGE, "--ignoreexternal", "--outputjson"]
    result = subprocess.run(
        command,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(GENERATED), *sys.path])},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)["typeCompleteness"]
    assert report["packageRootDirectory"] == str(GENERATED / PACKAGE)
    incomplete = [
        f"{symbol['name']}: {diagnostic['message']}"
        for symbol in report["symbols"]
        for diagnostic in symbol["diagnostics"]
        if diagnostic["severity"] == "error"
    ]
    assert report["completenessScore"] >= MINIMUM_TYPE_COMPLETENESS, "\n".join(incomplete)
