"""Bodies that are not JSON: forms, multipart, text and bytes, from the client to the server and
back, over loopback HTTP."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import generated_package
from tests.loopback import LoopbackServer

MEDIA_SPEC = """\
openapi: 3.0.3
info: {title: Media API, version: 1.0.0}
tags: [{name: media}]
paths:
  /notes:
    post:
      operationId: addNote
      tags: [media]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              title: NoteForm
              type: object
              required: [text]
              properties:
                text: {type: string}
                tags: {type: array, items: {type: string}}
                pinned: {type: boolean}
                priority: {type: integer}
      responses:
        "201":
          description: The note as stored.
          content: {application/vnd.media+json: {schema: {$ref: '#/components/schemas/Note'}}}
  /files:
    post:
      operationId: upload
      tags: [media]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              title: Upload
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                title: {type: string}
                labels: {type: array, items: {type: string}}
      responses:
        "200":
          description: A receipt.
          content: {text/plain: {schema: {type: string}}}
  /files/{name}:
    parameters: [{name: name, in: path, required: true, schema: {type: string}}]
    put:
      operationId: replace
      tags: [media]
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses:
        "204": {description: Replaced.}
    get:
      operationId: download
      tags: [media]
      responses:
        "200":
          description: The file.
          content: {image/png: {schema: {type: string, format: binary}}}
  /echo:
    post:
      operationId: echo
      tags: [media]
      requestBody:
        required: true
        content: {text/plain: {schema: {type: string}}}
      responses:
        "200":
          description: The text as CSV.
          content: {text/csv: {schema: {type: string}}}
components:
  schemas:
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string}
        tags: {type: array, items: {type: string}}
        pinned: {type: boolean}
        priority: {type: integer}
"""

PNG = b"\x89PNG\r\n\x1a\n\x00\xff"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("media"), MEDIA_SPEC, "media_api") as package:
        yield package


@pytest.fixture(scope="module")
def url(media: ModuleType) -> Iterator[str]:
    server = importlib.import_module("media_api.server")
    models = importlib.import_module("media_api.models")
    files: dict[str, bytes] = {}

    class Media(server.MediaApi):  # type: ignore[misc, name-defined]
        async def add_note(self, ctx: Any, body: Any) -> Any:
            return models.Note.model_validate(body.model_dump(exclude_unset=True))

        async def upload(self, ctx: Any, body: Any) -> str:
            files[body.title] = body.file
            return f"{body.title}: {len(body.file)} bytes, labels {body.labels}"

        async def replace(self, ctx: Any, body: bytes, *, name: str) -> None:
            files[name] = body

        async def download(self, ctx: Any, *, name: str) -> bytes:
            return files[name]

        async def echo(self, ctx: Any, body: str) -> str:
            return body.replace(" ", ",")

    with LoopbackServer(server.create_app(media=Media())) as running:
        yield running.url


def test_a_form_body_travels_as_fields_and_comes_back_as_json(media: ModuleType, url: str) -> None:
    with media.Client(url) as client:
        note = client.media.add_note(text="milk", tags=["a", "b"], pinned=True, priority=2)
    assert note == media.models.Note(text="milk", tags=["a", "b"], pinned=True, priority=2)


def test_a_multipart_body_carries_a_file_and_text_fields(media: ModuleType, url: str) -> None:
    with media.Client(url) as client:
        receipt = client.media.upload(file=PNG, title="logo", labels=["x"])
        image = client.media.download(name="logo")
    assert receipt == "logo: 10 bytes, labels ['x']"
    assert image == PNG


def test_bytes_and_text_bodies_travel_as_they_are(media: ModuleType, url: str) -> None:
    with media.Client(url) as client:
        client.media.replace(PNG[::-1], name="raw")
        assert client.media.download(name="raw") == PNG[::-1]
        assert client.media.echo("a b c") == "a,b,c"


def test_the_async_client_sends_the_same_bodies(media: ModuleType, url: str) -> None:
    async def calls() -> tuple[Any, str]:
        async with media.AsyncClient(url) as client:
            return await client.media.add_note(text="eggs"), await client.media.echo("x y")

    note, text = asyncio.run(calls())
    assert (note.text, text) == ("eggs", "x,y")


def test_a_form_body_that_does_not_validate_answers_400(media: ModuleType, url: str) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = httpx.post(f"{url}/notes", content=b"priority=high", headers=form)
    assert answer.status_code == 400
    assert "text" in answer.text and "priority" in answer.text
