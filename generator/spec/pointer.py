"""JSON Pointers (RFC 6901): building, splitting and resolving them."""

from __future__ import annotations

from typing import Any


class PointerError(LookupError):
    """A pointer names nothing in the document."""


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """``pointer`` with ``tokens`` appended, escaped (the model builder makes one per node it
    reads, for the diagnostics: escaping only the tokens that need it halves the cost)."""
    for token in tokens:
        text = str(token)
        if "~" in text or "/" in text:
            text = escape(text)
        pointer = f"{pointer}/{text}"
    return pointer


def child(pointer: str, token: str | int) -> str:
    """``join(pointer, token)`` for one token; the loader calls it for every node."""
    token = str(token)
    if "~" in token or "/" in token:
        token = escape(token)
    return f"{pointer}/{token}"


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise PointerError(f"a JSON pointer starts with '/': {pointer!r}")
    return [unescape(token) for token in pointer[1:].split("/")]


def parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""


def resolve(document: Any, pointer: str) -> Any:
    """The value ``pointer`` names in ``document``; :class:`PointerError` when there is none."""
    value = document
    for token in split(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise PointerError(f"nothing at {pointer!r}")
    return value
