"""Example values: the spec's own (``example``, ``examples``), else made up from the schema, as
JSON and as the Python a caller would write."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from generator.ir.nodes import Example, TypeRef
from generator.ir.patterns import matching
from generator.ir.types import enum_base, enum_members
from generator.spec import pointer as jp
from generator.spec.openapi import deref, ref_target


def example_of(
    document: dict[str, Any],
    named: Mapping[str, dict[str, Any]],
    holder: dict[str, Any],
    type_ref: TypeRef,
    *,
    made_up: bool,
) -> Example | None:
    """The example of a property or parameter ``holder``: the spec's, else (if ``made_up``) one
    made up. ``named`` holds the schema of each generated class, by class name."""
    value = explicit_example(holder) or explicit_example(
        deref(document, holder.get("schema", holder))
    )
    if value is None and made_up:
        value = (made_up_example(document, holder.get("schema", holder)),)
    if value is None:
        return None
    return Example(
        json.dumps(value[0], separators=(",", ":")), python_example(named, type_ref, value[0])
    )


def python_example(named: Mapping[str, dict[str, Any]], type_ref: TypeRef, value: Any) -> str:
    """``value`` as a Python expression of the type a caller passes (an enumeration's member,
    bytes for binary data)."""
    if type_ref.plain == "bytes" and isinstance(value, str):
        return repr(value.encode())
    schema = named.get(type_ref.plain)
    if schema is not None and enum_base(schema) is not None:
        member = next((m for m in enum_members(schema) if m.value == repr(value)), None)
        if member is not None:
            return f"{type_ref.plain}.{member.name}"
    return python_value(value)


def python_value(value: Any) -> str:
    """A JSON value as Python source, strings in double quotes."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(python_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(str(k))}: {python_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def explicit_example(schema: Any) -> tuple[Any] | None:
    """The example a spec node gives itself (``example``, or the first of ``examples``)."""
    if not isinstance(schema, dict):
        return None
    if "example" in schema:
        return (schema["example"],)
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return (examples[0],)
    return None


def answer_example(document: dict[str, Any], media: dict[str, Any]) -> str:
    """The example of an answer's media type ``media``, as compact JSON: its ``example``, the
    first of its ``examples`` (OpenAPI's map of ``{value: ...}``), its schema's, or one made up
    from its schema."""
    found = explicit_example(media)
    examples = media.get("examples")
    if found is None and isinstance(examples, dict):
        first = next((deref(document, e) for e in examples.values()), None)
        found = (first["value"],) if isinstance(first, dict) and "value" in first else None
    if found is None:
        found = (made_up_example(document, media.get("schema", {})),)
    return json.dumps(found[0], separators=(",", ":"), ensure_ascii=False)


def made_up_example(document: dict[str, Any], raw: Any, depth: int = 0) -> Any:
    """A value the schema accepts: its example, default, constant or first enum value, or one
    made from its type and rules. Composed schemas are merged first (``allOf``, and the first
    option of ``oneOf``/``anyOf``, its discriminator set to the option's name)."""
    if depth > 8:
        return None
    schema = discriminated(flattened(document, raw), ref_target(raw))
    for found in (
        (schema["const"],) if "const" in schema else None,
        explicit_example(schema),
        (schema["default"],) if "default" in schema else None,
        (schema["enum"][0],) if schema.get("enum") else None,
    ):
        if found is not None:
            return found[0]
    kinds = schema.get("type")
    if isinstance(kinds, list):
        if kinds and all(k == "null" for k in kinds):
            return None
        kinds = next((k for k in kinds if k != "null"), None)
    kind = kinds or _implied_type(schema)
    if kind == "string":
        return _made_up_string(schema)
    if kind in ("integer", "number"):
        return _made_up_number(schema, kind)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "array":
        count = max(_int(schema, "minItems", 1), 1)
        count = min(count, _int(schema, "maxItems", count))
        return [made_up_example(document, schema.get("items", {}), depth + 1)] * count
    return _made_up_object(document, schema, depth)


def flattened(document: dict[str, Any], raw: Any, depth: int = 0) -> dict[str, Any]:
    """``raw`` as one schema without ``$ref``, ``allOf``, ``oneOf`` or ``anyOf``: its parts
    merged, then the first option (whose name the discriminator takes, if there is one)."""
    schema = deref(document, raw)
    if not isinstance(schema, dict) or depth > 16:
        return {}
    merged = {k: v for k, v in schema.items() if k not in _COMPOSITION}
    for part in schema.get("allOf") or []:
        merged = _merge(merged, flattened(document, part, depth + 1))
    options = next((o for o in map(schema.get, ("oneOf", "anyOf")) if o), None)
    if isinstance(options, list):
        merged = _merge(merged, flattened(document, options[0], depth + 1))
        merged = discriminated(merged, ref_target(options[0]))
    return merged


