# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""Modules that offer names without importing them: ``models`` and ``server`` import each model
or tag class from the module defining it when it is first asked for (PEP 562), so importing them
builds nothing."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence

__all__ = ["lazy_attributes"]


def lazy_attributes(
    module: str, sources: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``module``, offering the names of ``sources``
    (module relative to ``module``'s package → the names it defines): each is imported when first
    asked for, then kept in ``module``'s namespace."""
    namespace = sys.modules[module].__dict__
    homes = {name: source for source, names in sources.items() for name in names}

    def __getattr__(name: str) -> object:
        source = homes.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source, namespace["__package__"]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__
