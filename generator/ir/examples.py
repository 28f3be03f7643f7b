"""Example values: the spec's own (``example``, ``examples``), else made up from the schema, as
JSON and as the Python a caller would write."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from generator.ir.nodes import Example, TypeRef
from generator.ir.types import enum_base, enum_members
from generator.spec.openapi import deref


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
    """``value`` as a Python expression of the type a caller passes (an enumeration's member)."""
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


def made_up_example(document: dict[str, Any], raw: Any, depth: int = 0) -> Any:
    """A value the schema accepts: its example, default or first enum value, or one by type."""
    schema = deref(document, raw)
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "const" in schema:
        return schema["const"]
    for found in (explicit_example(schema), (schema["default"],) if "default" in schema else None):
        if found is not None:
            return found[0]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "string":
        return "string" + "x" * max(int(schema.get("minLength", 0)) - 6, 0)
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1 if kind == "integer" else 1.5)
        return low if isinstance(low, int | float) else 1
    if kind == "boolean":
        return True
    if kind == "array":
        item = made_up_example(document, schema.get("items", {}), depth + 1)
        return [item] * max(int(schema.get("minItems", 1)), 1)
    properties = schema.get("properties") or {}
    if properties:
        required = schema.get("required") or []
        return {
            name: made_up_example(document, properties[name], depth + 1)
            for name in properties
            if name in required
        }
    if isinstance(schema.get("additionalProperties"), dict):
        return {"key": made_up_example(document, schema["additionalProperties"], depth + 1)}
    return {}


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
