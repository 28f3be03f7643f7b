"""Every spec of a corpus, ours and others', generates a package that passes every check.

The corpus: ``icws`` (the project's own ``spec/openapi.yaml``), ``icws-every-page`` (a copy of it as
it was before pages were imported, ``tests/data/spec-before-import``, with every page of
``shared/icws-docs/`` imported by ``import-page``), ``synthetic-1000`` (1,000
operations written by ``bench/synth.py`` at test time) and every folder of ``tests/specs/``, each
holding one spec (``openapi.yaml`` or ``openapi.json``) and a ``SOURCE.md`` saying where it came
from: a new folder is a new case. Each case is generated once per session into a temporary folder;
then ``mypy --strict``, ruff and black run on the generated package, and a fresh interpreter
imports it and finds in it what the spec names. Its mock (one process per case) answers every
operation the model lists, and its client (one more process) calls every operation against it;
its docs' Python examples compile. Every case passes every check.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import httpx
import pytest
import yaml

from generator.ir.build import build
from generator.ir.examples import made_up_example
from generator.ir.naming import RESERVED_CLIENT_ATTRIBUTES
from generator.ir.nodes import Api, Operation, RequestBody
from generator.spec.load import load
from generator.spec.openapi import OperationSite, deref, iter_operations, parameters_of
from tests.conftest import ROOT, SPEC, run_cli
from tests.icws_pages import SPEC_BEFORE_IMPORT, import_every_page

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


def _icws_with_every_page(scratch: Path) -> Path:
    """Our spec as it was before any page was imported, copied into ``scratch``, with every
    shared ICWS page imported into it."""
    shutil.copytree(SPEC_BEFORE_IMPORT, scratch / "spec")
    import_every_page(scratch / "spec" / SPEC.name)
    return scratch / "spec" / SPEC.name


def _root_document(folder: Path, scratch: Path) -> Path:
    """The one spec of a ``tests/specs`` folder, read where it is."""
    (root,) = [folder / name for name in SPEC_NAMES if (folder / name).is_file()]
    return root


def _corpus() -> list[Case]:
    cases = [
        Case("icws", lambda scratch: SPEC),
        Case("icws-every-page", _icws_with_every_page),
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
    """Generates each case once per session, on first use; models it and inspects its package
    once too, when a check asks."""

    def __init__(self, scratch: pytest.TempPathFactory) -> None:
        self.scratch = scratch
        self.done: dict[str, Generated] = {}
        self.models: dict[str, Api] = {}
        self.inspected: dict[str, dict[str, Any]] = {}

    def model(self, case: Case) -> Api:
        """The model the generator made the case's package from."""
        if case.name not in self.models:
            generated = self[case]
            generated.require()
            self.models[case.name] = build(load(generated.spec), generated.package)
        return self.models[case.name]

    def inspect(self, case: Case) -> dict[str, Any]:
        """What a fresh interpreter finds in the package (``INSPECT``)."""
        if case.name not in self.inspected:
            generated = self[case]
            generated.require()
            env = {"PYTHONPATH": str(generated.out)}
            result = run("-c", INSPECT, generated.package, cwd=generated.out, env=env)
            assert result.returncode == 0, result.stdout + result.stderr
            self.inspected[case.name] = json.loads(result.stdout)
        return self.inspected[case.name]

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
public = sorted(name for name in dir(package.Client) if not name.startswith("_"))
print(json.dumps({"missing": missing, "attributes": attributes, "spec": spec, "public": public}))
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
    found = corpus.inspect(case)
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


@pytest.mark.parametrize("case", CASES)
def test_every_public_client_member_but_the_tags_is_reserved(corpus: Corpus, case: Case) -> None:
    found = corpus.inspect(case)
    others = set(found["public"]) - set(found["attributes"])
    assert others <= RESERVED_CLIENT_ATTRIBUTES, "tag attributes could shadow these"


@pytest.mark.parametrize("case", CASES)
def test_every_python_example_of_the_docs_compiles(corpus: Corpus, case: Case) -> None:
    generated = corpus[case]
    generated.require()
    pages = sorted((generated.out / "docs").glob("**/*.md"))
    blocks = 0
    for page in pages:
        for block in re.findall(r"^```python\n(.*?)^```$", page.read_text(), re.M | re.S):
            compile(block, str(page.relative_to(generated.out)), "exec")
            blocks += 1
    assert blocks >= len(corpus.model(case).operations), "an operation's page has no example"


