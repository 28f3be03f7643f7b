"""Config: the defaults of ``[tool.icws-codegen]`` in the nearest ``pyproject.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

SECTION = "icws-codegen"
ANNOTATIONS = "import-names.yaml"
"""Beside the root document: names the scraped pages dropped, for ``import-page``."""


@dataclass(frozen=True)
class Config:
    """Where the spec, the output and the templates are; paths relative to the pyproject."""

    spec: Path
    out: Path
    templates: tuple[Path, ...]
    package: str | None = None


BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def find_config(start: Path) -> Config:
    """The config of the first ``pyproject.toml`` at or above ``start`` with our section."""
    for folder in (start.resolve(), *start.resolve().parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            with open(pyproject, "rb") as handle:
                section = tomllib.load(handle).get("tool", {}).get(SECTION)
            if section is not None:
                return _from_section(section, folder)
    return Config(
        spec=Path("spec/openapi.yaml"), out=Path("generated"), templates=(BUILTIN_TEMPLATES,)
    )


def _from_section(section: dict[str, object], base: Path) -> Config:
    templates = section.get("templates", [])
    listed = [templates] if isinstance(templates, str) else templates
    dirs = [base / str(d) for d in listed] if isinstance(listed, list) else []
    if BUILTIN_TEMPLATES not in [d.resolve() for d in dirs]:
        dirs.append(BUILTIN_TEMPLATES)
    package = section.get("package")
    return Config(
        spec=base / str(section.get("spec", "spec/openapi.yaml")),
        out=base / str(section.get("out", "generated")),
        templates=tuple(dirs),
        package=str(package) if package else None,
    )
