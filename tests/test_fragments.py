"""Fragments: macro output kept across runs, keyed by everything it can depend on."""

from __future__ import annotations

import dataclasses
import shutil
import typing
from pathlib import Path

import jinja2
import pytest

from generator import model
from generator.fragments import Fragments, content
from generator.load import load
from generator.model import build
from generator.render import render
from generator.store import Store
from tests.conftest import ROOT, SPEC, TEMPLATES

PLAIN = {str, int, float, bool, type(None)}


def _allowed(hint: object) -> bool:
    """Whether a field of this type holds only plain values, tuples and model values."""
    origin = typing.get_origin(hint)
    if origin in (tuple, typing.Union, type(int | None)):
        return all(_allowed(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)
    return hint in PLAIN or hint in model.VALUES


@pytest.mark.parametrize("cls", model.VALUES, ids=lambda cls: cls.__name__)
def test_a_model_value_holds_only_plain_values_tuples_and_model_values(cls: type) -> None:
    """The key of a fragment is the digest of its arguments' fields: every field of every class
    that may key one is plain, a tuple, or such a class again, so the digest holds it all."""
    hints = typing.get_type_hints(cls, vars(model))
    for field in dataclasses.fields(cls):
        assert _allowed(hints[field.name]), f"{cls.__name__}.{field.name}: {hints[field.name]}"
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_every_frozen_model_class_but_the_api_keys_fragments() -> None:
    classes = {
        value
        for value in vars(model).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == model.__name__
        and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
    }
    assert classes - set(model.VALUES) == {model.Api, model.PublishedSpec}


def test_content_is_the_repr_and_refuses_what_could_hide_something() -> None:
    api = build(load(SPEC))
    operation = api.operations[0]
    assert content(("x", 1, None)) == "('x', 1, None,)"
    assert content(operation) == content(dataclasses.replace(operation))
    assert content(operation) != content(dataclasses.replace(operation, summary="other"))
    for bad in (api, api.published, object(), ["a list"], {"a": "dict"}):
        with pytest.raises(TypeError, match="cannot key a fragment"):
            content(bad)


def _environment(fragments: Fragments) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "m.jinja": "{% macro f(x) %}[{{ x }}]{% endmacro %}",
                "api.jinja": "{% macro f(x) %}[{{ x }}{{ api }}]{% endmacro %}",
                "pure.jinja": "{% import 'm.jinja' as m %}{{ cached(m.f, 'a') }}",
                "own.jinja": "{% macro g(x) %}{{ api }}{% endmacro %}{{ cached(g, 'a') }}",
                "with.jinja": "{% import 'api.jinja' as m with context %}{{ cached(m.f, 'a') }}",
            }
        ),
        undefined=jinja2.StrictUndefined,
    )
    env.globals["cached"] = fragments.cached
    return env


