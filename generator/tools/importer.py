"""Import: an ICWS documentation page (plain text, as scraped) becomes one endpoint spec file.

The page is read line by line into its sections (method and path, description, feature version,
parameters, representations, responses); each table row is a name line followed by a type line.
What the page cannot tell, such as a property name the scrape dropped, is never guessed: it is a
diagnostic with the page line, and comes from ``--name`` or the annotations file instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Location, error, warning
from generator.ir import naming

METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")
SCALARS: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "Guid": {"type": "string"},
    "Uri": {"type": "string", "format": "uri"},
    "DateTime": {"type": "string", "x-icws-type": "DateTime"},
    "Int": {"type": "integer", "format": "int32"},
    "Long": {"type": "integer", "format": "int64"},
    "Float": {"type": "number"},
    "Double": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "Duration": {"type": "number", "description": "seconds"},
}
LIST = re.compile(r"^List \[(?P<bound>[^\]]*)\]: (?P<item>.+)$")
STATUS = re.compile(r"^(?P<status>\d{3}) - (?P<phrase>.+)$")
NAME = re.compile(r"^(?:[A-Za-z_][\w]*|\[key\]|\[value\])$")
URN = re.compile(r'^"(urn:[^"]+)"$')
SECTION_ENDS = {"Response", "Representations", "Associated Message"}
SHARED = "../../components"
COMPLETE_LAST_LINE = "A message that describes the current error."
"""How a whole page ends: the last row of its last error table (the pages were cut at 2,000 bytes)."""


@dataclass
class Line:
    number: int
    text: str


@dataclass
class Row:
    """One table row: a property (or parameter) with its type, flags and comment."""

    line: int
    name: str
    type: str
    required: bool = False
    comment: list[str] = field(default_factory=list)
    feature: tuple[str, int] | None = None


@dataclass
class Imported:
    path: str
    method: str
    document: dict[str, Any]
    diagnostics: list[Diagnostic]
    representation: str | None


def import_page(
    page: Path, names: dict[str, str], operation_id: str | None = None, tag: str | None = None
) -> Imported:
    """Read ``page``; ``names`` gives dropped property names (``representation/index`` → name)."""
    reader = _Reader(page, names)
    return reader.read(operation_id, tag)


class _Reader:
    def __init__(self, page: Path, names: dict[str, str]) -> None:
        self.page = page
        self.names = names
        self.diagnostics: list[Diagnostic] = []
        try:
            text = page.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            text = ""
            self._error(1, "page-unreadable", f"cannot read the page: {exc}")
        self.lines = [
            Line(i + 1, raw.strip()) for i, raw in enumerate(text.splitlines()) if raw.strip()
        ]
        self.lines = [line for line in self.lines if not line.text.startswith("# source:")]
        self.position = 0
        self.ended_early = False

    # --- the page, section by section ------------------------------------------------------

    def read(self, operation_id: str | None, tag: str | None) -> Imported:
        method_at = next((i for i, line in enumerate(self.lines) if line.text in METHODS), None)
        if (
            method_at is None
            or method_at + 1 >= len(self.lines)
            or not self.lines[method_at + 1].text.startswith("/")
        ):
            self._error(
                1,
                "page-not-icws",
                "this is not an ICWS endpoint page: no method followed by a path",
            )
            return Imported("", "", {}, self.diagnostics, None)
        method = self.lines[method_at].text.lower()
        path = self.lines[method_at + 1].text
        self.position = method_at + 2
        description = self._until({"Feature Version", "Request"})
        feature = self._feature()
        literal = [s for s in path.split("/") if s and "{" not in s and s != "icws"]
        tag = tag or (literal[0] if literal else "default")
        operation_id = operation_id or _operation_id(method, literal)
        operation: dict[str, Any] = {"operationId": operation_id, "tags": [tag]}
        operation["summary"] = description[0] if description else f"{method.upper()} {path}"
        if len(description) > 1:
            operation["description"] = " ".join(description)
        if feature:
            operation["x-feature"] = {"name": feature[0], "version": feature[1]}
        path_parameters, parameters, has_session = self._parameters()
        if not has_session:
            operation["security"] = []
        if parameters:
            operation["parameters"] = parameters
        representation = None
        if self._at("Representations"):
            self.position += 1
            representation, schema = self._representation()
            if schema is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/json": {"schema": schema},
                        "application/vnd.inin.icws+json": {"schema": schema},
                    },
                }
        operation["responses"] = self._responses()
        if self.lines and self.lines[-1].text != COMPLETE_LAST_LINE:
            self.ended_early = True
        if self.ended_early:
            last = self.lines[-1].number if self.lines else 1
            self._error(
                last,
                "page-cut",
                "the page ends early (it was cut when collected); what was read is used",
            )
        item: dict[str, Any] = {}
        if path_parameters:
            item["parameters"] = path_parameters
        item[method] = operation
        return Imported(path, method, item, self.diagnostics, representation)

    def _feature(self) -> tuple[str, int] | None:
        if not self._at("Feature Version"):
            return None
        self.position += 1
        match = re.match(r"^(\w+) (\d+)$", self._text())
        self.position += 1
        return (match.group(1), int(match.group(2))) if match else None

    def _parameters(self) -> tuple[list[Any], list[Any], bool]:
        """Path parameters (for the path item), the operation's other ones, and whether it has a session."""
        path_parameters: list[Any] = []
        parameters: list[Any] = []
        has_session = False
        if not self._skip_to({"Parameters", "This request has no parameters."}, stop=SECTION_ENDS):
            return path_parameters, parameters, has_session
        if self._text() == "This request has no parameters.":
            self.position += 1
            return path_parameters, parameters, has_session
        self.position += 1
        while self._text() in ("Type", "Name", "Comments"):
            self.position += 1
        while self._text() in ("Header", "Template", "Query"):
            kind = self._text()
            self.position += 1
            name = self._text()
            self.position += 1
            required = self._flag("Required")
            comment = self._until({"Header", "Template", "Query", "Feature Version"} | SECTION_ENDS)
            feature = self._feature()
            if kind == "Header" and name in ("ININ-ICWS-CSRF-Token", "Cookie"):
                has_session = True
                continue
            if kind == "Template" and name == "sessionId":
                path_parameters.append({"$ref": f"{SHARED}/parameters.yaml#/sessionId"})
                has_session = True
                continue
            parameter: dict[str, Any] = {
                "name": name,
                "in": {"Header": "header", "Template": "path", "Query": "query"}[kind],
                "required": required or kind == "Template",
                "description": " ".join(
                    c for c in comment if not c.startswith(("Default value", "Example:"))
                ),
                "schema": {"type": "string"},
            }
            for text in comment:
                if text.startswith("Default value"):
                    parameter["schema"]["default"] = text.split(":", 1)[-1].strip()
                if text.startswith("Example:"):
                    parameter["example"] = text.split(":", 1)[1].strip().split("=", 1)[-1]
            if feature:
                parameter["x-feature"] = {"name": feature[0], "version": feature[1]}
            (path_parameters if kind == "Template" else parameters).append(parameter)
        return path_parameters, parameters, has_session

    def _representation(self) -> tuple[str | None, dict[str, Any] | None]:
        """The representation at the cursor: its name and its schema."""
        if self.position >= len(self.lines):
            self.ended_early = True
            return None, None
        name = self._text()
        self.position += 1
        while self._text() in ("Property", "Value", "Comments"):
            self.position += 1
        rows = self._rows()
        starts = [i for i, row in enumerate(rows) if row.name == "__type" and URN.match(row.type)]
        if len(starts) < 2:
            return name, self._schema(name, rows)
        # "Multiple options": each option starts at its __type row and is titled by its URN.
        options = []
        for begin, end in zip(starts, [*starts[1:], len(rows)], strict=True):
            urn = URN.match(rows[begin].type)
            title = urn.group(1).rsplit(":", 1)[-1] if urn else f"{name}{begin}"
            options.append(self._schema(title, rows[begin:end]))
        return name, {"title": name, "oneOf": options}

    def _rows(self) -> list[Row]:
        rows: list[Row] = []
        while self.position < len(self.lines):
            text = self._text()
            if text in SECTION_ENDS or STATUS.match(text) or text == "Response":
                break
            if text == "Multiple options:":
                self.position += 1
                continue
            nxt = self._text(1)
            if NAME.match(text) and nxt is not None and _is_type(nxt):
                row = Row(self._line(), text, nxt)
                self.position += 2
                row.required = self._flag("Required")
                row.comment = self._until({"Feature Version", "Response"} | SECTION_ENDS, rows=True)
                row.feature = self._feature()
                rows.append(row)
            else:
                self.position += 1
        if self.position >= len(self.lines):
            self.ended_early = True
        return rows

    def _schema(self, representation: str, rows: list[Row]) -> dict[str, Any]:
        """Rows as an object schema: ``[key]``/``[value]`` pairs and value runs are named properties."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        index = 0
        position = 0
        while index < len(rows):
            row = rows[index]
            if row.name == "[key]":
                value = (
                    rows[index + 1]
                    if index + 1 < len(rows) and rows[index + 1].name == "[value]"
                    else None
                )
                schema = {
                    "type": "object",
                    "additionalProperties": _scalar(value.type if value else "String"),
                }
                name, is_required = self._dropped(
                    representation, position, row.line, "a dictionary"
                )
                properties[name] = schema
                required += [name] if is_required else []
                index += 2 if value else 1
                position += 1
                continue
            if re.match(r"^-?\d+$", row.type):
                members = []
                while index < len(rows) and re.match(r"^-?\d+$", rows[index].type):
                    members.append(rows[index])
                    index += 1
                name, is_required = self._dropped(
                    representation, position, row.line, "an enumeration"
                )
                properties[name] = {
                    "title": name,
                    "type": "integer",
                    "format": "int32",
                    "enum": [int(m.type) for m in members],
                    "x-enum-varnames": [m.name for m in members],
                    "x-enum-descriptions": [" ".join(m.comment) for m in members],
                }
                required += [name] if is_required else []
                position += 1
                continue
            schema = _scalar(row.type)
            urn = URN.match(row.type)
            if urn:
                schema = {"const": urn.group(1)}
            if row.comment:
                schema["description"] = " ".join(row.comment)
            if row.feature:
                schema["x-feature"] = {"name": row.feature[0], "version": row.feature[1]}
            if "x-unknown" in schema:
                self._warning(
                    row.line,
                    "import-type",
                    f"{row.name}: the type {row.type!r} is a representation the page does not describe here; it is imported as an object",
                )
                del schema["x-unknown"]
            properties[row.name] = schema
            if row.required:
                required.append(row.name)
            index += 1
            position += 1
        schema = {"title": representation, "type": "object"}
        if required:
            schema["required"] = required
        schema["properties"] = properties
        return schema

    def _dropped(
        self, representation: str, position: int, line: int, what: str
    ) -> tuple[str, bool]:
        """The name of a property whose row the scrape dropped: given, or a diagnostic."""
        key = f"{representation}/{position}"
        given = self.names.get(key)
        if given:
            return given.rstrip("!"), given.endswith("!")
        self._error(
            line,
            "import-name",
            f"the scrape dropped the name of {what} property of {representation}; give it with "
            f"--name {key}=NAME (end NAME with ! if the property is required)",
        )
        return f"unnamed{position}", False

    def _responses(self) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        if not self._skip_to({"Response"}):
            self.ended_early = True
            return responses
        self.position += 1
        while self.position < len(self.lines):
            match = STATUS.match(self._text())
            if not match:
                self.position += 1
                continue
            status = match.group("status")
            self.position += 1
            description = self._until({"error", "Parameters", "Associated Message"})
            response: dict[str, Any] = {
                "description": " ".join(description) or match.group("phrase")
            }
            body = None
            while self.position < len(self.lines) and not STATUS.match(self._text()):
                text = self._text()
                if (
                    text == "Associated Message"
                ):  # a later message on the messaging channel, not the body
                    self._skip_to_status()
                    break
                if text == "error" and status[0] in "45":
                    body = "error"
                    self._skip_to_status()
                    break
                if text == "Parameters":
                    self._skip_to_status(stop={"error"})
                    response.setdefault("headers", {})["WWW-Authenticate"] = {
                        "$ref": f"{SHARED}/headers.yaml#/WWW-Authenticate"
                    }
                    continue
                name, schema = self._representation()
                if schema is not None and name:
                    response["content"] = {"application/vnd.inin.icws+json": {"schema": schema}}
                break
            responses[status] = self._shared(status, response, body)
        return responses

    def _shared(self, status: str, response: dict[str, Any], body: str | None) -> dict[str, Any]:
        """An error response as a reference to the shared one (its wording kept where it differs)."""
        shared = {
            "400": "BadRequest",
            "401": "Unauthorized",
            "403": "Forbidden",
            "404": "NotFound",
            "410": "Gone",
            "500": "InternalServerError",
        }
        if body == "error" and status in shared:
            return {
                "$ref": f"{SHARED}/responses.yaml#/{shared[status]}",
                "description": response["description"],
            }
        return response

    # --- the cursor -------------------------------------------------------------------------

    def _text(self, ahead: int = 0) -> str:
        index = self.position + ahead
        return self.lines[index].text if index < len(self.lines) else ""

    def _line(self) -> int:
        return self.lines[min(self.position, len(self.lines) - 1)].number if self.lines else 1

    def _at(self, text: str) -> bool:
        return self._text() == text

    def _flag(self, text: str) -> bool:
        if self._at(text):
            self.position += 1
            return True
        return False

    def _until(self, stops: set[str], rows: bool = False) -> list[str]:
        """Lines up to the next of ``stops`` (or the next table row, or status line)."""
        taken = []
        while self.position < len(self.lines):
            text = self._text()
            if text in stops or STATUS.match(text) or self._text(1) == "Property":
                break
            if rows and NAME.match(text) and _is_type(self._text(1)):
                break
            if text in ("Header", "Template", "Query") and self._text(1) and not rows:
                break
            taken.append(text)
            self.position += 1
        return taken

    def _skip_to(self, targets: set[str], stop: set[str] | None = None) -> bool:
        while self.position < len(self.lines):
            if self._text() in targets:
                return True
            if stop and self._text() in stop:
                return False
            self.position += 1
        return False

    def _skip_to_status(self, stop: set[str] | None = None) -> None:
        self.position += 1
        while self.position < len(self.lines) and not STATUS.match(self._text()):
            if stop and self._text() in stop:
                return
            self.position += 1

    def _error(self, line: int, rule: str, message: str) -> None:
        self.diagnostics.append(error(rule, message, Location(self.page, line)))

    def _warning(self, line: int, rule: str, message: str) -> None:
        self.diagnostics.append(warning(rule, message, Location(self.page, line)))


def _is_type(text: str | None) -> bool:
    if not text:
        return False
    return (
        text in SCALARS
        or bool(LIST.match(text) or URN.match(text) or re.match(r"^-?\d+$", text))
        or bool(re.match(r"^[a-z][A-Za-z0-9]*$", text) and text not in ("error",))
    )


def _scalar(type_text: str) -> dict[str, Any]:
    if type_text in SCALARS:
        return dict(SCALARS[type_text])
    listed = LIST.match(type_text)
    if listed:
        schema: dict[str, Any] = {"type": "array", "items": _scalar(listed.group("item"))}
        if listed.group("bound").startswith("1"):
            schema["minItems"] = 1
        schema["items"].pop("x-unknown", None)
        return schema
    return {"type": "object", "x-unknown": True}


def _operation_id(method: str, literal: list[str]) -> str:
    words = naming.words(literal[-1] if literal else "operation")
    camel = words[0] + "".join(w.capitalize() for w in words[1:]) if words else "operation"
    if method == "post":
        return camel
    verb = {"get": "get", "put": "put", "delete": "delete", "patch": "patch"}.get(method, method)
    return verb + camel[:1].upper() + camel[1:]


def dropped_names(path: Path, page: str) -> dict[str, str]:
    """The names the annotations file gives for ``page`` (none when there is no file)."""
    if not path.is_file():
        return {}
    listed = (yaml.safe_load(path.read_text("utf-8")) or {}).get(page) or {}
    return {str(key): str(value) for key, value in listed.items()}


def dump(imported: Imported, source: Path) -> str:
    """The endpoint file's text: a comment naming the page, then the Path Item."""
    text = yaml.safe_dump(imported.document, sort_keys=False, allow_unicode=True, width=100)
    return f"# Imported from {source.name} by `icws-codegen import-page`; review before committing.\n{text}"
