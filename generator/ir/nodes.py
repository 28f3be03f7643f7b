"""The intermediate model's nodes: frozen dataclasses holding everything a template prints,
already named (through :mod:`generator.ir.naming`), typed and ordered, so templates only loop
and print. :mod:`generator.ir.build` makes them from a validated spec."""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from generator.diagnostics import Diagnostic
from generator.ir import naming
from generator.spec import pointer as jp


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
    alias: bool = False
    """Whether the model it names is a type alias (of a list, a union...), not a class."""

    @functools.cached_property
    def plain(self) -> str:
        """The type for signatures: what a caller passes, rules aside."""
        return self.hint or self.annotation

    @functools.cached_property
    def checked(self) -> str:
        """The annotation with its rules in ``Annotated``: what a value standing on its own (a
        parameter) is validated as."""
        if not self.constraints:
            return self.annotation
        rules = ", ".join(f"{c.keyword}={c.value}" for c in self.constraints)
        return f"Annotated[{self.annotation}, Field({rules})]"


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
    secret: bool = False
    """A credential (``format: password``, ``writeOnly``, ``x-secret``): kept out of the model's
    ``repr`` and ``str`` and out of the client's logs, though sent as any other field."""

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
    alias: TypeRef | None = None
    """For a named schema that is not an object (an array, a union, a constrained scalar...):
    the type its name stands for, a type alias rather than a class (and no fields)."""

    @functools.cached_property
    def doc(self) -> str:
        if self.alias is not None:
            return _doc(self.description, f"The ``{self.wire_name}`` type: {self.alias.label}.")
        return _doc(self.description, f"The ``{self.wire_name}`` representation.")

    @functools.cached_property
    def annotations(self) -> tuple[str, ...]:
        """The types it names: its fields', or the one it is an alias of."""
        if self.alias is not None:
            return (self.alias.annotation,)
        return tuple(f.annotation for f in self.fields)

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
    default: str | None = None
    """The Python literal of the value a server gives it when a request leaves it out (its
    schema's ``default``, for an optional parameter), if any."""
    secret: bool = False
    """Whether its value is a credential (as :func:`~generator.ir.schemas.is_secret` says),
    which the client's logger redacts."""

    @functools.cached_property
    def hint(self) -> str:
        """The type a caller passes for it."""
        return self.type.plain if self.required else f"{self.type.plain} | None"

    @functools.cached_property
    def handler_hint(self) -> str:
        """The type a server handler receives for it: never None when it has a default."""
        return self.type.plain if self.default is not None else self.hint

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
    authorization: str = ""
    """For HTTP, OAuth2 and OpenID Connect schemes: the ``Authorization`` scheme its value is
    sent with (``Bearer``, ``Basic``)."""


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
    auth_params: tuple[str, ...] = ()
    """Parameters of the ``WWW-Authenticate`` challenges it carries (``x-auth-params``)."""


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
    own_error_body: str | None = None
    """The model of an error body that is not the error representation (``x-error-schema: false``)."""
    encoding: str = "json"
    """How its body is read (``json``, ``text``, ``binary``)."""
    media_type: str = "application/json"
    """The media type its body is answered as: the first JSON one, else the first."""
    example: str | None = None
    """A success body's example, as compact JSON (the spec's, else made up): what a mock
    answers. Text and bytes are a JSON string."""

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
    optional: bool = False
    """Whether a session may go without it: a credential the caller supplies for the security
    schemes that name no ``x-session-field``, not every call needs."""


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
    scheme: str = ""
    """The ``Authorization`` scheme the value is sent with (``Bearer``, ``Basic``), if any."""

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
    encoding: str = "json"
    """How it is sent (``json``, ``form``, ``multipart``, ``text``, ``binary``): that of
    ``media_type``."""
    media_type: str = "application/json"
    """The media type it is sent as: the first JSON one, else the first."""


IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
"""Methods whose repetition has the effect of one call (RFC 9110, 9.2.2); the client's
``_retries.py`` holds the same set."""


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
    idempotent: bool | None
    """Whether retries may send it twice, where the spec says (``x-idempotent``); None: its
    method says."""
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
        names = re.findall(r"\b([A-Z]\w*)[.(]", _STRING.sub("''", code))
        return tuple(naming.import_order(set(names)))

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
    def repeatable(self) -> bool:
        """Whether sending it twice does what sending it once does, so that the client retries
        it after failures that leave unknown whether the server acted: the spec's word
        (``x-idempotent``), else its method's (RFC 9110)."""
        return self.method in IDEMPOTENT_METHODS if self.idempotent is None else self.idempotent

    @functools.cached_property
    def success_status(self) -> int:
        success = self.success
        return int(success.status) if success and success.status.isdigit() else 200

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

    @functools.cached_property
    def result_hint(self) -> str:
        """The type a call returns as signatures name it: validation rules aside (``int``,
        where answers are read as ``Annotated[int, Integral]``)."""
        success = self.success
        return success.body.plain if success and success.body else "None"


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
        """The handlers' interface: every operation an abstract method, so that a class that
        leaves one out, or overrides it without ``async``, is a type error."""
        return f"{self.class_prefix}Api"

    @functools.cached_property
    def unimplemented_class(self) -> str:
        """The interface with every operation answering 501, for classes serving only some."""
        return f"Unimplemented{self.class_prefix}Api"

    @functools.cached_property
    def mock_class(self) -> str:
        return f"Mock{self.class_prefix}"

    @functools.cached_property
    def client_class(self) -> str:
        """Its blocking client class (``client.<attribute>``)."""
        return f"{self.class_prefix}Client"

    @functools.cached_property
    def async_client_class(self) -> str:
        """Its asyncio client class."""
        return f"Async{self.class_prefix}Client"

    @functools.cached_property
    def raw_client_class(self) -> str:
        """Its blocking client class answering with raw responses
        (``client.with_raw_response.<attribute>``)."""
        return f"{self.class_prefix}ClientWithRawResponse"

    @functools.cached_property
    def async_raw_client_class(self) -> str:
        """Its asyncio client class answering with raw responses."""
        return f"Async{self.class_prefix}ClientWithRawResponse"

    @functools.cached_property
    def _reading(self) -> tuple[tuple[tuple[str, str, str], ...], dict[str, str]]:
        return _reading((f"_{op.name.upper()}_RESULT", op) for op in self.operations)

    @functools.cached_property
    def results(self) -> tuple[tuple[str, str, str], ...]:
        """The ``Result`` its client module declares for each operation whose answer is not a
        model class (an enumeration, a list, a number...): (constant, the type as signatures
        name it, the type it is read as)."""
        return self._reading[0]

    def result_argument(self, operation: Operation) -> str:
        """What its client module passes ``_call`` to read an operation's answer as: the model
        class, or the operation's ``Result``."""
        return self._reading[1][operation.operation_id]

    @functools.cached_property
    def client_hints(self) -> tuple[str, ...]:
        """Every type its client module names: arguments, bodies and results, and the types
        answers are read as."""
        hints: list[str] = []
        for operation in self.operations:
            hints += [p.hint for p in operation.arguments] + [operation.result_hint]
            if operation.body:
                hints.append(operation.body.type.plain)
            if operation.body and operation.body.model:
                hints += [operation.body.model.name]
                hints += [f.hint for f in operation.body.model.fields]
        hints += [annotation for _, _, annotation in self.results]
        return tuple(hints)

    @functools.cached_property
    def server_hints(self) -> tuple[str, ...]:
        """Every type its handlers name (arguments, bodies and results)."""
        hints: list[str] = []
        for operation in self.operations:
            hints += [p.hint for p in operation.arguments] + [operation.result_hint]
            if operation.body:
                hints.append(operation.body.type.plain)
        return tuple(hints)

    @functools.cached_property
    def client_typing_imports(self) -> tuple[str, ...]:
        """What its client module imports from ``typing``."""
        names = _typing_names(self.client_hints)
        if any(op.body and op.body.model for op in self.operations):
            names |= {"Any", "overload"}
        return tuple(naming.import_order(names))

    @functools.cached_property
    def client_pydantic_imports(self) -> tuple[str, ...]:
        """What its client module imports from ``pydantic``: what the types answers are read
        as name of it (``Field``, for rules on items)."""
        return tuple(naming.import_order(_pydantic_names(a for _, _, a in self.results)))

    @functools.cached_property
    def base_client_imports(self) -> tuple[str, ...]:
        """What its client module imports from ``_base_client``."""
        wire = {
            self.result_argument(op)
            for op in self.operations
            if op.operation_id in self._reading[1]
        }
        return tuple(
            naming.import_order(
                ["AsyncRawResource", "AsyncResource", "RawResponse", "RequestOptions"]
                + ["SyncRawResource", "SyncResource"]
                + (["Result"] if self.results else [])
                + sorted(wire & set(WIRE_RESULTS.values()))
            )
        )

    @functools.cached_property
    def parameter_kinds(self) -> tuple[str, ...]:
        """What its endpoints validate their arguments as: each type with its rules."""
        return tuple(p.type.checked for op in self.operations for p in op.arguments)

    @functools.cached_property
    def server_module_imports(self) -> dict[str, tuple[str, ...]]:
        """What its server module imports from ``typing`` and ``pydantic``: what its handlers'
        types and its arguments' validation types name."""
        hints = self.server_hints + self.parameter_kinds
        return {
            "typing": tuple(naming.import_order(_typing_names(hints))),
            "pydantic": tuple(naming.import_order(_pydantic_names(hints))),
        }


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


