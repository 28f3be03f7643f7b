"""Sessions end to end: connect, call, log out, fail over, and negotiate feature versions."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import httpx
import pytest
from icws_api import AsyncClient, Client, Session
from icws_api.errors import FeatureNotSupportedError, ServiceUnavailableError, UnauthorizedError
from icws_api.models import (
    AgentType,
    AuthTokenConnectionRequestSettings,
    ConnectionResponse,
    IcAuthConnectionRequestSettings,
    ServiceUnavailable,
    SingleSignOnTokenConnectionRequestSettings,
)
from icws_api.server import RequestContext
from icws_api.testing import FEATURES, MockConnection, Mocks, create_mock_app

from tests.loopback import LoopbackServer

LOGIN = {
    "accept_language": "en-US",
    "application_name": "tests",
    "user_id": "jsmith",
    "password": "pw",
}


@pytest.fixture
def fake() -> Iterator[tuple[str, Mocks]]:
    mocks = Mocks()
    with LoopbackServer(create_mock_app(mocks)) as running:
        yield running.url, mocks


def test_connect_call_log_out_and_the_dead_session(fake: tuple[str, Mocks]) -> None:
    url, mocks = fake
    with Client.connect(url, **LOGIN) as client:
        session = client.session
        assert (
            session is not None
            and mocks.sessions.live[0].values["session_id"] == session.session_id
        )
        assert session.cookies == mocks.sessions.live[0].cookies
        assert client.features == FEATURES
        client.dialer.update_stage(new_stage_id=3, campaign_id="c1")
        client.dialer.mark_call_for_finishing(call_id="c", campaign_id="k")
        client.dialer.set_agent_type(agent_type=AgentType.FINISHING, campaign_ids=["k"])
        login = mocks.connection.calls[0]
        assert (
            login.body.application_name == "tests" and login.arguments["accept_language"] == "en-US"
        )
    assert [call.operation for call in mocks.dialer.calls] == [
        "updateStage",
        "markCallForFinishing",
        "setAgentType",
    ]
    assert mocks.sessions.live == []
    assert client.session is None
    with Client(url, session=session) as dead, pytest.raises(UnauthorizedError) as caught:
        dead.dialer.update_stage(new_stage_id=3, campaign_id="c1")
    assert (
        caught.value.challenge is not None and caught.value.challenge.location == "/ICWS/connection"
    )


def test_the_asyncio_client_connects_too(fake: tuple[str, Mocks]) -> None:
    url, mocks = fake

    async def run() -> None:
        async with await AsyncClient.connect(url, **LOGIN) as client:
            await client.dialer.update_stage(new_stage_id=1, campaign_id="c")

    asyncio.run(run())
    assert [call.operation for call in mocks.dialer.calls] == ["updateStage"]
    assert mocks.sessions.live == []


def test_another_login_option_as_a_model(fake: tuple[str, Mocks]) -> None:
    url, mocks = fake
    token = AuthTokenConnectionRequestSettings(application_name="tests", auth_token="t0k3n")
    with Client.connect(url, token, accept_language="de-DE", negotiate_features=False) as client:
        assert client.features is None
    call = mocks.connection.calls[0]
    assert isinstance(call.body, AuthTokenConnectionRequestSettings)
    assert call.body.model_dump(mode="json", exclude_unset=True)["__type"] == (
        "urn:inin.com:connection:authTokenConnectionRequestSettings"
    )


def test_calls_without_a_live_session_are_refused(fake: tuple[str, Mocks]) -> None:
    url, mocks = fake
    forged = Session(session_id="1", csrf_token="t", cookies={"icws_1": "c"})
    with Client(url, session=forged) as client, pytest.raises(UnauthorizedError):
        client.dialer.update_stage(new_stage_id=1, campaign_id="c")
    assert mocks.dialer.calls == []


class Busy(MockConnection):
    """A server that sends every login elsewhere."""

    def __init__(self, mocks: Mocks, *elsewhere: str) -> None:
        super().__init__(mocks)
        self.elsewhere = list(elsewhere)

    async def create_connection(
        self,
        ctx: RequestContext,
        body: (
            IcAuthConnectionRequestSettings
            | AuthTokenConnectionRequestSettings
            | SingleSignOnTokenConnectionRequestSettings
        ),
        *,
        accept_language: str,
        include: str | None,
    ) -> ConnectionResponse:
        self.calls.append(None)  # type: ignore[arg-type]
        error = ServiceUnavailableError(message="Switchover in progress")
        error.detail = ServiceUnavailable(alternate_host_list=self.elsewhere)
        raise error


def test_a_503_fails_over_to_an_alternate_host(fake: tuple[str, Mocks]) -> None:
    good_url, good = fake
    busy_mocks = Mocks()
    host = good_url.removeprefix("http://")
    busy_mocks.connection = Busy(busy_mocks, host)
    with (
        LoopbackServer(create_mock_app(busy_mocks)) as busy,
        Client.connect(busy.url, **LOGIN) as client,
    ):
        assert len(busy_mocks.connection.calls) == 1
        assert client.session is not None and len(good.sessions.live) == 1
        client.dialer.set_agent_type(agent_type=AgentType.REGULAR, campaign_ids=["k"])
    assert len(good.dialer.calls) == 1


def test_an_alternate_host_that_cannot_be_reached_is_passed_over(fake: tuple[str, Mocks]) -> None:
    good_url, good = fake
    with socket.create_server(("127.0.0.1", 0)) as probe:
        unreachable = f"127.0.0.1:{probe.getsockname()[1]}"
    busy_mocks = Mocks()
    busy_mocks.connection = Busy(busy_mocks, unreachable, good_url.removeprefix("http://"))
    with (
        LoopbackServer(create_mock_app(busy_mocks)) as busy,
        Client.connect(busy.url, **LOGIN) as client,
    ):
        assert client.session is not None and len(good.sessions.live) == 1


def test_a_second_session_on_one_http_client_carries_only_its_own_cookies(
    fake: tuple[str, Mocks],
) -> None:
    url, mocks = fake
    with httpx.Client() as http:
        with Client.connect(url, http=http, **LOGIN) as first:
            assert first.session is not None
            first_cookies = dict(first.session.cookies)
        with Client.connect(url, http=http, **LOGIN) as second:
            assert second.session is not None
            assert second.session.cookies == mocks.sessions.live[0].cookies
            assert not set(first_cookies.items()) & set(second.session.cookies.items())


def test_a_503_with_nowhere_else_to_go_raises(fake: tuple[str, Mocks]) -> None:
    busy_mocks = Mocks()
    busy_mocks.connection = Busy(busy_mocks)
    with LoopbackServer(create_mock_app(busy_mocks)) as busy:
        busy_mocks.connection.elsewhere = [busy.url.removeprefix("http://")]
        with pytest.raises(ServiceUnavailableError) as caught:
            Client.connect(busy.url, **LOGIN)
    assert caught.value.detail is not None and caught.value.detail.alternate_host_list
    assert caught.value.message == "Switchover in progress"


def test_feature_negotiation_refuses_calls_the_server_is_too_old_for(
    fake: tuple[str, Mocks],
) -> None:
    url, mocks = fake
    mocks.features["dialer"] = 4
    with Client.connect(url, **LOGIN) as client:
        assert client.features == {**FEATURES, "dialer": 4}
        for call in (
            lambda: client.dialer.update_stage(new_stage_id=1, campaign_id="c"),
            lambda: client.dialer.mark_call_for_finishing(call_id="c", campaign_id="k"),
        ):
            with pytest.raises(FeatureNotSupportedError):
                call()
        assert mocks.dialer.calls == []
        client.dialer.set_agent_type(agent_type=AgentType.REGULAR, campaign_ids=["k"])
    assert [call.operation for call in mocks.dialer.calls] == ["setAgentType"]


def test_the_features_endpoints(fake: tuple[str, Mocks]) -> None:
    url, _ = fake
    with Client(url) as client:
        listing = client.connection.get_features()
        assert {(f.feature_id, f.version) for f in listing.feature_info_list} == set(
            FEATURES.items()
        )
        assert client.connection.get_feature(feature_id="dialer").version == FEATURES["dialer"]
        with pytest.raises(Exception) as caught:
            client.connection.get_feature(feature_id="nope")
        assert type(caught.value).__name__ == "NotFoundError"
