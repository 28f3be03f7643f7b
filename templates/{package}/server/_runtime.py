# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""The server's part that is the same for every API: the checks every request goes through, the
router, and the error answers.

Each tag's module (``server/<tag>.py``) makes an endpoint per operation out of :class:`Guard`'s
checks and lists its routes; ``create_app()`` joins them in :func:`application`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.parser
import email.policy
import inspect
import json
import logging
import types
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import parse_qsl

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError
from starlette.applications import Starlette
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Scope, Send

from .._exceptions import ApiErrorBase

__all__ = [
    "MAX_BODY_BYTES",
    "Endpoint",
    "Guard",
    "NotImplementedOperation",
    "RouteTable",
    "ServerErrors",
    "application",
]

logger = logging.getLogger(__name__.rpartition(".")[0])

MAX_BODY_BYTES = 1_048_576
"""The largest request body ``create_app()`` reads, unless told otherwise."""

Endpoint = Callable[[Request], Awaitable[Response]]

_Ctx = TypeVar("_Ctx")
"""The package's ``RequestContext``."""


class ServerErrors(Protocol):
    """What a server needs of the package's ``errors`` module: the errors it answers with."""

    def error_for_status(self, status: int, /) -> type[ApiErrorBase]: ...

    def error_saying(self, status: int, message: str, /) -> ApiErrorBase: ...


class ErrorId:
    """The ``errorId`` of each error the server itself answers with, in ICWS's style."""

    INVALID_REPRESENTATION = "error.request.invalidRepresentation"
    INVALID_PARAMETER = "error.request.invalidParameter"
    ENTITY_TOO_LARGE = "error.request.entityTooLarge"
    ACCESS_DENIED = "error.request.accessDenied"
    NOT_FOUND = "error.request.notFound"
    METHOD_NOT_ALLOWED = "error.request.methodNotAllowed"
    NOT_IMPLEMENTED = "error.server.notImplemented"
    INTERNAL = "error.server.internal"


_ROUTING_ERROR_IDS = {404: ErrorId.NOT_FOUND, 405: ErrorId.METHOD_NOT_ALLOWED}


class NotImplementedOperation(NotImplementedError):
    """Raised by a handler nobody overrode: the server answers 501."""


