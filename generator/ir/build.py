"""Build the intermediate model of a validated, bundled spec, in passes.

1. The protocol: security schemes, and every value a session holds.
2. Every named schema and its model (:mod:`generator.ir.schemas`).
3. Each operation, from those and its own path item (:mod:`generator.ir.operations`).
4. The API: operations grouped by tag, and what is derived from all of them (error classes,
   challenge parameters, imports).

Each pass takes what the earlier ones returned and returns what it made; names that collide are
reported, all at once, as a :class:`SpecError`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from generator import __version__
from generator.diagnostics import Diagnostic, SpecError, has_errors
from generator.ir import naming
from generator.ir.examples import default_port, example_base_url
from generator.ir.nodes import (
    Api,
    AuthParam,
    EnumModel,
    ErrorClass,
    ObjectModel,
    Operation,
    PublishedSpec,
    Response,
    Tag,
    _canonical_json,
)
from generator.ir.operations import Context, error_class, operation_of, response_of
from generator.ir.protocol import (
    example_cookies,
    security_schemes,
    session_cookie_names,
    session_fields,
)
from generator.ir.schemas import Schemas, register
from generator.ir.scopes import Scope
from generator.ir.types import type_of
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import deref, iter_operations


def build(spec: LoadedSpec, package: str | None = None) -> Api:
    """The :class:`Api` of a validated spec; :class:`SpecError` when names collide."""
    document = spec.document
    schemes = security_schemes(document)
    fields = session_fields(document)
    schemas, problems = register(spec)
    context = Context(spec, schemas, schemes, fields, shared_responses={})
    shared = {}
    for pointer, raw in _component_responses(document):
        response = response_of(context, pointer, _status_of(document, raw), raw)
        shared[(pointer, response.status)] = response
    context = dataclasses.replace(context, shared_responses=shared)
    tags = _tags(context, problems)
    if has_errors(problems):
        raise SpecError(problems)
    responses = [*shared.values()] + [r for t in tags for op in t.operations for r in op.responses]
    models = list(schemas.models.values())
    info = document.get("info", {})
    title = str(info.get("title", ""))
    return Api(
        title=title,
        version=str(info.get("version", "")),
        summary=str(info.get("summary", "")),
        description=str(info.get("description", "")),
        distribution=naming.distribution(package or title),
        package=package or naming.package(title),
        generator_version=__version__,
        spec_sha256=hashlib.sha256(_canonical_json(document)).hexdigest(),
        enums=tuple(m for m in models if isinstance(m, EnumModel)),
        models=tuple(m for m in models if isinstance(m, ObjectModel)),
        tags=tags,
        security_schemes=tuple(schemes.values()),
        error_model=_error_model(document, schemas),
        error_classes=_error_classes(responses),
        session_fields=tuple(fields[name] for name in sorted(fields)),
        session_cookies=any(op.sends_cookies for tag in tags for op in tag.operations),
        auth_params=tuple(
            AuthParam(naming.field(p), p)
            for p in dict.fromkeys(p for r in responses for h in r.headers for p in h.auth_params)
        ),
        published=PublishedSpec(document, schemas.hoisted(document)),
        default_port=default_port(document),
        example_base_url=example_base_url(document),
        example_cookies=example_cookies(schemes, fields),
        session_cookies_named=session_cookie_names(schemes, fields),
        warnings=tuple(problems),
    )


def _component_responses(document: dict[str, Any]) -> list[tuple[str, Any]]:
    responses = (document.get("components") or {}).get("responses") or {}
    return [(jp.join("/components/responses", name), raw) for name, raw in responses.items()]


def _status_of(document: dict[str, Any], raw: Any) -> str:
    """The status a shared response is written for (``x-status``), or ``""``."""
    return str(deref(document, raw).get("x-status", ""))


def _tags(context: Context, problems: list[Diagnostic]) -> tuple[Tag, ...]:
    """The operations grouped by their first tag, tags in the order the root declares them."""
    spec = context.spec
    declared = {
        t["name"]: str(t.get("description", ""))
        for t in spec.document.get("tags") or []
        if isinstance(t, dict) and "name" in t
    }
    grouped: dict[str, list[Operation]] = {}
    ids = Scope("two operations share an operationId", spec, problems)
    attributes = Scope("two tags share a client attribute", spec, problems)
    tag_attributes: dict[str, str] = {}
    methods: dict[str, Scope] = {}
    for site in iter_operations(spec.document):
        operation, found = operation_of(context, site)
        problems += found
        tag = operation.tag
        if tag not in grouped:
            tag_attributes[tag] = attributes.give(
                operation.tag_attribute, tag, jp.join(site.pointer, "tags")
            )
            grouped[tag] = []
            methods[tag] = Scope(
                f"two operations of tag {tag!r} share a method name", spec, problems
            )
        where = f"{site.method.upper()} {site.path}"
        name = methods[tag].give(operation.name, where, jp.join(site.pointer, "operationId"))
        operation_id = ids.give(operation.operation_id, where, site.pointer)
        grouped[tag].append(
            dataclasses.replace(
                operation,
                operation_id=operation_id,
                name=name,
                tag_attribute=tag_attributes[tag],
                slug=f"{tag_attributes[tag]}.{name}",
            )
        )
    ordered = [name for name in declared if name in grouped]
    ordered += [name for name in grouped if name not in declared]
    return tuple(
        Tag(
            name=name,
            attribute=grouped[name][0].tag_attribute,
            class_prefix=naming.pascal(grouped[name][0].tag_attribute),
            description=declared.get(name, ""),
            operations=tuple(grouped[name]),
        )
        for name in ordered
    )


def _error_model(document: dict[str, Any], schemas: Schemas) -> ObjectModel | None:
    """The model of every error body (``x-error-schema``), if the spec names one."""
    target = document.get("x-error-schema")
    if not isinstance(target, str):
        return None
    return schemas.object_model(type_of(schemas.index, {"$ref": target}).annotation)


def _error_classes(responses: list[Response]) -> tuple[ErrorClass, ...]:
    """One class per error status the responses use: the example values of its required headers
    and the bodies of its own (their union, where operations differ)."""
    headers: dict[int, dict[str, str]] = {}
    bodies: dict[int, dict[str, None]] = {}
    for response in responses:
        if response.error_class is None:
            continue
        status = int(response.status)
        examples = headers.setdefault(status, {})
        for header in response.headers:
            if header.required and header.example is not None:
                examples.setdefault(header.wire_name, header.example)
        if response.own_error_body:
            bodies.setdefault(status, {})[response.own_error_body] = None
    return tuple(
        dataclasses.replace(
            error_class(status, tuple(headers[status].items())),
            body=" | ".join(bodies[status]) if status in bodies else None,
        )
        for status in sorted(headers)
    )
