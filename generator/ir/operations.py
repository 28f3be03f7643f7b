"""Pass 2: each operation, as a function of what pass 1 found and its own path item.

:func:`operation_of` returns the operation and the problems it found (arguments that share a
Python name); it writes nothing anywhere else, so operations can be modelled in any order.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode

from generator.diagnostics import Diagnostic, warning
from generator.ir import naming
from generator.ir.examples import answer_example, example_of
from generator.ir.nodes import (
    Credential,
    ErrorClass,
    Operation,
    Parameter,
    PathPart,
    RequestBody,
    Response,
    ResponseHeader,
    SecurityScheme,
    SessionField,
    TypeRef,
)
from generator.ir.protocol import (
    PLACEHOLDER,
    example_cookies,
    features_list,
    session_attribute,
    session_from_body,
)
from generator.ir.schemas import Schemas, feature_of, is_secret
from generator.ir.scopes import Scope
from generator.ir.types import type_of
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import JSON_MEDIA_TYPE, OperationSite, deref, parameters_of, ref_target


@dataclass(frozen=True)
class Context:
    """What every operation is modelled from, besides its own path item."""

    spec: LoadedSpec
    schemas: Schemas
    schemes: Mapping[str, SecurityScheme]
    session_fields: Mapping[str, SessionField]
    shared_responses: Mapping[tuple[str, str], Response]
    """``components/responses`` entries modelled once, by pointer and the status they are for
    (``x-status``): an operation that refers to one for that status takes it as it is."""

    @property
    def document(self) -> dict[str, Any]:
        return self.spec.document


def operation_of(context: Context, site: OperationSite) -> tuple[Operation, list[Diagnostic]]:
    """The operation at ``site``, and the problems with its names."""
    document, raw, pointer = context.document, site.operation, site.pointer
    problems: list[Diagnostic] = []
    operation_id, tag = _operation_id(context, site, problems), _tag(context, site, problems)
    arguments = Scope(
        f"operation {operation_id!r} has two arguments with one Python name", context.spec, problems
    )
    arguments.claim("body", "the body parameter", pointer)
    arguments.claim("request_options", "the per-call options", pointer)
    body = _request_body(context, pointer, raw.get("requestBody"), arguments)
    parameters = _parameters(context, site, arguments)
    security = raw.get("security", document.get("security") or [])
    schemes = [
        context.schemes[key] for key in (security[0] if security else {}) if key in context.schemes
    ]
    credentials = [
        Credential(p.location, p.wire_name, p.session_attribute, p.name)
        for p in parameters
        if p.session_attribute and p.location in ("path", "header", "query")
    ] + [
        Credential(s.location, s.wire_name, s.session_attribute, scheme=s.authorization)
        for s in schemes
        if s.session_attribute and s.location in ("header", "query")
    ]
    responses = tuple(
        _shared(context, response, status)
        or response_of(context, jp.join(pointer, "responses", status), status, response)
        for status, response in (raw.get("responses") or {}).items()
    )
    name = naming.snake(operation_id, prefix="op")
    operation = Operation(
        operation_id=operation_id,
        name=name,
        method=site.method.upper(),
        path=site.path,
        tag=tag,
        tag_attribute=naming.tag_attribute(tag),
        summary=str(raw.get("summary", "")),
        description=str(raw.get("description") or raw.get("summary", "")),
        feature=feature_of(raw.get("x-feature")),
        parameters=parameters,
        body=body,
        responses=responses,
        security=tuple(tuple(requirement) for requirement in security),
        path_parts=path_parts(site.path, parameters),
        credentials=tuple(credentials),
        sends_cookies=any(s.location == "cookie" for s in schemes),
        required_cookies=tuple(
            (
                path_parts(s.wire_name, parameters)
                if s.name_template
                else (PathPart(s.wire_name, None),)
            )
            for s in schemes
            if s.location == "cookie"
        ),
        accept=", ".join(dict.fromkeys(m for r in responses for m in r.media_types)),
        idempotent=idempotent if isinstance(idempotent := raw.get("x-idempotent"), bool) else None,
        slug=f"{naming.tag_attribute(tag)}.{name}",
        security_schemes=tuple(schemes),
        session_role=raw.get("x-session") if raw.get("x-session") in ("create", "delete") else None,
        features_list=features_list(context.schemas, raw.get("x-features"), responses),
        session_from_body=session_from_body(context.schemas, context.session_fields, responses),
        **_example_call(context, site.path, parameters, body, schemes, responses),
    )
    return operation, problems


def _operation_id(context: Context, site: OperationSite, problems: list[Diagnostic]) -> str:
    """The operation's operationId, or one made from its method and path (with a warning)."""
    given = site.operation.get("operationId")
    if isinstance(given, str) and given:
        return given
    made = naming.operation_id(site.method, site.path)
    where = context.spec.locate(site.pointer)
    message = f"{site.method.upper()} {site.path} has no operationId; it is named {made!r}"
    problems.append(warning("operation-id", message, where, site.pointer))
    return made


