"""Validate: the OpenAPI schema (via openapi-spec-validator) plus this generator's own rules.

Every problem becomes a :class:`Diagnostic` pointing at the file and line it was written at;
all of them are collected in one run. The OpenAPI schema (and, for 3.1, JSON Schema 2020-12 over
every Schema Object) is first checked by jsonschema-rs, which only answers yes or no, in
milliseconds; only a document it rejects goes through openapi-spec-validator's Python backend,
slow but able to say where and why.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from generator.diagnostics import Diagnostic, error, warning
from generator.spec import extensions, schema_rules, unmodelled
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import (
    deref,
    iter_operations,
    iter_schema_sites,
    parameters_of,
    ref_target,
)
from generator.spec.walk import Node, Place, iter_nodes

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from openapi_spec_validator.validation.validators import SpecValidator

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
SUCCESS_STATUS = re.compile(r"^([123]([0-9][0-9]|XX)|default)$")
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"

Rule = Callable[[LoadedSpec], Iterator[Diagnostic]]
NodeRule = Callable[[LoadedSpec, Node], Iterator[Diagnostic]]
Tokens = tuple[str | int, ...]
"""A JSON pointer as its (unescaped) tokens: joined only when a diagnostic needs it."""


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
    shaped = not diagnostics  # the semantic rules assume a document of the right shape
    rules: list[Rule] = [*RULES, *(OPENAPI_RULES if shaped else ())]
    rules.append(functools.partial(node_rules, shaped=shaped))
    for rule in rules:
        try:
            diagnostics.extend(rule(spec))
        except Exception:
            if shaped:  # the document's shape is valid: the rule itself is wrong
                raise
    return diagnostics


def _schema_diagnostics(spec: LoadedSpec, version: str) -> Iterator[Diagnostic]:
    """The OpenAPI schema's verdict (and for 3.1, JSON Schema's over every schema)."""
    minor = "3.1" if version.startswith("3.1") else "3.0"
    if _conforms(spec.document, minor):
        return
    validator = _python_validators()[minor](spec.document)
    shape = [
        _located_error(spec, p) for p in validator.schema_validator.iter_errors(validator.schema)
    ]
    yield from shape
    if not shape and minor == "3.1":
        yield from _dialect_diagnostics(spec)


def _conforms(document: dict[str, Any], minor: str) -> bool:
    """jsonschema-rs's yes or no: the OpenAPI schema, and for 3.1 JSON Schema 2020-12 over every
    schema (a document naming another dialect gets no fast answer)."""
    if not _fast_validator(minor).is_valid(document):
        return False
    if minor == "3.1":
        if document.get("jsonSchemaDialect", OAS31_DIALECT) != OAS31_DIALECT:
            return False
        dialect = _fast_dialect()
        for _, schema in iter_schema_sites(document):
            if not dialect.is_valid(schema) or any(
                "$schema" in node for _, node in _walk_schemas(schema)
            ):
                return False
    return True


@functools.cache
def _fast_validator(minor: str) -> Any:
    """The OpenAPI schema that openapi-spec-validator ships, read without importing it."""
    found = importlib.util.find_spec("openapi_spec_validator")
    assert found and found.submodule_search_locations
    schema = Path(found.submodule_search_locations[0], "resources", "schemas", f"v{minor}")
    return jsonschema_rs.validator_for(json.loads((schema / "schema.json").read_text("utf-8")))


@functools.cache
def _fast_dialect() -> Any:
    from jsonschema_specifications import REGISTRY

    meta = REGISTRY.contents("https://json-schema.org/draft/2020-12/schema")
    return jsonschema_rs.Draft202012Validator(meta, validate_formats=True)


def _located_error(spec: LoadedSpec, problem: ValidationError) -> Diagnostic:
    parts = getattr(problem, "located_parts", None)
    if parts is None:
        parts = tuple(problem.absolute_path)
    pointer = jp.join("", *parts)
    return error("openapi-schema", _describe(problem), spec.locate(pointer), pointer)


def _dialect_diagnostics(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """3.1 Schema Objects checked against JSON Schema 2020-12 (the OpenAPI schema defers them)."""
    from jsonschema import Draft202012Validator

    dialect = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    for pointer, schema in iter_schema_sites(spec.document):
        for problem in dialect.iter_errors(schema):
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

    from jsonschema_path import SchemaPath

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
    from openapi_spec_validator.schemas.backend.jsonschema import (
        create_validator as jsonschema_validator,
    )

    keywords = {name: _located(cls) for name, cls in validator_class.keyword_validators.items()}
    attributes = {"keyword_validators": keywords, "schema_validator": jsonschema_validator(schema)}
    return type(validator_class.__name__, (validator_class,), attributes)


@functools.cache
def _python_validators() -> dict[str, type[SpecValidator]]:
    """openapi-spec-validator's validators, with located errors (imported only when needed)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    return {
        "3.0": _with_locations(OpenAPIV30SpecValidator, schema_v30),
        "3.1": _with_locations(OpenAPIV31SpecValidator, schema_v31),
    }