class _DuplicateKey(Exception):
    """A JSON object names ``key`` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Guard(Generic[_Ctx]):
    """The checks every request goes through before its handler runs, and the answers."""

    def __init__(
        self,
        errors: ServerErrors,
        authenticate: Callable[[_Ctx], bool | Awaitable[bool]] | None,
        max_body_bytes: int,
        *,
        check_answers: bool = True,
    ) -> None:
        self.errors = errors
        self.check = authenticate
        self.max_body_bytes = max_body_bytes
        self.check_answers = check_answers

    def error(self, status: int, message: str, error_id: str | None = None) -> ApiErrorBase:
        """The error of ``status`` (its own class where the spec documents it) saying
        ``message``, with ``error_id`` where the API's error body has an ``errorId``."""
        error = self.errors.error_saying(status, message)
        if error_id is not None and hasattr(error, "error_id"):
            typing.cast(Any, error).error_id = error_id
        return error

    def require_credentials(self, *checks: tuple[str, bool]) -> None:
        """401 unless every credential is present, naming those absent (``the X header``), each
        in at most 120 characters (a name can hold the path's values)."""
        missing = [
            what if len(what) <= 120 else what[:117] + "..."
            for what, present in checks
            if not present
        ]
        if missing:
            message = f"The request lacks {' and '.join(missing)}."
            raise self.error(401, message, ErrorId.ACCESS_DENIED)

    @staticmethod
    def authorization(header: str | None, scheme: str) -> str:
        """The credentials an ``Authorization`` header of ``scheme`` carries (``Bearer abc``:
        ``abc``; ``Basic`` and base64: ``user:password``), or ``""`` when it carries none of
        that scheme."""
        given, _, credentials = (header or "").strip().partition(" ")
        credentials = credentials.strip()
        if given.lower() != scheme.lower() or not credentials:
            return ""
        if scheme.lower() != "basic":
            return credentials
        try:
            return base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""

    async def authenticate(self, ctx: _Ctx) -> None:
        """The credentials, present, checked for real by ``authenticate`` when there is one."""
        if self.check is None:
            return
        verdict = self.check(ctx)
        if inspect.isawaitable(verdict):
            verdict = await verdict
        if not verdict:
            raise self.error(401, "The session credentials are not valid.", ErrorId.ACCESS_DENIED)

    async def body(
        self,
        request: Request,
        kind: Any,
        media_types: tuple[str, ...],
        *,
        required: bool,
        encoding: Literal["json", "form", "multipart", "text", "binary"] = "json",
    ) -> Any:
        """The request body, read (up to the size limit) and validated as ``kind``: JSON, a
        form or multipart (fields by name, files as bytes), text, or bytes as they came."""
        too_large = f"The request body is larger than {self.max_body_bytes} bytes."
        declared = request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise self.error(400, too_large, ErrorId.ENTITY_TOO_LARGE)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self.error(400, too_large, ErrorId.ENTITY_TOO_LARGE)
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw:
            if required:
                raise self.error(400, "The request body is missing.", _INVALID)
            return None
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in media_types:
            allowed = " or ".join(media_types)
            sent = content_type or "no content type"
            message = f"The request body must be sent as {allowed}, not {sent}."
            raise self.error(400, message, _INVALID)
        if encoding != "json":
            return self._plain_body(raw, request.headers.get("Content-Type", ""), kind, encoding)
        try:
            _refuse_duplicate_keys(raw)
        except _DuplicateKey as duplicate:
            problem = f"the key {duplicate.key!r} appears twice"
            raise self.error(400, f"The request body is not valid: {problem}.", _INVALID) from None
        try:
            return _adapter(_named_option(kind, raw)).validate_json(
                raw, by_alias=True, by_name=False
            )
        except ValidationError as exc:
            raise self.error(400, _describe(exc), _INVALID) from None

    def _plain_body(
        self,
        raw: bytes,
        content_type: str,
        kind: Any,
        encoding: Literal["form", "multipart", "text", "binary"],
    ) -> Any:
        if encoding == "binary":
            return raw
        try:
            if encoding == "text":
                return raw.decode(_charset(content_type))
            if encoding == "form":
                pairs = parse_qsl(raw.decode(_charset(content_type)), keep_blank_values=True)
                fields: list[tuple[str, str | bytes]] = list(pairs)
            else:
                fields = _multipart_fields(raw, content_type)
        except (UnicodeDecodeError, ValueError) as exc:
            message = f"The request body is not valid {encoding}: {exc}."
            raise self.error(400, message, _INVALID) from None
        try:
            return _adapter(kind).validate_python(
                _named_values(kind, fields), strict=False, by_alias=True, by_name=False
            )
        except ValidationError as exc:
            raise self.error(400, _describe(exc), _INVALID) from None

    def parameter(
        self, name: str, raw: str | None, kind: Any, *, required: bool, default: Any = None
    ) -> Any:
        """A path, query or header value, validated as ``kind`` (its type with its rules); an
        absent optional one is its ``default``, read as ``kind``."""
        if raw is None:
            if required:
                message = f"The {name} parameter is missing."
                raise self.error(400, message, ErrorId.INVALID_PARAMETER)
            return None if default is None else _adapter(kind).validate_python(default)
        try:
            return _adapter(kind).validate_strings(raw)
        except ValidationError as exc:
            problem = exc.errors(include_url=False, include_input=False)[0]["msg"]
            message = f"The {name} parameter is not valid: {problem}."
            raise self.error(400, message, ErrorId.INVALID_PARAMETER) from None

    def answer(
        self,
        operation: str,
        result: Any,
        kind: Any,
        status: int,
        media_type: str,
        headers: Mapping[str, str],
        encoding: Literal["json", "text", "binary"] = "json",
    ) -> Response:
        """A successful answer carrying ``result`` as JSON with wire names, text, or bytes;
        checked against ``kind``, the operation's answer type, when answers are checked."""
        safe_headers = self.headers(operation, headers)
        if encoding == "binary":
            return Response(result, status_code=status, headers=safe_headers, media_type=media_type)
        if encoding == "text":
            content = str(result).encode()
        elif self.check_answers:
            content = self._checked_json(operation, result, kind)
        else:
            content = _adapter(type(result)).dump_json(result, by_alias=True, exclude_unset=True)
        return Response(
            content,
            status_code=status,
            headers=safe_headers,
            media_type=f"{media_type}; charset=utf-8",
        )

    def empty(self, operation: str, status: int, headers: Mapping[str, str]) -> Response:
        """A successful answer without a body."""
        return Response(status_code=status, headers=self.headers(operation, headers))

    def headers(self, operation: str, headers: Mapping[str, str]) -> dict[str, str]:
        """The headers a handler set, refused (500) where one could split the answer."""
        for name, value in headers.items():
            if any(character in name + value for character in _BREAKING):
                logger.error("%s set the header %r with a line break or NUL", operation, name)
                raise self._internal_error()
        return dict(headers)

    def _checked_json(self, operation: str, result: Any, kind: Any) -> bytes:
        """``result`` as JSON, once it is shown to be a ``kind`` (a model, not a dict) whose
        values, as sent, are valid; else 500, with the faulty fields logged."""
        if isinstance(kind, type) and not isinstance(result, kind):
            shown = type(result).__name__
            logger.error(
                "%s answered a %s where its schema is a %s", operation, shown, kind.__name__
            )
            raise self._internal_error()
        adapter = _adapter(kind)
        try:
            content = adapter.dump_json(result, by_alias=True, exclude_unset=True, warnings=False)
            adapter.validate_json(content, by_alias=True, by_name=False)
        except ValidationError as exc:
            logger.error("%s answered a body unlike its schema: %s", operation, _fields(exc))
            raise self._internal_error() from None
        except PydanticSerializationError as exc:
            logger.error("%s answered a body unlike its schema: %s", operation, exc)
            raise self._internal_error() from None
        return content

    def _internal_error(self) -> ApiErrorBase:
        message = "An unexpected error occurred while processing the request."
        return self.error(500, message, ErrorId.INTERNAL)

    def error_response(
        self, error: ApiErrorBase, headers: Mapping[str, str] | None = None
    ) -> Response:
        """The answer for ``error``: its status, its body and its status's headers."""
        defaults = self.errors.error_for_status(error.status_code).default_headers
        merged = {**defaults, **(headers or {})}
        if error.challenge is not None:
            merged["WWW-Authenticate"] = str(error.challenge)
        return Response(
            error.content(),
            status_code=error.status_code,
            headers=merged,
            media_type=error.media_type,
        )

    def guarded(self, endpoint: Endpoint, operation: str) -> Endpoint:
        """``endpoint`` with every exception turned into an error answer."""

        async def guarded(request: Request) -> Response:
            try:
                return await endpoint(request)
            except ApiErrorBase as error:
                return self.error_response(error)
            except NotImplementedOperation:
                message = f"{operation} is not implemented by this server."
                return self.error_response(self.error(501, message, ErrorId.NOT_IMPLEMENTED))
            except Exception:
                logger.exception("%s failed", operation)
                return self.error_response(self._internal_error())

        return guarded

    async def http_exception(self, request: Request, exc: Exception) -> Response:
        """Routing failures (no such path, wrong method) answer with the error body too."""
        if not isinstance(exc, HTTPException):
            raise exc
        path = request.url.path if len(request.url.path) <= 200 else request.url.path[:197] + "..."
        message = f"{exc.detail}: {request.method} {path}"
        error = self.error(exc.status_code, message, _ROUTING_ERROR_IDS.get(exc.status_code))
        return self.error_response(error, exc.headers)


