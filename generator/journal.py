"""Journal: operations modelled by an earlier run, reused while nothing they read has changed.

Modelling an operation reads two things. The document: its own path item, and everything outside
``paths`` (the components, security, root extensions); both make its key. And the state the
builder shares between operations (the models that titled inline schemas name, session fields,
shared responses, error statuses...), which the operations modelled before it wrote.

While an operation is modelled, its journal records every first read of that shared state (what
it found there, or that there was nothing) and every write (the value). A later run finds the
journal by the operation's key; when every recorded read finds the same again, it replays the
writes and takes the operation from the store instead of modelling it (modelling is
deterministic: the same document and the same reads make the same operation and writes).

A read is answered by the value found (by content: model objects by their digest, made from
all their fields). An entry written outside any journal (from the components, before the
operations) is answered :data:`GLOBAL` instead, at no cost: every key holds the document outside
``paths``, so such entries are the same whenever a key matches. That is why, while journals are
kept, every operation is journalled, even one whose journal cannot be kept (a path item that
refers into ``paths``): what it writes must be answered by value too.

Each spec has one store of journals (see :mod:`generator.store`), keyed by operation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, ItemsView, Iterator, KeysView, ValuesView
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from generator.store import Store

FOLDER = "operations"
"""The cache folder's folder of journals."""

GLOBAL = b"global"
"""What a read finds in an entry written outside any journal."""

_ABSENT = b"absent"
_OWN = b"own"
_JOURNALLED = b"journalled"
_ALL = ("*",)
"""The key of a read of a whole table (its iteration)."""

Observe = Callable[[Any], Any]
"""A value's content, as a read records it: equal for equal values, and cheap to compare."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class Journal:
    """What one operation's modelling read of the shared state and wrote there."""

    reads: dict[tuple[str, Hashable], Any] = field(default_factory=dict)
    writes: dict[tuple[str, Hashable], Any] = field(default_factory=dict)

    def read(self, table: Shared[Any, Any], key: Any) -> None:
        if (table.name, key) not in self.writes and (table.name, key) not in self.reads:
            self.reads[(table.name, key)] = table.found(key)

    def read_all(self, table: Shared[Any, Any]) -> None:
        if (table.name, _ALL) not in self.reads:
            self.reads[(table.name, _ALL)] = table.listing(self)


@dataclass(frozen=True)
class Entry:
    """A journal as kept: its reads and writes, and the operation it modelled."""

    reads: tuple[tuple[tuple[str, Hashable], Any], ...]
    writes: tuple[tuple[tuple[str, Hashable], Any], ...]
    operation: Any


class Recorder:
    """The journal open now, if any, for the shared tables of one build."""

    def __init__(self, observe: Observe) -> None:
        self.observe = observe
        self.journal: Journal | None = None
        self.tables: dict[str, Shared[Any, Any]] = {}

    def table(self, name: str) -> Shared[Any, Any]:
        table: Shared[Any, Any] = Shared(name, self)
        self.tables[name] = table
        return table

    @contextlib.contextmanager
    def recording(self) -> Iterator[Journal]:
        """Record into a new journal while the block runs."""
        journal = self.journal = Journal()
        try:
            yield journal
        finally:
            self.journal = None
            for name, written in journal.writes:
                self.tables[name].writers[written] = _JOURNALLED

    def answers(self, entry: Entry) -> bool:
        """Whether every read ``entry`` recorded gets the same answer now."""
        for (name, key), answer in entry.reads:
            table = self.tables[name]
            if key == _ALL:
                # Entries the journal had written itself (new ones: at the end) are not there
                # yet; one it had overwritten is there, and makes the listings differ.
                now = table.listing(None)
                answer = tuple(item for item in answer if item[1] != _OWN)
            else:
                now = table.found(key)
            if now != answer:
                return False
        return True

    def replay(self, entry: Entry) -> None:
        """Write what ``entry`` wrote, as written by it."""
        for (name, key), value in entry.writes:
            table = self.tables[name]
            dict.__setitem__(table, key, value)
            table.writers[key] = _JOURNALLED


class Shared(dict[K, V], Generic[K, V]):
    """A table of the builder's shared state: a dict whose reads and writes the open journal
    records, and which knows whether each entry was written outside any journal."""

    def __init__(self, name: str, recorder: Recorder) -> None:
        super().__init__()
        self.name = name
        self.recorder = recorder
        self.writers: dict[K, Any] = {}

    def found(self, key: K) -> Any:
        """What a read of ``key`` finds, as a journal records it."""
        writer = self.writers.get(key, _ABSENT)
        if writer is GLOBAL or writer is _ABSENT:
            return writer
        return self.recorder.observe(super().__getitem__(key))

    def listing(self, journal: Journal | None) -> tuple[tuple[Hashable, Any], ...]:
        """What a read of every entry finds, in order; ``journal``'s own writes as such."""
        own = journal.writes if journal is not None else {}
        return tuple(
            (key, _OWN if (self.name, key) in own else self.found(key)) for key in self.writers
        )

    def _read(self, key: K) -> None:
        journal = self.recorder.journal
        if journal is not None:
            journal.read(self, key)

    def _read_all(self) -> None:
        journal = self.recorder.journal
        if journal is not None:
            journal.read_all(self)

    def __getitem__(self, key: K) -> V:
        self._read(key)
        return super().__getitem__(key)

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        self._read(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._read(key)  # type: ignore[arg-type]
        return super().__contains__(key)

    def setdefault(self, key: K, default: V = None) -> V:  # type: ignore[assignment]
        if key in self:
            return super().__getitem__(key)
        self[key] = default
        return default

    def __setitem__(self, key: K, value: V) -> None:
        journal = self.recorder.journal
        if journal is None:
            self.writers[key] = GLOBAL
        else:
            journal.writes[(self.name, key)] = value
            self.writers[key] = _OWN
        super().__setitem__(key, value)

    def __iter__(self) -> Iterator[K]:
        self._read_all()
        return super().__iter__()

    def keys(self) -> KeysView[K]:  # type: ignore[override]
        self._read_all()
        return super().keys()

    def values(self) -> ValuesView[V]:  # type: ignore[override]
        self._read_all()
        return super().values()

    def items(self) -> ItemsView[K, V]:  # type: ignore[override]
        self._read_all()
        return super().items()

    def __len__(self) -> int:
        self._read_all()
        return super().__len__()

    def _unjournalled(self, *args: Any, **kwargs: Any) -> Any:
        """What a journal could not record (C-level reads of the whole dict, removals): refused,
        so that new builder code cannot bypass the journals by accident."""
        raise TypeError(f"the shared table {self.name!r} takes only journalled reads and writes")

    __delitem__ = pop = popitem = clear = update = copy = _unjournalled
    __or__ = __ror__ = __ior__ = __eq__ = __ne__ = __reduce__ = __reduce_ex__ = _unjournalled
    __hash__ = None


def journals_of(spec: Path) -> Store[Entry]:
    """The store of ``spec``'s journals; for its first run on a cache folder, one that keeps
    nothing."""
    return Store.of(FOLDER, spec)
