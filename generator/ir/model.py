"""Model: the intermediate model between the spec and the templates.

Frozen dataclasses hold everything a template prints, already named (through :mod:`naming`),
typed and ordered, so templates only loop and print. :func:`build` turns a validated, bundled
document into an :class:`Api`, reporting names that collide as diagnostics.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode

import orjson

from generator import __version__
from generator.diagnostics import Diagnostic, SpecError, error
from generator.ir import naming
from generator.spec import pointer as jp
from generator.spec.load import LoadedSpec
from generator.spec.openapi import deref, iter_operations, ref_target

INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Feature:
    """The server feature, and its version, that an operation or property needs."""

    name: str
    version: int


@dataclass(frozen=True)
class Constraint:
    """One validation rule: the pydantic ``Field`` keyword, its Python value, and its wording."""

    keyword: str
    value: str
    label: str


@dataclass(frozen=True)
class TypeRef:
    """A type as Python spells it (``annotation``) and as a reader would (``label``)."""

    annotation: str
    label: str
    constraints: tuple[Constraint, ...] = ()
    hint: str = ""
    """The annotation without validation rules (``Annotated`` dropped), where it differs."""
    nullable: bool = False
    """Whether ``null`` is a value (the annotation then already admits ``None``)."""
    model: str | None = None
    """The generated class it names, if any."""
    choices: tuple[str, ...] = ()
    """The values an enumeration allows, with their names: ``1 = Regular``."""

    @functools.cached_property
    def plain(self) -> str:
        """The type for signatures: what a caller passes, rules aside."""
        return self.hint or self.annotation


@dataclass(frozen=True)
class Example:
    """An example value, as compact JSON and as a Python expression."""

    json: str
    python: str


@dataclass(frozen=True)
class ModelField:
    name: str
    wire_name: str
    type: TypeRef
    required: bool
    description: str
    feature: Feature | None
    example: Example | None = None
    """The spec's example, or a made-up one for a required field."""
    const: str | None = None
    """The one value it may have (a JSON Schema ``const``), as a Python literal."""

    @functools.cached_property
    def annotation(self) -> str:
        """The model's annotation: an optional field left out is None, but null is refused."""
        if self.required or self.type.nullable:
            return self.type.annotation
        return f"Annotated[{self.type.annotation} | None, NotNull]"

    @functools.cached_property
    def hint(self) -> str:
        """The type a caller passes for it."""
        if self.required or self.type.nullable:
            return self.type.plain
        return f"{self.type.plain} | None"

    @functools.cached_property
    def doc(self) -> str:
        """One line on it for a docstring: wire name, type, rules, description."""
        return _describe(self.wire_name, [], self.type, self.required, self.description)

    @functools.cached_property
    def aliased(self) -> bool:
        """Whether the wire name differs from the Python name."""
        return self.wire_name != self.name


@dataclass(frozen=True)
class ObjectModel:
    name: str
    wire_name: str
    description: str
    fields: tuple[ModelField, ...]
    extra: str
    """What validation does with unknown properties: ``ignore``, ``forbid`` or ``allow``."""

    @functools.cached_property
    def doc(self) -> str:
        return _doc(self.description, f"The ``{self.wire_name}`` representation.")

    @functools.cached_property
    def constants(self) -> tuple[ModelField, ...]:
        """Fields with one possible value: filled in when made in Python, required in JSON."""
        return tuple(f for f in self.fields if f.const is not None)


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str
    """The value as a Python literal."""
    label: str
    description: str


@dataclass(frozen=True)
class EnumModel:
    name: str
    wire_name: str
    description: str
    base: str
    """``IntEnum`` or ``StrEnum``."""
    members: tuple[EnumMember, ...]

    @functools.cached_property
    def doc(self) -> str:
        return _doc(self.description, f"The ``{self.wire_name}`` enumeration.")


@dataclass(frozen=True)
class Parameter:
    name: str
    wire_name: str
    location: str
    """``path``, ``query``, ``header`` or ``cookie``."""
    required: bool
    description: str
    type: TypeRef
    session_attribute: str | None
    """The session attribute that supplies it (from ``x-session-field``), if any."""
    example: Example | None = None

    @functools.cached_property
    def hint(self) -> str:
        """The type a caller passes for it."""
        return self.type.plain if self.required else f"{self.type.plain} | None"

    @functools.cached_property
    def doc(self) -> str:
        """One line on it for a docstring: wire name, place, type, rules, description."""
        return _describe(
            self.wire_name, [self.location], self.type, self.required, self.description
        )


@dataclass(frozen=True)
class SecurityScheme:
    key: str
    kind: str
    location: str
    wire_name: str
    """The header or cookie name; with ``name_template``, ``{param}`` placeholders in it."""
    name_template: bool
    description: str
    session_attribute: str | None
    origin: str
    """Where a client gets the value (``x-obtained-from``)."""
    example: str
    """A value for examples (``x-example``)."""


@dataclass(frozen=True)
class ResponseHeader:
    name: str
    wire_name: str
    required: bool
    description: str
    type: TypeRef
    example: str | None
    session_attribute: str | None = None
    """The session value it carries (``x-session-field``), on a session-creating answer."""


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    body: TypeRef | None
    media_types: tuple[str, ...]
    headers: tuple[ResponseHeader, ...]
    error_class: str | None
    """The exception class of an error status."""
    alternate_hosts: str | None = None
    """The body field naming hosts to try instead (``x-alternate-hosts``)."""

    @functools.cached_property
    def is_error(self) -> bool:
        return self.status[:1] in "45" or self.status == "default"

    @functools.cached_property
    def is_success(self) -> bool:
        return self.status[:1] == "2"


@dataclass(frozen=True)
class ErrorClass:
    """The exception raised (client) or answered (server) for one error status."""

    status: int
    name: str
    phrase: str
    headers: tuple[tuple[str, str], ...] = ()
    """Required response headers the spec gives an example for: a server's defaults."""
    body: str | None = None
    """The model of its body where that is not the error representation (``x-error-schema: false``)."""


@dataclass(frozen=True)
class SessionField:
    """A value a client session holds, named by ``x-session-field`` in the spec."""

    name: str
    wire_name: str
    description: str
    secret: bool
    """A credential (from a security scheme): kept out of ``repr`` and logs."""
    example: str


@dataclass(frozen=True)
class AuthParam:
    """A parameter of an authentication challenge, with its accessor's name."""

    name: str
    wire_name: str


@dataclass(frozen=True)
class Credential:
    """A path, header or query value every call of an operation takes from the session."""

    location: str
    wire_name: str
    session_attribute: str
    parameter: str | None = None
    """The Python name of the parameter, for a path value."""

    @functools.cached_property
    def what(self) -> str:
        """How a person names it: ``the ININ-ICWS-CSRF-Token header``."""
        place = {"path": "path parameter", "query": "query parameter"}.get(
            self.location, self.location
        )
        return f"the {self.wire_name} {place}"


