"""Model: the spec turned into the frozen dataclasses the templates print."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.ir.build import build
from generator.ir.nodes import Api, EnumModel, Feature, ObjectModel, PublishedSpec
from generator.ir.schemas import register
from generator.ir.shapes import property_sites
from generator.spec.load import load
from generator.spec.openapi import deref
from tests.conftest import SPEC

SCHEMAS, _ = register(load(SPEC))
SPEC_DOCUMENT = SCHEMAS.index.document


@pytest.fixture(scope="module")
def api() -> Api:
    return build(load(SPEC))


def model(api: Api, name: str) -> ObjectModel:
    return next(m for m in api.models if m.name == name)


def test_models_from_the_seed_pages(api: Api) -> None:
    seed_models = ["AgentType", "Error", "MarkCallForFinishingParameters"]
    seed_models += ["UpdateStageParameters", "AgentTypeParameters"]
    assert [name for name in api.model_names if name in seed_models] == seed_models
    fields = {f.name: f for f in model(api, "UpdateStageParameters").fields}
    assert [(f.wire_name, f.annotation, f.hint, f.required) for f in fields.values()] == [
        ("agentId", "Annotated[str | None, NotNull]", "str | None", False),
        ("newStageId", "Annotated[int, Integral]", "int", True),
        ("campaignId", "str", "str", True),
    ]
    bounds = {c.keyword: c.value for c in fields["new_stage_id"].type.constraints}
    assert bounds == {"ge": "-2147483648", "le": "2147483647"}
    assert fields["new_stage_id"].type.label == "32-bit integer"


def test_dictionary_enum_and_bounded_list(api: Api) -> None:
    attributes = model(api, "MarkCallForFinishingParameters").fields[1]
    assert (attributes.wire_name, attributes.hint) == (
        "callAttributes",
        "dict[str, str] | None",
    )
    agent_type, campaign_ids = model(api, "AgentTypeParameters").fields
    assert (agent_type.annotation, agent_type.hint) == (
        "Annotated[AgentType, Integral]",
        "AgentType",
    )
    assert campaign_ids.annotation == "list[str]"
    assert [(c.keyword, c.value, c.label) for c in campaign_ids.type.constraints] == [
        ("min_length", "1", "at least 1 item")
    ]
    enum = next(e for e in api.enums if e.name == "AgentType")
    assert isinstance(enum, EnumModel)
    assert enum.base == "IntEnum"
    assert [(m.name, m.value, m.label) for m in enum.members] == [
        ("REGULAR", "1", "Regular"),
        ("FINISHING", "2", "Finishing"),
        ("COMPOSITE", "3", "Composite"),
    ]


def test_operations(api: Api) -> None:
    tag = next(t for t in api.tags if t.name == "dialer")
    assert (tag.name, tag.attribute, tag.class_prefix) == ("dialer", "dialer", "Dialer")
    operations = {op.name: op for op in tag.operations}
    seed_operations = {
        name: (operations[name].method, operations[name].feature)
        for name in ("mark_call_for_finishing", "update_stage", "set_agent_type")
    }
    assert seed_operations == {
        "mark_call_for_finishing": ("POST", Feature("dialer", 7)),
        "update_stage": ("POST", Feature("dialer", 5)),
        "set_agent_type": ("POST", Feature("dialer", 3)),
    }
    update = operations["update_stage"]
    assert [(p.name, p.location, p.session_attribute) for p in update.parameters] == [
        ("session_id", "path", "session_id")
    ]
    assert update.arguments == ()
    assert [(c.location, c.wire_name, c.session_attribute) for c in update.credentials] == [
        ("path", "sessionId", "session_id"),
        ("header", "ININ-ICWS-CSRF-Token", "csrf_token"),
    ]
    assert [c.what for c in update.checked_credentials] == ["the ININ-ICWS-CSRF-Token header"]
    (cookie,) = update.required_cookies
    assert [p.literal or p.parameter.name for p in cookie if p.literal or p.parameter] == [
        "icws_",
        "session_id",
    ]
    assert update.route == "/icws/{session_id}/dialer/update-stage"
    assert update.success_status == 200
    assert update.sends_cookies
    assert update.result == "None"
    assert (
        "".join(p.literal or "{" + p.parameter.wire_name + "}" for p in update.path_parts if p)
        == update.path
    )
    assert update.body is not None
    assert update.body.model is not None and update.body.model.name == "UpdateStageParameters"
    assert update.body.media_types == ("application/json", "application/vnd.inin.icws+json")
    assert update.security == (("csrfToken", "sessionCookie"),)


def test_responses_keep_the_pages_order_and_words(api: Api) -> None:
    set_agent_type = next(op for op in api.operations if op.operation_id == "setAgentType")
    assert [r.status for r in set_agent_type.responses] == [
        "200",
        "403",
        "400",
        "401",
        "410",
        "500",
    ]
    ok, *errors = set_agent_type.responses
    assert ok.body is None and not ok.is_error
    assert ok.description == "The agentTypeParameters request was received."
    assert all(r.is_error and r.body is not None and r.body.annotation == "Error" for r in errors)
    assert [r.error_class for r in errors] == [
        "ForbiddenError",
        "BadRequestError",
        "UnauthorizedError",
        "GoneError",
        "InternalServerError",
    ]
    unauthorized = next(r for r in errors if r.status == "401")
    assert [(h.wire_name, h.required) for h in unauthorized.headers] == [("WWW-Authenticate", True)]
    assert api.error_model is not None and api.error_model.name == "Error"
    assert api.error_text_field == "message"
    assert [(e.status, e.name) for e in api.error_classes] == [
        (400, "BadRequestError"),
        (401, "UnauthorizedError"),
        (403, "ForbiddenError"),
        (404, "NotFoundError"),
        (410, "GoneError"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailableError"),
    ]
    assert [a.name for a in api.auth_params] == ["realm", "location"]
    assert [(f.name, f.secret) for f in api.session_fields] == [
        ("csrf_token", True),
        ("session_id", False),
    ]


def test_security_schemes(api: Api) -> None:
    csrf, cookie = api.security_schemes
    assert (csrf.location, csrf.wire_name, csrf.session_attribute) == (
        "header",
        "ININ-ICWS-CSRF-Token",
        "csrf_token",
    )
    assert (cookie.location, cookie.wire_name, cookie.name_template) == (
        "cookie",
        "icws_{sessionId}",
        True,
    )


def test_session_operations(api: Api) -> None:
    create, delete, features = api.session_create, api.session_delete, api.features_operation
    assert create is not None and delete is not None and features is not None
    assert (create.operation_id, create.success_status, create.security) == (
        "createConnection",
        201,
        (),
    )
    assert create.session_from_body == (("csrf_token", "csrf_token"), ("session_id", "session_id"))
    assert create.body is not None
    assert [o.name for o in create.body.options] == [
        "IcAuthConnectionRequestSettings",
        "AuthTokenConnectionRequestSettings",
        "SingleSignOnTokenConnectionRequestSettings",
    ]
    (constant,) = create.body.options[0].constants
    assert (constant.name, constant.wire_name) == ("type", "__type")
    assert create.fail_over is not None
    assert (create.fail_over.error_class, create.fail_over.alternate_hosts) == (
        "ServiceUnavailableError",
        "alternate_host_list",
    )
    assert delete.operation_id == "deleteConnection"
    assert (
        features.features_list is not None
        and features.features_list.list_field == "feature_info_list"
    )
    needed: dict[str, int] = {}
    needs = [operation.feature for operation in api.operations]
    needs += [field.feature for model in api.models for field in model.fields]
    for feature in needs:
        if feature:
            needed[feature.name] = max(feature.version, needed.get(feature.name, feature.version))
    assert dict(api.feature_versions) == needed
    assert {"connection", "dialer"} <= set(needed)
    assert api.session_cookies_named == ((("icws_", None), ("", "session_id")),)
    unavailable = next(e for e in api.error_classes if e.status == 503)
    assert unavailable.body == "ServiceUnavailable"


def test_the_model_is_frozen(api: Api) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        api.title = "changed"  # type: ignore[misc]


def schema_spec(tmp_path: Path, schemas: str) -> Api:
    root = tmp_path / "openapi.yaml"
    root.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        + schemas
    )
    return build(load(root))


def test_schema_types(tmp_path: Path) -> None:
    api = schema_spec(
        tmp_path,
        """\
    Thing:
      type: object
      additionalProperties: false
      required: [id, tags, maybe, size, kind, parent]
      properties:
        id: {type: integer, format: int64, minimum: 0}
        tags: {type: array, items: {type: string, minLength: 2}}
        maybe: {type: [string, "null"]}
        size: {type: number, exclusiveMaximum: 10}
        kind: {enum: [a, b]}
        either: {oneOf: [{type: string}, {type: boolean}]}
        parent: {$ref: '#/components/schemas/Thing'}
        free: {}
