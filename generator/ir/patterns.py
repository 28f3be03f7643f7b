"""A string a regular expression (a schema's ``pattern``) matches, for made-up examples.

The pattern is parsed by Python's own regular-expression parser and walked: each piece gives its
shortest match (repeats at their minimum, the first branch, the first character of a class).
Patterns it cannot walk (look-arounds, back-references) give None, and the caller keeps its own
value.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser is private to the re module; without it, no pattern is walked
    from re import _parser as parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    parser = None

_CATEGORIES = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}


class _CannotWalk(Exception):
    pass


def matching(pattern: str) -> str | None:
    """A short string ``pattern`` matches (searched, as JSON Schema does), or None."""
    if parser is None:
        return None
    try:
        text = _walk(parser.parse(pattern))
    except (_CannotWalk, re.error, RecursionError, TypeError, ValueError):
        return None
    return text if re.search(pattern, text) else None


def _walk(pieces: Any) -> str:
    return "".join(_piece(str(op), value) for op, value in pieces)


def _piece(op: str, value: Any) -> str:
    if op == "LITERAL":
        return chr(value)
    if op == "NOT_LITERAL":
        return "b" if chr(value) == "a" else "a"
    if op == "ANY":
        return "a"
    if op == "AT":
        return ""
    if op == "IN":
        return _first_of(value)
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _, inner = value
        return _walk(inner) * int(low)
    if op == "SUBPATTERN":
        return _walk(value[-1])
    if op == "ATOMIC_GROUP":
        return _walk(value)
    if op == "BRANCH":
        return _walk(value[1][0])
    raise _CannotWalk(op)


def _first_of(items: Any) -> str:
    """The first character a class (``[...]``) allows."""
    negated = False
    for op, value in items:
        name = str(op)
        if name == "NEGATE":
            negated = True
        elif negated:
            continue
        elif name == "LITERAL":
            return chr(value)
        elif name == "RANGE":
            return chr(value[0])
        elif name == "CATEGORY":
            return _CATEGORIES.get(str(value), "a")
    if negated:
        excluded = {chr(v) for op, v in items if str(op) == "LITERAL"}
        return next(c for c in "aA0_-x" if c not in excluded)
    raise _CannotWalk("IN")
