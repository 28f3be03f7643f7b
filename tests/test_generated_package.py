"""The generated package: it compiles, is black-stable, passes mypy --strict and ruff, builds, and
loads a tag's code (and its models) only when the tag is used."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.ir.build import build
from generator.ir.nodes import Tag
from generator.spec.load import load
from tests.conftest import GENERATED, SPEC, black_formatted

API = build(load(SPEC))
PACKAGE = API.package
PYTHON_FILES = sorted(p for p in GENERATED.rglob("*.py") if "__pycache__" not in p.parts)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_there_is_python_to_check() -> None:
    assert {p.name for p in PYTHON_FILES} >= {"__init__.py", "models.py"}


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(GENERATED)))
def test_compiles_and_is_black_stable(path: Path) -> None:
    text = path.read_text()
    compile(text, str(path), "exec")
    assert black_formatted(text) == text


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(GENERATED)))
def test_docstrings_have_no_double_blank_lines(path: Path) -> None:
    """Sections of a docstring (summary, Args, Returns, Raises) are one blank line apart."""
    tree = ast.parse(path.read_text())
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    doubled = [
        f"{path.name}:{getattr(node, 'lineno', 1)}"
        for node in ast.walk(tree)
        if isinstance(node, documented) and "\n\n\n" in (ast.get_docstring(node, False) or "")
    ]
    assert not doubled


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of ``generated/``, so the tools' caches and build output stay out of it."""
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_mypy_strict(package_copy: Path) -> None:
    result = run("mypy", "--strict", "icws_api", cwd=package_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff(package_copy: Path) -> None:
    # Line length is black's: it wraps the code and the generator wraps docstrings, but a long
    # description from the spec stays one string literal, as black leaves it.
    rules = "E,F,W,I,B,UP,RUF"
    command = [
        "ruff",
        "check",
        "--isolated",
        "--line-length",
        "100",
        "--select",
        rules,
        "--ignore",
        "E501",
        ".",
    ]
    result = run(*command, cwd=package_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_builds_a_wheel_with_the_spec_and_py_typed(package_copy: Path, tmp_path: Path) -> None:
    result = run(
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        str(tmp_path),
        ".",
        cwd=package_copy,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob("icws_api-0.1.0-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "icws_api/__init__.py",
        "icws_api/models.py",
        "icws_api/py.typed",
        "icws_api/openapi.json",
    } <= names


def test_ships_the_bundled_spec() -> None:
    import icws_api

    spec = icws_api.openapi_spec()
    assert spec["openapi"] == "3.1.0"
    assert "/icws/{sessionId}/dialer/update-stage" in spec["paths"]
    assert icws_api.__version__ == spec["info"]["version"]


# Run in a fresh interpreter: the statements of argv[1], then the modules of the package and the
# frameworks loaded, as JSON.
LOADED = """\
import json, sys

exec(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {"%s", "starlette"})))
"""


def loaded_after(statements: str) -> set[str]:
    """The package's modules (and Starlette's) a fresh interpreter holds after ``statements``."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED % PACKAGE, statements],
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def tag_modules(tag: Tag) -> set[str]:
    """The modules of one tag: its client, its server side and its models."""
    return {f"{PACKAGE}.{folder}.{tag.module}" for folder in ("resources", "server", "_models")}


def test_importing_the_package_loads_no_tag_and_no_server() -> None:
    loaded = loaded_after(f"import {PACKAGE}; from {PACKAGE} import AsyncClient, Client, models")
    for tag in API.tags:
        assert not tag_modules(tag) & loaded, tag.name
    assert not {m for m in loaded if m.startswith(("starlette", f"{PACKAGE}.server"))}


@pytest.mark.parametrize("client", ["Client", "AsyncClient"])
@pytest.mark.parametrize("tag", API.tags, ids=lambda tag: tag.name)
def test_using_one_tags_client_loads_that_tag_and_no_other(tag: Tag, client: str) -> None:
    loaded = loaded_after(
        f"import {PACKAGE}\n"
        f"client = {PACKAGE}.{client}('http://127.0.0.1:1')\n"
        f"assert type(client.{tag.attribute}).__name__ == {tag.async_client_class if client == 'AsyncClient' else tag.client_class!r}"
    )
    assert f"{PACKAGE}.resources.{tag.module}" in loaded
    assert f"{PACKAGE}.server.{tag.module}" not in loaded
    for other in API.tags:
        if other != tag:
            assert not tag_modules(other) & loaded, other.name
    assert not {m for m in loaded if m.startswith(("starlette", f"{PACKAGE}.server"))}


@pytest.mark.parametrize("tag", API.tags, ids=lambda tag: tag.name)
def test_a_tags_server_class_loads_that_tag_and_no_other(tag: Tag) -> None:
    loaded = loaded_after(f"from {PACKAGE}.server import {tag.server_class}")
    assert f"{PACKAGE}.server.{tag.module}" in loaded
    assert f"{PACKAGE}.resources.{tag.module}" not in loaded
    for other in API.tags:
        if other != tag:
            assert not tag_modules(other) & loaded, other.name


def test_every_model_is_offered_by_the_models_module_and_loaded_from_its_own() -> None:
    import importlib

    models = importlib.import_module(f"{PACKAGE}.models")
    assert set(models.__all__) >= set(API.model_names)
    for name in API.model_names:
        model = getattr(models, name)
        assert model.__name__ == name
        assert model.__module__ == f"{PACKAGE}._models.{API.model_modules[name]}"
    assert set(dir(models)) >= set(models.__all__)
    with pytest.raises(AttributeError):
        models.NoSuchModel  # noqa: B018
