# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""The client's part that is the same for every API: sending a request, reading the answer,
and the clients' life cycle.

``client.py`` builds ``Client`` and ``AsyncClient`` on :class:`SyncClientBase` and
:class:`AsyncClientBase`, with one ``cached_property`` per tag: the tag's module (in
``resources/``) is imported when the attribute is first used, so a program pays only for the
tags it calls. Each tag's client class derives from :class:`SyncResource` or
:class:`AsyncResource`, whose ``_call`` every operation method ends in. An answer's body is read
as the operation's model class, or, for any other type (an enumeration, a list, a number...), as
a :class:`Result` the tag's module declares; a body that is not JSON as text (:data:`TEXT`) or
bytes (:data:`BINARY`). A request body goes as a :class:`Body`: JSON, a form, multipart, text or
bytes.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Literal,
    NamedTuple,
    ParamSpec,
    Protocol,
    Self,
    TypedDict,
    TypeVar,
    overload,
)
from urllib.parse import quote, urlencode

import httpx
from httpx._client import UseClientDefault  # the type of httpx.USE_CLIENT_DEFAULT
from pydantic import ConfigDict, TypeAdapter, ValidationError

from ._exceptions import (
    ApiErrorBase,
    ClientError,
    FeatureNotSupportedError,
    InvalidArgumentError,
    RequestTimeoutError,
    TransportError,
)
from ._logging import Secrets, log_answer, log_request, log_retry, logger, redacted_body
from ._models._base import ApiModel
from ._retries import DEFAULT_MAX_RETRIES, IDEMPOTENT_METHODS, RetryPolicy, never_sent

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "BINARY",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "TEXT",
    "AsyncClientBase",
    "AsyncContext",
    "AsyncRawResource",
    "AsyncResource",
    "Body",
    "RawResponse",
    "RequestOptions",
    "ResponseErrors",
    "Result",
    "Secrets",
    "SyncClientBase",
    "SyncContext",
    "SyncRawResource",
    "SyncResource",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds a call may take, when the client makes its own HTTP client."""

_JSON_MEDIA_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)
_ANY: TypeAdapter[Any] = TypeAdapter(Any)

_S = TypeVar("_S")
"""The package's ``Session``."""
_M = TypeVar("_M", bound=ApiModel)
_T = TypeVar("_T")
_B = TypeVar("_B", bound="BaseModel")
_R = TypeVar("_R")
"""A tag's client."""
_P = ParamSpec("_P")


_RESULT_CONFIG = ConfigDict(strict=True, allow_inf_nan=False, defer_build=True)
"""As the models' own: JSON types strict, no NaN; the validator built when first used."""


class Result(Generic[_T]):
    """A type an answer's body is read as that is not a model class: an enumeration, a list, a
    dictionary, a number, a union... ``annotation`` is the type with its validation rules,
    ``_T`` the type a caller gets, and ``name`` how messages name it. Its pydantic
    ``TypeAdapter`` is made when first used, so that declaring one costs an import nothing."""

    __slots__ = ("_adapter", "annotation", "name", "wire")

    def __init__(
        self, annotation: Any, name: str, wire: Literal["json", "text", "binary"] = "json"
    ) -> None:
        self.annotation: Any = annotation
        self.name: str = name
        self.wire: Literal["json", "text", "binary"] = wire
        """How the body travels: JSON, or text or bytes taken as they come."""
        self._adapter: TypeAdapter[_T] | None = None

    @property
    def adapter(self) -> TypeAdapter[_T]:
        """The type's pydantic ``TypeAdapter``, made on first use."""
        if self._adapter is None:
            self._adapter = TypeAdapter(self.annotation, config=_RESULT_CONFIG)
        return self._adapter

    def validate_json(self, content: bytes) -> _T:
        """``content`` read as the type, with wire names; invalid content raises
        ``ValidationError``."""
        return self.adapter.validate_json(content, by_alias=True, by_name=False)

    def validate_python(self, value: object) -> _T:
        """``value`` checked as the type, strictly about JSON types (an enumeration's member or
        its value); a value of another type raises ``ValidationError``."""
        return self.adapter.validate_python(value)

    def __repr__(self) -> str:
        return f"Result[{self.name}]"


