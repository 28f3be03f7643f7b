"""Render and format: templates to text, spec strings made inert, black's style applied."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import random
import shutil
import textwrap
import tomllib
from pathlib import Path

import jinja2
import pytest

from generator import format as format_module
from generator import render as render_module
from generator.format import TemplateBug, format_file
from generator.load import load
from generator.model import Api, build
from generator.pipeline import generate
from generator.render import (
    _wrap,
    docstring,
    markdown_code,
    markdown_text,
    output_path,
    python_literal,
    render,
    toml_string,
)
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
    assert set(outputs) - per_item == {
        "README.md",
        "docs/index.html",
        "docs/index.md",
        "icws_api/__init__.py",
        "icws_api/client.py",
        "icws_api/errors.py",
        "icws_api/models.py",
        "icws_api/openapi.json",
        "icws_api/py.typed",
        "icws_api/server/__init__.py",
        "icws_api/server/__main__.py",
        "icws_api/session.py",
        "icws_api/testing.py",
        "pyproject.toml",
    }
    assert per_item <= set(outputs)


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


@pytest.mark.parametrize(
    ("mostly_kept", "help_from"),
    [(False, 0.0), (True, 0.0), (True, float("inf"))],
    ids=["helpers-at-once", "helpers-after-the-first-file", "alone"],
)
def test_forked_rendering_makes_what_one_process_makes(
    api: Api, monkeypatch: pytest.MonkeyPatch, mostly_kept: bool, help_from: float
) -> None:
    """Helpers forked at once, or once the first file is rendered and its formatter started
    (a helper must not wait for, and so take the output of, this process's formatters), or
    none: the same files."""
    alone = render(api, [TEMPLATES], workers=1, finish=format_module.start_formatting)
    monkeypatch.setattr(render_module, "PARALLEL_FROM_JOBS", 1)
    monkeypatch.setattr(render_module, "HELP_FROM", help_from)
    monkeypatch.setattr(format_module, "MAX_RUNNING", 1)
    forked = render(
        api,
        [TEMPLATES],
        workers=2,
        finish=format_module.start_formatting,
        finish_early=format_module.formats,
        mostly_kept=mostly_kept,
    )
    assert forked == alone


@pytest.mark.parametrize("text", HOSTILE)
def test_docstrings_hold_any_text(text: str) -> None:
    source = f'def f():\n    """{docstring(text, 4)}"""\n'
    parsed = ast.get_docstring(ast.parse(source).body[0], clean=False)  # type: ignore[arg-type]
    assert parsed is not None
    assert inspect.cleandoc(parsed) == inspect.cleandoc(text.replace("\r\n", "\n"))


def test_text_that_fits_is_wrapped_as_textwrap_would() -> None:
    """The shortcut for text that fits on its line gives what textwrap gives, whatever the
    whitespace (tabs and line breaks become spaces, Unicode spaces at the end go)."""
    pieces = [" ", "  ", "a", "word", "-", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0", "\u2028", "é"]
    generator = random.Random(9)
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 30)))
        width = generator.randint(1, 40)
        assert _wrap(text, width) == textwrap.wrap(text, width, break_long_words=False), text


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
    for path, text in outputs.items():
        if path.endswith(".py"):
            module = ast.parse(format_file(path, text))
            assert not any(
                isinstance(node, ast.Import) and node.names[0].name == "os"
                for node in ast.walk(module)
            )
    tomllib.loads(outputs["pyproject.toml"])


def test_python_is_formatted_in_blacks_style_and_nothing_else() -> None:
    assert format_file("a.py", "x  =  1\n") == "x = 1\n"
    assert format_file("a.md", "x  =  1\n") == "x  =  1\n"


def test_files_are_formatted_while_more_are_started(monkeypatch: pytest.MonkeyPatch) -> None:
    """More files than formatter processes may run at once: each still comes back formatted,
    and a large file (more than a pipe holds) does not stall its formatter."""
    monkeypatch.setattr(format_module, "MAX_RUNNING", 2)
    big = "".join(f"x{i}  =  {{ 'a' :{i} }}\n" for i in range(20_000))
    texts = {f"m{i}.py": f"y  =  {i}\n" for i in range(5)} | {"big.py": big, "notes.md": "a  b\n"}
    pending = {path: format_module.start_formatting(path, text) for path, text in texts.items()}
    formatted = {path: finished() for path, finished in pending.items()}
    assert formatted["m3.py"] == "y = 3\n"
    assert formatted["notes.md"] == "a  b\n"
    assert formatted["big.py"].splitlines()[19_999] == 'x19999 = {"a": 19999}'
    assert not format_module._running


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
    lines = format_module._parenthesize_long_unions(text).split("\n")
    assert lines[:2] == text.split("\n")[:2]
    assert lines[2] == f"        body: ({hint}) = None,"
    assert lines[3] == text.split("\n")[3]
    assert lines[4] == f"        last: ({hint}),"


def test_unparsable_output_is_a_template_bug() -> None:
    with pytest.raises(TemplateBug, match=r"broken\.py"):
        format_file("broken.py", "def (:\n")


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


def test_templates_compiled_at_setup_spare_a_first_run_compiling_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make`` compiles the templates as Python compiles modules at install: a first run on an
    empty cache folder reads them (however their folder is spelled); a template edited since is
    compiled afresh."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    monkeypatch.setattr(render_module, "COMPILED_AT_SETUP", tmp_path / "compiled")
    monkeypatch.chdir(tmp_path)
    render_module.compile_at_setup([Path("templates")])
    monkeypatch.setenv("ICWS_CODEGEN_CACHE", str(tmp_path / "empty-cache"))
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str, *rest: object) -> object:
        compiled.append(name)
        return original(self, source, name, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert render_module.uncompiled([templates]) == []
    render_module.compile_templates([templates])
    assert compiled == []
    edited = templates / "README.md.jinja"
    edited.write_text(edited.read_text() + "\n")
    assert render_module.uncompiled([templates]) == ["README.md.jinja"]
    render_module.compile_templates([templates], ["README.md.jinja"])
    assert compiled == ["README.md.jinja"]
    assert render_module.uncompiled([templates]) == []  # now in the cache folder
