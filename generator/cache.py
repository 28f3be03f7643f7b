"""Speed at the edges of the pipeline, and nowhere else: the two caches, in the user's cache
folder (``$ICWS_CODEGEN_CACHE``, else ``$XDG_CACHE_HOME/icws-codegen``, else
``~/.cache/icws-codegen``). Losing them costs one full run, nothing else; no stage knows them.

The fingerprint (before the pipeline): after a run, a fingerprint records the content hash of every input (each spec file the loader
read, each template, the generator's own code, and the versions of the packages that shape the
output) and the size and mtime of every output file. A later run with the same inputs, on an
output folder nobody touched since, can only write the same files: it stops there, without
importing the validator, the templates or the formatter.

Formatted files (between rendering and formatting): each output file as the formatter left it,
keyed by its path and a digest of its rendered text, so that a run formats only the files whose
rendering changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import orjson

from generator import __version__

GENERATOR = Path(__file__).resolve().parent
PACKAGES_THAT_SHAPE_OUTPUT = (
    "jinja2",
    "pyyaml",
    "openapi-spec-validator",
    "jsonschema-rs",
    "ruff",
    "orjson",
)


@dataclass(frozen=True)
class Run:
    """What one run reads: the spec, the output folder, the templates and the package name."""

    spec: Path
    out: Path
    templates: tuple[Path, ...]
    package: str | None

    @property
    def key(self) -> str:
        parts = [str(self.spec.resolve()), str(self.out.resolve()), str(self.package)]
        parts += [str(t.resolve()) for t in self.templates]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Unchanged:
    """A run known to change nothing: how many files it would leave, what it warned about."""

    files: int
    warnings: tuple[str, ...]


def cache_folder() -> Path:
    if explicit := os.environ.get("ICWS_CODEGEN_CACHE"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "icws-codegen"


def unchanged(run: Run) -> Unchanged | None:
    """The earlier run's result when ``run`` would change nothing; ``None`` when it might."""
    try:
        record = orjson.loads((cache_folder() / f"{run.key}.json").read_bytes())
        if record["environment"] != environment():
            return None
        if any(_digest(Path(p)) != digest for p, digest in record["inputs"].items()):
            return None
        if template_files(run.templates) != set(record["templates"]):
            return None
        if _output_state(run.out, record["outputs"]) != record["outputs"]:
            return None
        return Unchanged(len(record["outputs"]), tuple(record["warnings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(
    run: Run, spec_files: Mapping[Path, str], outputs: Iterable[str], warnings: Sequence[str]
) -> None:
    """Record ``run``'s inputs (the spec files with the digests of what was read, so that a
    file edited during the run is seen as changed next time) and the output folder as it now
    is; best effort."""
    templates = template_files(run.templates)
    inputs: dict[str, str | None] = {_absolute(p): d for p, d in spec_files.items()}
    inputs.update({p: _digest(Path(p)) for p in sorted(templates)})
    inputs.update({str(p): _digest(p) for p in sorted(GENERATOR.rglob("*.py"))})
    record = {
        "environment": environment(),
        "inputs": inputs,
        "templates": sorted(templates),
        "outputs": _output_state(run.out, {name: None for name in outputs}),
        "warnings": list(warnings),
    }
    _replace(cache_folder() / f"{run.key}.json", orjson.dumps(record))


def forget(run: Run) -> None:
    """Drop ``run``'s fingerprint (its output is about to change)."""
    (cache_folder() / f"{run.key}.json").unlink(missing_ok=True)


@functools.cache
def environment() -> list[str]:
    """This generator's version and those of the packages that shape its output."""
    versions = []
    for package in PACKAGES_THAT_SHAPE_OUTPUT:
        try:
            versions.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return [f"icws-codegen=={__version__}", *versions]


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _absolute(path: Path | str) -> str:
    return os.path.abspath(path)


def template_files(folders: Sequence[Path]) -> set[str]:
    """Every file in the template folders, by absolute path."""
    return {
        _absolute(os.path.join(root, name))
        for folder in folders
        for root, _, names in os.walk(folder)
        for name in names
        if "__pycache__" not in root
    }


def _output_state(out: Path, outputs: dict[str, object]) -> dict[str, object]:
    """Size and modification time of each output file (``None`` when it is missing)."""
    state: dict[str, object] = {}
    folder = str(out)
    for name in outputs:
        try:
            info = os.stat(os.path.join(folder, name), follow_symlinks=False)
            state[name] = [info.st_size, info.st_mtime_ns, info.st_ino]
        except OSError:
            state[name] = None
    return state


Formatter = Callable[[dict[str, str]], dict[str, str]]


@dataclass(frozen=True)
class FormattedFiles:
    """A formatter of Python files that formats (with ``format_files``) only those the last run
    of ``run`` did not, then keeps what this run made; best effort."""

    run: Run
    format_files: Formatter

    def __call__(self, rendered: dict[str, str]) -> dict[str, str]:
        from generator.format import formats

        path = cache_folder() / "formatted" / f"{self.run.key}.json"
        try:
            record = orjson.loads(path.read_bytes())
            known = record["files"] if record["environment"] == environment() else {}
        except (OSError, ValueError, KeyError, TypeError):
            known = {}
        keys = {name: _text_digest(name, text) for name, text in rendered.items() if formats(name)}
        missing = {name: rendered[name] for name, key in keys.items() if key not in known}
        made = self.format_files(missing) if missing else {}
        formatted = {
            name: made[name] if name in made else known[keys[name]] if name in keys else text
            for name, text in rendered.items()
        }
        if missing:
            files = {key: formatted[name] for name, key in keys.items()}
            _replace(path, orjson.dumps({"environment": environment(), "files": files}))
        return formatted


def _text_digest(name: str, text: str) -> str:
    return hashlib.sha256(f"{name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all; best effort."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        pass
