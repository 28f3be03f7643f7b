"""A deliberately flaky HTTP server on 127.0.0.1 for tests: each request it receives meets the next
fault of a script (an error status, a cut connection, silence), and once the script is spent the
request goes on to a real server behind it. Bounded: it serves one script, then stops."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

PASS = "pass"
"""Forward the request to the server behind, and its answer back."""
CUT = "cut"
"""Read the request, then close the connection without a word."""
SILENT = "silent"
"""Read the request, then say nothing until the client gives up."""

_SILENCE = 2.0
"""Seconds a silent fault holds the connection (longer than the tests' timeouts)."""


@dataclass
class FlakyServer:
    url: str
    received: list[str] = field(default_factory=list)
    """Each request received, as ``METHOD /path``, faults and passes alike."""


@contextmanager
def flaky_server(
    faults: Sequence[str | tuple[int, dict[str, str]]], upstream: str = ""
) -> Iterator[FlakyServer]:
    """A server whose n-th request meets ``faults[n]``: :data:`PASS`, :data:`CUT`, :data:`SILENT`,
    or (status, headers) to answer with an empty body. Requests beyond the script pass."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    server = FlakyServer(f"http://127.0.0.1:{listener.getsockname()[1]}")
    script = list(faults)
    stop = threading.Event()

    def serve() -> None:
        with listener, httpx.Client(base_url=upstream or "http://127.0.0.1:1", timeout=10) as http:
            while not stop.is_set():
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                with connection:
                    request = _read_request(connection)
                    if request is None:
                        continue
                    method, target, headers, body = request
                    server.received.append(f"{method} {target.partition('?')[0]}")
                    fault = script.pop(0) if script else PASS
                    if fault == CUT:
                        continue
                    if fault == SILENT:  # until the client gives up and closes
                        connection.settimeout(_SILENCE)
                        with contextlib.suppress(OSError):
                            connection.recv(1)
                        continue
                    if fault == PASS:
                        answer = http.request(method, target, headers=headers, content=body)
                        status, answer_headers, content = (
                            answer.status_code,
                            dict(answer.headers),
                            answer.content,
                        )
                    else:
                        assert isinstance(fault, tuple)
                        status, answer_headers, content = fault[0], fault[1], b""
                    answer_headers = {
                        k: v
                        for k, v in answer_headers.items()
                        if k.lower()
                        not in (
                            "content-length",
                            "connection",
                            "transfer-encoding",
                            "content-encoding",
                        )
                    }
                    head = f"HTTP/1.1 {status} X\r\n" + "".join(
                        f"{k}: {v}\r\n" for k, v in answer_headers.items()
                    )
                    head += f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n"
                    connection.sendall(head.encode("latin-1") + content)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


def _read_request(
    connection: socket.socket,
) -> tuple[str, str, list[tuple[str, str]], bytes] | None:
    connection.settimeout(5)
    data = b""
    deadline = time.monotonic() + 5
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk or time.monotonic() > deadline:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = [
        (name, value.strip()) for name, _, value in (line.partition(":") for line in lines[1:])
    ]
    length = next((int(v) for n, v in headers if n.lower() == "content-length"), 0)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        body += chunk
    kept = [(n, v) for n, v in headers if n.lower() not in ("host", "connection", "content-length")]
    return method, target, kept, body
