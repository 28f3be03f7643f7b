"""Python types of JSON schemas: a function of the schema and the spec's named schemas
(:class:`generator.ir.inline.NamedSchemas`, which holds the document), nothing else.

A ``$ref`` to ``components/schemas`` (or to a component's ``$defs``), a titled inline object or
enumeration, and an untitled inline object with properties (:func:`inline_class_name`) name a
generated model: a class for an object or an enumeration, a type alias for anything else
(:func:`generator.ir.shapes.model_kind`); every other schema maps to a built-in type with its
rules. A ``oneOf``/``anyOf`` with a ``discriminator`` is a union pydantic tells apart by that
property, where it can (else a plain union).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from generator.ir import naming
from generator.ir.inline import NamedSchemas
from generator.ir.nodes import Constraint, EnumMember, TypeRef
from generator.ir.shapes import (
    DEFINITIONS,
    constraining_parts,
    is_titled_model,
    merged_object,
    model_kind,
    single_value,
)
from generator.ir.shapes import enum_base as enum_base  # what examples.py imports from here
from generator.spec import pointer as jp
from generator.spec.openapi import deref, ref_target

INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def class_name_of(target: str) -> str | None:
    """The model a ``$ref`` to ``target`` names: a component's, or one of its ``$defs``."""
    parts = jp.split(target)
    if parts[:2] != ["components", "schemas"]:
        return None
    if len(parts) == 3 or (len(parts) == 5 and parts[3] in DEFINITIONS):
        return naming.pascal(parts[-1])
    return None


def type_of(named: NamedSchemas, raw: Any) -> TypeRef:
    """The Python type of the schema ``raw``."""
    target = ref_target(raw)
    if target is not None:
        name = class_name_of(target)
        resolved = jp.resolve(named.document, target)
        if name is not None and ref_target(resolved) is not None:
            return type_of(named, {"$ref": resolved["$ref"]})  # a $ref with siblings
        if name is not None and isinstance(resolved, dict):
            return _named_type(named, name, resolved)
        return type_of(named, deref(named.document, raw))
    schema = raw if isinstance(raw, dict) else {}
    name = inline_class_name(named, schema)
    if name is not None:
        return _named_type(named, name, schema)
    declared = schema.get("type")
    nullable = bool(schema.get("nullable")) or (isinstance(declared, list) and "null" in declared)
    if isinstance(declared, list):
        kinds = [t for t in declared if t != "null"]
        declared = kinds[0] if len(kinds) == 1 else None
    base = _base_type(named, schema, declared)
    if nullable:
        return TypeRef(
            f"{base.annotation} | None",
            f"{base.label} or null",
            base.constraints,
            f"{base.plain} | None",
            nullable=True,
        )
    return base


def enum_members(schema: dict[str, Any]) -> tuple[EnumMember, ...]:
    """The members of an enumeration schema, named from ``x-enum-varnames`` or their values."""
    values = schema["enum"]
    labels = schema.get("x-enum-varnames") or [None] * len(values)
    descriptions = schema.get("x-enum-descriptions") or [""] * len(values)
    return tuple(
        EnumMember(naming.enum_member(label, value), repr(value), str(label or value), str(text))
        for value, label, text in zip(values, labels, descriptions, strict=True)
    )


def inline_class_name(named: NamedSchemas, schema: Any) -> str | None:
    """The model an inline schema names: a titled one's, or the class an untitled inline
    object is (:mod:`generator.ir.inline`)."""
    if is_titled_model(schema):
        return naming.pascal(schema["title"])
    return named.name_of(schema)


def _named_type(named: NamedSchemas, name: str, schema: dict[str, Any]) -> TypeRef:
    if model_kind(named.document, schema) == "alias":
        return TypeRef(name, name, nullable=_admits_null(schema), model=name, alias=True)
    base = enum_base(schema)
    choices = (
        tuple(f"{m.value} = {m.label}" for m in enum_members(schema)) if base is not None else ()
    )
    label = f"{name} (enumeration)" if "enum" in schema else name
    found = TypeRef(name, label, model=name, choices=choices)
    return _integral(found) if base == "IntEnum" else found


def _admits_null(schema: dict[str, Any]) -> bool:
    """Whether ``null`` is a value of ``schema``, as far as its own keywords say."""
    declared = schema.get("type")
    members = [m for k in ("oneOf", "anyOf") for m in schema.get(k) or [] if isinstance(m, dict)]
    return (
        bool(schema.get("nullable"))
        or (isinstance(declared, list) and "null" in declared)
        or None in (schema.get("enum") or [])
        or any(m.get("type") == "null" for m in members)
    )


