"""Every model of the generated package takes wire data in both modes (``model_validate_json`` of
the JSON, ``model_validate`` of what ``json.loads`` made), strict about JSON types in both, and
keeps its secret fields out of ``repr`` and ``str``. The cases come from the spec: each model's
properties, their examples (the spec's or made up), and the properties it marks secret."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from icws_api import models
from pydantic import ConfigDict, TypeAdapter, ValidationError

from generator.ir.examples import made_up_example
from generator.ir.schemas import register
from generator.ir.shapes import property_sites
from generator.spec.load import load
from generator.spec.openapi import deref, ref_target
from tests.conftest import SPEC

SCHEMAS, _ = register(load(SPEC))
DOCUMENT = SCHEMAS.index.document
SCHEMAS_POINTERS = {entry.pointer for entry in SCHEMAS.named.values()}
CLASSES = {
    name: getattr(models, name) for name in SCHEMAS.named if SCHEMAS.object_model(name) is not None
}
ENUMS = [
    kind for kind in map(models.__getattr__, models.__all__) if isinstance(kind, enum.EnumMeta)
]


def properties(name: str) -> dict[str, dict[str, Any]]:
    """The properties of a model's schema (those of every ``allOf`` part), by wire name."""
    schema = SCHEMAS.schema_of[name]
    sites = property_sites(DOCUMENT, schema, SCHEMAS.named[name].pointer)
    return {prop: raw for prop, raw, _ in sites}


def full_example(name: str) -> dict[str, Any]:
    """A body of the model with every property set to its example, made up where the spec
    gives none."""
    return {prop: made_up_example(DOCUMENT, raw) for prop, raw in properties(name).items()}


def is_secret(raw: dict[str, Any]) -> bool:
    """Whether the spec marks a property secret: ``format: password``, ``writeOnly``, ``x-secret``."""
    schema = deref(DOCUMENT, raw)
    return (
        schema.get("format") == "password"
        or schema.get("writeOnly") is True
        or schema.get("x-secret") is True
    )


def wrong_json_types(value: Any) -> list[Any]:
    """JSON values of another type than ``value`` a strict reader must refuse in its place."""
    if isinstance(value, bool):
        return [int(value), json.dumps(value)]
    if isinstance(value, int):
        return [str(value), True, False]
    if isinstance(value, str):
        return [len(value)]
    return []


@pytest.mark.parametrize("name", CLASSES)
def test_each_models_example_round_trips_through_python_dicts(name: str) -> None:
    model = CLASSES[name]
    wire = json.dumps(full_example(name))
    from_json = model.model_validate_json(wire)
    from_dict = model.model_validate(json.loads(wire))
    assert from_dict == from_json
    # The wire form leaves unset fields out: a null is refused where the spec allows none.
    sent = from_json.model_dump(mode="json", exclude_unset=True)
    assert model.model_validate(sent) == from_json
    assert from_dict.model_dump(mode="json", exclude_unset=True) == json.loads(wire)


def schemas_of_properties() -> list[dict[str, Any]]:
    return [deref(DOCUMENT, raw) for name in CLASSES for raw in properties(name).values()]


def test_the_round_trips_cover_enumerations_lists_of_models_and_constants() -> None:
    found = schemas_of_properties()
    assert any("enum" in schema for schema in found)
    assert any(ref_target(schema.get("items")) in SCHEMAS_POINTERS for schema in found)
    assert any("const" in schema for schema in found)


STRICT_CASES = [
    (name, prop, wrong)
    for name in CLASSES
    for prop, value in full_example(name).items()
    for wrong in wrong_json_types(value)
]


@pytest.mark.parametrize(("name", "prop", "wrong"), STRICT_CASES)
def test_a_value_of_another_json_type_is_refused_in_both_modes(
    name: str, prop: str, wrong: Any
) -> None:
    model = CLASSES[name]
    body = {**full_example(name), prop: wrong}
    with pytest.raises(ValidationError) as from_json:
        model.model_validate_json(json.dumps(body))
    with pytest.raises(ValidationError) as from_dict:
        model.model_validate(body)
    for caught in (from_json, from_dict):
        assert {error["loc"][0] for error in caught.value.errors()} == {prop}


def test_strictness_is_checked_for_integers_strings_and_enumerations() -> None:
    checked = {(name, prop) for name, prop, _ in STRICT_CASES}
    kinds = {type(full_example(name)[prop]) for name, prop in checked}
    assert {int, str} <= kinds
    assert any("enum" in deref(DOCUMENT, properties(name)[prop]) for name, prop in checked)


@pytest.mark.parametrize("kind", ENUMS, ids=lambda kind: kind.__name__)
def test_an_enumeration_is_read_by_value_from_python_as_from_json(kind: type[enum.Enum]) -> None:
    """As the client's ``Result`` types read it: strict, a list of it."""
    adapter = TypeAdapter(list[kind], config=ConfigDict(strict=True))
    values = [member.value for member in kind]
    assert (
        adapter.validate_python(values) == adapter.validate_json(json.dumps(values)) == list(kind)
    )
    for wrong in {w for v in values for w in wrong_json_types(v)} - set(values):
        with pytest.raises(ValidationError):
            adapter.validate_python([wrong])
        with pytest.raises(ValidationError):
            adapter.validate_json(json.dumps([wrong]))


SECRETS = {
    name: [prop for prop, raw in properties(name).items() if is_secret(raw)] for name in CLASSES
}
WITH_SECRETS = [name for name, props in SECRETS.items() if props]


def test_the_spec_marks_secrets() -> None:
    assert WITH_SECRETS


@pytest.mark.parametrize("name", WITH_SECRETS)
def test_a_secret_field_is_sent_but_never_shown(name: str) -> None:
    body = full_example(name)
    hidden = {prop: f"hidden-{prop}-value" for prop in SECRETS[name]}
    model = CLASSES[name].model_validate({**body, **hidden})
    for value in hidden.values():
        assert value not in repr(model)
        assert value not in str(model)
        assert value in model.model_dump_json()
    assert model.model_dump(mode="json", exclude_unset=True) == {**body, **hidden}