""",
    )
    (thing,) = api.models
    assert thing.extra == "forbid"
    types = {
        f.wire_name: (f.annotation, [c.keyword + "=" + c.value for c in f.type.constraints])
        for f in thing.fields
    }
    assert types == {
        "id": ("Annotated[int, Integral]", ["ge=0", "le=9223372036854775807"]),
        "tags": ("list[Annotated[str, Field(min_length=2)]]", []),
        "maybe": ("str | None", []),
        "size": ("float", ["lt=10"]),
        "kind": ("Literal['a', 'b']", []),
        "either": ("Annotated[str | bool | None, NotNull]", []),
        "parent": ("Thing", []),
        "free": ("Annotated[Any | None, NotNull]", []),
    }
    assert api.models_module_imports("_shared")["typing"] == ("Annotated", "Any", "Literal")


def test_string_enum_component(tmp_path: Path) -> None:
    api = schema_spec(tmp_path, "    color: {type: string, enum: [red, dark-blue]}\n")
    (color,) = api.enums
    assert (color.name, color.base) == ("Color", "StrEnum")
    assert [(m.name, m.value) for m in color.members] == [
        ("RED", "'red'"),
        ("DARK_BLUE", "'dark-blue'"),
    ]


def test_colliding_enum_members_are_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        schema_spec(tmp_path, "    s: {type: string, enum: [a-b, a_b]}\n")
    assert [d.rule for d in exc.value.diagnostics] == ["python-name"]


def test_the_shipped_spec_is_json_dumps_output_whichever_encoder_writes_it() -> None:
    """orjson writes it unless a float or a huge integer is in it; the text is the same."""
    api = build(load(SPEC), None)
    assert (
        api.spec_json == json.dumps(json.loads(api.spec_json), indent=2, ensure_ascii=False) + "\n"
    )
    document = {"a": 1.0, "b": 1e16, "c": 2**70, "d": "é\u2028\x00", "e": [], "f": {}}
    shipped = {**document, "components": {"schemas": {}}}
    assert (
        PublishedSpec(document, {}).json == json.dumps(shipped, indent=2, ensure_ascii=False) + "\n"
    )
    del document["a"], document["b"], document["c"]  # now orjson writes it
    shipped = {**document, "components": {"schemas": {}}}
    assert (
        PublishedSpec(document, {}).json == json.dumps(shipped, indent=2, ensure_ascii=False) + "\n"
    )


def test_a_shared_response_keeps_each_operations_description_override() -> None:
    operations = {op.operation_id: op for op in build(load(SPEC), None).operations}
    overridden = {r.status: r for r in operations["updateStage"].responses}["400"]
    shared = {r.status: r for r in operations["deleteConnection"].responses}["400"]
    assert (
        overridden.description == "An error occurred while trying to change the stage of the call."
    )
    assert shared.description.startswith("The request was invalid.")
    assert overridden.body == shared.body


def paths_spec(tmp_path: Path, paths: str) -> Api:
    root = tmp_path / "openapi.yaml"
    root.write_text("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n" + paths)
    return build(load(root))


OK = "responses: {'204': {description: done}}"


def test_an_operation_without_tag_or_id_is_named_from_its_method_and_path(
    tmp_path: Path,
) -> None:
    parameter = "{name: petId, in: path, required: true, schema: {type: string}}"
    api = paths_spec(
        tmp_path, f"  /pets/{{petId}}:\n    delete: {{{OK}, parameters: [{parameter}]}}\n"
    )
    (tag,) = api.tags
    (operation,) = tag.operations
    assert (tag.name, operation.operation_id, operation.name) == (
        "default",
        "delete_pets_pet_id",
        "delete_pets_pet_id",
    )
    assert sorted(w.rule for w in api.warnings) == ["operation-id", "operation-tag"]
    assert all(w.location and w.location.line == 5 for w in api.warnings)


def test_names_that_collide_across_spellings_are_told_apart_with_a_warning(
    tmp_path: Path,
) -> None:
    api = paths_spec(
        tmp_path,
        f"""\
  /a:
    get: {{operationId: listItems, tags: [User Accounts], {OK}}}
    post: {{operationId: list-items, tags: [user-accounts], {OK}}}
  /b:
    get: {{operationId: list_items, tags: [User Accounts], {OK}}}
  /c:
    get: {{operationId: c, tags: [session], {OK}, parameters: [
      {{name: id, in: query, schema: {{type: string}}}},
      {{name: id, in: header, schema: {{type: string}}}}]}}
