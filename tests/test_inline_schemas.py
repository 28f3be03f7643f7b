"""Inline schemas the spec leaves untitled, discriminated unions and named maps, end to end.

An untitled inline object at a request body, a response or a property is a class named after
where it is written; a union with a ``discriminator`` reads the option its property names; a
named map is ``dict[str, X]``. Each goes from the generated client to the generated mock server
and back.
"""

from __future__ import annotations

import importlib
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter, ValidationError

from generator.pipeline import generate
from tests.conftest import TEMPLATES, generated_package
from tests.loopback import LoopbackServer

INLINE_SPEC = """\
openapi: 3.1.0
info: {title: Inline API, version: 1.0.0}
tags: [{name: shop}]
paths:
  /token:
    post:
      operationId: getToken
      tags: [shop]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [client_id]
              properties: {client_id: {type: string}, scope: {type: string}}
      responses:
        "200":
          description: A token.
          content:
            application/json:
              schema:
                type: object
                required: [token]
                properties: {token: {type: string}, expiresIn: {type: integer}}
  /bookings:
    post:
      operationId: createBooking
      tags: [shop]
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Booking'}}}
      responses:
        "201":
          description: Made.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Booking'
                  - properties: {links: {type: object, properties: {self: {type: string}}}}
        "409":
          description: Taken.
          content:
            application/json:
              schema: {type: object, properties: {reason: {type: string}}}
  /metrics:
    get:
      operationId: getMetrics
      tags: [shop]
      responses:
        "200":
          description: The metrics.
          content: {application/json: {schema: {$ref: '#/components/schemas/Metrics'}}}
  /options:
    post:
      operationId: sendOption
      tags: [shop]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/AnyOption'}}}
      responses:
        "200":
          description: The option, as the server read it.
          content: {application/json: {schema: {$ref: '#/components/schemas/MappedOption'}}}
  /apis:
    get:
      operationId: listApis
      tags: [shop]
      responses:
        "200":
          description: Every API, by name.
          content: {application/json: {schema: {$ref: '#/components/schemas/Catalogue'}}}
  /clash:
    post:
      operationId: clash
      tags: [shop]
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {n: {type: integer}}}
      responses:
        "204": {description: Done.}
components:
  schemas:
    Booking:
      type: object
      required: [trip]
      properties: {trip: {type: string}}
    Metrics:
      type: object
      properties:
        thisWeek:
          type: object
          required: [visits]
          properties: {visits: {type: integer}}
        days:
          type: array
          items: {type: object, properties: {day: {type: string}}}
    OptionOneNoDisc:
      type: object
      required: [discrim]
      properties: {discrim: {type: string}, one: {type: string}}
    OptionTwoNoDisc:
      type: object
      required: [discrim]
      properties: {discrim: {type: string}, two: {type: string}}
    AnyOption:
      oneOf:
        - $ref: '#/components/schemas/OptionOneNoDisc'
        - $ref: '#/components/schemas/OptionTwoNoDisc'
      discriminator: {propertyName: discrim}
    Red:
      type: object
      required: [color]
      properties: {color: {type: string}, shade: {type: string}}
    Blue:
      type: object
      required: [color]
      properties: {color: {type: string}, shade: {type: string}}
    MappedOption:
      oneOf: [{$ref: '#/components/schemas/Red'}, {$ref: '#/components/schemas/Blue'}]
      discriminator:
        propertyName: color
        mapping: {red: '#/components/schemas/Red', blue: Blue}
    API:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Catalogue:
      type: object
      additionalProperties: {$ref: '#/components/schemas/API'}
    ClashBody:
      type: object
      properties: {m: {type: integer}}
"""


@pytest.fixture(scope="module")
def inline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("inline")
    with generated_package(folder, INLINE_SPEC, "inline_api") as package:
        yield package


@dataclass(frozen=True)
class Served:
    """The package, the mock server's URL and mocks, and a blocking client of it."""

    package: ModuleType
    url: str
    mocks: Any
    client: Any


@pytest.fixture(scope="module")
def served(inline: ModuleType) -> Iterator[Served]:
    testing = importlib.import_module("inline_api.testing")
    mocks = testing.Mocks()
    app = testing.create_mock_app(mocks, check_sessions=False)
    with (
        LoopbackServer(app) as running,
        inline.Client(running.url, session=inline.Session()) as client,
    ):
        yield Served(inline, running.url, mocks, client)