@dataclass(frozen=True)
class FeaturesList:
    """Where an answer lists the server's features (``x-features``): Python field names."""

    list_field: str
    """The answer's list of entries; empty when the answer is one entry."""
    name_field: str
    version_field: str
    entry_model: str


@dataclass(frozen=True)
class PathPart:
    """A piece of a path template: literal text, or a parameter's value."""

    literal: str
    parameter: Parameter | None


@dataclass(frozen=True)
class RequestBody:
    type: TypeRef
    model: ObjectModel | None
    """The model when the body is an object model, whose fields become keyword arguments."""
    required: bool
    media_types: tuple[str, ...]
    options: tuple[ObjectModel, ...] = ()
    """For a body that is one of several object models: those models."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    name: str
    method: str
    path: str
    tag: str
    tag_attribute: str
    """The client attribute of its tag (``client.<tag_attribute>.<name>``)."""
    summary: str
    description: str
    feature: Feature | None
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]
    """Alternatives (any one suffices), each a set of scheme keys (all needed)."""
    path_parts: tuple[PathPart, ...]
    credentials: tuple[Credential, ...]
    """Session values sent with every call (the first security alternative's, and parameters')."""
    sends_cookies: bool
    """Whether the session's cookies go with every call (a cookie security scheme)."""
    required_cookies: tuple[tuple[PathPart, ...], ...]
    """Names of the cookies a call must carry, each made of literal text and path values."""
    accept: str
    """The Accept header: the media types of its responses."""
    slug: str
    """A name for its documentation page and anchor, unique in the API."""
    example_arguments: tuple[tuple[str, str], ...]
    """Keyword arguments of an example call: (Python name, Python expression)."""
    example_body: str | None
    """The example call's body, as compact JSON."""
    example_path: str
    """The example call's path, with its query."""
    example_body_python: str | None
    """The example call's body as a Python expression, where it is not given as keywords."""
    example_headers: tuple[tuple[str, str], ...]
    """The example call's headers on the wire, credentials included."""
    security_schemes: tuple[SecurityScheme, ...]
    """The credentials a call needs (the first security alternative)."""
    session_role: str | None = None
    """``create`` or ``delete`` for the operations that start and end a session (``x-session``)."""
    features_list: FeaturesList | None = None
    """For the operation listing the server's features: where they are in its answer."""
    session_from_body: tuple[tuple[str, str], ...] = ()
    """(session attribute, answer field) pairs a session-creating answer fills a session with."""

    @functools.cached_property
    def example_imports(self) -> tuple[str, ...]:
        """Classes the example's Python arguments name."""
        code = " ".join(python for _, python in self.example_arguments)
        code += f" {self.example_body_python}" if self.example_body_python else ""
        return tuple(sorted(set(re.findall(r"\b([A-Z]\w*)[.(]", code))))

    @functools.cached_property
    def checked_credentials(self) -> tuple[Credential, ...]:
        """Session values a server must find in the request (path ones come with the route)."""
        return tuple(c for c in self.credentials if c.location != "path")

    @functools.cached_property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @functools.cached_property
    def route(self) -> str:
        """The path as a route pattern, its parameters named by their Python names."""
        return "".join(
            "{" + part.parameter.name + "}" if part.parameter else part.literal
            for part in self.path_parts
        )

    @functools.cached_property
    def fail_over(self) -> Response | None:
        """The error response that names hosts to try instead, if any."""
        return next((r for r in self.responses if r.alternate_hosts and r.error_class), None)

    @functools.cached_property
    def success_status(self) -> int:
        success = self.success
        return int(success.status) if success and success.status.isdigit() else 200

    @functools.cached_property
    def not_implemented_error(self) -> str:
        """The error a server answers with for an operation nobody implemented."""
        documented = {r.status: r.error_class for r in self.errors}
        return documented.get("501") or documented.get("500") or "ApiError"

    @functools.cached_property
    def arguments(self) -> tuple[Parameter, ...]:
        """Parameters the caller gives (the session supplies the rest), required first."""
        given = [p for p in self.parameters if p.session_attribute is None]
        return tuple(sorted(given, key=lambda p: not p.required))

    @functools.cached_property
    def success(self) -> Response | None:
        return next((r for r in self.responses if r.is_success), None)

    @functools.cached_property
    def errors(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_error)

    @functools.cached_property
    def raised_errors(self) -> tuple[str, ...]:
        """The error classes its documented error statuses raise, each once, in status order."""
        return tuple(dict.fromkeys(r.error_class for r in self.errors if r.error_class))

    @functools.cached_property
    def result(self) -> str:
        """The Python type a call returns."""
        success = self.success
        return success.body.annotation if success and success.body else "None"


@dataclass(frozen=True)
class Tag:
    name: str
    attribute: str
    """The client's attribute for it, and the name of its modules."""
    class_prefix: str
    description: str
    operations: tuple[Operation, ...]

    @functools.cached_property
    def module(self) -> str:
        return self.attribute

    @functools.cached_property
    def server_class(self) -> str:
        return f"{self.class_prefix}Api"

    @functools.cached_property
    def mock_class(self) -> str:
        return f"Mock{self.class_prefix}"


def _canonical_json(document: Any) -> bytes:
    """``document`` as JSON with sorted keys, the same bytes whatever order it was written in."""
    try:
        return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True, eq=False)
