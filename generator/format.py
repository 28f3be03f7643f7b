"""Format: every Python file the templates produced, in black's style.

The formatter is ruff's (``ruff format``, black-compatible and two orders of magnitude faster
than black on large outputs), one process per file, started as soon as the file is rendered.
Black stays the reference: the tests check that black leaves the generated tree, and fuzzed
trees, unchanged.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import PurePosixPath

from ruff.__main__ import find_ruff_bin

LINE_LENGTH = 100
TARGET_VERSION = "py311"
PYTHON_SUFFIXES = (".py", ".pyi")

# A parameter whose union type hint does not fit on its line: black splits the hint inside
# parentheses it adds, ruff splits it bare. Given the parentheses, both split it alike.
_LONG_UNION_PARAMETER = re.compile(
    r"^(?P<head>[ ]+\w+: )(?P<hint>[\w.\[\], ]+(?: \| [\w.\[\], ]+)+)(?P<tail>(?: = [^,=]+)?,)$",
)


class TemplateBug(Exception):
    """A template produced Python that does not parse: a generator bug, not a spec problem."""


def format_file(path: str, text: str) -> str:
    """One file, formatted (a Python file) or kept as it is (any other), waiting for it."""
    return start_formatting(path, text)()


def formats(path: str) -> bool:
    """Whether the file at ``path`` is one this stage formats."""
    return path.endswith(PYTHON_SUFFIXES)


def start_formatting(path: str, text: str) -> Callable[[], str]:
    """Start formatting one output file (a Python file: by ruff, in a process of its own); the
    function returned gives the formatted text, waiting for it (:class:`TemplateBug` if the
    text is not Python). Rendering goes on meanwhile."""
    if not formats(path):
        return lambda: text
    while len(_running) >= MAX_RUNNING:
        _running[0].finish()
    formatting = _Formatting(path, _parenthesize_long_unions(text))

    def formatted() -> str:
        returncode, stdout, stderr = formatting.finish()
        if returncode:
            message = stderr.decode("utf-8", "replace").strip() or "ruff format failed"
            raise TemplateBug(f"the rendered template is not valid Python: {path}: {message}")
        return _black_docstring_endings(stdout.decode("utf-8"))

    return formatted


class _Formatting:
    """One ``ruff format`` process, fed through its standard input."""

    def __init__(self, path: str, text: str) -> None:
        self.process = subprocess.Popen(
            [*_ruff_format(), f"--stdin-filename={PurePosixPath(path).name}", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.result: tuple[int, bytes, bytes] | None = None
        _running.append(self)
        stdin, self.process.stdin = self.process.stdin, None  # communicate() only reads
        assert stdin is not None
        with contextlib.suppress(BrokenPipeError):  # ruff stopped early: its error says why
            stdin.write(text.encode("utf-8"))
        with contextlib.suppress(BrokenPipeError):
            stdin.close()

    def finish(self) -> tuple[int, bytes, bytes]:
        """Wait for ruff (once): its exit code, output and errors."""
        if self.result is None:
            stdout, stderr = self.process.communicate()
            _running.remove(self)
            self.result = (self.process.returncode, stdout, stderr)
        return self.result


MAX_RUNNING = 2 * (os.cpu_count() or 1)
"""Formatter processes started and not yet finished with, at most."""

_running: collections.deque[_Formatting] = collections.deque()
if hasattr(os, "register_at_fork"):  # a forked child waits for its own formatters only
    os.register_at_fork(after_in_child=_running.clear)


@functools.cache
def _ruff_format() -> tuple[str, ...]:
    return (
        find_ruff_bin(),
        "format",
        "--isolated",
        "--no-cache",
        f"--line-length={LINE_LENGTH}",
        f"--target-version={TARGET_VERSION}",
    )


# A docstring ending in an (escaped) quote: black puts a space before the closing quotes, ruff
# takes it away. The generator only writes triple quotes to open and close docstrings.
_DOCSTRING_ENDING_IN_QUOTE = re.compile(r'\\""""')


def _black_docstring_endings(text: str) -> str:
    return _DOCSTRING_ENDING_IN_QUOTE.sub(lambda _: '\\" """', text)


def _parenthesize_long_unions(text: str) -> str:
    """Parentheses around each union hint too long for its line. Only the lines that hold a
    union are looked at, found from each ``" | "`` (a third of the time of going line by line
    over a 6 MB client)."""
    pieces, done, union = [], 0, text.find(" | ")
    while union != -1:
        start = text.rfind("\n", 0, union) + 1
        end = text.find("\n", union)
        end = len(text) if end == -1 else end
        if end - start > LINE_LENGTH:
            pieces += [text[done:start], _LONG_UNION_PARAMETER.sub(_parenthesized, text[start:end])]
            done = end
        union = text.find(" | ", end)
    return "".join(pieces) + text[done:]


def _parenthesized(match: re.Match[str]) -> str:
    return f"{match['head']}({match['hint']}){match['tail']}"
