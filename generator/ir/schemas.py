"""Pass 1: every named schema of the spec, and its model.

A named schema is an entry of ``components/schemas`` (or of a component's ``$defs``), a titled
inline object or enumeration, or an untitled inline object the generator names, wherever the
spec writes one (:mod:`generator.ir.inline`). Each becomes one model
(:func:`generator.ir.shapes.model_kind`): an enumeration, a class, or a type alias; two schemas
that would share a name are reported, a name given for an untitled one that another class had is
warned of. A class that is an option of discriminated unions only has its discriminator field
typed by the values it goes by there, so that pydantic tells the options apart. Models come out
in the order the models module defines them in: a type alias after the models it names (its
value is computed when the module is imported), a class after those of its fields where no cycle
stops it (a class's annotations are read only when it is first used).

An ``allOf`` of objects is one class with the properties and ``required`` of every part, in
order, rather than a subclass of the part that is a ``$ref``: several parts can be ``$ref``s, and a
part's ``required`` can make another part's property required, which neither one base class nor
several express; the class then lists all its fields, as the spec's readers see them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, error, warning
from generator.ir import naming
from generator.ir.examples import example_of
from generator.ir.inline import NamedSchemas, named_schemas
from generator.ir.nodes import EnumModel, Feature, ModelField, ObjectModel
from generator.ir.scopes import Scope
from generator.ir.shapes import (
    COMPONENT_SCHEMAS,
    enum_base,
    merged_object,
    model_kind,
    property_sites,
    subschemas,
)
from generator.ir.types import alias_type, class_name_of, enum_members, inline_class_name, type_of
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import deref, ref_target

Model = EnumModel | ObjectModel


@dataclass(frozen=True)
class NamedSchema:
    name: str
    """Its class name."""
    wire_name: str
    """The component's key, or the inline schema's title."""
    pointer: str
    schema: dict[str, Any]
    untitled: bool = False
    """An untitled inline object, named where it is written (:mod:`generator.ir.inline`)."""


@dataclass(frozen=True)
class Schemas:
    """What pass 1 found: every named schema and its model, by class name."""

    named: Mapping[str, NamedSchema]
    """In the order the spec writes them."""
    models: Mapping[str, Model]
    """Dependencies first."""
    schema_of: Mapping[str, dict[str, Any]]
    """Each class's schema, by class name."""
    index: NamedSchemas
    """Where each named schema is written, and the names of untitled ones: what
    :func:`generator.ir.types.type_of` reads a type against."""

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
            and not entry.untitled
            and entry.wire_name not in listed
        }


def register(spec: LoadedSpec) -> tuple[Schemas, list[Diagnostic]]:
    """Every named schema of ``spec`` and its model, and the names that collide."""
    problems: list[Diagnostic] = []
    index = named_schemas(spec.document)
    named = _named_schemas(spec, index, problems)
    schemas = {name: entry.schema for name, entry in named.items()}
    built = {name: _model(spec, index, schemas, entry, problems) for name, entry in named.items()}
    dependencies = {
        name: [d for d in _dependencies(index, entry) if d in built]
        for name, entry in named.items()
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
    return Schemas(named, ordered, schemas, index), problems


def _named_schemas(
    spec: LoadedSpec, index: NamedSchemas, problems: list[Diagnostic]
) -> dict[str, NamedSchema]:
    classes = Scope("two schemas share a class name", spec, problems)
    named: dict[str, NamedSchema] = {}
    for site in index.sites:
        name, pointer = site.name, site.pointer
        if name != site.wanted:
            message = (
                f"an inline schema would be {site.wanted!r}, another class's name: it is {name!r}"
            )
            problems.append(warning("python-name", message, spec.locate(pointer), pointer))
        if not classes.claim(name, site.wire_name, pointer):
            continue
        known = named.get(name)
        if known is None:
            named[name] = NamedSchema(name, site.wire_name, pointer, site.schema, site.untitled)
        elif known.schema != site.schema:
            problems.append(
                error(
                    "python-name",
                    f"two different schemas are named {site.wire_name!r} (the other at "
                    f"{spec.locate(known.pointer)})",
                    spec.locate(pointer),
                    pointer,
                )
            )
    return named


def _dependencies(index: NamedSchemas, entry: NamedSchema) -> Iterator[str]:
    """The models a model names, in the order it names them: a class's fields', an alias's
    type's."""
    document = index.document
    kind = model_kind(document, entry.schema)
    if kind == "class":
        for _, raw, _ in property_sites(document, entry.schema, entry.pointer):
            yield from _named_in(index, raw, 0)
    elif kind == "alias" and ref_target(entry.schema) is not None:
        yield from _named_in(index, {"$ref": entry.schema["$ref"]}, 0)
    elif kind == "alias":
        for _, raw in subschemas(entry.schema):
            yield from _named_in(index, raw, 0)


def _named_in(index: NamedSchemas, raw: Any, depth: int) -> Iterator[str]:
    target = ref_target(raw)
    if target is not None:
        name = class_name_of(target)
        if name is not None:
            yield name
        elif depth < 32:
            yield from _named_in(index, deref(index.document, raw), depth + 1)
    elif (inline := inline_class_name(index, raw)) is not None:
        yield inline
    elif isinstance(raw, dict):
        for _, schema in subschemas(raw):
            yield from _named_in(index, schema, depth + 1)


def _model(
    spec: LoadedSpec,
    index: NamedSchemas,
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
        alias = alias_type(index, schema)
        return ObjectModel(entry.name, entry.wire_name, description, (), "ignore", alias)
    merged = merged_object(document, schema) or {}
    required = set(merged.get("required") or [])
    scope = Scope(f"two properties of {entry.wire_name!r} share a field name", spec, problems)
    fields = []
    tag = index.tags.get(pointer)
    for prop, raw, at in property_sites(document, entry.schema, entry.pointer):
        name = naming.field(prop)
        scope.claim(name, prop, at)
        resolved = deref(document, raw)
        if tag is not None and tag[0] == prop:
            raw = resolved = _tagged(resolved, tag[1])
            required.add(prop)
        field_type = type_of(index, raw)
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
                secret=is_secret(resolved),
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


def _tagged(schema: dict[str, Any], values: tuple[Any, ...]) -> dict[str, Any]:
    """A discriminator property typed by the values its class goes by in the unions it is an
    option of (:attr:`generator.ir.inline.NamedSchemas.tags`): one is a ``const``."""
    kept = {k: v for k, v in schema.items() if k in ("description", "readOnly", "writeOnly")}
    return {**kept, **({"const": values[0]} if len(values) == 1 else {"enum": list(values)})}


def is_secret(schema: dict[str, Any]) -> bool:
    """Whether a property's or parameter's value is a credential: ``format: password``,
    ``writeOnly`` (a value only the client knows) or ``x-secret``; or a list of credentials."""
    items = schema.get("items")
    return (
        schema.get("format") == "password"
        or schema.get("writeOnly") is True
        or schema.get("x-secret") is True
        or (isinstance(items, dict) and is_secret(items))
    )


def feature_of(raw: Any) -> Feature | None:
    """The ``x-feature`` an operation or property needs, if it names one."""
    if isinstance(raw, dict) and "name" in raw and "version" in raw:
        return Feature(str(raw["name"]), int(raw["version"]))
    return None
