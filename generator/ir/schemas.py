"""Pass 1: every named schema of the spec, and its model.

A named schema is an entry of ``components/schemas`` (or of a component's ``$defs``) or a titled
inline object or enumeration (:func:`generator.ir.types.is_titled_model`), wherever the spec
writes one. Each becomes one model (:func:`generator.ir.types.model_kind`): an enumeration, a
class, or a type alias; two schemas that would share a name are reported. Models come out in the
order the models module defines them in: a type alias after the models it names (its value is
computed when the module is imported), a class after those of its fields where no cycle stops it
(a class's annotations are read only when it is first used).

An ``allOf`` of objects is one class with the properties and ``required`` of every part, in
order, rather than a subclass of the part that is a ``$ref``: several parts can be ``$ref``s, and a
part's ``required`` can make another part's property required, which neither one base class nor
several express; the class then lists all its fields, as the spec's readers see them.
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
    DEFINITIONS,
    alias_type,
    class_name_of,
    enum_base,
    enum_members,
    is_titled_model,
    merged_object,
    model_kind,
    object_parts,
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
        """The class of an object model named ``name``, if there is one (not a type alias)."""
        model = self.models.get(name or "")
        return model if isinstance(model, ObjectModel) and model.alias is None else None

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
    dependencies = {
        name: [d for d in _dependencies(spec, entry) if d in built] for name, entry in named.items()
    }
    ordered: dict[str, Model] = {}
    waiting: list[str] = []
    visiting: set[str] = set()

    def place(name: str) -> None:
        """Place ``name``, then the type aliases that waited for it and can now follow."""
        ordered[name] = built[name]
        for alias in list(waiting):
            if alias in waiting and all(d in ordered for d in dependencies[alias]):
                waiting.remove(alias)
                place(alias)

    def visit(name: str) -> None:
        """Place ``name`` after the models it names; a type alias that names a class still
        being placed (a cycle) waits for it."""
        if name in ordered or name in visiting or name in waiting:
            return
        visiting.add(name)
        for dependency in dependencies[name]:
            visit(dependency)
        visiting.discard(name)
        model = built[name]
        alias = isinstance(model, ObjectModel) and model.alias is not None
        if alias and not all(d in ordered for d in dependencies[name]):
            waiting.append(name)
        else:
            place(name)

    for name in named:
        visit(name)
    for name in waiting:  # aliases naming only each other: Python cannot define them anyway
        ordered[name] = built[name]
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
        kind = model_kind(document, entry.schema)
        if kind == "class":
            for _, raw, at in _property_sites(document, entry):
                inline(raw, at)
        elif kind == "alias":
            for path, raw in subschemas(entry.schema):
                inline(raw, jp.join(pointer, *path))

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
            for keyword in DEFINITIONS:
                definitions = schema.get(keyword) if isinstance(schema, dict) else None
                for key, definition in (definitions or {}).items():
                    add(key, jp.join(pointer, keyword, key), definition)
        else:
            inline(schema, pointer)
    return named


def _property_sites(document: dict[str, Any], entry: NamedSchema) -> list[tuple[str, Any, str]]:
    """The properties of a class, each with where it is written: (name, schema, pointer), those
    of every part of an ``allOf`` merged (:func:`generator.ir.types.merged_object`)."""
    sites: dict[str, tuple[str, Any, str]] = {}
    for part, at in object_parts(document, entry.schema, entry.pointer) or []:
        properties = part.get("properties")
        for prop, raw in properties.items() if isinstance(properties, dict) else []:
            sites[prop] = (prop, raw, jp.join(at, "properties", prop))
    return list(sites.values())


def _dependencies(spec: LoadedSpec, entry: NamedSchema) -> Iterator[str]:
    """The models a model names, in the order it names them: a class's fields', an alias's
    type's."""
    document = spec.document
    kind = model_kind(document, entry.schema)
    if kind == "class":
        for _, raw, _ in _property_sites(document, entry):
            yield from _named_in(document, raw, 0)
    elif kind == "alias" and ref_target(entry.schema) is not None:
        yield from _named_in(document, {"$ref": entry.schema["$ref"]}, 0)
    elif kind == "alias":
        for _, raw in subschemas(entry.schema):
            yield from _named_in(document, raw, 0)


def _named_in(document: dict[str, Any], raw: Any, depth: int) -> Iterator[str]:
    target = ref_target(raw)
    if target is not None:
        name = class_name_of(target)
        if name is not None:
            yield name
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
    document = spec.document
    kind = model_kind(document, schema)
    if kind == "enum":
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
            base=str(enum_base(schema)),
            members=members,
        )
    description = str(schema.get("description", ""))
    if kind == "alias":
        alias = alias_type(document, schema)
        return ObjectModel(entry.name, entry.wire_name, description, (), "ignore", alias)
    merged = merged_object(document, schema) or {}
    required = set(merged.get("required") or [])
    scope = Scope(f"two properties of {entry.wire_name!r} share a field name", spec, problems)
    fields = []
    for prop, raw, at in _property_sites(document, entry):
        name = naming.field(prop)
        scope.claim(name, prop, at)
        resolved = deref(document, raw)
        field_type = type_of(document, raw)
        # A read-only property is not sent, and a write-only one not answered: one model serves
        # both ways, so neither is required, and the description says which way it goes.
        one_way = next((w for w in ("readOnly", "writeOnly") if resolved.get(w) is True), None)
        field_description = str(resolved.get("description", ""))
        if one_way:
            only = (
                "read-only: answers carry it"
                if one_way == "readOnly"
                else "write-only: requests carry it"
            )
            field_description = f"{field_description} ({only}.)".strip()
        fields.append(
            ModelField(
                name=name,
                wire_name=prop,
                type=field_type,
                required=prop in required and one_way is None,
                description=field_description,
                feature=feature_of(resolved.get("x-feature")),
                example=example_of(
                    document, schemas, resolved, field_type, made_up=prop in required
                ),
                const=repr(resolved["const"]) if "const" in resolved else None,
            )
        )
    additional = merged.get("additionalProperties")
    return ObjectModel(
        name=entry.name,
        wire_name=entry.wire_name,
        description=description,
        fields=tuple(fields),
        extra="forbid" if additional is False else "allow" if additional else "ignore",
    )


def feature_of(raw: Any) -> Feature | None:
    """The ``x-feature`` an operation or property needs, if it names one."""
    if isinstance(raw, dict) and "name" in raw and "version" in raw:
        return Feature(str(raw["name"]), int(raw["version"]))
    return None
