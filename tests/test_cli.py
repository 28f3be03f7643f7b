"""The command line: generate, validate, check, and what each prints and returns."""

from __future__ import annotations

from pathlib import Path

from generator.spec.load import load
from generator.spec.openapi import iter_operations
from tests.conftest import SPEC, run_cli, snapshot


def test_validate_the_project_spec_counts_its_operations() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    operations = sum(1 for _ in iter_operations(load(SPEC).document))
    assert f"valid, {operations} operation(s)" in result.stdout


def test_generate_twice_rewrites_nothing(generated_copy: Path) -> None:
    before = snapshot(generated_copy)
    result = run_cli("generate", "--out", str(generated_copy))
    assert result.returncode == 0, result.stderr
    assert "0 written" in result.stdout
    assert snapshot(generated_copy) == before


def test_check_names_the_files_that_drifted(generated_copy: Path) -> None:
    (generated_copy / "icws_api" / "models.py").write_text("# edited by hand\n")
    (generated_copy / "icws_api" / "py.typed").unlink()
    result = run_cli("check", "--out", str(generated_copy))
    assert result.returncode == 1
    assert "icws_api/models.py: differs" in result.stderr
    assert "icws_api/py.typed: missing" in result.stderr
    assert run_cli("generate", "--out", str(generated_copy)).returncode == 0
    assert run_cli("check", "--out", str(generated_copy)).returncode == 0


def test_check_names_stale_files(generated_copy: Path) -> None:
    manifest = generated_copy / ".codegen-manifest"
    manifest.write_text(manifest.read_text() + "icws_api/gone.py\n")
    (generated_copy / "icws_api" / "gone.py").write_text("")
    result = run_cli("check", "--out", str(generated_copy))
    assert result.returncode == 1
    assert "icws_api/gone.py: no longer generated" in result.stderr


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Tiny, version: '1'}\n"
        "paths:\n  /ping:\n    get:\n      operationId: ping\n      tags: [misc]\n"
        "      responses: {'200': {description: pong}}\n"
    )
    result = run_cli("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "warning: tag 'misc' is not declared" in result.stderr
    assert (tmp_path / "out" / "tiny" / "models.py").is_file()


def test_spec_and_out_default_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.icws-codegen]\nspec = "api/root.yaml"\nout = "build/gen"\n'
    )
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "root.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: Tiny API, version: '1'}\npaths: {}\n"
    )
    result = run_cli("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "gen" / "tiny_api" / "models.py").is_file()


def test_usage_errors_exit_2() -> None:
    assert run_cli("frobnicate").returncode == 2
    assert run_cli().returncode == 2


def test_template_folders_configured_in_pyproject_layer_over_ours(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.icws-codegen]\nspec = "api.yaml"\ntemplates = ["mine"]\n'
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: Tiny API, version: '1'}\npaths: {}\n"
    )
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "README.md.jinja").write_text("Our own words about {{ api.title }}.\n")
    result = run_cli("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "generated" / "README.md").read_text() == "Our own words about Tiny API.\n"
    assert (tmp_path / "generated" / "tiny_api" / "client.py").is_file()
