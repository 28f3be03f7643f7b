"""Made-up examples: every value ``made_up_example`` makes validates against its schema, and the
example a mock answers with is the spec's where it gives one."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from generator.ir.examples import answer_example, made_up_example
from generator.ir.patterns import matching

COMPONENTS: dict[str, Any] = {
    "Pet": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "name": {"type": "string"}},
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
    },
    "Cat": {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer"}}},
        ]
    },
    "Dog": {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "required": ["barks"], "properties": {"barks": {"type": "boolean"}}},
        ]
    },
    "Named": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string", "minLength": 3}},
    },
    "Aged": {
        "type": "object",
        "required": ["age"],
        "properties": {"age": {"type": "integer", "minimum": 18}},
    },
}
DOCUMENT: dict[str, Any] = {"openapi": "3.1.0", "components": {"schemas": COMPONENTS}}

SCHEMAS: dict[str, Any] = {
    "all of two objects": {
        "allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Aged"}]
    },
    "one of two objects": {"oneOf": [{"$ref": "#/components/schemas/Aged"}, {"type": "string"}]},
    "any of two types": {"anyOf": [{"type": "integer", "maximum": -5}, {"type": "string"}]},
    "nullable string": {"type": "string", "nullable": True, "minLength": 2},
    "type list": {"type": ["null", "integer"], "minimum": 7},
    "only null": {"type": ["null"]},
    "date": {"type": "string", "format": "date"},
    "date-time": {"type": "string", "format": "date-time"},
    "email": {"type": "string", "format": "email"},
    "uri": {"type": "string", "format": "uri"},
    "uuid": {"type": "string", "format": "uuid"},
    "ipv4": {"type": "string", "format": "ipv4"},
    "long string": {"type": "string", "minLength": 20},
    "short string": {"type": "string", "maxLength": 3},
    "exclusive minimum (3.1)": {"type": "integer", "exclusiveMinimum": 10},
    "exclusive minimum (3.0)": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
    "exclusive maximum (3.1)": {"type": "number", "exclusiveMaximum": 0},
    "multiple of": {"type": "integer", "minimum": 5, "multipleOf": 4},
    "min items": {"type": "array", "minItems": 3, "items": {"type": "string"}},
    "max items zero": {"type": "array", "maxItems": 0},
    "required of a composed schema": {
        "required": ["id"],
        "properties": {"id": {"type": "integer"}},
        "oneOf": [{"$ref": "#/components/schemas/Named"}],
    },
    "required without properties": {
        "type": "object",
        "required": ["extra"],
        "additionalProperties": {"type": "boolean"},
    },
    "additional properties": {
        "type": "object",
        "additionalProperties": {"$ref": "#/components/schemas/Aged"},
    },
    "closed object": {
        "type": "object",
        "additionalProperties": False,
        "required": ["a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
    },
    "discriminated one of": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
    },
    "constant": {"const": 3},
    "enumeration": {"enum": ["b", "a"]},
    "property in two parts": {
        "allOf": [
            {"properties": {"n": {"type": "integer", "minimum": 3}}, "required": ["n"]},
            {"properties": {"n": {"maximum": 4}}},
        ]
    },
}


def valid(schema: dict[str, Any], value: Any) -> None:
    """Fail unless ``value`` is valid for ``schema`` (OpenAPI 3.0's ``nullable`` and boolean
    ``exclusiveMinimum`` read as JSON Schema says them)."""
    resolved = {**schema, "components": DOCUMENT["components"]}
    if resolved.pop("nullable", False):
        resolved["type"] = [schema["type"], "null"]
    if schema.get("exclusiveMinimum") is True:
        resolved["exclusiveMinimum"] = resolved.pop("minimum")
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    jsonschema.Draft202012Validator(resolved, format_checker=checker).validate(value)


@pytest.mark.parametrize("name", SCHEMAS)
def test_a_made_up_example_validates_against_its_schema(name: str) -> None:
    schema = SCHEMAS[name]
    valid(schema, made_up_example(DOCUMENT, schema))


@pytest.mark.parametrize("name", COMPONENTS)
def test_a_made_up_example_of_a_referenced_schema_validates(name: str) -> None:
    reference = {"$ref": f"#/components/schemas/{name}"}
    valid(COMPONENTS[name], made_up_example(DOCUMENT, reference))


def test_a_discriminator_takes_the_mapping_key_of_the_option_else_its_name() -> None:
    cat = made_up_example(DOCUMENT, {"$ref": "#/components/schemas/Cat"})
    dog = made_up_example(DOCUMENT, {"$ref": "#/components/schemas/Dog"})
    assert (cat["kind"], dog["kind"]) == ("cat", "Dog")
    assert made_up_example(DOCUMENT, SCHEMAS["discriminated one of"])["kind"] == "cat"


def test_an_answer_example_is_the_media_types_then_the_first_of_its_examples_then_made_up() -> None:
    schema = {"$ref": "#/components/schemas/Aged"}
    assert answer_example(DOCUMENT, {"schema": schema, "example": {"age": 40}}) == '{"age":40}'
    examples = {"old": {"value": {"age": 90}}, "young": {"value": {"age": 20}}}
    assert answer_example(DOCUMENT, {"schema": schema, "examples": examples}) == '{"age":90}'
    assert json.loads(answer_example(DOCUMENT, {"schema": schema})) == {"age": 18}


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\d+\.\d{2}$",
        r"^[A-Z]{3}$",
        r"^(foo|bar)-[a-z0-9]+$",
        r"^[^@]+@[^@]+\.[a-z]{2,}$",
        r"^\w{2,}\s?$",
        r"^ISO-\d{4}(-\d{2})?$",
        r"x",
    ],
)
def test_a_made_up_string_matches_its_pattern(pattern: str) -> None:
    value = made_up_example({}, {"type": "string", "pattern": pattern})
    assert isinstance(value, str) and re.search(pattern, value)


def test_a_pattern_that_cannot_be_walked_leaves_the_made_up_string_as_it_was() -> None:
    assert matching(r"(?=a)b") is None
