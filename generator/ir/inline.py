"""Where the spec's named schemas are written, and class names for the inline objects it leaves
untitled.

A named schema is an entry of ``components/schemas`` (or of a component's ``$defs``), a titled
inline object or enumeration, or an untitled inline object
(:func:`generator.ir.shapes.is_inline_class`) written as a request body, a response body or a
property of a class, or below one of those as its items, its values or an option of its union.
An untitled one gets a class named (:mod:`generator.ir.naming`) after where it is written, as
openapi-python-client names them: ``{OperationId}Body``; ``{OperationId}Response``, with the
status where several responses of the operation have one; ``{Model}{Property}`` (its items and
values alike); ``{Name}Option{n}``; ``{Key}Body`` and ``{Key}Response`` for entries of
``components/requestBodies`` and ``components/responses``. A name that another class has (the
spec's own names are found first) gets a number, ``AddPetBody2``, which pass 1 warns of.

Why a map from each untitled schema to its name, rather than a copy of the document with those
names written in as titles: every stage reads the one loaded document (the operations, the
examples, the shipped spec and its digest), and the shipped spec must stay the author's, so a
copy would have to be handed to some stages and kept from others. The names are a function of
the document alone, found once, in pass 1 (:func:`named_schemas`), and handed to whatever
needs them; :func:`generator.ir.types.type_of`, given each schema as the document holds it,
finds a schema's name by the schema's identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.ir import naming
from generator.ir.shapes import (
    COMPONENT_SCHEMAS,
    DEFINITIONS,
    constraining_parts,
    is_inline_class,
    is_titled_model,
    merged_object,
    model_kind,
    property_sites,
    subschemas,
)
from generator.spec import pointer as jp
from generator.spec.openapi import deref, iter_schema_sites, ref_target


@dataclass(frozen=True)
class Site:
    """A named schema where the spec writes it."""

    name: str
    """Its class name."""
    wire_name: str
    """The component's key, or the inline schema's title; for an untitled one, its class name."""
    pointer: str
    schema: dict[str, Any]
    wanted: str
    """The class name it would have had: not its name where another class had that."""
    untitled: bool


@dataclass(frozen=True)
class NamedSchemas:
    document: dict[str, Any]
    """The document they are found in."""
    sites: tuple[Site, ...]
    """Every named schema, in the order the spec writes them (one written twice, twice)."""
    untitled: Mapping[int, str]
    """The class name of each untitled inline class, by the identity of its schema."""
    tags: Mapping[str, tuple[str, tuple[Any, ...]]]
    """For each component class used only as an option of unions with a ``discriminator``
    whose property it types as any string: that property and the values it goes by there, by
    the component's pointer. Its field is typed by those values, which pydantic tells the
    options apart by."""

    def name_of(self, schema: Any) -> str | None:
        """The class name given to the untitled inline schema ``schema``, if it has one."""
        return self.untitled.get(id(schema))


def named_schemas(document: dict[str, Any]) -> NamedSchemas:
    """Every named schema of ``document``."""
    spec_names = frozenset(s.name for s in _Walk(document, frozenset()).run() if not s.untitled)
    sites = _Walk(document, spec_names).run()
    untitled = {id(s.schema): s.name for s in sites if s.untitled}
    return NamedSchemas(document, tuple(sites), untitled, _tags(document))


@dataclass
class _Walk:
    """One walk over the document's schemas, giving untitled inline classes names that none of
    ``taken`` (the spec's own names) is."""

    document: dict[str, Any]
    taken: frozenset[str]
    sites: list[Site] = field(default_factory=list)
    walked: dict[tuple[bool, str], dict[str, Any]] = field(default_factory=dict)
    """The schema each class name was given to first, whose insides were walked, by whether it
    is untitled and its name (a first walk, which finds the spec's own names, keeps those apart
    from the numbers it does not yet know untitled classes need)."""

    def run(self) -> list[Site]:
        for pointer, schema in iter_schema_sites(self.document):
            if jp.parent(pointer) == COMPONENT_SCHEMAS:
                self.named(jp.split(pointer)[-1], pointer, schema)
                for keyword in DEFINITIONS:
                    definitions = schema.get(keyword) if isinstance(schema, dict) else None
                    for key, definition in (definitions or {}).items():
                        self.named(key, jp.join(pointer, keyword, key), definition)
            else:
                self.inline(schema, pointer, self.wanted_at(pointer))
        return self.sites

    def named(self, wire_name: str, pointer: str, raw: Any, *, untitled: bool = False) -> None:
        """Name the schema ``raw``, then what is written inside it."""
        schema = raw if isinstance(raw, dict) else {}
        name = self.free(wire_name, schema) if untitled else naming.pascal(wire_name)
        wanted = wire_name if untitled else name
        self.sites.append(
            Site(name, name if untitled else wire_name, pointer, schema, wanted, untitled)
        )
        if (untitled, name) in self.walked:
            return  # its insides are named already, or it is another schema, which pass 1 reports
        self.walked[(untitled, name)] = schema
        kind = model_kind(self.document, schema)
        if kind == "class":
            for prop, sub, at in property_sites(self.document, schema, pointer):
                self.inline(sub, at, naming.property_class(name, prop))
        elif kind == "alias":
            self.below(schema, pointer, naming.item_class(name), name)

    def free(self, wanted: str, schema: dict[str, Any]) -> str:
        """``wanted``, or a numbered ``wanted`` when another class has it (an equal schema
        written at another place shares it)."""
        name, count = wanted, 1
        while name in self.taken or self.walked.get((True, name), schema) != schema:
            count += 1
            name = naming.numbered(wanted, count)
        return name

    def inline(self, raw: Any, pointer: str, wanted: str | None) -> None:
        """The named schemas at or below the inline schema ``raw``: its own class named
        ``wanted`` where it is an untitled inline class (and ``wanted`` is not None)."""
        if not isinstance(raw, dict) or ref_target(raw) is not None:
            return  # a component is named as one; another target, where it is written
        if is_titled_model(raw):
            self.named(raw["title"], pointer, raw)
        elif wanted is not None and is_inline_class(self.document, raw):
            self.named(wanted, pointer, raw, untitled=True)
        else:
            self.below(raw, pointer, wanted, wanted)

    def below(
        self, schema: dict[str, Any], pointer: str, item: str | None, union: str | None
    ) -> None:
        """The named schemas among those ``schema``'s type is made of: its items, values and
        only option (``null`` aside) named ``item``, its other options after ``union``."""
        options = [o for k in ("oneOf", "anyOf") for o in schema.get(k) or [] if not _null(o)]
        parts = schema.get("allOf")
        single = len(options) == 1 or (
            isinstance(parts, list) and len(constraining_parts(self.document, parts)) == 1
        )
        for path, sub in subschemas(schema):
            wanted = item
            if path[0] in ("oneOf", "anyOf") and not single and union is not None:
                wanted = naming.option_class(union, int(path[1]))
            elif path[0] in ("allOf", "prefixItems") and not single:
                wanted = None
            self.inline(sub, jp.join(pointer, *path), wanted)

    def wanted_at(self, pointer: str) -> str | None:
        """The class name of an untitled inline class written at ``pointer`` where that is the
        schema of a message (a request body, a response); else None."""
        parts = jp.split(pointer)
        if len(parts) < 6 or parts[-1] != "schema" or parts[-3] != "content":
            return None
        message = parts[:-3]
        if message[0] == "components" and len(message) == 3:
            if message[1] == "requestBodies":
                return naming.body_class(message[2])
            return naming.response_class(message[2], None) if message[1] == "responses" else None
        if message[0] != "paths" or len(message) not in (4, 5):
            return None
        path, method, place = message[1:4]
        operation = self.document["paths"][path][method]
        given = operation.get("operationId")
        operation_id = given if isinstance(given, str) and given else None
        operation_id = operation_id or naming.operation_id(method, path)
        if place == "requestBody" and len(message) == 4:
            return naming.body_class(operation_id)
        if place != "responses" or len(message) != 5:
            return None
        responses = operation.get("responses") or {}
        several = sum(map(self.carries_class, responses.values())) > 1
        return naming.response_class(operation_id, message[4] if several else None)

    def carries_class(self, message: Any) -> bool:
        """Whether a response written in place has an untitled inline class in its content."""
        if not isinstance(message, dict) or ref_target(message) is not None:
            return False
        content = message.get("content")
        media = content.values() if isinstance(content, dict) else []
        return any(self._holds_class(m.get("schema")) for m in media if isinstance(m, dict))

    def _holds_class(self, raw: Any) -> bool:
        if not isinstance(raw, dict) or ref_target(raw) is not None or is_titled_model(raw):
            return False
        if is_inline_class(self.document, raw):
            return True
        return any(self._holds_class(sub) for _, sub in subschemas(raw))


def _null(schema: Any) -> bool:
    """Whether ``schema`` is the ``null`` option of a union."""
    return isinstance(schema, dict) and schema.get("type") == "null"


def _tags(document: dict[str, Any]) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """:attr:`NamedSchemas.tags`: each option of a union with a ``discriminator`` goes by the
    keys of the ``mapping`` that name it, else by its component's name."""
    under: dict[str, set[tuple[str, tuple[Any, ...]]]] = {}
    elsewhere: set[str] = set()

    def visit(node: Any, key: str) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item, key)
            return
        if not isinstance(node, dict):
            return
        target = ref_target(node)
        if target is not None and key != "allOf":  # an allOf part's properties are another's
            elsewhere.add(target)
        discriminator = node.get("discriminator")
        for child_key, child in node.items():
            options = child if child_key in ("oneOf", "anyOf") else None
            if isinstance(discriminator, dict) and isinstance(options, list):
                for option in options:
                    if _tagged(document, option, discriminator, under):
                        continue
                    visit(option, child_key)
            elif not child_key.startswith("x-"):
                visit(child, child_key)

    visit(document, "")
    return {
        target: next(iter(uses))
        for target, uses in under.items()
        if target not in elsewhere and len(uses) == 1
    }


def _tagged(
    document: dict[str, Any],
    option: Any,
    discriminator: dict[str, Any],
    under: dict[str, set[tuple[str, tuple[Any, ...]]]],
) -> bool:
    """Add to ``under`` the values the union option ``option`` goes by, where it is a ``$ref``
    to a class whose discriminator property is a plain string; whether it is."""
    target = ref_target(option)
    prop = discriminator.get("propertyName")
    if target is None or len(option) != 1 or not isinstance(prop, str):
        return False
    try:
        schema = jp.resolve(document, target)
    except jp.PointerError:
        return False
    if not isinstance(schema, dict) or model_kind(document, schema) != "class":
        return False
    merged = merged_object(document, schema) or {}
    declared = deref(document, (merged.get("properties") or {}).get(prop))
    if not isinstance(declared, dict) or declared.get("type") != "string":
        return False
    if "enum" in declared or "const" in declared:
        return False  # of one value, pydantic tells it apart already; of several, it is not one
    mapping = discriminator.get("mapping") or {}
    name = jp.split(target)[-1]
    values = tuple(k for k, v in mapping.items() if v in (f"#{target}", name)) or (name,)
    under.setdefault(target, set()).add((prop, values))
    return True
