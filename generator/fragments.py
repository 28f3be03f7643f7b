"""Fragments: macro output kept across runs, so a spec change re-renders only what it touches.

A template writes ``{{ cached(tags.server_class, tag, options) }}`` where it would write
``{{ tags.server_class(tag, options) }}``. The macro's text is kept in the cache folder under a
digest of everything it can depend on: the macro, the source of every template and of the
generator (the filters are its code), the package versions that shape output, the escaping in
force, and the content of its arguments. That is all: a macro from a module imported without
context (``{% import "_macros/x.jinja" as x %}``) sees its arguments and nothing of the render
context, and filters are pure functions. Arguments are restricted to values whose content can be
told whole (see :func:`content`): frozen model dataclasses, tuples and plain values.

Each spec has one store of fragments (see :mod:`generator.store`).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import model
from generator.store import Store

FOLDER = "fragments"

_PLAIN = (str, int, float, bool, type(None))
_VALUES = frozenset(model.VALUES)


def content(value: object) -> str:
    """What a value a fragment may be keyed by holds (:func:`generator.model.content`: model
    objects by their digest, made once per object, a tag's from its operations').
    :class:`TypeError` for any value but model objects, tuples and plain values (an object whose
    content cannot be told whole could make two inputs share a fragment)."""
    _check(value)
    return model.content(value)


_RUNTIME_NAMES = {"concat", "missing", "undefined", "cond_expr_undefined", "environment"}
"""Free variables of every compiled macro: Jinja's own runtime, no template data."""


def _check(value: object) -> None:
    """:class:`TypeError` unless ``value`` is a model object, a plain value or a tuple of them."""
    if isinstance(value, tuple):
        for item in value:
            _check(item)
    elif type(value) not in _VALUES and type(value) not in _PLAIN:
        raise TypeError(
            f"cached(): a {type(value).__name__} cannot key a fragment; pass model objects, "
            "tuples and plain values"
        )


def _sees_only_its_arguments(macro: jinja2.runtime.Macro, seen: set[int] | None = None) -> bool:
    """Whether ``macro``'s output depends on its arguments alone, judged from what its compiled
    function closes over (Jinja 3.1): its runtime, filters and tests (``t_*``), other such
    macros, and the context of a module imported without context (whose parent holds the
    environment's globals only), along with that module's own variables. A macro of the
    template being rendered, or of a module imported with context, sees the render context."""
    seen = seen if seen is not None else set()
    if id(macro) in seen:
        return True
    seen.add(id(macro))
    function = macro._func
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or (), strict=True))
    values = {name: cell.cell_contents for name, cell in cells.items()}
    contexts = [values.get("context"), getattr(values.get("resolve"), "__self__", None)]
    present = [context for context in contexts if context is not None]
    isolated = bool(present) and all(
        isinstance(context, jinja2.runtime.Context)
        and context.parent.keys() <= context.environment.globals.keys()
        for context in present
    )
    for name, value in values.items():
        if name in _RUNTIME_NAMES or name.startswith("t_") or name in ("context", "resolve"):
            continue
        if isinstance(value, jinja2.runtime.Macro):
            if not _sees_only_its_arguments(value, seen):
                return False
        elif not (name.startswith("l_") and isolated):
            return False
    return not present or isolated


_VERDICTS: weakref.WeakKeyDictionary[jinja2.runtime.Macro, bool] = weakref.WeakKeyDictionary()


def _pure(macro: jinja2.runtime.Macro) -> bool:
    """:func:`_sees_only_its_arguments`, judged once per macro (while it lives)."""
    known = _VERDICTS.get(macro)
    if known is None:
        known = _VERDICTS[macro] = _sees_only_its_arguments(macro)
    return known


class Fragments:
    """The fragments of one spec's outputs, kept in a :class:`~generator.store.Store` (read
    before rendering forks, so that every worker shares it; saved by the rendering parent).

    Keying a fragment costs the digests of its arguments: about 0.2 s of CPU for 1,000
    operations modelled afresh, next to nothing for those the journals kept (they keep their
    digests: see :mod:`generator.journal`). For a spec's first run on a cache folder, which
    keeps nothing, or without a store, every fragment is rendered afresh (its arguments still
    checked)."""

    def __init__(self, store: Store[tuple[str, bool]] | None = None) -> None:
        self.store: Store[tuple[str, bool]] = store or Store()

    @classmethod
    def of(cls, spec: Path, template_dirs: Sequence[Path]) -> Fragments:
        return cls(Store.of(FOLDER, spec, template_dirs))

    @jinja2.pass_eval_context
    def cached(self, eval_context: jinja2.nodes.EvalContext, macro: Any, *args: Any) -> str:
        """``macro(*args)``, from the store when an earlier run rendered it with the same
        arguments (the ``cached`` template global)."""
        if not isinstance(macro, jinja2.runtime.Macro) or not _pure(macro):
            raise TypeError(
                f"cached(): {macro!r} is not a macro from a module imported without context "
                "(only such a macro's output depends on its arguments alone)"
            )
        if not self.store.active:
            _check(args)
            return macro(eval_context, *args)
        key = self.store.key(
            macro._func.__code__.co_filename.encode(),
            macro.name.encode(),
            b"%d" % eval_context.autoescape,
            content(args).encode("utf-8", "surrogatepass"),
        )
        found = self.store.get(key)
        if found is None:
            text = macro(eval_context, *args)
            found = (str(text), isinstance(text, Markup))
        self.store.keep(key, found)
        return Markup(found[0]) if found[1] else found[0]
