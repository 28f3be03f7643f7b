"""Property-based tests of the generator: hostile specs generate safe code; broken ones, diagnostics."""

from __future__ import annotations

import ast
import importlib
import itertools
import json
import sys
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.pipeline import check_spec, generate
from generator.write import write
from tests.conftest import TEMPLATES, black_formatted

HOSTILE_WORDS = [
    "class",
    "def",
    "None",
    "async",
    "await",
    "match",
    "self",
    "type",
    "list",
    "id",
    "json",
    "model_dump",
    "Field",
    "BaseModel",
    "Exception",
    "café",
    "日本",
    "✓",
    "a b",
    "a-b",
    "a_b",
    "A_B",
    '"""',
    "'''",
    "\\",
    "\\n",
    "{{ api }}",
    "{% if %}",
    "</script>",
    "<b>",
    "../..",
    "a/b",
    "$ref",
    "__init__",
    "_private",
    "0day",
    "",
    " ",
    "\t",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [*HOSTILE_WORDS, '"""; import os; os.system("x") #', "line\nbreak\r\n", "\x00\x07\x1b"]
    ),
    st.text(st.characters(exclude_categories=("Cs", "Co", "Cn")), max_size=40),
)
NAMES = st.sampled_from(HOSTILE_WORDS)
COUNTER = itertools.count()


@st.composite
def schemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["string", "integer", "number", "boolean", "array", "enum", "dict"]
            + (["object"] if depth < 2 else [])
        )
    )
    description = draw(HOSTILE_TEXT)
    if kind == "array":
        return {
            "type": "array",
            "items": draw(schemas(depth + 1)),
            "minItems": draw(st.integers(0, 3)),
            "description": description,
        }
    if kind == "enum":
        values = draw(st.lists(st.integers(-5, 5), min_size=1, max_size=4, unique=True))
        return {
            "title": f"{draw(NAMES)}Enum{next(COUNTER)}",
            "type": "integer",
            "enum": values,
            "x-enum-varnames": [f"{draw(NAMES)}{i}" for i in range(len(values))],
            "description": description,
        }
    if kind == "dict":
        return {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": description,
        }
    if kind == "object":
        return object_schema(draw, depth + 1)
    schema: dict[str, Any] = {"type": kind, "description": description}
    if kind == "integer":
        schema["format"] = draw(st.sampled_from(["int32", "int64"]))
    return schema


def object_schema(draw: st.DrawFn, depth: int) -> dict[str, Any]:
    names = [f"{draw(NAMES)}{i}" for i in range(draw(st.integers(1, 4)))]
    properties = {name: draw(schemas(depth)) for name in names}
    required = [n for n in names if draw(st.booleans())]
    return {
        "title": f"{draw(NAMES)}Body{next(COUNTER)}",
        "type": "object",
        "properties": properties,
        "required": required,
        "description": draw(HOSTILE_TEXT),
    }


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    tags = [f"{draw(NAMES)}{i}" for i in range(draw(st.integers(1, 2)))]
    for index in range(draw(st.integers(1, 3))):
        operation: dict[str, Any] = {
            "operationId": f"{draw(NAMES)}{index}",
            "tags": [draw(st.sampled_from(tags))],
            "summary": draw(HOSTILE_TEXT),
            "description": draw(HOSTILE_TEXT),
            "x-feature": {"name": "things", "version": draw(st.integers(1, 9))},
            "responses": {
                "200": {"description": draw(HOSTILE_TEXT)},
                "400": {"description": draw(HOSTILE_TEXT)},
            },
        }
        if draw(st.booleans()):
            body = object_schema(draw, 0)
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body}},
            }
        paths[f"/things/p{index}"] = {"post": operation}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Fuzz {next(COUNTER)} {draw(HOSTILE_TEXT)}",
            "version": "1.0.0",
            "description": draw(HOSTILE_TEXT),
        },
        "tags": [{"name": t, "description": draw(HOSTILE_TEXT)} for t in tags],
        "paths": paths,
    }


@given(spec=specs())
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_hostile_specs_generate_safe_code(
    spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    root = folder / "spec" / "openapi.yaml"
    root.parent.mkdir()
    root.write_text(yaml.safe_dump(spec, allow_unicode=True))
    try:
        generated = generate(root, [TEMPLATES])
    except SpecError as exc:  # names that collide after naming: reported, not generated
        assert exc.diagnostics and all(
            d.rule == "python-name" for d in exc.diagnostics if d.severity.value == "error"
        )
        return
    out = folder / "out"
    write(out, generated.files)
    assert sorted(p.name for p in folder.iterdir()) == ["out", "spec"]
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    for path, data in generated.files.items():
        text = data.decode()
        if path.endswith(".py"):
            ast.parse(text)
            assert black_formatted(text) == text, path
    package = generated.api.package
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(package)
        for name in ("client", "server", "testing", "models", "errors"):
            importlib.import_module(f"{package}.{name}")
        assert module.openapi_spec()["openapi"] == "3.1.0"
        assert "os" not in vars(importlib.import_module(f"{package}.models"))
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
    html = (out / "docs" / "index.html").read_text()
    assert "<script" not in html and "</script>" not in html.replace("&lt;/script&gt;", "")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def broken_specs(draw: st.DrawFn) -> Any:
    document = draw(
        st.dictionaries(
            st.sampled_from(["openapi", "info", "paths", "components", "tags", "x"]),
            JSON,
            max_size=5,
        )
    )
    if draw(st.booleans()):
        document["openapi"] = draw(st.sampled_from(["3.1.0", "3.0.3", "2.0", 3.1]))
    if draw(st.booleans()):
        document["paths"] = {"/a/{b}": {"post": draw(JSON)}, draw(st.text(max_size=5)): draw(JSON)}
    return document


@given(document=broken_specs())
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_broken_specs_end_in_diagnostics_never_a_crash(
    document: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("broken") / "openapi.yaml"
    root.write_text(json.dumps(document))
    try:
        check_spec(root)
    except SpecError as exc:
        assert exc.diagnostics
        assert all(
            d.location is None or d.location.file.name == "openapi.yaml" for d in exc.diagnostics
        )
