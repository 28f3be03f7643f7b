"""Sessions that always end: whatever fails once ``connect`` has logged in, the session is logged
out and the HTTP client closed; ``close`` always tries to log out, and warns when it cannot.

The operations tampered with are the spec's session operations as the model names them (the
logout, the features listing), on a real loopback server in front of the generated mock.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from icws_api import AsyncClient, Client, errors
from icws_api.testing import Mocks, create_mock_app

from generator.ir.build import build
from generator.ir.nodes import Api, Operation
from generator.spec.load import load
from tests.conftest import SPEC
from tests.loopback import App, LoopbackServer, Receive, Reply, Scope, Send
from tests.test_session import LOGIN

FLAVOURS = pytest.mark.parametrize("asynchronous", [False, True], ids=["blocking", "asyncio"])


@pytest.fixture(scope="module")
def api() -> Api:
    return build(load(SPEC))


class Tampered:
    """The mock's app, but requests of the operations told to answer otherwise get that answer
    (the mock never sees them); ``answered`` holds their operation ids, in order."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.replies: list[tuple[Operation, re.Pattern[str], Reply]] = []
        self.answered: list[str] = []

    def answer(
        self, operation: Operation, status: int, body: bytes = b"", content_type: str = ""
    ) -> None:
        path = "".join(
            "[^/]+" if part.parameter else re.escape(part.literal) for part in operation.path_parts
        )
        headers = [("Content-Type", content_type)] if content_type else []
        self.replies.append((operation, re.compile(path + "$"), Reply(status, headers, body)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        for operation, path, reply in self.replies:
            if scope["method"] == operation.method and path.match(scope["path"]):
                self.answered.append(operation.operation_id)
                headers = [(k.encode(), v.encode()) for k, v in reply.headers]
                await send(
                    {"type": "http.response.start", "status": reply.status, "headers": headers}
                )
                await send({"type": "http.response.body", "body": reply.body})
                return
        await self.app(scope, receive, send)


def recording_http_clients(
    monkeypatch: pytest.MonkeyPatch,
) -> list[httpx.Client | httpx.AsyncClient]:
    """The list of every HTTP client made from now on, blocking or asyncio."""
    made: list[httpx.Client | httpx.AsyncClient] = []

    class RecordedClient(httpx.Client):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    class RecordedAsyncClient(httpx.AsyncClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(httpx, "Client", RecordedClient)
    monkeypatch.setattr(httpx, "AsyncClient", RecordedAsyncClient)
    return made


def interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


@dataclass(frozen=True)
class Scene:
    """One test's world: the model, the mocks behind a tampered loopback server, the HTTP
    clients made, and the client's flavour (blocking or asyncio)."""

    api: Api
    mocks: Mocks
    url: str
    tampered: Tampered
    http_clients: list[httpx.Client | httpx.AsyncClient]
    monkeypatch: pytest.MonkeyPatch
    asynchronous: bool

    @property
    def logout(self) -> Operation:
        assert self.api.session_delete is not None
        return self.api.session_delete

    @property
    def features(self) -> Operation:
        assert self.api.features_operation is not None
        return self.api.features_operation

    def connect_and_close(self, closes: int = 1) -> None:
        """Connect and close the client ``closes`` times."""
        if not self.asynchronous:
            client = Client.connect(self.url, **LOGIN)
            for _ in range(closes):
                client.close()
            return

        async def run() -> None:
            client = await AsyncClient.connect(self.url, **LOGIN)
            for _ in range(closes):
                await client.close()

        asyncio.run(run())

    def logouts(self) -> int:
        """How many logouts the mock served."""
        calls = getattr(self.mocks, self.logout.tag_attribute).calls
        return [call.operation for call in calls].count(self.logout.operation_id)

    def http_clients_closed(self) -> bool:
        """Whether HTTP clients were made, and all are closed."""
        return bool(self.http_clients) and all(http.is_closed for http in self.http_clients)

    def interrupt_the_features_call(self) -> None:
        """Make the tag client's features method raise ``KeyboardInterrupt``."""
        tag = next(tag for tag in self.api.tags if tag.attribute == self.features.tag_attribute)
        module = importlib.import_module(f"{self.api.package}.resources.{tag.module}")
        name = tag.async_client_class if self.asynchronous else tag.client_class
        self.monkeypatch.setattr(getattr(module, name), self.features.name, interrupt)


@pytest.fixture
def scene(api: Api, monkeypatch: pytest.MonkeyPatch, asynchronous: bool) -> Iterator[Scene]:
    mocks = Mocks()
    tampered = Tampered(create_mock_app(mocks))
    with LoopbackServer(tampered) as running:
        made = recording_http_clients(monkeypatch)
        yield Scene(api, mocks, running.url, tampered, made, monkeypatch, asynchronous)


def features_answer_500(scene: Scene) -> type[BaseException]:
    scene.tampered.answer(scene.features, 500)
    return errors.error_for_status(500)


def features_answer_an_invalid_body(scene: Scene) -> type[BaseException]:
    scene.tampered.answer(scene.features, 200, b"[]", "application/json")
    return errors.ApiError


def features_call_interrupted(scene: Scene) -> type[BaseException]:
    scene.interrupt_the_features_call()
    return KeyboardInterrupt


@FLAVOURS
@pytest.mark.parametrize(
    "failure", [features_answer_500, features_answer_an_invalid_body, features_call_interrupted]
)
def test_whatever_fails_once_logged_in_connect_logs_out_and_closes_its_http_client(
    scene: Scene, failure: Callable[[Scene], type[BaseException]]
) -> None:
    with pytest.raises(failure(scene)):
        scene.connect_and_close()
    assert scene.logouts() == 1
    assert scene.mocks.sessions.live == []
    assert scene.http_clients_closed()


@FLAVOURS
def test_a_logout_failing_in_that_cleanup_is_noted_on_the_error_connect_raises(
    scene: Scene,
) -> None:
    scene.interrupt_the_features_call()
    scene.tampered.answer(scene.logout, 500)
    with pytest.raises(KeyboardInterrupt) as caught:
        scene.connect_and_close()
    assert scene.tampered.answered == [scene.logout.operation_id]
    (note,) = caught.value.__notes__
    assert errors.error_for_status(500).__name__ in note
    assert scene.http_clients_closed()


@FLAVOURS
def test_close_logs_out_once_and_closing_again_is_harmless(scene: Scene) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scene.connect_and_close(closes=2)
    assert scene.logouts() == 1
    assert scene.mocks.sessions.live == []
    assert scene.http_clients_closed()


@FLAVOURS
def test_close_warns_when_the_logout_fails_and_still_closes_its_http_client(
    scene: Scene,
) -> None:
    scene.tampered.answer(scene.logout, 500)
    with pytest.warns(RuntimeWarning, match="Logging out failed") as warned:
        scene.connect_and_close(closes=2)
    assert len(warned) == 1
    assert errors.error_for_status(500).__name__ in str(warned[0].message)
    assert scene.tampered.answered == [scene.logout.operation_id]
    assert scene.http_clients_closed()


@FLAVOURS
def test_close_logs_out_even_when_the_server_does_not_list_the_logout_s_feature(
    scene: Scene,
) -> None:
    assert scene.logout.feature is not None
    del scene.mocks.features[scene.logout.feature.name]
    scene.connect_and_close()
    assert scene.logouts() == 1
    assert scene.mocks.sessions.live == []
