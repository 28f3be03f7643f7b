# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""The package's logger, ``logging.getLogger("<package>")``: each request and answer at DEBUG,
each retry at INFO, with credentials redacted.

Redacted are the values of the ``Authorization``, ``Cookie`` and ``Set-Cookie`` headers, of the
headers and query parameters the spec's security schemes carry credentials in, and of every body
property the spec marks secret. Setting the environment variable ``<PACKAGE>_LOG`` (for example
``ICWS_API_LOG``) to ``debug`` or ``info`` sends the records to standard error, without
configuring :mod:`logging` yourself.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

import httpx

__all__ = ["LOG_VARIABLE", "REDACTED", "Secrets", "logger", "redacted_body"]

_PACKAGE = __name__.rpartition(".")[0]
logger = logging.getLogger(_PACKAGE)
LOG_VARIABLE = f"{_PACKAGE.upper()}_LOG"
"""The environment variable that turns logging on: ``debug`` or ``info``."""

REDACTED = "[redacted]"
_BODY_LIMIT = 2000
"""Characters of a body a record shows."""
_JSON = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)
_FORM = re.compile(r"^application/x-www-form-urlencoded", re.IGNORECASE)
_ALWAYS_SECRET = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


class Secrets(NamedTuple):
    """What the logger never shows: the values of these headers (lower case), query
    parameters and body properties (by wire name)."""

    headers: frozenset[str] = frozenset()
    query: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()


def log_request(request: httpx.Request, attempt: int, secrets: Secrets) -> None:
    """Log ``request`` at DEBUG (call only when DEBUG is on)."""
    logger.debug(
        "request %s %s (attempt %d) headers=%s body=%s",
        request.method,
        _url(request.url, secrets),
        attempt,
        _headers(request.headers, secrets),
        redacted_body(request.headers.get("Content-Type", ""), request.content, secrets),
    )


def log_answer(request: httpx.Request, response: httpx.Response, secrets: Secrets) -> None:
    """Log the answer to ``request`` at DEBUG (call only when DEBUG is on)."""
    logger.debug(
        "answer %d %s to %s %s in %s headers=%s body=%s",
        response.status_code,
        response.reason_phrase,
        request.method,
        _url(request.url, secrets),
        _elapsed(response),
        _headers(response.headers, secrets),
        redacted_body(response.headers.get("Content-Type", ""), response.content, secrets),
    )


def log_retry(
    request: httpx.Request, attempt: int, delay: float, reason: str, secrets: Secrets
) -> None:
    """Log at INFO that attempt ``attempt`` of ``request`` failed and is retried."""
    logger.info(
        "retrying %s %s in %.2f s: attempt %d got %s",
        request.method,
        _url(request.url, secrets),
        delay,
        attempt,
        reason,
    )


def _elapsed(response: httpx.Response) -> str:
    try:
        return f"{response.elapsed.total_seconds() * 1000:.1f} ms"
    except RuntimeError:  # a transport that never closed the response
        return "an unknown time"


def _url(url: httpx.URL, secrets: Secrets) -> str:
    if not url.query or not secrets.query:
        return str(url)
    params = [
        (name, REDACTED if name in secrets.query else value)
        for name, value in url.params.multi_items()
    ]
    return str(url.copy_with(query=urlencode(params, safe="[]").encode()))


def _headers(headers: httpx.Headers, secrets: Secrets) -> dict[str, str]:
    return {
        name: REDACTED if name in _ALWAYS_SECRET or name in secrets.headers else value
        for name, value in headers.multi_items()
    }


def redacted_body(
    media_type: str, content: bytes, secrets: Secrets, limit: int = _BODY_LIMIT
) -> str:
    """A body as a record or a message shows it: JSON and forms with secret properties redacted,
    text as it is, other bodies by their size; cut at ``limit`` characters."""
    if not content:
        return "(empty)"
    if _JSON.match(media_type):
        try:
            shown = json.dumps(_redacted(json.loads(content), secrets.fields))
        except ValueError:
            shown = f"({len(content)} bytes, not JSON)"
    elif _FORM.match(media_type):
        fields = parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True)
        shown = urlencode([(n, REDACTED if n in secrets.fields else v) for n, v in fields])
    elif media_type.lower().startswith("text/"):
        shown = content.decode("utf-8", "replace")
    else:
        shown = f"({len(content)} bytes of {media_type or 'no media type'})"
    return shown if len(shown) <= limit else shown[:limit] + "..."


def _redacted(value: object, fields: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {
            name: REDACTED if name in fields else _redacted(item, fields)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_redacted(item, fields) for item in value]
    return value


def _configure_from_environment() -> None:
    level = os.environ.get(LOG_VARIABLE, "").strip().upper()
    if level in ("DEBUG", "INFO") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False  # shown once, whatever the application's own logging


_configure_from_environment()
