"""Format: every Python file the templates produced, in black's style.

The formatter is ruff's (``ruff format``, black-compatible and two orders of magnitude faster
than black on large outputs), run once over all the Python files together. Black stays the
reference: the tests check that black leaves the generated tree, and fuzzed trees, unchanged.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

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


def format_outputs(outputs: dict[str, str]) -> dict[str, str]:
    """``outputs`` with every Python file formatted; other files are kept as they are."""
    python = [path for path in outputs if path.endswith(PYTHON_SUFFIXES)]
    if not python:
        return dict(outputs)
    with tempfile.TemporaryDirectory(prefix="icws-codegen-format-") as folder:
        root = Path(folder)
        for index, path in enumerate(python):
            # Flat, numbered names: a path from the spec never reaches the file system here.
            text = _parenthesize_long_unions(outputs[path])
            (root / f"{index}{Path(path).suffix}").write_text(text, "utf-8")
        result = _ruff_format([str(root)])
        if result.returncode:
            raise TemplateBug(_failure(result.stderr, root, python))
        formatted = {
            path: _black_docstring_endings(
                (root / f"{index}{Path(path).suffix}").read_text("utf-8")
            )
            for index, path in enumerate(python)
        }
    return {path: formatted.get(path, text) for path, text in outputs.items()}


def format_file(path: str, text: str) -> str:
    """One file, formatted as :func:`format_outputs` would."""
    return format_outputs({path: text})[path]


# A docstring ending in an (escaped) quote: black puts a space before the closing quotes, ruff
# takes it away. The generator only writes triple quotes to open and close docstrings.
_DOCSTRING_ENDING_IN_QUOTE = re.compile(r'\\""""')


def _black_docstring_endings(text: str) -> str:
    return _DOCSTRING_ENDING_IN_QUOTE.sub(lambda _: '\\" """', text)


def _parenthesize_long_unions(text: str) -> str:
    """Parentheses around each union hint too long for its line (only long lines are tried)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if len(line) > LINE_LENGTH and " | " in line:
            lines[index] = _LONG_UNION_PARAMETER.sub(_parenthesized, line)
    return "\n".join(lines)


def _parenthesized(match: re.Match[str]) -> str:
    return f"{match['head']}({match['hint']}){match['tail']}"


def _ruff_format(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            find_ruff_bin(),
            "format",
            "--isolated",
            "--no-cache",
            f"--line-length={LINE_LENGTH}",
            f"--target-version={TARGET_VERSION}",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _failure(stderr: str, root: Path, python: list[str]) -> str:
    """ruff's complaint, with our numbered file names put back to the generated paths."""
    message = stderr.strip() or "ruff format failed"
    for index, path in sorted(enumerate(python), reverse=True):
        message = message.replace(str(root / f"{index}{Path(path).suffix}"), path)
    return f"the rendered template is not valid Python: {message}"
