"""Render and format: templates to text, spec strings made inert, black's style applied."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import random
import re
import shutil
import textwrap
import tomllib
from pathlib import Path

import jinja2
import pytest

from generator.format import TemplateBug, _parenthesize_long_unions, format_tree
from generator.ir.build import build
from generator.ir.nodes import Api
from generator.pipeline import generate
from generator.render.env import (
    _wrap,
    docstring,
    markdown_code,
    markdown_text,
    python_literal,
    toml_string,
)
from generator.render.render import output_path, render
from generator.spec.load import load
from tests.conftest import ROOT, SPEC, TEMPLATES

HOSTILE = [
    '"""; import os; os.system("x") #',
    'ends with three quotes"""',
    'ends with an escaped quote\\"',
    'ends with a quote"',
    "back\\slash\\",
    "{{ api.title }} {% raw %}",
    "</script><script>alert(1)</script>",
    "line\nbreak\r\nand\rcarriage",
    "nul\x00bell\x07del\x7f",
    "lone \ud800 surrogate",
    "'''",
    "\u2028separator\u2029",
]


@pytest.fixture(scope="module")
def api() -> Api:
    return build(load(SPEC))


def test_one_output_per_template_mirroring_the_tree(api: Api) -> None:
    outputs = render(api, [TEMPLATES])
    per_item = {f"docs/endpoints/{op.slug}.md" for op in api.operations}
    per_item |= {f"docs/models/{m.name}.md" for m in api.all_models}
    per_item |= {
        f"icws_api/{folder}/{tag.module}.py"
        for tag in api.tags
        for folder in ("_models", "resources", "server")
    }
    assert set(outputs) - per_item == {
        "README.md",
        "docs/index.html",
        "docs/index.md",
        "icws_api/__init__.py",
        "icws_api/_base_client.py",
        "icws_api/_exceptions.py",
        "icws_api/_logging.py",
        "icws_api/_retries.py",
        "icws_api/_root.py",
        "icws_api/_lazy.py",
        "icws_api/_models/__init__.py",
        "icws_api/_models/_base.py",
        "icws_api/_models/_shared.py",
        "icws_api/client.py",
        "icws_api/errors.py",
        "icws_api/models.py",
        "icws_api/openapi.json",
        "icws_api/py.typed",
        "icws_api/resources/__init__.py",
        "icws_api/server/__init__.py",
        "icws_api/server/__main__.py",
        "icws_api/server/_context.py",
        "icws_api/server/_runtime.py",
        "icws_api/session.py",
        "icws_api/testing.py",
        "pyproject.toml",
    }
    assert per_item <= set(outputs)


def test_python_files_of_the_template_tree_are_copied_as_they_are(api: Api) -> None:
    """Code that is the same for every spec is a real Python file, copied into the package."""
    outputs = render(api, [TEMPLATES])
    copied = sorted(p for p in TEMPLATES.rglob("*.py") if "__pycache__" not in p.parts)
    assert copied
    for path in copied:
        name = str(path.relative_to(TEMPLATES)).replace("{package}", api.package)
        assert outputs[name] == path.read_text()


def test_only_top_level_underscore_folders_hold_macros(tmp_path: Path, api: Api) -> None:
    (tmp_path / "_macros").mkdir()
    (tmp_path / "_macros" / "m.py.jinja").write_text("{% macro m() %}x{% endmacro %}")
    (tmp_path / "pkg" / "_private").mkdir(parents=True)
    (tmp_path / "pkg" / "_private" / "mod.py").write_text("X = 1\n")
    (tmp_path / "pkg" / "_private" / "gen.py.jinja").write_text("Y = {{ api.title | py }}\n")
    assert render(api, [tmp_path]) == {
        "pkg/_private/mod.py": "X = 1\n",
        "pkg/_private/gen.py": 'Y = "ICWS API"\n',
    }


def test_per_tag_templates_render_once_per_tag(tmp_path: Path, api: Api) -> None:
    (tmp_path / "{tag}.txt.jinja").write_text("{{ tag.name }}")
    assert render(api, [tmp_path]) == {f"{tag.module}.txt": tag.name for tag in api.tags}


