"""The bad-spec corpus: each case exits 1 naming file:line and rule, and writes nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, snapshot

LARGE = 50
"""Paths of the large specs below."""

CASES = sorted(p for p in (Path(__file__).parent / "bad_specs").iterdir() if p.is_dir())


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_spec_is_reported_and_output_untouched(case: Path, generated_copy: Path) -> None:
    before = snapshot(generated_copy)

    result = run_cli("generate", "--spec", str(case / "openapi.yaml"), "--out", str(generated_copy))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    lines = result.stderr.splitlines()
    for expected in (case / "expected.txt").read_text().splitlines():
        place, rule = expected.split(" ")
        matching = [line for line in lines if f"{case.name}/{place}:" in line and rule in line]
        assert matching, f"no diagnostic at {place} {rule} in:\n{result.stderr}"
    assert snapshot(generated_copy) == before
    assert sorted(p.name for p in generated_copy.parent.iterdir()) == ["generated"]


def _large_spec(folder: Path, paths: int) -> Path:
    """The seed spec with ``paths`` copies of one endpoint."""
    shutil.copytree(ROOT / "spec", folder / "spec")
    spec = folder / "spec"
    seed = (spec / "paths" / "dialer" / "update-stage.yaml").read_text()
    lines = []
    for index in range(paths):
        text = seed.replace("operationId: updateStage", f"operationId: updateStage{index}")
        text = re.sub(r"title: (\w+)", rf"title: \g<1>{index}", text)
        (spec / "paths" / "dialer" / f"copy-{index}.yaml").write_text(text)
        lines.append(
            f"  /icws/{{sessionId}}/copy-{index}: {{$ref: paths/dialer/copy-{index}.yaml}}"
        )
    root = spec / "openapi.yaml"
    root.write_text(root.read_text().replace("paths:\n", "paths:\n" + "\n".join(lines) + "\n", 1))
    return root


def test_a_problem_in_one_file_of_a_large_spec_is_reported_and_nothing_is_written(
    tmp_path: Path, generated_copy: Path
) -> None:
    root = _large_spec(tmp_path, LARGE)
    broken = root.parent / "paths" / "dialer" / "copy-7.yaml"
    broken.write_text(broken.read_text().replace("required: true", "required: maybe", 1))
    before = snapshot(generated_copy)
    result = run_cli("generate", "--spec", str(root), "--out", str(generated_copy))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "nothing was written" in result.stderr
    assert "copy-7.yaml:" in result.stderr and "[openapi-schema]" in result.stderr
    assert snapshot(generated_copy) == before


def test_a_large_good_spec_generates(tmp_path: Path) -> None:
    root = _large_spec(tmp_path, LARGE)
    result = run_cli("generate", "--spec", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "/icws/{sessionId}/copy-49" in (tmp_path / "out" / "docs" / "index.md").read_text()
