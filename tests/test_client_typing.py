"""Consumers of the generated client type-check under ``mypy --strict``, and mistakes do not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import GENERATED

GOOD = """\
from icws_api import AsyncClient, Client, Session
from icws_api.errors import ApiError, IcwsApiError, FeatureNotSupportedError, UnauthorizedError
from icws_api.models import AgentType, UpdateStageParameters
from icws_api.resources.dialer import AsyncDialerClient, DialerClient
from icws_api.server import RequestContext, UnimplementedDialerApi, create_app


def run() -> None:
    session = Session(session_id="1731001", csrf_token="t", cookies={"icws_1731001": "c"})
    with Client("http://127.0.0.1:8018", session=session, features={"dialer": 9}) as client:
        nothing: None = client.dialer.update_stage(new_stage_id=3, campaign_id="c1")
        client.dialer.update_stage(UpdateStageParameters(new_stage_id=3, campaign_id="c1"))
        client.dialer.mark_call_for_finishing(call_id="c", campaign_id="k", call_attributes={"a": "b"})
        try:
            client.dialer.set_agent_type(agent_type=AgentType.FINISHING, campaign_ids=["k"])
        except UnauthorizedError as error:
            where: str | None = error.challenge.location if error.challenge else None
            print(where, error.message, error.error_id, error.status_code)
        except (ApiError, FeatureNotSupportedError):
            pass
        except IcwsApiError:
            pass
        dialer: DialerClient = client.dialer
        print(dialer)


class Dialer(UnimplementedDialerApi):
    async def update_stage(self, ctx: RequestContext, body: UpdateStageParameters) -> None:
        print(ctx.session_id, body.campaign_id)


app = create_app(dialer=Dialer())


async def run_async() -> None:
    session = Session(session_id="1", csrf_token="t")
    async with AsyncClient("http://127.0.0.1:8018", session=session) as client:
        await client.dialer.update_stage(new_stage_id=3, campaign_id="c1", agent_id="a")
        dialer: AsyncDialerClient = client.dialer
        print(dialer)
"""

HEADER = """\
from icws_api import AsyncClient, Client, Session
from icws_api.models import AgentType

session = Session(session_id="1", csrf_token="t")
client = Client("http://127.0.0.1:8018", session=session)
"""
BAD = [
    'client.dialer.update_stage(new_stage_id="3", campaign_id="c1")',
    "client.dialer.update_stage(new_stage_id=3)",
    'client.dialer.set_agent_type(agent_type=2, campaign_ids=["k"])',
    'client.dialer.set_agent_type(agent_type=AgentType.REGULAR, campaign_ids="k")',
    'client.dialer.update_stage(new_stage_id=3, campaign_id="c1", stage=4)',
    'result: int = client.dialer.update_stage(new_stage_id=3, campaign_id="c1")',
    'Session(session_id="1")',
    "client.no_such_tag.update_stage()",
    "from icws_api.models import NoSuchModel",
    "from icws_api.server import NoSuchApi",
    "AsyncClient('http://127.0.0.1:8018').dialer.no_such_operation()",
]
"""Statements that must fail type checking, one a line after the header."""


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "consumer.py"
    script.write_text(source)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            str(script),
        ],
        cwd=tmp_path,
        env={"MYPYPATH": str(GENERATED), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_correct_consumer_type_checks(tmp_path: Path) -> None:
    result = mypy(tmp_path, GOOD)
    assert result.returncode == 0, result.stdout + result.stderr


def test_wrong_arguments_names_and_types_fail_type_checking(tmp_path: Path) -> None:
    result = mypy(tmp_path, HEADER + "\n".join(BAD) + "\n")
    assert result.returncode == 1
    flagged = {int(line.split(":")[1]) for line in result.stdout.splitlines() if ": error:" in line}
    first = HEADER.count("\n") + 1
    assert flagged == set(range(first, first + len(BAD))), result.stdout
