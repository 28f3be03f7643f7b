"""Rules over one schema, or one value and its schema, of a document whose shape OpenAPI accepts:
mistakes that are valid YAML and valid OpenAPI but surely wrong."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from typing import Any, TypeGuard
from urllib.parse import quote

import jsonschema_rs

from generator.diagnostics import Diagnostic, error
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import JSON_MEDIA_TYPE, deref
from generator.spec.walk import Node

KEYWORDS = frozenset(
    {
        # JSON Schema 2020-12: core, applicators, validation, annotations, content
        *("$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$defs"),
        *("$comment", "$vocabulary", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"),
        *("dependentSchemas", "prefixItems", "items", "contains", "properties"),
        *("patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems"),
        *("unevaluatedProperties", "type", "enum", "const", "multipleOf", "maximum"),
        *("exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength"),
        *("pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains"),
        *("maxProperties", "minProperties", "required", "dependentRequired", "title"),
        *("description", "default", "deprecated", "readOnly", "writeOnly", "examples"),
        *("format", "contentEncoding", "contentMediaType", "contentSchema"),
        # earlier drafts (OpenAPI 3.0's is draft 4's)
        *("definitions", "dependencies", "additionalItems", "id", "$recursiveRef"),
        "$recursiveAnchor",
        # OpenAPI's own
        *("nullable", "discriminator", "xml", "externalDocs", "example"),
    }
)

_COMBINATIONS = ("allOf", "anyOf", "oneOf")
_BOUNDS = (
    ("minimum", "maximum"),
    ("minLength", "maxLength"),
    ("minItems", "maxItems"),
    ("minProperties", "maxProperties"),
    ("minContains", "maxContains"),
)
_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def required_declared(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """Every name ``required`` lists is a property of the schema, of the schemas it combines
    with (``allOf``/``anyOf``/``oneOf`` parts, ``$ref``), or of the one it is a part of."""
    required = node.value.get("required")
    if not isinstance(required, list):
        return
    document = spec.document
    declared = set(_properties(document, node.value))
    part = node
    while part.parent is not None and part.via in _COMBINATIONS:
        part = part.parent
        declared.update(_properties(document, part.value))
    if not declared:
        return  # a constraint on names, not a list of declared properties
    patterns = node.value.get("patternProperties")
    open_to = node.value.get("additionalProperties")
    for index, name in enumerate(required):
        if name in declared or isinstance(open_to, dict):
            continue
        if isinstance(patterns, dict) and any(_matches(p, str(name)) for p in patterns):
            continue
        close = difflib.get_close_matches(str(name), declared, n=1, cutoff=0.6)
        hint = f" (is it {close[0]!r}?)" if close else ""
        at = jp.join(node.pointer, "required", index)
        message = f"{name!r} is required but is no property of the schema{hint}"
        yield error("schema-required", message, spec.locate(at), at)


def _properties(document: dict[str, Any], schema: Any, depth: int = 0) -> Iterator[str]:
    """The property names of ``schema`` and, through ``$ref``s, of the schemas it combines."""
    schema = deref(document, schema)
    if not isinstance(schema, dict) or depth > 32:
        return
    properties = schema.get("properties")
    yield from properties if isinstance(properties, dict) else ()
    for key in _COMBINATIONS:
        parts = schema.get(key)
        for part in parts if isinstance(parts, list) else []:
            yield from _properties(document, part, depth + 1)


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def enum_values(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """Every ``enum`` value is of the schema's type, and none is listed twice."""
    values = node.value.get("enum")
    if not isinstance(values, list):
        return
    types = node.value.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if node.value.get("nullable") is True:
        types = [*types, "null"]
    checks = [_TYPES[t] for t in types if t in _TYPES]
    seen: set[str] = set()
    for index, value in enumerate(values):
        at = jp.join(node.pointer, "enum", index)
        if checks and not any(check(value) for check in checks):
            message = f"enum value {value!r} is not of the schema's type ({' or '.join(types)})"
            yield error("schema-enum", message, spec.locate(at), at)
        key = json.dumps(value, sort_keys=True)
        if key in seen:
            message = f"enum value {value!r} is listed twice"
            yield error("schema-enum", message, spec.locate(at), at)
        seen.add(key)


