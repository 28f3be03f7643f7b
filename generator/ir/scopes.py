"""Python names given out in one namespace, to report two spec names that map to one."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, error
from generator.spec.load import LoadedSpec


@dataclass
class Scope:
    """One namespace (a module's classes, a class's methods, a call's arguments): each claim
    that would give a Python name already given to another spec name adds a diagnostic to
    ``problems``."""

    what: str
    spec: LoadedSpec
    problems: list[Diagnostic]
    taken: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each name given out: the spec name it was given to, and where that was written."""

    def claim(self, python_name: str, spec_name: str, pointer: str) -> bool:
        """Give ``python_name`` to ``spec_name`` (written at ``pointer``); False if taken."""
        if python_name in self.taken and self.taken[python_name][0] != spec_name:
            other, other_pointer = self.taken[python_name]
            self.problems.append(
                error(
                    "python-name",
                    f"{self.what}: {spec_name!r} and {other!r} (at "
                    f"{self.spec.locate(other_pointer)}) both become {python_name!r}",
                    self.spec.locate(pointer),
                    pointer,
                )
            )
            return False
        self.taken.setdefault(python_name, (spec_name, pointer))
        return True
