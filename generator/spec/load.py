"""Load: read the root YAML document and every file its ``$ref``s reach, bundled into one document.

Bundling follows one rule: a ``$ref`` to something the root document lists under ``components``
(directly or through a file reference) becomes an internal ``#/components/...`` reference; any
other reference to another file is inlined. A ``$ref`` inside an ``x-`` extension's value is the
extension's, left as written. Every node of the result can be traced to the file,
line and column it was written at, so diagnostics can point at it: files are read without
positions, and read again with them only when a diagnostic asks.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote

import yaml

from generator.diagnostics import Diagnostic, Location, SpecError, error
from generator.spec import pointer as jp
from generator.spec.openapi import ref_target
from generator.spec.walk import is_extension_key

try:
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]


class _Loader(YamlLoader):
    """libyaml's loader reading YAML 1.2's core schema, as OpenAPI 3.1 asks (and 3.0 specs are
    written for): ``18:00``, ``NO`` and ``2024-01-31`` are strings, ``012`` is twelve, where
    PyYAML's YAML 1.1 makes them 1080, False, a date and ten. Each distinct scalar's tag is
    resolved once (PyYAML resolves every scalar afresh, in Python, by regular expressions)."""

    _tags: ClassVar[dict[tuple[Any, ...], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


_CORE_SCHEMA = {
    "tag:yaml.org,2002:null": (r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    "tag:yaml.org,2002:bool": (r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    "tag:yaml.org,2002:int": (r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    "tag:yaml.org,2002:float": (
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        list("-+0123456789."),
    ),
}
"""YAML 1.2's core schema: each tag, the plain scalars it takes, and their first characters
(the empty one: an empty scalar)."""

_Loader.yaml_implicit_resolvers = {}  # none of YAML 1.1's: the core schema's, and merge keys
for _tag, (_pattern, _first) in _CORE_SCHEMA.items():
    _Loader.add_implicit_resolver(_tag, re.compile(f"^(?:{_pattern})$"), _first)
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """An integer of YAML 1.2's core schema: decimal (leading zeros too), ``0o`` or ``0x``."""
    text = str(loader.construct_scalar(node))
    if text[:2] in ("0o", "0x"):
        return int(text, 0)
    return int(text, 10)


_Loader.add_constructor("tag:yaml.org,2002:int", _core_int)

MAX_NODES = 1_000_000
"""Nodes one file may expand to (YAML aliases can multiply a small file)."""


@dataclass(frozen=True)
class LoadedSpec:
    """The bundled document and where each of its nodes was written."""

    root: Path
    document: dict[str, Any]
    files: tuple[Path, ...]
    digests: dict[Path, str]
    """SHA-256 of each file as it was read."""
    mounts: dict[str, tuple[Mapping[str, Location], str]] = field(default_factory=dict)
    """Where each mapping and list of the document came from: its place in the document → the
    locations of the file it was read from, and its pointer there."""

    def locate(self, pointer: str) -> Location | None:
        """Where the node at ``pointer`` was written (through ``$ref``s), or its nearest ancestor's."""
        return _locate(self.mounts, _written_pointer(self.document, pointer))


def _locate(mounts: dict[str, tuple[Mapping[str, Location], str]], pointer: str) -> Location | None:
    """Where the bundled node at ``pointer`` was written, or its nearest ancestor's."""
    probe = pointer
    while True:
        if probe in mounts:
            source_locations, inner = mounts[probe]
            return _nearest(source_locations, inner + pointer[len(probe) :])
        if not probe:
            return None
        probe = jp.parent(probe)


def _nearest(locations: Mapping[str, Location], pointer: str) -> Location | None:
    while pointer not in locations:
        if not pointer:
            return None
        pointer = jp.parent(pointer)
    return locations[pointer]


class _Locations(Mapping[str, Location]):
    """Where each node of one file was written, by pointer. Worked out when first asked (a
    diagnostic needs it) by reading the file again, this time keeping every node's position."""

    def __init__(self, path: Path, table: dict[str, Location] | None = None) -> None:
        self.path = path
        self._table = table

    def _known(self) -> dict[str, Location]:
        if self._table is None:
            source = _YamlReader(self.path, [], positions=True).read()
            self._table = dict(source.locations) if source is not None else {}
        return self._table

    def __getitem__(self, pointer: str) -> Location:
        return self._known()[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._known())

    def __len__(self) -> int:
        return len(self._known())


@dataclass
class _SourceFile:
    path: Path
    value: Any
    locations: Mapping[str, Location]
    digest: str
    """SHA-256 of the bytes read."""
    ref_holders: dict[int, Any] = field(default_factory=dict)
    """Every mapping or list with a ``$ref`` in it, at any depth, by ``id``."""


