"""Shared fixtures: paths of the project, a CLI runner, and byte-and-mtime snapshots of trees."""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from generator.pipeline import generate
from generator.write import write

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
GENERATED = ROOT / "generated"
TEMPLATES = ROOT / "templates"
SEEDS = ROOT.parent / "shared" / "seeds"

# The generator's fingerprints go to a cache of this test session's own, not the user's.
os.environ["ICWS_CODEGEN_CACHE"] = tempfile.mkdtemp(prefix="icws-codegen-tests-")


def run_cli(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in a fresh process, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def black_formatted(text: str) -> str:
    """``text`` as black, the reference for the generated code's style, formats it."""
    import black
    from black.mode import TargetVersion

    mode = black.Mode(target_versions={TargetVersion.PY311}, line_length=100)
    return black.format_str(text, mode=mode)


def snapshot(tree: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``tree``: its bytes and its mtime in nanoseconds."""
    return {
        str(path.relative_to(tree)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    """A copy of the committed ``generated/`` tree, mtimes kept, to run the generator on."""
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@contextlib.contextmanager
def generated_package(folder: Path, spec: str, package: str) -> Iterator[ModuleType]:
    """``spec`` (the text of a root document) generated into ``folder``, and its ``package``
    imported from there for the ``with`` block."""
    (folder / "openapi.yaml").write_text(spec)
    write(folder / "out", generate(folder / "openapi.yaml", [TEMPLATES]).files)
    sys.path.insert(0, str(folder / "out"))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(folder / "out"))
