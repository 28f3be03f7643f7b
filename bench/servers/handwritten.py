"""The hand-written baseline: ``POST /icws/{sessionId}/dialer/update-stage`` in plain Starlette,
with the validation the generated server does (session header and cookie present, body size,
content type, duplicate keys, the body's fields and bounds), written as one would by hand."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

MAX_BODY = 1 << 20
MEDIA_TYPES = ("application/json", "application/vnd.inin.icws+json")


class UpdateStage(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    agentId: str | None = None
    newStageId: Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
    campaignId: str


def _error(status: int, message: str) -> Response:
    return JSONResponse({"errorId": "error", "message": message}, status_code=status)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


async def update_stage(request: Request) -> Response:
    session_id = request.path_params["session_id"]
    if "ININ-ICWS-CSRF-Token" not in request.headers or f"icws_{session_id}" not in request.cookies:
        return _error(401, "The session credentials are missing.")
    body = await request.body()
    if len(body) > MAX_BODY:
        return _error(400, "The request body is too large.")
    if request.headers.get("Content-Type", "").split(";")[0].strip().lower() not in MEDIA_TYPES:
        return _error(400, "The request body must be JSON.")
    try:
        json.loads(body, object_pairs_hook=_unique_keys)
        UpdateStage.model_validate_json(body)
    except (ValueError, ValidationError):
        return _error(400, "The request body is not valid.")
    return Response(status_code=200)


app = Starlette(
    routes=[Route("/icws/{session_id}/dialer/update-stage", update_stage, methods=["POST"])]
)