def test_per_item_templates_render_once_per_item(tmp_path: Path, api: Api) -> None:
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "{operation}.txt.jinja").write_text(
        "{{ tag.name }} {{ operation.operation_id }}"
    )
    (tmp_path / "{model}.txt.jinja").write_text("{{ model.wire_name }}")
    outputs = render(api, [tmp_path])
    assert outputs["ops/dialer.update_stage.txt"] == "dialer updateStage"
    assert outputs["AgentType.txt"] == "agentType"
    assert len(outputs) == len(api.operations) + len(api.all_models)


def test_output_paths_never_leave_the_output_folder(api: Api) -> None:
    assert output_path("{package}/models.py.jinja", api) == "icws_api/models.py"
    for bad in ("../x.py.jinja", "/etc/x.jinja", "a/../../x.jinja"):
        with pytest.raises(ValueError):
            output_path(bad, api)


def test_undefined_names_in_templates_fail_loudly(tmp_path: Path, api: Api) -> None:
    (tmp_path / "broken.txt.jinja").write_text("{{ api.no_such_thing }}")
    with pytest.raises(jinja2.UndefinedError):
        render(api, [tmp_path])


def test_layered_template_folders_first_wins(tmp_path: Path, api: Api) -> None:
    (tmp_path / "README.md.jinja").write_text("custom {{ api.title }}\n")
    outputs = render(api, [tmp_path, TEMPLATES])
    assert outputs["README.md"] == "custom ICWS API\n"
    assert "icws_api/models.py" in outputs


@pytest.mark.parametrize("text", HOSTILE)
def test_docstrings_hold_any_text(text: str) -> None:
    source = f'def f():\n    """{docstring(text, 4)}"""\n'
    parsed = ast.get_docstring(ast.parse(source).body[0], clean=False)  # type: ignore[arg-type]
    assert parsed is not None
    assert inspect.cleandoc(parsed) == inspect.cleandoc(text.replace("\r\n", "\n"))


def test_text_that_fits_is_wrapped_as_textwrap_would() -> None:
    """The shortcut for text that fits on its line gives what textwrap gives, breaking at spaces
    only (a URL stays whole), whatever the whitespace (tabs and line breaks become spaces,
    Unicode spaces at the end go)."""
    pieces = [" ", "  ", "a", "word", "-", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0", "\u2028", "é"]
    generator = random.Random(9)
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 30)))
        width = generator.randint(1, 40)
        expected = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        assert _wrap(text, width) == expected, text