def load(root: Path) -> LoadedSpec:
    """Load and bundle the spec whose root document is ``root``; :class:`SpecError` if it can't."""
    return _Bundler(root.resolve()).bundle()


class _YamlReader:
    """Turns one YAML text into plain JSON-compatible values, and a pointer → location map of
    its nodes when asked for ``positions`` (else the map is made later, if ever needed)."""

    def __init__(
        self,
        path: Path,
        diagnostics: list[Diagnostic],
        positions: bool = False,
    ) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.positions = positions
        self.nodes_built = 0
        self.checked: set[int] = set()
        self.ref_holders: dict[int, Any] = {}

    def read(self) -> _SourceFile | None:
        """The file's values, or None (with a diagnostic) when it cannot be read."""
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self._error("file-unreadable", f"cannot read {self.path.name}: {exc.strerror}", None)
            return None
        return self._parse(raw, hashlib.sha256(raw).hexdigest())

    def _parse(self, raw: bytes, digest: str) -> _SourceFile | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            self._error("yaml-syntax", "the file is not valid UTF-8", Location(self.path, line))
            return None
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                self._error("yaml-empty", "the file holds no YAML document", Location(self.path, 1))
                return None
            table: dict[str, Location] | None = {} if self.positions else None
            source = _SourceFile(self.path, None, _Locations(self.path, table), digest)
            self.ref_holders = source.ref_holders
            source.value = self._build(loader, node, "", table, set())
            return source
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Location(self.path, mark.line + 1, mark.column + 1) if mark else None
            problem = " ".join(p for p in (exc.context, exc.problem) if p)
            self._error("yaml-syntax", f"invalid YAML: {problem}", where)
        except yaml.YAMLError as exc:
            self._error("yaml-syntax", f"invalid YAML: {exc}", Location(self.path, 1))
        except _TooLarge:
            self._error(
                "yaml-too-large",
                f"the document expands to more than {MAX_NODES:,} nodes (YAML aliases?)",
                Location(self.path, 1),
            )
        except RecursionError:
            self._error(
                "yaml-too-deep", "the document is nested too deeply", Location(self.path, 1)
            )
        finally:
            loader.dispose()
        return None

    def _build(
        self,
        loader: _Loader,
        node: yaml.Node,
        pointer: str,
        locations: dict[str, Location] | None,
        active: set[int],
        named_at: yaml.Node | None = None,
    ) -> Any:
        """The value of ``node``; its place is that of ``named_at`` (its key) when given.
        ``pointer`` and ``locations`` are kept up only when positions are asked for."""
        self.nodes_built += 1
        if self.nodes_built > MAX_NODES:
            raise _TooLarge
        if locations is not None:
            locations[pointer] = self._where(named_at or node)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STRING_TAG:  # most scalars: no constructor needed
                return node.value
            value = loader.construct_object(node)
            return value if isinstance(value, _JSON_SCALARS) else str(node.value)
        if id(node) in active:
            where = self._where(named_at or node)
            self._error("yaml-recursive", "a YAML alias refers to a node containing it", where)
            return None
        active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = [
                    self._build(
                        loader,
                        item,
                        jp.child(pointer, index) if locations is not None else "",
                        locations,
                        active,
                    )
                    for index, item in enumerate(node.value)
                ]
                if any(id(item) in self.ref_holders for item in items):
                    self.ref_holders[id(items)] = items
                return items
            assert isinstance(node, yaml.MappingNode)
            if id(node) not in self.checked:
                self.checked.add(id(node))
                self._check_keys(node)
                loader.flatten_mapping(node)
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._error(
                        "yaml-key", "a mapping key must be a plain scalar", self._where(key_node)
                    )
                    continue
                key = str(key_node.value)
                mapping[key] = self._build(
                    loader,
                    value_node,
                    jp.child(pointer, key) if locations is not None else "",
                    locations,
                    active,
                    key_node,
                )
            if "$ref" in mapping or any(id(item) in self.ref_holders for item in mapping.values()):
                self.ref_holders[id(mapping)] = mapping
            return mapping
        finally:
            active.discard(id(node))

    def _check_keys(self, node: yaml.MappingNode) -> None:
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                continue
            key = str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + 1
                self._error(
                    "yaml-duplicate-key",
                    f"duplicate key {key!r} (first written at line {first}); YAML keeps only the last",
                    Location(
                        self.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    ),
                )
            else:
                seen[key] = key_node

    def _where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def _error(self, rule: str, message: str, where: Location | None) -> None:
        self.diagnostics.append(error(rule, message, where or Location(self.path, 1)))


_JSON_SCALARS = (str, int, float, bool, type(None))
_STRING_TAG = "tag:yaml.org,2002:str"


class _TooLarge(Exception):
    pass