def _tag(context: Context, site: OperationSite, problems: list[Diagnostic]) -> str:
    """The operation's first tag, or the default tag (with a warning)."""
    tags = site.operation.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str):
        return tags[0]
    where = context.spec.locate(site.pointer)
    message = f"{site.method.upper()} {site.path} has no tag; it goes to {naming.DEFAULT_TAG!r}"
    problems.append(warning("operation-tag", message, where, site.pointer))
    return naming.DEFAULT_TAG


def _shared(context: Context, raw: Any, status: str) -> Response | None:
    """The shared response a bare ``$ref`` names for ``status`` (one with overrides beside its
    ``$ref`` is its own)."""
    target = ref_target(raw)
    return context.shared_responses.get((target, status)) if target and len(raw) == 1 else None


def _parameters(context: Context, site: OperationSite, arguments: Scope) -> tuple[Parameter, ...]:
    document = context.document
    schema_of = context.schemas.schema_of
    result = []
    for at, parameter in parameters_of(document, site):
        spec_name = f"{parameter['in']} parameter {parameter['name']}"
        name = arguments.give(naming.field(parameter["name"]), spec_name, at)
        parameter_type = type_of(context.schemas.index, parameter.get("schema", {}))
        result.append(
            Parameter(
                name=name,
                wire_name=parameter["name"],
                location=parameter["in"],
                required=bool(parameter.get("required", False)),
                description=str(parameter.get("description", "")),
                type=parameter_type,
                session_attribute=session_attribute(parameter),
                example=example_of(
                    document,
                    schema_of,
                    parameter,
                    parameter_type,
                    made_up=bool(parameter.get("required")),
                ),
                default=_default_of(document, parameter),
                secret=is_secret(deref(document, parameter.get("schema")) or {}),
            )
        )
    return tuple(result)


def _header_credentials(scheme: SecurityScheme, value: str) -> str:
    """A security scheme's header value as sent: ``Authorization`` ones with their scheme
    (``Basic`` credentials, ``user:password``, in base64)."""
    if scheme.authorization == "Basic":
        value = base64.b64encode(value.encode()).decode("ascii")
    return f"{scheme.authorization} {value}" if scheme.authorization else value


def _default_of(document: dict[str, Any], parameter: dict[str, Any]) -> str | None:
    """An optional parameter's schema's ``default`` (null aside), as a Python literal."""
    schema = deref(document, parameter.get("schema"))
    if parameter.get("required") or not isinstance(schema, dict):
        return None
    default = schema.get("default")
    return None if default is None else repr(default)


