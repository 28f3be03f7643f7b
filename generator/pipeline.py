"""The pipeline: load → validate → model → render → format, then write or compare."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, SpecError, has_errors
from generator.format import format_outputs
from generator.load import LoadedSpec, load
from generator.model import Api, build
from generator.render import render
from generator.validate import validate
from generator.write import with_manifest


@dataclass(frozen=True)
class Generated:
    api: Api
    files: dict[str, bytes]
    """Every output file, manifest included, by path relative to the output folder."""
    warnings: tuple[Diagnostic, ...]
    inputs: tuple[Path, ...]
    """Every spec file read."""


def check_spec(spec: Path, package: str | None = None) -> tuple[Api, list[Diagnostic]]:
    """Load, validate and model ``spec``; :class:`SpecError` with every problem when it is bad."""
    api, diagnostics, _ = _checked(spec, package)
    return api, diagnostics


def _checked(spec: Path, package: str | None) -> tuple[Api, list[Diagnostic], LoadedSpec]:
    loaded = load(spec)
    diagnostics = validate(loaded)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    try:
        api = build(loaded, package)
    except SpecError as exc:
        raise SpecError(diagnostics + exc.diagnostics) from None
    return api, diagnostics, loaded


def generate(spec: Path, templates: Sequence[Path], package: str | None = None) -> Generated:
    """Everything the spec generates, in memory; nothing is written."""
    api, warnings, loaded = _checked(spec, package)
    files = with_manifest(format_outputs(render(api, templates)))
    return Generated(api, files, tuple(warnings), loaded.files)
