"""Walk a bundled OpenAPI document once: every OpenAPI object and every schema, each with the
kind of object it is (its :data:`Place`), where it is, and, for a schema inside another, that one.

Internal ``$ref``s are not followed (their targets are walked where they are written, under
``components``); the values of ``x-`` extensions are not walked (they are the extensions').
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from generator.spec import pointer as jp
from generator.spec.openapi import HTTP_METHODS

Place = Literal[
    "root",
    "info",
    "contact",
    "license",
    "server",
    "server variable",
    "tag",
    "external docs",
    "paths",
    "path item",
    "operation",
    "parameter",
    "request body",
    "media type",
    "encoding",
    "responses",
    "response",
    "header",
    "example",
    "link",
    "callback",
    "components",
    "security scheme",
    "oauth flows",
    "oauth flow",
    "schema",
    "discriminator",
    "xml",
]

ONE, LIST, MAP = "one", "list", "map"
"""How a key holds its children: one object, a list of them, or a map of names to them."""

_CHILDREN: dict[str, tuple[tuple[str, str, Place], ...]] = {
    "root": (
        ("info", ONE, "info"),
        ("servers", LIST, "server"),
        ("paths", ONE, "paths"),
        ("webhooks", MAP, "path item"),
        ("components", ONE, "components"),
        ("tags", LIST, "tag"),
        ("externalDocs", ONE, "external docs"),
    ),
    "info": (("contact", ONE, "contact"), ("license", ONE, "license")),
    "server": (("variables", MAP, "server variable"),),
    "tag": (("externalDocs", ONE, "external docs"),),
    "path item": (
        ("parameters", LIST, "parameter"),
        ("servers", LIST, "server"),
        *((method, ONE, "operation") for method in HTTP_METHODS),
    ),
    "operation": (
        ("parameters", LIST, "parameter"),
        ("requestBody", ONE, "request body"),
        ("responses", ONE, "responses"),
        ("callbacks", MAP, "callback"),
        ("servers", LIST, "server"),
        ("externalDocs", ONE, "external docs"),
    ),
    "parameter": (
        ("schema", ONE, "schema"),
        ("content", MAP, "media type"),
        ("examples", MAP, "example"),
    ),
    "header": (
        ("schema", ONE, "schema"),
        ("content", MAP, "media type"),
        ("examples", MAP, "example"),
    ),
    "request body": (("content", MAP, "media type"),),
    "media type": (
        ("schema", ONE, "schema"),
        ("examples", MAP, "example"),
        ("encoding", MAP, "encoding"),
    ),
    "encoding": (("headers", MAP, "header"),),
    "response": (
        ("headers", MAP, "header"),
        ("content", MAP, "media type"),
        ("links", MAP, "link"),
    ),
    "link": (("server", ONE, "server"),),
    "components": (
        ("schemas", MAP, "schema"),
        ("responses", MAP, "response"),
        ("parameters", MAP, "parameter"),
        ("examples", MAP, "example"),
        ("requestBodies", MAP, "request body"),
        ("headers", MAP, "header"),
        ("securitySchemes", MAP, "security scheme"),
        ("links", MAP, "link"),
        ("callbacks", MAP, "callback"),
        ("pathItems", MAP, "path item"),
    ),
    "security scheme": (("flows", ONE, "oauth flows"),),
    "oauth flows": tuple(
        (flow, ONE, "oauth flow")
        for flow in ("implicit", "password", "clientCredentials", "authorizationCode")
    ),
    "schema": (
        *(
            (key, ONE, "schema")
            for key in (
                "items",
                "not",
                "additionalProperties",
                "additionalItems",
                "contains",
                "if",
                "then",
                "else",
                "propertyNames",
                "unevaluatedItems",
                "unevaluatedProperties",
                "contentSchema",
            )
        ),
        *((key, LIST, "schema") for key in ("allOf", "anyOf", "oneOf", "prefixItems")),
        *(
            (key, MAP, "schema")
            for key in (
                "properties",
                "patternProperties",
                "$defs",
                "definitions",
                "dependentSchemas",
            )
        ),
        ("discriminator", ONE, "discriminator"),
        ("xml", ONE, "xml"),
        ("externalDocs", ONE, "external docs"),
    ),
}

_NAMED: dict[str, Place] = {"paths": "path item", "responses": "response", "callback": "path item"}
"""Objects that are maps of names (paths, statuses, expressions) beside their ``x-`` extensions."""

NAME_MAPS = frozenset(
    key
    for place, children in _CHILDREN.items()
    if place != "components"
    for key, kind, _ in children
    if kind == MAP
)
"""Keys whose value maps names to objects (an ``x-`` key there is a name, not an extension);
those of ``components`` are known by their place, under ``/components``."""


@dataclass(frozen=True, slots=True)
class Node:
    """One OpenAPI object or schema of the document."""

    place: Place
    pointer: str
    value: dict[str, Any]
    parent: Node | None = None
    """The schema this one is written in, for a schema inside another."""
    via: str = ""
    """The keyword of ``parent`` it is under (``allOf``, ``properties``, ...)."""


_BY_KEY: dict[str, dict[str, tuple[str, Place]]] = {
    place: {key: (kind, child) for key, kind, child in children}
    for place, children in _CHILDREN.items()
}


def iter_nodes(document: dict[str, Any]) -> Iterator[Node]:
    """Every OpenAPI object and schema of ``document``, outermost first, each once."""
    stack = [Node("root", "", document)]
    while stack:
        node = stack.pop()
        value = node.value
        if "$ref" in value and node.place != "schema":
            continue  # a Reference Object: its target is walked where it is written
        yield node
        children: list[Node] = []
        parent = node if node.place == "schema" else None
        named = _NAMED.get(node.place)
        table = _BY_KEY.get(node.place, {})
        for key, held in value.items():
            if named is not None and not key.startswith("x-"):
                if isinstance(held, dict):
                    children.append(Node(named, jp.child(node.pointer, key), held))
                continue
            if key not in table:
                continue
            kind, place = table[key]
            at = jp.child(node.pointer, key)
            if kind == ONE and isinstance(held, dict):
                children.append(Node(place, at, held, parent, key))
            elif kind == LIST and isinstance(held, list):
                children += [
                    Node(place, f"{at}/{index}", item, parent, key)
                    for index, item in enumerate(held)
                    if isinstance(item, dict)
                ]
            elif kind == MAP and isinstance(held, dict):
                children += [
                    Node(place, jp.child(at, name), item, parent, key)
                    for name, item in held.items()
                    if isinstance(item, dict)
                ]
        stack.extend(reversed(children))


def is_extension_key(key: str, parent_pointer: str) -> bool:
    """Whether ``key``, in the mapping at ``parent_pointer`` of the bundled document, names an
    extension (its value is the extension's own: the loader leaves its ``$ref``s alone) rather
    than a name in a map of them (a property, a header, a component)."""
    if not key.startswith("x-"):
        return False
    tokens = parent_pointer.rsplit("/", 2)
    holder = tokens[-1] if len(tokens) > 1 else ""
    return holder not in NAME_MAPS and not (len(tokens) == 3 and tokens[1] == "components")