def _request_body(context: Context, pointer: str, raw: Any, arguments: Scope) -> RequestBody | None:
    if raw is None:
        return None
    body = deref(context.document, raw)
    content = body.get("content") or {}
    media_types = tuple(content)
    media_type = _preferred(media_types)
    encoding = encoding_of(media_type)
    at = jp.join(pointer, "requestBody", "content", media_type, "schema")
    type_ref = _body_type(context, encoding, content[media_type])
    model = context.schemas.object_model(type_ref.annotation)
    if model is not None:
        # One claim per Python name: a collision inside the model is reported by the model.
        for model_field in {f.name: f for f in model.fields}.values():
            arguments.claim(model_field.name, f"body property {model_field.wire_name}", at)
    options = tuple(
        option
        for option in map(
            context.schemas.object_model, (n.strip() for n in type_ref.plain.split("|"))
        )
        if option is not None
    )
    return RequestBody(
        options=options if len(options) > 1 else (),
        type=type_ref,
        model=model,
        required=bool(body.get("required", False)),
        media_types=media_types,
        encoding=encoding,
        media_type=media_type,
    )


def encoding_of(media_type: str) -> str:
    """How a body of ``media_type`` travels: ``json``, ``form``, ``multipart``, ``text`` or
    ``binary`` (any other type, read and sent as bytes)."""
    essence = media_type.split(";")[0].strip().lower()
    if JSON_MEDIA_TYPE.match(essence):
        return "json"
    if essence == "application/x-www-form-urlencoded":
        return "form"
    if essence.startswith("multipart/"):
        return "multipart"
    return "text" if essence.startswith("text/") else "binary"


def _preferred(media_types: tuple[str, ...]) -> str:
    """The media type a body is sent or read as: the first JSON one, else the first."""
    return next((m for m in media_types if encoding_of(m) == "json"), media_types[0])


def _body_type(context: Context, encoding: str, media: Any) -> TypeRef:
    """The type of a body sent as ``encoding``: text is a string and other bytes, whatever
    their schema says; JSON, forms and multipart are their schema's type."""
    if encoding == "text":
        return TypeRef("str", "text")
    if encoding == "binary":
        return TypeRef("bytes", "binary data")
    schema = media.get("schema", {}) if isinstance(media, dict) else {}
    return type_of(context.schemas.index, schema)


def response_of(context: Context, pointer: str, status: str, raw: Any) -> Response:
    """The response ``raw`` written at ``pointer`` for ``status``."""
    document = context.document
    response = deref(document, raw)
    content = response.get("content") or {}
    media_type = _preferred(tuple(content)) if content else None
    encoding = encoding_of(media_type) if media_type else "json"
    media = content[media_type] if media_type and isinstance(content[media_type], dict) else {}
    body = None
    if media_type and (encoding != "json" or "schema" in media):
        body = _body_type(
            context, "binary" if encoding in ("form", "multipart") else encoding, media
        )
    headers = []
    for name, raw_header in (response.get("headers") or {}).items():
        header = deref(document, raw_header)
        headers.append(
            ResponseHeader(
                name=naming.field(name),
                wire_name=name,
                required=bool(header.get("required", False)),
                description=str(header.get("description", "")),
                type=type_of(context.schemas.index, header.get("schema", {})),
                example=str(header["example"]) if "example" in header else None,
                session_attribute=session_attribute(header),
                auth_params=tuple(str(p) for p in header.get("x-auth-params") or []),
            )
        )
    is_error = status.isdigit() and status[0] in "45"
    alternate = response.get("x-alternate-hosts")
    return Response(
        status=status,
        description=str(response.get("description", "")),
        body=body,
        media_types=tuple(content),
        headers=tuple(headers),
        error_class=error_class(int(status)).name if is_error else None,
        alternate_hosts=naming.field(alternate) if isinstance(alternate, str) else None,
        own_error_body=(
            body.plain
            if is_error
            and body is not None
            and context.schemas.object_model(body.plain) is not None
            and _own_error_body(document, response)
            else None
        ),
        encoding="binary" if encoding in ("form", "multipart") else encoding,
        media_type=media_type or "application/json",
        example=(
            _answer_example(document, media, encoding) if body and status[:1] == "2" else None
        ),
    )


