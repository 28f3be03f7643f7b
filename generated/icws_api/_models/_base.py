# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""What every model derives from, and the markers their fields use."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    ValidationInfo,
    model_validator,
)
from pydantic_core import core_schema

__all__ = ["ApiModel", "ByValue", "ConstantsModel", "Integral", "NotNull"]


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("null is not allowed here; leave the field out instead")
    return value


NotNull: BeforeValidator = BeforeValidator(_refuse_null)
"""Marks an optional field whose value, when given, must not be null."""


def _integral(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Integral: BeforeValidator = BeforeValidator(_integral)
"""Marks an integer: a JSON number with no fractional part (``3.0``) is one, as in JSON Schema."""


class ByValue:
    """Mixed into every enumeration: it is validated as its values' type, then looked up by
    value, in Python as in JSON. So ``model_validate`` takes what ``json.loads`` or
    ``model_dump(mode="json")`` made, as ``model_validate_json`` takes the JSON, and stays as
    strict: a string is no integer, nor a boolean (which pydantic alone takes from JSON for
    ``1``). Its JSON Schema is the enumeration's."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Enum], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        members = handler(source)
        values = core_schema.int_schema() if issubclass(source, int) else core_schema.str_schema()
        return core_schema.chain_schema(
            [values, {**members, "strict": False}],
            metadata={"pydantic_js_functions": [lambda _, to_json_schema: to_json_schema(members)]},
        )


class ApiModel(BaseModel):
    """Base of every model: strict JSON types (no NaN), Python or wire names in, wire names out.

    A model's validator and serializer are built when it is first used (``defer_build``), not
    when its module is imported: a program pays only for the models it uses.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(
        strict=True,
        allow_inf_nan=False,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        defer_build=True,
    )


class ConstantsModel(ApiModel):
    """Base of the models with fields of one possible value, ``constants`` (Python name → wire
    name): a model made in Python has them without being told, and sends them; a JSON body must
    carry them. (Kept out of :class:`ApiModel`: the checks cost every other model's validation.)
    """

    constants: ClassVar[Mapping[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _constants_in_json(cls, data: Any, info: ValidationInfo) -> Any:
        if info.mode == "json" and isinstance(data, dict):
            for wire_name in cls.constants.values():
                if wire_name not in data:
                    raise ValueError(f"{wire_name}: Field required")
        return data

    def model_post_init(self, context: Any, /) -> None:
        self.__pydantic_fields_set__.update(self.constants)
