"""The client against a misbehaving server: the documented exceptions, never a hang or a stray type."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

import pytest
from icws_api import AsyncClient, Client, Session
from icws_api.errors import (
    ApiError,
    InternalServerError,
    RequestTimeoutError,
    TransportError,
    UnexpectedStatusError,
)

SESSION = Session(session_id="1", csrf_token="t", cookies={"icws_1": "c"})
Behaviour = Callable[[socket.socket], None]


def serve_once(behaviour: Behaviour) -> Iterator[str]:
    """A one-shot raw TCP server on 127.0.0.1 that reads a request and then misbehaves."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def run() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            while len(body) < length:  # read it all: unread bytes would turn the close into a reset
                body += connection.recv(65536)
            behaviour(connection)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    thread.join(timeout=10)


def reset(connection: socket.socket) -> None:
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def close_silently(connection: socket.socket) -> None:
    connection.shutdown(socket.SHUT_RDWR)


def truncated(connection: socket.socket) -> None:
    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial":')
    connection.shutdown(socket.SHUT_RDWR)


def garbage(connection: socket.socket) -> None:
    connection.sendall(b"this is not HTTP at all\r\n\r\n")
    connection.shutdown(socket.SHUT_RDWR)


def slow(connection: socket.socket) -> None:
    threading.Event().wait(1.5)


def html_500(connection: socket.socket) -> None:
    body = b"<html><body>Proxy error</body></html>"
    connection.sendall(
        b"HTTP/1.1 500 Oops\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body), body)
    )


def huge_error(connection: socket.socket) -> None:
    body = b"x" * 20_000_000
    connection.sendall(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
        % len(body)
    )
    with contextlib.suppress(OSError):
        connection.sendall(body)


def wrong_json_type(connection: socket.socket) -> None:
    body = b'{"message": ["not", "a", "string"]}'
    connection.sendall(
        b"HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body), body)
    )


CASES: list[tuple[str, Behaviour, type[Exception], str]] = [
    ("reset", reset, TransportError, ""),
    ("closed without an answer", close_silently, TransportError, ""),
    ("truncated body", truncated, TransportError, ""),
    ("not HTTP", garbage, TransportError, ""),
    ("slower than the timeout", slow, RequestTimeoutError, ""),
    ("an HTML error page", html_500, InternalServerError, "text/html"),
    ("a 20 MB error body", huge_error, UnexpectedStatusError, "502"),
    (
        "an error body of the wrong shape and type",
        wrong_json_type,
        ApiError,
        "not the error representation",
    ),
]


@pytest.mark.parametrize(
    ("name", "behaviour", "expected", "words"), CASES, ids=[c[0] for c in CASES]
)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_misbehaving_servers_give_documented_exceptions(
    name: str, behaviour: Behaviour, expected: type[Exception], words: str, flavour: str
) -> None:
    server = serve_once(behaviour)
    url = next(server)
    try:
        with pytest.raises(expected) as caught:
            if flavour == "sync":
                with Client(url, session=SESSION, timeout=0.5) as client:
                    client.dialer.update_stage(new_stage_id=1, campaign_id="c")
            else:

                async def run() -> None:
                    async with AsyncClient(url, session=SESSION, timeout=0.5) as client:
                        await client.dialer.update_stage(new_stage_id=1, campaign_id="c")

                asyncio.run(asyncio.wait_for(run(), 10))
        assert words in str(caught.value)
        if isinstance(caught.value, ApiError):
            assert len(caught.value.message) < 1000
    finally:
        next(server, None)