class _Bundler:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root.parent
        self.diagnostics: list[Diagnostic] = []
        self.sources: dict[Path, _SourceFile | None] = {}
        self.exports: dict[tuple[Path, str], str] = {}
        self.mounts: dict[str, tuple[Mapping[str, Location], str]] = {}
        self.internal_refs: list[tuple[str, str]] = []
        self.resolved: dict[tuple[str, str], Path] = {}
        """The file each relative reference names, by the referring file's folder."""
        self.files: dict[str, Path] = {str(root): root}
        self.inside: dict[Path, bool] = {}
        """Whether each file a ``$ref`` names is in the spec's folder, asked once per file."""
        self.targets: dict[tuple[Path, str], tuple[Path, str]] = {}
        """Each usable ``$ref`` string of each file, resolved once."""

    def bundle(self) -> LoadedSpec:
        source = self._source(self.root)
        if source is None:
            raise SpecError(self.diagnostics)
        if not isinstance(source.value, dict):
            where = source.locations.get("")
            self.diagnostics.append(
                error("root-type", "the root document must be a mapping", where)
            )
            raise SpecError(self.diagnostics)
        self._collect_exports(source)
        document = self._bundle(source.value, source, "", "", ())
        self._check_internal_refs(document)
        if self.diagnostics:
            raise SpecError(self.diagnostics)
        digests = {path: src.digest for path, src in sorted(self.sources.items()) if src}
        return LoadedSpec(self.root, document, tuple(digests), digests, self.mounts)

    def _source(
        self, path: Path, referrer: _SourceFile | None = None, ref_at: str = ""
    ) -> _SourceFile | None:
        """The file at ``path``, read once; ``referrer`` and ``ref_at`` say where a ``$ref``
        names it, for the diagnostic when it is missing."""
        if path not in self.sources:
            if not path.is_file():
                where = referrer.locations.get(jp.join(ref_at, "$ref")) if referrer else None
                self.diagnostics.append(
                    error("ref-dangling", f"$ref names a missing file: {path.name}", where)
                )
                self.sources[path] = None
            else:
                self.sources[path] = _YamlReader(path, self.diagnostics).read()
        return self.sources[path]

    def _resolve(self, referrer: Path, relative: str) -> Path:
        """The file ``relative`` names from ``referrer``'s folder, links and ``..`` resolved
        (asked once per folder and name); one object per file, so that the tables keyed by file
        compare keys by identity, not part by part."""
        key = (os.path.dirname(referrer), relative)
        if key not in self.resolved:
            path = (referrer.parent / relative).resolve()
            self.resolved[key] = self.files.setdefault(str(path), path)
        return self.resolved[key]

    def _inside(self, path: Path) -> bool:
        if path not in self.inside:
            self.inside[path] = path.is_relative_to(self.base)
        return self.inside[path]

    def _collect_exports(self, root: _SourceFile) -> None:
        components = root.value.get("components")
        if not isinstance(components, dict):
            return
        for kind, entries in components.items():
            if not isinstance(entries, dict):
                continue
            for name, entry in entries.items():
                here = jp.join("/components", kind, name)
                target = self._target(entry, root, here) if _is_ref(entry) else None
                if target is not None and target[0] != self.root:
                    self.exports.setdefault(target, here)

    def _target(
        self, ref_node: dict[str, Any], source: _SourceFile, at: str
    ) -> tuple[Path, str] | None:
        """The (file, pointer) a ``$ref`` names, or None (with a diagnostic) when it can't be used."""
        ref = ref_node["$ref"]
        known = self.targets.get((source.path, ref)) if isinstance(ref, str) else None
        if known is not None:
            return known

        def refuse(rule: str, message: str) -> None:
            where = source.locations.get(jp.join(at, "$ref"))
            self.diagnostics.append(error(rule, message, where))

        if not isinstance(ref, str):
            refuse("ref-type", "$ref must be a string")
            return None
        file_part, _, fragment = ref.partition("#")
        if "://" in file_part or file_part.startswith("//"):
            refuse("ref-remote", f"$ref {ref!r} is not a relative file reference")
            return None
        path = self._resolve(source.path, unquote(file_part)) if file_part else source.path
        if not self._inside(path):
            refuse("ref-outside", f"$ref {ref!r} leaves the spec's folder {self.base}")
            return None
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            refuse("ref-fragment", f"$ref {ref!r}: the part after '#' must be a JSON pointer")
            return None
        self.targets[(source.path, ref)] = (path, fragment)
        return path, fragment

    def _bundle(
        self,
        value: Any,
        source: _SourceFile,
        in_pointer: str,
        out_pointer: str,
        inlining: tuple[tuple[Path, str], ...],
    ) -> Any:
        if not isinstance(value, (dict, list)):
            return value
        self.mounts[out_pointer] = (source.locations, in_pointer)
        if id(value) not in source.ref_holders:
            return value  # nothing to resolve inside: used as it was read, not copied
        if isinstance(value, list):
            return [
                self._bundle(
                    item, source, jp.child(in_pointer, i), jp.child(out_pointer, i), inlining
                )
                for i, item in enumerate(value)
            ]
        if _is_ref(value):
            return self._bundle_ref(value, source, in_pointer, out_pointer, inlining)
        return {
            key: self._bundle_entry(key, item, source, in_pointer, out_pointer, inlining)
            for key, item in value.items()
        }

    def _bundle_entry(
        self,
        key: str,
        item: Any,
        source: _SourceFile,
        in_pointer: str,
        out_pointer: str,
        inlining: tuple[tuple[Path, str], ...],
    ) -> Any:
        """The value of ``key`` in the mapping at ``out_pointer``. An extension's value is left
        as written: a ``$ref`` in it is the extension's (it may name a Markdown file)."""
        here, there = jp.child(out_pointer, key), jp.child(in_pointer, key)
        if is_extension_key(key, out_pointer):
            self.mounts[here] = (source.locations, there)
            return item
        return self._bundle(item, source, there, here, inlining)

    def _bundle_ref(
        self,
        value: dict[str, Any],
        source: _SourceFile,
        in_pointer: str,
        out_pointer: str,
        inlining: tuple[tuple[Path, str], ...],
    ) -> Any:
        target = self._target(value, source, in_pointer)
        siblings = {}
        for key, item in value.items():
            if key != "$ref":  # kept beside what the $ref brings, and located where written
                here, there = jp.child(out_pointer, key), jp.child(in_pointer, key)
                self.mounts[here] = (source.locations, there)
                siblings[key] = self._bundle_entry(
                    key, item, source, in_pointer, out_pointer, inlining
                )
        if target is None:
            return siblings
        path, fragment = target
        exported = self.exports.get(target)
        if path == self.root or (exported is not None and exported != out_pointer):
            internal = fragment if path == self.root else exported
            assert internal is not None
            self.internal_refs.append((out_pointer, internal))
            return {"$ref": "#" + internal, **siblings}
        if target in inlining:
            where = source.locations.get(jp.join(in_pointer, "$ref"))
            chain = " → ".join(f"{p.name}#{f}" for p, f in (*inlining, target))
            self.diagnostics.append(
                error(
                    "ref-cycle",
                    f"$ref cycle: {chain}; a recursive schema must be listed under the root "
                    "document's components",
                    where,
                )
            )
            return siblings
        target_source = self._source(path, source, in_pointer)
        if target_source is None:
            return siblings
        try:
            target_value = jp.resolve(target_source.value, fragment)
        except jp.PointerError:
            self.diagnostics.append(
                error(
                    "ref-dangling",
                    f"$ref {value['$ref']!r}: {path.name} has nothing at '{fragment}'",
                    source.locations.get(jp.join(in_pointer, "$ref")),
                )
            )
            return siblings
        inlined = self._bundle(
            target_value, target_source, fragment, out_pointer, (*inlining, target)
        )
        if not isinstance(inlined, (dict, list)):  # a scalar: where the target wrote it
            self.mounts[out_pointer] = (target_source.locations, fragment)
        if siblings and isinstance(inlined, dict):
            return {**inlined, **siblings}
        return inlined

    def _check_internal_refs(self, document: dict[str, Any]) -> None:
        """Every internal ``$ref`` must name a node, and following refs must end somewhere."""
        for at, target in self.internal_refs:
            seen = [at]
            while True:
                try:
                    node = jp.resolve(document, target)
                except jp.PointerError:
                    self.diagnostics.append(
                        error(
                            "ref-dangling", f"$ref '#{target}' names nothing", self._where_ref(at)
                        )
                    )
                    break
                if target in seen:
                    self.diagnostics.append(
                        error(
                            "ref-cycle",
                            f"$ref '#{target}' refers back to itself",
                            self._where_ref(at),
                        )
                    )
                    break
                if not _is_ref(node) or not str(node["$ref"]).startswith("#"):
                    break
                seen.append(target)
                target = node["$ref"][1:]

    def _where_ref(self, out_pointer: str) -> Location | None:
        return _locate(self.mounts, jp.join(out_pointer, "$ref"))


def _written_pointer(document: Any, pointer: str) -> str:
    """``pointer`` with every internal ``$ref`` on its way replaced by the place it names."""
    written, node = "", document
    for token in jp.split(pointer):
        hops = 0
        while (target := ref_target(node)) is not None and hops < 64:
            try:
                node = jp.resolve(document, target)
            except jp.PointerError:
                return written
            written, hops = target, hops + 1
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return jp.join(written, token)
        written = jp.join(written, token)
    return written


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" in value
