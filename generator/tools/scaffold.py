"""Scaffold: a new endpoint's Path Item file, and its one line in the root document.

The file references the root's shared pieces (its path parameters, the shared responses that say
their ``x-status``) so that only what the page says about this endpoint is left to fill in.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.ir import naming
from generator.render.env import environment
from generator.spec.load import load
from generator.spec.openapi import HTTP_METHODS, deref, iter_operations

TEMPLATE = "_scaffold/path-item.yaml.jinja"
BODY_METHODS = ("post", "put", "patch")


class ScaffoldError(Exception):
    """The endpoint cannot be scaffolded (a clash with what exists, or a bad argument)."""


@dataclass(frozen=True)
class NewEndpoint:
    method: str
    path: str
    tag: str
    operation_id: str


def scaffold(root: Path, endpoint: NewEndpoint, templates: Sequence[Path]) -> Path:
    """Write the endpoint's file under ``paths/<tag>/`` and add its line to ``root``."""
    method = endpoint.method.lower()
    if method not in HTTP_METHODS:
        raise ScaffoldError(f"{endpoint.method!r} is not an HTTP method")
    if not endpoint.path.startswith("/"):
        raise ScaffoldError(f"the path must start with '/': {endpoint.path!r}")
    raw = yaml.safe_load(root.read_text("utf-8")) or {}
    document = load(root).document
    if endpoint.path in (raw.get("paths") or {}):
        raise ScaffoldError(f"{root.name} already has {endpoint.path}")
    literal = [s for s in endpoint.path.split("/") if s and "{" not in s]
    name = "-".join(naming.words(literal[-1] if literal else endpoint.operation_id)) or "endpoint"
    target = root.parent / "paths" / "-".join(naming.words(endpoint.tag)) / f"{name}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} exists already")
    text_out = (
        environment(templates)
        .get_template(TEMPLATE)
        .render(
            method=method,
            path=endpoint.path,
            tag=endpoint.tag,
            operation_id=endpoint.operation_id,
            path_parameters=_path_parameters(raw, document, root, target, endpoint.path),
            responses=_shared_responses(raw, document, root, target),
            media_types=_body_media_types(document) if method in BODY_METHODS else [],
        )
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text_out, "utf-8")
    add_path_line(root, endpoint.path, target)
    declare_tag(root, endpoint.tag)
    return target


def add_path_line(root: Path, path: str, target: Path) -> None:
    """Add the line giving ``path`` its Path Item file ``target`` to the root document."""
    text = root.read_text("utf-8")
    root.write_text(_with_path_line(text, path, relative(target, root.parent)), "utf-8")


def _path_parameters(
    raw: dict[str, Any], document: dict[str, Any], root: Path, target: Path, path: str
) -> list[dict[str, str]]:
    """The path's parameters: references to the root's shared ones where it has them."""
    shared = (document.get("components") or {}).get("parameters") or {}
    parameters = []
    for name in re.findall(r"\{([^{}]+)\}", path):
        ref = ""
        for key, entry in shared.items():
            resolved = deref(document, entry)
            if resolved.get("name") == name and resolved.get("in") == "path":
                ref = _ref_from(
                    raw["components"]["parameters"][key], key, "parameters", root, target
                )
        parameters.append({"name": name, "ref": ref})
    return parameters


def _shared_responses(
    raw: dict[str, Any], document: dict[str, Any], root: Path, target: Path
) -> list[tuple[str, str]]:
    """References to the root's shared responses that say which status they are for."""
    shared = (document.get("components") or {}).get("responses") or {}
    found = []
    for key, entry in shared.items():
        status = deref(document, entry).get("x-status")
        if status is not None:
            found.append(
                (
                    str(status),
                    _ref_from(raw["components"]["responses"][key], key, "responses", root, target),
                )
            )
    return sorted(found)


def _body_media_types(document: dict[str, Any]) -> list[str]:
    """The media types the spec's other operations take bodies in (JSON when there are none)."""
    for site in iter_operations(document):
        body = deref(document, site.operation.get("requestBody"))
        if isinstance(body, dict) and isinstance(body.get("content"), dict):
            return list(body["content"])
    return ["application/json"]


def _ref_from(entry: Any, key: str, kind: str, root: Path, target: Path) -> str:
    """A reference from ``target`` to a root components entry: to its file, or to the root."""
    if isinstance(entry, dict) and isinstance(entry.get("$ref"), str):
        file_part, _, fragment = entry["$ref"].partition("#")
        return relative(root.parent / file_part, target.parent) + (
            "#" + fragment if fragment else ""
        )
    return f"{relative(root, target.parent)}#/components/{kind}/{key}"


def declare_tag(root: Path, tag: str) -> bool:
    """Add ``tag`` to the root document's ``tags`` list unless it is there; whether it was
    added. The root's text is kept as written (comments too), the entry appended to the list."""
    text = root.read_text("utf-8")
    declared = (yaml.safe_load(text) or {}).get("tags") or []
    if any(isinstance(entry, dict) and entry.get("name") == tag for entry in declared):
        return False
    root.write_text(_with_block_line(text, "tags", f"  - name: {json.dumps(tag)}"), "utf-8")
    return True


def relative(path: Path, start: Path) -> str:
    """``path`` relative to the folder ``start``, with forward slashes (as ``$ref`` writes it)."""
    return Path(os.path.relpath(path, start)).as_posix()


def _with_path_line(text: str, path: str, file: str) -> str:
    """``text`` with one line for the endpoint appended to its ``paths`` block."""
    key = path if yaml.safe_load(f"{path}: x") == {path: "x"} else json.dumps(path)
    return _with_block_line(text, "paths", f"  {key}: {{$ref: {file}}}")


def _with_block_line(text: str, block: str, line: str) -> str:
    """``text`` with ``line`` appended to its top-level ``block`` (made if missing)."""
    lines = text.splitlines()
    empty = r"\s*(\{\s*\}|\[\s*\])?\s*(#.*)?$"
    start = next(
        (i for i, text_line in enumerate(lines) if re.match(f"^{block}:{empty}", text_line)),
        None,
    )
    if start is None:
        return text.rstrip("\n") + f"\n{block}:\n{line}\n"
    lines[start] = f"{block}:"
    end = start
    for index in range(start + 1, len(lines)):
        if lines[index].startswith((" ", "\t")):
            end = index
        elif lines[index].strip() and not lines[index].startswith("#"):
            break
    lines.insert(end + 1, line)
    return "\n".join(lines) + "\n"
