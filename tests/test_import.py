"""Importing ICWS documentation pages into endpoint spec files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.config import ANNOTATIONS
from generator.ir.build import build
from generator.ir.nodes import Api, Operation
from generator.spec.load import load
from generator.tools.importer import dropped_names, import_page
from tests.conftest import ROOT, run_cli

SHARED = ROOT.parent / "shared"
SEEDS = {
    "000_18a8a7694e32610c.txt": "paths/dialer/mark-call-for-finishing.yaml",
    "001_3496458ba2330da5.txt": "paths/dialer/update-stage.yaml",
    "004_808f8cdd9f434775.txt": "paths/dialer/set-agent-type.yaml",
}
PAGES = sorted((SHARED / "icws-docs").glob("*.txt"))


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path / "spec"


def summary(operation: Operation) -> dict[str, Any]:
    """What a page says of an operation, as the generated code sees it."""
    body = operation.body.model if operation.body else None
    return {
        "id": (
            operation.operation_id,
            operation.method,
            operation.path,
            operation.feature,
            operation.tag,
        ),
        "summary": operation.summary,
        "parameters": [(p.wire_name, p.location, p.required) for p in operation.parameters],
        "security": operation.security,
        "body": body
        and [
            (
                f.wire_name,
                f.type.plain,
                f.required,
                [c.label for c in f.type.constraints],
                f.type.choices,
            )
            for f in body.fields
        ],
        "descriptions": body and {f.wire_name: f.description for f in body.fields},
        "responses": [
            (r.status, r.description, r.body and r.body.plain, [h.wire_name for h in r.headers])
            for r in operation.responses
        ],
    }


def api_of(spec: Path) -> Api:
    return build(load(spec / "openapi.yaml"))


@pytest.mark.parametrize("page", sorted(SEEDS))
def test_seed_pages_import_as_the_hand_written_files(page: str, spec_copy: Path) -> None:
    before = {op.operation_id: op for op in api_of(spec_copy).operations}
    result = run_cli(
        "import-page",
        str(SHARED / "seeds" / page),
        "--spec",
        str(spec_copy / "openapi.yaml"),
        "--out",
        str(spec_copy / SEEDS[page]),
        "--force",
    )
    assert result.returncode == 0, result.stderr
    after = {op.operation_id: op for op in api_of(spec_copy).operations}
    assert after.keys() == before.keys()
    path = "/icws/{sessionId}/dialer/" + Path(SEEDS[page]).stem
    imported = next(op for op in after.values() if op.path == path)
    expected, got = summary(before[imported.operation_id]), summary(imported)
    # Descriptions the pages do not have (the scrape dropped the rows naming those properties) are
    # ours in the hand-written files; everything else must be the same.
    for name in expected["descriptions"]:
        if not got["descriptions"][name]:
            expected["descriptions"][name] = ""
    assert got == expected


def test_a_dropped_name_is_a_diagnostic_with_the_page_line(tmp_path: Path) -> None:
    result = run_cli(
        "import-page",
        str(SHARED / "seeds" / "004_808f8cdd9f434775.txt"),
        "--spec",
        str(tmp_path / "openapi.yaml"),
        "--out",
        str(tmp_path / "x.yaml"),
    )
    assert result.returncode == 1
    assert (
        "004_808f8cdd9f434775.txt:46:1: error: the scrape dropped the name of an enumeration property of agentTypeParameters"
        in result.stderr
    )
    assert "--name agentTypeParameters/0=NAME" in result.stderr
    given = run_cli(
        "import-page",
        str(SHARED / "seeds" / "004_808f8cdd9f434775.txt"),
        "--spec",
        str(tmp_path / "openapi.yaml"),
        "--out",
        str(tmp_path / "y.yaml"),
        "--name",
        "agentTypeParameters/0=agentType!",
    )
    assert given.returncode == 0, given.stderr


EXPECTED: dict[str, tuple[Any, ...]] = {
    "DELETE_icws-sessionId-interactions-agent-assistance-assistanceId.txt": (
        "delete",
        "/icws/{sessionId}/interactions/agent-assistance/{assistanceId}",
        [("sessionId", "ref", None), ("assistanceId", "path", True)],
        {},
        ["204", "400", "401"],
    ),
    "GET_icws-connection-version.txt": (
        "get",
        "/icws/connection/version",
        [],
        {},
        ["200", "400", "410"],
    ),
    "GET_icws-sessionId-activations-users.txt": (
        "get",
        "/icws/{sessionId}/activations/users",
        [("sessionId", "ref", None), ("select", "query", True), ("filter", "query", False)],
        {},
        ["200"],
    ),
    "GET_icws-sessionId-connection.txt": (
        "get",
        "/icws/{sessionId}/connection",
        [("sessionId", "ref", None)],
        {},
        ["200", "400", "401"],
    ),
    "POST_icws-connection.txt": (
        "post",
        "/icws/connection",
        [("Accept-Language", "header", True), ("include", "query", False)],
        {
            "__type": ("const", True),
            "applicationName": ("string", True),
            "marketPlaceApplicationLicenseName": ("string", False),
        },
        [],
    ),
    "POST_icws-sessionId-dialer-log-in.txt": (
        "post",
        "/icws/{sessionId}/dialer/log-in",
        [("sessionId", "ref", None)],
        {"campaignId": ("string", False)},
        [],
    ),
    "POST_icws-sessionId-dialer-log-off.txt": (
        "post",
        "/icws/{sessionId}/dialer/log-off",
        [("sessionId", "ref", None)],
        {"campaignIds": ("array", False)},
        ["200"],
    ),
    "POST_icws-sessionId-dialer-request-break.txt": (
        "post",
        "/icws/{sessionId}/dialer/request-break",
        [("sessionId", "ref", None)],
        {},
        ["202"],
    ),
    "POST_icws-sessionId-dialer-update-call-data.txt": (
        "post",
        "/icws/{sessionId}/dialer/update-call-data",
        [("sessionId", "ref", None)],
        {
            "callId": ("string", True),
            "callAttributes": ("object", True),
            "campaignId": ("string", True),
        },
        ["202", "400", "401"],
    ),
    "PUT_icws-sessionId-directories-speed-dial-speedDialDirectoryId.txt": (
        "put",
        "/icws/{sessionId}/directories/speed-dial/{speedDialDirectoryId}",
        [("sessionId", "ref", None), ("speedDialDirectoryId", "path", True)],
        {
            "name": ("string", True),
            "read": ("boolean", False),
            "create": ("boolean", False),
            "update": ("boolean", False),
            "delete": ("boolean", False),
            "rename": ("boolean", False),
            "primaryNumber": ("boolean", False),
            "admin": ("boolean", False),
        },
        ["204", "403"],
    ),
}
LOSE_NAMES = {
    "GET_icws-sessionId-activations-users.txt",
    "GET_icws-sessionId-connection.txt",
    "POST_icws-sessionId-dialer-update-call-data.txt",
}


def test_every_page_has_its_expectations() -> None:
    assert sorted(EXPECTED) == [p.name for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_shared_page_imports(page: Path) -> None:
    method, path, parameters, properties, statuses = EXPECTED[page.name]
    without = import_page(page, {})
    assert ("import-name" in {d.rule for d in without.diagnostics}) == (page.name in LOSE_NAMES)
    imported = import_page(page, dropped_names(ROOT / "spec" / ANNOTATIONS, page.name))
    assert (imported.method, imported.path) == (method, path)
    operation = imported.document[method]
    found = [
        (p.get("name", p.get("$ref", "").split("#/")[-1]), p.get("in", "ref"), p.get("required"))
        for p in imported.document.get("parameters", []) + operation.get("parameters", [])
    ]
    assert found == parameters
    body = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    assert {
        k: (v.get("type") or "const", k in body.get("required", []))
        for k, v in body.get("properties", {}).items()
    } == properties
    assert sorted(operation["responses"]) == statuses
    assert "page-cut" in {d.rule for d in imported.diagnostics}
    assert "import-name" not in {d.rule for d in imported.diagnostics}


def test_list_bounds_and_associated_messages(tmp_path: Path) -> None:
    log_off = import_page(SHARED / "icws-docs" / "POST_icws-sessionId-dialer-log-off.txt", {})
    campaign_ids = log_off.document["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"
    ]["campaignIds"]
    assert campaign_ids == {
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "description": campaign_ids["description"],
    }
    request_break = import_page(
        SHARED / "icws-docs" / "POST_icws-sessionId-dialer-request-break.txt", {}
    )
    assert (
        "content" not in request_break.document["post"]["responses"]["202"]
    )  # the message is not the body


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "page-not-icws"),
        ("Hello, this is a recipe.\nFlour\nEggs\n", "page-not-icws"),
        (
            "POST\n/icws/{sessionId}/x/y\nDoes a thing.\n\nRequest\n\nParameters\nType\nName\n",
            "page-cut",
        ),
    ],
    ids=["empty", "not an ICWS page", "cut mid-table"],
)
def test_bad_pages_are_reported(tmp_path: Path, text: str, rule: str) -> None:
    page = tmp_path / "page.txt"
    page.write_text(text)
    result = run_cli(
        "import-page",
        str(page),
        "--spec",
        str(tmp_path / "openapi.yaml"),
        "--out",
        str(tmp_path / "out.yaml"),
    )
    assert result.returncode == 1
    assert "page.txt:" in result.stderr and f"[{rule}]" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_imported_page_validates_and_generates(spec_copy: Path, tmp_path: Path) -> None:
    page = SHARED / "icws-docs" / "POST_icws-sessionId-dialer-update-call-data.txt"
    result = run_cli("import-page", str(page), "--spec", str(spec_copy / "openapi.yaml"))
    assert result.returncode == 1  # the page was cut: reported, and what was read is written
    assert (spec_copy / "paths" / "dialer" / "update-call-data.yaml").is_file()
    line = next(
        out
        for out in result.stdout.splitlines()
        if out.startswith("its line for the root document: ")
    )
    root = spec_copy / "openapi.yaml"
    root.write_text(
        root.read_text().replace("paths:\n", "paths:\n  " + line.split(": ", 1)[1] + "\n", 1)
    )
    generated = run_cli("generate", "--spec", str(root), "--out", str(tmp_path / "out"))
    assert generated.returncode == 0, generated.stderr
    client = tmp_path / "out" / "icws_api" / "resources" / "dialer.py"
    assert "def update_call_data(" in client.read_text()
    again = run_cli("import-page", str(page), "--spec", str(root))
    assert again.returncode == 1 and "exists; --force replaces it" in again.stderr


def test_multiple_options_become_a_one_of(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    rows = []
    for option, field in (("aSettings", "alpha"), ("bSettings", "beta")):
        rows += [
            "__type",
            f'"urn:inin.com:things:{option}"',
            "Required",
            "The JSON type representing this option.",
        ]
        rows += [field, "String", "Required", f"The {field}."]
    page.write_text(
        "POST\n/icws/{sessionId}/things/start\nStarts a thing.\nRequest\nParameters\nType\nName\n"
        "Comments\nTemplate\nsessionId\nRequired\nThe session.\nRepresentations\nstartSettings\n"
        "Property\nValue\nComments\nMultiple options:\n"
        + "\n".join(rows)
        + "\nResponse\n200 - OK\nStarted.\n"
    )
    imported = import_page(page, {})
    schema = imported.document["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["title"] == "startSettings"
    assert [o["title"] for o in schema["oneOf"]] == ["aSettings", "bSettings"]
    assert schema["oneOf"][1]["properties"]["__type"] == {
        "const": "urn:inin.com:things:bSettings",
        "description": "The JSON type representing this option.",
    }
    assert schema["oneOf"][1]["required"] == ["__type", "beta"]
