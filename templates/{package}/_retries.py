# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""When a failed call is sent again, and after how long.

A call is retried only when sending it again cannot repeat something the server did:

- a request that never left (the connection or the pool failed first), whatever its method;
- an answer 429 (too many requests) or 503 (unavailable), whatever its method: the server did
  nothing, and says so;
- for idempotent operations only (GET, HEAD, PUT, DELETE, OPTIONS, and any operation the spec
  marks ``x-idempotent``): a timeout or a connection lost after sending, and 502 or 504.

A POST answered 500, or cut off after it was sent, is never sent again. The wait before each retry
grows exponentially with jitter, from :data:`INITIAL_RETRY_DELAY` up to :data:`MAX_RETRY_DELAY`;
a ``Retry-After`` the server sends is honoured up to :data:`MAX_RETRY_AFTER` (beyond that the
call fails at once rather than wait so long).
"""

from __future__ import annotations

import math
import random
import time
from email.utils import parsedate_to_datetime

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "IDEMPOTENT_METHODS",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RetryPolicy",
    "never_sent",
]

DEFAULT_MAX_RETRIES = 2
"""Times a call is sent again, unless the client or the call says otherwise."""

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry (before jitter); each further retry waits twice as long."""

MAX_RETRY_DELAY = 8.0
"""The longest wait between two attempts that the client chooses itself."""

MAX_RETRY_AFTER = 60.0
"""The longest ``Retry-After`` honoured; a server asking for more fails the call at once."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
"""Methods whose repetition has the effect of one call (RFC 9110, 9.2.2)."""

_ALWAYS_RETRIED = frozenset({429, 503})
_RETRIED_IF_IDEMPOTENT = frozenset({502, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures that happen before any byte of the request reaches the server."""
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
"""Failures that may pass: a timeout, a connection lost or cut short."""


def never_sent(error: httpx.RequestError) -> bool:
    """Whether ``error`` happened before any byte of the request reached the server."""
    return isinstance(error, _NOT_SENT)


class RetryPolicy:
    """The retry decisions of one call: ``max_retries`` retries at most, of an operation that is
    or is not idempotent."""

    __slots__ = ("idempotent", "max_retries")

    def __init__(self, max_retries: int, idempotent: bool) -> None:
        self.max_retries: int = max_retries
        self.idempotent: bool = idempotent

    def after_failure(self, error: httpx.RequestError, attempts: int) -> float | None:
        """Seconds to wait before sending again after ``error`` ended attempt ``attempts``; None
        when the call must fail."""
        if attempts > self.max_retries:
            return None
        if never_sent(error) or (self.idempotent and isinstance(error, _TRANSIENT)):
            return _backoff(attempts)
        return None

    def after_answer(self, response: httpx.Response, attempts: int) -> float | None:
        """Seconds to wait before sending again after ``response`` answered attempt ``attempts``;
        None when the answer stands."""
        status = response.status_code
        if attempts > self.max_retries or not (
            status in _ALWAYS_RETRIED or (self.idempotent and status in _RETRIED_IF_IDEMPOTENT)
        ):
            return None
        asked = _retry_after(response.headers.get("Retry-After"))
        if asked is None:
            return _backoff(attempts)
        return asked if asked <= MAX_RETRY_AFTER else None


def _backoff(attempts: int) -> float:
    """The wait after attempt ``attempts`` (1 for the first): exponential, with jitter that keeps
    clients that failed together from retrying together."""
    ceiling = min(INITIAL_RETRY_DELAY * 2.0 ** (attempts - 1), MAX_RETRY_DELAY)
    return ceiling * (0.5 + random.random() / 2)


def _retry_after(value: str | None) -> float | None:
    """A ``Retry-After`` value in seconds from now: delay seconds or an HTTP date; None when
    absent or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None
