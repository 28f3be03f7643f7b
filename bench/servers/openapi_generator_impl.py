"""Copied into openapi-generator's ``python-fastapi`` output as ``openapi_server/impl/bench.py``:
the implementation its generated routes look for, accepting every call."""

from __future__ import annotations

from openapi_server.apis.dialer_api_base import BaseDialerApi


class Dialer(BaseDialerApi):
    async def update_stage(self, sessionId, update_stage_parameters):  # type: ignore[no-untyped-def]
        return None