@pytest.mark.parametrize("fragments", [Fragments(), Fragments(Store(Path("unused"), b"salt"))])
def test_only_a_macro_that_sees_nothing_but_its_arguments_is_cached(fragments: Fragments) -> None:
    fragments.store.old = {}
    env = _environment(fragments)
    assert env.get_template("pure.jinja").render(api="A") == "[a]"
    for name in ("own.jinja", "with.jinja"):
        with pytest.raises(TypeError, match="imported without context"):
            env.get_template(name).render(api="A")


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the spec, and a cache folder of its own."""
    monkeypatch.setenv("ICWS_CODEGEN_CACHE", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path / "spec" / "openapi.yaml"


def _found(fragments: Fragments) -> set[bytes]:
    """The keys of the fragments a render took from the store."""
    return fragments.store.used - fragments.store.made.keys()


def test_fragments_are_kept_from_the_second_run_and_used_when_nothing_they_hold_changed(
    spec: Path,
) -> None:
    api = build(load(spec))
    first = Fragments.of(spec, [TEMPLATES])
    assert not first.store.active  # a first run keeps nothing
    afresh = render(api, [TEMPLATES], fragments=first)

    second = Fragments.of(spec, [TEMPLATES])
    assert render(api, [TEMPLATES], fragments=second) == afresh
    assert second.store.made and not _found(second)

    third = Fragments.of(spec, [TEMPLATES])
    assert render(build(load(spec)), [TEMPLATES], fragments=third) == afresh
    assert not third.store.made and _found(third) == set(second.store.made)

    path_file = spec.parent / "paths" / "dialer" / "update-stage.yaml"
    path_file.write_text(path_file.read_text().replace("summary: ", "summary: Edited. ", 1))
    edited = build(load(spec))
    fourth = Fragments.of(spec, [TEMPLATES])
    assert render(edited, [TEMPLATES], fragments=fourth) == render(edited, [TEMPLATES])
    assert fourth.store.made, "the edited endpoint's fragments (and its tag's) are made again"
    assert len(fourth.store.made) < len(_found(third)) / 2, "the other fragments are not"
    assert _found(fourth), "they come from the store"
    assert any("Edited." in text for text, _ in fourth.store.made.values())
    made = [text for text, _ in fourth.store.made.values()]
    (tag,) = [tag for tag in edited.tags if any("Edited." in op.summary for op in tag.operations)]
    for neighbour in (op for op in tag.operations if "Edited." not in op.summary):
        own = (
            f'<section id="{neighbour.slug}"',
            f"def _{neighbour.name}(",
            f"# `{neighbour.method} {neighbour.path}`",
        )
        remade = [text for text in made if text.startswith(own)]
        assert not remade, "a neighbour's own fragments are kept (they take the tag's names)"


def test_a_store_that_cannot_be_read_is_a_cold_start(spec: Path) -> None:
    api = build(load(spec))
    Fragments.of(spec, [TEMPLATES])
    fragments = Fragments.of(spec, [TEMPLATES])
    assert fragments.store.file is not None
    fragments.store.file.write_bytes(b"not a pickle")
    assert render(api, [TEMPLATES], fragments=fragments) == render(api, [TEMPLATES])
    assert fragments.store.made and not _found(fragments)


def test_a_changed_template_changes_every_key(spec: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    Fragments.of(spec, [templates])
    before = Fragments.of(spec, [templates])
    macros = templates / "_macros" / "docs.jinja"
    macros.write_text(macros.read_text() + "\n{# a comment #}\n")
    after = Fragments.of(spec, [templates])
    assert before.store.salt != after.store.salt


def _model_values(api: model.Api) -> list[object]:
    """Every model object of ``api``, parents before their parts."""
    found: list[object] = []
    stack: list[object] = [*api.tags, *api.all_models, api.examples]
    while stack:
        value = stack.pop()
        if isinstance(value, tuple):
            stack.extend(value)
        elif type(value) in model.VALUES:
            found.append(value)
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))  # type: ignore[arg-type]
    return found


def test_a_digest_is_the_same_whichever_part_is_digested_first() -> None:
    """Digests are kept per object, a parent's made from its parts': the same whether the parts
    were digested before (bottom up) or while digesting the parent (top down)."""
    top_down = _model_values(build(load(SPEC)))
    bottom_up = _model_values(build(load(SPEC)))
    assert len(top_down) > 100
    first = [model.digest(value) for value in top_down]
    second = [model.digest(value) for value in reversed(bottom_up)][::-1]
    assert first == second


def test_a_digest_changes_with_any_field_at_any_depth() -> None:
    api = build(load(SPEC))
    for value in _model_values(api):
        for f in dataclasses.fields(value):  # type: ignore[arg-type]
            old = getattr(value, f.name)
            if isinstance(old, str):
                changed = dataclasses.replace(value, **{f.name: old + "x"})  # type: ignore[type-var]
                assert model.digest(changed) != model.digest(value), f"{value!r}.{f.name}"
    tag = api.tags[0]
    first = dataclasses.replace(tag.operations[0], summary=tag.operations[0].summary + " ")
    changed_tag = dataclasses.replace(tag, operations=(first, *tag.operations[1:]))
    assert model.digest(changed_tag) != model.digest(tag)
    # a text that looks like a digest is still text
    operation = tag.operations[0]
    assert model.digest(dataclasses.replace(operation, summary="#" + model.digest(operation))) != (
        model.digest(operation)
    )
