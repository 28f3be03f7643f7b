"""Python names given out in one namespace: two spec names that map to one are reported, or
told apart with a warning."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, error, warning
from generator.spec.load import LoadedSpec


@dataclass
class Scope:
    """One namespace (a module's classes, a class's methods, a call's arguments). Problems
    found while giving out names are added to ``problems``."""

    what: str
    spec: LoadedSpec
    problems: list[Diagnostic]
    taken: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each name given out: the spec name it was given to, and where that was written."""

    def claim(self, python_name: str, spec_name: str, pointer: str) -> bool:
        """Give ``python_name`` to ``spec_name`` (written at ``pointer``); when another spec
        name has it, an error, and False."""
        if self._take(python_name, spec_name, pointer):
            return True
        self.problems.append(
            error(
                "python-name",
                self._clash(python_name, spec_name),
                self.spec.locate(pointer),
                pointer,
            )
        )
        return False

    def give(self, python_name: str, spec_name: str, pointer: str) -> str:
        """``python_name`` for ``spec_name``, or, when another spec name has it, the first free
        ``python_name_2``, ``_3``..., with a warning that says which."""
        if self._take(python_name, spec_name, pointer):
            return python_name
        count = 2
        while not self._take(f"{python_name}_{count}", spec_name, pointer):
            count += 1
        chosen = f"{python_name}_{count}"
        message = f"{self._clash(python_name, spec_name)}; {spec_name!r} is {chosen!r}"
        self.problems.append(warning("python-name", message, self.spec.locate(pointer), pointer))
        return chosen

    def _take(self, python_name: str, spec_name: str, pointer: str) -> bool:
        if python_name in self.taken and self.taken[python_name][0] != spec_name:
            return False
        self.taken.setdefault(python_name, (spec_name, pointer))
        return True

    def _clash(self, python_name: str, spec_name: str) -> str:
        other, other_pointer = self.taken[python_name]
        return (
            f"{self.what}: {spec_name!r} and {other!r} (at {self.spec.locate(other_pointer)}) "
            f"both become {python_name!r}"
        )
