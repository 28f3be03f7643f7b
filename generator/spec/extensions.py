"""Every ``x-`` extension the generator reads, declared once: its name, where it may stand, the
shape of its value (a JSON Schema) and what it means. A spec's extensions are validated from
these declarations, and the README's table of extensions is printed from them.

Another tool's extension (any other ``x-`` name) is left alone, unless it is one letter or so
away from one of these: then it is surely a misspelling, and an error names the one meant.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from generator.diagnostics import Diagnostic, error
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.walk import Node, Place

Shape = Mapping[str, Any]
"""A JSON Schema (2020-12) of an extension's value; its ``title``, if any, is how the README
shows it."""

STRING: Shape = {"type": "string", "minLength": 1}
STRINGS: Shape = {"type": "array", "items": {"type": "string"}}
POINTER: Shape = {"title": "JSON pointer", "type": "string", "pattern": "^#/"}


@dataclass(frozen=True)
class Extension:
    """One extension: where it may stand, with the shape of its value there, and its meaning."""

    name: str
    shapes: Mapping[Place, Shape]
    meaning: str


def at(*places: Place, shape: Shape) -> dict[Place, Shape]:
    """The same ``shape`` at each of ``places``."""
    return dict.fromkeys(places, shape)


EXTENSIONS: tuple[Extension, ...] = (
    Extension(
        "x-feature",
        at(
            "operation",
            "parameter",
            "schema",
            shape={
                "type": "object",
                "properties": {
                    "name": STRING,
                    "version": {"type": "integer", "minimum": 1},
                },
                "required": ["name", "version"],
                "additionalProperties": False,
            },
        ),
        "the server feature version it needs (on a schema: a property's); when one operation has"
        " it, every operation should",
    ),
    Extension(
        "x-session-field",
        at("security scheme", "parameter", "header", shape=STRING),
        "the client session value that supplies it (cookie schemes: the session's cookies); on"
        " a response header, the value it gives the session",
    ),
    Extension(
        "x-session",
        at("operation", shape={"enum": ["create", "delete"]}),
        "the operation starts (`create`) or ends (`delete`) a client session",
    ),
    Extension(
        "x-features",
        at(
            "operation",
            shape={
                "type": "object",
                "properties": {"list": STRING, "name": STRING, "version": STRING},
                "required": ["name", "version"],
                "additionalProperties": False,
            },
        ),
        "the properties of its answer listing the server's features (without `list`: the"
        " answer is the one feature its path names)",
    ),
    Extension(
        "x-name-template",
        at("security scheme", shape={"type": "boolean"}),
        "`true`: `{param}` in its `name` is filled from the operation's path parameters",
    ),
    Extension(
        "x-obtained-from",
        at("security scheme", shape=STRING),
        "where a client gets the value (for the docs)",
    ),
    Extension(
        "x-example",
        at("security scheme", "parameter", shape=STRING),
        "a value for the docs' examples",
    ),
    Extension(
        "x-error-schema",
        {"root": POINTER, "response": {"const": False}},
        "at the root, the schema every 4xx/5xx body uses; `false` on a response: its body is"
        " its own",
    ),
    Extension(
        "x-status",
        at(
            "response",
            shape={
                "title": "status",
                "anyOf": [
                    {"type": "integer", "minimum": 100, "maximum": 599},
                    {"type": "string", "pattern": "^([1-5][0-9][0-9]|[1-5]XX|default)$"},
                ],
            },
        ),
        "the status a shared response is for (checked where it is used)",
    ),
    Extension(
        "x-alternate-hosts",
        at("response", shape=STRING),
        "the body property naming hosts to try instead",
    ),
    Extension(
        "x-auth-params",
        at("header", shape=STRINGS),
        "the parameters of the `WWW-Authenticate` challenge, typed in the client",
    ),
    Extension(
        "x-enum-varnames",
        at("schema", shape=STRINGS),
        "the enumeration's member names, one per `enum` value",
    ),
    Extension(
        "x-enum-descriptions",
        at("schema", shape=STRINGS),
        "the enumeration's member descriptions, one per `enum` value",
    ),
    Extension(
        "x-secret",
        at("schema", shape={"const": True}),
        "on a property: its value is a credential, kept out of the models' `repr` and `str` and"
        " out of the client's logs, yet sent (as are `format: password` and `writeOnly` ones)",
    ),
    Extension(
        "x-idempotent",
        at("operation", shape={"type": "boolean"}),
        "`true`: retries may repeat this operation as if its method were idempotent (PUT,"
        " DELETE): a POST marked so is retried after timeouts and 502/504 too",
    ),
    Extension(
        "x-icws-type",
        at("schema", shape=STRING),
        "the ICWS type a documentation page names (`DateTime`), written by `import-page`",
    ),
)

BY_NAME: dict[str, Extension] = {extension.name: extension for extension in EXTENSIONS}


def check(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """The problems of the extensions written on ``node``: a misspelt name, a declared one out
    of its place, or a value not of its shape."""
    for key, value in node.value.items():
        if not key.startswith("x-"):
            continue
        at = jp.child(node.pointer, key)
        extension = BY_NAME.get(key)
        if extension is None:
            meant = difflib.get_close_matches(key, BY_NAME, n=1, cutoff=0.85)
            if meant:
                message = f"unknown extension {key!r}: is it {meant[0]!r}?"
                yield error("extension-unknown", message, spec.locate(at), at)
            continue
        if node.place not in extension.shapes:
            places = ", ".join(extension.shapes)
            message = f"{key} is read on {places} objects, not on {node.place} objects"
            yield error("extension-place", message, spec.locate(at), at)
            continue
        problem = next(_validator(key, node.place).iter_errors(value), None)
        if problem is not None:
            where = jp.join(at, *problem.instance_path)
            message = f"{key} must be {summary(extension.shapes[node.place])}: {problem.message}"
            yield error("extension-shape", message, spec.locate(where), where)


@functools.cache
def _validator(name: str, place: Place) -> Any:
    return jsonschema_rs.Draft202012Validator(dict(BY_NAME[name].shapes[place]))


def summary(shape: Shape) -> str:
    """A shape as the README shows it: ``{name, version}``, ``[string]``, ``create or delete``."""
    if "title" in shape:
        return str(shape["title"])
    if "const" in shape:
        return json.dumps(shape["const"])
    if "enum" in shape:
        return " or ".join(json.dumps(value) for value in shape["enum"])
    if shape.get("type") == "object" and "properties" in shape:
        required = shape.get("required", ())
        names = (name if name in required else f"{name}?" for name in shape["properties"])
        return "{" + ", ".join(names) + "}"
    if shape.get("type") == "array":
        return f"[{summary(shape['items'])}]"
    return str(shape["type"])


def readme_table() -> str:
    """The README's table of extensions, one row per declaration."""
    rows = ["| extension | where | value | meaning |", "| --- | --- | --- | --- |"]
    for extension in EXTENSIONS:
        values = {summary(shape) for shape in extension.shapes.values()}
        if len(values) == 1:
            value = f"`{values.pop()}`"
        else:
            value = "; ".join(f"{place}: `{summary(s)}`" for place, s in extension.shapes.items())
        where = ", ".join(extension.shapes)
        rows.append(f"| `{extension.name}` | {where} | {value} | {extension.meaning} |")
    return "\n".join(rows) + "\n"
