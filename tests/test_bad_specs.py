"""The bad-spec corpus: each case exits 1 naming file:line and rule, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, snapshot

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
