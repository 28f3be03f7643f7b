"""The extension workflow: a new endpoint is one file, one root line and one `make`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.write import compare, write
from tests.conftest import ROOT, TEMPLATES, run_cli


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
        "/icws/{sessionId}/dialer/log-off",
        "--tag",
        "dialer",
        "--operation-id",
        "logOff",
    )
    root_after = (repo / "spec" / "openapi.yaml").read_text().splitlines()
    added = [line for line in root_after if line not in root_before]
    assert added == ["  /icws/{sessionId}/dialer/log-off: {$ref: paths/dialer/log-off.yaml}"]
    assert len(root_after) == len(root_before) + 1

    changed, new = changes_after_regenerating(repo)
    assert new == {"docs/endpoints/dialer.log_off.md", "docs/models/LogOffParameters.md"}
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
    assert b"def log_off(" in files["icws_api/resources/dialer.py"]
    assert b"async def log_off(" in files["icws_api/server/dialer.py"]
    assert b"class LogOffParameters(ApiModel):" in files["icws_api/_models/dialer.py"]


def test_a_new_tag_gives_a_client_attribute_and_a_server_class(repo: Path) -> None:
    new_endpoint(
        repo,
        "--method",
        "GET",
        "--path",
        "/icws/{sessionId}/agents/{agentId}/status",
        "--tag",
        "agents",
        "--operation-id",
        "getAgentStatus",
    )
    changed, new = changes_after_regenerating(repo)
    assert new == {
        "docs/endpoints/agents.get_agent_status.md",
        "icws_api/_models/agents.py",
        "icws_api/resources/agents.py",
        "icws_api/server/agents.py",
    }
    assert changed == INDEX_LIKE | {
        "icws_api/client.py",
        "icws_api/server/__init__.py",
        "icws_api/testing.py",
    }
    write(repo / "generated", generate(repo / "spec" / "openapi.yaml", [TEMPLATES]).files)
    package = repo / "generated" / "icws_api"
    client = (package / "client.py").read_text()
    resource = (package / "resources" / "agents.py").read_text()
    server = (package / "server" / "agents.py").read_text()
    assert "def agents(self) -> AgentsClient:" in client
    assert "from .resources.agents import AgentsClient" in client
    assert "def get_agent_status(" in resource and "agent_id: str" in resource
    assert "class AgentsApi:" in server
    assert "agents: AgentsApi | None = None," in (package / "server" / "__init__.py").read_text()


def test_problems_in_a_new_file_point_at_it(repo: Path) -> None:
    new_endpoint(
        repo,
        "--method",
        "POST",
        "--path",
        "/icws/{sessionId}/dialer/log-in",
        "--tag",
        "dialer",
        "--operation-id",
        "updateStage",
    )
    result = run_cli("validate", "--spec", str(repo / "spec" / "openapi.yaml"))
    assert result.returncode == 1
    assert (
        "spec/paths/dialer/log-in.yaml:" in result.stderr
        and "[operation-id-unique]" in result.stderr
    )


def test_an_existing_endpoint_is_not_overwritten(repo: Path) -> None:
    result = run_cli(
        "new-endpoint",
        "--spec",
        str(repo / "spec" / "openapi.yaml"),
        "--method",
        "POST",
        "--path",
        "/icws/{sessionId}/dialer/update-stage",
        "--tag",
        "dialer",
        "--operation-id",
        "again",
    )
    assert result.returncode == 1
    assert "already has /icws/{sessionId}/dialer/update-stage" in result.stderr
    result = run_cli(
        "new-endpoint",
        "--spec",
        str(repo / "spec" / "openapi.yaml"),
        "--method",
        "POST",
        "--path",
        "/icws/{sessionId}/other/update-stage",
        "--tag",
        "dialer",
        "--operation-id",
        "again",
    )
    assert result.returncode == 1
    assert "update-stage.yaml exists already" in result.stderr
