"""Render: Jinja2 templates → ``{relative output path: text}``, without touching the disk.

The template tree mirrors the output tree: ``templates/{package}/models.py.jinja`` renders to
``<package>/models.py``. Folders whose names start with ``_`` hold shared macros and render nothing
themselves. Several template folders can be layered: the first that has a
template wins.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import textwrap
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2

from generator import fork
from generator.fingerprint import cache_folder
from generator.fragments import Fragments
from generator.model import Api
from generator.store import Usage

SUFFIX = ".jinja"
LINE_LENGTH = 100


def environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        # Real paths: a compiled template is found by its file's path, however the folder was
        # spelled (``make`` compiles the built-in ones by their real path).
        loader=jinja2.FileSystemLoader([os.path.realpath(d) for d in template_dirs]),
        bytecode_cache=_bytecode_cache(),
        auto_reload=False,  # one run, one version of each template: no stat per page rendered
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
    return env


COMPILED_AT_SETUP = Path(__file__).resolve().parent / "__pycache__" / "templates"
"""Templates compiled when the generator is set up (``make``, as Python modules are compiled
when a package is installed): where the cache folder has not compiled a template, it is read
from here."""


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the user's cache folder, else those compiled at set-up (each
    keyed by the template's file and checked against its source, so a stale one is not used)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.at_setup = jinja2.FileSystemBytecodeCache(str(COMPILED_AT_SETUP))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is None:
            self.at_setup.load_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_folder() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(folder)


def compile_at_setup(template_dirs: Sequence[Path]) -> None:
    """Compile every template of ``template_dirs`` into :data:`COMPILED_AT_SETUP`."""
    COMPILED_AT_SETUP.mkdir(parents=True, exist_ok=True)
    compile_templates(template_dirs, into=jinja2.FileSystemBytecodeCache(str(COMPILED_AT_SETUP)))


Finisher = Callable[[str, str], Callable[[], str]]
"""Work started on each file as soon as it is rendered (its path and text), such as formatting,
going on while rendering does; the function it returns gives the file's final text."""


def as_rendered(path: str, text: str) -> Callable[[], str]:
    """The :data:`Finisher` that keeps each file as rendered."""
    return lambda: text


def render(
    api: Api,
    template_dirs: Sequence[Path],
    workers: int | None = None,
    finish: Finisher = as_rendered,
    finish_early: Callable[[str], bool] = lambda path: False,
    fragments: Fragments | None = None,
    mostly_kept: bool = False,
) -> dict[str, str]:
    """Every output file's text (after ``finish``), keyed by its path relative to the output
    folder.

    Templates call macros through ``cached(macro, *args)``; with ``fragments``, their output is
    kept across runs (see :mod:`generator.fragments`), else rendered afresh.

    A template whose path holds ``{operation}`` or ``{model}`` renders once per operation or per
    model (with it in the context as ``operation`` and ``tag``, or ``model``), named by its slug.
    A large API is rendered by ``workers`` processes (default: one per CPU) forked from this one,
    heaviest files first and, among equals, those ``finish_early`` names (so that finishing them
    overlaps rendering the rest). When the caller expects the fragments ``mostly_kept`` (an
    earlier run made nearly all of them), this process starts alone and forks the others only
    if its pace says the rest would take longer than :data:`HELP_FROM` seconds: where most
    output comes from the store, a fork saves no time and costs CPU.
    """
    env = environment(template_dirs)
    jobs: list[_Job] = []
    for name in sorted(env.list_templates(filter_func=_renders)):
        path = output_path(name, api)
        placeholder = next((p for p in _COLLECTIONS if p in path), None)
        if placeholder is None:
            weight = len(api.operations) + len(api.all_models) + finish_early(path)
            jobs.append(_Job(path, name, {}, weight))
            continue
        for slug, context in _COLLECTIONS[placeholder](api):
            jobs.append(_Job(_checked(path.replace(placeholder, slug)), name, context))
    fragments = fragments or Fragments()
    env.globals["cached"] = fragments.cached
    workers = workers or os.cpu_count() or 1
    if workers < 2 or not fork.AVAILABLE or len(jobs) < PARALLEL_FROM_JOBS:
        outputs = _render_jobs(env, api, jobs, finish)
    else:
        outputs = _render_forked(env, api, jobs, workers, finish, fragments, mostly_kept)
    fragments.store.save()
    return outputs


def uncompiled(template_dirs: Sequence[Path]) -> list[str]:
    """The templates that neither the cache folder nor the set-up holds compiled from their
    present source, largest first."""
    env = environment(template_dirs)
    assert env.loader is not None
    cache = env.bytecode_cache
    sizes = {}
    for name in _templates(env):
        source, filename, _ = env.loader.get_source(env, name)
        if cache is None or cache.get_bucket(env, name, filename or name, source).code is None:
            sizes[name] = len(source)
    return sorted(sizes, key=lambda name: -sizes[name])


def compile_templates(
    template_dirs: Sequence[Path],
    names: Sequence[str] | None = None,
    into: jinja2.BytecodeCache | None = None,
) -> None:
    """Compile the templates ``names`` (default: all) into the cache folder (see
    :func:`_bytecode_cache`), or ``into`` another, so that rendering starts at once: done beside
    loading and modelling, for those :func:`uncompiled` names."""
    env = environment(template_dirs)
    env.bytecode_cache = into or env.bytecode_cache
    for name in _templates(env) if names is None else names:
        env.get_template(name)