TEXT: Result[str] = Result(str, "str", "text")
"""An answer read as text, whatever its media type."""
BINARY: Result[bytes] = Result(bytes, "bytes", "binary")
"""An answer read as bytes, whatever its media type."""


class Body(NamedTuple):
    """A request body as it is sent."""

    content: bytes
    media_type: str
    """The ``Content-Type`` header (a multipart body's boundary included)."""


class RequestOptions(TypedDict, total=False):
    """Options of one call (its ``request_options``), each taking the place of the client's."""

    timeout: float | httpx.Timeout | None
    """Seconds the call may take, per attempt (None: no limit)."""
    max_retries: int
    """Times the call may be sent again after a failure that allows it (0: never)."""
    extra_headers: Mapping[str, str]
    """Headers sent besides (or instead of) the operation's own."""
    extra_query: Mapping[str, str]
    """Query parameters sent besides (or instead of) the operation's own."""


class _Defaults(NamedTuple):
    """A client's options for every call: :class:`RequestOptions` before the call's own."""

    timeout: float | httpx.Timeout | UseClientDefault | None = httpx.USE_CLIENT_DEFAULT
    max_retries: int = DEFAULT_MAX_RETRIES
    extra_headers: Mapping[str, str] = {}
    extra_query: Mapping[str, str] = {}


class RawResponse(Generic[_T]):
    """An answer as it came (``client.with_raw_response``): its status and headers, the result
    read from it, and the attempts the call took."""

    __slots__ = ("attempts", "http_response", "parsed")

    def __init__(self, parsed: _T, http_response: httpx.Response, attempts: int) -> None:
        self.parsed: _T = parsed
        """The result, as the operation's method returns it."""
        self.http_response: httpx.Response = http_response
        """The ``httpx.Response`` (its body already read)."""
        self.attempts: int = attempts
        """The requests sent for the call: 1, plus the retries."""

    @property
    def status_code(self) -> int:
        """The answer's status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The answer's headers."""
        return self.http_response.headers

    def __repr__(self) -> str:
        return f"<RawResponse {self.status_code} after {self.attempts} attempt(s): {self.parsed!r}>"


class _Capture:
    """Where ``_call`` leaves the answer of a call made for a :class:`RawResponse`."""

    __slots__ = ("attempts", "response")

    def __init__(self) -> None:
        self.response: httpx.Response | None = None
        self.attempts: int = 0

    def raw(self, parsed: _T) -> RawResponse[_T]:
        if self.response is None:  # pragma: no cover - every call that returns ends in _call
            raise RuntimeError("the call made no request")
        return RawResponse(parsed, self.response, self.attempts)


_CAPTURE: ContextVar[_Capture | None] = ContextVar("_CAPTURE", default=None)
"""Set while a call is made for a :class:`RawResponse`."""


class ResponseErrors(Protocol):
    """What a client needs of the package's ``errors`` module: the exception an answer is."""

    def error_from_response(self, response: httpx.Response, /) -> ApiErrorBase: ...

    def invalid_response(self, response: httpx.Response, problem: str, /) -> ApiErrorBase: ...


