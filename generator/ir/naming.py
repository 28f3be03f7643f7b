"""Naming: every Python name the generator writes is decided here, once and deterministically.

Spec names become ASCII words (accents dropped, camelCase and acronyms split), then are joined in
the style their place needs. A name that would be a keyword, or would shadow something the
generated module relies on, gets a suffix; a name with no ASCII letters gets one spelled from its
code points, so every name maps to a valid identifier. Two spec names that map to the same
identifier are a collision, which the model stage reports.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
"""A word: an acronym's plural (``APIs``), an acronym before a word (``HTTP`` of
``HTTPServer``), a capitalised or lower-case word, an acronym, or a number."""

RESERVED_CLASS_NAMES = frozenset(
    {name for name in dir(builtins) if name[:1].isupper()}
    | {"Annotated", "Any", "ApiModel", "BaseModel", "ConfigDict", "ConstantsModel", "Field"}
    | {"IntEnum", "Literal"}
    | {"StrEnum"}
    | {"AsyncResource", "Body", "Result", "Session", "SyncResource", "TypeAdapter"}
    | {"Call", "Endpoint", "Guard", "MockSession", "Mocks", "Request", "RequestContext"}
    | {"Response", "Route", "Sessions", "Starlette", "ValidationError"}
    | {"ABC", "RawResponse", "RequestOptions", "AsyncRawResource", "SyncRawResource"}
)
"""Class names the generated modules import or define themselves, and builtin classes."""

RESERVED_FIELD_NAMES = frozenset(
    {"construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw"}
    | {"schema", "schema_json", "update_forward_refs", "validate", "self"}
    | {"model_config", "model_fields", "model_computed_fields", "model_extra"}
    | {"model_fields_set", "model_construct", "model_copy", "model_dump", "model_dump_json"}
    | {"model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild"}
    | {"model_validate", "model_validate_json", "model_validate_strings"}
)
"""Attributes of pydantic's ``BaseModel`` that a field must not shadow, and ``self``."""


