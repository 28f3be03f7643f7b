"""Parts of a valid spec the generated code reads only approximately: each is a warning at its
place, so that what the package does not check or send as written is never a surprise."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, warning
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.walk import Node

UNCHECKED_KEYWORDS = (
    *("not", "if", "patternProperties", "propertyNames", "dependentSchemas", "contains"),
    *("unevaluatedProperties", "unevaluatedItems"),
)
"""Schema keywords the generated models do not check (the rest of the schema still types it)."""

DEFAULT_STYLES = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
"""How each place's parameters are written when the spec names no ``style`` (OpenAPI's
defaults, the only ones the generated code writes and reads)."""


def unchecked_keywords(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """A schema keyword the generated models do not check."""
    for keyword in UNCHECKED_KEYWORDS:
        if keyword in node.value and not _only_strings(keyword, node.value[keyword]):
            at = jp.child(node.pointer, keyword)
            message = f"`{keyword}` is not checked by the generated models; the rest of the schema types the value"
            yield warning("unmodelled", message, spec.locate(at), at)


def parameter_style(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """A parameter written otherwise than in its place's default style, or by ``content``."""
    place = node.value.get("in")
    style = node.value.get("style", DEFAULT_STYLES.get(str(place)))
    explode = node.value.get("explode", style == "form")
    if "content" in node.value:
        problem = "a `content` parameter is sent and read as plain text"
    elif style != DEFAULT_STYLES.get(str(place)) or explode != (style == "form"):
        problem = f"style {style!r} (explode {explode}) is sent and read in the default style"
    else:
        return
    name = node.value.get("name")
    yield warning(
        "unmodelled", f"parameter {name!r}: {problem}", spec.locate(node.pointer), node.pointer
    )


def wildcard_media_type(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """A media type range (``*/*``, ``image/*``), or XML: its body travels as bytes (text for a
    ``text/`` range)."""
    media_type = jp.split(node.pointer)[-1].split(";")[0].strip().lower()
    if (
        "*" in media_type
        or media_type in ("application/xml", "text/xml")
        or media_type.endswith("+xml")
    ):
        kind = "text" if media_type.startswith("text/") else "bytes"
        message = f"a {media_type} body is sent and read as {kind}, whatever its schema says"
        yield warning("unmodelled", message, spec.locate(node.pointer), node.pointer)


def _only_strings(keyword: str, value: object) -> bool:
    """Whether it is ``propertyNames`` saying no more than that keys are strings, as JSON's are."""
    annotations = {"type", "description", "title", "$comment"}
    return (
        keyword == "propertyNames"
        and isinstance(value, dict)
        and set(value) <= annotations
        and value.get("type", "string") == "string"
    )
