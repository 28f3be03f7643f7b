"""The caches at the pipeline's edges. The fingerprint: a run whose inputs and output are as the
last run left them stops early, and any change to a spec file, a template, or an output file
makes it a full run again. Formatted files: a run formats only the files whose rendering
changed, and its output is what formatting them all gives."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cache
from generator.format import format_tree
from tests.conftest import ROOT, TEMPLATES, run_cli, snapshot

EARLY = "(inputs as at the last run)"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the spec and the templates, generated once, with a fingerprint cache of its own."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    assert generate(tmp_path).returncode == 0
    return tmp_path


def generate(project: Path, command: str = "generate") -> subprocess.CompletedProcess[str]:
    args = [command, "--spec", str(project / "spec" / "openapi.yaml")]
    args += ["--out", str(project / "generated"), "--templates", str(project / "templates")]
    return run_cli(*args, env={"ICWS_CODEGEN_CACHE": str(project / "cache")})


def test_a_second_run_stops_early_and_touches_nothing(project: Path) -> None:
    before = snapshot(project / "generated")
    again = generate(project)
    assert again.returncode == 0
    assert EARLY in again.stdout and "0 written" in again.stdout
    assert snapshot(project / "generated") == before
    check = generate(project, "check")
    assert check.returncode == 0 and EARLY in check.stdout


def test_a_changed_spec_file_is_a_full_run(project: Path) -> None:
    endpoint = project / "spec" / "paths" / "dialer" / "update-stage.yaml"
    endpoint.write_text(endpoint.read_text().replace("Moves the agent", "Moves an agent"))
    result = generate(project)
    assert EARLY not in result.stdout
    assert "Moves an agent" in (project / "generated" / "docs" / "index.md").read_text()


def test_a_changed_template_is_a_full_run(project: Path) -> None:
    readme = project / "templates" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nOne more line.\n")
    result = generate(project)
    assert EARLY not in result.stdout
    assert (project / "generated" / "README.md").read_text().endswith("One more line.\n")


def test_a_bad_spec_after_a_good_run_is_still_reported(project: Path) -> None:
    root = project / "spec" / "openapi.yaml"
    root.write_text(root.read_text().replace("openapi: 3.1.0", "openapi: 9.9.9"))
    result = generate(project)
    assert result.returncode == 1 and "openapi-version" in result.stderr


def test_an_edited_output_file_is_put_back(project: Path) -> None:
    client = project / "generated" / "icws_api" / "client.py"
    original = client.read_bytes()
    client.write_bytes(original + b"# edited by hand\n")
    result = generate(project)
    assert EARLY not in result.stdout and "1 written" in result.stdout
    assert client.read_bytes() == original
    assert "icws_api/client.py: differs" not in generate(project, "check").stderr


def test_a_removed_output_file_is_put_back(project: Path) -> None:
    (project / "generated" / "docs" / "index.md").unlink()
    result = generate(project)
    assert EARLY not in result.stdout
    assert (project / "generated" / "docs" / "index.md").is_file()


def test_a_spec_file_edited_during_a_run_makes_the_next_run_full(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint records what was read, not what the file holds when the run ends."""
    from generator import cli, pipeline

    endpoint = project / "spec" / "paths" / "dialer" / "update-stage.yaml"
    endpoint.write_text(endpoint.read_text().replace("Moves the agent", "Moves one agent"))
    real_generate = pipeline.generate

    def generate_then_edit(*args: object, **kwargs: object) -> pipeline.Generated:
        generated = real_generate(*args, **kwargs)  # type: ignore[arg-type]
        endpoint.write_text(endpoint.read_text().replace("Moves one agent", "Moves an agent"))
        return generated

    monkeypatch.setattr(pipeline, "generate", generate_then_edit)
    monkeypatch.setenv("ICWS_CODEGEN_CACHE", str(project / "cache"))
    spec, out = project / "spec" / "openapi.yaml", project / "generated"
    args = ["generate", "--spec", str(spec), "--out", str(out)]
    assert cli.main([*args, "--templates", str(project / "templates")]) == 0
    assert "Moves one agent" in (out / "docs" / "index.md").read_text()
    result = generate(project)
    assert EARLY not in result.stdout
    assert "Moves an agent" in (out / "docs" / "index.md").read_text()


def test_a_run_formats_only_the_python_files_whose_rendering_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICWS_CODEGEN_CACHE", str(tmp_path / "cache"))
    run = cache.Run(tmp_path / "openapi.yaml", tmp_path / "out", (), None)
    asked: list[set[str]] = []

    def counting(files: dict[str, str]) -> dict[str, str]:
        asked.append(set(files))
        return format_tree(files)

    formatted = cache.FormattedFiles(run, counting)
    first = {"a.py": "x  =  1\n", "b.py": "y  =  2\n", "notes.md": "a  b\n"}
    assert formatted(first) == format_tree(first)
    second = {**first, "b.py": "y  =  3\n"}
    assert (
        formatted(second)
        == format_tree(second)
        == {
            "a.py": "x = 1\n",
            "b.py": "y = 3\n",
            "notes.md": "a  b\n",
        }
    )
    assert asked == [{"a.py", "b.py"}, {"b.py"}]


def test_an_unreadable_formatted_files_cache_formats_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICWS_CODEGEN_CACHE", str(tmp_path / "cache"))
    run = cache.Run(tmp_path / "openapi.yaml", tmp_path / "out", (), None)
    cache.FormattedFiles(run, format_tree)({"a.py": "x  =  1\n"})
    for stored in (tmp_path / "cache" / "formatted").iterdir():
        stored.write_bytes(b"not json")
    assert cache.FormattedFiles(run, format_tree)({"a.py": "x  =  1\n"}) == {"a.py": "x = 1\n"}
