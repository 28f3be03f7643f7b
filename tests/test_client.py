"""The generated client against a real HTTP server on 127.0.0.1, blocking and asyncio alike."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from icws_api import AsyncClient, Client, Session, errors
from icws_api.errors import (
    ApiError,
    BadRequestError,
    ClientError,
    FeatureNotSupportedError,
    ForbiddenError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    RequestTimeoutError,
    TransportError,
    UnauthorizedError,
    UnexpectedStatusError,
)
from icws_api.models import AgentType, UpdateStageParameters

from generator.ir.build import build
from generator.spec.load import load
from tests.conftest import SPEC
from tests.loopback import LoopbackServer, Recorder

API = build(load(SPEC))

SESSION = Session(
    session_id="1731001", csrf_token="token-abc", cookies={"icws_1731001": "cookie-xyz"}
)
ICWS_JSON = "application/vnd.inin.icws+JSON; charset=utf-8"
CHALLENGE = 'ICWS realm="ICWS" location="/ICWS/connection"'

Invoke = Callable[..., Any]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[LoopbackServer, Recorder]]:
    recorder = Recorder()
    with LoopbackServer(recorder) as running:
        yield running, recorder


@pytest.fixture
def recorder(server: tuple[LoopbackServer, Recorder]) -> Recorder:
    server[1].requests.clear()
    server[1].replies.clear()
    return server[1]


@pytest.fixture(params=["sync", "async"])
def invoke(request: pytest.FixtureRequest, server: tuple[LoopbackServer, Recorder]) -> Invoke:
    """Call ``client.dialer.<operation>(...)`` with a fresh client of the flavour under test."""
    url = server[0].url

    def sync_call(
        operation: str, *args: Any, client_options: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        with Client(url, session=SESSION, **(client_options or {})) as client:
            return getattr(client.dialer, operation)(*args, **kwargs)

    def async_call(
        operation: str, *args: Any, client_options: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        async def run() -> Any:
            async with AsyncClient(url, session=SESSION, **(client_options or {})) as client:
                return await getattr(client.dialer, operation)(*args, **kwargs)

        return asyncio.run(run())

    return sync_call if request.param == "sync" else async_call


def test_update_stage_sends_exactly_the_wire_request(invoke: Invoke, recorder: Recorder) -> None:
    assert invoke("update_stage", new_stage_id=3, campaign_id="c1") is None
    (request,) = recorder.requests
    assert (request.method, request.path, request.query) == (
        "POST",
        "/icws/1731001/dialer/update-stage",
        "",
    )
    assert request.headers["inin-icws-csrf-token"] == "token-abc"
    assert request.headers["cookie"] == "icws_1731001=cookie-xyz"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/vnd.inin.icws+json"
    assert request.body == b'{"newStageId":3,"campaignId":"c1"}'


def test_mark_call_for_finishing_with_attributes(invoke: Invoke, recorder: Recorder) -> None:
    invoke("mark_call_for_finishing", call_id="c", campaign_id="k", call_attributes={"a": "b"})
    (request,) = recorder.requests
    assert request.path == "/icws/1731001/dialer/mark-call-for-finishing"
    assert json.loads(request.body) == {
        "callId": "c",
        "campaignId": "k",
        "callAttributes": {"a": "b"},
    }


def test_set_agent_type_sends_the_enum_as_its_value(invoke: Invoke, recorder: Recorder) -> None:
    invoke("set_agent_type", agent_type=AgentType.FINISHING, campaign_ids=["k"])
    (request,) = recorder.requests
    assert request.path == "/icws/1731001/dialer/set-agent-type"
    assert request.body == b'{"agentType":2,"campaignIds":["k"]}'


def test_a_ready_model_is_sent_as_given(invoke: Invoke, recorder: Recorder) -> None:
    invoke("update_stage", UpdateStageParameters(agent_id="a1", new_stage_id=-1, campaign_id="c"))
    assert recorder.requests[0].body == b'{"agentId":"a1","newStageId":-1,"campaignId":"c"}'


def test_a_model_and_keywords_together_are_refused(invoke: Invoke, recorder: Recorder) -> None:
    with pytest.raises(TypeError):
        invoke(
            "update_stage", UpdateStageParameters(new_stage_id=1, campaign_id="c"), campaign_id="d"
        )
    assert recorder.requests == []


def test_invalid_arguments_raise_invalid_argument_error_before_sending(
    invoke: Invoke, recorder: Recorder
) -> None:
    with pytest.raises(InvalidArgumentError, match=r"new_stage_id|newStageId") as raised:
        invoke("update_stage", new_stage_id=2**31, campaign_id="c")
    assert raised.value.__cause__ is None  # pydantic's message would quote the values
    assert raised.value.operation == "updateStage"
    with pytest.raises(InvalidArgumentError):
        invoke("set_agent_type", agent_type=AgentType.REGULAR, campaign_ids=[])
    assert recorder.requests == []


def test_the_session_id_stays_one_path_segment(
    recorder: Recorder, server: tuple[LoopbackServer, Recorder]
) -> None:
    session = Session(session_id="../a b/?x", csrf_token="t")
    with Client(server[0].url, session=session) as client:
        client.dialer.update_stage(new_stage_id=1, campaign_id="c")
    assert recorder.requests[0].path == "/icws/..%2Fa%20b%2F%3Fx/dialer/update-stage"


ERRORS = [
    (error.status, getattr(errors, error.name)) for error in API.error_classes if not error.body
]
"""Every documented error status whose body is the error representation, and its class."""


@pytest.mark.parametrize(("status", "error_class"), ERRORS, ids=[str(s) for s, _ in ERRORS])
def test_documented_error_statuses_raise_their_class(
    invoke: Invoke, recorder: Recorder, status: int, error_class: type[ApiError]
) -> None:
    body = json.dumps({"errorId": f"error.{status}", "message": f"went wrong {status}"}).encode()
    recorder.reply(status, body, ICWS_JSON)
    with pytest.raises(error_class) as caught:
        invoke("update_stage", new_stage_id=3, campaign_id="c1")
    error = caught.value
    assert (error.status_code, error.error_id, error.message) == (
        status,
        f"error.{status}",
        f"went wrong {status}",
    )
    assert error.response is not None and error.response.status_code == status
    assert str(error) == f"{status}: went wrong {status}"


def test_every_exception_of_the_package_derives_from_one_root() -> None:
    root = getattr(errors, API.root_error)
    classes = [getattr(errors, name) for name in errors.__all__]
    exceptions = [c for c in classes if isinstance(c, type) and issubclass(c, BaseException)]
    assert {error.name for error in API.error_classes} <= {c.__name__ for c in exceptions}
    assert root.__name__ == API.root_error and root in exceptions
    assert all(issubclass(c, root) for c in exceptions)
    assert not issubclass(ApiError, ClientError) and not issubclass(ClientError, ApiError)
    assert issubclass(TransportError, ClientError) and issubclass(RequestTimeoutError, TimeoutError)
    assert issubclass(errors.InvalidArgumentError, ClientError)
    assert issubclass(errors.InvalidArgumentError, ValueError)


@pytest.mark.parametrize("flavour", [Client, AsyncClient], ids=["sync", "async"])
def test_each_tag_is_a_client_attribute_made_on_first_use_and_kept(
    flavour: type[Client] | type[AsyncClient],
) -> None:
    client = flavour("http://127.0.0.1:1")
    for tag in API.tags:
        assert tag.attribute not in vars(client)  # not made before it is used
        made = getattr(client, tag.attribute)
        expected = tag.async_client_class if flavour is AsyncClient else tag.client_class
        assert type(made).__name__ == expected
        assert getattr(client, tag.attribute) is made
        assert {op.name for op in tag.operations} <= set(dir(made))


def test_401_exposes_the_parsed_challenge(invoke: Invoke, recorder: Recorder) -> None:
    recorder.reply(401, b'{"message": "expired"}', ICWS_JSON, WWW_Authenticate=CHALLENGE)
    with pytest.raises(UnauthorizedError) as caught:
        invoke("set_agent_type", agent_type=AgentType.REGULAR, campaign_ids=["k"])
    challenge = caught.value.challenge
    assert challenge is not None
    assert (challenge.scheme, challenge.realm, challenge.location) == (
        "ICWS",
        "ICWS",
        "/ICWS/connection",
    )
    assert caught.value.error_id is None


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error_class", "words"),
    [
        (418, b'{"message": "teapot"}', ICWS_JSON, UnexpectedStatusError, "teapot"),
        (404, b'{"message": "no such thing"}', "application/json", NotFoundError, "no such thing"),
        (
            502,
            b"<html><body>Bad gateway</body></html>",
            "text/html",
            UnexpectedStatusError,
            "text/html",
        ),
        (500, b"", None, InternalServerError, "empty body"),
        (400, b'{"message": "cut', ICWS_JSON, BadRequestError, "not the error representation"),
        (403, b'{"errorId": 7}', ICWS_JSON, ForbiddenError, "not the error representation"),
        (301, b"", None, UnexpectedStatusError, "301"),
    ],
)
def test_unexpected_answers_still_raise_the_right_class(
    invoke: Invoke,
    recorder: Recorder,
    status: int,
    body: bytes,
    content_type: str | None,
    error_class: type[ApiError],
    words: str,
) -> None:
    recorder.reply(status, body, content_type)
    with pytest.raises(error_class) as caught:
        invoke("update_stage", new_stage_id=3, campaign_id="c1")
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert words in caught.value.message


def test_a_timeout_raises_request_timeout_error(invoke: Invoke, recorder: Recorder) -> None:
    recorder.stall(1.0)
    with pytest.raises(RequestTimeoutError) as caught:
        invoke("update_stage", new_stage_id=3, campaign_id="c1", client_options={"timeout": 0.1})
    assert isinstance(caught.value, TimeoutError)
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


def test_no_server_raises_transport_error(recorder: Recorder) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        Client(f"http://127.0.0.1:{port}", session=SESSION) as client,
        pytest.raises(TransportError),
    ):
        client.dialer.update_stage(new_stage_id=3, campaign_id="c1")


@pytest.mark.parametrize("operation", ["mark_call_for_finishing", "update_stage"])
def test_too_old_a_feature_raises_before_sending(
    invoke: Invoke, recorder: Recorder, operation: str
) -> None:
    arguments = (
        {"call_id": "c", "campaign_id": "k"}
        if operation != "update_stage"
        else {"new_stage_id": 1, "campaign_id": "k"}
    )
    with pytest.raises(FeatureNotSupportedError) as caught:
        invoke(operation, client_options={"features": {"dialer": 4}}, **arguments)
    assert recorder.requests == []
    assert (caught.value.feature, caught.value.available) == ("dialer", 4)
    assert caught.value.required in (5, 7)


def test_a_new_enough_feature_sends(invoke: Invoke, recorder: Recorder) -> None:
    invoke(
        "set_agent_type",
        agent_type=AgentType.COMPOSITE,
        campaign_ids=["k"],
        client_options={"features": {"dialer": 4}},
    )
    assert len(recorder.requests) == 1


def test_a_feature_the_server_does_not_list_is_unknown_and_the_call_is_sent(
    invoke: Invoke, recorder: Recorder
) -> None:
    invoke(
        "set_agent_type",
        agent_type=AgentType.REGULAR,
        campaign_ids=["k"],
        client_options={"features": {}},
    )
    assert len(recorder.requests) == 1


def test_a_ready_http_client_is_used_and_left_open(
    recorder: Recorder, server: tuple[LoopbackServer, Recorder]
) -> None:
    with httpx.Client(base_url=server[0].url, headers={"X-Team": "blue"}) as http:
        with Client(session=SESSION, http=http) as client:
            client.dialer.update_stage(new_stage_id=3, campaign_id="c1")
        assert not http.is_closed
        assert recorder.requests[0].headers["x-team"] == "blue"
    own = Client(server[0].url, session=SESSION)
    own.close()
    assert own._http.is_closed


def test_base_url_or_http_client_exactly_one() -> None:
    with pytest.raises(TypeError):
        Client(session=SESSION)
    with httpx.Client() as http, pytest.raises(TypeError):
        Client("http://127.0.0.1:1", session=SESSION, http=http)


def test_the_session_keeps_credentials_out_of_repr() -> None:
    shown = repr(SESSION)
    assert "1731001" in shown
    assert "token-abc" not in shown and "cookie-xyz" not in shown
