"""The generated package: it compiles, is black-stable, passes mypy --strict and ruff, and builds."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import GENERATED, black_formatted

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
