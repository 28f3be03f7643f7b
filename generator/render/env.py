"""The Jinja2 environment every template renders in, and its escaping filters: spec text reaches
the output only through them (``py``, ``docstring``, ``toml``, ``markdown``, ``code``, ...)."""

from __future__ import annotations

import functools
import json
import re
import shlex
import textwrap
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import jinja2

from generator.ir import naming

LINE_LENGTH = 100


def environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    """Templates from ``template_dirs`` (the first that has a template wins), undefined names an
    error, HTML templates autoescaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.jinja", "htm.jinja", "xml.jinja"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["py"] = python_literal
    env.filters["docstring"] = docstring
    env.filters["toml"] = toml_string
    env.filters["markdown"] = markdown_text
    env.filters["code"] = markdown_code
    env.filters["fenced"] = markdown_fenced
    env.filters["shell"] = shlex.quote
    env.filters["json"] = json.dumps
    env.filters["text"] = plain_text
    env.filters["export_order"] = naming.export_order
    env.filters["import_order"] = naming.import_order
    return env


def python_literal(value: object) -> str:
    """A Python literal for ``value`` (spec text can never end the string early); strings in
    double quotes where that needs no escape, as black would write them."""
    literal = repr(value)
    if isinstance(value, str) and literal.startswith("'") and '"' not in value:
        return '"' + literal[1:-1] + '"'
    return literal


def _inert(char: str) -> str:
    """A character as it may stand inside a docstring: escapes for backslash and control codes."""
    if char == "\\":
        return "\\\\"
    if char in "\n\t" or not (unicodedata.category(char) in ("Cc", "Cs") or char in _LINE_BREAKS):
        return char
    return f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"


_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_NEEDS_ESCAPES = re.compile(r"[^\n\t -~]|\\")
"""A backslash, or anything but printable ASCII, tab and newline: such text needs :func:`_inert`."""


@functools.lru_cache(maxsize=4096)
def docstring(text: str, indent: int = 0, hang: int = 0, width: int = LINE_LENGTH) -> str:
    """``text`` as (part of) a docstring: made inert, and wrapped to ``width``.

    The template has already indented the first line by ``indent``; every further line is
    indented by ``indent + hang``. Cached: the same descriptions recur across a large API.
    """
    text = text.replace("\r\n", "\n")
    body = "".join(map(_inert, text)) if _NEEDS_ESCAPES.search(text) else text
    body = body.replace('"""', '\\"\\"\\"').strip()
    backslashes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
    if body.endswith('"') and backslashes % 2 == 0:  # a raw quote would close the docstring
        body = body[:-1] + '\\"'
    pad = " " * (indent + hang)
    lines: list[str] = []
    for paragraph in body.split("\n"):
        room = width - (indent if not lines else indent + hang)
        wrapped = _wrap(paragraph, max(room, 20)) or [""]
        lines += wrapped[:1] + _wrap(" ".join(wrapped[1:]), max(width - len(pad), 20))
    return "\n".join((pad + line).rstrip() if line else "" for line in lines).lstrip()


def _wrap(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width)``, breaking only at spaces (a URL stays whole); at once for
    text that fits as it is (most descriptions): no longer than ``width``, no tab or line break
    (made spaces), and no whitespace at the end (dropped)."""
    if not text:
        return []
    if len(text) <= width and not text[-1].isspace() and not _TABS_AND_BREAKS.search(text):
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


_TABS_AND_BREAKS = re.compile(r"[\t\n\x0b\x0c\r]")


def plain_text(value: object) -> str:
    """``value`` as plain text, so that an HTML template escapes it. A macro defined in a template
    without autoescaping (``_macros/``, shared with the Python and Markdown templates) hands its
    output to an HTML template unescaped but marked safe: pass it through this filter there."""
    return str.__str__(str(value))


def toml_string(value: object) -> str:
    """A TOML basic string holding ``str(value)``."""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"} | {"&": "&amp;"})
_MARKDOWN_BLOCK_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")


def markdown_text(value: object) -> str:
    """``value`` as Markdown text that renders literally: no markup, no HTML, one paragraph."""
    return _markdown_text(str(value))


@functools.lru_cache(maxsize=8192)
def _markdown_text(value: str) -> str:
    """Cached: the same descriptions recur across a large API."""
    text = " ".join(value.split()).translate(_MARKDOWN_SPECIAL)
    return _MARKDOWN_BLOCK_START.sub(
        lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), text
    )


def markdown_code(value: object, table: bool = False) -> str:
    """``value`` as a Markdown code span, whatever backticks (and, in a table, pipes) it holds."""
    return _markdown_code(str(value), table)


@functools.lru_cache(maxsize=8192)
def _markdown_code(value: str, table: bool) -> str:
    text = " ".join(value.split())
    if table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_fenced(code: str, language: str = "") -> str:
    """``code`` as a fenced Markdown block, its fence longer than any backtick run inside."""
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"
