"""The mock logs in as real servers do (issue 22, point 2) and records every request it answers,
rejected ones too, with a command line to set it up and save them (point 6). Expected values come
from the spec's login answer and feature versions, not from lists of ICWS facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from icws_api.server.__main__ import main
from icws_api.testing import FEATURES, Mocks, create_mock_app
from starlette.testclient import TestClient

from tests.conftest import ROOT

LOGIN_FILE = ROOT / "spec/paths/connection/connection.yaml"
LOGIN = yaml.safe_load(LOGIN_FILE.read_text())["post"]
ANSWER = LOGIN["responses"]["201"]["content"]["application/vnd.inin.icws+json"]["schema"]
BODY = {
    "__type": "urn:inin.com:connection:icAuthConnectionRequestSettings",
    "applicationName": "tests",
    "userID": "agent7",
    "password": "secret",
}


def log_in(client: TestClient, include: str = "") -> Any:
    query = f"?include={include}" if include else ""
    return client.post(f"/icws/connection{query}", json=BODY, headers={"Accept-Language": "en-US"})


def test_the_session_cookie_is_scoped_to_the_sessions_own_paths() -> None:
    with TestClient(create_mock_app()) as client:
        answer = log_in(client)
    session_id = answer.headers["ININ-ICWS-Session-ID"]
    assert f"Path=/icws/{session_id};" in answer.headers["set-cookie"]


def test_the_login_answer_has_every_field_the_spec_gives_an_example_and_echoes_the_user() -> None:
    with TestClient(create_mock_app()) as client:
        body = log_in(client).json()
    always = {n for n, p in ANSWER["properties"].items() if "x-feature" not in p}
    assert always <= set(body)
    assert body["userID"] == BODY["userID"]
    assert body["icServer"] == ANSWER["properties"]["icServer"]["example"]


def test_every_include_option_is_answered_when_asked_and_only_then() -> None:
    needing = {n: p["x-feature"] for n, p in ANSWER["properties"].items() if "x-feature" in p}
    options = ",".join(
        "".join(f"-{c.lower()}" if c.isupper() else c for c in name) for name in needing
    )
    with TestClient(create_mock_app()) as client:
        asked = log_in(client, options).json()
        plain = log_in(client).json()
    assert set(needing) <= set(asked)
    assert not set(needing) & set(plain)
    assert {f["featureId"]: f["version"] for f in asked["features"]} == dict(FEATURES)


def test_the_reported_versions_cover_what_every_include_option_needs() -> None:
    needs = [p["x-feature"] for p in ANSWER["properties"].values() if "x-feature" in p]
    include = next(p for p in LOGIN["parameters"] if p["name"] == "include")
    for need in [*needs, include["x-feature"]]:
        assert FEATURES[need["name"]] >= need["version"]


def test_an_option_the_reported_features_are_too_old_for_is_left_out() -> None:
    mocks = Mocks(features={**FEATURES, "connection": 4})
    with TestClient(create_mock_app(mocks)) as client:
        body = log_in(client, "server-time,default-workstation").json()
    assert "serverTime" in body and "defaultWorkstation" not in body


def test_only_the_given_users_may_log_in() -> None:
    with TestClient(create_mock_app(Mocks(users=["jsmith"]))) as client:
        refused = log_in(client)
    assert refused.status_code == 400 and "agent7" in refused.json()["message"]


def test_every_request_is_recorded_rejected_ones_with_status_and_reason() -> None:
    mocks = Mocks()
    with TestClient(create_mock_app(mocks)) as client:
        log_in(client)
        client.get("/icws/nobody/connection")
    accepted, rejected = mocks.exchanges
    assert (accepted.method, accepted.path, accepted.status) == ("POST", "/icws/connection", 201)
    assert rejected.status == 401 and rejected.reason
    assert json.loads(mocks.calls_json())[1]["status"] == 401


def test_the_command_line_sets_features_and_users_and_saves_the_calls(
    tmp_path: Path, monkeypatch: Any
) -> None:
    answers: list[Any] = []

    def serve(app: Any, **options: Any) -> None:
        with TestClient(app) as client:  # the calls are saved as the app shuts down
            answers.append(log_in(client, "features"))

    monkeypatch.setattr("uvicorn.run", serve)
    out = tmp_path / "calls.json"
    main(["--features", "dialer=9,connection=3", "--user", "agent7", "--calls-out", str(out)])
    (answer,) = answers
    reported = {f["featureId"]: f["version"] for f in answer.json()["features"]}
    assert reported == {**FEATURES, "dialer": 9, "connection": 3}
    main(["--user", "jsmith", "--calls-out", str(out)])
    assert answers[1].status_code == 400
    assert json.loads(out.read_text())[0]["status"] == 400
