"""Store: what a run keeps in the cache folder for the next runs of the same spec.

Entries are keyed by a digest of everything they depend on (the key's parts, salted with the
generator's sources and the package versions), so an entry found is an entry that is right: a
store that cannot be read is a cold start, never an error, and one cut short keeps what came
before the cut. Kept per spec and kind (rendered fragments, journalled operations), in one file
that a run appends what it made to; once that file holds more than twice the entries the run
used, it is rewritten with just those, so superseded entries do not pile up.

The first run of a spec on a cache folder (a fresh clone's, as in CI) keeps nothing: making keys
costs, and nothing says there will be a next run. It leaves an empty store; entries are kept from
the next run of that spec on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Generic, TypeVar

from generator import fingerprint

V = TypeVar("V")

Usage = tuple[set[bytes], dict[bytes, V]]
"""What one process did with a store: the keys it used, and the entries it made."""


class Store(Generic[V]):
    """One spec's entries of one kind: read once, when first asked; saved once, by the parent
    of the processes that used it (:meth:`usage`, :meth:`merge`)."""

    def __init__(self, file: Path | None = None, salt: bytes = b"") -> None:
        self.file = file
        self.salt = salt
        self.old: dict[bytes, V] | None = None
        self.stored = 0
        """Entries in the file, superseded ones included."""
        self.damaged = False
        """Whether the file held something that could not be read (it is then rewritten)."""
        self.used: set[bytes] = set()
        self.made: dict[bytes, V] = {}

    @classmethod
    def of(cls, kind: str, spec: Path, template_dirs: Sequence[Path] = ()) -> Store[V]:
        """The store of ``spec``'s entries of ``kind`` (a folder in the cache folder), salted
        with the sources of the generator and of ``template_dirs``; for the first run of the
        spec, one that keeps nothing."""
        name = hashlib.sha256(str(spec.resolve()).encode()).hexdigest()[:32]
        file = fingerprint.cache_folder() / kind / f"{name}.pickle"
        if not file.exists():
            _write([], file)
            return cls()
        return cls(file, fingerprint.sources_digest(template_dirs))

    @property
    def active(self) -> bool:
        """Whether entries are kept (not for a first run, nor without a cache folder)."""
        return self.file is not None

    def key(self, *parts: bytes) -> bytes:
        """The key of an entry that depends on ``parts`` (each unambiguous on its own)."""
        digest = hashlib.blake2b(self.salt, digest_size=20)
        for part in parts:
            digest.update(b"%d\0%s" % (len(part), part))
        return digest.digest()

    def get(self, key: bytes) -> V | None:
        """The entry of ``key``, made by this run or kept by an earlier one."""
        found = self.made.get(key)
        return found if found is not None else self.read().get(key)

    def keep(self, key: bytes, entry: V) -> None:
        """Note that this run used ``entry`` (found, or made anew) for ``key``."""
        self.used.add(key)
        if self.read().get(key) is not entry:
            self.made[key] = entry

    def read(self) -> dict[bytes, V]:
        """The entries earlier runs kept (read once)."""
        if self.old is None:
            self.old = {}
            if self.file is not None:
                try:
                    with open(self.file, "rb") as handle:
                        while True:
                            try:
                                batch = pickle.load(handle)
                            except EOFError:
                                break
                            self.stored += len(batch)
                            self.old.update(batch)
                except Exception:  # cut short, or not ours: what was read before is sound
                    self.damaged = True
        return self.old

    def found_share(self) -> float:
        """The share of the entries this run used that earlier runs had kept (0 if none)."""
        return (len(self.used) - len(self.made)) / len(self.used) if self.used else 0.0

    def usage(self) -> Usage[V]:
        """What this process did, to hand to :meth:`merge` in the parent."""
        return self.used, self.made

    def merge(self, usage: Usage[V]) -> None:
        used, made = usage
        self.used |= used
        self.made.update(made)

    def save(self) -> None:
        """Append the entries this run made; rewrite the file with just those this run used
        once it holds more than twice as many (or could not be read)."""
        if self.file is None:
            return
        old = self.read()
        if self.damaged or self.stored + len(self.made) > 2 * len(self.used):
            kept = [(key, self.made[key] if key in self.made else old[key]) for key in self.used]
            _write(kept, self.file)
        elif self.made:
            with contextlib.suppress(OSError), open(self.file, "ab") as handle:
                pickle.dump(list(self.made.items()), handle, pickle.HIGHEST_PROTOCOL)


def _write(batch: list[tuple[bytes, V]], file: Path) -> None:
    """Replace ``file`` with one batch of entries, atomically; best effort."""
    with contextlib.suppress(OSError):
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            if batch:
                pickle.dump(batch, handle, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, file)
