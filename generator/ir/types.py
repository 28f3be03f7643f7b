"""Python types of JSON schemas: a function of the document and the schema, nothing else.

A ``$ref`` to ``components/schemas`` and a titled inline object or enumeration name a generated
class (:func:`class_name_of`); every other schema maps to a built-in type with its rules.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from generator.ir import naming
from generator.ir.nodes import Constraint, EnumMember, TypeRef
from generator.spec import pointer as jp
from generator.spec.openapi import deref, ref_target

INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
COMPONENT_SCHEMAS = "/components/schemas"


def type_of(document: dict[str, Any], raw: Any) -> TypeRef:
    """The Python type of the schema ``raw``."""
    target = ref_target(raw)
    if target is not None:
        if jp.parent(target) == COMPONENT_SCHEMAS:
            resolved = jp.resolve(document, target)
            return _named_type(naming.pascal(jp.split(target)[-1]), resolved)
        return type_of(document, deref(document, raw))
    schema = raw if isinstance(raw, dict) else {}
    if is_titled_model(schema):
        return _named_type(naming.pascal(schema["title"]), schema)
    declared = schema.get("type")
    nullable = bool(schema.get("nullable")) or (isinstance(declared, list) and "null" in declared)
    if isinstance(declared, list):
        kinds = [t for t in declared if t != "null"]
        declared = kinds[0] if len(kinds) == 1 else None
    base = _base_type(document, schema, declared)
    if nullable:
        return TypeRef(
            f"{base.annotation} | None",
            f"{base.label} or null",
            base.constraints,
            f"{base.plain} | None",
            nullable=True,
        )
    return base


def is_titled_model(schema: Any) -> bool:
    """Whether an inline schema names a class of its own: a titled object or enumeration."""
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("title"), str)
        and (schema.get("type") == "object" or "properties" in schema or "enum" in schema)
    )


def enum_base(schema: dict[str, Any]) -> str | None:
    """``IntEnum`` or ``StrEnum`` for an enumeration of integers or of strings, else None."""
    values = schema.get("enum") or []
    if values and all(type(v) is int for v in values):
        return "IntEnum"
    if values and all(isinstance(v, str) for v in values):
        return "StrEnum"
    return None


def enum_members(schema: dict[str, Any]) -> tuple[EnumMember, ...]:
    """The members of an enumeration schema, named from ``x-enum-varnames`` or their values."""
    values = schema["enum"]
    labels = schema.get("x-enum-varnames") or [None] * len(values)
    descriptions = schema.get("x-enum-descriptions") or [""] * len(values)
    return tuple(
        EnumMember(naming.enum_member(label, value), repr(value), str(label or value), str(text))
        for value, label, text in zip(values, labels, descriptions, strict=True)
    )


def _named_type(name: str, schema: dict[str, Any]) -> TypeRef:
    base = enum_base(schema)
    choices = (
        tuple(f"{m.value} = {m.label}" for m in enum_members(schema)) if base is not None else ()
    )
    label = f"{name} (enumeration)" if "enum" in schema else name
    named = TypeRef(name, label, model=name, choices=choices)
    return _integral(named) if base == "IntEnum" else named


def _integral(integer: TypeRef) -> TypeRef:
    """An integer type that also takes JSON numbers with no fractional part (``3.0``)."""
    return dataclasses.replace(
        integer, annotation=f"Annotated[{integer.annotation}, Integral]", hint=integer.annotation
    )


def _base_type(document: dict[str, Any], schema: dict[str, Any], kind: Any) -> TypeRef:
    if "const" in schema:
        value = schema["const"]
        return TypeRef(
            f"Literal[{value!r}]", f"always {json.dumps(value)}", choices=(json.dumps(value),)
        )
    if "enum" in schema:
        values = ", ".join(repr(v) for v in schema["enum"])
        return TypeRef(
            f"Literal[{values}]",
            "one of " + values,
            choices=tuple(json.dumps(v) for v in schema["enum"]),
        )
    for keyword in ("oneOf", "anyOf"):
        if isinstance(schema.get(keyword), list):
            members = [type_of(document, s) for s in schema[keyword]]
            return TypeRef(
                " | ".join(dict.fromkeys(m.annotation for m in members)),
                " or ".join(m.label for m in members),
                hint=" | ".join(dict.fromkeys(m.plain for m in members)),
            )
    if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
        return type_of(document, schema["allOf"][0])
    if kind == "string" and schema.get("format") == "binary":
        return TypeRef("bytes", "binary data")
    if kind == "string":
        return TypeRef("str", "string", _string_constraints(schema))
    if kind == "boolean":
        return TypeRef("bool", "boolean")
    if kind == "integer":
        return _integral(_number(schema, kind))
    if kind == "number":
        return _number(schema, kind)
    if kind == "array":
        items = type_of(document, schema.get("items", {}))
        return TypeRef(
            f"list[{_annotated(items)}]",
            f"list of {items.label}",
            _size_constraints(schema, "minItems", "maxItems", "item"),
            f"list[{items.plain}]",
        )
    if kind == "object" or "properties" in schema or "additionalProperties" in schema:
        additional = schema.get("additionalProperties")
        if not schema.get("properties") and isinstance(additional, dict):
            value = type_of(document, additional)
            return TypeRef(
                f"dict[str, {_annotated(value)}]",
                f"dictionary of string to {value.label}",
                hint=f"dict[str, {value.plain}]",
            )
    label = "object" if kind == "object" else "any JSON value"
    return TypeRef("dict[str, Any]" if kind == "object" else "Any", label)


def subschemas(schema: dict[str, Any]) -> list[tuple[tuple[str | int, ...], Any]]:
    """The schemas :func:`type_of` looks into for the type of ``schema``, each with its path
    below it (not the properties of a named class, which are its own)."""
    found: list[tuple[tuple[str | int, ...], Any]] = []
    for keyword in ("oneOf", "anyOf"):
        if isinstance(schema.get(keyword), list):
            found += [((keyword, index), s) for index, s in enumerate(schema[keyword])]
    if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
        found.append((("allOf", 0), schema["allOf"][0]))
    if "items" in schema:
        found.append((("items",), schema["items"]))
    if not schema.get("properties") and isinstance(schema.get("additionalProperties"), dict):
        found.append((("additionalProperties",), schema["additionalProperties"]))
    return found


def _annotated(inner: TypeRef) -> str:
    """``inner`` as a type argument, its constraints carried in ``Annotated``."""
    if not inner.constraints:
        return inner.annotation
    rules = ", ".join(f"{c.keyword}={c.value}" for c in inner.constraints)
    return f"Annotated[{inner.annotation}, Field({rules})]"


def _string_constraints(schema: dict[str, Any]) -> tuple[Constraint, ...]:
    constraints = list(_size_constraints(schema, "minLength", "maxLength", "character"))
    if isinstance(schema.get("pattern"), str):
        pattern = schema["pattern"]
        constraints.append(Constraint("pattern", repr(pattern), f"matches {pattern}"))
    return tuple(constraints)


def _size_constraints(
    schema: dict[str, Any], low_key: str, high_key: str, unit: str
) -> tuple[Constraint, ...]:
    constraints = []
    low, high = schema.get(low_key), schema.get(high_key)
    if isinstance(low, int) and low > 0:
        constraints.append(Constraint("min_length", str(low), f"at least {_count(low, unit)}"))
    if isinstance(high, int):
        constraints.append(Constraint("max_length", str(high), f"at most {_count(high, unit)}"))
    return tuple(constraints)


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def _number(schema: dict[str, Any], kind: str) -> TypeRef:
    annotation = "int" if kind == "integer" else "float"
    label = "integer" if kind == "integer" else "number"
    low, high = schema.get("minimum"), schema.get("maximum")
    low_open, high_open = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low_open is True:  # OpenAPI 3.0: a flag on minimum
        low_open, low = low, None
    if high_open is True:
        high_open, high = high, None
    fmt = schema.get("format")
    if kind == "integer" and fmt in INT_FORMATS:
        label = f"{fmt[3:]}-bit integer"
        format_low, format_high = INT_FORMATS[fmt]
        low = format_low if not isinstance(low, int | float) else max(low, format_low)
        high = format_high if not isinstance(high, int | float) else min(high, format_high)
    constraints = []
    for keyword, value, words in (
        ("ge", low, "at least"),
        ("gt", low_open, "more than"),
        ("le", high, "at most"),
        ("lt", high_open, "less than"),
        ("multiple_of", schema.get("multipleOf"), "a multiple of"),
    ):
        if isinstance(value, int | float) and not isinstance(value, bool):
            constraints.append(Constraint(keyword, repr(value), f"{words} {value}"))
    return TypeRef(annotation, label, tuple(constraints))
