"""Naming: one place decides every Python name."""

from __future__ import annotations

import keyword

import pytest

from generator.ir import naming


@pytest.mark.parametrize(
    ("spec_name", "python"),
    [
        ("callAttributes", "call_attributes"),
        ("ININ-ICWS-CSRF-Token", "inin_icws_csrf_token"),
        ("userID", "user_id"),
        ("HTTPServer2Go", "http_server_2_go"),
        ("numAPIs", "num_apis"),
        ("URLsForIDs", "urls_for_ids"),
        ("__type", "type"),
        ("class", "class_"),
        ("match", "match_"),
        ("2fa", "n_2_fa"),
        ("café", "cafe"),
    ],
)
def test_snake(spec_name: str, python: str) -> None:
    assert naming.snake(spec_name) == python


@pytest.mark.parametrize(
    ("spec_name", "python"),
    [
        ("updateStageParameters", "UpdateStageParameters"),
        ("error", "Error"),
        ("agentType", "AgentType"),
        ("Field", "FieldModel"),
        ("Exception", "ExceptionModel"),
        ("None", "NoneModel"),
        ("3d", "Model3D"),
    ],
)
def test_pascal(spec_name: str, python: str) -> None:
    assert naming.pascal(spec_name) == python


@pytest.mark.parametrize(
    ("label", "value", "python"),
    [
        ("Regular", 1, "REGULAR"),
        ("Composite agent", 3, "COMPOSITE_AGENT"),
        (None, 2, "VALUE_2"),
        (None, -1, "VALUE_MINUS_1"),
        (None, "in-progress", "IN_PROGRESS"),
        (None, "1st", "VALUE_1_ST"),
        (None, "O", "O_"),
        (None, "X", "X"),
    ],
)
def test_enum_member(label: str | None, value: object, python: str) -> None:
    assert naming.enum_member(label, value) == python


@pytest.mark.parametrize(
    ("spec_name", "python"), [("json", "json_"), ("model_dump", "model_dump_"), ("_x", "x")]
)
def test_fields_stay_clear_of_pydantic(spec_name: str, python: str) -> None:
    assert naming.field(spec_name) == python


@pytest.mark.parametrize("spec_name", ["日本語", "✓", "", "---", "\u0000"])
def test_names_without_ascii_letters_still_give_identifiers(spec_name: str) -> None:
    for name in (naming.snake(spec_name), naming.pascal(spec_name), naming.field(spec_name)):
        assert name.isidentifier()
        assert not keyword.iskeyword(name)
    assert naming.constant(spec_name).isidentifier()


def test_different_non_ascii_names_stay_different() -> None:
    assert naming.snake("日本") != naming.snake("中国")


def test_package_and_distribution_from_the_title() -> None:
    assert naming.package("ICWS API") == "icws_api"
    assert naming.distribution("ICWS API") == "icws-api"


@pytest.mark.parametrize(
    ("tag", "attribute"),
    [
        ("dialer", "dialer"),
        ("User Accounts", "user_accounts"),
        ("session", "session_"),
        ("connect", "connect_"),
        ("class", "class_"),
        ("2fa", "tag_2_fa"),
    ],
)
def test_a_tag_attribute_never_shadows_a_client_member(tag: str, attribute: str) -> None:
    assert naming.tag_attribute(tag) == attribute


@pytest.mark.parametrize(
    ("method", "path", "operation_id"),
    [
        ("get", "/pets/{petId}", "get_pets_pet_id"),
        ("POST", "/", "post"),
        ("put", "/v1/user-accounts", "put_v_1_user_accounts"),
    ],
)
def test_an_operation_id_is_made_from_method_and_path(
    method: str, path: str, operation_id: str
) -> None:
    assert naming.operation_id(method, path) == operation_id


def test_imports_and_all_lists_are_ordered_as_ruff_wants_them() -> None:
    names = ["ApIs", "Api", "APIKey", "Item10", "Item2", "X_Y", "error_for"]
    assert naming.import_order(names) == [
        "X_Y",
        "Api",
        "APIKey",
        "ApIs",
        "Item2",
        "Item10",
        "error_for",
    ]
    assert naming.export_order(names) == [
        "X_Y",
        "APIKey",
        "ApIs",
        "Api",
        "Item2",
        "Item10",
        "error_for",
    ]
