"""Validate: the OpenAPI schema and this generator's own rules."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

from generator.diagnostics import Severity
from generator.spec.load import LoadedSpec, load
from generator.spec.validate import validate
from tests.conftest import SPEC

ENDPOINT = "/icws/{sessionId}/dialer/update-stage"


def spec_with(change: Any) -> LoadedSpec:
    """The project's spec, bundled, with ``change(document)`` applied."""
    loaded = load(SPEC)
    document = copy.deepcopy(loaded.document)
    change(document)
    return dataclasses.replace(loaded, document=document)


def found(spec: LoadedSpec) -> list[tuple[str, str]]:
    return [(d.severity.value, d.rule) for d in validate(spec)]


def operation(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = document["paths"][ENDPOINT]["post"]
    return result


def test_the_project_spec_is_valid_without_warnings() -> None:
    assert validate(load(SPEC)) == []


def test_openapi_30_is_accepted() -> None:
    def to_30(document: dict[str, Any]) -> None:
        document["openapi"] = "3.0.3"
        document["info"].pop("summary")
        for response in document["components"]["responses"].values():
            response.pop("description", None)
            response["description"] = "x"
        for item in document["paths"].values():
            for operation in item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    for status, response in operation["responses"].items():
                        if "$ref" in response:
                            operation["responses"][status] = {"$ref": response["$ref"]}
        for schema in document["components"]["schemas"].values():
            schema.pop("propertyNames", None)
        for item in document["paths"].values():
            for operation in item.values():
                if not isinstance(operation, dict) or "requestBody" not in operation:
                    continue
                for media in operation["requestBody"]["content"].values():
                    schema = media["schema"]
                    for option in schema.get("oneOf", [schema]):
                        for prop in option.get("properties", {}).values():
                            prop.pop("propertyNames", None)
                            if "const" in prop:  # 3.0 has no const: a one-value enum says it
                                prop["enum"] = [prop.pop("const")]

    assert found(spec_with(to_30)) == []


def test_missing_feature_is_a_warning() -> None:
    assert found(spec_with(lambda d: operation(d).pop("x-feature"))) == [("warning", "feature")]


def test_malformed_feature_is_an_error() -> None:
    for feature in ({"name": "dialer"}, {"name": "", "version": 1}, {"name": "d", "version": "5"}):
        spec = spec_with(lambda d, f=feature: operation(d).__setitem__("x-feature", f))
        assert found(spec) == [("error", "feature")]


def test_undeclared_tag_is_a_warning_and_extra_tags_too() -> None:
    spec = spec_with(lambda d: operation(d).__setitem__("tags", ["other", "dialer"]))
    assert sorted(found(spec)) == [("warning", "operation-tag"), ("warning", "tag-declared")]


def test_error_response_without_the_error_schema() -> None:
    def inline_error(document: dict[str, Any]) -> None:
        operation(document)["responses"]["418"] = {
            "description": "teapot",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }

    assert found(spec_with(inline_error)) == [("error", "error-schema")]


def test_error_schema_pointer_must_resolve() -> None:
    spec = spec_with(lambda d: d.__setitem__("x-error-schema", "#/components/schemas/nope"))
    assert found(spec) == [("error", "error-schema")]


def test_all_problems_come_in_one_run() -> None:
    def break_three(document: dict[str, Any]) -> None:
        operation(document).pop("operationId")
        operation(document)["x-feature"] = {"name": "dialer", "version": 0}
        document["components"]["schemas"]["error"]["type"] = 7

    assert sorted(found(spec_with(break_three))) == [
        ("error", "feature"),
        ("error", "openapi-schema"),
        ("error", "operation-id"),
    ]


def test_diagnostics_point_at_files_and_lines() -> None:
    spec = spec_with(lambda d: operation(d).pop("operationId"))
    (diagnostic,) = validate(spec)
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.location is not None
    assert diagnostic.location.file == Path(SPEC).parent / "paths" / "dialer" / "update-stage.yaml"
    assert diagnostic.pointer == "/paths/~1icws~1{sessionId}~1dialer~1update-stage/post"
    text = str(diagnostic)
    assert "update-stage.yaml:" in text
    assert "[operation-id]" in text
