"""Pass 1: every named schema of the spec, and its model.

A named schema is an entry of ``components/schemas`` or a titled inline object or enumeration
(:func:`generator.ir.types.is_titled_model`), wherever the spec writes one. Each becomes one
class; two schemas that would share a class name are reported. Models come out dependencies
first, the order the models module defines them in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, error
from generator.ir import naming
from generator.ir.examples import example_of
from generator.ir.nodes import EnumModel, Feature, ModelField, ObjectModel
from generator.ir.scopes import Scope
from generator.ir.types import (
    COMPONENT_SCHEMAS,
    enum_base,
    enum_members,
    is_titled_model,
    subschemas,
    type_of,
)
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import deref, iter_schema_sites, ref_target

Model = EnumModel | ObjectModel


@dataclass(frozen=True)
class NamedSchema:
    name: str
    """Its class name."""
    wire_name: str
    """The component's key, or the inline schema's title."""
    pointer: str
    schema: dict[str, Any]


@dataclass(frozen=True)
class Schemas:
    """What pass 1 found: every named schema and its model, by class name."""

    named: Mapping[str, NamedSchema]
    """In the order the spec writes them."""
    models: Mapping[str, Model]
    """Dependencies first."""
    schema_of: Mapping[str, dict[str, Any]]
    """Each class's schema, by class name."""

    def object_model(self, name: str | None) -> ObjectModel | None:
        model = self.models.get(name or "")
        return model if isinstance(model, ObjectModel) else None

    def hoisted(self, document: dict[str, Any]) -> dict[str, Any]:
        """Titled inline schemas written outside ``components/schemas``, by title: the shipped
        spec moves them there."""
        components = document.get("components")
        listed = components.get("schemas", {}) if isinstance(components, dict) else {}
        return {
            entry.wire_name: entry.schema
            for entry in self.named.values()
            if not entry.pointer.startswith(COMPONENT_SCHEMAS + "/")
            and entry.wire_name not in listed
        }


def register(spec: LoadedSpec) -> tuple[Schemas, list[Diagnostic]]:
    """Every named schema of ``spec`` and its model, and the names that collide."""
    problems: list[Diagnostic] = []
    named = _named_schemas(spec, problems)
    schemas = {name: entry.schema for name, entry in named.items()}
    built = {name: _model(spec, schemas, entry, problems) for name, entry in named.items()}
    ordered: dict[str, Model] = {}
    visiting: set[str] = set()

    def visit(name: str) -> None:
        """Place ``name`` after the classes it depends on (a cycle is cut where it closes)."""
        if name in ordered or name in visiting or name not in built:
            return
        visiting.add(name)
        for dependency in _dependencies(spec.document, named[name].schema):
            visit(dependency)
        ordered[name] = built[name]

    for name in named:
        visit(name)
    return Schemas(named, ordered, schemas), problems


def _named_schemas(spec: LoadedSpec, problems: list[Diagnostic]) -> dict[str, NamedSchema]:
    document = spec.document
    classes = Scope("two schemas share a class name", spec, problems)
    named: dict[str, NamedSchema] = {}

    def add(wire_name: str, pointer: str, schema: Any) -> None:
        name = naming.pascal(wire_name)
        if not classes.claim(name, wire_name, pointer):
            return
        known = named.get(name)
        if known is not None:
            if known.schema != schema:
                problems.append(
                    error(
                        "python-name",
                        f"two different schemas are named {wire_name!r} (the other at "
                        f"{spec.locate(known.pointer)})",
                        spec.locate(pointer),
                        pointer,
                    )
                )
            return
        entry = NamedSchema(name, wire_name, pointer, schema if isinstance(schema, dict) else {})
        named[name] = entry
        if enum_base(entry.schema) is None:
            for prop, raw in _properties(entry.schema):
                inline(raw, jp.join(pointer, "properties", prop))

    def inline(raw: Any, pointer: str) -> None:
        if not isinstance(raw, dict) or ref_target(raw) is not None:
            return  # a component is registered as one; another target, at its own site
        if is_titled_model(raw):
            add(raw["title"], pointer, raw)
            return
        for path, schema in subschemas(raw):
            inline(schema, jp.join(pointer, *path))

    for pointer, schema in iter_schema_sites(document):
        if jp.parent(pointer) == COMPONENT_SCHEMAS:
            add(jp.split(pointer)[-1], pointer, schema)
        else:
            inline(schema, pointer)
    return named


def _properties(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    properties = schema.get("properties")
    return list(properties.items()) if isinstance(properties, dict) else []


def _dependencies(document: dict[str, Any], schema: dict[str, Any]) -> Iterator[str]:
    """The classes a model's fields name, in the order they name them."""
    if enum_base(schema) is not None:
        return
    for _, raw in _properties(schema):
        yield from _named_in(document, raw, 0)


def _named_in(document: dict[str, Any], raw: Any, depth: int) -> Iterator[str]:
    target = ref_target(raw)
    if target is not None:
        if jp.parent(target) == COMPONENT_SCHEMAS:
            yield naming.pascal(jp.split(target)[-1])
        elif depth < 32:
            yield from _named_in(document, deref(document, raw), depth + 1)
    elif is_titled_model(raw):
        yield naming.pascal(raw["title"])
    elif isinstance(raw, dict):
        for _, schema in subschemas(raw):
            yield from _named_in(document, schema, depth + 1)


def _model(
    spec: LoadedSpec,
    schemas: Mapping[str, dict[str, Any]],
    entry: NamedSchema,
    problems: list[Diagnostic],
) -> Model:
    schema, pointer = entry.schema, entry.pointer
    base = enum_base(schema)
    if base is not None:
        members = enum_members(schema)
        scope = Scope(
            f"two members of enumeration {entry.wire_name!r} share a name", spec, problems
        )
        for member in members:
            scope.claim(member.name, member.label, jp.join(pointer, "enum"))
        return EnumModel(
            name=entry.name,
            wire_name=entry.wire_name,
            description=str(schema.get("description", "")),
            base=base,
            members=members,
        )
    document = spec.document
    required = set(schema.get("required") or [])
    scope = Scope(f"two properties of {entry.wire_name!r} share a field name", spec, problems)
    fields = []
    for prop, raw in _properties(schema):
        name = naming.field(prop)
        scope.claim(name, prop, jp.join(pointer, "properties", prop))
        resolved = deref(document, raw)
        field_type = type_of(document, raw)
        fields.append(
            ModelField(
                name=name,
                wire_name=prop,
                type=field_type,
                required=prop in required,
                description=str(resolved.get("description", "")),
                feature=feature_of(resolved.get("x-feature")),
                example=example_of(
                    document, schemas, resolved, field_type, made_up=prop in required
                ),
                const=repr(resolved["const"]) if "const" in resolved else None,
            )
        )
    additional = schema.get("additionalProperties")
    return ObjectModel(
        name=entry.name,
        wire_name=entry.wire_name,
        description=str(schema.get("description", "")),
        fields=tuple(fields),
        extra="forbid" if additional is False else "allow" if additional else "ignore",
    )


def feature_of(raw: Any) -> Feature | None:
    """The ``x-feature`` an operation or property needs, if it names one."""
    if isinstance(raw, dict) and "name" in raw and "version" in raw:
        return Feature(str(raw["name"]), int(raw["version"]))
    return None
