"""The generated server stubs, end to end with the generated client on a real uvicorn."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from icws_api import AsyncClient, Client, Session
from icws_api.errors import (
    ApiError,
    AuthChallenge,
    ForbiddenError,
    GoneError,
    InternalServerError,
    UnauthorizedError,
)
from icws_api.models import (
    AgentType,
    AgentTypeParameters,
    MarkCallForFinishingParameters,
    UpdateStageParameters,
)
from icws_api.server import RequestContext, UnimplementedDialerApi, create_app
from icws_api.testing import Mocks, create_mock_app
from starlette.applications import Starlette
from starlette.routing import Mount

from tests.conftest import GENERATED
from tests.loopback import LoopbackServer

SESSION = Session(
    session_id="1731001", csrf_token="token-abc", cookies={"icws_1731001": "cookie-xyz"}
)


@pytest.fixture(scope="module")
def mock_server() -> Iterator[tuple[str, Mocks]]:
    mocks = Mocks()
    with LoopbackServer(create_mock_app(mocks, check_sessions=False)) as running:
        yield running.url, mocks


@pytest.fixture
def mocks(mock_server: tuple[str, Mocks]) -> Mocks:
    mock_server[1].dialer.calls.clear()
    return mock_server[1]


def test_every_operation_blocking(mock_server: tuple[str, Mocks], mocks: Mocks) -> None:
    with Client(mock_server[0], session=SESSION) as client:
        assert client.dialer.update_stage(new_stage_id=3, campaign_id="c1") is None
        client.dialer.mark_call_for_finishing(
            call_id="c", campaign_id="k", call_attributes={"a": "b"}
        )
        client.dialer.set_agent_type(agent_type=AgentType.FINISHING, campaign_ids=["k", "l"])
    update, mark, agent = mocks.dialer.calls
    assert (update.operation, update.body) == (
        "updateStage",
        UpdateStageParameters(new_stage_id=3, campaign_id="c1"),
    )
    assert update.body.model_fields_set == {"new_stage_id", "campaign_id"}
    assert mark.body == MarkCallForFinishingParameters(
        call_id="c", campaign_id="k", call_attributes={"a": "b"}
    )
    assert agent.body == AgentTypeParameters(
        agent_type=AgentType.FINISHING, campaign_ids=["k", "l"]
    )
    assert isinstance(agent.body.agent_type, AgentType)
    context = update.context
    assert (context.session_id, context.csrf_token) == ("1731001", "token-abc")
    assert context.cookies == {"icws_1731001": "cookie-xyz"}
    assert context.headers["content-type"] == "application/json"


def test_every_operation_asyncio(mock_server: tuple[str, Mocks], mocks: Mocks) -> None:
    async def run() -> None:
        async with AsyncClient(mock_server[0], session=SESSION) as client:
            await asyncio.gather(
                client.dialer.update_stage(new_stage_id=-5, campaign_id="c1", agent_id="a"),
                client.dialer.mark_call_for_finishing(call_id="c", campaign_id="k"),
                client.dialer.set_agent_type(agent_type=AgentType.COMPOSITE, campaign_ids=["k"]),
            )

    asyncio.run(run())
    by_operation = {call.operation: call.body for call in mocks.dialer.calls}
    assert by_operation == {
        "updateStage": UpdateStageParameters(new_stage_id=-5, campaign_id="c1", agent_id="a"),
        "markCallForFinishing": MarkCallForFinishingParameters(call_id="c", campaign_id="k"),
        "setAgentType": AgentTypeParameters(agent_type=AgentType.COMPOSITE, campaign_ids=["k"]),
    }


class Strict(UnimplementedDialerApi):
    """A team's implementation: raises the documented errors, and one bug."""

    async def update_stage(self, ctx: RequestContext, body: UpdateStageParameters) -> None:
        if body.campaign_id == "closed":
            raise ForbiddenError(message="No Dialer license", error_id="error.dialer.license")
        if body.campaign_id == "old":
            raise GoneError(message="Gone for good")
        if body.campaign_id == "expired":
            raise UnauthorizedError(message="Session expired")
        if body.campaign_id == "bug":
            raise RuntimeError(f"secret {ctx.csrf_token} leaked?")


@pytest.fixture(scope="module")
def strict_server() -> Iterator[str]:
    async def only_token_abc(ctx: RequestContext) -> bool:
        return (
            ctx.csrf_token == "token-abc"
            and ctx.cookies.get(f"icws_{ctx.session_id}") == "cookie-xyz"
        )

    with LoopbackServer(create_app(dialer=Strict(), authenticate=only_token_abc)) as running:
        yield running.url


@pytest.mark.parametrize(
    ("campaign", "error_class", "message", "error_id"),
    [
        ("closed", ForbiddenError, "No Dialer license", "error.dialer.license"),
        ("old", GoneError, "Gone for good", None),
        ("expired", UnauthorizedError, "Session expired", None),
    ],
)
def test_errors_raised_in_handlers_arrive_as_the_same_class(
    strict_server: str,
    campaign: str,
    error_class: type[ApiError],
    message: str,
    error_id: str | None,
) -> None:
    with Client(strict_server, session=SESSION) as client, pytest.raises(error_class) as caught:
        client.dialer.update_stage(new_stage_id=1, campaign_id=campaign)
    assert (caught.value.message, caught.value.error_id) == (message, error_id)
    response = caught.value.response
    assert response is not None
    assert response.headers["content-type"] == "application/vnd.inin.icws+json; charset=utf-8"
    assert json.loads(response.content) == {
        "message": message,
        **({"errorId": error_id} if error_id else {}),
    }