def words(name: str) -> list[str]:
    """``name`` split into lower-case ASCII words: ``ININ-ICWS-CSRF-Token`` → inin icws csrf token."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return [word.lower() for word in _WORD.findall(ascii_name)]


def _spelled(name: str) -> str:
    """A stand-in word for a name without ASCII letters or digits: its code points in hex."""
    return "_".join(f"u{ord(char):04x}" for char in name[:8]) or "unnamed"


def snake(name: str, *, prefix: str = "n") -> str:
    """snake_case identifier: ``callAttributes`` → ``call_attributes``, ``class`` → ``class_``."""
    result = "_".join(words(name)) or _spelled(name)
    if result[0].isdigit():
        result = f"{prefix}_{result}"
    if keyword.iskeyword(result) or keyword.issoftkeyword(result):
        result += "_"
    return result


def pascal(name: str) -> str:
    """PascalCase class name: ``updateStageParameters`` → ``UpdateStageParameters``."""
    result = "".join(word.capitalize() for word in words(name)) or _spelled(name).capitalize()
    if result[0].isdigit():
        result = "Model" + result
    if keyword.iskeyword(result) or result in RESERVED_CLASS_NAMES:
        result += "Model"
    return result


def constant(name: str) -> str:
    """UPPER_SNAKE_CASE enumeration member: ``Finishing`` → ``FINISHING``."""
    result = "_".join(words(name)).upper() or _spelled(name).upper()
    if result[0].isdigit():
        result = "VALUE_" + result
    if result.startswith("_"):
        result = "VALUE" + result
    if result in AMBIGUOUS:
        result += "_"
    return result


AMBIGUOUS = frozenset({"I", "O"})
"""Names linters refuse, as too like ``1`` and ``0`` (ruff's E741)."""


def enum_member(label: str | None, value: object) -> str:
    """The member name for an enumeration value, from its spec name when it has one."""
    if label:
        return constant(label)
    if isinstance(value, bool) or not isinstance(value, int):
        return constant(str(value))
    return f"VALUE_MINUS_{-value}" if value < 0 else f"VALUE_{value}"


def field(name: str) -> str:
    """A model field or keyword argument: snake_case, clear of pydantic's own attributes."""
    result = snake(name, prefix="field")
    if result.startswith("_"):
        result = "field" + result
    if result in RESERVED_FIELD_NAMES:
        result += "_"
    return result


RESERVED_CLIENT_ATTRIBUTES = frozenset(
    {"close", "connect", "features", "session", "with_options", "with_raw_response"}
)
"""Members of the generated clients that a tag's attribute must not shadow."""

DEFAULT_TAG = "default"
"""The tag of an operation that names none."""


def tag_attribute(tag: str) -> str:
    """The client attribute (and module) of a tag: ``User Accounts`` → ``user_accounts``."""
    result = snake(tag, prefix="tag")
    return result + "_" if result in RESERVED_CLIENT_ATTRIBUTES else result


def operation_id(method: str, path: str) -> str:
    """The operationId of an operation that has none, from its method and path:
    ``GET /pets/{petId}`` → ``get_pets_pet_id``."""
    return "_".join([method.lower(), *words(path)]) if words(path) else method.lower()


def exception(phrase: str) -> str:
    """An exception class for an HTTP status phrase: ``Bad Request`` → ``BadRequestError``."""
    name = pascal(phrase)
    return name if name.endswith("Error") else name + "Error"


EXCEPTION_CLASS_NAMES = frozenset(
    {"ApiError", "ApiErrorBase", "AuthChallenge", "Challenge", "ClientError"}
    | {"FeatureNotSupportedError", "InvalidArgumentError", "InvalidResponseError"}
    | {"RequestTimeoutError", "TransportError", "UnexpectedStatusError"}
)
"""The exception classes (and challenges) every package defines, whatever its spec."""


def root_exception(package: str, taken: Iterable[str]) -> str:
    """The root of a package's exceptions: ``icws_api`` → ``IcwsApiError``; kept clear of the
    package's other classes (``taken``), of the fixed exceptions and of builtins: ``api`` →
    ``ApiPackageError``, as ``ApiError`` is taken."""
    taken = set(taken) | EXCEPTION_CLASS_NAMES | RESERVED_CLASS_NAMES
    stem = "".join(word.capitalize() for word in words(package)) or "Package"
    if f"{stem}Error" not in taken:
        return f"{stem}Error"
    name, count = f"{stem}PackageError", 1
    while name in taken:
        count += 1
        name = numbered(f"{stem}PackageError", count)
    return name


def distribution(title: str) -> str:
    """The pip distribution name for an API title: ``ICWS API`` → ``icws-api``."""
    return "-".join(words(title)) or "api"


def package(title: str) -> str:
    """The import package for an API title: ``ICWS API`` → ``icws_api``."""
    return snake(title, prefix="api")


def unique(names: Iterable[str]) -> list[str]:
    """``names`` in order, each repeat suffixed ``_2``, ``_3``... to tell it from the others."""
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, count = name, 1
        while candidate in seen:
            count += 1
            candidate = f"{name}_{count}"
        seen.add(candidate)
        result.append(candidate)
    return result


def export_order(names: Iterable[str]) -> list[str]:
    """``names`` as ``__all__`` lists them (ruff's RUF022): constants, then classes, then the
    rest; naturally, upper case before lower."""
    return sorted(names, key=lambda name: (_kind(name), _natural(name)))


def import_order(names: Iterable[str]) -> list[str]:
    """``names`` as an import lists them (isort, as ruff's I001 checks it): constants, then
    classes, then the rest; naturally, whatever the case."""
    return sorted(names, key=lambda name: (_kind(name), _natural(name.lower()), _natural(name)))


def _kind(name: str) -> int:
    return 0 if name.isupper() else 1 if name[:1].isupper() else 2


def _natural(name: str) -> list[tuple[int, int | str]]:
    return [(1, int(part)) if part.isdigit() else (0, part) for part in re.split(r"(\d+)", name)]


def body_class(operation_id: str) -> str:
    """The class of an operation's untitled inline request body: ``addPet`` → ``AddPetBody``."""
    return pascal(f"{operation_id} Body")


def response_class(operation_id: str, status: str | None) -> str:
    """The class of an operation's untitled inline response body: ``getPet`` → ``GetPetResponse``;
    with the status where the operation has several: ``GetPetResponse404``."""
    return pascal(f"{operation_id} Response {status or ''}")


def property_class(model: str, prop: str) -> str:
    """The class of a model's untitled inline property (or of its items, or its values):
    ``Metrics.thisWeek`` → ``MetricsThisWeek``."""
    return pascal(f"{model} {prop}")


def option_class(name: str, index: int) -> str:
    """The class of the ``index``-th (from 0) untitled inline option of a union that would be
    called ``name``: ``PetOption1``."""
    return pascal(f"{name} Option {index + 1}")


def item_class(alias: str) -> str:
    """The class of the untitled inline items (or values) of a named array (or map):
    ``Books`` → ``BooksItem``."""
    return pascal(f"{alias} Item")


def numbered(name: str, count: int) -> str:
    """``name`` told apart from a class that has it already: ``AddPetBody2``."""
    return f"{name}{count}"
