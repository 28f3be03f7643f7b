"""What a schema is, by its keywords: an object (its ``allOf`` parts merged), a titled model,
and the schemas its type is made of. Shared by the types (:mod:`generator.ir.types`) and the
walk that finds every named schema (:mod:`generator.ir.inline`)."""

from __future__ import annotations

from typing import Any

from generator.spec import pointer as jp
from generator.spec.openapi import deref, ref_target

COMPONENT_SCHEMAS = "/components/schemas"
DEFINITIONS = ("$defs", "definitions")
"""Where a component keeps schemas of its own, each also a named model."""
ANNOTATIONS = frozenset(
    {"title", "description", "summary", "example", "examples", "default", "deprecated"}
    | {"readOnly", "writeOnly", "externalDocs", "$comment", "xml"}
)
"""Keywords that describe a schema without constraining its values."""


def model_kind(document: dict[str, Any], schema: dict[str, Any]) -> str:
    """What a named schema becomes: ``enum`` (an enumeration class), ``class`` (an object, or
    an ``allOf`` of objects, merged), or ``alias`` (a type alias: an array, a union, a
    constrained scalar, a ``$ref`` with siblings...)."""
    if enum_base(schema) is not None:
        return "enum"
    return "class" if is_class(document, schema) else "alias"


def is_class(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether a schema is an object a class stands for: with properties (or none), or an
    ``allOf`` of objects, merged; not a map (:func:`is_map`), which is a ``dict``."""
    if ref_target(schema) is not None or merged_object(document, schema) is None:
        return False
    return "allOf" in schema or not is_map(schema)


def is_map(schema: dict[str, Any]) -> bool:
    """Whether a schema is a map: no properties, and the value of every key of one schema."""
    return not schema.get("properties") and isinstance(schema.get("additionalProperties"), dict)


def is_inline_class(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether an untitled inline schema is a class of its own: an object with properties, or
    an ``allOf`` of several objects (of one, it is that one)."""
    if not is_class(document, schema):
        return False
    return bool(schema.get("properties")) or len(object_parts(document, schema) or []) > 1


def property_sites(
    document: dict[str, Any], schema: dict[str, Any], pointer: str
) -> list[tuple[str, Any, str]]:
    """The properties of a class, each with where it is written: (name, schema, pointer), those
    of every part of an ``allOf`` merged (:func:`merged_object`)."""
    sites: dict[str, tuple[str, Any, str]] = {}
    for part, at in object_parts(document, schema, pointer) or []:
        properties = part.get("properties")
        for prop, raw in properties.items() if isinstance(properties, dict) else []:
            sites[prop] = (prop, raw, jp.join(at, "properties", prop))
    return list(sites.values())


def enum_base(schema: dict[str, Any]) -> str | None:
    """``IntEnum`` or ``StrEnum`` for an enumeration of integers or of strings, else None."""
    values = schema.get("enum") or []
    if values and all(type(v) is int for v in values):
        return "IntEnum"
    if values and all(isinstance(v, str) for v in values):
        return "StrEnum"
    return None


def object_parts(
    document: dict[str, Any], schema: dict[str, Any], pointer: str = "", depth: int = 0
) -> list[tuple[dict[str, Any], str]] | None:
    """The object schemas whose properties a class of ``schema`` has, each with where it is
    written, in order: ``schema`` itself, or for an ``allOf`` of objects its parts' (a ``$ref``
    part's at its target), then its own; None when ``schema`` is not an object. A part that
    only describes (``description``...) is left out."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        objectish = schema.get("type") == "object" or "properties" in schema
        return [(schema, pointer)] if objectish or "additionalProperties" in schema else None
    if schema.get("type", "object") != "object" or depth > 32:
        return None
    found: list[tuple[dict[str, Any], str]] = []
    sites = [
        (part, ref_target(part) or jp.join(pointer, "allOf", i)) for i, part in enumerate(parts)
    ]
    sites.append(({k: v for k, v in schema.items() if k != "allOf"}, pointer))
    for part, at in sites:
        resolved = deref(document, part)
        if not isinstance(resolved, dict) or describes_only(resolved):
            continue
        inner = object_parts(document, resolved, at, depth + 1)
        if inner is None:
            return None
        found += inner
    return found


def merged_object(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any] | None:
    """``schema`` as one object schema, if it is one (:func:`object_parts`): the parts'
    ``properties`` and ``required`` merged in order (a property written twice keeps its first
    place and its last schema); ``additionalProperties: false`` in any part forbids unknown
    properties, as the spec's author means by it. None for anything else."""
    parts = object_parts(document, schema)
    if parts is None:
        return None
    if len(parts) == 1 and parts[0][0] is schema:
        return schema
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part, _ in parts:
        merged["properties"].update(part.get("properties") or {})
        merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
        additional = part.get("additionalProperties")
        if additional is not None and merged.get("additionalProperties") is not False:
            merged["additionalProperties"] = additional
    if "description" in schema:
        merged["description"] = schema["description"]
    return merged


def describes_only(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` says nothing about the values beyond being objects (if that)."""
    keywords = {k for k in schema if not k.startswith("x-")}
    return keywords <= ANNOTATIONS | {"type"} and schema.get("type", "object") == "object"


def is_titled_model(schema: Any) -> bool:
    """Whether an inline schema names a class of its own: a titled object or enumeration."""
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("title"), str)
        and (schema.get("type") == "object" or "properties" in schema or "enum" in schema)
    )


def subschemas(schema: dict[str, Any]) -> list[tuple[tuple[str | int, ...], Any]]:
    """The schemas :func:`type_of` looks into for the type of ``schema``, each with its path
    below it (not the properties of a named class, which are its own)."""
    found: list[tuple[tuple[str | int, ...], Any]] = []
    for keyword in ("oneOf", "anyOf"):
        if isinstance(schema.get(keyword), list):
            found += [((keyword, index), s) for index, s in enumerate(schema[keyword])]
    for keyword in ("allOf", "prefixItems"):
        if isinstance(schema.get(keyword), list):
            found += [((keyword, index), s) for index, s in enumerate(schema[keyword])]
    if "items" in schema:
        found.append((("items",), schema["items"]))
    if not schema.get("properties") and isinstance(schema.get("additionalProperties"), dict):
        found.append((("additionalProperties",), schema["additionalProperties"]))
    return found


def constraining_parts(document: dict[str, Any], parts: list[Any]) -> list[Any]:
    """The parts of an ``allOf`` that say more than a description."""
    return [
        part
        for part in parts
        if not (isinstance(resolved := deref(document, part), dict) and describes_only(resolved))
    ]


def single_value(schema: Any) -> Any:
    """The one value a schema written in place allows (``const``, an ``enum`` of one), or
    None (also for a ``$ref``: an enumeration class is not a value pydantic tells apart by)."""
    if not isinstance(schema, dict) or ref_target(schema) is not None:
        return None
    if "const" in schema:
        return schema["const"]
    values = schema.get("enum")
    return values[0] if isinstance(values, list) and len(values) == 1 else None