""",
    )
    assert [(t.attribute, t.class_prefix) for t in api.tags] == [
        ("user_accounts", "UserAccounts"),
        ("user_accounts_2", "UserAccounts2"),
        ("session_", "SessionModel"),
    ]
    assert [op.name for op in api.tags[0].operations] == ["list_items", "list_items_2"]
    assert [p.name for p in api.tags[2].operations[0].parameters] == ["id", "id_2"]
    assert [w.rule for w in api.warnings] == ["python-name"] * 3


def test_read_only_and_write_only_properties_are_never_required(tmp_path: Path) -> None:
    api = schema_spec(
        tmp_path,
        """\
    Account:
      type: object
      required: [id, password, name]
      properties:
        id: {type: integer, readOnly: true}
        password: {type: string, writeOnly: true}
        name: {type: string}
""",
    )
    (account,) = api.models
    assert [(f.wire_name, f.required) for f in account.fields] == [
        ("id", False),
        ("password", False),
        ("name", True),
    ]
    assert "read-only" in account.fields[0].description
    assert "write-only" in account.fields[1].description


def test_secret_names_are_the_wire_names_of_every_property_the_spec_marks_secret(api: Api) -> None:
    marks = ("format", "password"), ("writeOnly", True), ("x-secret", True)
    marked = {
        prop
        for model in api.models
        for prop, raw, _ in property_sites(SPEC_DOCUMENT, SCHEMAS.schema_of[model.name], "")
        if any(deref(SPEC_DOCUMENT, raw).get(key) == value for key, value in marks)
    }
    assert marked
    assert api.secret_names == tuple(sorted(marked))
    secret = {f.wire_name for model in api.models for f in model.fields if f.secret}
    assert secret == marked