# Run in a process of its own, the case's output folder on its path: the package's mock on
# loopback (its URL, printed first); each line read asks for the calls so far, by operationId.
SERVE = """\
import importlib, json, sys
from collections import Counter

from tests.loopback import LoopbackServer

testing = importlib.import_module(sys.argv[1] + ".testing")
mocks = testing.Mocks()
with LoopbackServer(testing.create_mock_app(mocks, check_sessions=False)) as running:
    print(running.url, flush=True)
    for _ in sys.stdin:
        recorders = [value for value in vars(mocks).values() if hasattr(value, "calls")]
        print(json.dumps(Counter(c.operation for r in recorders for c in r.calls)), flush=True)
"""


class MockServer:
    """A generated package's mock, served on loopback by a process of its own."""

    def __init__(self, generated: Generated) -> None:
        self.log = generated.out.parent / "mock-server.log"
        path = os.pathsep.join([str(generated.out), str(ROOT)])
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVE, generated.package],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                cwd=generated.out,
                env={**os.environ, "PYTHONPATH": path},
            )
        self.url = self._line()

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the mock server stopped:\n" + self.log.read_text()
        return line.strip()

    def calls(self) -> Counter[str]:
        """How many calls the mock recorded, by operationId."""
        stdin: TextIO | None = self.process.stdin
        assert stdin is not None
        stdin.write("\n")
        stdin.flush()
        return Counter(json.loads(self._line()))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class MockServers:
    """One mock server per case, started on first use and kept for the session."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.running: dict[str, MockServer] = {}

    def __getitem__(self, case: Case) -> MockServer:
        if case.name not in self.running:
            generated = self.corpus[case]
            generated.require()
            self.running[case.name] = MockServer(generated)
        return self.running[case.name]


@pytest.fixture(scope="session")
def mock_servers(corpus: Corpus) -> Iterator[MockServers]:
    servers = MockServers(corpus)
    yield servers
    for server in servers.running.values():
        server.close()


def _in_order(api: Api) -> list[Operation]:
    """The operations the round trips take: all of them, the session's end last."""
    return sorted(api.operations, key=lambda op: op.session_role == "delete")


def _judge(failed: dict[str, str], checked: int) -> None:
    """Fail naming every operation that ``failed`` (a message by operationId)."""
    assert not failed, f"{len(failed)} of {checked} failed:\n" + "\n".join(
        f"{operation}: {message}" for operation, message in failed.items()
    )


def _sites(generated: Generated) -> tuple[dict[str, Any], dict[tuple[str, str], OperationSite]]:
    """The loaded spec's document, and its operations by (METHOD, path)."""
    document = load(generated.spec).document
    sites = {(site.method.upper(), site.path): site for site in iter_operations(document)}
    return document, sites


def _made_up_body(document: dict[str, Any], site: OperationSite, body: RequestBody) -> Any:
    """A body for the operation at ``site``, made up from the schema of the media type it is
    sent as (a string for text and bytes)."""
    content = deref(document, site.operation["requestBody"]).get("content") or {}
    value = made_up_example(document, content[body.media_type].get("schema", {}))
    return value if body.encoding not in ("text", "binary") or isinstance(value, str) else "x"


def _wire_body(
    document: dict[str, Any], site: OperationSite, operation: Operation
) -> tuple[bytes | None, dict[str, str]]:
    """The body of the operation's example request as sent, and its ``Content-Type``."""
    body = operation.body
    if body is None:
        return None, {}
    if operation.example_body is not None and body.encoding == "json":
        return operation.example_body.encode(), {"Content-Type": body.media_type}
    value = _made_up_body(document, site, body)
    if body.encoding in ("form", "multipart"):
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}
        if body.encoding == "form":
            request = httpx.Request("POST", "/", data=fields)
        else:
            files = {name: (name, value.encode()) for name, value in fields.items()}
            request = httpx.Request("POST", "/", files=files)
        return request.read(), {"Content-Type": request.headers["Content-Type"]}
    textual = body.encoding in ("text", "binary")
    content = value.encode() if textual else json.dumps(value).encode()
    return content, {"Content-Type": body.media_type}


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_mock_answers_every_operation(
    corpus: Corpus, mock_servers: MockServers, case: Case
) -> None:
    api = corpus.model(case)
    document, sites = _sites(corpus[case])
    operations = _in_order(api)
    failed = {}
    with httpx.Client(base_url=mock_servers[case].url, timeout=30) as http:
        for operation in operations:
            site = sites[(operation.method, operation.path)]
            body, content_type = _wire_body(document, site, operation)
            answer = http.request(
                operation.method,
                operation.example_path,
                headers={**dict(operation.example_headers), **content_type},
                content=body,
            )
            if answer.status_code != operation.success_status:
                where = f"{operation.method} {operation.example_path}"
                failed[operation.operation_id] = (
                    f"{where}: {answer.status_code} {answer.text[:300]}"
                )
            elif (
                operation.success
                and operation.success.encoding == "json"
                and operation.success.body
            ):
                answer.json()
    _judge(failed, len(operations))


