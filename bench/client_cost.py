"""The generated client's cost per call, against raw httpx sending the same bytes.

Runs in the benchmark venv: ``client_cost.py OPC_FOLDER [LIVE_URL]``. Through
``httpx.MockTransport`` (no network: what each client adds on top of httpx) and, with a URL, live
against a loopback server. openapi-python-client's client of the same spec is measured alike.
Many short rounds, each calling every client in turn (the order rotated round by round), so that
the machine's drift hits all alike; each client's cost over raw httpx is the median of its
per-round differences from raw httpx in the same round. Prints the figures as JSON.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable

import httpx

SESSION_ID, CSRF_TOKEN, COOKIE = "1731001", "csrf-token-value", "cookie-value"
ROUNDS = 35
RAW = "raw httpx"


def clients(base_url: str, transport: httpx.BaseTransport | None) -> dict[str, Callable[[], None]]:
    """One call of ``updateStage`` for each client, all sending the same request."""
    from icws_api import Client, Session
    from icws_api_client import Client as OpcClient
    from icws_api_client.api.dialer import update_stage
    from icws_api_client.models import UpdateStageUpdateStageParameters as OpcBody

    http = httpx.Client(base_url=base_url, transport=transport)
    session = Session(
        csrf_token=CSRF_TOKEN, session_id=SESSION_ID, cookies={f"icws_{SESSION_ID}": COOKIE}
    )
    ours = Client(http=http, session=session)

    sent: list[httpx.Request] = []
    capture = httpx.Client(
        base_url=base_url,
        transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200)),
    )
    Client(http=capture, session=session).dialer.update_stage(
        new_stage_id=3, campaign_id="Sales2026", agent_id="jsmith"
    )
    request = sent[0]
    raw_headers = {
        k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")
    }
    raw_body, raw_url = request.content, request.url.path

    opc = OpcClient(
        base_url=base_url,
        headers={"ININ-ICWS-CSRF-Token": CSRF_TOKEN},
        cookies={f"icws_{SESSION_ID}": COOKIE},
        httpx_args={"transport": transport} if transport else {},
    )
    opc_body = OpcBody(new_stage_id=3, campaign_id="Sales2026", agent_id="jsmith")

    def raw() -> None:
        response = http.post(raw_url, content=raw_body, headers=raw_headers)
        if response.status_code != 200:
            raise SystemExit(f"raw httpx: {response.status_code}")

    def generated() -> None:
        ours.dialer.update_stage(new_stage_id=3, campaign_id="Sales2026", agent_id="jsmith")

    def peer() -> None:
        response = update_stage.sync_detailed(session_id=SESSION_ID, client=opc, body=opc_body)
        if response.status_code != 200:
            raise SystemExit(f"openapi-python-client: {response.status_code}")

    return {
        RAW: raw,
        "icws-codegen client": generated,
        "openapi-python-client client": peer,
    }


def per_call_microseconds(
    calls: dict[str, Callable[[], None]], count: int
) -> dict[str, list[float]]:
    """Each client's microseconds per call in each round of ``count`` calls."""
    for call in calls.values():  # warm-up
        for _ in range(min(count, 200)):
            call()
    names = list(calls)
    figures: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(ROUNDS):
        turn = round_number % len(names)
        for name in names[turn:] + names[:turn]:
            call = calls[name]
            gc.collect()
            start = time.perf_counter()
            for _ in range(count):
                call()
            figures[name].append((time.perf_counter() - start) / count * 1e6)
    return figures


def summary(figures: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Per client: median, min and max per call, and the median of its per-round differences
    from raw httpx."""
    raw = figures[RAW]
    return {
        name: {
            "median": statistics.median(rounds),
            "min": min(rounds),
            "max": max(rounds),
            "over_raw": statistics.median(
                mine - theirs for mine, theirs in zip(rounds, raw, strict=True)
            ),
        }
        for name, rounds in figures.items()
    }


def main() -> None:
    sys.path.insert(0, sys.argv[1])
    live_url = sys.argv[2] if len(sys.argv) > 2 else None
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    results = {"mock": per_call_microseconds(clients("http://icws.test", mock), 1000)}
    if live_url:
        results["live"] = per_call_microseconds(clients(live_url, None), 200)
    print(json.dumps({where: summary(figures) for where, figures in results.items()}))


if __name__ == "__main__":
    main()