def _charset(content_type: str) -> str:
    """The ``charset`` of a ``Content-Type`` header, UTF-8 when it names none."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or "utf-8"
    return "utf-8"


def _multipart_fields(raw: bytes, content_type: str) -> list[tuple[str, str | bytes]]:
    """The parts of a multipart body: a file's as bytes, another's as text."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        raise ValueError("no parts")
    fields: list[tuple[str, str | bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="Content-Disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            raise ValueError("a part without a name")
        is_file = part.get_filename() is not None
        fields.append(
            (name, payload if is_file else payload.decode(part.get_content_charset("utf-8")))
        )
    return fields


def _named_values(kind: Any, fields: list[tuple[str, str | bytes]]) -> dict[str, Any]:
    """Form fields by name: a list where the model's field is one (or the name repeats)."""
    lists = set()
    if isinstance(kind, type) and hasattr(kind, "model_fields"):
        for name, info in kind.model_fields.items():
            annotation = info.annotation
            options = (
                typing.get_args(annotation)
                if isinstance(annotation, types.UnionType)
                else (annotation,)
            )
            if any(typing.get_origin(option) is list for option in options):
                lists.add(info.alias or name)
    values: dict[str, Any] = {}
    for name, value in fields:
        if name in lists or name in values:
            previous = values.get(name, [])
            values[name] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            values[name] = value
    return values


def _refuse_duplicate_keys(raw: bytes) -> None:
    """A JSON object naming a key twice is refused: parsers disagree on which value wins."""
    with contextlib.suppress(ValueError, RecursionError):  # not JSON: the validation says where
        _UNIQUE_KEYS.decode(raw.decode("utf-8"))


def _unique_keys(items: list[tuple[str, Any]]) -> dict[str, Any]:
    if len(items) > 1 and len({key for key, _ in items}) < len(items):
        seen = set()
        for key, _ in items:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return dict(items)


_INVALID = ErrorId.INVALID_REPRESENTATION
_BREAKING = ("\r", "\n", "\0")

_UNIQUE_KEYS = json.JSONDecoder(object_pairs_hook=_unique_keys)

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    """The validator of a type, made once."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def _fields(error: ValidationError) -> str:
    """What is wrong, field by field (the values themselves are left out)."""
    problems = []
    for item in error.errors(include_url=False, include_input=False, include_context=False)[:10]:
        where = ".".join(str(part) for part in item["loc"]) or "body"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def _describe(error: ValidationError) -> str:
    """What is wrong with a body, field by field."""
    return f"The request body is not valid: {_fields(error)}."


def _named_option(kind: Any, raw: bytes) -> Any:
    """The option of a union of models that a JSON body names by one's constant field (its
    ``__type``), so that its errors are about that option alone; else ``kind``."""
    union = isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union
    if not union:
        return kind
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return kind
    if not isinstance(data, dict):
        return kind
    named = [option for option in typing.get_args(kind) if _names_itself(option, data)]
    return named[0] if len(named) == 1 else kind


def _names_itself(option: Any, data: Mapping[str, Any]) -> bool:
    """Whether ``data`` holds the value of one of ``option``'s constant fields (a one-value
    ``Literal`` with that value as default, such as ``__type``)."""
    for info in getattr(option, "model_fields", {}).values():
        values = typing.get_args(info.annotation)
        if typing.get_origin(info.annotation) is not Literal or values != (info.default,):
            continue
        wire = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        if data.get(wire or "") == info.default:
            return True
    return False


def _literalness(route: Route) -> tuple[int, tuple[bool, ...]]:
    """Where a route goes among those a path may match: the fewest templated segments first,
    then the one templated furthest right (as OpenAPI says, ``/things/mine`` wins over
    ``/things/{id}``)."""
    templated = tuple("{" in segment for segment in route.path.split("/"))
    return sum(templated), templated


class RouteTable(BaseRoute):
    """The routes, most literal first (else in the order given), looked up by their path's
    segment count and last segment instead of tried one by one: finding the last of a thousand
    routes costs what finding the first does. Each candidate is still matched by Starlette
    itself, in that order, so the answer (a match, 405 for a known path with another method, or
    404) is the one a plain router of the routes in that order gives, but that a 405's
    ``Allow`` names the methods of every route of the path."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = sorted(routes, key=_literalness)
        by_shape: dict[tuple[int, str | None], list[Route]] = {}
        for route in self.routes:
            segments = route.path.split("/")
            last = segments[-1] if "{" not in segments[-1] else None
            by_shape.setdefault((len(segments), last), []).append(route)
        # A path ending in a literal segment may also match a route whose last segment is a
        # parameter: those join its candidates, in the routes' own order.
        order = {id(route): index for index, route in enumerate(self.routes)}
        self._table = {
            (count, last): sorted(
                found + (by_shape.get((count, None), []) if last is not None else []),
                key=lambda route: order[id(route)],
            )
            for (count, last), found in by_shape.items()
        }

    def _candidates(self, scope: Scope) -> list[Route]:
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root + "/"):  # mounted: the app's own part of the path
            path = path[len(root) :]
        segments = path.split("/")
        count = len(segments)
        return self._table.get((count, segments[-1])) or self._table.get((count, None), [])

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        partial: tuple[Route, Scope] | None = None
        allowed: set[str] = set()
        for route in self._candidates(scope):
            match, child = route.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child, "api_route": route}
            if match is Match.PARTIAL:
                partial = partial or (route, child)
                allowed |= route.methods or set()
        if partial is not None:
            return Match.PARTIAL, {**partial[1], "api_route": None, "api_allowed": allowed}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The matched route's answer; for a path served with other methods only, 405 with
        every one of them in ``Allow`` (the operations of one path are routes of their own)."""
        route = scope["api_route"]
        if route is None:
            raise HTTPException(405, headers={"Allow": ", ".join(sorted(scope["api_allowed"]))})
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)


def application(routes: Sequence[Route], guard: Guard[Any]) -> Starlette:
    """A Starlette app serving ``routes``, whose routing failures answer with error bodies."""
    return Starlette(
        routes=[RouteTable(routes)],
        exception_handlers={HTTPException: guard.http_exception},
    )
