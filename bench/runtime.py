"""Runtime benchmark on loopback: the generated server and client against hand-written code and
the peers' generated code.

Servers: ``POST /icws/{sessionId}/dialer/update-stage`` with a valid body, session header and
cookie, served by one uvicorn worker each (same uvicorn, same event loop and HTTP parser, all in
the benchmark venv): the generated server, a hand-written Starlette endpoint with the same
validation, and the FastAPI servers fastapi-code-generator and openapi-generator
(``python-fastapi``) generate from the same spec. Load: wrk, one thread, 32 connections, a fixed
time per run; servers alternated run by run, and compared run by run (the median of the ratios
of two servers' figures in the same run). Every answer must be a 200.
Client: see ``client_cost.py``. Prints a Markdown section.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SESSION_ID, CSRF_TOKEN, COOKIE = "1731001", "csrf-token-value", "cookie-value"
PATH = f"/icws/{SESSION_ID}/dialer/update-stage"
BODY = '{"agentId":"jsmith","newStageId":3,"campaignId":"Sales2026"}'
HEADERS = {
    "Content-Type": "application/json",
    "ININ-ICWS-CSRF-Token": CSRF_TOKEN,
    "Cookie": f"icws_{SESSION_ID}={COOKIE}",
}


@dataclass
class Server:
    name: str
    app: str
    """uvicorn's ``module:attribute``."""
    pythonpath: list[Path]
    requests_per_second: list[float] = field(default_factory=list)


