"""Format: black, in process, for every Python file the templates produced."""

from __future__ import annotations

import black
from black.mode import TargetVersion

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=100)


class TemplateBug(Exception):
    """A template produced Python that does not parse: a generator bug, not a spec problem."""


def format_outputs(outputs: dict[str, str]) -> dict[str, str]:
    return {path: format_file(path, text) for path, text in outputs.items()}


def format_file(path: str, text: str) -> str:
    if not path.endswith((".py", ".pyi")):
        return text
    try:
        return black.format_str(text, mode=MODE)
    except black.parsing.InvalidInput as exc:
        raise TemplateBug(f"{path}: the rendered template is not valid Python: {exc}") from exc
