"""Diagnostics: what is wrong with a spec, where it was written, and which rule says so."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: 1-based line and column."""

    file: Path
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a spec."""

    severity: Severity
    rule: str
    message: str
    location: Location | None = None
    pointer: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        at = f" (at #{self.pointer})" if self.pointer else ""
        return f"{where}{self.severity.value}: {self.message} [{self.rule}]{at}"

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (
            str(loc.file) if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.rule,
            self.message,
        )


def error(
    rule: str, message: str, location: Location | None = None, pointer: str = ""
) -> Diagnostic:
    return Diagnostic(Severity.ERROR, rule, message, location, pointer)


def warning(
    rule: str, message: str, location: Location | None = None, pointer: str = ""
) -> Diagnostic:
    return Diagnostic(Severity.WARNING, rule, message, location, pointer)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


class SpecError(Exception):
    """Raised by a stage when the spec cannot go further; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: d.sort_key)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else as given."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
