"""The server under hostile requests and load: documented answers, bounded cost, still serving."""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from icws_api.models import Error
from icws_api.server import RequestContext, create_app
from icws_api.testing import Mocks

from tests.conftest import GENERATED
from tests.loopback import LoopbackServer

UPDATE = "/icws/1731001/dialer/update-stage"
CREDENTIALS = {"ININ-ICWS-CSRF-Token": "token-abc", "Cookie": "icws_1731001=cookie-xyz"}
GOOD = b'{"newStageId":3,"campaignId":"c1"}'


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    def valid(ctx: RequestContext) -> bool:
        return ctx.csrf_token == "token-abc"

    with LoopbackServer(create_app(dialer=Mocks().dialer, authenticate=valid)) as running:
        yield running.url


@dataclass(frozen=True)
class Hostile:
    name: str
    status: int
    body: bytes | None = GOOD
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    path: str = UPDATE


HOSTILE = [
    Hostile("10 MB body", 400, b'{"campaignId":"' + b"x" * 10_000_000 + b'"}'),
    Hostile("10,000-deep nesting", 400, b'{"x":' + b"[" * 10_000 + b"]" * 10_000 + b"}"),
    Hostile("100,000-deep nesting", 400, b"[" * 100_000 + b"]" * 100_000),
    Hostile("invalid UTF-8", 400, b'{"newStageId":3,"campaignId":"\xc3\x28"}'),
    Hostile("duplicate keys", 400, b'{"newStageId":1,"newStageId":2,"campaignId":"c"}'),
    Hostile("NaN", 400, b'{"newStageId":NaN,"campaignId":"c"}'),
    Hostile("Infinity", 400, b'{"newStageId":Infinity,"campaignId":"c"}'),
    Hostile("a 4,000-digit number", 400, b'{"newStageId":' + b"9" * 4000 + b',"campaignId":"c"}'),
    Hostile("a huge float", 400, b'{"newStageId":1e400,"campaignId":"c"}'),
    Hostile("no content type", 400, headers=()),
    Hostile("a wrong content type", 400, headers=(("Content-Type", "text/html"),)),
    Hostile(
        "a content type with junk parameters",
        200,
        headers=(("Content-Type", "application/json; x=\x01"),),
    ),
    Hostile(
        "a 60 KB header",
        200,
        headers=(("Content-Type", "application/json"), ("X-Long", "a" * 60_000)),
    ),
    Hostile(
        "a 60 KB CSRF token",
        401,
        headers=(("Content-Type", "application/json"), ("ININ-ICWS-CSRF-Token", "t" * 60_000)),
    ),
    Hostile("a 60 KB session id", 401, path="/icws/" + "a" * 60_000 + "/dialer/update-stage"),
    Hostile("a 60 KB unknown path", 404, path="/" + "a" * 60_000),
    Hostile(
        "traversal in the session id", 404, path="/icws/..%2F..%2Fetc%2Fpasswd/dialer/update-stage"
    ),
    Hostile("dot segments", 404, path="/icws/../../etc/passwd"),
    Hostile("a NUL in the session id", 401, path="/icws/1731001%00/dialer/update-stage"),
]


def raw_request(url: str, hostile: Hostile) -> tuple[int, dict[str, str], bytes]:
    """Send the request: with httpx, or with a plain socket where httpx would tidy the path."""
    headers = dict(CREDENTIALS)
    headers.update(hostile.headers)
    if len(hostile.path) < 2000 and "%00" not in hostile.path and "/../" not in hostile.path:
        answer = httpx.post(url + hostile.path, content=hostile.body, headers=headers, timeout=15)
        return answer.status_code, dict(answer.headers), answer.content
    return socket_request(url, hostile)


