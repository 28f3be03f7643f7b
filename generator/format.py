"""Format: every Python file the templates produced, in black's style.

The formatter is ruff's (``ruff format``, black-compatible and two orders of magnitude faster
than black on large outputs), called once over the whole tree. Black stays the reference: the
tests check that black leaves the generated tree, and fuzzed trees, unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import unicodedata
from collections import defaultdict
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


def formats(path: str) -> bool:
    """Whether the file at ``path`` is one this stage formats."""
    return path.endswith(PYTHON_SUFFIXES)


def format_tree(files: dict[str, str]) -> dict[str, str]:
    """Every file of ``files``, its Python files formatted by one ``ruff format`` call over a
    temporary copy of them; :class:`TemplateBug` when one is not Python."""
    python = [path for path in files if formats(path)]
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="icws-codegen-format-") as folder:
        root = Path(folder)
        for path in python:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_parenthesize_long_unions(files[path]), "utf-8")
        done = subprocess.run(
            [
                find_ruff_bin(),
                "format",
                "--isolated",
                "--no-cache",
                f"--line-length={LINE_LENGTH}",
                f"--target-version={TARGET_VERSION}",
                ".",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            message = done.stderr.strip() or "ruff format failed"
            raise TemplateBug(f"a rendered template is not valid Python: {message}")
        _escape_ambiguous_characters(root)
        formatted = {
            path: _black_docstring_endings((root / path).read_text("utf-8")) for path in python
        }
    return {path: formatted.get(path, text) for path, text in files.items()}


# A docstring ending in an (escaped) quote: black puts a space before the closing quotes, ruff
# takes it away. The generator only writes triple quotes to open and close docstrings.
_DOCSTRING_ENDING_IN_QUOTE = re.compile(r'\\""""')


def _escape_ambiguous_characters(root: Path) -> None:
    """Spec text may hold characters a reader takes for others (an en dash for a hyphen, a
    Cyrillic a for a Latin one), which linters refuse in strings, docstrings and comments (ruff's
    RUF001-RUF003). Each one ruff finds in the tree below ``root`` is written as its ``\\N{NAME}``
    escape: the same text at run time (in a regular expression too), plain ASCII in the file."""
    done = subprocess.run(
        [
            *(find_ruff_bin(), "check", "--isolated", "--no-cache", "--exit-zero"),
            *("--select=RUF001,RUF002,RUF003", "--output-format=json", "."),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    places: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for found in json.loads(done.stdout or "[]"):
        places[found["filename"]].add((found["location"]["row"], found["location"]["column"]))
    for filename, spots in places.items():
        path = Path(filename)
        lines = path.read_text("utf-8").split("\n")
        for row, column in sorted(spots, reverse=True):
            line = lines[row - 1]
            char = line[column - 1]
            lines[row - 1] = line[: column - 1] + f"\\N{{{unicodedata.name(char)}}}" + line[column:]
        path.write_text("\n".join(lines), "utf-8")


def _black_docstring_endings(text: str) -> str:
    return _DOCSTRING_ENDING_IN_QUOTE.sub(lambda _: '\\" """', text)


def _parenthesize_long_unions(text: str) -> str:
    """Parentheses around each union hint too long for its line (only lines holding a union
    are looked at)."""
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
