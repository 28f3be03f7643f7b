"""Crash safety and concurrency of the output folder: always exactly the old tree or the new one."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.write import with_manifest, write
from tests.conftest import ROOT, run_cli

DRIVER = """
import json, os, signal, sys
from pathlib import Path
from generator import write as w

limit, files, out = int(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()), Path(sys.argv[3])
count = 0

def counted(function):
    def call(*args, **kwargs):
        global count
        count += 1
        if count == limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return call

for name in ("link", "rename", "mkdir", "symlink", "fsync", "open"):
    setattr(os, name, counted(getattr(os, name)))
w._exchange = counted(w._exchange)
w._sync_filesystem = counted(w._sync_filesystem)
w.open = counted(open)  # each staged file's write is a step of its own
w.shutil.rmtree = counted(w.shutil.rmtree)
w.write(out, w.with_manifest(files))
print(count)
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def files_of(version: str) -> dict[str, str]:
    return {f"pkg/module_{i}.py": f"# {version} {i}\n" for i in range(12)} | {
        f"docs/{version}.md": version
    }


def test_sigkill_at_every_step_leaves_the_old_tree_or_the_new(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, with_manifest(files_of("old")))
    old = tree(out)
    new_files = files_of("new") | {"pkg/module_0.py": "# old 0\n"}  # one file unchanged
    (tmp_path / "new.json").write_text(json.dumps(new_files))
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    new = with_manifest(new_files)

    def run(limit: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), str(limit), str(tmp_path / "new.json"), str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    steps = int(run(0).stdout)  # a full run, counting its filesystem steps
    assert tree(out) == new and steps > 20
    killed = 0
    for limit in range(1, steps + 1):
        shutil.rmtree(out)
        write(out, with_manifest(files_of("old")))
        result = run(limit)
        killed += result.returncode == -signal.SIGKILL
        assert tree(out) in (old, new), f"a mixed tree after a kill at step {limit}"
        write(out, new)  # the next run cleans up and finishes the job
        assert tree(out) == new
        assert sorted(p.name for p in tmp_path.iterdir()) == ["driver.py", "new.json", "out"]
    assert killed == steps


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_runs_never_interleave(tmp_path: Path, attempt: int) -> None:
    specs = []
    for name in ("one", "two"):
        spec = tmp_path / name
        shutil.copytree(ROOT / "spec", spec)
        root = spec / "openapi.yaml"
        root.write_text(root.read_text().replace("version: 0.1.0", f"version: 0.1.{len(specs)}"))
        specs.append(root)
    out = tmp_path / "generated"
    expected = []
    for root in specs:
        assert run_cli("generate", "--spec", str(root), "--out", str(out)).returncode == 0
        expected.append(tree(out))
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "generator", "generate", "--spec", str(root), "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for root in specs
    ]
    for process in runs:
        assert process.wait(timeout=120) == 0
    assert tree(out) in expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "one", "two"]
