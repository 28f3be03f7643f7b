"""The generated docs: examples that run, every endpoint documented, spec text escaped."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from icws_api.testing import Mocks, create_mock_app

from generator.ir.build import build
from generator.pipeline import generate
from generator.spec.load import load
from generator.write import write
from tests.conftest import GENERATED, SPEC, TEMPLATES
from tests.loopback import LoopbackServer

DOCS = GENERATED / "docs"
API = build(load(SPEC))


def fenced(markdown: str, language: str) -> str:
    (block,) = re.findall(rf"^```{language}\n(.*?)^```$", markdown, re.MULTILINE | re.DOTALL)
    return str(block)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Mocks]]:
    mocks = Mocks()
    with LoopbackServer(create_mock_app(mocks, check_sessions=False)) as running:
        yield running.url, mocks


def test_one_page_per_endpoint_and_model() -> None:
    assert sorted(p.name for p in (DOCS / "endpoints").iterdir()) == sorted(
        f"{op.slug}.md" for op in API.operations
    )
    assert sorted(p.name for p in (DOCS / "models").iterdir()) == sorted(
        f"{m.name}.md" for m in API.all_models
    )


def test_the_index_lists_every_endpoint_with_its_feature() -> None:
    index = (DOCS / "index.md").read_text()
    for operation in API.operations:
        assert (
            f"| {operation.method} | [`{operation.path}`](endpoints/{operation.slug}.md) |" in index
        )
        assert operation.feature is not None
        assert f"| {operation.feature.name} {operation.feature.version} |" in index


DIALER = [op for op in API.operations if op.tag == "dialer"]


@pytest.mark.parametrize("operation", DIALER, ids=lambda op: op.slug)
def test_endpoint_pages_say_everything(operation: object) -> None:
    from generator.ir.nodes import Operation

    assert isinstance(operation, Operation)
    page = (DOCS / "endpoints" / f"{operation.slug}.md").read_text()
    assert operation.description in page
    for response in operation.responses:
        assert f"| {response.status} | " in page
        for header in response.headers:
            assert f"`{header.wire_name}`" + (" (required)" if header.required else "") in page
    for scheme in operation.security_schemes:
        assert f"`{scheme.wire_name}` | {scheme.location} |" in page
    for field in operation.body.model.fields if operation.body and operation.body.model else ():
        assert f"| `{field.wire_name}` | `{field.name}` |" in page


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)
def test_python_examples_run_against_the_mock(operation: object, server: tuple[str, Mocks]) -> None:
    from generator.ir.nodes import Operation

    assert isinstance(operation, Operation)
    url, mocks = server
    code = fenced((DOCS / "endpoints" / f"{operation.slug}.md").read_text(), "python")
    assert API.example_base_url in code
    recorder = getattr(mocks, operation.tag)
    before = len(recorder.calls)
    exec(compile(code.replace(API.example_base_url, url), f"{operation.slug}.md", "exec"), {})
    call = recorder.calls[before]
    assert call.operation == operation.operation_id
    if operation.example_body is None:
        assert call.body is None
    else:
        assert call.body.model_dump(mode="json", exclude_unset=True) == json.loads(
            operation.example_body
        )


@pytest.mark.parametrize("operation", API.operations, ids=lambda op: op.slug)
def test_curl_examples_are_accepted_by_the_server(
    operation: object, server: tuple[str, Mocks]
) -> None:
    from generator.ir.nodes import Operation

    assert isinstance(operation, Operation)
    url, mocks = server
    command = fenced((DOCS / "endpoints" / f"{operation.slug}.md").read_text(), "sh")
    words = shlex.split(command.replace("\\\n", " "))
    assert words[:2] == ["curl", "-X"]
    method, target = words[2], words[3]
    headers = dict(words[i + 1].split(": ", 1) for i, word in enumerate(words) if word == "-H")
    data = words[words.index("--data") + 1] if "--data" in words else None
    recorder = getattr(mocks, operation.tag)
    before = len(recorder.calls)
    target = target.replace(API.example_base_url, url)
    answer = httpx.request(method, target, headers=headers, content=data)
    assert answer.status_code == operation.success_status, answer.text
    body = recorder.calls[before].body
    if data is None:
        assert body is None
    else:
        assert body.model_dump(mode="json", exclude_unset=True) == json.loads(data)


def test_the_html_page_holds_every_endpoint_and_model() -> None:
    page = (DOCS / "index.html").read_text()
    for operation in API.operations:
        assert f'<section id="{operation.slug}" class="endpoint">' in page
        assert f'<a href="#{operation.slug}">' in page
    for model in API.all_models:
        assert f'<section id="model-{model.name}" class="model">' in page
    assert "<script" not in page and "http://" not in page.replace("http://localhost:8018", "")


HOSTILE = "<script>window.pwned=1</script> a|b `tick` {{ api.title }} {% if x %} *star* _under_ [l](http://x) &amp; </code>"


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value for name, value in attrs if name == "href" and value]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def hostile_docs(folder: Path) -> dict[str, str]:
    spec = folder / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        f"info: {{title: {json.dumps('Hostile ' + HOSTILE)}, version: '1', description: {json.dumps(HOSTILE)}}}\n"
        "tags: [{name: things}]\n"
        "paths:\n  /things:\n    post:\n      operationId: makeThing\n      tags: [things]\n"
        f"      description: {json.dumps(HOSTILE)}\n"
        "      x-feature: {name: things, version: 1}\n"
        "      requestBody:\n        content:\n          application/json:\n            schema:\n"
        "              title: thing\n              type: object\n              required: [name]\n"
        f"              properties: {{name: {{type: string, description: {json.dumps(HOSTILE)}}}}}\n"
        f"      responses: {{'200': {{description: {json.dumps(HOSTILE)}}}}}\n"
    )
    write(folder / "out", generate(spec, [TEMPLATES]).files)
    return {
        str(p.relative_to(folder / "out" / "docs")): p.read_text()
        for p in (folder / "out" / "docs").rglob("*")
        if p.is_file()
    }


def test_hostile_spec_text_is_text_in_html(tmp_path: Path) -> None:
    page = hostile_docs(tmp_path)["index.html"]
    parsed = Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags
    assert "http://x" not in parsed.links
    text = "".join(parsed.text)
    assert text.count(HOSTILE) >= 4  # the description, the field, the response and the title


def test_hostile_spec_text_is_text_in_markdown(tmp_path: Path) -> None:
    pages = hostile_docs(tmp_path)
    endpoint = pages["endpoints/things.make_thing.md"]
    assert "\\<script\\>" in endpoint and "<script>" not in endpoint
    assert "a\\|b" in endpoint and "\\`tick\\`" in endpoint and "\\*star\\*" in endpoint
    assert "\\[l\\](http://x)" in endpoint
    for name, page in pages.items():
        if name.endswith(".md"):
            assert "<script>" not in page and "</code>" not in page, name