def _header_names(names: Iterable[str]) -> tuple[str, ...]:
    """Header names once each, whatever their case (the first spelling kept), sorted."""
    first = {name.lower(): name for name in reversed(list(names))}
    return tuple(first[key] for key in sorted(first))


@dataclass(frozen=True)
class MockLogin:
    """How the mock answers the operation that starts a session, decided from the spec."""

    answer_example: str
    """The answer's fields that have examples, as one JSON object."""
    cookie_path: tuple[PathPart, ...]
    """The session cookies' path: the logout's path up to its last session value (none: ``/``)."""
    location: tuple[PathPart, ...]
    """The ``Location`` of the session: the logout's path (none without a logout)."""
    include_needs: tuple[tuple[str, str, int], ...]
    """Answer fields sent only when asked for: (wire name, feature, version it needs)."""
    features_field: tuple[str, str, str] | None
    """The answer's list of the server's features: (field, entry name, entry version), wire
    names."""
    session_fields: tuple[tuple[str, str], ...]
    """The answer's session values: (wire name, session attribute)."""


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
    warnings: tuple[Diagnostic, ...] = ()
    """What the model chose where the spec left a choice open (a default tag, a name)."""

    @functools.cached_property
    def spec_json(self) -> str:
        """The bundled spec as JSON, shipped inside the package."""
        return self.published.json

    @functools.cached_property
    def secret_headers(self) -> tuple[str, ...]:
        """The headers (lower case) security schemes and secret parameters carry credentials in,
        which logs redact."""
        schemes = {s.wire_name for s in self.security_schemes if s.location == "header"}
        return tuple(sorted({name.lower() for name in schemes | self._secret_parameters("header")}))

    @functools.cached_property
    def secret_query(self) -> tuple[str, ...]:
        """The query parameters security schemes carry credentials in, and secret ones, which
        logs redact."""
        schemes = {s.wire_name for s in self.security_schemes if s.location == "query"}
        return tuple(sorted(schemes | self._secret_parameters("query")))

    def _secret_parameters(self, location: str) -> set[str]:
        return {
            p.wire_name
            for op in self.operations
            for p in op.parameters
            if p.secret and p.location == location
        }

    @functools.cached_property
    def cors_request_headers(self) -> tuple[str, ...]:
        """The headers a browser's request may carry, which a CORS preflight allows: the header
        parameters, and the header security schemes with a fixed name."""
        schemes = [
            s.wire_name
            for s in self.security_schemes
            if s.location == "header" and not s.name_template
        ]
        parameters = [
            p.wire_name for op in self.operations for p in op.parameters if p.location == "header"
        ]
        return _header_names([*schemes, *parameters])

    @functools.cached_property
    def cors_exposed_headers(self) -> tuple[str, ...]:
        """The response headers a browser lets a script read: those the spec documents, and
        ``Location``."""
        documented = [
            h.wire_name for op in self.operations for r in op.responses for h in r.headers
        ]
        return _header_names([*documented, "Location"])

    @functools.cached_property
    def session_create(self) -> Operation | None:
        return next((op for op in self.operations if op.session_role == "create"), None)

    @functools.cached_property
    def session_delete(self) -> Operation | None:
        return next((op for op in self.operations if op.session_role == "delete"), None)

    @functools.cached_property
    def mock_login(self) -> MockLogin | None:
        """How the mock answers the session's start; None without one."""
        create = self.session_create
        answer = next((m for m in self.models if create and m.name == create.result), None)
        if create is None or answer is None:
            return None
        wire = {f.name: f.wire_name for f in answer.fields}
        logout = self.session_delete.path_parts if self.session_delete else ()
        last = max(
            (
                i
                for i, part in enumerate(logout)
                if part.parameter and part.parameter.session_attribute
            ),
            default=-1,
        )
        return MockLogin(
            answer_example="{"
            + ",".join(
                f"{json.dumps(f.wire_name)}:{f.example.json}" for f in answer.fields if f.example
            )
            + "}",
            cookie_path=logout[: last + 1],
            location=logout,
            include_needs=tuple(
                (f.wire_name, f.feature.name, f.feature.version) for f in answer.fields if f.feature
            ),
            features_field=self._features_field(answer),
            session_fields=tuple(
                (wire[field], attribute) for attribute, field in create.session_from_body
            ),
        )

    def _features_field(self, answer: ObjectModel) -> tuple[str, str, str] | None:
        """Where ``answer`` lists the server's features, as the features operation's entries:
        (field, entry name, entry version), wire names; None when it does not."""
        listing = self.features_operation.features_list if self.features_operation else None
        entry = next((m for m in self.models if listing and m.name == listing.entry_model), None)
        if listing is None or entry is None:
            return None
        listed = next((f for f in answer.fields if f.type.plain == f"list[{entry.name}]"), None)
        entry_wire = {f.name: f.wire_name for f in entry.fields}
        if listed is None:
            return None
        return (listed.wire_name, entry_wire[listing.name_field], entry_wire[listing.version_field])

    @functools.cached_property
    def features_operation(self) -> Operation | None:
        return next((op for op in self.operations if op.features_list), None)

    @functools.cached_property
    def feature_versions(self) -> tuple[tuple[str, int], ...]:
        """Each feature the operations and the models' properties need, at the highest version
        any of them needs: what a mock server reports unless told otherwise."""
        versions: dict[str, int] = {}
        needs = [op.feature for op in self.operations]
        needs += [f.feature for m in self.models for f in m.fields]
        for feature in needs:
            if feature:
                versions[feature.name] = max(versions.get(feature.name, 0), feature.version)
        return tuple(sorted(versions.items()))

    @functools.cached_property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for tag in self.tags for op in tag.operations)

    @functools.cached_property
    def all_models(self) -> tuple[EnumModel | ObjectModel, ...]:
        """Enumerations, then object models."""
        return (*self.enums, *self.models)

    @functools.cached_property
    def secret_names(self) -> tuple[str, ...]:
        """The wire names of every secret property (:attr:`ModelField.secret`), sorted: the keys
        of JSON bodies the client's logger redacts."""
        return tuple(sorted({f.wire_name for m in self.models for f in m.fields if f.secret}))

    @functools.cached_property
    def model_names(self) -> tuple[str, ...]:
        """Every class of the models module, in the order it defines them."""
        return tuple(m.name for m in self.enums) + tuple(m.name for m in self.models)

    @functools.cached_property
    def model_modules(self) -> dict[str, str]:
        """The module of the private ``_models`` package defining each model: its tag's
        (``tag.module``) when only that tag's operations use it, even through other models;
        ``_shared`` for the rest (models several tags use, the errors' bodies, and models no
        operation uses). A shared model uses only shared models, so the tags' modules import
        ``_shared`` and nothing imports a tag's module but the tag's own."""
        names = set(self.model_names)
        uses = {model.name: _names(model.annotations) & names for model in self.models}
        reach: dict[str, set[str]] = {name: set() for name in self.model_names}

        def mark(roots: Iterable[str], user: str) -> None:
            todo = [name for name in roots if name in names]
            while todo:
                name = todo.pop()
                if user not in reach[name]:
                    reach[name].add(user)
                    todo += uses.get(name, ())

        for tag in self.tags:
            mark(_names(_operation_types(op) for op in tag.operations), tag.module)
        shared = {*self.own_error_bodies, *([self.error_model.name] if self.error_model else [])}
        mark(shared, "")
        mark([name for name in self.model_names if not reach[name]], "")
        return {
            name: next(iter(users)) if len(users) == 1 and "" not in users else "_shared"
            for name, users in reach.items()
        }

    def models_of(self, module: str) -> tuple[EnumModel | ObjectModel, ...]:
        """The models ``_models/<module>.py`` defines: enumerations, then object models."""
        return tuple(m for m in self.all_models if self.model_modules[m.name] == module)

    @functools.cached_property
    def models_by_module(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each module of ``_models`` holding models, with the names it defines."""
        return self._grouped(self.model_names)

    def models_module_imports(self, module: str) -> dict[str, tuple[str, ...]]:
        """What ``_models/<module>.py`` imports, by source: ``abc`` (``collections.abc``),
        ``enum``, ``typing``, ``pydantic``, ``base`` (from ``_base``: what models derive from)
        and ``shared`` (the models of ``_shared`` its models use)."""
        models = self.models_of(module)
        objects = [m for m in models if isinstance(m, ObjectModel) and m.alias is None]
        aliases = [m for m in models if isinstance(m, ObjectModel) and m.alias is not None]
        used = _names(a for m in objects + aliases for a in m.annotations)
        base = used & {"Integral", "NotNull"}
        base |= {"ConstantsModel" if m.constants else "ApiModel" for m in objects}
        base |= {"ByValue"} if any(isinstance(m, EnumModel) for m in models) else set()
        pydantic = {"Field"} if any(m.fields for m in objects) else used & _PYDANTIC_NAMES
        pydantic |= {"ConfigDict"} if any(m.extra != "ignore" for m in objects) else set()
        shared = {n for n in used & set(self.model_names) if self.model_modules[n] == "_shared"}
        constants = any(m.constants for m in objects)
        return {
            "abc": ("Mapping",) if constants else (),
            "enum": tuple(sorted({m.base for m in models if isinstance(m, EnumModel)})),
            "typing": tuple(
                naming.import_order(
                    (used & _TYPING_NAMES)
                    | ({"ClassVar"} if constants else set())
                    | ({"TypeAlias"} if aliases else set())
                )
            ),
            "pydantic": tuple(sorted(pydantic)),
            "base": tuple(naming.import_order(base)),
            "shared": tuple(naming.import_order(shared - {m.name for m in models})),
        }

    def client_model_imports(self, tag: Tag) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What a tag's client module imports from ``_models``, by module."""
        return self._grouped(_names(tag.client_hints))

    @functools.cached_property
    def _mock_reading(self) -> tuple[tuple[tuple[str, str, str], ...], dict[str, str]]:
        """As a tag's ``_reading``, over every tag: operations of two tags may share a name."""
        constants = naming.unique(f"_{op.name.upper()}_RESULT" for op in self.operations)
        return _reading(zip(constants, self.operations, strict=True))

    @functools.cached_property
    def mock_results(self) -> tuple[tuple[str, str, str], ...]:
        """The ``Result`` the testing module declares for each operation whose answer is not a
        model class, to check the mocks' ``results`` against: (constant, the type as
        signatures name it, the type it is checked as)."""
        return self._mock_reading[0]

    def mock_result_argument(self, operation: Operation) -> str:
        """What the mock passes ``_result`` to check an operation's answer as: the model
        class, or the operation's ``Result``."""
        return self._mock_reading[1][operation.operation_id]

    @functools.cached_property
    def testing_hints(self) -> tuple[str, ...]:
        """Every type the testing module names: every handler's, and the types the mocks'
        results are checked as."""
        hints = [hint for tag in self.tags for hint in tag.server_hints]
        return tuple(hints + [annotation for _, _, annotation in self.mock_results])

    @functools.cached_property
    def testing_model_imports(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What the testing module imports from ``_models``, by module: the base of every
        model, the types of every handler and result, and the entries of the features list."""
        names = _names(self.testing_hints) | {"ApiModel"}
        features = self.features_operation
        if features and features.features_list and features.features_list.list_field:
            names.add(features.features_list.entry_model)
        return self._grouped(names)

    @functools.cached_property
    def testing_typing_imports(self) -> tuple[str, ...]:
        """What the testing module imports from ``typing``."""
        names = _typing_names(self.testing_hints) | {"Any", "TypeVar", "overload"}
        return tuple(naming.import_order(names))

    @functools.cached_property
    def testing_base_client_imports(self) -> tuple[str, ...]:
        """What the testing module imports from ``_base_client``: ``Result``, and the results
        of answers that are not JSON."""
        read_as = set(self._mock_reading[1].values())
        return tuple(naming.import_order({"Result"} | (read_as & set(WIRE_RESULTS.values()))))

    @functools.cached_property
    def testing_pydantic_imports(self) -> tuple[str, ...]:
        """What the testing module imports from ``pydantic``: ``ValidationError``, which a
        result of the wrong type raises, and what the types results are checked as name."""
        names = _pydantic_names(a for _, _, a in self.mock_results) | {"ValidationError"}
        return tuple(naming.import_order(names))

    @functools.cached_property
    def session_imports(self) -> dict[str, tuple[str, ...]]:
        """What the session module imports, by source: ``abc`` (``collections.abc``: the
        cookies' type, where sessions carry cookies) and ``dataclasses`` (``field``, where a
        value stays out of ``repr``)."""
        hidden = self.session_cookies or any(f.secret for f in self.session_fields)
        return {
            "abc": ("Mapping",) if self.session_cookies else (),
            "dataclasses": ("dataclass", "field") if hidden else ("dataclass",),
        }

    @functools.cached_property
    def testing_modules(self) -> tuple[str, ...]:
        """The modules the testing module imports whole: ``contextlib``, and ``secrets`` where
        sessions hold values or cookies the mock makes up."""
        made_up = self.session_fields or self.session_cookies_named
        return ("contextlib", "secrets") if made_up else ("contextlib",)

    @functools.cached_property
    def connect_hints(self) -> tuple[str, ...]:
        """The types ``Client.connect`` names: its arguments, its body, and the fields of the
        body's first option (given as keywords)."""
        create = self.session_create
        if create is None:
            return ()
        hints = [p.hint for p in create.arguments]
        if create.body:
            hints.append(create.body.type.plain)
            for option in create.body.options[:1]:
                hints += [option.name] + [f.type.plain for f in option.fields if f.const is None]
        return tuple(hints)

    @functools.cached_property
    def connect_model_imports(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The models ``Client.connect`` names, by module of ``_models``."""
        return self._grouped(_names(self.connect_hints))

    @functools.cached_property
    def client_typing_imports(self) -> tuple[str, ...]:
        """What the client module imports from ``typing``: ``TYPE_CHECKING`` where it names the
        tags' classes or models in annotations only."""
        names = {"ClassVar"} | _typing_names(self.connect_hints)
        names |= {"TYPE_CHECKING"} if self.tags or self.connect_model_imports else set()
        names |= {"Self"} if self.session_create else set()
        return tuple(naming.import_order(names))

    def _grouped(self, names: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The models among ``names``, by the module of ``_models`` defining them, in the order
        imports are sorted; the names ``_models._base`` defines (``ApiModel``, ``Integral``...)
        under ``_base``."""
        modules: dict[str, list[str]] = {}
        for name in names:
            module = self.model_modules.get(name) or ("_base" if name in _BASE_NAMES else None)
            if module is not None:
                modules.setdefault(module, []).append(name)
        return tuple(
            (module, tuple(naming.import_order(modules[module])))
            for module in naming.import_order(modules)
        )

    @functools.cached_property
    def tags_by_module(self) -> tuple[Tag, ...]:
        """The tags in the order imports of their modules are sorted."""
        by_module = {tag.module: tag for tag in self.tags}
        return tuple(by_module[module] for module in naming.import_order(by_module))

    @functools.cached_property
    def client_error_imports(self) -> tuple[str, ...]:
        """What the client module imports from the errors module: the error a login answers to
        send it elsewhere, with the failure to reach a host (which moves on to the next), and the
        root of all errors (which logging out ignores)."""
        create = self.session_create
        fail_over = create.fail_over if create else None
        names = [self.root_error] if self.session_delete else []
        if fail_over and fail_over.error_class:
            names += [fail_over.error_class, "TransportError"]
        return tuple(naming.import_order(names))

    @functools.cached_property
    def root_error(self) -> str:
        """The root of every exception the package raises, named after the package and clear of
        its models and error classes."""
        taken = (*self.model_names, *(error.name for error in self.error_classes))
        return naming.root_exception(self.package, taken)

    @functools.cached_property
    def own_error_bodies(self) -> tuple[str, ...]:
        return tuple(e.body for e in self.error_classes if e.body)

    @functools.cached_property
    def errors_exceptions_imports(self) -> tuple[str, ...]:
        """What the errors module imports from ``_exceptions``: the bases, the client's errors,
        and what describes a body that is not an error body, where errors carry a message."""
        names = ["ApiErrorBase", "Challenge", "ClientError", "FeatureNotSupportedError"]
        names += ["InvalidArgumentError", "RequestTimeoutError", "TransportError"]
        names += ["describe_unexpected_body"] if self.error_text_field else []
        return tuple(naming.import_order(names))

    @functools.cached_property
    def errors_pydantic_imports(self) -> tuple[str, ...]:
        """What the errors module imports from ``pydantic``: ``ValidationError``, where it reads
        error bodies (``x-error-schema``, or a status's own body)."""
        if not self.errors_model_imports:
            return ()
        return ("TypeAdapter", "ValidationError") if self.own_error_bodies else ("ValidationError",)

    @functools.cached_property
    def errors_model_imports(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What the errors module imports from ``_models``, by module: the error model and the
        statuses' own bodies."""
        names = _names(self.own_error_bodies)
        return self._grouped(names | ({self.error_model.name} if self.error_model else set()))

    @functools.cached_property
    def error_media_type(self) -> str:
        """The media type error bodies are sent as: text where the API has no error model."""
        if self.error_model is None:
            return "text/plain"
        for operation in self.operations:
            for response in operation.errors:
                if response.media_types:
                    return response.media_types[0]
        return "application/json"

    @functools.cached_property
    def error_text_field(self) -> str | None:
        """The error field that holds a human message: the error model's first required string;
        ``message``, sent as text, where the API has no error model."""
        if self.error_model is None:
            return "message"
        fields = self.error_model.fields
        return next((f.name for f in fields if f.required and f.type.annotation == "str"), None)

    def server_module_model_imports(self, tag: Tag) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What a tag's server module imports from ``_models``, by module: what its handlers'
        types and its arguments' validation types name."""
        return self._grouped(_names(tag.server_hints + tag.parameter_kinds))


_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_TYPING_NAMES = frozenset({"Annotated", "Any", "Literal"})
_PYDANTIC_NAMES = frozenset({"Field"})
_BASE_NAMES = frozenset({"ApiModel", "ByValue", "ConstantsModel", "Integral", "NotNull"})
"""What ``_models/_base.py`` defines."""


def _names(hints: Iterable[str]) -> set[str]:
    """The identifiers type hints hold (not the words of their string literals)."""
    return set(_IDENTIFIER.findall(_STRING.sub("", " ".join(hints))))


def _typing_names(hints: Iterable[str]) -> set[str]:
    """What type hints need from ``typing``."""
    return _names(hints) & _TYPING_NAMES


def _pydantic_names(hints: Iterable[str]) -> set[str]:
    """What type hints need from ``pydantic``."""
    return _names(hints) & _PYDANTIC_NAMES


def _result_class(body: TypeRef) -> str | None:
    """The model class an answer body is, when it is one: an object model, named bare (an
    enumeration lists its choices; a nullable or integral type is more than the name; a type
    alias is no class)."""
    named = body.model == body.annotation and not body.choices and not body.alias
    return body.model if named else None


WIRE_RESULTS = {"text": "TEXT", "binary": "BINARY"}
"""The ``Result`` of ``_base_client`` that answers other than JSON are read as, by encoding."""


def _reading(
    named: Iterable[tuple[str, Operation]],
) -> tuple[tuple[tuple[str, str, str], ...], dict[str, str]]:
    """How the answers of operations (each given with the constant its ``Result`` would be) are
    read: the ``Result`` constants to declare, (constant, hint, annotation), for those whose body
    is not a model class; and by operationId, what each body is read as (the class or the
    constant)."""
    results = []
    arguments = {}
    for constant, operation in named:
        body = operation.success.body if operation.success else None
        if body is None:
            continue
        wire = WIRE_RESULTS.get(operation.success.encoding) if operation.success else None
        if wire is not None:
            arguments[operation.operation_id] = wire
            continue
        model = _result_class(body)
        if model is None:
            results.append((constant, body.plain, body.annotation))
        arguments[operation.operation_id] = model or constant
    return tuple(results), arguments


def _operation_types(operation: Operation) -> str:
    """Every type an operation names: its parameters', body's, responses' and headers'."""
    hints = [p.type.annotation for p in operation.parameters]
    if operation.body:
        hints += [operation.body.type.annotation]
        hints += [option.name for option in operation.body.options]
        hints += [operation.body.model.name] if operation.body.model else []
    for response in operation.responses:
        hints += [response.body.annotation] if response.body else []
        hints += [header.type.annotation for header in response.headers]
    if operation.features_list:
        hints.append(operation.features_list.entry_model)
    return " ".join(hints)


def _describe(
    wire_name: str, places: list[str], type_ref: TypeRef, required: bool, description: str
) -> str:
    details = [*places, type_ref.label, *(["required"] if required else [])]
    details += [c.label for c in type_ref.constraints]
    return f"``{wire_name}`` ({', '.join(details)}). {description}".strip()


def _doc(description: str, fallback: str) -> str:
    """A class docstring: the spec's description, or a plain sentence naming the wire name."""
    return description or fallback
