"""The pipeline, one stage after another: load → validate → (stop on errors) → model → render →
format. Nothing here is written to disk: the caller writes or compares what it returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, SpecError, has_errors
from generator.format import format_tree
from generator.ir.build import build
from generator.ir.nodes import Api
from generator.render.render import render
from generator.spec.load import LoadedSpec, load
from generator.spec.validate import validate
from generator.write import with_manifest


@dataclass(frozen=True)
class Generated:
    api: Api
    files: dict[str, bytes]
    """Every output file, manifest included, by path relative to the output folder."""
    warnings: tuple[Diagnostic, ...]
    inputs: dict[Path, str]
    """Every spec file read, with the SHA-256 of what was read."""


def check_spec(spec: Path, package: str | None = None) -> tuple[Api, list[Diagnostic]]:
    """Load, validate and model ``spec``; :class:`SpecError` with every problem when it is bad."""
    api, warnings, _ = _modelled(spec, package)
    return api, warnings


def generate(
    spec: Path,
    templates: Sequence[Path],
    package: str | None = None,
    formatter: Callable[[dict[str, str]], dict[str, str]] = format_tree,
) -> Generated:
    """Everything the spec generates, in memory; nothing is written. ``formatter`` formats the
    rendered files (the command line passes one that keeps what it formatted before)."""
    api, warnings, loaded = _modelled(spec, package)
    files = formatter(render(api, templates))
    return Generated(api, with_manifest(files), tuple(warnings), loaded.digests)


def _modelled(spec: Path, package: str | None) -> tuple[Api, list[Diagnostic], LoadedSpec]:
    loaded = load(spec)
    diagnostics = validate(loaded)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    api = build(loaded, package)
    return api, [*diagnostics, *api.warnings], loaded
