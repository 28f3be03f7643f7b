"""Bad requests, sent raw: each answers its documented status with the error body, never a 422."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from icws_api.models import Error
from icws_api.server import RequestContext, create_app
from icws_api.testing import Mocks

from tests.loopback import LoopbackServer

SESSION_ID = "1731001"
CREDENTIALS = {"ININ-ICWS-CSRF-Token": "token-abc", "Cookie": f"icws_{SESSION_ID}=cookie-xyz"}
CHALLENGE = 'ICWS realm="ICWS" location="/ICWS/connection"'
UPDATE = f"/icws/{SESSION_ID}/dialer/update-stage"
MARK = f"/icws/{SESSION_ID}/dialer/mark-call-for-finishing"
AGENT = f"/icws/{SESSION_ID}/dialer/set-agent-type"
GOOD_UPDATE = {"newStageId": 3, "campaignId": "c1"}
GOOD_AGENT = {"agentType": 1, "campaignIds": ["k"]}
GOOD_MARK = {"callId": "c", "campaignId": "k"}


@dataclass(frozen=True)
class Bad:
    name: str
    status: int
    says: str
    """Words the error message must hold (the field and the problem)."""
    path: str = UPDATE
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=lambda: dict(CREDENTIALS))
    method: str = "POST"
    content_type: str | None = "application/json"


def body(value: object) -> bytes:
    return json.dumps(value).encode()


def without(mapping: dict[str, object], key: str) -> dict[str, object]:
    return {k: v for k, v in mapping.items() if k != key}


def credentials_without(name: str) -> dict[str, str]:
    return {k: v for k, v in CREDENTIALS.items() if k != name}


BAD = [
    Bad("no body", 400, "body is missing"),
    Bad("broken JSON", 400, "Invalid JSON", body=b'{"newStageId": 3,'),
    Bad("JSON array", 400, "object", body=b"[]"),
    Bad("JSON string", 400, "object", body=b'"update"'),
    Bad("JSON null", 400, "object", body=b"null"),
    Bad(
        "missing newStageId",
        400,
        "newStageId: Field required",
        body=body(without(GOOD_UPDATE, "newStageId")),
    ),
    Bad(
        "missing campaignId",
        400,
        "campaignId: Field required",
        body=body(without(GOOD_UPDATE, "campaignId")),
    ),
    Bad("newStageId as string", 400, "newStageId", body=body({**GOOD_UPDATE, "newStageId": "3"})),
    Bad("newStageId as float", 400, "newStageId", body=body({**GOOD_UPDATE, "newStageId": 3.5})),
    Bad("newStageId as boolean", 400, "newStageId", body=body({**GOOD_UPDATE, "newStageId": True})),
    Bad(
        "newStageId above int32",
        400,
        "newStageId: Input should be less than or equal to 2147483647",
        body=body({**GOOD_UPDATE, "newStageId": 2**31}),
    ),
    Bad(
        "newStageId below int32",
        400,
        "newStageId: Input should be greater than or equal to -2147483648",
        body=body({**GOOD_UPDATE, "newStageId": -(2**31) - 1}),
    ),
    Bad(
        "huge number",
        400,
        "newStageId",
        body=b'{"newStageId": 1' + b"0" * 400 + b', "campaignId": "c"}',
    ),
    Bad("NaN", 400, "newStageId", body=b'{"newStageId": NaN, "campaignId": "c"}'),
    Bad("campaignId as number", 400, "campaignId", body=body({**GOOD_UPDATE, "campaignId": 7})),
    Bad("agentId null", 400, "agentId", body=body({**GOOD_UPDATE, "agentId": None})),
    Bad(
        "empty campaignIds",
        400,
        "campaignIds: List should have at least 1 item",
        path=AGENT,
        body=body({**GOOD_AGENT, "campaignIds": []}),
    ),
    Bad(
        "campaignIds not a list",
        400,
        "campaignIds",
        path=AGENT,
        body=body({**GOOD_AGENT, "campaignIds": "k"}),
    ),
    Bad(
        "campaignIds of numbers",
        400,
        "campaignIds.0",
        path=AGENT,
        body=body({**GOOD_AGENT, "campaignIds": [1]}),
    ),
    Bad(
        "agentType 0",
        400,
        "agentType: Input should be 1, 2 or 3",
        path=AGENT,
        body=body({**GOOD_AGENT, "agentType": 0}),
    ),
    Bad("agentType 4", 400, "agentType", path=AGENT, body=body({**GOOD_AGENT, "agentType": 4})),
    Bad(
        "agentType as string",
        400,
        "agentType",
        path=AGENT,
        body=body({**GOOD_AGENT, "agentType": "2"}),
    ),
    Bad(
        "agentType missing",
        400,
        "agentType: Field required",
        path=AGENT,
        body=body(without(GOOD_AGENT, "agentType")),
    ),
    Bad(
        "callId missing",
        400,
        "callId: Field required",
        path=MARK,
        body=body(without(GOOD_MARK, "callId")),
    ),
    Bad(
        "callAttributes value not a string",
        400,
        "callAttributes.a",
        path=MARK,
        body=body({**GOOD_MARK, "callAttributes": {"a": 1}}),
    ),
    Bad(
        "callAttributes not an object",
        400,
        "callAttributes",
        path=MARK,
        body=body({**GOOD_MARK, "callAttributes": ["a"]}),
    ),
    Bad(
        "text/plain",
        400,
        "must be sent as application/json or application/vnd.inin.icws+json, not text/plain",
        body=body(GOOD_UPDATE),
        content_type="text/plain",
    ),
    Bad("no content type", 400, "not no content type", body=body(GOOD_UPDATE), content_type=None),
    Bad("XML", 400, "not application/xml", body=b"<update/>", content_type="application/xml"),
    Bad("invalid UTF-8", 400, "Invalid JSON", body=b'{"newStageId": 3, "campaignId": "\xff\xfe"}'),
    Bad(
        "oversized body",
        400,
        "larger than 1048576 bytes",
        body=b'{"campaignId": "' + b"x" * 2_000_000 + b'"}',
    ),
    Bad(
        "deeply nested JSON",
        400,
        "Invalid JSON",
        body=b'{"x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    ),
    Bad(
        "no CSRF token",
        401,
        "lacks the ININ-ICWS-CSRF-Token header.",
        body=body(GOOD_UPDATE),
        headers=credentials_without("ININ-ICWS-CSRF-Token"),
    ),
    Bad(
        "no cookie",
        401,
        "lacks the icws_1731001 cookie.",
        body=body(GOOD_UPDATE),
        headers=credentials_without("Cookie"),
    ),
    Bad(
        "no credentials at all",
        401,
        "lacks the ININ-ICWS-CSRF-Token header and the icws_1731001 cookie.",
        body=body(GOOD_UPDATE),
        headers={},
    ),
    Bad(
        "cookie of another session",
        401,
        "icws_1731001 cookie",
        body=body(GOOD_UPDATE),
        headers={**CREDENTIALS, "Cookie": "icws_999=cookie-xyz"},
    ),
    Bad(
        "wrong credentials",
        401,
        "not valid",
        body=body(GOOD_UPDATE),
        headers={**CREDENTIALS, "ININ-ICWS-CSRF-Token": "forged"},
    ),
    Bad(
        "unknown path",
        404,
        "Not Found",
        path=f"/icws/{SESSION_ID}/dialer/no-such-thing",
        body=body(GOOD_UPDATE),
    ),
    Bad(
        "traversal in the session id",
        404,
        "Not Found",
        path="/icws/..%2F..%2Fetc/dialer/update-stage",
        body=body(GOOD_UPDATE),
    ),
    Bad("wrong method", 405, "Method Not Allowed", method="GET", content_type=None),
]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    def valid(ctx: RequestContext) -> bool:
        return ctx.csrf_token == "token-abc"

    with LoopbackServer(create_app(dialer=Mocks().dialer, authenticate=valid)) as running:
        yield running.url


def test_the_table_is_large() -> None:
    assert len(BAD) >= 30


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_bad_request(url: str, bad: Bad) -> None:
    headers = dict(bad.headers)
    if bad.content_type:
        headers["Content-Type"] = bad.content_type
    response = httpx.request(
        bad.method, url + bad.path, content=bad.body, headers=headers, timeout=10
    )
    assert response.status_code == bad.status, response.text
    assert response.headers["content-type"] == "application/vnd.inin.icws+json; charset=utf-8"
    error = Error.model_validate_json(response.content)
    assert bad.says in error.message, error.message
    assert "Traceback" not in response.text
    if bad.status == 401:
        assert response.headers["www-authenticate"] == CHALLENGE
        assert "token-abc" not in response.text and "cookie-xyz" not in response.text
    if bad.status == 405:
        assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "application/vnd.inin.icws+JSON", "APPLICATION/JSON"],
)
def test_good_requests_in_every_media_type(url: str, content_type: str) -> None:
    response = httpx.post(
        url + UPDATE,
        content=body(GOOD_UPDATE),
        headers={**CREDENTIALS, "Content-Type": content_type},
    )
    assert response.status_code == 200, response.text
    assert response.content == b""


def test_unknown_properties_and_type_urns_are_accepted(url: str) -> None:
    urn = {"__type": "urn:inin.com:dialer:updateStageParameters", **GOOD_UPDATE}
    response = httpx.post(
        url + UPDATE, content=body(urn), headers={**CREDENTIALS, "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