# Run in a fresh interpreter, the case's output folder on its path: each call of the plan (read
# as JSON on stdin) made with the package's client, and what it raised (null if nothing).
ROUND_TRIP = """\
import importlib, json, sys, typing

from pydantic import TypeAdapter

package = importlib.import_module(sys.argv[1])
models = importlib.import_module(sys.argv[1] + ".models")
names = {name: getattr(models, name) for name in models.__all__}
plan = json.load(sys.stdin)
session = {"session": package.Session(**plan["session"])} if plan["session"] is not None else {}
raised = {}
with package.Client(plan["url"], **session) as client:
    for call in plan["calls"]:
        method = getattr(getattr(client, call["tag"]), call["method"])
        hints = typing.get_type_hints(method)
        arguments = {name: eval(code, dict(names)) for name, code in call["python"].items()}
        for name, value in call["json"].items():
            arguments[name] = TypeAdapter(hints[name]).validate_json(value)
        positional = [arguments.pop("body")] if "body" in arguments else []
        try:
            method(*positional, **arguments)
            raised[call["operation"]] = None
        except Exception as error:
            raised[call["operation"]] = f"{type(error).__name__}: {error}"
print(json.dumps(raised))
"""


def _call_plan(
    document: dict[str, Any], sites: dict[tuple[str, str], OperationSite], operation: Operation
) -> dict[str, Any]:
    """How the client calls ``operation``: its example arguments (Python), and a made-up value
    (JSON) for each required parameter, and the body, that has none."""
    python = dict(operation.example_arguments)
    made_up: dict[str, Any] = {}
    missing = [p for p in operation.arguments if p.required and p.name not in python]
    if missing:
        site = sites[(operation.method, operation.path)]
        raw = {(p["in"], p["name"]): p for _, p in parameters_of(document, site)}
        for parameter in missing:
            schema = raw[(parameter.location, parameter.wire_name)].get("schema", {})
            made_up[parameter.name] = made_up_example(document, schema)
    if operation.example_body_python:
        python["body"] = operation.example_body_python
    elif operation.body and not operation.body.model:
        site = sites[(operation.method, operation.path)]
        made_up["body"] = _made_up_body(document, site, operation.body)
    return {
        "tag": operation.tag_attribute,
        "method": operation.name,
        "operation": operation.operation_id,
        "python": python,
        "json": {name: json.dumps(value) for name, value in made_up.items()},
    }


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_client_round_trips_every_operation_through_the_mock(
    corpus: Corpus, mock_servers: MockServers, case: Case
) -> None:
    api = corpus.model(case)
    generated = corpus[case]
    server = mock_servers[case]
    document, sites = _sites(generated)
    operations = _in_order(api)
    session = {f.name: f.example for f in api.session_fields}
    if api.session_cookies:
        session["cookies"] = dict(api.example_cookies)
    plan = {
        "url": server.url,
        "session": session if api.session_fields or api.session_cookies else None,
        "calls": [_call_plan(document, sites, operation) for operation in operations],
    }
    before = server.calls()
    result = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP, generated.package],
        input=json.dumps(plan),
        cwd=generated.out,
        env={**os.environ, "PYTHONPATH": str(generated.out)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    failed = {name: error for name, error in json.loads(result.stdout).items() if error}
    recorded = server.calls() - before
    for operation in operations:
        if operation.operation_id not in failed and not recorded[operation.operation_id]:
            failed[operation.operation_id] = "returned, but the mock recorded no call"
    _judge(failed, len(operations))
