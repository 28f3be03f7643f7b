"""A client made by another generator (openapi-python-client) from our bundled spec calls our server."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from icws_api.models import (
    AgentType,
    AgentTypeParameters,
    MarkCallForFinishingParameters,
    UpdateStageParameters,
)
from icws_api.testing import Mocks, create_mock_app

from tests.conftest import GENERATED
from tests.loopback import LoopbackServer

PEER = "peer_icws_client"


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("peer")
    tool = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(tool),
            "generate",
            "--path",
            str(GENERATED / "icws_api" / "openapi.json"),
            "--output-path",
            str(folder / PEER),
            "--meta",
            "none",
        ],
        env={**os.environ, "PATH": f"{tool.parent}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    patch_missing_unset_import(folder / PEER)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PEER)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PEER or n.startswith(PEER + ".")]:
            del sys.modules[name]


def patch_missing_unset_import(package: Path) -> None:
    """Work around openapi-python-client issue #1451 (open): for a required body offered in two
    media types (ours: application/json and application/vnd.inin.icws+json) it writes
    ``body: Model | Unset = UNSET`` without importing ``Unset``. Only that import is added."""
    for module in (package / "api").rglob("*.py"):
        text = module.read_text()
        if "| Unset" in text and "import UNSET, Response\n" in text:
            module.write_text(
                text.replace("import UNSET, Response\n", "import UNSET, Response, Unset\n")
            )


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Mocks]]:
    mocks = Mocks()
    with LoopbackServer(create_mock_app(mocks, check_sessions=False)) as running:
        yield running.url, mocks


def test_the_peer_client_calls_every_operation(peer: ModuleType, server: tuple[str, Mocks]) -> None:
    url, mocks = server
    operations = {
        name: importlib.import_module(f"{PEER}.api.dialer.{name}")
        for name in ("update_stage", "mark_call_for_finishing", "set_agent_type")
    }
    models = importlib.import_module(f"{PEER}.models")
    client = peer.AuthenticatedClient(
        base_url=url,
        token="token-abc",
        prefix="",
        auth_header_name="ININ-ICWS-CSRF-Token",
        cookies={"icws_1731001": "c"},
    )
    answers = [
        operations["update_stage"].sync_detailed(
            "1731001",
            client=client,
            body=models.UpdateStageParameters(new_stage_id=3, campaign_id="c1"),
        ),
        operations["mark_call_for_finishing"].sync_detailed(
            "1731001",
            client=client,
            body=models.MarkCallForFinishingParameters(call_id="c", campaign_id="k"),
        ),
        operations["set_agent_type"].sync_detailed(
            "1731001",
            client=client,
            body=models.AgentTypeParameters(agent_type=models.AgentType(2), campaign_ids=["k"]),
        ),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [call.body for call in mocks.dialer.calls[-3:]] == [
        UpdateStageParameters(new_stage_id=3, campaign_id="c1"),
        MarkCallForFinishingParameters(call_id="c", campaign_id="k"),
        AgentTypeParameters(agent_type=AgentType.FINISHING, campaign_ids=["k"]),
    ]


def test_the_peer_client_reads_our_error_bodies(
    peer: ModuleType, server: tuple[str, Mocks]
) -> None:
    update_stage = importlib.import_module(f"{PEER}.api.dialer.update_stage")
    models = importlib.import_module(f"{PEER}.models")
    anonymous = peer.Client(base_url=server[0])
    answer = update_stage.sync_detailed(
        "1731001",
        client=anonymous,
        body=models.UpdateStageParameters(new_stage_id=3, campaign_id="c1"),
    )
    assert answer.status_code == 401
    assert isinstance(answer.parsed, models.Error)
    assert "ININ-ICWS-CSRF-Token" in answer.parsed.message
