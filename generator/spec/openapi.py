"""Walking a bundled OpenAPI document: operations, and internal ``$ref``s followed to their target."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.spec import pointer as jp

JSON_MEDIA_TYPE = re.compile(r"^application/([\w.+-]+\+)?json$", re.IGNORECASE)
"""A JSON media type: ``application/json`` or a ``+json`` one."""

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class OperationSite:
    """One operation of the document, with the path item it belongs to."""

    path: str
    method: str
    pointer: str
    operation: dict[str, Any]
    path_item: dict[str, Any]


def iter_operations(document: dict[str, Any]) -> Iterator[OperationSite]:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        item = deref(document, item)
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield OperationSite(path, method, jp.join("/paths", path, method), operation, item)


def parameters_of(document: dict[str, Any], site: OperationSite) -> list[tuple[str, Any]]:
    """The parameters of the operation at ``site``, its path item's included (the operation's
    own win, by name and place), each resolved, with the pointer it was written at."""
    merged: dict[tuple[Any, Any], tuple[str, Any]] = {}
    for base, holder in ((jp.parent(site.pointer), site.path_item), (site.pointer, site.operation)):
        raw_parameters = holder.get("parameters")
        for index, raw in enumerate(raw_parameters if isinstance(raw_parameters, list) else []):
            parameter = deref(document, raw)
            if not isinstance(parameter, dict):
                continue
            merged[(parameter.get("name"), parameter.get("in"))] = (
                jp.join(base, "parameters", index),
                parameter,
            )
    return list(merged.values())


def deref(document: dict[str, Any], node: Any) -> Any:
    """``node`` with internal ``$ref``s followed (3.1 ``summary``/``description`` siblings win)."""
    overrides: dict[str, Any] = {}
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target = node["$ref"]
        if not target.startswith("#") or target in seen:
            break
        seen.add(target)
        overrides = {**{k: v for k, v in node.items() if k != "$ref"}, **overrides}
        try:
            node = jp.resolve(document, target[1:])
        except jp.PointerError:
            break
    if overrides and isinstance(node, dict):
        return {**node, **overrides}
    return node


def ref_target(node: Any) -> str | None:
    """The JSON pointer an internal ``$ref`` node names, or None."""
    if (
        isinstance(node, dict)
        and isinstance(node.get("$ref"), str)
        and node["$ref"].startswith("#")
    ):
        return str(node["$ref"][1:])
    return None


def iter_schema_sites(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every Schema Object written at the top of a schema position: (pointer, schema)."""
    components = document.get("components") or {}
    for name, schema in _items(components.get("schemas")):
        yield jp.join("/components/schemas", name), schema
    for kind in ("parameters", "headers"):
        for name, holder in _items(components.get(kind)):
            yield from _holder_schemas(holder, jp.join("/components", kind, name))
    for kind in ("responses", "requestBodies"):
        for name, holder in _items(components.get(kind)):
            yield from _message_schemas(holder, jp.join("/components", kind, name))
    for path, item in _items(document.get("paths")):
        item_pointer = jp.join("/paths", path)
        for index, parameter in enumerate(_list(item.get("parameters"))):
            yield from _holder_schemas(parameter, jp.join(item_pointer, "parameters", index))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            at = jp.join(item_pointer, method)
            for index, parameter in enumerate(_list(operation.get("parameters"))):
                yield from _holder_schemas(parameter, jp.join(at, "parameters", index))
            yield from _message_schemas(operation.get("requestBody"), jp.join(at, "requestBody"))
            for status, response in _items(operation.get("responses")):
                yield from _message_schemas(response, jp.join(at, "responses", status))


def _message_schemas(message: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Schemas of a request body or response: its content's and its headers'."""
    if not isinstance(message, dict):
        return
    for media_type, content in _items(message.get("content")):
        yield from _holder_schemas(content, jp.join(pointer, "content", media_type))
    for name, header in _items(message.get("headers")):
        yield from _holder_schemas(header, jp.join(pointer, "headers", name))


def _holder_schemas(holder: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if isinstance(holder, dict) and "schema" in holder:
        yield jp.join(pointer, "schema"), holder["schema"]


def _items(node: Any) -> list[tuple[str, Any]]:
    return list(node.items()) if isinstance(node, dict) else []


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []
