"""Write: the output folder is swapped whole; unchanged files keep their mtime."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import write as write_module
from generator.write import MANIFEST, compare, with_manifest, write
from tests.conftest import snapshot


def files(**texts: str) -> dict[str, bytes]:
    return with_manifest({name.replace("__", "/"): text for name, text in texts.items()})


def test_first_write_creates_the_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    changes = write(out, files(a="1", pkg__b="2"))
    assert sorted(changes.written) == [MANIFEST, "a", "pkg/b"]
    assert (out / "pkg" / "b").read_text() == "2"
    assert (out / MANIFEST).read_text() == "a\npkg/b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_second_identical_write_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, files(a="1", pkg__b="2"))
    before = snapshot(out)
    inode = out.stat().st_ino
    changes = write(out, files(a="1", pkg__b="2"))
    assert changes.clean
    assert snapshot(out) == before
    assert out.stat().st_ino == inode


def test_unchanged_files_keep_their_mtime_and_stale_ones_go(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, files(a="1", b="2", old="x"))
    os.utime(out / "a", ns=(1_000_000_000, 1_000_000_000))
    changes = write(out, files(a="1", b="changed"))
    assert set(changes.written) == {"b", MANIFEST}
    assert changes.removed == ("old",)
    assert (out / "a").stat().st_mtime_ns == 1_000_000_000
    assert (out / "b").read_text() == "changed"
    assert not (out / "old").exists()


def test_files_the_generator_did_not_make_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, files(pkg__a="1"))
    (out / "pkg" / "__pycache__").mkdir()
    (out / "pkg" / "__pycache__" / "a.pyc").write_bytes(b"cache")
    (out / "notes.txt").write_text("mine")
    os.symlink("notes.txt", out / "link")
    write(out, files(pkg__a="2"))
    assert (out / "pkg" / "__pycache__" / "a.pyc").read_bytes() == b"cache"
    assert (out / "notes.txt").read_text() == "mine"
    assert os.readlink(out / "link") == "notes.txt"


def test_paths_outside_the_output_are_refused(tmp_path: Path) -> None:
    for bad in ("../escape", "/abs", "a/../../b", ""):
        with pytest.raises(ValueError):
            with_manifest({bad: "x"})
    assert not (tmp_path.parent / "escape").exists()


def test_a_failed_write_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write(out, files(a="1"))
    before = snapshot(out)

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(write_module, "_exchange", crash)
    with pytest.raises(OSError, match="disk full"):
        write(out, files(a="2"))
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, files(a="1"))
    leftover = tmp_path / ".out.codegen-staging"
    leftover.mkdir()
    (leftover / "a").write_text("half")
    write(out, files(a="2"))
    assert (out / "a").read_text() == "2"
    assert not leftover.exists()


def test_the_fallback_swap_without_renameat2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoLibc:
        renameat2 = None

    monkeypatch.setattr(write_module.ctypes, "CDLL", lambda *a, **k: NoLibc())
    out = tmp_path / "out"
    write(out, files(a="1"))
    write(out, files(a="2"))
    assert (out / "a").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_compare_names_what_differs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, files(a="1", b="2"))
    (out / "a").write_text("edited")
    changes = compare(out, files(b="2", c="3"))
    assert set(changes.written) == {"c", MANIFEST}
    assert changes.removed == ("a",)
    assert changes.unchanged == ("b",)


def test_an_output_is_unchanged_only_as_the_same_bytes_in_a_regular_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, files(same="abc", edited="abc", linked="abc"))
    (out / "edited").write_text("abd")  # same size, other bytes
    (tmp_path / "elsewhere").write_text("abc")
    (out / "linked").unlink()
    (out / "linked").symlink_to(tmp_path / "elsewhere")  # the same bytes, through a link
    changes = compare(out, files(same="abc", edited="abc", linked="abc"))
    assert set(changes.unchanged) == {"same", MANIFEST}
    assert set(changes.written) == {"edited", "linked"}
