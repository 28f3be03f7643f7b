# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""The exceptions' part that is the same for every API: the client's own failures, the base of
error answers, and the ``WWW-Authenticate`` challenge, all under the package's root (``Root``,
which ``_root`` names after the package).

The package's ``errors`` module builds on these: its ``ApiError`` and a class per error status
(subclasses of :class:`ApiErrorBase`) hold the fields of the API's error representation.

Every exception pickles and copies whole (its message, ``attempts`` and every attribute, the
response included) without calling its ``__init__`` again: see :func:`_made_without_init`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Self

from ._root import Root

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel

__all__ = [
    "ApiErrorBase",
    "Challenge",
    "ClientError",
    "FeatureNotSupportedError",
    "InvalidArgumentError",
    "RequestTimeoutError",
    "TransportError",
    "describe_unexpected_body",
]


def _made_without_init(cls: type[BaseException], args: tuple[Any, ...]) -> BaseException:
    """An exception of ``cls`` holding ``args``, made without its ``__init__`` (whose parameters
    are not its ``args``); unpickling then restores its attributes."""
    return cls.__new__(cls, *args)


class _Picklable(Root):
    """Pickled and copied as its class, its ``args`` and its attributes."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _made_without_init, (type(self), self.args), self.__dict__


class ClientError(_Picklable):
    """A failure on the client's side: the call was not sent, or got no answer."""


class InvalidArgumentError(ClientError, ValueError):
    """An argument is not what the operation takes; nothing was sent.

    ``errors`` holds pydantic's errors (``loc``, ``msg``, ``type``...) without their URLs; the
    message names each bad argument by its location, but not the value given.
    """

    attempts = 0

    def __init__(self, operation: str, errors: Sequence[Mapping[str, Any]]) -> None:
        self.operation: str = operation
        self.errors: list[dict[str, Any]] = [
            {key: value for key, value in e.items() if key != "url"} for e in errors
        ]
        problems = "; ".join(f"{_location(error['loc'])}: {error['msg']}" for error in errors)
        noun = "argument" if len(errors) == 1 else "arguments"
        super().__init__(f"{operation}: invalid {noun}: {problems}")


def _location(loc: Sequence[str | int]) -> str:
    """A pydantic error's location as Python spells it: ``body.items[0].name``."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return path.removeprefix(".") or "(the arguments)"


class FeatureNotSupportedError(ClientError):
    """The server's feature version is too old for an operation; nothing was sent."""

    attempts = 0

    def __init__(self, operation: str, feature: str, required: int, available: int) -> None:
        self.operation: str = operation
        self.feature: str = feature
        self.required: int = required
        self.available: int = available
        super().__init__(
            f"{operation} needs feature {feature!r} version {required}; the server has version"
            f" {available}"
        )


class TransportError(ClientError):
    """The request got no answer: the connection failed or broke."""

    sent: bool = True
    """Whether the request may have reached the server; False when the connection failed
    before it was sent (nothing was done)."""


class RequestTimeoutError(TransportError, TimeoutError):
    """The request got no answer in time."""


_AUTH_PARAM = re.compile(
    r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)\s*,?'
)


@dataclass(frozen=True)
class Challenge:
    """A ``WWW-Authenticate`` challenge: the scheme and its auth-params (names in lower case).

    The ``errors`` module's ``AuthChallenge`` adds an accessor for each parameter the API names.
    """

    scheme: str
    params: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, header: str) -> Self | None:
        """The first challenge of a ``WWW-Authenticate`` value; None when the value is empty."""
        scheme, _, rest = header.strip().partition(" ")
        if not scheme:
            return None
        params: dict[str, str] = {}
        for match in _AUTH_PARAM.finditer(rest):
            name, value = match.group(1), match.group(2)
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            params.setdefault(name.lower(), value)
        return cls(scheme, params)

    def __str__(self) -> str:
        params = ", ".join(f"{name}={_quoted(value)}" for name, value in self.params.items())
        return f"{self.scheme} {params}".strip()


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


class ApiErrorBase(_Picklable):
    """What every error answer has, whatever the API: its status, the challenge and the response.

    A server handler raises a subclass to answer with its status; the client raises the subclass
    of the status it received, with the response attached.
    """

    status: ClassVar[int] = 500
    """The status a server answers with when a handler raises this class."""

    default_headers: ClassVar[Mapping[str, str]] = {}
    """Headers an answer of this status carries unless told otherwise (the spec's examples)."""

    media_type: ClassVar[str] = "application/json; charset=utf-8"
    """The media type of the error bodies a server sends."""

    detail: BaseModel | None = None
    """The answer's body where its status has a body of its own instead of the error
    representation."""

    def __init__(
        self,
        *,
        status_code: int | None = None,
        challenge: Challenge | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.status_code: int = status_code if status_code is not None else self.status
        self.challenge = challenge
        self.response = response
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.status_code)

    def to_body(self) -> BaseModel | None:
        """The error representation holding this error's fields; None where the API has none."""
        return None

    def content(self) -> bytes:
        """The body of the answer a server sends for this error: its own body (``detail``), its
        blanks filled from the error's fields, where its status has one; else the error
        representation."""
        body = self.to_body()
        own = self.detail
        if own is None:
            return b"" if body is None else body.model_dump_json(exclude_unset=True).encode()
        if body is not None:
            own_fields = type(own).model_fields
            blanks = {
                name: getattr(body, name)
                for name in body.model_fields_set
                if name in own_fields and name not in own.model_fields_set
            }
            own = own.model_copy(update=blanks)
        return own.model_dump_json(exclude_unset=True).encode()


def describe_unexpected_body(response: httpx.Response) -> str:
    """A message for a body that is not the error representation: what came instead."""
    reason = f"{response.status_code} {response.reason_phrase}".strip()
    content_type = response.headers.get("Content-Type", "no content type")
    if not response.content:
        return f"{reason}, with an empty body"
    snippet = response.content[:200].decode("utf-8", "replace")
    return (
        f"{reason}, with a body that is not the error representation ({content_type}): {snippet!r}"
    )
