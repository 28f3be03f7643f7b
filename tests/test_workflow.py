"""The extension workflow: a new endpoint is one file, one root line and one `make`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.spec.load import load
from generator.spec.openapi import iter_operations
from generator.write import compare, write
from tests.conftest import ROOT, SPEC, TEMPLATES, run_cli

# Endpoints no ICWS page has, so that the tests hold however far the spec grows.
NEW_PATH = "/icws/{sessionId}/dialer/workflow-probe"
NEW_TAG_PATH = "/icws/{sessionId}/workflow-probes/{probeId}/status"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the spec, generated once into ``generated/`` beside it."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    write(tmp_path / "generated", generate(tmp_path / "spec" / "openapi.yaml", [TEMPLATES]).files)
    return tmp_path


def new_endpoint(repo: Path, *args: str) -> str:
    result = run_cli("new-endpoint", "--spec", str(repo / "spec" / "openapi.yaml"), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def changes_after_regenerating(repo: Path) -> tuple[set[str], set[str]]:
    files = generate(repo / "spec" / "openapi.yaml", [TEMPLATES]).files
    changes = compare(repo / "generated", files)
    new = {p for p in changes.written if not (repo / "generated" / p).exists()}
    return set(changes.written) - new, new


INDEX_LIKE = {
    ".codegen-manifest",
    "README.md",
    "pyproject.toml",
    "icws_api/__init__.py",
    "icws_api/openapi.json",
    "docs/index.md",
    "docs/index.html",
}
"""Files that list every endpoint or carry the spec's hash: any new endpoint changes them."""


def test_a_new_endpoint_of_an_existing_tag(repo: Path) -> None:
    root_before = (repo / "spec" / "openapi.yaml").read_text().splitlines()
    new_endpoint(
        repo,
        "--method",
        "POST",
        "--path",
        NEW_PATH,
        "--tag",
        "dialer",
        "--operation-id",
        "workflowProbe",
    )
    root_after = (repo / "spec" / "openapi.yaml").read_text().splitlines()
    added = [line for line in root_after if line not in root_before]
    assert added == [f"  {NEW_PATH}: {{$ref: paths/dialer/workflow-probe.yaml}}"]
    assert len(root_after) == len(root_before) + 1

    changed, new = changes_after_regenerating(repo)
    assert new == {
        "docs/endpoints/dialer.workflow_probe.md",
        "docs/models/WorkflowProbeParameters.md",
    }
    # The model, the client method, the server method live in the tag's modules; the mock and
    # the models' index list every operation and model.
    assert changed == INDEX_LIKE | {
        "icws_api/_models/dialer.py",
        "icws_api/resources/dialer.py",
        "icws_api/server/dialer.py",
        "icws_api/models.py",
        "icws_api/testing.py",
    }
    files = generate(repo / "spec" / "openapi.yaml", [TEMPLATES]).files
    for path, data in files.items():
        if path.endswith(".py"):
            compile(data, path, "exec")  # an endpoint with an empty body still makes valid Python
    assert b"def workflow_probe(" in files["icws_api/resources/dialer.py"]
    assert b"async def workflow_probe(" in files["icws_api/server/dialer.py"]
    assert b"class WorkflowProbeParameters(ApiModel):" in files["icws_api/_models/dialer.py"]


def test_a_new_tag_gives_a_client_attribute_and_a_server_class(repo: Path) -> None:
    new_endpoint(
        repo,
        "--method",
        "GET",
        "--path",
        NEW_TAG_PATH,
        "--tag",
        "workflow-probes",
        "--operation-id",
        "getProbeStatus",
    )
    changed, new = changes_after_regenerating(repo)
    assert new == {
        "docs/endpoints/workflow_probes.get_probe_status.md",
        "icws_api/_models/workflow_probes.py",
        "icws_api/resources/workflow_probes.py",
        "icws_api/server/workflow_probes.py",
    }
    assert changed == INDEX_LIKE | {
        "icws_api/client.py",
        "icws_api/server/__init__.py",
        "icws_api/testing.py",
    }
    write(repo / "generated", generate(repo / "spec" / "openapi.yaml", [TEMPLATES]).files)
    package = repo / "generated" / "icws_api"
    client = (package / "client.py").read_text()
    resource = (package / "resources" / "workflow_probes.py").read_text()
    server = (package / "server" / "workflow_probes.py").read_text()
    assert "def workflow_probes(self) -> WorkflowProbesClient:" in client
    assert "from .resources.workflow_probes import WorkflowProbesClient" in client
    assert "def get_probe_status(" in resource and "probe_id: str" in resource
    assert "class WorkflowProbesApi(ABC):" in server
    server_init = (package / "server" / "__init__.py").read_text()
    assert "workflow_probes: WorkflowProbesApi | None = None," in server_init


def test_problems_in_a_new_file_point_at_it(repo: Path) -> None:
    taken = next(iter_operations(load(SPEC).document)).operation["operationId"]
    new_endpoint(
        repo,
        "--method",
        "POST",
        "--path",
        NEW_PATH,
        "--tag",
        "dialer",
        "--operation-id",
        taken,
    )
    result = run_cli("validate", "--spec", str(repo / "spec" / "openapi.yaml"))
    assert result.returncode == 1
    assert (
        "spec/paths/dialer/workflow-probe.yaml:" in result.stderr
        and "[operation-id-unique]" in result.stderr
    )


def test_an_existing_endpoint_is_not_overwritten(repo: Path) -> None:
    existing = next(iter_operations(load(SPEC).document))
    file_name = existing.path.rsplit("/", 1)[-1]
    result = run_cli(
        "new-endpoint",
        "--spec",
        str(repo / "spec" / "openapi.yaml"),
        "--method",
        "POST",
        "--path",
        existing.path,
        "--tag",
        "dialer",
        "--operation-id",
        "again",
    )
    assert result.returncode == 1
    assert f"already has {existing.path}" in result.stderr
    result = run_cli(
        "new-endpoint",
        "--spec",
        str(repo / "spec" / "openapi.yaml"),
        "--method",
        "POST",
        "--path",
        f"/icws/{{sessionId}}/other/{file_name}",
        "--tag",
        "dialer",
        "--operation-id",
        "again",
    )
    assert result.returncode == 1
    assert f"{file_name}.yaml exists already" in result.stderr
