"""The command line: ``icws-codegen generate | validate | check``."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__, cache
from generator.config import ANNOTATIONS, find_config
from generator.diagnostics import Diagnostic, Severity, SpecError, display_path, has_errors

# The stages are imported where they are used: a run the fingerprint shows to change nothing
# stops before importing the validator, the templates or the formatter.

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def run() -> None:
    """The command's entry point: :func:`main` without the cyclic garbage collector, then exit
    at once. A run is short and what it builds is acyclic data the collector would walk again
    and again for nothing (8% of a 1,000-operation run; the peak memory stays as it is). It
    leaves a large heap, and freeing it object by object at interpreter shutdown takes a tenth
    of a second; everything has been written, closed and flushed by then."""
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    config = find_config(Path.cwd())
    spec = Path(args.spec) if args.spec else config.spec
    out = Path(args.out) if args.out else config.out
    templates = tuple(Path(t) for t in args.templates) + config.templates
    package = args.package or config.package
    try:
        if args.command == "new-endpoint":
            return _new_endpoint(args, spec, templates)
        if args.command == "import-page":
            return _import_page(args, spec)
        if args.command == "validate":
            return _validate(spec, package)
        return _generate(spec, out, templates, package, dry_run=args.command == "check")
    except SpecError as exc:
        _report(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        print(f"{display_path(spec)}: {errors} error(s); nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS


def _new_endpoint(args: argparse.Namespace, spec: Path, templates: tuple[Path, ...]) -> int:
    from generator.tools.scaffold import NewEndpoint, ScaffoldError, scaffold

    endpoint = NewEndpoint(args.method, args.path, args.tag, args.operation_id)
    try:
        created = scaffold(spec, endpoint, templates)
    except ScaffoldError as exc:
        print(f"new-endpoint: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{display_path(created)}: written, and its line added to {display_path(spec)}")
    print("fill in what the page says, then run `make`")
    return EXIT_OK


def _import_page(args: argparse.Namespace, spec: Path) -> int:
    from generator.tools.importer import PlacementError, dropped_names, import_page, save

    page = Path(args.page)
    names = dropped_names(spec.parent / ANNOTATIONS, page.name)
    for given in args.name:
        key, _, value = given.partition("=")
        if not value:
            print(
                f"import-page: --name takes REPRESENTATION/POSITION=NAME, not {given!r}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        names[key] = value
    imported = import_page(page, names, args.operation_id, args.tag)
    _report(imported.diagnostics)
    if has_errors(imported.diagnostics):
        return EXIT_PROBLEMS
    out = Path(args.out) if args.out else None
    try:
        saved = save(imported, page, spec, out, args.force)
    except PlacementError as exc:
        print(f"import-page: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    _report(saved.diagnostics)
    endpoint = f"{imported.method.upper()} {imported.path}"
    if saved.written:
        print(f"{display_path(saved.file)}: {endpoint} written from {page.name}")
    if saved.line_added:
        print(f"{display_path(spec)}: its line added")
    if saved.tag_declared:
        print(f"{display_path(spec)}: its tag declared")
    else:
        print(f"{display_path(spec)}: has its line already")
    if saved.written:
        print("review what was written, then run `make`")
    return EXIT_OK


def _validate(spec: Path, package: str | None) -> int:
    from generator.pipeline import check_spec

    api, warnings = check_spec(spec, package)
    _report(warnings)
    print(f"{display_path(spec)}: valid, {len(api.operations)} operation(s)")
    return EXIT_OK


def _generate(
    spec: Path, out: Path, templates: tuple[Path, ...], package: str | None, *, dry_run: bool
) -> int:
    run = cache.Run(spec, out, templates, package)
    if known := cache.unchanged(run):
        for line in known.warnings:
            print(line, file=sys.stderr)
        state = "up to date" if dry_run else "0 written"
        print(f"{display_path(out)}: {state}, {known.files} unchanged (inputs as at the last run)")
        return EXIT_OK
    from generator.format import TemplateBug, format_tree
    from generator.pipeline import generate
    from generator.write import compare, write

    try:
        generated = generate(spec, templates, package, cache.FormattedFiles(run, format_tree))
    except TemplateBug as exc:
        print(f"internal error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    _report(list(generated.warnings))
    warnings = [str(w) for w in generated.warnings]
    if dry_run:
        changes = compare(out, generated.files)
        if changes.clean:
            cache.remember(run, generated.inputs, generated.files, warnings)
            print(f"{display_path(out)}: up to date ({len(changes.unchanged)} files)")
            return EXIT_OK
        for path in changes.written:
            state = "differs" if (out / path).exists() else "missing"
            print(f"{display_path(out / path)}: {state}", file=sys.stderr)
        for path in changes.removed:
            print(f"{display_path(out / path)}: no longer generated", file=sys.stderr)
        print(f"{display_path(out)} is out of date: run `make` and commit it", file=sys.stderr)
        return EXIT_PROBLEMS
    cache.forget(run)
    changes = write(out, generated.files)
    cache.remember(run, generated.inputs, generated.files, warnings)
    print(
        f"{display_path(out)}: {len(changes.written)} written, {len(changes.unchanged)} unchanged, "
        f"{len(changes.removed)} removed"
    )
    return EXIT_OK


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="icws-codegen",
        description="Generate a typed client, server stubs and docs from an OpenAPI spec.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("generate", "validate the spec, then write the output folder"),
        ("validate", "validate the spec only"),
        ("check", "fail when the output folder differs from what the spec generates"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--spec", metavar="ROOT", help="root document of the spec")
        if name != "validate":
            command.add_argument("--out", metavar="DIR", help="output folder")
        command.add_argument(
            "--templates",
            metavar="DIR",
            action="append",
            default=[],
            help="a template folder layered over the configured ones (repeatable)",
        )
        command.add_argument("--package", metavar="NAME", help="import package name to generate")
    new = commands.add_parser(
        "new-endpoint",
        help="scaffold an endpoint file and add its line to the root document",
        description="Write spec/paths/<tag>/<name>.yaml for a new endpoint, referencing the spec's "
        "shared parameters and responses, and add its one line under `paths:`.",
    )
    new.add_argument("--spec", metavar="ROOT", help="root document of the spec")
    new.add_argument("--method", required=True, help="HTTP method, e.g. POST")
    new.add_argument(
        "--path", required=True, help="path template, e.g. /icws/{sessionId}/dialer/log-off"
    )
    new.add_argument("--tag", required=True, help="the tag that groups it, e.g. dialer")
    new.add_argument("--operation-id", required=True, help="operationId, e.g. logOff")
    new.add_argument("--templates", metavar="DIR", action="append", default=[])
    page = commands.add_parser(
        "import-page",
        help="turn an ICWS documentation page into an endpoint spec file",
        description="Read one ICWS page (plain text), write its operation into its path's file "
        "and add the path's line to the root document. Names the scrape dropped come from "
        f"--name or {ANNOTATIONS} beside the root document.",
    )
    page.add_argument("page", help="the page, as plain text")
    page.add_argument("--spec", metavar="ROOT", help="root document of the spec")
    page.add_argument(
        "--out",
        metavar="FILE",
        help="the new path's file (default: its file if the root document lists the path, "
        "else a free spec/paths/<tag>/<name>.yaml)",
    )
    page.add_argument("--name", action="append", default=[], metavar="REPRESENTATION/POSITION=NAME")
    page.add_argument("--operation-id", help="operationId (default: from the path)")
    page.add_argument("--tag", help="tag (default: the path's first segment after the session)")
    page.add_argument(
        "--force", action="store_true", help="replace an existing operation, or --out file"
    )
    page.add_argument("--templates", metavar="DIR", action="append", default=[])
    parser.set_defaults(out=None, package=None)
    return parser
