"""Every spec of a corpus, ours and others', generates a package that passes every check.

The corpus: ``icws`` (the project's own ``spec/openapi.yaml``), ``synthetic-1000`` (1,000
operations written by ``bench/synth.py`` at test time) and every folder of ``tests/specs/``, each
holding one spec (``openapi.yaml`` or ``openapi.json``) and a ``SOURCE.md`` saying where it came
from: a new folder is a new case. Each case is generated once per session into a temporary folder;
then ``mypy --strict``, ruff and black run on the generated package, and a fresh interpreter
imports it and finds in it what the spec names. Every case passes every check.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SPEC, run_cli

SPECS = Path(__file__).resolve().parent / "specs"
SPEC_NAMES = ("openapi.yaml", "openapi.json")
SYNTHETIC_OPERATIONS = 1000


@dataclass(frozen=True)
class Case:
    """One spec of the corpus and how to get its root document into a folder."""

    name: str
    prepare: Callable[[Path], Path]
    """Given a scratch folder, the spec's root document (written there if need be)."""

    @property
    def package(self) -> str:
        return "corpus_" + re.sub(r"\W", "_", self.name)


def _synthetic(scratch: Path) -> Path:
    """``bench/synth.py``'s spec of ``SYNTHETIC_OPERATIONS`` operations, written in ``scratch``."""
    loader = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    assert loader is not None and loader.loader is not None
    synth = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(synth)
    synth.synthesize(SYNTHETIC_OPERATIONS, scratch / "spec")
    return scratch / "spec" / "openapi.yaml"


def _root_document(folder: Path, scratch: Path) -> Path:
    """The one spec of a ``tests/specs`` folder, read where it is."""
    (root,) = [folder / name for name in SPEC_NAMES if (folder / name).is_file()]
    return root


def _corpus() -> list[Case]:
    cases = [
        Case("icws", lambda scratch: SPEC),
        Case(f"synthetic-{SYNTHETIC_OPERATIONS}", _synthetic),
    ]
    for folder in sorted(p for p in SPECS.iterdir() if p.is_dir()):
        cases.append(Case(folder.name, functools.partial(_root_document, folder)))
    return cases


CORPUS = _corpus()
CASES = [pytest.param(case, id=case.name) for case in CORPUS]
"""The corpus as parameters of each check's test, named by case."""


@dataclass(frozen=True)
class Generated:
    spec: Path
    out: Path
    package: str
    result: subprocess.CompletedProcess[str]

    def require(self) -> None:
        """Fail the calling check unless the package was generated."""
        if self.result.returncode != 0:
            pytest.fail("the spec did not generate:\n" + self.result.stdout + self.result.stderr)


class Corpus:
    """Generates each case once per session, on first use."""

    def __init__(self, scratch: pytest.TempPathFactory) -> None:
        self.scratch = scratch
        self.done: dict[str, Generated] = {}

    def __getitem__(self, case: Case) -> Generated:
        if case.name not in self.done:
            folder = self.scratch.mktemp(case.name)
            spec = case.prepare(folder)
            out = folder / "out"
            result = run_cli(
                "generate", "--spec", str(spec), "--out", str(out), "--package", case.package
            )
            self.done[case.name] = Generated(spec, out, case.package, result)
        return self.done[case.name]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory)


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_every_corpus_folder_holds_one_spec_and_its_source() -> None:
    folders = sorted(p for p in SPECS.iterdir() if p.is_dir())
    assert len(folders) >= 2
    for folder in folders:
        specs = [name for name in SPEC_NAMES if (folder / name).is_file()]
        assert len(specs) == 1, f"{folder.name}: one of {SPEC_NAMES}, found {specs}"
        assert (folder / "SOURCE.md").is_file(), f"{folder.name} says nowhere where it came from"


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_spec_generates_without_errors(corpus: Corpus, case: Case) -> None:
    generated = corpus[case]
    generated.require()
    assert (generated.out / generated.package / "__init__.py").is_file()


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_spec_generates_a_package_that_passes_mypy_strict(
    corpus: Corpus, case: Case
) -> None:
    generated = corpus[case]
    generated.require()
    cache = generated.out.parent / ".mypy_cache"
    result = run(
        "-m", "mypy", "--strict", "--cache-dir", str(cache), generated.package, cwd=generated.out
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_spec_generates_a_package_that_passes_ruff(corpus: Corpus, case: Case) -> None:
    generated = corpus[case]
    generated.require()
    # The rules and settings tests/test_generated_package.py holds generated/ to.
    command = ["ruff", "check", "--isolated", "--no-cache", "--line-length", "100"]
    command += ["--select", "E,F,W,I,B,UP,RUF", "--ignore", "E501", generated.package]
    result = run("-m", *command, cwd=generated.out)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_spec_generates_a_package_that_black_leaves_unchanged(
    corpus: Corpus, case: Case
) -> None:
    generated = corpus[case]
    generated.require()
    command = ["black", "--check", "--config", "/dev/null", "--line-length", "100"]
    command += ["--target-version", "py311", generated.package]
    cache = {"BLACK_CACHE_DIR": str(generated.out.parent / ".black_cache")}
    result = run("-m", *command, cwd=generated.out, env={**os.environ, **cache})
    assert result.returncode == 0, result.stdout + result.stderr


# Run in a fresh interpreter with the output folder on its path: what the package holds, as JSON.
INSPECT = """\
import functools, importlib, json, sys

import pydantic

package = importlib.import_module(sys.argv[1])
models = importlib.import_module(sys.argv[1] + ".models")
missing = [name for name in models.__all__ if not hasattr(models, name)]
for name in models.__all__:
    value = getattr(models, name, None)
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
        value.model_json_schema()
with package.Client("http://127.0.0.1:9") as client:
    tags = [
        name
        for name, value in vars(package.Client).items()
        if isinstance(value, functools.cached_property)
    ]
    attributes = {
        name: sorted(m for m in dir(value) if not m.startswith("_") and callable(getattr(value, m)))
        for name, value in ((name, getattr(client, name)) for name in tags)
    }
spec = package.openapi_spec()
print(json.dumps({"missing": missing, "attributes": attributes, "spec": spec}))
"""
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _key(name: str) -> str:
    """A name as the generator's spellings of it all reduce to: ``get-board`` is ``get_board``."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_spec_generates_a_package_with_its_models_and_a_client_per_tag(
    corpus: Corpus, case: Case
) -> None:
    generated = corpus[case]
    generated.require()
    result = run(
        "-c", INSPECT, generated.package, cwd=generated.out, env={"PYTHONPATH": str(generated.out)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads(result.stdout)
    assert found["missing"] == [], "named in models.__all__ but absent"

    source = yaml.safe_load(generated.spec.read_text())
    bundled = found["spec"]
    assert set(bundled.get("paths") or {}) == set(source.get("paths") or {})

    clients = {
        _key(name): {_key(m) for m in methods} for name, methods in found["attributes"].items()
    }
    for path, item in (bundled.get("paths") or {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            operation_id = operation.get("operationId")
            for tag in operation.get("tags", []):
                assert _key(tag) in clients, f"no Client attribute for tag {tag!r}"
                assert operation_id is None or (
                    _key(operation_id) in clients[_key(tag)]
                ), f"{method.upper()} {path}: no method for {operation_id!r} on tag {tag!r}"