def discriminated(schema: dict[str, Any], target: str | None) -> dict[str, Any]:
    """``schema``, the schema at the pointer ``target``, with its discriminator property (if it
    has one still unset) fixed to the name ``target`` goes by: its key in the mapping, else its
    last segment."""
    discriminator = schema.get("discriminator")
    if target is None or not isinstance(discriminator, dict):
        return schema
    name = str(discriminator.get("propertyName", ""))
    properties = dict(schema.get("properties") or {})
    if not name or "const" in (properties.get(name) or {}):
        return schema
    last = jp.split(target)[-1]
    mapping = discriminator.get("mapping") or {}
    value = next((k for k, v in mapping.items() if v in ("#" + target, last)), last)
    properties[name] = {"const": value}
    required = list(dict.fromkeys([*(schema.get("required") or []), name]))
    return {**schema, "properties": properties, "required": required}


_COMPOSITION = frozenset({"allOf", "oneOf", "anyOf"})
_OWN = frozenset({"example", "examples", "default", "title", "description"})
"""What a part of a composed schema says of itself alone, not of the whole."""


def _merge(whole: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """``whole`` with what ``part`` requires too: a property both define must satisfy both."""
    merged = dict(whole)
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict):
            properties = dict(merged.get("properties") or {})
            for name, schema in value.items():
                both = name in properties and properties[name] != schema
                properties[name] = {"allOf": [properties[name], schema]} if both else schema
            merged["properties"] = properties
        elif key == "required" and isinstance(value, list):
            merged["required"] = list(dict.fromkeys([*(merged.get("required") or []), *value]))
        elif key not in _OWN:
            merged.setdefault(key, value)
    return merged


def _implied_type(schema: dict[str, Any]) -> str | None:
    """The type a schema without ``type`` implies by its keywords."""
    if "items" in schema:
        return "array"
    if {"minLength", "maxLength", "pattern", "format"} & set(schema):
        return "string"
    if {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} & set(schema):
        return "number"
    return None


_FORMATS = {
    "date": "2024-01-31",
    "date-time": "2024-01-31T12:00:00Z",
    "time": "12:00:00",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uri-reference": "/example",
    "uuid": "6f1c2b9e-0d3a-4e8b-9c7f-2a5d4e6b8c01",
    "byte": "c3RyaW5n",
    "password": "secret",
}
"""A value of each string format a validator might check."""


def _made_up_string(schema: dict[str, Any]) -> str:
    """A string of the schema's format, padded or cut to its lengths."""
    text = _FORMATS.get(str(schema.get("format")), "string")
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not re.search(pattern, text):
        text = matching(pattern) or text
    low = _int(schema, "minLength", 0)
    text += "x" * max(low - len(text), 0)
    return text[: max(_int(schema, "maxLength", len(text)), low)]


def _made_up_number(schema: dict[str, Any], kind: str) -> int | float:
    """A number within the schema's bounds (OpenAPI 3.0's flags or 3.1's numbers), and a
    multiple of its ``multipleOf``."""
    integer = kind == "integer"
    low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
    low_open, high_open = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")
    if schema.get("exclusiveMinimum") is True:
        low, low_open = None, low
    if schema.get("exclusiveMaximum") is True:
        high, high_open = None, high
    step = _bound(schema, "multipleOf") or (1 if integer else 0.5)
    value: float = 1 if integer else 1.5
    if low is not None:
        value = low
    elif low_open is not None:
        value = low_open + step
    if high is not None and value > high:
        value = high
    if high_open is not None and value >= high_open:
        value = high_open - step
    if "multipleOf" in schema or integer:
        value = math.ceil(value / step) * step
    return int(value) if integer else value


def _bound(schema: dict[str, Any], key: str) -> float | None:
    value = schema.get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _int(schema: dict[str, Any], key: str, otherwise: int) -> int:
    value = schema.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else otherwise


def _made_up_object(document: dict[str, Any], schema: dict[str, Any], depth: int) -> Any:
    """An object with the schema's required properties (extra ones of ``additionalProperties``'s
    schema), or one entry of that schema when it has no properties; else ``{}``."""
    properties = schema.get("properties") or {}
    additional = schema.get("additionalProperties")
    extra = additional if isinstance(additional, dict) else {}
    value = {
        name: made_up_example(document, properties.get(name, extra), depth + 1)
        for name in schema.get("required") or []
    }
    if not properties and not value and isinstance(additional, dict):
        value["key"] = made_up_example(document, additional, depth + 1)
    return value


def example_base_url(document: dict[str, Any]) -> str:
    """The first server's URL, its variables at their defaults."""
    servers = document.get("servers") or [{"url": "http://localhost:8000"}]
    url = str(servers[0].get("url", ""))
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url.rstrip("/")


def default_port(document: dict[str, Any]) -> int:
    """The port of the first server the spec lists (8000 when it names none)."""
    servers = document.get("servers") or [{}]
    match = re.search(r"://[^/:]*:(\d+)", str(servers[0].get("url", "")))
    return int(match.group(1)) if match else 8000