class _Context(Generic[_S]):
    """What every operation of one client shares: the session, the server's feature versions
    (when known), the package's errors, what its logs keep secret, the client's options for
    every call, and the HTTP client."""

    http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        session: _S | None,
        features: Mapping[str, int] | None,
        errors: ResponseErrors,
        secrets: Secrets,
        defaults: _Defaults,
    ) -> None:
        self.session: _S | None = session
        self.features: Mapping[str, int] | None = features
        self.errors: ResponseErrors = errors
        self.secrets: Secrets = secrets
        self.defaults: _Defaults = defaults

    def with_defaults(self, defaults: _Defaults) -> Self:
        """A copy of this context (the same HTTP client, session and features) with other
        options for every call."""
        derived = copy.copy(self)
        derived.defaults = defaults
        return derived

    def require_session(self) -> _S:
        if self.session is None:
            error = ClientError("this call needs a session: give the client one, or connect")
            error.attempts = 0
            raise error
        return self.session

    def request(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, Any],
        body: Body | None,
        options: RequestOptions | None,
    ) -> httpx.Request:
        """The request of ``operation``, unless the server is known to be too old for it.
        Parameters and headers left out (None) are not sent; the extra ones of the client and
        of the call are added, in that order."""
        if self.features is not None and feature is not None:
            name, version = feature
            available = self.features.get(name)
            if available is not None and available < version:  # an unlisted one is unknown
                raise FeatureNotSupportedError(operation, name, version, available)
        sent = {name: _wire_text(value) for name, value in _present(headers).items()}
        if body is not None:
            sent["Content-Type"] = body.media_type
        query = {name: _query_value(v) for name, v in _present(params).items()} if params else {}
        defaults = self.defaults
        timeout = defaults.timeout
        if defaults.extra_headers:
            _override(sent, defaults.extra_headers)
        if defaults.extra_query:
            query.update(defaults.extra_query)
        if options:
            _override(sent, options.get("extra_headers") or {})
            query.update(options.get("extra_query") or {})
            timeout = options.get("timeout", timeout)
        return self.http.build_request(
            method,
            path,
            params=query or None,
            headers=sent,
            content=body.content if body is not None else None,
            timeout=timeout,
        )

    def retry_policy(
        self, method: str, idempotent: bool | None, options: RequestOptions | None
    ) -> RetryPolicy:
        """What the call may retry: as many times as the call or the client says; idempotent as
        its method, unless the spec says otherwise."""
        retries = options.get("max_retries") if options else None
        return RetryPolicy(
            self.defaults.max_retries if retries is None else retries,
            method in IDEMPOTENT_METHODS if idempotent is None else idempotent,
        )

    def log_request(self, request: httpx.Request, attempts: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            log_request(request, attempts, self.secrets)

    def failed(
        self,
        operation: str,
        request: httpx.Request,
        error: httpx.RequestError,
        policy: RetryPolicy,
        attempts: int,
    ) -> float:
        """The wait before sending ``request`` again after ``error``; raises when the call must
        fail."""
        delay = policy.after_failure(error, attempts)
        if delay is None:
            raise _no_answer(operation, error, attempts) from error
        log_retry(request, attempts, delay, f"{type(error).__name__}: {error}", self.secrets)
        return delay

    def answered(
        self,
        request: httpx.Request,
        response: httpx.Response,
        policy: RetryPolicy,
        attempts: int,
    ) -> float | None:
        """The wait before sending ``request`` again after ``response``; None when the answer
        stands."""
        capture = _CAPTURE.get()
        if capture is not None:
            capture.response, capture.attempts = response, attempts
        if logger.isEnabledFor(logging.DEBUG):
            log_answer(request, response, self.secrets)
        if response.is_success:
            return None
        delay = policy.after_answer(response, attempts)
        if delay is not None:
            log_retry(request, attempts, delay, f"{response.status_code}", self.secrets)
        return delay

    def outcome(
        self, response: httpx.Response, result: type[_M] | Result[_T] | None, attempts: int
    ) -> _M | _T | None:
        """The answer's body as ``result`` (None when there is nothing to return); an error
        status, or a body that is not a ``result``, raises."""
        if not response.is_success:
            error = self.errors.error_from_response(response)
            error.attempts = attempts
            raise error
        if result is None:
            return None
        if isinstance(result, Result) and result.wire == "text":
            return result.validate_python(response.text)
        if isinstance(result, Result) and result.wire == "binary":
            return result.validate_python(response.content)
        if not _JSON_MEDIA_TYPE.match(response.headers.get("Content-Type", "")):
            raise self._invalid(response, "the body is not JSON", attempts)
        try:
            if isinstance(result, Result):
                return result.validate_json(response.content)
            return result.model_validate_json(response.content, by_alias=True, by_name=False)
        except ValidationError as exc:
            name = result.name if isinstance(result, Result) else result.__name__
            problem = f"the body is not a valid {name} ({_problems(exc)})"
            # Not chained: pydantic's message quotes the values, which may be secrets.
            raise self._invalid(response, problem, attempts) from None

    def _invalid(self, response: httpx.Response, problem: str, attempts: int) -> ApiErrorBase:
        """An answer whose body is not what the API documents; the message shows the body,
        its secrets redacted."""
        media_type = response.headers.get("Content-Type", "")
        body = redacted_body(media_type, response.content, self.secrets, limit=200)
        error = self.errors.invalid_response(response, f"{problem}: {body}")
        error.attempts = attempts
        return error


class SyncContext(_Context[_S]):
    """The context of a blocking client."""

    http: httpx.Client

    def __init__(
        self,
        http: httpx.Client,
        session: _S | None,
        features: Mapping[str, int] | None,
        errors: ResponseErrors,
        secrets: Secrets,
        defaults: _Defaults,
    ) -> None:
        super().__init__(session, features, errors, secrets, defaults)
        self.http = http


class AsyncContext(_Context[_S]):
    """The context of an asyncio client."""

    http: httpx.AsyncClient

    def __init__(
        self,
        http: httpx.AsyncClient,
        session: _S | None,
        features: Mapping[str, int] | None,
        errors: ResponseErrors,
        secrets: Secrets,
        defaults: _Defaults,
    ) -> None:
        super().__init__(session, features, errors, secrets, defaults)
        self.http = http


def _own_timeout(
    timeout: float | httpx.Timeout | UseClientDefault | None,
) -> float | httpx.Timeout | None:
    """The timeout of an HTTP client a client makes: the one given, else
    :data:`DEFAULT_TIMEOUT`."""
    return DEFAULT_TIMEOUT if isinstance(timeout, UseClientDefault) else timeout


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` without the ones left out (None)."""
    return {name: value for name, value in values.items() if value is not None}


def _override(headers: dict[str, str], extra: Mapping[str, str]) -> None:
    """``headers`` with ``extra`` in place of any header of the same name, whatever its case."""
    names = {name.lower() for name in extra}
    for name in [name for name in headers if name.lower() in names]:
        del headers[name]
    headers.update(extra)


def _merged(headers: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with ``extra`` in place of any header of the same name, whatever its case."""
    merged = dict(headers)
    _override(merged, extra)
    return merged


def _wire_text(value: object) -> str:
    """A value as a header, cookie or form field carries it: a string as it is, a member of an
    enumeration as its value, a list comma-separated, anything else as JSON (``true``, ``3``)."""
    if type(value) is str:  # most values, at once
        return value
    if isinstance(value, list):
        return ",".join(_wire_text(item) for item in value)
    plain = _ANY.dump_python(value, mode="json")
    return plain if isinstance(plain, str) else json.dumps(plain)


def _query_value(value: object) -> str | list[str]:
    """A query parameter's value as it is sent: text, a list as the parameter repeated."""
    return [_wire_text(item) for item in value] if isinstance(value, list) else _wire_text(value)


def _form_fields(values: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """Model values as form fields: a list as repeated fields."""
    return {
        name: [_wire_text(item) for item in value] if isinstance(value, list) else _wire_text(value)
        for name, value in values.items()
    }


def _fields_body(
    values: Mapping[str, Any], encoding: Literal["form", "multipart"], media_type: str
) -> Body:
    """Named values as a form, or as multipart with bytes as files (a list as one part each)."""
    if encoding == "form":
        return Body(urlencode(_form_fields(values), doseq=True).encode(), media_type)
    parts: list[tuple[str, tuple[str | None, bytes | str]]] = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                (name, (name, item) if isinstance(item, bytes) else (None, _wire_text(item)))
            )
    request = httpx.Request("POST", "/", files=parts)
    return Body(request.read(), request.headers["Content-Type"])


def _problems(error: ValidationError) -> str:
    """What pydantic found, without the values it found it in."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'the body'}: {problem['msg']}"
        for problem in error.errors(include_url=False, include_input=False)
    )


def _validated(operation: str, model: type[_B], values: Mapping[str, Any]) -> _B:
    """``values`` as a ``model``; values it does not take raise ``InvalidArgumentError`` (its
    errors without the values given, which may be secret)."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        # Not chained: pydantic's message quotes the values, which may be secrets.
        raise InvalidArgumentError(operation, errors) from None


def _no_answer(operation: str, exc: httpx.RequestError, attempts: int) -> TransportError:
    tried = f" (after {attempts} attempts)" if attempts > 1 else ""
    error = (
        RequestTimeoutError(f"{operation}: no answer in time{tried} ({exc})")
        if isinstance(exc, httpx.TimeoutException)
        else TransportError(f"{operation}: {type(exc).__name__}{tried}: {exc}")
    )
    error.attempts = attempts
    error.sent = not never_sent(exc)
    return error


def _closed(operation: str) -> TransportError:
    """The error of a call made through an HTTP client already closed: nothing was sent."""
    error = TransportError(f"{operation}: the HTTP client is closed")
    error.attempts, error.sent = 0, False
    return error


class _Resource(Generic[_S]):
    """What the operation methods of a tag's client use besides ``_call``."""

    @staticmethod
    def _segment(value: object) -> str:
        """A path parameter's value, percent-encoded so that it stays one path segment."""
        return quote(_wire_text(value), safe="")

    @staticmethod
    def _authorization(scheme: str, credentials: str | None) -> str | None:
        """An ``Authorization`` header of ``scheme`` (None without credentials); ``Basic``
        credentials are given as ``user:password``."""
        if credentials is None:
            return None
        if scheme == "Basic":
            credentials = base64.b64encode(credentials.encode()).decode("ascii")
        return f"{scheme} {credentials}"

    @staticmethod
    def _cookies(cookies: Mapping[str, object]) -> str | None:
        """A ``Cookie`` header carrying ``cookies``, those left out (None) aside; None when none
        is left."""
        present = _present(cookies)
        return "; ".join(f"{name}={_wire_text(value)}" for name, value in present.items()) or None

    @staticmethod
    def _model_body(
        operation: str,
        model: type[BaseModel],
        body: BaseModel | None,
        fields: dict[str, Any],
        encoding: Literal["json", "form", "multipart"],
        media_type: str,
    ) -> Body:
        """A body of one model: the model given, or one built from keyword arguments (None
        ones left out), sent as JSON, a form or multipart."""
        given = _present(fields)
        if body is not None and given:
            raise TypeError("give the body as a model or as keyword arguments, not both")
        if body is None:
            body = _validated(operation, model, given)
        elif not isinstance(body, model):
            raise TypeError(f"the body must be a {model.__name__}, not {type(body).__name__}")
        if encoding == "json":
            return Body(body.model_dump_json(exclude_unset=True).encode(), media_type)
        values = body.model_dump(mode="python", by_alias=True, exclude_unset=True)
        return _fields_body(values, encoding, media_type)

    @staticmethod
    def _plain_body(
        body: object,
        encoding: Literal["json", "form", "multipart", "text", "binary"],
        media_type: str,
    ) -> Body:
        """A body that is not one model: JSON with wire names (a union of models, a list...),
        a form or multipart of a dictionary, text, or bytes."""
        if isinstance(body, Mapping) and encoding in ("form", "multipart"):
            return _fields_body(body, encoding, media_type)
        if isinstance(body, str) and encoding == "text":
            return Body(body.encode(), f"{media_type}; charset=utf-8")
        if isinstance(body, bytes) and encoding == "binary":
            return Body(body, media_type)
        return Body(_ANY.dump_json(body, by_alias=True, exclude_unset=True), media_type)


class SyncResource(_Resource[_S]):
    """Base of a tag's blocking client."""

    def __init__(self, context: SyncContext[_S]) -> None:
        self._context = context

    def _session(self) -> _S:
        return self._context.require_session()

    @overload
    def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: type[_M],
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> _M: ...

    @overload
    def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: Result[_T],
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> _T: ...

    @overload
    def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: None = None,
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> None: ...

    def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: type[_M] | Result[_T] | None = None,
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> _M | _T | None:
        """Send ``operation`` (unless the server's features are too old for it), again after a
        failure that allows it, and read the answer as ``result``. Parameters and headers left
        out (None) are not sent; ``idempotent`` says whether sending it twice does what sending
        it once does (its method says, unless the spec does)."""
        context = self._context
        if context.http.is_closed:
            raise _closed(operation)
        request = context.request(
            operation, feature, method, path, params, headers, body, request_options
        )
        policy = context.retry_policy(method, idempotent, request_options)
        attempts = 0
        while True:
            attempts += 1
            context.log_request(request, attempts)
            try:
                response = context.http.send(request)
            except httpx.RequestError as exc:
                delay = context.failed(operation, request, exc, policy, attempts)
            else:
                answered = context.answered(request, response, policy, attempts)
                if answered is None:
                    return context.outcome(response, result, attempts)
                delay = answered
                response.close()
            time.sleep(delay)


class AsyncResource(_Resource[_S]):
    """Base of a tag's asyncio client."""

    def __init__(self, context: AsyncContext[_S]) -> None:
        self._context = context

    def _session(self) -> _S:
        return self._context.require_session()

    @overload
    async def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: type[_M],
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> _M: ...

    @overload
    async def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: Result[_T],
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> _T: ...

    @overload
    async def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: None = None,
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> None: ...

    async def _call(
        self,
        operation: str,
        feature: tuple[str, int] | None,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any],
        body: Body | None = None,
        result: type[_M] | Result[_T] | None = None,
        idempotent: bool | None = None,
        request_options: RequestOptions | None = None,
    ) -> _M | _T | None:
        """Send ``operation`` (unless the server's features are too old for it), again after a
        failure that allows it, and read the answer as ``result``. Parameters and headers left
        out (None) are not sent; ``idempotent`` says whether sending it twice does what sending
        it once does (its method says, unless the spec does)."""
        context = self._context
        if context.http.is_closed:
            raise _closed(operation)
        request = context.request(
            operation, feature, method, path, params, headers, body, request_options
        )
        policy = context.retry_policy(method, idempotent, request_options)
        attempts = 0
        while True:
            attempts += 1
            context.log_request(request, attempts)
            try:
                response = await context.http.send(request)
            except httpx.RequestError as exc:
                delay = context.failed(operation, request, exc, policy, attempts)
            else:
                answered = context.answered(request, response, policy, attempts)
                if answered is None:
                    return context.outcome(response, result, attempts)
                delay = answered
                await response.aclose()
            await asyncio.sleep(delay)


class SyncRawResource(Generic[_R]):
    """Base of a tag's blocking client whose operations answer with a :class:`RawResponse`."""

    def __init__(self, resource: _R) -> None:
        self._resource = resource

    @staticmethod
    def _raw(method: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        """``method`` called, and its answer with its result."""
        capture = _Capture()
        token = _CAPTURE.set(capture)
        try:
            parsed = method(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)
        return capture.raw(parsed)


class AsyncRawResource(Generic[_R]):
    """Base of a tag's asyncio client whose operations answer with a :class:`RawResponse`."""

    def __init__(self, resource: _R) -> None:
        self._resource = resource

    @staticmethod
    async def _raw(
        method: Callable[_P, Awaitable[_T]], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> RawResponse[_T]:
        """``method`` awaited, and its answer with its result."""
        capture = _Capture()
        token = _CAPTURE.set(capture)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)
        return capture.raw(parsed)


class _ClientBase(Generic[_S]):
    """What both clients share: the session, the features, and the tags not used yet."""

    _errors: ClassVar[ResponseErrors]
    """The package's ``errors`` module."""
    _secrets: ClassVar[Secrets] = Secrets()
    """What the logs never show: the spec's credentials and secret properties."""

    _context: SyncContext[_S] | AsyncContext[_S]
    _http: httpx.Client | httpx.AsyncClient
    _owns_http: bool

    def __init__(self) -> None:
        self._owns_session = False

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | UseClientDefault | None = httpx.USE_CLIENT_DEFAULT,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> Self:
        """A client sharing this one's HTTP client (its connection pool), session and features,
        with other options for every call: a ``timeout``, ``max_retries``, and headers and query
        parameters added to this client's. Closing it closes nothing."""
        defaults = self._context.defaults
        clone = object.__new__(type(self))
        clone._owns_http = False
        clone._owns_session = False
        clone._context = self._context.with_defaults(
            _Defaults(
                defaults.timeout if timeout is httpx.USE_CLIENT_DEFAULT else timeout,
                defaults.max_retries if max_retries is None else max_retries,
                _merged(defaults.extra_headers, extra_headers or {}),
                {**defaults.extra_query, **(extra_query or {})},
            )
        )
        clone._http = self._http
        return clone

    @property
    def session(self) -> _S | None:
        """The session every call is made in."""
        return self._context.session

    @property
    def features(self) -> Mapping[str, int] | None:
        """The server's feature versions, when known."""
        return self._context.features

    @staticmethod
    def _validated(operation: str, model: type[_B], values: Mapping[str, Any]) -> _B:
        """``values`` but those left out (None) as a ``model``; values it does not take raise
        ``InvalidArgumentError``."""
        return _validated(operation, model, _present(values))

    @staticmethod
    def _with_host(url: str, host: str) -> str:
        """``url`` with its host replaced (and its port too, when ``host`` names one)."""
        parsed = httpx.URL(url)
        name, _, port = host.partition(":")
        return str(parsed.copy_with(host=name, port=int(port) if port.isdigit() else parsed.port))


class SyncClientBase(_ClientBase[_S]):
    """Base of the blocking ``Client``: it owns the HTTP client it made, not one it was given."""

    _context: SyncContext[_S]
    _http: httpx.Client

    def __init__(
        self,
        base_url: str | None = None,
        *,
        session: _S | None = None,
        http: httpx.Client | None = None,
        timeout: float | httpx.Timeout | UseClientDefault | None = httpx.USE_CLIENT_DEFAULT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        features: Mapping[str, int] | None = None,
    ) -> None:
        if (base_url is None) == (http is None):
            raise TypeError("give either base_url or a ready http client")
        self._owns_http = http is None
        self._http = (
            http
            if http is not None
            else httpx.Client(base_url=base_url or "", timeout=_own_timeout(timeout))
        )
        defaults = _Defaults(timeout, max_retries)
        self._context = SyncContext(
            self._http, session, features, self._errors, self._secrets, defaults
        )
        super().__init__()

    def close(self) -> None:
        """Close the HTTP client, if this client made it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClientBase(_ClientBase[_S]):
    """Base of the asyncio ``AsyncClient``: it owns the HTTP client it made, not one it was
    given."""

    _context: AsyncContext[_S]
    _http: httpx.AsyncClient

    def __init__(
        self,
        base_url: str | None = None,
        *,
        session: _S | None = None,
        http: httpx.AsyncClient | None = None,
        timeout: float | httpx.Timeout | UseClientDefault | None = httpx.USE_CLIENT_DEFAULT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        features: Mapping[str, int] | None = None,
    ) -> None:
        if (base_url is None) == (http is None):
            raise TypeError("give either base_url or a ready http client")
        self._owns_http = http is None
        self._http = (
            http
            if http is not None
            else httpx.AsyncClient(base_url=base_url or "", timeout=_own_timeout(timeout))
        )
        defaults = _Defaults(timeout, max_retries)
        self._context = AsyncContext(
            self._http, session, features, self._errors, self._secrets, defaults
        )
        super().__init__()

    async def close(self) -> None:
        """Close the HTTP client, if this client made it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
