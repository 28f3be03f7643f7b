"""The session protocol the spec describes through its extensions: security schemes and the
session values that fill them (``x-session-field``), cookies named after the session
(``x-name-template``), the features an answer lists (``x-features``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator.ir import naming
from generator.ir.nodes import FeaturesList, ObjectModel, Response, SecurityScheme, SessionField
from generator.ir.schemas import Schemas
from generator.spec.openapi import deref, iter_operations, parameters_of

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def security_schemes(document: dict[str, Any]) -> dict[str, SecurityScheme]:
    """Every security scheme of the spec, by key. HTTP, OAuth2 and OpenID Connect schemes are
    an ``Authorization`` header; a scheme that names no ``x-session-field`` (and is no cookie,
    which travels in the session's cookies) takes its value from a session field named after
    its key, which the caller supplies."""
    result = {}
    for key, scheme in _raw_schemes(document):
        authorization = _authorization(scheme)
        location = "header" if authorization else str(scheme.get("in", ""))
        result[key] = SecurityScheme(
            key=key,
            kind=str(scheme.get("type", "")),
            location=location,
            wire_name="Authorization" if authorization else str(scheme.get("name", "")),
            name_template=scheme.get("x-name-template") is True,
            description=str(scheme.get("description", "")),
            session_attribute=session_attribute(scheme) or _own_field(key, location),
            origin=str(scheme.get("x-obtained-from", "")),
            example=str(scheme.get("x-example") or f"example-{key}"),
            authorization=authorization,
        )
    return result


def _raw_schemes(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    return [(key, deref(document, raw)) for key, raw in schemes.items()]


def _authorization(scheme: dict[str, Any]) -> str:
    """The ``Authorization`` scheme a security scheme is sent with, or ``""`` for an API key.
    OAuth2 and OpenID Connect are a bearer token the caller obtained; an HTTP scheme other than
    basic is sent under its own name."""
    kind = scheme.get("type")
    if kind in ("oauth2", "openIdConnect"):
        return "Bearer"
    if kind == "http":
        name = str(scheme.get("scheme", "bearer"))
        return {"bearer": "Bearer", "basic": "Basic"}.get(name.lower(), name)
    return ""


def _own_field(key: str, location: str) -> str | None:
    """The session field of a scheme without ``x-session-field``: its key, unless a cookie."""
    return naming.field(key) if location in ("header", "query") else None


def session_attribute(holder: dict[str, Any]) -> str | None:
    """The session attribute ``x-session-field`` names on a scheme, parameter or header."""
    wire_name = holder.get("x-session-field")
    return naming.field(wire_name) if isinstance(wire_name, str) else None


def session_fields(document: dict[str, Any]) -> dict[str, SessionField]:
    """Every value a session holds, by attribute: those of the security schemes (secrets), then
    those of the operations' parameters, each as first written."""
    holders: list[tuple[dict[str, Any], str, bool]] = []
    for key, scheme in _raw_schemes(document):
        holders.append((scheme, key, True))
    for site in iter_operations(document):
        for _, parameter in parameters_of(document, site):
            holders.append((parameter, str(parameter.get("name")), False))
    fields: dict[str, SessionField] = {}
    for holder, description_of, secret in holders:
        name = session_attribute(holder)
        if name is None or name in fields:
            continue
        wire_name = holder["x-session-field"]
        example = holder.get("example") or holder.get("x-example") or f"example-{wire_name}"
        description = str(holder.get("description") or description_of)
        fields[name] = SessionField(name, wire_name, description, secret, str(example))
    for own in security_schemes(document).values():
        name = own.session_attribute
        if name is not None and name not in fields:
            what = f"{own.authorization} credentials" if own.authorization else "API key"
            description = own.description or f"The {what} of security scheme {own.key!r}."
            if own.authorization == "Basic":
                description += " Given as ``user:password``."
            fields[name] = SessionField(
                name, own.key, description, True, own.example, optional=True
            )
    return fields


def session_cookie_names(
    schemes: Mapping[str, SecurityScheme], fields: Mapping[str, SessionField]
) -> tuple[tuple[tuple[str, str | None], ...], ...]:
    """Names of the session's cookies, as (literal, session attribute) pieces."""
    by_wire = {f.wire_name: f.name for f in fields.values()}
    names: list[tuple[tuple[str, str | None], ...]] = []
    for scheme in schemes.values():
        if scheme.location != "cookie":
            continue
        if not scheme.name_template:
            names.append(((scheme.wire_name, None),))
            continue
        pieces: list[tuple[str, str | None]] = []
        for index, piece in enumerate(PLACEHOLDER.split(scheme.wire_name)):
            if index % 2 == 0 and piece:
                pieces.append((piece, None))
            elif index % 2:
                pieces.append(("", by_wire.get(piece)))
        names.append(tuple(pieces))
    return tuple(names)


def example_cookies(
    schemes: Mapping[str, SecurityScheme], fields: Mapping[str, SessionField]
) -> tuple[tuple[str, str], ...]:
    """The cookies an example session carries: one per cookie scheme, its name filled in."""
    examples = {f.wire_name: f.example for f in fields.values()}
    cookies = []
    for scheme in schemes.values():
        if scheme.location == "cookie":
            name = scheme.wire_name
            if scheme.name_template:
                name = PLACEHOLDER.sub(lambda m: examples.get(m.group(1), m.group(0)), name)
            cookies.append((name, scheme.example))
    return tuple(cookies)


def _success_model(schemas: Schemas, responses: tuple[Response, ...]) -> ObjectModel | None:
    success = next((r for r in responses if r.is_success), None)
    return schemas.object_model(success.body.model if success and success.body else None)


def session_from_body(
    schemas: Schemas, fields: Mapping[str, SessionField], responses: tuple[Response, ...]
) -> tuple[tuple[str, str], ...]:
    """(session attribute, answer field) pairs a session-creating answer fills a session with."""
    model = _success_model(schemas, responses)
    wire = {f.wire_name: f.name for f in model.fields} if model else {}
    return tuple(
        (session.name, wire[session.wire_name])
        for session in fields.values()
        if session.wire_name in wire
    )


def features_list(
    schemas: Schemas, raw: Any, responses: tuple[Response, ...]
) -> FeaturesList | None:
    """Where the answer lists features; each ``x-features`` key names a property."""
    model = _success_model(schemas, responses)
    if not isinstance(raw, dict) or model is None:
        return None
    if "list" not in raw:  # the answer is one entry, the one its path names
        names = {f.wire_name: f.name for f in model.fields}
        return FeaturesList(
            "",
            names.get(str(raw.get("name")), ""),
            names.get(str(raw.get("version")), ""),
            model.name,
        )
    fields = {f.wire_name: f for f in model.fields}
    listed = fields.get(str(raw.get("list")))
    entry = (
        schemas.object_model(listed.type.plain[5:-1])
        if listed and listed.type.plain.startswith("list[")
        else None
    )
    if entry is None or listed is None:
        return None
    names = {f.wire_name: f.name for f in entry.fields}
    return FeaturesList(
        listed.name,
        names.get(str(raw.get("name")), ""),
        names.get(str(raw.get("version")), ""),
        entry.name,
    )
