"""Importing ICWS documentation pages into endpoint spec files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import ANNOTATIONS
from generator.diagnostics import Severity, has_errors
from generator.ir.build import build
from generator.ir.nodes import Api, Operation
from generator.spec.load import load
from generator.tools.importer import SHARED_ERRORS, Imported, dropped_names, import_page
from tests.conftest import ROOT, run_cli, snapshot
from tests.icws_pages import ICWS_DOCS, SPEC_BEFORE_IMPORT, icws_pages, import_every_page

SHARED = ROOT.parent / "shared"
SEEDS = {
    "000_18a8a7694e32610c.txt": "paths/dialer/mark-call-for-finishing.yaml",
    "001_3496458ba2330da5.txt": "paths/dialer/update-stage.yaml",
    "004_808f8cdd9f434775.txt": "paths/dialer/set-agent-type.yaml",
}
PAGES = icws_pages()


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    shutil.copytree(SPEC_BEFORE_IMPORT, tmp_path / "spec")
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


def test_a_flattened_enumeration_is_warned_about_at_its_page_line_unless_named() -> None:
    page = SHARED / "seeds" / "004_808f8cdd9f434775.txt"
    unnamed = import_page(page, {})
    warnings = [str(d) for d in unnamed.diagnostics if d.rule == "import-name"]
    assert len(warnings) == 1
    assert (
        "004_808f8cdd9f434775.txt:46:1: warning: the scrape dropped the name of an enumeration "
        "property of agentTypeParameters" in warnings[0]
    )
    assert "--name agentTypeParameters/0=NAME" in warnings[0]
    assert not has_errors(unnamed.diagnostics)
    named = import_page(page, dropped_names(ROOT / "spec" / ANNOTATIONS, page.name))
    assert "import-name" not in {d.rule for d in named.diagnostics}
    schema = named.document["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "agentType" in schema["required"] and "agentType" in schema["properties"]


def test_a_nested_object_the_names_file_gives_holds_its_rows() -> None:
    page = ICWS_DOCS / "PUT_icws-sessionId-directories-speed-dial-speedDialDirectoryId.txt"
    flat = body_schema(import_page(page, {}), "put")
    nested = body_schema(
        import_page(page, dropped_names(ROOT / "spec" / ANNOTATIONS, page.name)), "put"
    )
    members = list(flat["properties"])[1:]
    assert list(nested["properties"]) == ["name", "accessRights"]
    access_rights = nested["properties"]["accessRights"]
    assert access_rights["type"] == "object"
    assert access_rights["properties"] == {m: flat["properties"][m] for m in members}
    wrong = import_page(page, {"directoryParameters/1-9": "accessRights"})
    assert "import-name" in {d.rule for d in wrong.diagnostics}
    assert body_schema(wrong, "put") == flat


def body_schema(imported: Imported, method: str) -> dict[str, Any]:
    body = imported.document[method]["requestBody"]["content"]["application/json"]
    schema: dict[str, Any] = body["schema"]
    return schema


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
        ["default"],
    ),
    "POST_icws-sessionId-dialer-log-in.txt": (
        "post",
        "/icws/{sessionId}/dialer/log-in",
        [("sessionId", "ref", None)],
        {"campaignId": ("string", False)},
        ["default"],
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
        {"name": ("string", True), "accessRights": ("object", False)},
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
    listed = {s: r for s, r in operation["responses"].items() if set(r) != {"$ref"}}
    assert sorted(listed) == statuses
    stand_ins = set(operation["responses"]) - set(listed)
    assert stand_ins == set(SHARED_ERRORS) - set(statuses), "every shared error, once"
    assert {d.severity for d in imported.diagnostics if d.rule == "page-cut"} == {Severity.WARNING}
    assert "import-name" not in {d.rule for d in imported.diagnostics}


def test_list_bounds_and_associated_messages(tmp_path: Path) -> None:
    log_off = import_page(ICWS_DOCS / "POST_icws-sessionId-dialer-log-off.txt", {})
    campaign_ids = log_off.document["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"
    ]["campaignIds"]
    assert campaign_ids == {
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "description": campaign_ids["description"],
    }
    request_break = import_page(ICWS_DOCS / "POST_icws-sessionId-dialer-request-break.txt", {})
    assert (
        "content" not in request_break.document["post"]["responses"]["202"]
    )  # the message is not the body


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "page-not-icws"),
        ("Hello, this is a recipe.\nFlour\nEggs\n", "page-not-icws"),
    ],
    ids=["empty", "not an ICWS page"],
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


def import_into(spec: Path, page: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return run_cli("import-page", str(page), "--spec", str(spec / "openapi.yaml"), *options)


CUT_MID_TABLE = (
    "POST\n/icws/{sessionId}/x/y\nDoes a thing.\n\nRequest\n\nParameters\nType\nName\n"
    "Comments\nTemplate\nsessionId\nRequired\nThe session.\nRepresentations\nyParameters\n"
    "Property\nValue\nComments\nalpha\nString\n"
)


@pytest.mark.parametrize(
    "page",
    [ICWS_DOCS / "POST_icws-sessionId-dialer-log-off.txt", None],
    ids=["a shared page", "cut mid-table"],
)
def test_a_cut_page_is_a_warning_and_what_was_read_is_written(
    spec_copy: Path, tmp_path: Path, page: Path | None
) -> None:
    if page is None:
        page = tmp_path / "page.txt"
        page.write_text(CUT_MID_TABLE)
    result = import_into(spec_copy, page)
    assert result.returncode == 0, result.stderr
    assert f"{page.name}:" in result.stderr and "warning:" in result.stderr
    assert "[page-cut]" in result.stderr and "error:" not in result.stderr
    imported = import_page(page, {})
    written = next(spec_copy.glob(f"paths/*/{Path(imported.path).name}.yaml"))
    assert yaml.safe_load(written.read_text())["post"] == imported.document["post"]


def test_the_root_line_is_added_and_then_reported_as_present(spec_copy: Path) -> None:
    page = ICWS_DOCS / "POST_icws-sessionId-dialer-log-off.txt"
    root = spec_copy / "openapi.yaml"
    first = import_into(spec_copy, page)
    assert first.returncode == 0, first.stderr
    line = "  /icws/{sessionId}/dialer/log-off: {$ref: paths/dialer/log-off.yaml}"
    assert root.read_text().splitlines().count(line) == 1
    assert "its line added" in first.stdout
    operations = {op.operation_id for op in api_of(spec_copy).operations}
    assert "logOff" in operations
    before = snapshot(spec_copy)
    again = import_into(spec_copy, page)
    assert again.returncode == 0, again.stderr
    assert "has its line already" in again.stdout
    assert snapshot(spec_copy) == before


def test_an_operation_joins_the_file_of_its_path_not_another_endpoints(spec_copy: Path) -> None:
    login = (spec_copy / "paths" / "connection" / "connection.yaml").read_bytes()
    root = (spec_copy / "openapi.yaml").read_bytes()
    result = import_into(spec_copy, ICWS_DOCS / "GET_icws-sessionId-connection.txt")
    assert result.returncode == 0, result.stderr
    assert (spec_copy / "paths" / "connection" / "connection.yaml").read_bytes() == login
    assert (spec_copy / "openapi.yaml").read_bytes() == root
    session = yaml.safe_load((spec_copy / "paths" / "connection" / "session.yaml").read_text())
    assert [key for key in session if key != "parameters"] == ["delete", "get"]
    by_id = {op.operation_id: op for op in api_of(spec_copy).operations}
    assert by_id["getConnection"].path == by_id["deleteConnection"].path


def test_an_operation_already_there_is_a_warning_naming_its_file(spec_copy: Path) -> None:
    before = snapshot(spec_copy)
    result = import_into(spec_copy, ICWS_DOCS / "POST_icws-connection.txt")
    assert result.returncode == 0, result.stderr
    assert "paths/connection/connection.yaml:3:1: warning: POST /icws/connection" in result.stderr
    assert "[import-exists]" in result.stderr
    assert snapshot(spec_copy) == before


def test_force_replaces_the_operation_and_keeps_the_rest_of_its_file(spec_copy: Path) -> None:
    page = ICWS_DOCS / "GET_icws-sessionId-connection.txt"
    session = spec_copy / "paths" / "connection" / "session.yaml"
    assert import_into(spec_copy, page).returncode == 0
    once = session.read_text()
    session.write_text(
        once.replace("Retrieves the state", "Edited by hand, it retrieves the state")
    )
    forced = import_into(spec_copy, page, "--force")
    assert forced.returncode == 0, forced.stderr
    assert session.read_text() == once


def test_a_new_path_whose_default_file_is_taken_gets_a_free_name(spec_copy: Path) -> None:
    root = spec_copy / "openapi.yaml"
    listed = "  /icws/{sessionId}/connection: {$ref: paths/connection/session.yaml}\n"
    root.write_text(root.read_text().replace(listed, ""))
    (spec_copy / "paths" / "connection" / "session.yaml").unlink()
    login = (spec_copy / "paths" / "connection" / "connection.yaml").read_bytes()
    result = import_into(spec_copy, ICWS_DOCS / "GET_icws-sessionId-connection.txt")
    assert result.returncode == 0, result.stderr
    assert (spec_copy / "paths" / "connection" / "connection.yaml").read_bytes() == login
    assert (
        "  /icws/{sessionId}/connection: {$ref: paths/connection/session-id-connection.yaml}"
        in root.read_text().splitlines()
    )
    by_id = {op.operation_id: op for op in api_of(spec_copy).operations}
    assert by_id["getConnection"].path == "/icws/{sessionId}/connection"
    assert by_id["createConnection"].path == "/icws/connection"


def test_out_naming_another_paths_file_is_refused(spec_copy: Path) -> None:
    before = snapshot(spec_copy)
    result = import_into(
        spec_copy,
        ICWS_DOCS / "GET_icws-connection-version.txt",
        "--out",
        str(spec_copy / "paths" / "connection" / "connection.yaml"),
        "--force",
    )
    assert result.returncode == 1
    assert "is the Path Item of /icws/connection" in result.stderr
    assert snapshot(spec_copy) == before


def test_a_missing_root_document_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    result = import_into(tmp_path, ICWS_DOCS / "POST_icws-sessionId-dialer-log-off.txt")
    assert result.returncode == 1
    assert "there is no root document here" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_representation_with_its_own_description_and_feature_version_reads_right(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.txt"
    table = "Property\nValue\nComments\n"
    page.write_text(
        "POST\n/icws/{sessionId}/things/start\nStarts a thing.\nRequest\nRepresentations\n"
        "startSettings\nThe settings of the thing to start.\nFeature Version\nthings 4\n"
        f"{table}alpha\nString\nRequired\nThe alpha.\nResponse\n200 - OK\nStarted.\n"
        "thingState\nWhat the thing is now.\nFeature Version\nthings 5\n"
        f"{table}state\nInt\nThe state.\n"
    )
    imported = import_page(page, {})
    operation = imported.document["post"]
    body = body_schema(imported, "post")
    answer = operation["responses"]["200"]["content"]["application/vnd.inin.icws+json"]["schema"]
    assert operation["responses"]["200"]["description"] == "Started."
    for schema, title, description, version, properties in (
        (body, "startSettings", "The settings of the thing to start.", 4, ["alpha"]),
        (answer, "thingState", "What the thing is now.", 5, ["state"]),
    ):
        assert schema["title"] == title
        assert schema["description"] == description
        assert schema["x-feature"] == {"name": "things", "version": version}
        assert list(schema["properties"]) == properties
    assert "import-type" not in {d.rule for d in imported.diagnostics}


def test_a_table_without_a_representation_name_is_an_untitled_body() -> None:
    page = ICWS_DOCS / "GET_icws-connection-version.txt"
    imported = import_page(page, {})
    ok = imported.document["get"]["responses"]["200"]
    assert ok["description"].startswith("The version information was successfully retrieved")
    schema = ok["content"]["application/vnd.inin.icws+json"]["schema"]
    assert "title" not in schema
    assert list(schema["properties"])[:2] == ["majorVersion", "minorVersion"]
    assert [
        d.location and d.location.line for d in imported.diagnostics if d.rule == "import-title"
    ] == [23]


def test_a_page_cut_before_its_responses_says_so_in_a_default_response() -> None:
    imported = import_page(ICWS_DOCS / "POST_icws-sessionId-dialer-log-in.txt", {})
    assert list(imported.document["post"]["responses"]) == ["default", *SHARED_ERRORS]
    assert "import-responses" in {d.rule for d in imported.diagnostics}
    assert not has_errors(imported.diagnostics)


def test_every_page_imports_into_a_spec_that_validates_and_generates(
    spec_copy: Path, tmp_path: Path
) -> None:
    root = spec_copy / "openapi.yaml"
    import_every_page(root)
    validated = run_cli("validate", "--spec", str(root))
    assert validated.returncode == 0, validated.stderr
    assert "error:" not in validated.stderr
    imported = {import_page(page, {}).path for page in PAGES}
    assert imported <= {op.path for op in api_of(spec_copy).operations}
    out = tmp_path / "out"
    generated = run_cli("generate", "--spec", str(root), "--out", str(out), "--package", "icws_all")
    assert generated.returncode == 0, generated.stderr
    assert (out / "icws_all" / "resources" / "directories.py").is_file()


def test_a_path_item_file_that_is_not_yaml_is_reported_not_a_traceback(spec_copy: Path) -> None:
    session = spec_copy / "paths" / "connection" / "session.yaml"
    session.write_text("delete: [unclosed\n")
    result = import_into(spec_copy, ICWS_DOCS / "GET_icws-sessionId-connection.txt")
    assert result.returncode == 1
    assert "session.yaml: cannot read it" in result.stderr and "Traceback" not in result.stderr
    assert session.read_text() == "delete: [unclosed\n"


def test_a_new_tag_is_declared_in_the_root_document_once(spec_copy: Path) -> None:
    page = ICWS_DOCS / "GET_icws-sessionId-activations-users.txt"
    first = import_into(spec_copy, page)
    assert first.returncode == 0, first.stderr
    assert "its tag declared" in first.stdout
    tags = yaml.safe_load((spec_copy / "openapi.yaml").read_text())["tags"]
    assert [t["name"] for t in tags].count("activations") == 1
    validated = run_cli("validate", "--spec", str(spec_copy / "openapi.yaml"))
    assert "tag-declared" not in validated.stderr
