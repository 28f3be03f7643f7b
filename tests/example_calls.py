"""Calls of the generated ICWS package's operations with their spec examples, for tests that
must run for every operation whatever the spec holds."""

from __future__ import annotations

from typing import Any

from icws_api import Session, models
from icws_api.client import RequestOptions

from generator.ir.build import build
from generator.ir.nodes import Operation
from generator.spec.load import load
from tests.conftest import SPEC

API = build(load(SPEC))
SESSION = Session(
    **{f.name: f.example for f in API.session_fields}, cookies=dict(API.example_cookies)
)
"""A session of the spec's example credentials."""


def example_call(
    client: Any, operation: Operation, request_options: RequestOptions | None = None
) -> Any:
    """``operation`` called through ``client`` (a client, asyncio or not, or its
    ``with_raw_response``) with its example arguments."""
    names = {name: getattr(models, name) for name in models.__all__}
    arguments = {name: eval(code, dict(names)) for name, code in operation.example_arguments}
    body = operation.example_body_python
    positional = [eval(body, dict(names))] if body else []
    method = getattr(getattr(client, operation.tag_attribute), operation.name)
    return method(*positional, **arguments, request_options=request_options)