def test_an_inline_form_body_is_a_class_whose_fields_are_keyword_arguments(
    served: Served,
) -> None:
    package, client, mocks = served.package, served.client, served.mocks
    mocks.shop.results["getToken"] = package.models.GetTokenResponse(token="t", expires_in=60)
    answer = client.shop.get_token(client_id="app", scope="read")
    call = mocks.shop.calls[-1]
    assert call.body == package.models.GetTokenBody(client_id="app", scope="read")
    assert answer == package.models.GetTokenResponse(token="t", expires_in=60)


def test_an_inline_body_missing_a_required_field_is_refused(
    served: Served,
) -> None:
    calls = len(served.mocks.shop.calls)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = httpx.post(f"{served.url}/token", content=b"scope=read", headers=form)
    assert response.status_code == 400 and "client_id" in response.text
    assert len(served.mocks.shop.calls) == calls


def test_an_inline_all_of_is_one_class_of_every_parts_fields(inline: ModuleType) -> None:
    made = inline.models.CreateBookingResponse201
    booking = made.model_validate_json('{"trip": "Rome", "links": {"self": "/b/1"}}')
    assert booking.trip == "Rome" and booking.links == inline.models.CreateBookingResponse201Links(
        self_="/b/1"
    )
    with pytest.raises(ValidationError, match="trip"):
        made.model_validate_json('{"links": {}}')
    assert inline.models.CreateBookingResponse409(reason="x").reason == "x"


def test_nested_inline_properties_and_their_items_are_classes_named_after_them(
    inline: ModuleType,
) -> None:
    answer = {"thisWeek": {"visits": 3}, "days": [{"day": "Mon"}]}
    metrics = inline.models.Metrics.model_validate_json(json.dumps(answer))
    assert metrics.this_week == inline.models.MetricsThisWeek(visits=3)
    assert metrics.days == [inline.models.MetricsDays(day="Mon")]
    with pytest.raises(ValidationError, match="visits"):
        inline.models.Metrics.model_validate_json('{"thisWeek": {}}')


def test_a_name_another_class_has_is_numbered_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(INLINE_SPEC)
    warnings = [str(d) for d in generate(tmp_path / "openapi.yaml", [TEMPLATES]).warnings]
    assert any("'ClashBody'" in w and "'ClashBody2'" in w for w in warnings)


def test_the_shipped_spec_is_the_authors(inline: ModuleType) -> None:
    shipped = json.loads((Path(inline.__file__).parent / "openapi.json").read_text())
    assert set(shipped["components"]["schemas"]) == {
        *("Booking", "Metrics", "OptionOneNoDisc", "OptionTwoNoDisc", "AnyOption"),
        *("Red", "Blue", "MappedOption", "API", "Catalogue", "ClashBody"),
    }
    body = shipped["paths"]["/token"]["post"]["requestBody"]["content"]
    assert "title" not in body["application/x-www-form-urlencoded"]["schema"]


@pytest.mark.parametrize(
    ("option", "wire"),
    [
        ("OptionOneNoDisc", {"discrim": "OptionOneNoDisc", "one": "1"}),
        ("OptionTwoNoDisc", {"discrim": "OptionTwoNoDisc", "two": "2"}),
    ],
)
def test_each_option_of_a_discriminated_union_arrives_as_its_own_class(
    served: Served, option: str, wire: dict[str, str]
) -> None:
    package, client, mocks = served.package, served.client, served.mocks
    sent = getattr(package.models, option).model_validate(wire)
    mocks.shop.results["sendOption"] = package.models.Blue(color="blue", shade="navy")
    answer = client.shop.send_option(sent)
    assert type(mocks.shop.calls[-1].body) is type(sent) and mocks.shop.calls[-1].body == sent
    assert type(answer) is package.models.Blue


def test_a_discriminated_union_reads_the_option_its_mapping_names(inline: ModuleType) -> None:
    adapter = TypeAdapter(inline.models.MappedOption)
    red = adapter.validate_json('{"color": "red", "shade": "dark"}')
    blue = adapter.validate_json('{"color": "blue", "shade": "dark"}')
    assert (type(red), type(blue)) == (inline.models.Red, inline.models.Blue)
    assert inline.models.Red().color == "red"  # the one value it goes by, filled in
    with pytest.raises(ValidationError):
        adapter.validate_json('{"color": "green", "shade": "dark"}')


def test_a_named_map_is_a_dict_of_its_values(
    served: Served,
) -> None:
    package, client, mocks = served.package, served.client, served.mocks
    assert typing.get_origin(package.models.Catalogue) is dict
    mocks.shop.results["listApis"] = {"pets": package.models.Api(name="Pets")}
    assert client.shop.list_apis() == {"pets": package.models.Api(name="Pets")}
    apis = TypeAdapter(package.models.Catalogue).validate_json('{"a": {"name": "A"}}')
    assert apis == {"a": package.models.Api(name="A")}
