"""Write: replace the output folder with the new tree, all at once.

The new tree is staged beside the output folder (``.<name>.codegen-staging``), files that did not
change hard-linked from the old tree so they keep their inode and mtime, and files the generator
did not make (caches, build output) carried over. Then one ``renameat2(RENAME_EXCHANGE)`` swaps
staging and output, so a reader, or a crash at any moment, sees exactly the old tree or exactly
the new one. A manifest in the output folder lists what the generator made, so files it no
longer makes are dropped. Runs on one output folder are serialised with a lock on its parent.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = ".codegen-manifest"


@dataclass(frozen=True)
class Changes:
    """How the output folder differs from the generated files."""

    written: tuple[str, ...]
    """New or changed files."""
    removed: tuple[str, ...]
    """Files the generator made before and makes no more."""
    unchanged: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.written and not self.removed


def with_manifest(files: dict[str, str]) -> dict[str, bytes]:
    """The files as bytes, plus the manifest that lists them."""
    for path in files:
        _check_relative(path)
    listing = "".join(f"{path}\n" for path in sorted(files))
    contents = {path: text.encode("utf-8") for path, text in files.items()}
    contents[MANIFEST] = listing.encode("utf-8")
    return contents


def compare(out: Path, files: dict[str, bytes]) -> Changes:
    """What writing ``files`` to ``out`` would change."""
    written, unchanged = [], []
    folder = str(out)
    exists = os.path.isdir(folder)
    for path in sorted(files):
        if exists and _holds(os.path.join(folder, path), files[path]):
            unchanged.append(path)
        else:
            written.append(path)
    removed = sorted(p for p in _previous(out) - files.keys() if (out / p).exists())
    return Changes(tuple(written), tuple(removed), tuple(unchanged))


def _holds(path: str, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) holding exactly ``data``."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def write(out: Path, files: dict[str, bytes]) -> Changes:
    """Make ``out`` hold exactly ``files`` (plus what the generator did not make), atomically."""
    out = Path(os.path.realpath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        _recover(out)
        changes = compare(out, files)
        if changes.clean:
            return changes
        staging = _sibling(out, "staging")
        try:
            _stage(out, staging, files, changes)
            if out.exists():
                _exchange(staging, out)
                shutil.rmtree(staging)  # now holds the old tree
            else:
                os.rename(staging, out)
            _fsync_dir(out.parent)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return changes


def _stage(out: Path, staging: Path, files: dict[str, bytes], changes: Changes) -> None:
    staging.mkdir()
    unchanged = set(changes.unchanged)
    new, old = str(staging), str(out)
    for folder in sorted({os.path.dirname(path) for path in files} - {""}):
        os.makedirs(os.path.join(new, folder), exist_ok=True)
    for path, data in files.items():
        target = os.path.join(new, path)
        if path in unchanged:
            _link_or_copy(os.path.join(old, path), target)
        else:
            with open(target, "wb") as handle:
                handle.write(data)
    if out.exists():
        made = _previous(out) | files.keys()
        _carry_over(old, new, len(old) + 1, made)
    _sync_filesystem(staging)


def _carry_over(folder: str, staging: str, prefix: int, made: set[str]) -> None:
    """Copy (as hard links) what the generator did not make from one folder of the old tree into
    staging; ``prefix`` is the length of the old tree's path and separator, cut from each
    entry's path to give its relative one (``relpath`` and ``Path`` objects per entry cost a
    tenth of the write of thousands of files)."""
    for entry in os.scandir(folder):
        relative = entry.path[prefix:]
        if relative in made:
            continue
        target = os.path.join(staging, relative)
        if entry.is_symlink():
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            os.makedirs(target, exist_ok=True)
            _carry_over(entry.path, staging, prefix, made)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _link_or_copy(entry.path, target)


def _link_or_copy(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _previous(out: Path) -> set[str]:
    try:
        listing = (out / MANIFEST).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    paths = {line for line in listing.splitlines() if line}
    return {p for p in paths if _is_relative(p)} | {MANIFEST}


def _check_relative(path: str) -> None:
    if not _is_relative(path):
        raise ValueError(f"refusing to write {path!r}: outside the output folder")


def _is_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def _sibling(out: Path, role: str) -> Path:
    return out.parent / f".{out.name}.codegen-{role}"


def _recover(out: Path) -> None:
    """Clean up after a run that died: a leftover staging tree is dropped."""
    for role in ("staging", "old"):
        leftover = _sibling(out, role)
        if role == "old" and leftover.exists() and not out.exists():
            os.rename(leftover, out)  # died between the two renames of the fallback swap
        shutil.rmtree(leftover, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(staging: Path, out: Path) -> None:
    """Swap two folders in one step (Linux renameat2); two renames where that is missing."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is not None:
        result = renameat2(
            _AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE
        )
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(out))
    old = _sibling(out, "old")
    os.rename(out, old)
    os.rename(staging, out)
    os.rename(old, staging)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder's parent (no lock file is left behind)."""
    fd = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _sync_filesystem(folder: Path) -> None:
    """Everything staged is on disk before the swap: one ``syncfs`` of the staging folder's file
    system (Linux), rather than an fsync per file and folder; ``sync`` where that is missing."""
    syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