def peers(work: Path, spec_30: Path, bench_bin: Path) -> tuple[list[Server], Path]:
    """The peers' generated servers (ready to run) and openapi-python-client's client folder."""
    subprocess.run(
        [
            str(bench_bin / "fastapi-codegen"),
            "--input",
            str(spec_30),
            "--output",
            str(work / "fcg" / "fcg_app"),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            str(bench_bin / "openapi-generator-cli"),
            "generate",
            "-i",
            str(spec_30),
            "-g",
            "python-fastapi",
            "-o",
            str(work / "ogf"),
        ],
        check=True,
        capture_output=True,
    )
    shutil.copy(
        BENCH / "servers" / "openapi_generator_impl.py",
        work / "ogf" / "src" / "openapi_server" / "impl" / "bench.py",
    )
    subprocess.run(
        [
            str(bench_bin / "openapi-python-client"),
            "generate",
            "--path",
            str(spec_30),
            "--output-path",
            str(work / "opc"),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": f"{bench_bin}:{os.environ['PATH']}"},
    )
    servers = [
        Server("fastapi-code-generator (FastAPI)", "fcg_app.main:app", [work / "fcg"]),
        Server(
            "openapi-generator python-fastapi (FastAPI)",
            "openapi_server.main:app",
            [work / "ogf" / "src"],
        ),
    ]
    return servers, work / "opc"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(server: Server, python: Path) -> Iterator[str]:
    """``server`` under one uvicorn worker on a loopback port, until the block ends."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in server.pythonpath)}
    process = subprocess.Popen(
        [
            str(python),
            "-m",
            "uvicorn",
            server.app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=server.pythonpath[0],
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{server.name} did not start") from None
                time.sleep(0.05)
        request = urllib.request.Request(
            url + PATH, data=BODY.encode(), headers=HEADERS, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status != 200:
                raise SystemExit(f"{server.name} answered {answer.status}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(url: str, seconds: int, script: Path) -> float:
    """Requests per second over ``seconds``; fails when any answer was not a 200."""
    result = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{seconds}s", "--timeout", "2s", "-s", str(script), url + PATH],
        check=True,
        capture_output=True,
        text=True,
    )
    if "Non-2xx" in result.stdout or "Socket errors" in result.stdout:
        raise SystemExit(f"wrk saw failures against {url}:\n{result.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if not match:
        raise SystemExit(f"no figure from wrk:\n{result.stdout}")
    return float(match.group(1))


def lua_script(folder: Path) -> Path:
    script = folder / "update-stage.lua"
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(BODY)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in HEADERS.items()]
    script.write_text("\n".join(lines) + "\n")
    return script


def paired_ratio(server: Server, other: Server) -> float:
    """The median, over runs, of ``server``'s requests per second over ``other``'s in that run."""
    pairs = zip(server.requests_per_second, other.requests_per_second, strict=True)
    return statistics.median(mine / theirs for mine, theirs in pairs)


def server_table(servers: list[Server]) -> list[str]:
    ours, baseline = servers[0], servers[1]
    lines = [
        "### Server: requests per second, one uvicorn worker, wrk -t1 -c32",
        "",
        "| server | median req/s | min-max | vs hand-written Starlette | ours vs it |",
        "|---|---:|---:|---:|---:|",
    ]
    for server in servers:
        figures = server.requests_per_second
        median = statistics.median(figures)
        lines.append(
            f"| {server.name} | {median:,.0f} | {min(figures):,.0f}-{max(figures):,.0f} "
            f"| {paired_ratio(server, baseline):.2f}x | {paired_ratio(ours, server):.2f}x |"
        )
    return [*lines, ""]


def client_table(figures: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    lines = [
        "### Client: microseconds per call of updateStage",
        "",
        "| where | client | median µs | min-max µs | over raw httpx |",
        "|---|---|---:|---:|---:|",
    ]
    for where, clients in figures.items():
        label = "httpx.MockTransport" if where == "mock" else "live, loopback uvicorn"
        for name, stats in clients.items():
            lines.append(
                f"| {label} | {name} | {stats['median']:.1f} | {stats['min']:.1f}-{stats['max']:.1f} "
                f"| {stats['over_raw']:+.1f} µs |"
            )
    return [*lines, ""]


def targets(servers: list[Server], figures: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    """The issue's runtime targets, each computed from this run."""
    ours, baseline, *others = servers
    lines = ["### Targets", "", "| target | measured | met |", "|---|---|:-:|"]

    def row(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    ratio = paired_ratio(ours, baseline)
    row("server: at least 0.9x the hand-written Starlette endpoint", f"{ratio:.2f}x", ratio >= 0.9)
    for other in others:
        ratio = paired_ratio(ours, other)
        row(f"server: at least 3x {other.name}", f"{ratio:.2f}x", ratio >= 3)
    over = figures["mock"]["icws-codegen client"]["over_raw"]
    row(
        "client: at most 10 µs per call over raw httpx (MockTransport)",
        f"{over:+.1f} µs",
        over <= 10,
    )
    return [*lines, ""]


def report(runs: int, seconds: int, bench_bin: Path) -> str:
    """The runtime section of the results, as Markdown."""
    python = bench_bin / "python"
    with tempfile.TemporaryDirectory(prefix="icws-bench-runtime-") as temp:
        work = Path(temp)
        shutil.copytree(ROOT / "spec", work / "spec")
        subprocess.run(
            [sys.executable, str(BENCH / "synth.py"), str(work / "spec"), "--openapi-30"],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        peer_servers, opc = peers(work, work / "spec" / "openapi-3.0.json", bench_bin)
        servers = [
            Server(
                "icws-codegen generated server (Starlette)",
                "ours:app",
                [BENCH / "servers", ROOT / "generated"],
            ),
            Server("hand-written Starlette endpoint", "handwritten:app", [BENCH / "servers"]),
            *peer_servers,
        ]
        script = lua_script(work)
        for run in range(runs + 1):  # run 0 warms up
            for server in servers:
                with serving(server, python) as url:
                    figure = wrk(url, 1 if run == 0 else seconds, script)
                if run:
                    server.requests_per_second.append(figure)
            print(f"  runtime: server run {run} done", file=sys.stderr)
        with serving(servers[1], python) as url:
            client = subprocess.run(
                [str(python), str(BENCH / "client_cost.py"), str(opc), url],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT / "generated")},
            )
    figures = json.loads(client.stdout)
    return "\n".join(
        [
            "## Runtime",
            "",
            *server_table(servers),
            *client_table(figures),
            *targets(servers, figures),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per server")
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    parser.add_argument("--bench-bin", type=Path, default=ROOT / ".bench-venv" / "bin")
    args = parser.parse_args()
    print(report(args.runs, args.seconds, args.bench_bin))


if __name__ == "__main__":
    main()