# --- this generator's rules -------------------------------------------------------------------


def operation_ids(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """No two operations share an operationId (one without any is named by the model)."""
    first_seen: dict[str, str] = {}
    for site in iter_operations(spec.document):
        operation_id = site.operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
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
    """An operation that lists responses lists a success (1XX, 2XX, 3XX) or ``default``: else no
    answer could be what a caller asked. One that lists none (OpenAPI 3.1 lets them go) is
    warned: its calls return nothing, and every status but a success is an error."""
    for site in iter_operations(spec.document):
        responses = site.operation.get("responses")
        if not responses:
            yield warning(
                "operation-responses",
                f"{site.method.upper()} {site.path} lists no responses; a call returns nothing",
                spec.locate(site.pointer),
                site.pointer,
            )
        elif isinstance(responses, dict) and not any(
            SUCCESS_STATUS.match(str(status)) for status in responses
        ):
            at = jp.join(site.pointer, "responses")
            yield error(
                "operation-success",
                f"{site.method.upper()} {site.path} lists no success (1XX, 2XX, 3XX) or "
                "default response",
                spec.locate(at),
                at,
            )


def operation_tags(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """An operation's first tag groups it (one without any goes to the model's default group):
    more are warned, and so is a tag the root does not declare."""
    declared = {t.get("name") for t in spec.document.get("tags") or [] if isinstance(t, dict)}
    for site in iter_operations(spec.document):
        tags = site.operation.get("tags")
        at = jp.join(site.pointer, "tags")
        if not tags or not isinstance(tags, list):
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
    """In a spec that gives ``x-feature`` to some operation, an operation without it is warned
    (its feature version is unknown); a spec that never does is not asked to."""
    sites = list(iter_operations(spec.document))
    if not any("x-feature" in site.operation for site in sites):
        return
    for site in sites:
        if "x-feature" not in site.operation:
            yield warning(
                "feature",
                f"{site.method.upper()} {site.path} has no x-feature: its feature version is unknown",
                spec.locate(site.pointer),
                site.pointer,
            )


def error_responses(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """With a root ``x-error-schema``, every 4xx/5xx body uses that schema, unless the response
    says ``x-error-schema: false`` (a body of its own, such as a 503 naming other hosts)."""
    target = spec.document.get("x-error-schema")
    if not isinstance(target, str) or not target.startswith("#/"):
        return  # none, or one the extension's declaration reports
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


def enum_names(spec: LoadedSpec, node: Node) -> Iterator[Diagnostic]:
    """``x-enum-varnames`` and ``x-enum-descriptions`` give one entry per ``enum`` value."""
    values = node.value.get("enum")
    for key in ("x-enum-varnames", "x-enum-descriptions"):
        names = node.value.get(key)
        if not isinstance(names, list):
            continue  # absent, or not of the extension's shape (reported by its declaration)
        at = jp.child(node.pointer, key)
        if not isinstance(values, list):
            yield error("enum-names", f"{key} needs an enum list beside it", spec.locate(at), at)
        elif len(names) != len(values):
            yield error(
                "enum-names",
                f"{key} must hold {len(values)} strings, one per enum value, not {len(names)}",
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


def repeated_path_parameters(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """A path names each parameter once: a route takes one value per name (Starlette refuses
    ``/things/{id}/{id}``), and OpenAPI does not say which value two places would give."""
    for path, _ in _mapping(spec.document.get("paths")):
        names = PLACEHOLDER.findall(path)
        for name in sorted({n for n in names if names.count(n) > 1}):
            at = jp.join("/paths", path)
            yield error(
                "path-parameter-repeated",
                f"path {path} names {{{name}}} more than once; a route takes each path "
                "parameter once",
                spec.locate(at),
                at,
            )


# --- OpenAPI's own rules beyond its schema -----------------------------------------------------


def path_parameters(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Each ``{name}`` of a path is a declared path parameter, and each one declared is in it."""
    document = spec.document
    for site in iter_operations(document):
        declared = {
            parameter.get("name")
            for _, parameter in parameters_of(document, site)
            if parameter.get("in") == "path"
        }
        in_path = set(PLACEHOLDER.findall(site.path))
        if in_path == declared:
            continue
        where = spec.locate(site.pointer)
        for name in sorted(in_path - declared):
            yield error(
                "path-parameter",
                f"{site.method.upper()} {site.path}: {{{name}}} is not declared as a path parameter",
                where,
                site.pointer,
            )
        for name in sorted(str(n) for n in declared - in_path):
            yield error(
                "path-parameter",
                f"{site.method.upper()} {site.path} declares path parameter {name!r}, "
                "which the path does not hold",
                where,
                site.pointer,
            )


def unique_parameters(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """No parameter list names the same (name, in) twice."""
    document = spec.document
    holders = [
        (jp.join("/paths", path), deref(document, item))
        for path, item in _mapping(document.get("paths"))
    ]
    holders += [(site.pointer, site.operation) for site in iter_operations(document)]
    for pointer, holder in holders:
        seen: set[tuple[Any, Any]] = set()
        raw = holder.get("parameters")
        for index, parameter in enumerate(raw if isinstance(raw, list) else []):
            parameter = deref(document, parameter)
            key = (parameter.get("name"), parameter.get("in"))
            at = jp.join(pointer, "parameters", index)
            if key in seen:
                yield error(
                    "parameter-unique",
                    f"parameter {key[0]!r} in {key[1]} is declared twice",
                    spec.locate(at),
                    at,
                )
            seen.add(key)


def unique_tags(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """No two entries of ``tags`` share a name."""
    seen: set[Any] = set()
    tags = spec.document.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        name = tag.get("name") if isinstance(tag, dict) else None
        at = jp.join("/tags", index)
        if name in seen:
            yield error("tag-unique", f"tag {name!r} is listed twice", spec.locate(at), at)
        seen.add(name)


_SUBSCHEMA = ("items", "not", "additionalProperties", "contains", "if", "then", "else")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def _walk_schemas(schema: Any) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    """``schema`` and every schema written inside it, outermost first, with their pointers'
    tokens (relative to ``schema``)."""
    stack: list[tuple[Tokens, Any]] = [((), schema)]
    while stack:
        tokens, schema = stack.pop()
        if not isinstance(schema, dict):
            continue
        yield tokens, schema
        inside: list[tuple[Tokens, Any]] = [
            ((*tokens, key), schema[key]) for key in _SUBSCHEMA if key in schema
        ]
        for key in _SUBSCHEMA_LISTS:
            parts = schema.get(key)
            if isinstance(parts, list):
                inside += [((*tokens, key, index), part) for index, part in enumerate(parts)]
        for key in _SUBSCHEMA_MAPS:
            inside += [((*tokens, key, name), part) for name, part in _mapping(schema.get(key))]
        stack.extend(inside[::-1])


def _mapping(node: Any) -> list[tuple[str, Any]]:
    return list(node.items()) if isinstance(node, dict) else []


def node_rules(spec: LoadedSpec, shaped: bool) -> Iterator[Diagnostic]:
    """The rules of each object and schema, in one walk of the document: extensions always,
    the semantic rules when OpenAPI accepts the document's shape."""
    rules = SHAPED_NODE_RULES if shaped else NODE_RULES
    for node in iter_nodes(spec.document):
        yield from extensions.check(spec, node)
        for rule in rules.get(node.place, ()):
            yield from rule(spec, node)


NODE_RULES: dict[Place, tuple[NodeRule, ...]] = {"schema": (enum_names,)}
"""Rules of one object, by its place, on any document."""

SHAPED_NODE_RULES: dict[Place, tuple[NodeRule, ...]] = {
    "schema": (
        enum_names,
        schema_rules.required_declared,
        schema_rules.enum_values,
        schema_rules.keywords_known,
        schema_rules.bounds,
        schema_rules.schema_values,
        unmodelled.unchecked_keywords,
    ),
    "parameter": (schema_rules.holder_examples, unmodelled.parameter_style),
    "header": (schema_rules.holder_examples,),
    "media type": (schema_rules.holder_examples, unmodelled.wildcard_media_type),
}
"""Rules of one object, by its place, on a document whose shape OpenAPI accepts."""

OPENAPI_RULES: tuple[Rule, ...] = (path_parameters, unique_parameters, unique_tags)
"""Run on a document whose shape the OpenAPI schema accepts."""


def unsupported_parts(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Webhooks and callbacks are requests the API's server sends, not ones a client makes:
    nothing is generated for them (they stay in the shipped spec); mutual TLS is the transport's
    business. Each is said once."""
    if spec.document.get("webhooks"):
        at = "/webhooks"
        yield warning(
            "unsupported",
            "webhooks are kept in the shipped spec, but no code is generated for them",
            spec.locate(at),
            at,
        )
    schemes = (spec.document.get("components") or {}).get("securitySchemes") or {}
    for key, scheme in schemes.items() if isinstance(schemes, dict) else ():
        if isinstance(scheme, dict) and scheme.get("type") == "mutualTLS":
            at = jp.join("/components/securitySchemes", key)
            yield warning(
                "unsupported",
                f"security scheme {key!r} is mutual TLS: give the client an httpx.Client with "
                "your certificate (http=...); nothing in the session stands for it",
                spec.locate(at),
                at,
            )
    for site in iter_operations(spec.document):
        if site.operation.get("callbacks"):
            at = jp.join(site.pointer, "callbacks")
            yield warning(
                "unsupported",
                f"{site.method.upper()} {site.path}: its callbacks are kept in the shipped spec, "
                "but no code is generated for them",
                spec.locate(at),
                at,
            )


RULES: tuple[Rule, ...] = (
    unsupported_parts,
    operation_ids,
    operation_responses,
    operation_tags,
    feature_versions,
    error_responses,
    response_statuses,
    name_templates,
    repeated_path_parameters,
)