@pytest.mark.parametrize("text", HOSTILE)
def test_python_literals_hold_any_text(text: str) -> None:
    assert ast.literal_eval(python_literal(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_toml_strings_hold_any_text(text: str) -> None:
    parsed = tomllib.loads(f"v = {toml_string(text)}\n")["v"]
    assert parsed == text.encode("utf-8", "replace").decode("utf-8")


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_has_no_markup(text: str) -> None:
    escaped = markdown_text(text)
    assert "\n" not in escaped
    for char in "<>`*_[]|":
        assert escaped.count(char) == escaped.count("\\" + char)


@pytest.mark.parametrize("text", ["plain", "a`b", "``x``", "`edge`", "pipe | inside"])
def test_code_spans_hold_any_text(text: str) -> None:
    span = markdown_code(text)
    fence = span[: len(span) - len(span.lstrip("`"))]
    assert span.endswith(fence) and fence not in span[len(fence) : -len(fence)]


def test_code_spans_in_tables_escape_pipes() -> None:
    assert markdown_code("a|b", table=True) == "`a\\|b`"


def test_hostile_spec_text_generates_valid_python(api: Api) -> None:
    hostile = "\n".join(HOSTILE)
    first = api.models[0]
    changed = dataclasses.replace(
        api,
        title=hostile,
        summary=hostile,
        models=(
            dataclasses.replace(
                first,
                description=hostile,
                fields=tuple(dataclasses.replace(f, description=hostile) for f in first.fields),
            ),
            *api.models[1:],
        ),
    )
    outputs = render(changed, [TEMPLATES])
    plain = render(api, [TEMPLATES])

    def imports_os(path: str, text: str) -> bool:
        module = ast.parse(format_tree({path: text})[path])
        return any(
            isinstance(node, ast.Import) and node.names[0].name == "os" for node in ast.walk(module)
        )

    for path, text in outputs.items():
        if path.endswith(".py"):  # the spec's text imports nothing the templates did not
            assert imports_os(path, text) == imports_os(path, plain[path])
    tomllib.loads(outputs["pyproject.toml"])


def test_python_is_formatted_in_blacks_style_and_nothing_else() -> None:
    assert format_tree({"a.py": "x  =  1\n", "a.md": "x  =  1\n"}) == {
        "a.py": "x = 1\n",
        "a.md": "x  =  1\n",
    }


def test_characters_linters_take_for_others_are_written_as_escapes_of_the_same_text() -> None:
    source = '"""Pay\u2019s rate \u2013 per day."""\n\nRULE = r"^\u0430b+$"\nPLAIN = "caf\u00e9"\n'
    formatted = format_tree({"m.py": source})["m.py"]
    assert "\\N{RIGHT SINGLE QUOTATION MARK}" in formatted and "\\N{EN DASH}" in formatted
    assert formatted.isascii() is False  # the accent, which no reader mistakes, stays as it is
    before, after = {}, {}
    exec(compile(source, "m.py", "exec"), before)
    exec(compile(formatted, "m.py", "exec"), after)
    assert (after["__doc__"], after["PLAIN"]) == (before["__doc__"], before["PLAIN"])
    assert re.fullmatch(after["RULE"], "\u0430bb")


def test_one_formatter_call_formats_every_python_file_of_the_tree() -> None:
    """Files in folders, a large file, and files that are not Python (kept as they are)."""
    big = "".join(f"x{i}  =  {{ 'a' :{i} }}\n" for i in range(20_000))
    texts = {f"pkg/m{i}.py": f"y  =  {i}\n" for i in range(5)} | {
        "big.py": big,
        "notes.md": "a  b\n",
    }
    formatted = format_tree(texts)
    assert formatted["pkg/m3.py"] == "y = 3\n"
    assert formatted["notes.md"] == "a  b\n"
    assert formatted["big.py"].splitlines()[19_999] == 'x19999 = {"a": 19999}'
    assert list(formatted) == list(texts)


def test_only_union_hints_too_long_for_their_line_get_parentheses() -> None:
    hint = " | ".join(f"Model{i}" for i in range(12))
    long_parameter = f"        body: {hint} = None,"
    text = "\n".join(
        [
            "def f(",
            "        short: int | None = None,",
            long_parameter,
            f"        # a comment, not a parameter: {hint} {hint}",
            f"        last: {hint},",
        ]
    )
    lines = _parenthesize_long_unions(text).split("\n")
    assert lines[:2] == text.split("\n")[:2]
    assert lines[2] == f"        body: ({hint}) = None,"
    assert lines[3] == text.split("\n")[3]
    assert lines[4] == f"        last: ({hint}),"


def test_unparsable_output_is_a_template_bug() -> None:
    with pytest.raises(TemplateBug, match=r"broken\.py"):
        format_tree({"broken.py": "def (:\n"})


def test_code_examples_in_the_html_page_are_escaped(tmp_path: Path) -> None:
    """The example macros are shared with the Markdown and Python templates, so they hand the
    HTML page unescaped text: it must be escaped there like any other spec text."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    endpoint = tmp_path / "spec" / "paths" / "dialer" / "update-stage.yaml"
    hostile = '"<img src=x onerror=alert(1)>":'
    endpoint.write_text(
        endpoint.read_text().replace("            agentId:", f"            {hostile}")
    )
    html = generate(tmp_path / "spec" / "openapi.yaml", [TEMPLATES]).files["docs/index.html"]
    assert b"<img" not in html
    assert b"--data &#39;{&#34;&lt;img src=x onerror=alert(1)&gt;&#34;" in html