def _answer_example(document: dict[str, Any], media: dict[str, Any], encoding: str) -> str:
    """The example a mock answers with, as JSON: for text or bytes, a JSON string."""
    example = answer_example(document, media)
    return example if encoding == "json" or example.startswith('"') else json.dumps("example")


def _own_error_body(document: dict[str, Any], response: dict[str, Any]) -> bool:
    """Whether an error response's body is its own rather than the spec's error representation
    (``x-error-schema``): where it says so, or where the spec names no error representation."""
    return response.get("x-error-schema") is False or "x-error-schema" not in document


def error_class(status: int, headers: tuple[tuple[str, str], ...] = ()) -> ErrorClass:
    """The exception class of an error status."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = f"Status {status}"
    return ErrorClass(status, naming.exception(phrase), phrase, headers)


def path_parts(path: str, parameters: tuple[Parameter, ...]) -> tuple[PathPart, ...]:
    """A path template, or a templated name (``icws_{sessionId}``), as literal text and path
    parameters."""
    by_name = {p.wire_name: p for p in parameters if p.location == "path"}
    parts = []
    for index, piece in enumerate(PLACEHOLDER.split(path)):
        if index % 2 == 0:
            if piece:
                parts.append(PathPart(piece, None))
        else:
            parts.append(PathPart("", by_name[piece]))
    return tuple(parts)


def _example_call(
    context: Context,
    path: str,
    parameters: tuple[Parameter, ...],
    body: RequestBody | None,
    schemes: list[SecurityScheme],
    responses: tuple[Response, ...],
) -> dict[str, Any]:
    """An example call: its arguments, body and path (session values from the session's)."""
    fields = context.session_fields
    arguments = [
        (p.name, p.example.python) for p in parameters if p.example and not p.session_attribute
    ]
    wire: dict[str, Any] = {}
    body_python = None
    if body and body.model:
        for model_field in body.model.fields:
            if model_field.example:
                arguments.append((model_field.name, model_field.example.python))
                wire[model_field.wire_name] = json.loads(model_field.example.json)
    elif body and body.options:  # one of several models: the first, made with its examples
        option = body.options[0]
        given = [f for f in option.fields if f.example and f.const is None]
        body_python = (
            f"{option.name}("
            + ", ".join(f"{f.name}={f.example.python}" for f in given if f.example)
            + ")"
        )
        for model_field in option.fields:
            if model_field.example:
                wire[model_field.wire_name] = json.loads(model_field.example.json)

    def value(parameter: Parameter) -> str:
        session = fields.get(parameter.session_attribute or "")
        if session:
            return session.example
        return str(json.loads(parameter.example.json)) if parameter.example else ""

    concrete = "".join(
        quote(value(part.parameter), safe="") if part.parameter else part.literal
        for part in path_parts(path, parameters)
    )
    query = urlencode(
        [(p.wire_name, value(p)) for p in parameters if p.location == "query" and p.example]
    )
    headers = [
        (s.wire_name, _header_credentials(s, fields[s.session_attribute].example))
        for s in schemes
        if s.location == "header" and s.session_attribute and s.session_attribute in fields
    ]
    headers += [(p.wire_name, value(p)) for p in parameters if p.location == "header" and p.example]
    cookies = "; ".join(f"{n}={v}" for n, v in example_cookies(context.schemes, fields))
    if cookies and any(s.location == "cookie" for s in schemes):
        headers.append(("Cookie", cookies))
    if body:
        headers.append(("Content-Type", body.media_types[0]))
    accept = ", ".join(dict.fromkeys(m for r in responses for m in r.media_types))
    if accept:
        headers.append(("Accept", accept))
    return {
        "example_headers": tuple(headers),
        "example_arguments": tuple(arguments),
        "example_body": (
            json.dumps(wire, separators=(",", ":"))
            if body and (body.model or body.options)
            else None
        ),
        "example_body_python": body_python,
        "example_path": concrete + ("?" + query if query else ""),
    }
