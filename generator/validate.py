"""Validate: the OpenAPI schema (via openapi-spec-validator) plus this generator's own rules.

Every problem becomes a :class:`Diagnostic` pointing at the file and line it was written at;
all of them are collected in one run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import (
    create_validator as jsonschema_validator,
)
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError
from openapi_spec_validator.validation.validators import SpecValidator

from generator import pointer as jp
from generator.diagnostics import Diagnostic, error, warning
from generator.load import LoadedSpec
from generator.openapi import deref, iter_operations, iter_schema_sites, ref_target

JSON_MEDIA_TYPE = re.compile(r"^application/([\w.+-]+\+)?json$", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

Rule = Callable[[LoadedSpec], Iterator[Diagnostic]]


def validate(spec: LoadedSpec) -> list[Diagnostic]:
    """Every problem in ``spec``: schema errors first, then this generator's rules."""
    version = str(spec.document.get("openapi", ""))
    if not re.match(r"^3\.[01]\.\d+$", version):
        found = f"swagger {spec.document['swagger']}" if "swagger" in spec.document else version
        return [
            error(
                "openapi-version",
                f"openapi must be 3.0.x or 3.1.x, found {found or 'no version'!r}",
                spec.locate("/openapi"),
                "/openapi",
            )
        ]
    diagnostics = _unique(list(_schema_diagnostics(spec, version)))
    for rule in RULES:
        try:
            diagnostics.extend(rule(spec))
        except Exception:
            if not diagnostics:  # the document's shape is valid: the rule itself is wrong
                raise
    return diagnostics


def _schema_diagnostics(spec: LoadedSpec, version: str) -> Iterator[Diagnostic]:
    """The OpenAPI schema's verdict; the deeper checks only on a document of the right shape."""
    validator = _LOCATED_VALIDATORS["3.1" if version.startswith("3.1") else "3.0"](spec.document)
    shape = [
        _located_error(spec, p) for p in validator.schema_validator.iter_errors(validator.schema)
    ]
    yield from shape
    if shape:
        return  # the deeper checks assume a document of the right shape
    if version.startswith("3.1"):
        yield from _dialect_diagnostics(spec)
    try:
        for problem in validator.root_validator(validator.schema_path):
            if not isinstance(problem, DuplicateOperationIDError):  # operation_ids() says it
                yield _located_error(spec, problem)
    except Exception as exc:  # openapi-spec-validator failed on the document: say so, and where
        yield error(
            "openapi-schema",
            f"the document could not be checked through: {exc!r}",
            spec.locate(""),
            "",
        )


def _located_error(spec: LoadedSpec, problem: ValidationError) -> Diagnostic:
    parts = getattr(problem, "located_parts", None)
    if parts is None:
        parts = tuple(problem.absolute_path)
    pointer = jp.join("", *parts)
    return error("openapi-schema", _describe(problem), spec.locate(pointer), pointer)