def _integral(integer: TypeRef) -> TypeRef:
    """An integer type that also takes JSON numbers with no fractional part (``3.0``)."""
    return dataclasses.replace(
        integer, annotation=f"Annotated[{integer.annotation}, Integral]", hint=integer.annotation
    )


def _base_type(named: NamedSchemas, schema: dict[str, Any], kind: Any) -> TypeRef:
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
            members = [type_of(named, s) for s in schema[keyword]]
            union = TypeRef(
                " | ".join(dict.fromkeys(m.annotation for m in members)),
                " or ".join(m.label for m in members),
                hint=" | ".join(dict.fromkeys(m.plain for m in members)),
            )
            return _discriminated(named, schema, union) or union
    if isinstance(schema.get("allOf"), list):
        constraining = constraining_parts(named.document, schema["allOf"])
        if len(constraining) == 1:
            return type_of(named, constraining[0])
        if merged_object(named.document, schema) is not None:
            kind = "object"
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
    if kind == "array" and isinstance(schema.get("prefixItems"), list):
        return _tuple(named, schema)
    if kind == "array":
        items = type_of(named, schema.get("items", {}))
        return TypeRef(
            f"list[{items.checked}]",
            f"list of {items.label}",
            _size_constraints(schema, "minItems", "maxItems", "item"),
            f"list[{items.plain}]",
        )
    if kind == "object" or "properties" in schema or "additionalProperties" in schema:
        additional = schema.get("additionalProperties")
        if not schema.get("properties") and isinstance(additional, dict):
            value = type_of(named, additional)
            return TypeRef(
                f"dict[str, {value.checked}]",
                f"dictionary of string to {value.label}",
                hint=f"dict[str, {value.plain}]",
            )
    label = "object" if kind == "object" else "any JSON value"
    return TypeRef("dict[str, Any]" if kind == "object" else "Any", label)


def _tuple(named: NamedSchemas, schema: dict[str, Any]) -> TypeRef:
    """An array whose items are typed by position (3.1 ``prefixItems``): a tuple when no more
    items may follow (``items: false``, or ``maxItems`` no more than the positions), read as
    if every position were there; else a list of any JSON values. The tuple takes a list (a
    JSON array once a field's validator has read it); its items keep their strict types."""
    positions = [type_of(named, item) for item in schema["prefixItems"]]
    high = schema.get("maxItems")
    if schema.get("items") is not False and not (isinstance(high, int) and high <= len(positions)):
        return TypeRef("list[Any]", "list of any JSON values")
    exact = "tuple[" + ", ".join(p.checked for p in positions) + "]"
    return TypeRef(
        f"Annotated[{exact}, Field(strict=False)]",  # strict, only a tuple is one, not an array
        "tuple of " + ", ".join(p.label for p in positions),
        hint="tuple[" + ", ".join(p.plain for p in positions) + "]",
    )


def alias_type(named: NamedSchemas, schema: dict[str, Any]) -> TypeRef:
    """The type a named schema that is not an object or an enumeration stands for, its rules
    carried in ``Annotated``: a ``$ref`` with siblings is its target."""
    target = ref_target(schema)
    if target is not None:
        return type_of(named, {"$ref": schema["$ref"]})
    found = type_of(named, {k: v for k, v in schema.items() if k != "title"})
    label = ", ".join([found.label, *(c.label for c in found.constraints)])
    return dataclasses.replace(found, annotation=found.checked, label=label, constraints=())


def _discriminated(named: NamedSchemas, schema: dict[str, Any], union: TypeRef) -> TypeRef | None:
    """``union`` told apart by its ``discriminator``, when pydantic can: each member a ``$ref``
    to a class whose property is required and has one value (an ``enum`` of one, a
    ``const``), the values those of the ``mapping`` where it gives one, or a class whose
    property is typed by the values it goes by (:attr:`generator.ir.inline.NamedSchemas.tags`)."""
    discriminator = schema.get("discriminator")
    members = schema.get("oneOf", schema.get("anyOf"))
    if not isinstance(discriminator, dict) or not isinstance(members, list) or union.nullable:
        return None
    wire_name = discriminator.get("propertyName")
    mapping = discriminator.get("mapping") or {}
    for member in members:
        target = ref_target(member)
        if target is None:
            return None
        if named.tags.get(target, ("",))[0] == wire_name:
            continue
        merged = merged_object(named.document, deref(named.document, member))
        if merged is None or wire_name not in (merged.get("required") or []):
            return None
        values = single_value(merged["properties"].get(wire_name))
        mapped = {v for v, t in mapping.items() if t in (f"#{target}", jp.split(target)[-1])}
        if values is None or (mapping and mapped and mapped != {values}):
            return None
    field = naming.field(str(wire_name))
    return dataclasses.replace(
        union, annotation=f"Annotated[{union.annotation}, Field(discriminator={field!r})]"
    )


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