class PublishedSpec:
    """The bundled document as shipped: titled inline schemas moved to ``components/schemas``.

    Each then stands once, referenced where it was written, so that other tools name one model
    for it (a body offered as two media types is no longer two schemas). Made into JSON only
    when a template asks (in a render worker, for a large API).
    """

    document: dict[str, Any]
    hoisted: dict[str, Any]
    """Schemas to move, by title."""

    @functools.cached_property
    def json(self) -> str:
        """Indented as ``json.dumps(indent=2, ensure_ascii=False)`` writes it; written by orjson
        (ten times faster) unless a float (which orjson spells differently) or an integer
        beyond 64 bits is in it."""
        hoisted = self.hoisted
        floats = False

        def moved(node: Any, top: bool = False) -> Any:
            """``node`` (a mapping or a list) with hoisted schemas replaced by references: a
            copy where something changed inside, the node itself where nothing did. Scalars are
            looked at in place, not visited (this walks every node of the spec)."""
            nonlocal floats
            if type(node) is dict:
                title = node.get("title")
                if not top and type(title) is str and title in hoisted:
                    schema = hoisted[title]
                    if schema is node or schema == node:
                        return {"$ref": "#" + jp.join("/components/schemas", title)}
                items: Iterable[tuple[Any, Any]] = node.items()
            else:
                items = enumerate(node)
            copy = None
            for key, value in items:
                kind = type(value)
                if kind is dict or kind is list:
                    new = moved(value)
                    if new is not value:
                        if copy is None:
                            copy = dict(node) if type(node) is dict else list(node)
                        copy[key] = new
                elif kind is float:
                    floats = True
            return node if copy is None else copy

        document = dict(moved(self.document))  # the loaded document stays as it was
        components = dict(document.get("components") or {})
        published = dict(components.get("schemas") or {})
        for title, schema in hoisted.items():
            published[title] = moved(schema, top=True)
        components["schemas"] = published
        document["components"] = components
        if not floats:
            with contextlib.suppress(orjson.JSONEncodeError):
                return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Api:
    """Everything the templates print."""

    title: str
    version: str
    summary: str
    description: str
    distribution: str
    package: str
    generator_version: str
    spec_sha256: str
    enums: tuple[EnumModel, ...]
    models: tuple[ObjectModel, ...]
    tags: tuple[Tag, ...]
    security_schemes: tuple[SecurityScheme, ...]
    error_model: ObjectModel | None
    """The model of every error body (``x-error-schema``); its fields are the errors' too."""
    error_classes: tuple[ErrorClass, ...]
    session_fields: tuple[SessionField, ...]
    session_cookies: bool
    """Whether a session carries cookies (some operation needs a cookie credential)."""
    auth_params: tuple[AuthParam, ...]
    """Parameters of ``WWW-Authenticate`` challenges (``x-auth-params``)."""
    typing_imports: tuple[str, ...]
    """What the models module imports from ``typing``."""
    published: PublishedSpec
    """The bundled spec as shipped inside the package (``spec_json``)."""
    default_port: int
    """The port of the first server the spec lists (8000 when it names none)."""
    example_base_url: str
    """The first server's URL, its variables at their defaults."""
    example_cookies: tuple[tuple[str, str], ...]
    """Session cookies of the examples: (name, value)."""
    session_cookies_named: tuple[tuple[tuple[str, str | None], ...], ...]
    """Names of the session's cookies, as (literal, session attribute) pieces."""

    @functools.cached_property
    def spec_json(self) -> str:
        """The bundled spec as JSON, shipped inside the package."""
        return self.published.json

    @functools.cached_property
    def session_create(self) -> Operation | None:
        return next((op for op in self.operations if op.session_role == "create"), None)

    @functools.cached_property
    def session_delete(self) -> Operation | None:
        return next((op for op in self.operations if op.session_role == "delete"), None)

    @functools.cached_property
    def features_operation(self) -> Operation | None:
        return next((op for op in self.operations if op.features_list), None)

    @functools.cached_property
    def feature_versions(self) -> tuple[tuple[str, int], ...]:
        """Each feature the operations need, at the highest version any of them needs."""
        versions: dict[str, int] = {}
        for op in self.operations:
            if op.feature:
                versions[op.feature.name] = max(
                    versions.get(op.feature.name, 0), op.feature.version
                )
        return tuple(sorted(versions.items()))

    @functools.cached_property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for tag in self.tags for op in tag.operations)

    @functools.cached_property
    def enum_bases(self) -> tuple[str, ...]:
        """The ``enum`` classes the enumerations derive from."""
        return tuple(sorted({enum.base for enum in self.enums}))

    @functools.cached_property
    def all_models(self) -> tuple[EnumModel | ObjectModel, ...]:
        """Enumerations, then object models."""
        return (*self.enums, *self.models)

    @functools.cached_property
    def model_names(self) -> tuple[str, ...]:
        """Every class of the models module, in the order it defines them."""
        return tuple(m.name for m in self.enums) + tuple(m.name for m in self.models)

    @functools.cached_property
    def client_imports(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What the client module imports from the models module, and from ``typing``."""
        hints = []
        for operation in self.operations:
            hints += [p.hint for p in operation.arguments] + [operation.result]
            if operation.body:
                hints.append(operation.body.type.plain)
                hints += [option.name for option in operation.body.options[:1]]
                for option in operation.body.options[:1]:
                    hints += [f.type.plain for f in option.fields if f.const is None]
            if operation.body and operation.body.model:
                hints += [f.hint for f in operation.body.model.fields]
        models, typing = self._imports(hints)
        return tuple(naming.export_order({"ApiModel", *models})), typing

    @functools.cached_property
    def server_imports(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What the server module imports from the models module, and from ``typing``."""
        hints = []
        for operation in self.operations:
            hints += [p.hint for p in operation.arguments] + [operation.result]
            if operation.body:
                hints.append(operation.body.type.plain)
        return self._imports(hints)

    def _imports(self, hints: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names = set(re.findall(r"[A-Za-z_]\w*", " ".join(hints)))
        models = naming.export_order(names & set(self.model_names))
        return tuple(models), tuple(sorted(names & {"Literal"}))

    @functools.cached_property
    def error_exports(self) -> tuple[str, ...]:
        """The errors module's ``__all__``."""
        fixed = ["ApiError", "AuthChallenge", "ClientError", "FeatureNotSupportedError"]
        fixed += ["InvalidResponseError", "RequestTimeoutError", "TransportError"]
        fixed += ["UnexpectedStatusError", "error_for_status", "error_from_response"]
        fixed += ["invalid_response"]
        return tuple(naming.export_order(fixed + [e.name for e in self.error_classes]))

    @functools.cached_property
    def client_error_imports(self) -> tuple[str, ...]:
        """What the client module imports from the errors module."""
        create = self.session_create
        fail_over = create.fail_over if create else None
        names = ["ApiError", "ClientError", "FeatureNotSupportedError", "RequestTimeoutError"]
        names += ["TransportError", "error_from_response", "invalid_response"]
        if fail_over and fail_over.error_class:
            names.append(fail_over.error_class)
        return tuple(naming.export_order(names))

    @functools.cached_property
    def own_error_bodies(self) -> tuple[str, ...]:
        return tuple(e.body for e in self.error_classes if e.body)

    @functools.cached_property
    def errors_model_imports(self) -> tuple[str, ...]:
        """What the errors module imports from the models module."""
        names = set(self.own_error_bodies) | (
            {self.error_model.name} if self.error_model else set()
        )
        return tuple(naming.export_order(names))

    @functools.cached_property
    def server_error_imports(self) -> tuple[str, ...]:
        """What the server module imports from the errors module."""
        used = {op.not_implemented_error for op in self.operations}
        used |= {"ApiError", "error_for_status"}
        return tuple(naming.export_order(used))

    @functools.cached_property
    def server_exports(self) -> tuple[str, ...]:
        """The server module's ``__all__``."""
        names = ["MAX_BODY_BYTES", "Authenticate", "RequestContext", "create_app"]
        return tuple(naming.export_order(names + [t.server_class for t in self.tags]))

    @functools.cached_property
    def testing_imports(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What the testing module imports from the models module, and from the server module."""
        models = naming.export_order({"ApiModel", *self.server_imports[0]})
        server = naming.export_order(
            ["RequestContext", "create_app"] + [t.server_class for t in self.tags]
        )
        return tuple(models), tuple(server)

    @functools.cached_property
    def testing_exports(self) -> tuple[str, ...]:
        """The testing module's ``__all__``."""
        names = ["FEATURES", "Call", "MockSession", "Mocks", "Sessions", "create_mock_app"]
        names += [t.mock_class for t in self.tags]
        return tuple(naming.export_order(names))

    @functools.cached_property
    def client_exports(self) -> tuple[str, ...]:
        """The client module's ``__all__``."""
        classes = [f"{p}{t.class_prefix}Client" for p in ("", "Async") for t in self.tags]
        return tuple(naming.export_order(["DEFAULT_TIMEOUT", "AsyncClient", "Client", *classes]))

    @functools.cached_property
    def error_media_type(self) -> str:
        """The media type error bodies are sent as."""
        for operation in self.operations:
            for response in operation.errors:
                if response.media_types:
                    return response.media_types[0]
        return "application/json"

    @functools.cached_property
    def error_text_field(self) -> str | None:
        """The error model field that holds a human message: its first required string."""
        fields = self.error_model.fields if self.error_model else ()
        return next((f.name for f in fields if f.required and f.type.annotation == "str"), None)

    @functools.cached_property
    def model_exports(self) -> tuple[str, ...]:
        """The models module's ``__all__``."""
        exports = ("ApiModel", "ConstantsModel", "Integral", "NotNull", *self.model_names)
        return tuple(naming.export_order(exports))


def build(spec: LoadedSpec, package: str | None = None) -> Api:
    """The :class:`Api` of a validated spec; :class:`SpecError` when names collide."""
    return _Builder(spec, package).build()


@dataclass
class _Scope:
    """Python names given out in one namespace, to find two spec names that map to one."""

    what: str
    taken: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each name given out: the spec name it was given to, and where that was written."""

    def claim(self, python_name: str, spec_name: str, pointer: str, builder: _Builder) -> None:
        if python_name in self.taken and self.taken[python_name][0] != spec_name:
            other, other_pointer = self.taken[python_name]
            builder.diagnostics.append(
                error(
                    "python-name",
                    f"{self.what}: {spec_name!r} and {other!r} (at "
                    f"{builder.spec.locate(other_pointer)}) both become {python_name!r}",
                    builder.spec.locate(pointer),
                    pointer,
                )
            )
        else:
            self.taken.setdefault(python_name, (spec_name, pointer))


class _Builder:
    def __init__(self, spec: LoadedSpec, package: str | None) -> None:
        self.spec = spec
        self.document = spec.document
        self.package = package
        self.diagnostics: list[Diagnostic] = []
        self.named: dict[str, EnumModel | ObjectModel | None] = {}
        self.named_sources: dict[str, tuple[str, Any]] = {}
        self.order: dict[str, None] = {}
        """Class names in the order their models were completed."""
        self.class_names = _Scope("two schemas share a class name")
        self.typing_imports: dict[str, None] = {}
        self.error_statuses: dict[int, None] = {}
        self.error_examples: dict[tuple[int, str], str] = {}
        """Example values of the required headers of each error status, by status and header."""
        self.own_error_bodies: dict[int, str] = {}
        self.shared_responses: dict[tuple[str, str], Response] = {}
        """Responses written once (``$ref``) and used by many operations, by target and status."""
        self.auth_params: dict[str, None] = {}
        self.session_fields: dict[str, SessionField] = {}
        self.schemes = self._security_schemes()

    def build(self) -> Api:
        document = self.document
        info = document.get("info", {})
        for name in (document.get("components") or {}).get("schemas") or {}:
            pointer = jp.join("/components/schemas", name)
            self._model(name, jp.resolve(document, pointer), pointer)
        for name, raw in ((document.get("components") or {}).get("responses") or {}).items():
            status = str(deref(document, raw).get("x-status", ""))
            self._response(jp.join("/components/responses", name), status, raw)
        tags = self._tags()
        error_target = document.get("x-error-schema")
        error_model = None
        if isinstance(error_target, str):
            name = self._type({"$ref": error_target}, "/x-error-schema").annotation
            model = self.named.get(name)
            error_model = model if isinstance(model, ObjectModel) else None
        if self.diagnostics:
            raise SpecError(self.diagnostics)
        models = [self.named[name] for name in self.order]
        return Api(
            title=str(info.get("title", "")),
            version=str(info.get("version", "")),
            summary=str(info.get("summary", "")),
            description=str(info.get("description", "")),
            distribution=naming.distribution(self.package or str(info.get("title", ""))),
            package=self.package or naming.package(str(info.get("title", ""))),
            generator_version=__version__,
            spec_sha256=hashlib.sha256(_canonical_json(document)).hexdigest(),
            enums=tuple(m for m in models if isinstance(m, EnumModel)),
            models=tuple(m for m in models if isinstance(m, ObjectModel)),
            tags=tags,
            security_schemes=tuple(self.schemes.values()),
            error_model=error_model,
            error_classes=tuple(
                dataclasses.replace(
                    _error_class(
                        status,
                        tuple((h, v) for (s, h), v in self.error_examples.items() if s == status),
                    ),
                    body=self.own_error_bodies.get(status),
                )
                for status in sorted(self.error_statuses)
            ),
            session_fields=tuple(self.session_fields[name] for name in sorted(self.session_fields)),
            session_cookies=any(op.sends_cookies for tag in tags for op in tag.operations),
            auth_params=tuple(AuthParam(naming.field(p), p) for p in self.auth_params),
            typing_imports=tuple(
                sorted(
                    set(self.typing_imports)
                    | {"Any", "ClassVar"}
                    | {
                        "Annotated"
                        for m in models
                        if isinstance(m, ObjectModel)
                        for f in m.fields
                        if f.annotation.startswith("Annotated[")
                    }
                )
            ),
            published=PublishedSpec(document, self._hoisted()),
            default_port=_default_port(document),
            example_base_url=_example_base_url(document),
            example_cookies=self._example_cookies(),
            session_cookies_named=self._session_cookie_names(),
        )

    def _hoisted(self) -> dict[str, Any]:
        """Titled inline schemas to move to ``components/schemas``, by title."""
        components = self.document.get("components")
        schemas = components.get("schemas", {}) if isinstance(components, dict) else {}
        hoisted = {}
        for class_name, (pointer, schema) in self.named_sources.items():
            model = self.named.get(class_name)
            if (
                model
                and not pointer.startswith("/components/schemas/")
                and model.wire_name not in schemas
            ):
                hoisted[model.wire_name] = schema
        return hoisted

    # --- operations -------------------------------------------------------------------------

    def _tags(self) -> tuple[Tag, ...]:
        declared = {
            t["name"]: str(t.get("description", ""))
            for t in self.document.get("tags") or []
            if isinstance(t, dict) and "name" in t
        }
        grouped: dict[str, list[Operation]] = {}
        attributes = _Scope("two tags share a client attribute")
        method_scopes: dict[str, _Scope] = {}
        for site in iter_operations(self.document):
            tag = site.operation["tags"][0]
            if tag not in grouped:
                attributes.claim(naming.snake(tag), tag, jp.join(site.pointer, "tags"), self)
                grouped[tag] = []
                method_scopes[tag] = _Scope(f"two operations of tag {tag!r} share a method name")
            operation = self._operation(
                site.path, site.method, site.pointer, site.operation, site.path_item, tag
            )
            method_scopes[tag].claim(
                operation.name, operation.operation_id, jp.join(site.pointer, "operationId"), self
            )
            grouped[tag].append(operation)
        ordered = [name for name in declared if name in grouped] + [
            name for name in grouped if name not in declared
        ]
        return tuple(
            Tag(
                name=name,
                attribute=grouped[name][0].tag_attribute,
                class_prefix=naming.pascal(name),
                description=declared.get(name, ""),
                operations=tuple(grouped[name]),
            )
            for name in ordered
        )

    def _operation(
        self,
        path: str,
        method: str,
        pointer: str,
        operation: dict[str, Any],
        path_item: dict[str, Any],
        tag: str,
    ) -> Operation:
        operation_id = operation["operationId"]
        arguments = _Scope(f"operation {operation_id!r} has two arguments with one Python name")
        arguments.claim("body", "the body parameter", pointer, self)
        parameters = self._parameters(pointer, operation, path_item, arguments)
        body = self._request_body(pointer, operation.get("requestBody"), arguments)
        security = operation.get("security", self.document.get("security") or [])
        schemes = [
            self.schemes[key] for key in (security[0] if security else {}) if key in self.schemes
        ]
        credentials = [
            Credential(p.location, p.wire_name, p.session_attribute, p.name)
            for p in parameters
            if p.session_attribute and p.location in ("path", "header", "query")
        ] + [
            Credential(s.location, s.wire_name, s.session_attribute)
            for s in schemes
            if s.session_attribute and s.location in ("header", "query")
        ]
        responses = tuple(
            self._response(jp.join(pointer, "responses", status), status, response)
            for status, response in (operation.get("responses") or {}).items()
        )
        return Operation(
            operation_id=operation_id,
            name=naming.snake(operation_id, prefix="op"),
            method=method.upper(),
            path=path,
            tag=tag,
            tag_attribute=naming.snake(tag),
            summary=str(operation.get("summary", "")),
            description=str(operation.get("description") or operation.get("summary", "")),
            feature=_feature(operation.get("x-feature")),
            parameters=parameters,
            body=body,
            responses=responses,
            security=tuple(tuple(requirement) for requirement in security),
            path_parts=_path_parts(path, parameters),
            credentials=tuple(credentials),
            sends_cookies=any(s.location == "cookie" for s in schemes),
            required_cookies=tuple(
                (
                    _name_parts(s.wire_name, parameters)
                    if s.name_template
                    else (PathPart(s.wire_name, None),)
                )
                for s in schemes
                if s.location == "cookie"
            ),
            accept=", ".join(dict.fromkeys(m for r in responses for m in r.media_types)),
            slug=f"{naming.snake(tag)}.{naming.snake(operation_id, prefix='op')}",
            security_schemes=tuple(schemes),
            session_role=(
                operation.get("x-session")
                if operation.get("x-session") in ("create", "delete")
                else None
            ),
            features_list=self._features_list(operation.get("x-features"), responses),
            session_from_body=self._session_from_body(responses),
            **self._operation_example(path, parameters, body, schemes, responses),
        )

    def _success_model(self, responses: tuple[Response, ...]) -> ObjectModel | None:
        success = next((r for r in responses if r.is_success), None)
        model = self.named.get(success.body.model or "") if success and success.body else None
        return model if isinstance(model, ObjectModel) else None

    def _session_from_body(self, responses: tuple[Response, ...]) -> tuple[tuple[str, str], ...]:
        model = self._success_model(responses)
        wire = {f.wire_name: f.name for f in model.fields} if model else {}
        return tuple(
            (session.name, wire[session.wire_name])
            for session in self.session_fields.values()
            if session.wire_name in wire
        )

    def _features_list(self, raw: Any, responses: tuple[Response, ...]) -> FeaturesList | None:
        """Where the answer lists features; each ``x-features`` key names a property."""
        model = self._success_model(responses)
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
            self.named.get(listed.type.plain[5:-1])
            if listed and listed.type.plain.startswith("list[")
            else None
        )
        if not isinstance(entry, ObjectModel):
            return None
        names = {f.wire_name: f.name for f in entry.fields}
        return FeaturesList(
            listed.name if listed else "",
            names.get(str(raw.get("name")), ""),
            names.get(str(raw.get("version")), ""),
            entry.name,
        )

    def _operation_example(
        self,
        path: str,
        parameters: tuple[Parameter, ...],
        body: RequestBody | None,
        schemes: list[SecurityScheme],
        responses: tuple[Response, ...],
    ) -> dict[str, Any]:
        """An example call: its arguments, body and path (session values from the session's)."""
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
            session = self.session_fields.get(parameter.session_attribute or "")
            if session:
                return session.example
            return str(json.loads(parameter.example.json)) if parameter.example else ""

        concrete = "".join(
            quote(value(part.parameter), safe="") if part.parameter else part.literal
            for part in _path_parts(path, parameters)
        )
        query = urlencode(
            [(p.wire_name, value(p)) for p in parameters if p.location == "query" and p.example]
        )
        headers = [
            (s.wire_name, self.session_fields[s.session_attribute].example)
            for s in schemes
            if s.location == "header"
            and s.session_attribute is not None
            and s.session_attribute in self.session_fields
        ]
        headers += [
            (p.wire_name, value(p)) for p in parameters if p.location == "header" and p.example
        ]
        cookies = "; ".join(f"{name}={v}" for name, v in self._example_cookies())
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

    def _parameters(
        self, pointer: str, operation: dict[str, Any], path_item: dict[str, Any], arguments: _Scope
    ) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
        sources = [(jp.parent(pointer), path_item), (pointer, operation)]
        for base, holder in sources:
            for index, raw in enumerate(holder.get("parameters") or []):
                parameter = deref(self.document, raw)
                at = jp.join(base, "parameters", index)
                merged[(parameter["name"], parameter["in"])] = (at, parameter)
        result = []
        for at, parameter in merged.values():
            name = naming.field(parameter["name"])
            arguments.claim(name, f"{parameter['in']} parameter {parameter['name']}", at, self)
            result.append(
                Parameter(
                    name=name,
                    wire_name=parameter["name"],
                    location=parameter["in"],
                    required=bool(parameter.get("required", False)),
                    description=str(parameter.get("description", "")),
                    type=self._type(parameter.get("schema", {}), jp.join(at, "schema")),
                    session_attribute=self._session_field(parameter, parameter["name"]),
                    example=self._example(
                        parameter,
                        self._type(parameter.get("schema", {}), jp.join(at, "schema")),
                        made_up=bool(parameter.get("required")),
                    ),
                )
            )
        return tuple(result)

    def _request_body(self, pointer: str, raw: Any, arguments: _Scope) -> RequestBody | None:
        if raw is None:
            return None
        body = deref(self.document, raw)
        content = body.get("content") or {}
        media_types = tuple(content)
        json_type = next(
            m for m in media_types if re.match(r"^application/([\w.+-]+\+)?json$", m, re.I)
        )
        at = jp.join(pointer, "requestBody", "content", json_type, "schema")
        type_ref = self._type(content[json_type].get("schema", {}), at)
        model = self.named.get(type_ref.annotation)
        if isinstance(model, ObjectModel):
            # One claim per Python name: a collision inside the model is reported by the model.
            for model_field in {f.name: f for f in model.fields}.values():
                arguments.claim(
                    model_field.name, f"body property {model_field.wire_name}", at, self
                )
        options = tuple(
            option
            for option in (self.named.get(name.strip()) for name in type_ref.plain.split("|"))
            if isinstance(option, ObjectModel)
        )
        return RequestBody(
            options=options if len(options) > 1 else (),
            type=type_ref,
            model=model if isinstance(model, ObjectModel) else None,
            required=bool(body.get("required", False)),
            media_types=media_types,
        )

    def _response(self, pointer: str, status: str, raw: Any) -> Response:
        """The response ``raw``; one shared through a bare ``$ref`` is modelled once per status (its
        types and diagnostics are located where it is written, whichever operation asks)."""
        target = ref_target(raw)
        if target is None or len(raw) > 1:  # not shared as written: its own, or overridden
            return self._new_response(pointer, status, raw)
        known = self.shared_responses.get((target, status))
        if known is None:
            known = self.shared_responses[(target, status)] = self._new_response(
                pointer, status, raw
            )
        return known

    def _new_response(self, pointer: str, status: str, raw: Any) -> Response:
        response = deref(self.document, raw)
        content = response.get("content") or {}
        body = None
        for media_type, media in content.items():
            if isinstance(media, dict) and "schema" in media:
                body = self._type(
                    media["schema"], jp.join(pointer, "content", media_type, "schema")
                )
                break
        headers = []
        for name, raw_header in (response.get("headers") or {}).items():
            header = deref(self.document, raw_header)
            for param in header.get("x-auth-params") or []:
                self.auth_params.setdefault(str(param))
            headers.append(
                ResponseHeader(
                    name=naming.field(name),
                    wire_name=name,
                    required=bool(header.get("required", False)),
                    description=str(header.get("description", "")),
                    type=self._type(header.get("schema", {}), jp.join(pointer, "headers", name)),
                    example=str(header["example"]) if "example" in header else None,
                    session_attribute=(
                        naming.field(header["x-session-field"])
                        if isinstance(header.get("x-session-field"), str)
                        else None
                    ),
                )
            )
        error_class = None
        if status.isdigit() and status[0] in "45":
            if response.get("x-error-schema") is False and body is not None:
                self.own_error_bodies.setdefault(int(status), body.plain)
            self.error_statuses.setdefault(int(status), None)
            for header in headers:
                if header.required and header.example is not None:
                    self.error_examples.setdefault((int(status), header.wire_name), header.example)
            error_class = _error_class(int(status)).name
        alternate = response.get("x-alternate-hosts")
        return Response(
            status=status,
            description=str(response.get("description", "")),
            body=body,
            media_types=tuple(content),
            headers=tuple(headers),
            error_class=error_class,
            alternate_hosts=naming.field(alternate) if isinstance(alternate, str) else None,
        )

    def _session_cookie_names(self) -> tuple[tuple[tuple[str, str | None], ...], ...]:
        by_wire = {f.wire_name: f.name for f in self.session_fields.values()}
        names: list[tuple[tuple[str, str | None], ...]] = []
        for scheme in self.schemes.values():
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

    def _example_cookies(self) -> tuple[tuple[str, str], ...]:
        """The cookies an example session carries: one per cookie scheme, its name filled in."""
        examples = {f.wire_name: f.example for f in self.session_fields.values()}
        cookies = []
        for scheme in self.schemes.values():
            if scheme.location == "cookie":
                name = scheme.wire_name
                if scheme.name_template:
                    name = PLACEHOLDER.sub(lambda m: examples.get(m.group(1), m.group(0)), name)
                cookies.append((name, scheme.example))
        return tuple(cookies)

    def _session_field(
        self, holder: dict[str, Any], description_of: str, *, secret: bool = False
    ) -> str | None:
        """The session attribute named by ``x-session-field`` on ``holder``, registered once."""
        wire_name = holder.get("x-session-field")
        if not isinstance(wire_name, str):
            return None
        name = naming.field(wire_name)
        example = holder.get("example") or holder.get("x-example") or f"example-{wire_name}"
        description = str(holder.get("description") or description_of)
        self.session_fields.setdefault(
            name, SessionField(name, wire_name, description, secret, str(example))
        )
        return name

    def _security_schemes(self) -> dict[str, SecurityScheme]:
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        result = {}
        for key, raw in schemes.items():
            scheme = deref(self.document, raw)
            result[key] = SecurityScheme(
                key=key,
                kind=str(scheme.get("type", "")),
                location=str(scheme.get("in", "")),
                wire_name=str(scheme.get("name", "")),
                name_template=scheme.get("x-name-template") is True,
                description=str(scheme.get("description", "")),
                session_attribute=self._session_field(scheme, key, secret=True),
                origin=str(scheme.get("x-obtained-from", "")),
                example=str(scheme.get("x-example") or f"example-{key}"),
            )
        return result

    # --- schemas ----------------------------------------------------------------------------

    def _model(self, wire_name: str, schema: dict[str, Any], pointer: str) -> str:
        """The class name of a named schema (a component, or a titled inline schema), built once."""
        class_name = naming.pascal(wire_name)
        self.class_names.claim(class_name, wire_name, pointer, self)
        known = self.named_sources.get(class_name)
        if known is not None:
            if known[1] != schema and self.class_names.taken[class_name][0] == wire_name:
                self.diagnostics.append(
                    error(
                        "python-name",
                        f"two different schemas are named {wire_name!r} (the other at "
                        f"{self.spec.locate(known[0])})",
                        self.spec.locate(pointer),
                        pointer,
                    )
                )
            return class_name
        self.named_sources[class_name] = (pointer, schema)
        self.named[class_name] = None  # in progress: a recursive reference just uses the name
        if _enum_base(schema) is not None:
            model: EnumModel | ObjectModel = self._enum(class_name, wire_name, schema, pointer)
        else:
            model = self._object(class_name, wire_name, schema, pointer)
        self.named[class_name] = model
        self.order[class_name] = None
        return class_name

    def _enum(
        self, class_name: str, wire_name: str, schema: dict[str, Any], pointer: str
    ) -> EnumModel:
        values = schema["enum"]
        labels = schema.get("x-enum-varnames") or [None] * len(values)
        descriptions = schema.get("x-enum-descriptions") or [""] * len(values)
        scope = _Scope(f"two members of enumeration {wire_name!r} share a name")
        members = []
        for value, label, description in zip(values, labels, descriptions, strict=True):
            name = naming.enum_member(label, value)
            scope.claim(name, str(label or value), jp.join(pointer, "enum"), self)
            members.append(EnumMember(name, repr(value), str(label or value), str(description)))
        return EnumModel(
            name=class_name,
            wire_name=wire_name,
            description=str(schema.get("description", "")),
            base=str(_enum_base(schema)),
            members=tuple(members),
        )

    def _object(
        self, class_name: str, wire_name: str, schema: dict[str, Any], pointer: str
    ) -> ObjectModel:
        required = set(schema.get("required") or [])
        scope = _Scope(f"two properties of {wire_name!r} share a field name")
        fields = []
        for prop, raw in (schema.get("properties") or {}).items():
            at = jp.join(pointer, "properties", prop)
            name = naming.field(prop)
            scope.claim(name, prop, at, self)
            resolved = deref(self.document, raw)
            field_type = self._type(raw, at)
            fields.append(
                ModelField(
                    name=name,
                    wire_name=prop,
                    type=field_type,
                    required=prop in required,
                    description=str(resolved.get("description", "")),
                    feature=_feature(resolved.get("x-feature")),
                    example=self._example(resolved, field_type, made_up=prop in required),
                    const=repr(resolved["const"]) if "const" in resolved else None,
                )
            )
        additional = schema.get("additionalProperties")
        extra = "forbid" if additional is False else "allow" if additional else "ignore"
        return ObjectModel(
            name=class_name,
            wire_name=wire_name,
            description=str(schema.get("description", "")),
            fields=tuple(fields),
            extra=extra,
        )

    def _type(self, raw: Any, pointer: str) -> TypeRef:
        """The Python type of the schema ``raw`` found at ``pointer``."""
        target = ref_target(raw)
        if target is not None:
            if jp.parent(target) == "/components/schemas":
                resolved = jp.resolve(self.document, target)
                name = self._model(jp.split(target)[-1], resolved, target)
                return self._named_type(name, resolved)
            return self._type(deref(self.document, raw), target)
        schema = raw if isinstance(raw, dict) else {}
        if isinstance(schema.get("title"), str) and (
            schema.get("type") == "object" or "properties" in schema or "enum" in schema
        ):
            name = self._model(schema["title"], schema, pointer)
            return self._named_type(name, schema)
        declared = schema.get("type")
        nullable = bool(schema.get("nullable")) or (
            isinstance(declared, list) and "null" in declared
        )
        if isinstance(declared, list):
            kinds = [t for t in declared if t != "null"]
            declared = kinds[0] if len(kinds) == 1 else None
        base = self._base_type(schema, declared, pointer)
        if nullable:
            return TypeRef(
                f"{base.annotation} | None",
                f"{base.label} or null",
                base.constraints,
                f"{base.plain} | None",
                nullable=True,
            )
        return base

    def _example(
        self, holder: dict[str, Any], type_ref: TypeRef, *, made_up: bool
    ) -> Example | None:
        """The example of a property or parameter: the spec's, else (if ``made_up``) one made up."""
        value = _explicit_example(holder) or _explicit_example(
            deref(self.document, holder.get("schema", holder))
        )
        if value is None and made_up:
            value = (_made_up_example(self.document, holder.get("schema", holder), 0),)
        if value is None:
            return None
        return Example(
            json.dumps(value[0], separators=(",", ":")), self._python_example(type_ref, value[0])
        )

    def _python_example(self, type_ref: TypeRef, value: Any) -> str:
        """``value`` as a Python expression of the type a caller passes."""
        enum = self.named.get(type_ref.plain)
        if isinstance(enum, EnumModel):
            member = next((m for m in enum.members if m.value == repr(value)), None)
            if member is not None:
                return f"{enum.name}.{member.name}"
        return _python_value(value)

    def _named_type(self, name: str, schema: dict[str, Any]) -> TypeRef:
        model = self.named.get(name)
        choices = (
            tuple(f"{m.value} = {m.label}" for m in model.members)
            if isinstance(model, EnumModel)
            else ()
        )
        named = TypeRef(name, _label(schema, name), model=name, choices=choices)
        return self._integral(named) if _enum_base(schema) == "IntEnum" else named

    def _integral(self, integer: TypeRef) -> TypeRef:
        """An integer type that also takes JSON numbers with no fractional part (``3.0``)."""
        self.typing_imports["Annotated"] = None
        return dataclasses.replace(
            integer,
            annotation=f"Annotated[{integer.annotation}, Integral]",
            hint=integer.annotation,
        )

    def _base_type(self, schema: dict[str, Any], kind: Any, pointer: str) -> TypeRef:
        if "const" in schema:
            self.typing_imports["Literal"] = None
            value = schema["const"]
            return TypeRef(
                f"Literal[{value!r}]", f"always {json.dumps(value)}", choices=(json.dumps(value),)
            )
        if "enum" in schema:
            self.typing_imports["Literal"] = None
            values = ", ".join(repr(v) for v in schema["enum"])
            return TypeRef(
                f"Literal[{values}]",
                "one of " + values,
                choices=tuple(json.dumps(v) for v in schema["enum"]),
            )
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                members = [
                    self._type(s, jp.join(pointer, keyword, i))
                    for i, s in enumerate(schema[keyword])
                ]
                return TypeRef(
                    " | ".join(dict.fromkeys(m.annotation for m in members)),
                    " or ".join(m.label for m in members),
                    hint=" | ".join(dict.fromkeys(m.plain for m in members)),
                )
        if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self._type(schema["allOf"][0], jp.join(pointer, "allOf", 0))
        if kind == "string":
            return TypeRef("str", "string", _string_constraints(schema))
        if kind == "boolean":
            return TypeRef("bool", "boolean")
        if kind == "integer":
            return self._integral(_number(schema, kind))
        if kind == "number":
            return _number(schema, kind)
        if kind == "array":
            items = self._type(schema.get("items", {}), jp.join(pointer, "items"))
            return TypeRef(
                f"list[{self._annotated(items)}]",
                f"list of {items.label}",
                _size_constraints(schema, "minItems", "maxItems", "item"),
                f"list[{items.plain}]",
            )
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            additional = schema.get("additionalProperties")
            if not schema.get("properties") and isinstance(additional, dict):
                value = self._type(additional, jp.join(pointer, "additionalProperties"))
                return TypeRef(
                    f"dict[str, {self._annotated(value)}]",
                    f"dictionary of string to {value.label}",
                    hint=f"dict[str, {value.plain}]",
                )
        self.typing_imports["Any"] = None
        label = "object" if kind == "object" else "any JSON value"
        return TypeRef("dict[str, Any]" if kind == "object" else "Any", label)

    def _annotated(self, inner: TypeRef) -> str:
        """``inner`` as a type argument, its constraints carried in ``Annotated``."""
        if not inner.constraints:
            return inner.annotation
        self.typing_imports["Annotated"] = None
        rules = ", ".join(f"{c.keyword}={c.value}" for c in inner.constraints)
        return f"Annotated[{inner.annotation}, Field({rules})]"


def _describe(
    wire_name: str, places: list[str], type_ref: TypeRef, required: bool, description: str
) -> str:
    details = [*places, type_ref.label, *(["required"] if required else [])]
    details += [c.label for c in type_ref.constraints]
    return f"``{wire_name}`` ({', '.join(details)}). {description}".strip()


def _error_class(status: int, headers: tuple[tuple[str, str], ...] = ()) -> ErrorClass:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = f"Status {status}"
    return ErrorClass(status, naming.exception(phrase), phrase, headers)


def _name_parts(name: str, parameters: tuple[Parameter, ...]) -> tuple[PathPart, ...]:
    """A templated name (``icws_{sessionId}``) as literal text and path parameters."""
    return _path_parts(name, parameters)


def _path_parts(path: str, parameters: tuple[Parameter, ...]) -> tuple[PathPart, ...]:
    by_name = {p.wire_name: p for p in parameters if p.location == "path"}
    parts = []
    for index, piece in enumerate(PLACEHOLDER.split(path)):
        if index % 2 == 0:
            if piece:
                parts.append(PathPart(piece, None))
        else:
            parts.append(PathPart("", by_name[piece]))
    return tuple(parts)


def _python_value(value: Any) -> str:
    """A JSON value as Python source, strings in double quotes."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_python_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(str(k))}: {_python_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def _explicit_example(schema: Any) -> tuple[Any] | None:
    """The example a spec node gives itself (``example``, or the first of ``examples``)."""
    if not isinstance(schema, dict):
        return None
    if "example" in schema:
        return (schema["example"],)
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return (examples[0],)
    return None


def _made_up_example(document: dict[str, Any], raw: Any, depth: int) -> Any:
    """A value the schema accepts: its example, default or first enum value, or one by type."""
    schema = deref(document, raw)
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "const" in schema:
        return schema["const"]
    for found in (_explicit_example(schema), (schema["default"],) if "default" in schema else None):
        if found is not None:
            return found[0]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "string":
        return "string" + "x" * max(int(schema.get("minLength", 0)) - 6, 0)
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1 if kind == "integer" else 1.5)
        return low if isinstance(low, int | float) else 1
    if kind == "boolean":
        return True
    if kind == "array":
        item = _made_up_example(document, schema.get("items", {}), depth + 1)
        return [item] * max(int(schema.get("minItems", 1)), 1)
    properties = schema.get("properties") or {}
    if properties:
        required = schema.get("required") or []
        return {
            name: _made_up_example(document, properties[name], depth + 1)
            for name in properties
            if name in required
        }
    if isinstance(schema.get("additionalProperties"), dict):
        return {"key": _made_up_example(document, schema["additionalProperties"], depth + 1)}
    return {}


def _example_base_url(document: dict[str, Any]) -> str:
    servers = document.get("servers") or [{"url": "http://localhost:8000"}]
    url = str(servers[0].get("url", ""))
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url.rstrip("/")


def _default_port(document: dict[str, Any]) -> int:
    servers = document.get("servers") or [{}]
    match = re.search(r"://[^/:]*:(\d+)", str(servers[0].get("url", "")))
    return int(match.group(1)) if match else 8000


def _doc(description: str, fallback: str) -> str:
    """A class docstring: the spec's description, or a plain sentence naming the wire name."""
    return description or fallback


def _feature(raw: Any) -> Feature | None:
    if isinstance(raw, dict) and "name" in raw and "version" in raw:
        return Feature(str(raw["name"]), int(raw["version"]))
    return None


def _enum_base(schema: dict[str, Any]) -> str | None:
    values = schema.get("enum") or []
    if values and all(type(v) is int for v in values):
        return "IntEnum"
    if values and all(isinstance(v, str) for v in values):
        return "StrEnum"
    return None


def _label(schema: dict[str, Any], name: str) -> str:
    if "enum" in schema:
        return f"{name} (enumeration)"
    return name


def _string_constraints(schema: dict[str, Any]) -> tuple[Constraint, ...]:
    constraints = list(_size_constraints(schema, "minLength", "maxLength", "character"))
    if isinstance(schema.get("pattern"), str):
        pattern = schema["pattern"]
        constraints.append(Constraint("pattern", repr(pattern), f"matches {pattern}"))
    return tuple(constraints)


def _size_constraints(
    schema: dict[str, Any], low_key: str, high_key: str, unit: str
) -> tuple[Constraint, ...]:
    constraints = []
    low, high = schema.get(low_key), schema.get(high_key)
    if isinstance(low, int) and low > 0:
        constraints.append(Constraint("min_length", str(low), f"at least {_count(low, unit)}"))
    if isinstance(high, int):
        constraints.append(Constraint("max_length", str(high), f"at most {_count(high, unit)}"))
    return tuple(constraints)


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def _number(schema: dict[str, Any], kind: str) -> TypeRef:
    annotation = "int" if kind == "integer" else "float"
    label = "integer" if kind == "integer" else "number"
    low, high = schema.get("minimum"), schema.get("maximum")
    low_open, high_open = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low_open is True:  # OpenAPI 3.0: a flag on minimum
        low_open, low = low, None
    if high_open is True:
        high_open, high = high, None
    fmt = schema.get("format")
    if kind == "integer" and fmt in INT_FORMATS:
        label = f"{fmt[3:]}-bit integer"
        format_low, format_high = INT_FORMATS[fmt]
        low = format_low if not isinstance(low, int | float) else max(low, format_low)
        high = format_high if not isinstance(high, int | float) else min(high, format_high)
    constraints = []
    for keyword, value, words in (
        ("ge", low, "at least"),
        ("gt", low_open, "more than"),
        ("le", high, "at most"),
        ("lt", high_open, "less than"),
        ("multiple_of", schema.get("multipleOf"), "a multiple of"),
    ):
        if isinstance(value, int | float) and not isinstance(value, bool):
            constraints.append(Constraint(keyword, repr(value), f"{words} {value}"))
    return TypeRef(annotation, label, tuple(constraints))