def test_401_from_a_handler_carries_the_challenge(strict_server: str) -> None:
    with (
        Client(strict_server, session=SESSION) as client,
        pytest.raises(UnauthorizedError) as caught,
    ):
        client.dialer.update_stage(new_stage_id=1, campaign_id="expired")
    assert caught.value.challenge == AuthChallenge(
        "ICWS", {"realm": "ICWS", "location": "/ICWS/connection"}
    )


def test_unexpected_exceptions_answer_500_and_leak_nothing(
    strict_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        Client(strict_server, session=SESSION) as client,
        pytest.raises(InternalServerError) as caught,
    ):
        client.dialer.update_stage(new_stage_id=1, campaign_id="bug")
    assert caught.value.message == "An unexpected error occurred while processing the request."
    assert caught.value.response is not None
    assert (
        b"secret" not in caught.value.response.content
        and b"Traceback" not in caught.value.response.content
    )


def test_operations_nobody_implemented_answer_501_with_an_error_id(strict_server: str) -> None:
    with (
        Client(strict_server, session=SESSION) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.dialer.set_agent_type(agent_type=AgentType.REGULAR, campaign_ids=["k"])
    assert caught.value.status_code == 501
    assert caught.value.message == "setAgentType is not implemented by this server."
    assert caught.value.error_id == "error.server.notImplemented"


def test_authenticate_rejects_wrong_credentials(strict_server: str) -> None:
    wrong = Session(
        session_id="1731001", csrf_token="forged", cookies={"icws_1731001": "cookie-xyz"}
    )
    with Client(strict_server, session=wrong) as client, pytest.raises(UnauthorizedError) as caught:
        client.dialer.update_stage(new_stage_id=1, campaign_id="c")
    assert caught.value.message == "The session credentials are not valid."
    assert (
        caught.value.challenge is not None and caught.value.challenge.location == "/ICWS/connection"
    )


def test_a_synchronous_authenticate_works_too() -> None:
    app = create_app(dialer=Strict(), authenticate=lambda ctx: ctx.session_id == "1731001")
    with LoopbackServer(app) as running, Client(running.url, session=SESSION) as client:
        client.dialer.update_stage(new_stage_id=1, campaign_id="c")
        other = Session(session_id="42", csrf_token="t", cookies={"icws_42": "c"})
        with Client(running.url, session=other) as intruder, pytest.raises(UnauthorizedError):
            intruder.dialer.update_stage(new_stage_id=1, campaign_id="c")


def test_the_app_mounts_into_another_asgi_app() -> None:
    mocks = Mocks()
    outer = Starlette(routes=[Mount("/proxy", app=create_mock_app(mocks, check_sessions=False))])
    with (
        LoopbackServer(outer) as running,
        Client(running.url + "/proxy", session=SESSION) as client,
    ):
        client.dialer.update_stage(new_stage_id=1, campaign_id="c")
    assert [call.operation for call in mocks.dialer.calls] == ["updateStage"]


def test_python_dash_m_server_serves_the_mock() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "icws_api.server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command, env={**os.environ, "PYTHONPATH": str(GENERATED)}, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                url = f"http://127.0.0.1:{port}"
                with Client.connect(
                    url, accept_language="en", application_name="t", user_id="u", password="p"
                ) as client:
                    client.dialer.set_agent_type(agent_type=AgentType.REGULAR, campaign_ids=["k"])
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        answer = httpx.post(f"http://127.0.0.1:{port}/icws/1/dialer/update-stage", timeout=5)
        assert answer.status_code == 401
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_the_route_table_answers_as_a_plain_router() -> None:
    """Routes are found by their path's shape, not tried in turn: each request still gets the
    match, 405 or 404 that Starlette's own router gives."""
    app = create_mock_app(Mocks(), check_sessions=False)
    plain = Starlette(routes=app.routes[0].routes, exception_handlers=app.exception_handlers)
    requests = [
        (method, path)
        for method in ("GET", "POST", "DELETE")
        for path in (
            "/icws/1731001/dialer/update-stage",
            "/icws/1731001/dialer/nothing",
            "/icws/1731001/connection",
            "/icws/connection",
            "/icws/connection/features",
            "/icws/connection/features/dialer",
            "/icws/connection/features/dialer/more",
            "/nowhere",
            "/",
        )
    ]

    async def statuses(asgi: Starlette) -> list[tuple[int, bytes]]:
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://icws") as client:
            answers = [await client.request(m, p, json={}) for m, p in requests]
        return [(a.status_code, a.content) for a in answers]

    ours, theirs = asyncio.run(statuses(app)), asyncio.run(statuses(plain))
    assert ours == theirs
    assert {status for status, _ in ours} >= {200, 400, 404, 405}
