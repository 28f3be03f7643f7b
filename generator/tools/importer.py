"""Import: an ICWS documentation page (plain text, as scraped) becomes one operation of the spec.

The page is read line by line into its sections (method and path, description, feature version,
parameters, representations, responses); each table row is a name line followed by a type line.
What the page cannot tell, such as a property name the scrape dropped, is never guessed: it is a
diagnostic with the page line, and comes from ``--name`` or the annotations file instead.
:func:`save` then puts the operation in the Path Item file the root document lists for its path,
or in a new file whose line it adds to the root document.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.config import ANNOTATIONS
from generator.diagnostics import Diagnostic, Location, display_path, error, warning
from generator.ir import naming
from generator.tools.scaffold import add_path_line, declare_tag, relative

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
TABLE_HEADER = ("Property", "Value", "Comments")
ENUM_VALUE = re.compile(r"^-?\d+$")
NESTED_KEY = re.compile(r"^(?P<representation>.*)/(?P<first>\d+)-(?P<last>\d+)$")
IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
SHARED = "../../components"
SHARED_ERRORS = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "410": "Gone",
    "500": "InternalServerError",
}
"""The root's shared error responses, by status (``spec/components/responses.yaml``)."""
"""Where the shared components are from a file under ``paths/<tag>/`` (rebased on saving)."""
IMPORTED_MARK = "# Imported from "
CUT_BEFORE_RESPONSES = "Unknown: the page was cut before its responses."
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
class Property:
    """One property of a representation as imported, and the page line it starts at."""

    name: str
    schema: dict[str, Any]
    required: bool
    line: int


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
            self._warning(
                last,
                "page-cut",
                "the page ends early (it was cut when collected); what was read is used",
            )
            # Decision: every ICWS call may answer the shared errors (shared/icws-docs/NOTES.md,
            # "Errors"), and a server answers 400, 401 and 500 of its own; a page cut before it
            # lists them all gets the shared responses it did not list, so that the spec
            # documents every status a server sends.
            missing = [s for s in SHARED_ERRORS if s not in operation["responses"]]
            for status in missing:
                operation["responses"][status] = {
                    "$ref": f"{SHARED}/responses.yaml#/{SHARED_ERRORS[status]}"
                }
            if missing:
                self._warning(
                    last,
                    "import-responses",
                    "the page ends before all its error responses; the shared ones every ICWS "
                    f"call may answer stand in for those it did not list ({', '.join(missing)})",
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
        """The representation at the cursor: its name line, then (before its table) the lines
        describing it and its own "Feature Version", then its rows."""
        if self.position >= len(self.lines):
            self.ended_early = True
            return None, None
        name = None
        if not self._at(TABLE_HEADER[0]):
            name = self._text()
            self.position += 1
        description = self._until({"Feature Version", TABLE_HEADER[0]} | SECTION_ENDS)
        feature = self._feature()
        while self._text() in TABLE_HEADER:
            self.position += 1
        rows = self._rows()
        if name is None:
            # Decision: a body whose page gives its table without a name line (GET
            # /icws/connection/version) is imported untitled, a plain object, rather than under a
            # made-up class name; a person titles it.
            self._warning(
                rows[0].line if rows else self._line(),
                "import-title",
                "the page names no representation for this table; it is imported untitled",
            )
        schema = self._one_of(name, rows) or self._schema(name, rows)
        head: dict[str, Any] = {"title": name} if name else {}
        if description:
            head["description"] = " ".join(description)
        if feature:
            head["x-feature"] = {"name": feature[0], "version": feature[1]}
        return name, {**head, **schema}

    def _one_of(self, name: str | None, rows: list[Row]) -> dict[str, Any] | None:
        """The union a "Multiple options" table gives (None for any other table): each option
        starts at its ``__type`` row and is titled by its URN."""
        starts = [i for i, row in enumerate(rows) if row.name == "__type" and URN.match(row.type)]
        if len(starts) < 2:
            return None
        options = []
        for begin, end in zip(starts, [*starts[1:], len(rows)], strict=True):
            urn = URN.match(rows[begin].type)
            title = urn.group(1).rsplit(":", 1)[-1] if urn else f"{name}{begin}"
            options.append(self._schema(title, rows[begin:end]))
        return {"title": name, "oneOf": options} if name else {"oneOf": options}

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

    def _schema(self, title: str | None, rows: list[Row]) -> dict[str, Any]:
        """Rows as an object schema: ``[key]``/``[value]`` pairs and value runs are named
        properties, and the runs of rows the names file groups are nested objects."""
        properties = self._nested(title or "", self._properties(title or "", rows))
        return _object(title, properties)

    def _properties(self, representation: str, rows: list[Row]) -> list[Property]:
        """The representation's properties, one per position: a row, a dictionary's pair of
        rows, or an enumeration's run of member rows."""
        properties: list[Property] = []
        index = 0
        while index < len(rows):
            row = rows[index]
            position = len(properties)
            if row.name == "[key]":
                value = (
                    rows[index + 1]
                    if index + 1 < len(rows) and rows[index + 1].name == "[value]"
                    else None
                )
                schema: dict[str, Any] = {
                    "type": "object",
                    "additionalProperties": _scalar(value.type if value else "String"),
                }
                name, required = self._dropped(representation, position, row.line, "a dictionary")
                properties.append(Property(name, schema, required, row.line))
                index += 2 if value else 1
                continue
            if ENUM_VALUE.match(row.type):
                members = []
                while index < len(rows) and ENUM_VALUE.match(rows[index].type):
                    members.append(rows[index])
                    index += 1
                name, required = self._dropped(representation, position, row.line, "an enumeration")
                schema = {
                    "title": name,
                    "type": "integer",
                    "format": "int32",
                    "enum": [int(m.type) for m in members],
                    "x-enum-varnames": [m.name for m in members],
                    "x-enum-descriptions": [" ".join(m.comment) for m in members],
                }
                properties.append(Property(name, schema, required, row.line))
                continue
            properties.append(Property(row.name, self._row_schema(row), row.required, row.line))
            index += 1
        return properties

    def _row_schema(self, row: Row) -> dict[str, Any]:
        urn = URN.match(row.type)
        schema = {"const": urn.group(1)} if urn else _scalar(row.type)
        if row.comment:
            schema["description"] = " ".join(row.comment)
        if row.feature:
            schema["x-feature"] = {"name": row.feature[0], "version": row.feature[1]}
        if schema.pop("unreadable-type", False):
            self._warning(
                row.line,
                "import-type",
                f"{row.name}: the type {row.type!r} is a representation the page does not "
                "describe here; it is imported as an object",
            )
        return schema

    def _nested(self, representation: str, properties: list[Property]) -> list[Property]:
        """``properties`` with each run the names file gives as ``REPRESENTATION/FIRST-LAST``
        made one nested object property (the scrape dropped the row naming the object)."""
        runs = []
        for key, given in self.names.items():
            match = NESTED_KEY.match(key)
            if match and match.group("representation") == representation:
                runs.append((int(match.group("first")), int(match.group("last")), given))
        for first, last, given in sorted(runs, reverse=True):
            if not first <= last < len(properties):
                self._warning(
                    properties[0].line if properties else self._line(),
                    "import-name",
                    f"{representation}/{first}-{last}: {representation} has no such run of "
                    f"properties (it has {len(properties)}); the name {given!r} is not used",
                )
                continue
            members = properties[first : last + 1]
            name = given.rstrip("!")
            nested = Property(name, _object(name, members), given.endswith("!"), members[0].line)
            properties = [*properties[:first], nested, *properties[last + 1 :]]
        return properties

    def _dropped(
        self, representation: str, position: int, line: int, what: str
    ) -> tuple[str, bool]:
        """The name of a property whose row the scrape dropped: given, or a warning."""
        key = f"{representation}/{position}"
        given = self.names.get(key)
        if given:
            return given.rstrip("!"), given.endswith("!")
        self._warning(
            line,
            "import-name",
            f"the scrape dropped the name of {what} property of {representation}; it is "
            f"imported as unnamed{position}: give its name with --name {key}=NAME or in "
            f"{ANNOTATIONS} (end NAME with ! if the property is required)",
        )
        return f"unnamed{position}", False

    def _responses(self) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        if not self._skip_to({"Response"}):
            self.ended_early = True
            # Decision: OpenAPI wants at least one response, and the page lost them all
            # (POST_icws-sessionId-dialer-log-in.txt); a `default` one stands in, saying so,
            # rather than a success status the page does not give.
            self._warning(
                self._line(),
                "import-responses",
                "the page ends before its responses; a `default` response stands in for them",
            )
            return {"default": {"description": CUT_BEFORE_RESPONSES}}
        self.position += 1
        while self.position < len(self.lines):
            match = STATUS.match(self._text())
            if not match:
                self.position += 1
                continue
            status = match.group("status")
            self.position += 1
            description = self._until(
                {"error", "Parameters", "Associated Message", TABLE_HEADER[0]}
            )
            if self._at(TABLE_HEADER[0]):
                # The representation before this table starts at its name, the first one-word
                # line: the lines before it describe the response, those after it the body.
                named = next((i for i, t in enumerate(description) if IDENTIFIER.match(t)), None)
                if named is not None:
                    self.position -= len(description) - named
                    description = description[:named]
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
                _, schema = self._representation()
                if schema is not None:
                    response["content"] = {"application/vnd.inin.icws+json": {"schema": schema}}
                break
            responses[status] = self._shared(status, response, body)
        return responses

    def _shared(self, status: str, response: dict[str, Any], body: str | None) -> dict[str, Any]:
        """An error response as a reference to the shared one (its wording kept where it differs)."""
        if body == "error" and status in SHARED_ERRORS:
            return {
                "$ref": f"{SHARED}/responses.yaml#/{SHARED_ERRORS[status]}",
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
        """Lines up to the next of ``stops`` (or the next status line; with ``rows``, table row)."""
        taken = []
        while self.position < len(self.lines):
            text = self._text()
            if text in stops or STATUS.match(text):
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


def _object(title: str | None, properties: list[Property]) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": title} if title else {}
    schema["type"] = "object"
    required = [p.name for p in properties if p.required]
    if required:
        schema["required"] = required
    schema["properties"] = {p.name: p.schema for p in properties}
    return schema


def _is_type(text: str | None) -> bool:
    if not text:
        return False
    return (
        text in SCALARS
        or bool(LIST.match(text) or URN.match(text) or ENUM_VALUE.match(text))
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
        schema["items"].pop("unreadable-type", None)
        return schema
    return {"type": "object", "unreadable-type": True}


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


# --- placing the import in the spec -------------------------------------------------------------


class PlacementError(Exception):
    """The import has no place in the spec that leaves every other endpoint as it is."""


@dataclass(frozen=True)
class Saved:
    """What saving an import did: its Path Item file, whether that was written, whether the
    path's line was added to the root document, and why nothing was written (if so)."""

    file: Path
    written: bool
    line_added: bool
    diagnostics: list[Diagnostic]
    tag_declared: bool = False
    """Whether the operation's tag was new, and added to the root document's ``tags``."""


def save(imported: Imported, page: Path, root: Path, out: Path | None, force: bool) -> Saved:
    """Write the imported operation into its Path Item file, and its path's line into ``root``.

    A path the root document lists takes the operation into the file listed for it, beside the
    operations there (one of the same method is replaced only with ``force``). A new path gets
    ``out``, or by default a file under ``paths/<tag>/`` named after the path that no other path
    has, and its line in the root document.
    """
    if not root.is_file():
        raise PlacementError(f"{display_path(root)}: there is no root document here")
    files = _path_item_files(root)
    if imported.path in files:
        file = files[imported.path]
        if file is None:
            raise PlacementError(
                f"{display_path(root)} writes the Path Item of {imported.path} inline; "
                "import-page writes Path Item files only"
            )
        if out is not None and out.resolve() != file.resolve():
            raise PlacementError(
                f"{display_path(root)} has {imported.path} in {display_path(file)}; "
                "leave --out out, or name that file"
            )
        if file.is_file():
            problems = _merge(imported, page, file, root, force)
            return Saved(
                file, not problems, False, problems, not problems and _declare(imported, root)
            )
        _write(imported, page, file, root)
        return Saved(file, True, False, [], _declare(imported, root))
    owners = {f.resolve(): path for path, f in files.items() if f is not None}
    if out is not None:
        if out.resolve() in owners:
            raise PlacementError(
                f"{display_path(out)} is the Path Item of {owners[out.resolve()]}; "
                "choose another --out"
            )
        if out.exists() and not force:
            raise PlacementError(f"{display_path(out)} exists; --force replaces it")
    file = out or _free_file(root, imported, set(owners))
    _write(imported, page, file, root)
    add_path_line(root, imported.path, file)
    return Saved(file, True, True, [], _declare(imported, root))


def _declare(imported: Imported, root: Path) -> bool:
    """Declare the imported operation's tag in the root document, if it is new there."""
    return declare_tag(root, imported.document[imported.method]["tags"][0])


def _path_item_files(root: Path) -> dict[str, Path | None]:
    """Each path of the root document and the file its Path Item is in (None: written inline,
    or at a place inside a file)."""
    paths = _read_yaml(root).get("paths") or {}
    files: dict[str, Path | None] = {}
    for path, entry in paths.items():
        ref = entry.get("$ref") if isinstance(entry, dict) else None
        files[str(path)] = root.parent / ref if isinstance(ref, str) and "#" not in ref else None
    return files


def _free_file(root: Path, imported: Imported, taken: set[Path]) -> Path:
    """The first of the path's file names under ``paths/<tag>/`` that is neither another path's
    file nor on disk."""
    tag = imported.document[imported.method]["tags"][0]
    folder = root.parent / "paths" / "-".join(naming.words(tag))
    return next(
        file
        for file in (folder / f"{name}.yaml" for name in _file_names(imported))
        if file.resolve() not in taken and not file.exists()
    )


def _file_names(imported: Imported) -> Iterator[str]:
    """Names for a new path's file, plainest first: its last literal segment (as
    ``new-endpoint`` names it), then that segment and the parameters after it, then the whole
    path after ``/icws``, then the whole path numbered."""
    segments = [s for s in imported.path.split("/") if s]
    literal = [i for i, s in enumerate(segments) if "{" not in s]
    last = literal[-1] if literal else len(segments)

    def name(parts: Iterable[str]) -> str:
        return "-".join(w for part in parts for w in naming.words(part.strip("{}")))

    whole = name(s for s in segments if s != "icws") or imported.method
    yield from dict.fromkeys(
        n for n in (name(segments[last : last + 1]), name(segments[last:]), whole) if n
    )
    yield from (f"{whole}-{number}" for number in itertools.count(2))


def _write(imported: Imported, page: Path, file: Path, root: Path) -> None:
    """``file`` as the path's Path Item: the imported one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(_dump(_rebased(imported.document, file, root), page), "utf-8")


def _merge(imported: Imported, page: Path, file: Path, root: Path, force: bool) -> list[Diagnostic]:
    """Add the operation to the Path Item ``file`` (replace it with ``force``); its path
    parameters the Path Item does not declare go into the operation. The file's other lines,
    comments included, are kept. The problem that left it as it was, if any."""
    document = _rebased(imported.document, file, root)
    text = file.read_text("utf-8")
    item = _read_yaml(file)
    declared = item.get("parameters") or []
    operation = dict(document[imported.method])
    undeclared = [p for p in document.get("parameters", []) if not _declared(p, declared)]
    if undeclared:
        operation["parameters"] = undeclared + operation.get("parameters", [])
    block = _dump({imported.method: operation}, page)
    lines = text.splitlines(keepends=True)
    at = next(
        (i for i, line in enumerate(lines) if re.match(rf"^{imported.method}\s*:", line)), None
    )
    if imported.method in item:
        if at is None:
            raise PlacementError(
                f"{display_path(file)}: its {imported.method} is not a block of its own at the "
                "start of a line; replace it by hand"
            )
        if not force:
            return [
                warning(
                    "import-exists",
                    f"{imported.method.upper()} {imported.path} is here already; nothing was "
                    "written (--force replaces it)",
                    Location(file, at + 1),
                )
            ]
        end = next(
            (i for i in range(at + 1, len(lines)) if lines[i].strip() and lines[i][0] != " "),
            len(lines),
        )
        if at and lines[at - 1].startswith(IMPORTED_MARK):
            at -= 1
        lines[at:end] = [block]
    else:
        lines += ["\n"] if lines and not lines[-1].endswith("\n") else []
        lines.append(block)
    file.write_text("".join(lines), "utf-8")
    return []


def _read_yaml(file: Path) -> dict[str, Any]:
    """The mapping ``file`` holds (empty when it holds nothing)."""
    try:
        data = yaml.safe_load(file.read_text("utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlacementError(f"{display_path(file)}: cannot read it: {exc}") from exc
    if not isinstance(data, dict):
        raise PlacementError(f"{display_path(file)}: not a YAML mapping")
    return data


def _declared(parameter: dict[str, Any], declared: list[Any]) -> bool:
    """Whether the Path Item's ``declared`` parameters have ``parameter`` (the same reference,
    or the same name and place)."""
    return any(
        entry == parameter
        or (
            isinstance(entry, dict)
            and "name" in parameter
            and (entry.get("name"), entry.get("in")) == (parameter["name"], parameter["in"])
        )
        for entry in declared
    )


def _rebased(node: Any, file: Path, root: Path) -> Any:
    """``node`` with its references to the shared components relative to ``file``."""
    if isinstance(node, dict):
        return {
            key: (
                _relative_ref(value, file, root)
                if key == "$ref" and isinstance(value, str)
                else _rebased(value, file, root)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebased(item, file, root) for item in node]
    return node


def _relative_ref(ref: str, file: Path, root: Path) -> str:
    if not ref.startswith(SHARED + "/"):
        return ref
    return relative(root.parent / "components", file.parent) + ref[len(SHARED) :]


class _Dumper(yaml.SafeDumper):
    """YAML without anchors: a schema written twice is written out twice, so that no anchor of
    an import can clash with one of the file it joins."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(document: dict[str, Any], page: Path) -> str:
    """A comment naming the page, then ``document``."""
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"{IMPORTED_MARK}{page.name} by `icws-codegen import-page`; review before committing.\n{text}"
