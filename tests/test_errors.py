"""The generated package's exceptions: one root named after the package, every one picklable and
copyable whole, and bad arguments named by where they are. Cases come from the model of the spec,
not from a list of its statuses."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from icws_api import errors
from pydantic import BaseModel, ValidationError

from generator.ir import naming
from generator.ir.build import build
from generator.spec.load import load
from tests.conftest import SPEC, generated_package

API = build(load(SPEC))
ROOT: type[Exception] = getattr(errors, API.root_error)
OPERATION = API.operations[0].name
EXCEPTIONS = [
    value
    for value in (getattr(errors, name) for name in errors.__all__)
    if isinstance(value, type) and issubclass(value, BaseException)
]


def _answer(error: Any) -> httpx.Response:
    """The answer a server sends for ``error``, as the client receives it."""
    headers = {**error.default_headers, "Content-Type": error.media_type}
    request = httpx.Request("GET", "http://127.0.0.1:1/")
    return httpx.Response(
        error.status_code, headers=headers, content=error.content(), request=request
    )


def _answered(status: int) -> Any:
    """The error the client raises for an answer of ``status``, made by the package's server
    side saying ``went wrong``."""
    return errors.error_from_response(_answer(errors.error_saying(status, "went wrong")))


class Arguments(BaseModel):
    campaign_id: str
    stages: list[int]


def _invalid_arguments() -> list[dict[str, Any]]:
    try:
        Arguments.model_validate({"stages": [1, "secret-value"]})
    except ValidationError as exc:
        return list(exc.errors())
    raise AssertionError("the arguments validated")


def _error_answers() -> list[Any]:
    documented = [_answered(error.status) for error in API.error_classes]
    undocumented = next(s for s in range(400, 600) if s not in errors.ERRORS_BY_STATUS)
    sample = documented[0]
    fields = {name: getattr(sample, name) for name in _error_fields()}
    return [
        *documented,
        errors.error_from_response(_answer(errors.error_saying(undocumented, "went wrong"))),
        errors.invalid_response(_answer(sample), "not the documented body"),
        errors.ApiError(
            **fields,
            status_code=sample.status_code,
            challenge=sample.challenge,
            response=sample.response,
        ),
    ]


def _error_fields() -> list[str]:
    return [f.name for f in API.error_model.fields] if API.error_model else ["message"]


def _client_errors() -> list[Exception]:
    return [
        ROOT("the root itself"),
        errors.ClientError("this call needs a session"),
        errors.InvalidArgumentError(OPERATION, _invalid_arguments()),
        errors.FeatureNotSupportedError(OPERATION, "feature", 2, None),
        errors.TransportError(f"{OPERATION}: ConnectError: refused"),
        errors.RequestTimeoutError(f"{OPERATION}: no answer in time"),
    ]


def _samples() -> list[Exception]:
    samples = [*_error_answers(), *_client_errors()]
    for sample in samples:
        sample.attempts = 3  # type: ignore[attr-defined]
    return samples


COPIES: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda error: pickle.loads(pickle.dumps(error)),
    "pickle-0": lambda error: pickle.loads(pickle.dumps(error, protocol=0)),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}


def test_the_root_is_named_after_the_package() -> None:
    assert ROOT.__name__ == API.root_error
    assert API.root_error.lower() == API.package.replace("_", "") + "error"


def test_every_exception_the_errors_module_exports_derives_from_the_root() -> None:
    assert ROOT in EXCEPTIONS
    assert all(issubclass(exception, ROOT) for exception in EXCEPTIONS)
    assert all(isinstance(exception.attempts, int) for exception in EXCEPTIONS)


def test_the_samples_hold_one_of_every_exception_the_errors_module_exports() -> None:
    assert {type(sample) for sample in _samples()} == set(EXCEPTIONS)


@pytest.mark.parametrize("how", COPIES)
def test_every_exception_pickles_and_copies_whole(how: str) -> None:
    for original in _samples():
        restored = COPIES[how](original)
        assert type(restored) is type(original)
        assert (str(restored), restored.args) == (str(original), original.args)
        assert restored.attempts == original.attempts == 3
        kept = {name: value for name, value in vars(original).items() if name != "response"}
        assert {name: value for name, value in vars(restored).items() if name != "response"} == kept
        assert getattr(restored, "detail", None) == getattr(original, "detail", None)


@pytest.mark.parametrize("how", COPIES)
def test_an_error_answer_keeps_its_status_challenge_fields_and_response(how: str) -> None:
    for original in _error_answers():
        restored = COPIES[how](original)
        assert restored.status_code == original.status_code
        assert restored.challenge == original.challenge
        for name in _error_fields():
            assert getattr(restored, name) == getattr(original, name)
        assert restored.response is not None and original.response is not None
        assert restored.response.status_code == original.response.status_code
        assert restored.response.content == original.response.content
        assert restored.response.request.url == original.response.request.url


def test_every_status_answered_with_a_challenge_keeps_it_through_pickling() -> None:
    challenged = {type(e).__name__: e for e in _error_answers() if e.challenge is not None}
    sent = {e.name for e in API.error_classes if dict(e.headers).get("WWW-Authenticate")}
    assert sent <= challenged.keys()
    for original in challenged.values():
        assert pickle.loads(pickle.dumps(original)).challenge == original.challenge


def test_an_invalid_argument_names_each_field_by_its_location_and_not_its_value() -> None:
    error = errors.InvalidArgumentError(OPERATION, _invalid_arguments())
    assert isinstance(error, ValueError) and isinstance(error, errors.ClientError)
    message = str(error)
    assert message.startswith(f"{OPERATION}: invalid arguments: ")
    assert "campaign_id: Field required" in message
    assert "stages[1]: " in message
    assert "secret-value" not in message
    assert [e["loc"] for e in error.errors] == [("campaign_id",), ("stages", 1)]
    assert all("url" not in e for e in error.errors)
    assert error.operation == OPERATION and error.attempts == 0


def test_one_invalid_argument_is_named_alone() -> None:
    try:
        Arguments.model_validate({"campaign_id": 7, "stages": []})
    except ValidationError as exc:
        error = errors.InvalidArgumentError(OPERATION, exc.errors(include_url=False))
    assert (
        str(error) == f"{OPERATION}: invalid argument: campaign_id: Input should be a valid string"
    )


def test_the_errors_docstring_shows_every_exception_once_in_its_tree() -> None:
    doc = errors.__doc__ or ""
    lines = [line.strip(" │├└─") for line in doc.splitlines() if ": " in line]
    named = [line.split(":")[0] for line in lines]
    for exception in EXCEPTIONS:
        assert named.count(exception.__name__) == 1, exception.__name__


COLLIDING_SPEC = """\
openapi: 3.0.3
info: {title: Not Found, version: 1.0.0}
x-error-schema: '#/components/schemas/NotFoundPackageError'
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200": {description: The things.}
        "404":
          description: No things.
          content:
            application/json: {schema: {$ref: '#/components/schemas/NotFoundPackageError'}}
components:
  schemas:
    NotFoundPackageError:
      type: object
      required: [message]
      properties:
        message: {type: string}
"""


def test_a_root_named_like_an_error_class_or_a_model_is_told_apart(tmp_path: Path) -> None:
    with generated_package(tmp_path, COLLIDING_SPEC, "not_found") as package:
        root = package.errors.NotFoundPackageError2
        assert root.__module__ == "not_found._root"
        assert issubclass(package.errors.NotFoundError, package.errors.ApiError)
        assert package.errors.NotFoundError.status == 404
        assert issubclass(package.models.NotFoundPackageError, BaseModel)
        exported = [getattr(package.errors, name) for name in package.errors.__all__]
        assert all(
            issubclass(e, root)
            for e in exported
            if isinstance(e, type) and issubclass(e, BaseException)
        )


def test_the_root_is_kept_clear_of_every_name_taken() -> None:
    assert naming.root_exception("icws_api", ()) == "IcwsApiError"
    assert naming.root_exception("api", ()) == "ApiPackageError"
    assert naming.root_exception("shop", ["ShopError"]) == "ShopPackageError"
    assert naming.root_exception("shop", ["ShopError", "ShopPackageError"]) == "ShopPackageError2"
