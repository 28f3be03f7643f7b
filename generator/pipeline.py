"""The pipeline: load → validate → model → render → format, then write or compare.

Formatting starts on each file as soon as it is rendered, while the rest render."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator import fork
from generator.diagnostics import Diagnostic, SpecError, has_errors
from generator.format import formats, start_formatting
from generator.fragments import Fragments
from generator.journal import journals_of
from generator.load import LoadedSpec, load
from generator.model import Api, build
from generator.render import compile_templates, render, uncompiled
from generator.validate import validate
from generator.write import with_manifest

T = TypeVar("T")


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
    (api, _), diagnostics, _ = _checked(spec, package, lambda api, kept: None)
    return api, diagnostics


def _checked(
    spec: Path, package: str | None, then: Callable[[Api, float], T]
) -> tuple[tuple[Api, T], list[Diagnostic], LoadedSpec]:
    """Load, then validate beside the rest: the model is built (with the operations journalled
    by earlier runs), and ``then`` done with it and the share of its operations taken from the
    journals, while the validator (in a forked process, for a large spec) makes up its mind;
    both are used, and the journals kept, only if the spec is valid. Work on an invalid spec
    may fail in any way; the verdict wins."""
    loaded = load(spec)
    verdict = _validate_beside(loaded)
    journals = journals_of(spec)
    done: tuple[Api, T] | None = None
    failure: BaseException | None = None
    try:
        api = build(loaded, package, journals)
        done = (api, then(api, journals.found_share()))
    except Exception as exc:
        failure = exc
    diagnostics = verdict()
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    if isinstance(failure, SpecError):
        raise SpecError(diagnostics + failure.diagnostics) from None
    if failure is not None:
        raise failure
    assert done is not None
    journals.save()
    return done, diagnostics, loaded


PARALLEL_FROM_PATHS = 50
"""From this many paths on, validation runs in a forked process beside the model's build."""


def _validate_beside(loaded: LoadedSpec) -> Callable[[], list[Diagnostic]]:
    """Start validating ``loaded``; the function returned waits for, and returns, the verdict."""
    paths = loaded.document.get("paths")
    if not fork.AVAILABLE or not isinstance(paths, dict) or len(paths) < PARALLEL_FROM_PATHS:
        diagnostics = validate(loaded)
        return lambda: diagnostics
    verdict = fork.beside(lambda: validate(loaded))

    def wait() -> list[Diagnostic]:
        diagnostics = verdict()
        return diagnostics if diagnostics is not None else validate(loaded)

    return wait


MOSTLY_KEPT = 0.9
"""From this share of operations journalled by an earlier run on, their fragments are expected
kept too, and rendering starts in one process (see :func:`generator.render.render`)."""


def generate(spec: Path, templates: Sequence[Path], package: str | None = None) -> Generated:
    """Everything the spec generates, in memory; nothing is written. Templates compiled neither
    at set-up nor in the cache folder (edited since) are compiled into the cache folder by
    forked processes, up to one per CPU, while the spec is read; rendering goes on while the
    spec is validated."""
    missing = uncompiled(templates) if fork.AVAILABLE else []
    shares = min(os.cpu_count() or 1, len(missing))
    compiling = [
        fork.beside(functools.partial(compile_templates, templates, missing[share::shares]))
        for share in range(shares)
    ]
    try:
        (api, outputs), warnings, loaded = _checked(
            spec,
            package,
            lambda api, kept: render(
                api,
                templates,
                finish=start_formatting,
                finish_early=formats,
                fragments=Fragments.of(spec, templates),
                mostly_kept=kept >= MOSTLY_KEPT,
            ),
        )
    finally:
        for compiled in compiling:
            compiled()
    return Generated(api, with_manifest(outputs), tuple(warnings), loaded.digests)