def _dialect_diagnostics(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """3.1 Schema Objects checked against JSON Schema 2020-12 (the OpenAPI schema defers them)."""
    for pointer, schema in iter_schema_sites(spec.document):
        for problem in _DIALECT.iter_errors(schema):
            at = jp.join(pointer, *problem.absolute_path)
            yield error("openapi-schema", _describe(problem), spec.locate(at), at)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One schema diagnostic per place: a shared schema is reached from many places, and the
    OpenAPI schema often says one problem twice (once per alternative it tried)."""
    seen: set[object] = set()
    kept = []
    for diagnostic in diagnostics:
        key = diagnostic.location
        if key not in seen:
            seen.add(key)
            kept.append(diagnostic)
    return kept


def _describe(problem: ValidationError) -> str:
    """The most specific message of a (possibly nested) jsonschema error."""
    while problem.context:
        deepest = max(problem.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) <= len(problem.absolute_path) and problem.validator in (
            "oneOf",
            "anyOf",
        ):
            break
        problem = deepest
    return str(problem.message)


def _located(keyword_class: type) -> type:
    """A keyword validator whose errors carry the path of the node it was checking."""

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        node = next((arg for arg in args if isinstance(arg, SchemaPath)), None)
        for problem in keyword_class.__call__(self, *args, **kwargs):
            if node is not None and not hasattr(problem, "located_parts"):
                problem.located_parts = (*node.parts, *problem.absolute_path)
            yield problem

    return type(keyword_class.__name__, (keyword_class,), {"__call__": __call__})


def _with_locations(validator_class: type[SpecValidator], schema: Any) -> type[SpecValidator]:
    """``validator_class`` with located errors, on the jsonschema backend whatever is installed
    (jsonschema-rs, which schemathesis brings, reports errors without their paths)."""
    keywords = {name: _located(cls) for name, cls in validator_class.keyword_validators.items()}
    attributes = {"keyword_validators": keywords, "schema_validator": jsonschema_validator(schema)}
    return type(validator_class.__name__, (validator_class,), attributes)


_DIALECT = Draft202012Validator(Draft202012Validator.META_SCHEMA)
_LOCATED_VALIDATORS = {
    "3.0": _with_locations(OpenAPIV30SpecValidator, schema_v30),
    "3.1": _with_locations(OpenAPIV31SpecValidator, schema_v31),
}


# --- this generator's rules -------------------------------------------------------------------


def operation_ids(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Every operation has an operationId, and no two share one."""
    first_seen: dict[str, str] = {}
    for site in iter_operations(spec.document):
        operation_id = site.operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            yield error(
                "operation-id",
                f"{site.method.upper()} {site.path} needs an operationId (it names the method)",
                spec.locate(site.pointer),
                site.pointer,
            )
            continue
        at = jp.join(site.pointer, "operationId")
        if operation_id in first_seen:
            yield error(
                "operation-id-unique",
                f"operationId {operation_id!r} is used twice (first at "
                f"{spec.locate(first_seen[operation_id])})",
                spec.locate(at),
                at,
            )
        else:
            first_seen[operation_id] = at


def operation_responses(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Every operation lists its responses (OpenAPI 3.1 lets them go; callers need them)."""
    for site in iter_operations(spec.document):
        if not site.operation.get("responses"):
            yield error(
                "operation-responses",
                f"{site.method.upper()} {site.path} lists no responses",
                spec.locate(site.pointer),
                site.pointer,
            )


def operation_tags(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Every operation has a tag (it groups the client and server); tags are declared at the root."""
    declared = {t.get("name") for t in spec.document.get("tags") or [] if isinstance(t, dict)}
    for site in iter_operations(spec.document):
        tags = site.operation.get("tags")
        at = jp.join(site.pointer, "tags")
        if not tags:
            yield error(
                "operation-tag",
                f"{site.method.upper()} {site.path} needs a tag (it groups client and server)",
                spec.locate(site.pointer),
                site.pointer,
            )
            continue
        if len(tags) > 1:
            yield warning(
                "operation-tag",
                f"{site.method.upper()} {site.path} has {len(tags)} tags; only the first, "
                f"{tags[0]!r}, groups it",
                spec.locate(at),
                at,
            )
        if tags[0] not in declared:
            yield warning(
                "tag-declared",
                f"tag {tags[0]!r} is not declared under the root document's tags",
                spec.locate(at),
                at,
            )


def feature_versions(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """``x-feature`` is ``{name: str, version: positive int}``; an operation without it is warned."""
    for site in iter_operations(spec.document):
        at = jp.join(site.pointer, "x-feature")
        feature = site.operation.get("x-feature")
        if feature is None:
            yield warning(
                "feature",
                f"{site.method.upper()} {site.path} has no x-feature: its feature version is unknown",
                spec.locate(site.pointer),
                site.pointer,
            )
        elif not _is_feature(feature):
            yield error(
                "feature",
                "x-feature must be {name: <string>, version: <positive integer>}",
                spec.locate(at),
                at,
            )


def _is_feature(feature: Any) -> bool:
    return (
        isinstance(feature, dict)
        and set(feature) == {"name", "version"}
        and isinstance(feature["name"], str)
        and bool(feature["name"])
        and type(feature["version"]) is int
        and feature["version"] > 0
    )


def error_responses(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """With a root ``x-error-schema``, every 4xx/5xx body uses that schema, unless the response
    says ``x-error-schema: false`` (a body of its own, such as a 503 naming other hosts)."""
    target = spec.document.get("x-error-schema")
    if target is None:
        return
    if not isinstance(target, str) or not target.startswith("#/"):
        yield error(
            "error-schema",
            "x-error-schema must be a JSON pointer such as '#/components/schemas/error'",
            spec.locate("/x-error-schema"),
            "/x-error-schema",
        )
        return
    try:
        jp.resolve(spec.document, target[1:])
    except jp.PointerError:
        yield error(
            "error-schema",
            f"x-error-schema {target!r} names nothing",
            spec.locate("/x-error-schema"),
            "/x-error-schema",
        )
        return
    for site in iter_operations(spec.document):
        for status, response in (site.operation.get("responses") or {}).items():
            if not (status[:1] in "45" or status == "default"):
                continue
            at = jp.join(site.pointer, "responses", status)
            resolved = deref(spec.document, response)
            if resolved.get("x-error-schema") is False:
                continue  # the response says its body is its own
            for media_type, content in (resolved.get("content") or {}).items():
                schema = content.get("schema") if isinstance(content, dict) else None
                if ref_target(schema) != target[1:]:
                    yield error(
                        "error-schema",
                        f"the {status} response's {media_type} body must be "
                        f"{{$ref: {target!r}}}, the error schema",
                        spec.locate(jp.join(at, "content", media_type)),
                        at,
                    )


def response_statuses(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """A shared response with ``x-status`` is used under that status only."""
    for site in iter_operations(spec.document):
        for status, response in (site.operation.get("responses") or {}).items():
            intended = deref(spec.document, response).get("x-status")
            if intended is not None and str(intended) != status:
                at = jp.join(site.pointer, "responses", status)
                yield error(
                    "response-status",
                    f"{ref_target(response) or 'this response'} is for status {intended}, "
                    f"not {status}",
                    spec.locate(at),
                    at,
                )


def enum_names(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """``x-enum-varnames`` and ``x-enum-descriptions`` give one entry per ``enum`` value."""
    for pointer, schema in _walk_dicts(spec.document, ""):
        values = schema.get("enum")
        for key in ("x-enum-varnames", "x-enum-descriptions"):
            names = schema.get(key)
            if names is None:
                continue
            at = jp.join(pointer, key)
            if not isinstance(values, list) or not isinstance(names, list):
                yield error(
                    "enum-names", f"{key} needs an enum list beside it", spec.locate(at), at
                )
            elif len(names) != len(values) or not all(isinstance(n, str) for n in names):
                yield error(
                    "enum-names",
                    f"{key} must hold {len(values)} strings, one per enum value, not {len(names)}",
                    spec.locate(at),
                    at,
                )


def request_media_types(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """A request body must be offered as JSON (the generated code speaks JSON only)."""
    for site in iter_operations(spec.document):
        body = site.operation.get("requestBody")
        if body is None:
            continue
        content = deref(spec.document, body).get("content") or {}
        if not any(JSON_MEDIA_TYPE.match(media_type) for media_type in content):
            at = jp.join(site.pointer, "requestBody")
            yield error(
                "media-type",
                "the request body needs a JSON media type (application/json or application/*+json)",
                spec.locate(at),
                at,
            )


def name_templates(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """A security scheme with ``x-name-template`` only uses path parameters of its operations."""
    schemes = (spec.document.get("components") or {}).get("securitySchemes") or {}
    templated = {
        key: PLACEHOLDER.findall(str(scheme.get("name", "")))
        for key, scheme in schemes.items()
        if isinstance(scheme, dict) and scheme.get("x-name-template") is True
    }
    root_security = spec.document.get("security") or []
    for site in iter_operations(spec.document):
        requirements = site.operation.get("security", root_security) or []
        used = {key for requirement in requirements for key in requirement}
        path_params = set(PLACEHOLDER.findall(site.path))
        for key in sorted(used & templated.keys()):
            missing = [name for name in templated[key] if name not in path_params]
            if missing:
                yield error(
                    "name-template",
                    f"security scheme {key!r} names {{{missing[0]}}}, which is not a path "
                    f"parameter of {site.method.upper()} {site.path}",
                    spec.locate(site.pointer),
                    site.pointer,
                )


def _walk_dicts(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _walk_dicts(value, jp.join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_dicts(value, jp.join(pointer, index))


RULES: tuple[Rule, ...] = (
    operation_ids,
    operation_responses,
    operation_tags,
    feature_versions,
    error_responses,
    response_statuses,
    enum_names,
    request_media_types,
    name_templates,
)