def _templates(env: jinja2.Environment) -> list[str]:
    """Every template of ``env``'s folders, shared macros included."""
    return env.list_templates(filter_func=lambda name: name.endswith(SUFFIX))


PARALLEL_FROM_JOBS = 200
"""Below this many output files, forking costs more than it saves."""

HELP_FROM = 1.5
"""Seconds of rendering left (by the pace so far) from which a process that started alone forks
its helpers. Forked processes copy the model's memory page by page as they touch it: with most
fragments kept (one endpoint changed, 1,000 operations), one process renders in the same wall
time as two (1.07 s against 1.05 s, medians of 12) with 0.3 s less CPU. The pace of the first,
heaviest, job overstates the rest (it computes what they share): 0.6-1.1 s for those 0.7 s of
Jinja, against 4.5 s where fragments are made afresh."""


@dataclass(frozen=True)
class _Job:
    path: str
    template: str
    context: dict[str, object]
    weight: int = 1
    """Roughly how long it renders, relative to one endpoint's page."""


def _render_jobs(
    env: jinja2.Environment, api: Api, jobs: Sequence[_Job], finish: Finisher
) -> dict[str, str]:
    pending = {job.path: finish(job.path, _render_one(env, api, job)) for job in jobs}
    return {path: finished() for path, finished in pending.items()}


def _render_one(env: jinja2.Environment, api: Api, job: _Job) -> str:
    return env.get_template(job.template).render(api=api, **job.context)


def _render_forked(
    env: jinja2.Environment,
    api: Api,
    jobs: Sequence[_Job],
    workers: int,
    finish: Finisher,
    fragments: Fragments,
    alone_first: bool,
) -> dict[str, str]:
    """``jobs`` shared out between this process and ``workers - 1`` forked children: each takes
    the next job from a shared counter (heaviest first), and sends back the fragments it used.
    The children are forked at once, or, ``alone_first``, once this process's pace says the
    jobs left would take more than :data:`HELP_FROM` seconds. A child that fails has its jobs
    redone here."""
    import multiprocessing

    ordered = sorted(jobs, key=lambda j: -j.weight)
    for name in {job.template for job in jobs}:
        env.get_template(name)  # compiled once, here, before the children are forked
    fragments.store.read()  # likewise
    counter = multiprocessing.get_context("fork").Value("l", 0)
    children: list[Callable[[], tuple[dict[str, str], Usage[tuple[str, bool]]] | None]] = []

    def take_jobs(pace: Callable[[int, float], None] | None = None) -> dict[str, str]:
        pending: dict[str, Callable[[], str]] = {}
        while True:
            with counter.get_lock():
                index = counter.value
                counter.value += 1
            if index >= len(ordered):
                return {path: finished() for path, finished in pending.items()}
            job = ordered[index]
            started = time.perf_counter()
            pending[job.path] = finish(job.path, _render_one(env, api, job))
            if pace is not None:
                pace(job.weight, time.perf_counter() - started)

    def take_jobs_beside() -> tuple[dict[str, str], Usage[tuple[str, bool]]]:
        return take_jobs(), fragments.store.usage()

    def fork_helpers() -> None:
        children.extend(fork.beside(take_jobs_beside) for _ in range(workers - 1))

    left, done, spent = sum(job.weight for job in ordered), 0, 0.0

    def pace(weight: int, seconds: float) -> None:
        """Fork the helpers once the jobs left would take more than HELP_FROM seconds here."""
        nonlocal left, done, spent
        left, done, spent = left - weight, done + weight, spent + seconds
        if not children and spent / done * left > HELP_FROM:
            fork_helpers()

    if not alone_first:
        fork_helpers()
    outputs = take_jobs(pace if alone_first else None)
    for child in children:
        rendered, usage = child() or ({}, (set(), {}))
        outputs.update(rendered)
        fragments.store.merge(usage)
    missing = [job for job in jobs if job.path not in outputs]
    outputs.update(_render_jobs(env, api, missing, finish))
    return {job.path: outputs[job.path] for job in jobs}


def _per_operation(api: Api) -> list[tuple[str, dict[str, object]]]:
    return [(op.slug, {"operation": op, "tag": tag}) for tag in api.tags for op in tag.operations]


def _per_model(api: Api) -> list[tuple[str, dict[str, object]]]:
    return [(model.name, {"model": model}) for model in api.all_models]


_COLLECTIONS: dict[str, Callable[[Api], list[tuple[str, dict[str, object]]]]] = {
    "{operation}": _per_operation,
    "{model}": _per_model,
}


def _renders(name: str) -> bool:
    folders = name.split("/")[:-1]
    return name.endswith(SUFFIX) and not any(folder.startswith("_") for folder in folders)


def output_path(template_name: str, api: Api) -> str:
    """Where a template's output goes: ``{package}`` filled, the ``.jinja`` suffix dropped."""
    return _checked(template_name[: -len(SUFFIX)].replace("{package}", api.package))


def _checked(path: str) -> str:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise ValueError(f"{path!r} would be written outside the output folder")
    return str(pure)


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
    """``textwrap.wrap(text, width, break_long_words=False)``, at once for text that fits as it
    is (most descriptions): no longer than ``width``, no tab or line break (made spaces), and no
    whitespace at the end (dropped)."""
    if not text:
        return []
    if len(text) <= width and not text[-1].isspace() and not _TABS_AND_BREAKS.search(text):
        return [text]
    return textwrap.wrap(text, width, break_long_words=False)


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