def socket_request(url: str, hostile: Hostile) -> tuple[int, dict[str, str], bytes]:
    """Send the request with a plain socket (no client library to tidy it), read the answer."""
    host, port = url.removeprefix("http://").split(":")
    headers = dict(CREDENTIALS)
    headers.update(hostile.headers)
    if hostile.body is not None:
        headers["Content-Length"] = str(len(hostile.body))
    head = f"POST {hostile.path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((host, int(port)), timeout=15) as connection:
        connection.sendall(head.encode("latin-1") + (hostile.body or b""))
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    status_line, _, rest = answer.partition(b"\r\n")
    head_block, _, body = rest.partition(b"\r\n\r\n")
    parsed = dict(
        line.decode("latin-1").split(": ", 1) for line in head_block.split(b"\r\n") if b": " in line
    )
    return int(status_line.split()[1]), {k.lower(): v for k, v in parsed.items()}, body


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_requests_get_documented_answers(url: str, hostile: Hostile) -> None:
    started = time.monotonic()
    status, headers, body = raw_request(url, hostile)
    assert time.monotonic() - started < 5
    assert status == hostile.status, body[:300]
    if status >= 400:
        assert headers["content-type"] == "application/vnd.inin.icws+json; charset=utf-8"
        message = Error.model_validate_json(body).message
        assert len(message) < 500
        assert (
            "token-abc" not in message
            and "cookie-xyz" not in message
            and "Traceback" not in message
        )
    assert (
        httpx.post(
            url + UPDATE, content=GOOD, headers={**CREDENTIALS, "Content-Type": "application/json"}
        ).status_code
        == 200
    )


def test_hostile_requests_cost_bounded_memory(url: str) -> None:
    for hostile in HOSTILE:
        raw_request(url, hostile)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(3):
        for hostile in HOSTILE:
            raw_request(url, hostile)
    growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert growth_kib < 64 * 1024, f"peak memory grew by {growth_kib} KiB"


def test_credentials_never_reach_the_log(url: str, caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-token-value"
    for headers in (
        {"ININ-ICWS-CSRF-Token": secret},
        {**CREDENTIALS, "ININ-ICWS-CSRF-Token": secret},
    ):
        answer = httpx.post(
            url + UPDATE, content=GOOD, headers={**headers, "Content-Type": "application/json"}
        )
        assert answer.status_code == 401 and secret not in answer.text
    assert secret not in caplog.text


SERVER = """
import sys, uvicorn
from icws_api.testing import create_mock_app
uvicorn.run(create_mock_app(check_sessions=False), host="127.0.0.1", port=int(sys.argv[1]), log_level="error")
"""


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_a_bounded_load_of_mixed_requests(tmp_path: pytest.TempPathFactory) -> None:
    total, concurrency = 20_000, 50
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        bodies = [GOOD, b'{"newStageId":"3"}', b"{", b'{"newStageId":99999999999,"campaignId":"c"}']
        statuses: dict[int, int] = {}
        failures: list[str] = []
        queue = iter(range(total))

        async def connection() -> None:
            """One keep-alive connection sending requests in turn (a bare HTTP/1.1 client, so
            the load is the server's, not the client library's)."""
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                for index in queue:
                    body = bodies[index % len(bodies)]
                    head = f"POST {UPDATE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    head += "".join(f"{k}: {v}\r\n" for k, v in CREDENTIALS.items())
                    writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
                    await writer.drain()
                    status_line = await asyncio.wait_for(reader.readline(), 30)
                    length = 0
                    while (line := await reader.readline()) not in (b"\r\n", b""):
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    await reader.readexactly(length)
                    status = int(status_line.split()[1])
                    statuses[status] = statuses.get(status, 0) + 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError, IndexError) as exc:
                failures.append(repr(exc))
            finally:
                writer.close()

        async def run() -> None:
            await asyncio.gather(*(connection() for _ in range(concurrency)))

        warm = rss_kib(server.pid)
        started = time.monotonic()
        asyncio.run(run())
        elapsed = time.monotonic() - started
        growth = rss_kib(server.pid) - warm
        print(
            f"\n{total} requests, {concurrency} connections: {elapsed:.1f} s, {total / elapsed:.0f}/s, statuses {statuses}, server RSS +{growth} KiB"
        )
        assert failures == []
        assert sum(statuses.values()) == total
        assert statuses == {200: total // 4, 400: total * 3 // 4}
        assert growth < 50 * 1024
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
