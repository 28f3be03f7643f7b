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
    """Every security scheme of the spec, by key."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    result = {}
    for key, raw in schemes.items():
        scheme = deref(document, raw)
        result[key] = SecurityScheme(
            key=key,
            kind=str(scheme.get("type", "")),
            location=str(scheme.get("in", "")),
            wire_name=str(scheme.get("name", "")),
            name_template=scheme.get("x-name-template") is True,
            description=str(scheme.get("description", "")),
            session_attribute=session_attribute(scheme),
            origin=str(scheme.get("x-obtained-from", "")),
            example=str(scheme.get("x-example") or f"example-{key}"),
        )
    return result


def session_attribute(holder: dict[str, Any]) -> str | None:
    """The session attribute ``x-session-field`` names on a scheme, parameter or header."""
    wire_name = holder.get("x-session-field")
    return naming.field(wire_name) if isinstance(wire_name, str) else None


def session_fields(document: dict[str, Any]) -> dict[str, SessionField]:
    """Every value a session holds, by attribute: those of the security schemes (secrets), then
    those of the operations' parameters, each as first written."""
    holders: list[tuple[dict[str, Any], str, bool]] = []
    for key, raw in ((document.get("components") or {}).get("securitySchemes") or {}).items():
        holders.append((deref(document, raw), key, True))
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
