"""Validate: the OpenAPI schema and this generator's own rules."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path
from typing import Any

from generator.diagnostics import Severity
from generator.spec import extensions
from generator.spec.load import LoadedSpec, load
from generator.spec.openapi import iter_operations
from generator.spec.validate import validate
from tests.conftest import ROOT, SPEC

ENDPOINT = "/icws/{sessionId}/dialer/update-stage"
EXTENSION_NAME = re.compile(r"(?<![\w/-])x-[a-z]+(?:-[a-z]+)*")
"""An ``x-`` name in code or a template (not ``max-width``, ``Index-like``, ``application/x-...``)."""


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


def test_malformed_feature_is_an_error_of_its_declared_shape() -> None:
    for feature in ({"name": "dialer"}, {"name": "", "version": 1}, {"name": "d", "version": "5"}):
        spec = spec_with(lambda d, f=feature: operation(d).__setitem__("x-feature", f))
        assert found(spec) == [("error", "extension-shape")]


def test_missing_feature_is_not_asked_of_a_spec_that_never_gives_one() -> None:
    def drop_features(document: dict[str, Any]) -> None:
        for site in iter_operations(document):
            site.operation.pop("x-feature", None)

    assert found(spec_with(drop_features)) == []


def test_plain_openapi_forms_are_accepted() -> None:
    """No tags, no operationId, request bodies that are not JSON: OpenAPI allows them all."""

    def plain(document: dict[str, Any]) -> None:
        sites = list(iter_operations(document))
        for site in sites:
            site.operation.pop("x-feature", None)
        sites[0].operation.pop("tags")
        sites[0].operation.pop("operationId")
        bodies = [
            site.operation["requestBody"] for site in sites if "requestBody" in site.operation
        ]
        media_types = (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/octet-stream",
            "text/plain",
        )
        for body, media_type in zip(bodies, media_types, strict=False):
            body["content"] = {media_type: {"schema": {"type": "string"}}}

    assert found(spec_with(plain)) == []


def test_an_operation_without_a_success_response_is_an_error() -> None:
    def errors_only(document: dict[str, Any]) -> None:
        responses = operation(document)["responses"]
        for status in [s for s in responses if s[0] in "123"]:
            del responses[status]

    assert found(spec_with(errors_only)) == [("error", "operation-success")]


def test_an_operation_that_lists_no_responses_is_a_warning() -> None:
    def no_responses(document: dict[str, Any]) -> None:
        document["openapi"] = "3.1.0"
        del operation(document)["responses"]

    assert found(spec_with(no_responses)) == [("warning", "operation-responses")]


def test_a_misspelt_extension_names_the_one_meant_and_another_tools_is_left_alone() -> None:
    def misspell(document: dict[str, Any]) -> None:
        operation(document)["x-feture"] = operation(document).pop("x-feature")
        operation(document)["x-codegen-request-body-name"] = "body"

    (diagnostic,) = [d for d in validate(spec_with(misspell)) if d.severity is Severity.ERROR]
    assert (diagnostic.rule, diagnostic.pointer.rsplit("/", 1)[-1]) == (
        "extension-unknown",
        "x-feture",
    )
    assert "'x-feature'" in diagnostic.message


def test_every_extension_the_generator_reads_is_declared() -> None:
    written = {
        name
        for folder in ("generator", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
        for name in EXTENSION_NAME.findall(path.read_text("utf-8"))
    }
    assert written - set(extensions.BY_NAME) == set()


def test_the_readme_table_of_extensions_is_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    expected = extensions.readme_table()
    assert expected in readme, f"README.md's table of extensions should be:\n{expected}"


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
        operation(document)["x-sesion"] = "create"
        operation(document)["x-feature"] = {"name": "dialer", "version": 0}
        document["components"]["schemas"]["error"]["type"] = 7

    assert sorted(found(spec_with(break_three))) == [
        ("error", "extension-shape"),
        ("error", "extension-unknown"),
        ("error", "openapi-schema"),
    ]


def test_diagnostics_point_at_files_and_lines() -> None:
    spec = spec_with(lambda d: operation(d).__setitem__("x-session", "begin"))
    (diagnostic,) = validate(spec)
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.location is not None
    assert diagnostic.location.file == Path(SPEC).parent / "paths" / "dialer" / "update-stage.yaml"
    assert diagnostic.pointer == "/paths/~1icws~1{sessionId}~1dialer~1update-stage/post/x-session"
    text = str(diagnostic)
    assert "update-stage.yaml:" in text
    assert "[extension-shape]" in text


def test_webhooks_and_callbacks_are_a_warning_that_nothing_is_generated_for_them() -> None:
    def with_both(document: dict[str, Any]) -> None:
        document["openapi"] = "3.1.0"
        document["webhooks"] = {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}}
        operation(document)["callbacks"] = {"done": {"{$request.body#/url}": {}}}

    assert found(spec_with(with_both)) == [("warning", "unsupported")] * 2


def test_mutual_tls_is_a_warning_that_the_transport_carries_it() -> None:
    def with_mutual_tls(document: dict[str, Any]) -> None:
        document["openapi"] = "3.1.0"
        document["components"]["securitySchemes"]["certificate"] = {"type": "mutualTLS"}

    assert found(spec_with(with_mutual_tls)) == [("warning", "unsupported")]


def test_what_the_generated_code_reads_only_approximately_is_a_warning_at_its_place() -> None:
    def approximated(document: dict[str, Any]) -> None:
        post = operation(document)
        post["parameters"] = [
            {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}}
        ]
        media = post["requestBody"]["content"]["application/json"]
        post["requestBody"]["content"]["*/*"] = {"schema": {"not": {"type": "null"}}}
        media["schema"] = {**media["schema"], "propertyNames": {"pattern": "^[a-z]+$"}}

    assert found(spec_with(approximated)) == [("warning", "unmodelled")] * 4