def keywords_known(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """An object schema holds only schema keywords: any other key is most likely a property
    written beside ``properties`` instead of inside it."""
    schema = node.value
    kind = schema.get("type")
    if not (
        "properties" in schema or kind == "object" or (isinstance(kind, list) and "object" in kind)
    ):
        return
    for key in schema:
        if key not in KEYWORDS and not key.startswith("x-"):
            at = jp.child(node.pointer, key)
            message = (
                f"{key!r} is no schema keyword: a property written beside `properties` "
                "instead of inside it?"
            )
            yield error("schema-keyword", message, spec.locate(at), at)


def bounds(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """No lower bound is above its upper bound (``minItems`` above ``maxItems``, ...)."""
    for low, high in _BOUNDS:
        least, most = node.value.get(low), node.value.get(high)
        if _is_number(least) and _is_number(most) and least > most:
            at = jp.child(node.pointer, low)
            message = f"{low} {least} is above {high} {most}: no value can be valid"
            yield error("schema-bounds", message, spec.locate(at), at)


def _is_number(value: Any) -> TypeGuard[float]:
    return type(value) in (int, float)


def schema_values(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """A schema's ``default``, ``example`` and ``examples`` are valid against it."""
    schema, at = node.value, node.pointer
    if "default" in schema and not (schema["default"] is None and schema.get("nullable") is True):
        yield from _value_problems(spec, schema, at, schema["default"], jp.child(at, "default"))
    if "example" in schema:
        yield from _value_problems(spec, schema, at, schema["example"], jp.child(at, "example"))
    examples = schema.get("examples")
    for index, value in enumerate(examples if isinstance(examples, list) else []):
        yield from _value_problems(spec, schema, at, value, jp.join(at, "examples", index))


def holder_examples(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """A parameter's, header's or JSON media type's ``example`` and ``examples`` values are
    valid against its schema."""
    schema = node.value.get("schema")
    if not isinstance(schema, dict):
        return
    if node.place == "media type" and not JSON_MEDIA_TYPE.match(jp.split(node.pointer)[-1]):
        return  # a non-JSON body's example is written as sent, not as its schema's value
    schema_at = jp.child(node.pointer, "schema")
    if "example" in node.value:
        at = jp.child(node.pointer, "example")
        yield from _value_problems(spec, schema, schema_at, node.value["example"], at)
    examples = node.value.get("examples")
    for name, example in examples.items() if isinstance(examples, dict) else ():
        example = deref(spec.document, example)
        if isinstance(example, dict) and "value" in example:
            at = jp.join(node.pointer, "examples", name, "value")
            yield from _value_problems(spec, schema, schema_at, example["value"], at)


def _value_problems(
    spec: LoadedSpec, schema: dict[str, Any], schema_at: str, value: Any, value_at: str
) -> Iterator[Diagnostic]:
    """``value``, written at ``value_at``, checked against ``schema``, written at ``schema_at``."""
    problem = instance_problem(spec.document, schema, schema_at, value)
    if problem is not None:
        is_default = value_at.endswith("/default")
        rule, what = ("schema-default", "default") if is_default else ("schema-example", "example")
        yield error(rule, f"{what} {problem}", spec.locate(value_at), value_at)


def instance_problem(
    document: dict[str, Any], schema: dict[str, Any], pointer: str, value: Any
) -> str | None:
    """Why ``value`` is not valid against ``schema``, written at ``pointer`` (its ``$ref``s
    resolved in the document), or None."""
    version_30 = str(document.get("openapi")).startswith("3.0")
    draft = jsonschema_rs.Draft4Validator if version_30 else jsonschema_rs.Draft202012Validator
    try:
        if _has_ref(schema):
            root = {key: item for key, item in document.items() if key != "$ref"}
            validator = draft({**root, "$ref": "#" + quote(pointer, safe="/~")})
        else:
            validator = draft(schema)
        problems = [
            p for p in validator.iter_errors(value) if not (version_30 and p.instance is None)
        ]  # 3.0's nullable is no draft 4 keyword: a null is let through
    except (ValueError, jsonschema_rs.ReferencingError):
        return None  # a schema the OpenAPI schema let through and jsonschema-rs cannot compile
    return problems[0].message if problems else None


def _has_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_has_ref(item) for item in node.values())
    if isinstance(node, list):
        return any(_has_ref(item) for item in node)
    return False
