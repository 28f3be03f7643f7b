"""Load: YAML with places, and ``$ref`` bundling."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import load as load_module
from generator.diagnostics import SpecError
from generator.load import load
from tests.conftest import SPEC

ENDPOINT = "/paths/~1icws~1{sessionId}~1dialer~1update-stage"


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder / "openapi.yaml"


def rules(exc: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [d.rule for d in exc.value.diagnostics]


def test_uses_the_libyaml_loader() -> None:
    assert load_module.YamlLoader is yaml.CSafeLoader


def test_bundles_endpoint_files_inline_and_components_as_internal_refs() -> None:
    spec = load(SPEC)
    operation = spec.document["paths"]["/icws/{sessionId}/dialer/update-stage"]["post"]
    assert operation["operationId"] == "updateStage"
    assert operation["responses"]["401"] == {"$ref": "#/components/responses/Unauthorized"}
    assert spec.document["components"]["schemas"]["error"]["required"] == ["message"]
    assert {p.name for p in spec.files} >= {"openapi.yaml", "update-stage.yaml", "schemas.yaml"}


def test_reference_description_overrides_are_kept() -> None:
    operation = load(SPEC).document["paths"]["/icws/{sessionId}/dialer/update-stage"]["post"]
    assert operation["responses"]["400"] == {
        "$ref": "#/components/responses/BadRequest",
        "description": "An error occurred while trying to change the stage of the call.",
    }


def test_every_node_knows_its_file_and_line() -> None:
    spec = load(SPEC)
    where = spec.locate(f"{ENDPOINT}/post/operationId")
    assert where is not None
    assert where.file.name == "update-stage.yaml"
    lines = where.file.read_text().splitlines()
    assert lines[where.line - 1].strip() == "operationId: updateStage"


def test_locate_follows_refs_into_the_file_they_name() -> None:
    spec = load(SPEC)
    where = spec.locate(f"{ENDPOINT}/post/responses/401/description")
    assert where is not None
    assert where.file.name == "responses.yaml"
    assert (
        "description: The specified session token"
        in where.file.read_text().splitlines()[where.line - 1]
    )


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    spec = load(SPEC)
    assert spec.locate(f"{ENDPOINT}/post/nothing/here") == spec.locate(f"{ENDPOINT}/post")


def test_keys_are_strings_as_written(tmp_path: Path) -> None:
    root = write(tmp_path, {"openapi.yaml": "200: yes\non: 2020-01-01\nn: 0x10\n"})
    assert load(root).document == {"200": True, "on": "2020-01-01", "n": 16}


def test_merge_keys_are_supported(tmp_path: Path) -> None:
    root = write(tmp_path, {"openapi.yaml": "base: &b {a: 1, b: 2}\nmore:\n  <<: *b\n  b: 3\n"})
    assert load(root).document["more"] == {"a": 1, "b": 3}


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    root = write(tmp_path, {"openapi.yaml": "a: 1\nb: 2\na: 3\n"})
    with pytest.raises(SpecError) as exc:
        load(root)
    assert rules(exc) == ["yaml-duplicate-key"]
    assert exc.value.diagnostics[0].location is not None
    assert exc.value.diagnostics[0].location.line == 3


def test_recursive_alias_is_an_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"openapi.yaml": "a: &x\n  - *x\n"})
    with pytest.raises(SpecError) as exc:
        load(root)
    assert rules(exc) == ["yaml-recursive"]


def test_alias_bombs_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_NODES", 1000)
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    root = write(tmp_path, {"openapi.yaml": "\n".join(lines) + "\n"})
    with pytest.raises(SpecError) as exc:
        load(root)
    assert rules(exc) == ["yaml-too-large"]


def test_every_problem_in_every_file_is_reported(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": "a: {$ref: one.yaml}\nb: {$ref: two.yaml}\nc: {$ref: missing.yaml}\n",
            "one.yaml": "x: [1\n",
            "two.yaml": "y: 1\ny: 2\n",
        },
    )
    with pytest.raises(SpecError) as exc:
        load(root)
    assert sorted(rules(exc)) == ["ref-dangling", "yaml-duplicate-key", "yaml-syntax"]
    assert sorted(d.location.file.name for d in exc.value.diagnostics if d.location) == [
        "one.yaml",
        "openapi.yaml",
        "two.yaml",
    ]


def test_a_file_referenced_twice_is_inlined_twice(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": "a: {$ref: s.yaml}\nb: {$ref: 's.yaml#/k'}\n",
            "s.yaml": "k: {type: string}\n",
        },
    )
    assert load(root).document == {"a": {"k": {"type": "string"}}, "b": {"type": "string"}}


def test_refs_within_a_component_file_follow_the_root_components(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": (
                "components:\n  schemas:\n"
                "    A: {$ref: 'c/s.yaml#/A'}\n    B: {$ref: 'c/s.yaml#/B'}\n"
            ),
            "c/s.yaml": "A: {type: object, properties: {b: {$ref: '#/B'}}}\nB: {type: string}\n",
        },
    )
    schemas = load(root).document["components"]["schemas"]
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/B"}
    assert schemas["B"] == {"type": "string"}


def test_recursive_component_schemas_are_allowed(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": "components:\n  schemas:\n    Node: {$ref: 'n.yaml'}\n",
            "n.yaml": "type: object\nproperties:\n  next: {$ref: 'n.yaml'}\n",
        },
    )
    node = load(root).document["components"]["schemas"]["Node"]
    assert node["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


def _many_files(folder: Path, count: int) -> Path:
    files = {f"items/item{i}.yaml": f"name: item{i}\nnested:\n  value: {i}\n" for i in range(count)}
    files["items/item7.yaml"] = "name: a\nname: b\n"  # a problem among many files
    files["items/item8.yaml"] = "name: [unclosed\n"
    entries = "".join(f"  i{i}: {{$ref: items/item{i}.yaml}}\n" for i in range(count))
    return write(folder, {"openapi.yaml": f"items:\n{entries}", **files})


def _many_clean_files(folder: Path, count: int) -> Path:
    """:func:`_many_files` without its two problems."""
    root = _many_files(folder, count)
    for i in (7, 8):
        (folder / f"items/item{i}.yaml").write_text(f"name: item{i}\n")
    return root


def test_many_files_are_read_by_two_processes_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many_files(tmp_path, 3 * load_module.PARALLEL_FROM_FILES)
    with pytest.raises(SpecError) as parallel:
        load(root)
    monkeypatch.setattr(load_module, "PARALLEL_FROM_FILES", 10**9)
    with pytest.raises(SpecError) as one_by_one:
        load(root)
    assert [str(d) for d in parallel.value.diagnostics] == [
        str(d) for d in one_by_one.value.diagnostics
    ]
    assert rules(parallel) == ["yaml-duplicate-key", "yaml-syntax"]


def test_files_read_by_the_child_are_located_and_bundled(tmp_path: Path) -> None:
    root = _many_clean_files(tmp_path, 3 * load_module.PARALLEL_FROM_FILES)
    spec = load(root)
    assert len(spec.files) == 1 + 3 * load_module.PARALLEL_FROM_FILES
    assert spec.document["items"]["i101"] == {"name": "item101", "nested": {"value": 101}}
    where = spec.locate("/items/i101/nested/value")
    assert where is not None
    assert (where.file.name, where.line, where.column) == ("item101.yaml", 3, 3)


def _parse_counter(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed from now on (read from the cache: not parsed)."""
    parsed: list[Path] = []
    parse = load_module._YamlReader._parse

    def counting(reader: load_module._YamlReader, raw: bytes, digest: str) -> object:
        parsed.append(reader.path)
        return parse(reader, raw, digest)

    monkeypatch.setattr(load_module._YamlReader, "_parse", counting)
    monkeypatch.setattr(load_module, "PARALLEL_FROM_FILES", 10**9)  # every read in this process
    return parsed


def test_files_read_before_come_from_the_cache_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many_clean_files(tmp_path, 20)
    (tmp_path / "items/item7.yaml").write_text("name: item7\nshared: &a {x: 1}\nagain: *a\n")
    (tmp_path / "items/item8.yaml").write_text("name: item8\nref: {$ref: item9.yaml}\n")
    first = load(root)
    parsed = _parse_counter(monkeypatch)
    again = load(root)
    assert parsed == []
    assert again.document == first.document and again.digests == first.digests
    assert again.document["items"]["i8"]["ref"] == {"name": "item9", "nested": {"value": 9}}
    cached, parsed_alias = again.document["items"]["i7"], first.document["items"]["i7"]
    assert (cached["shared"] is cached["again"]) == (
        parsed_alias["shared"] is parsed_alias["again"]
    )
    where = again.locate("/items/i3/nested/value")
    assert where is not None and (where.file.name, where.line) == ("item3.yaml", 3)


def test_an_edited_file_is_parsed_again_and_a_broken_cache_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many_clean_files(tmp_path, 20)
    load(root)
    parsed = _parse_counter(monkeypatch)
    (tmp_path / "items/item3.yaml").write_text("name: edited\n")
    assert load(root).document["items"]["i3"] == {"name": "edited"}
    assert parsed == [tmp_path / "items/item3.yaml"]
    (tmp_path / "items/item4.yaml").write_text("name: [unclosed\n")
    with pytest.raises(SpecError) as problem:
        load(root)
    assert rules(problem) == ["yaml-syntax"]
    for stored in load_module._ReadCache(root.resolve()).path.parent.iterdir():
        stored.write_bytes(b"not a pickle")
    parsed.clear()
    (tmp_path / "items/item4.yaml").write_text("name: item4\n")
    assert load(root).document["items"]["i4"] == {"name": "item4"}
    assert len(parsed) == 21  # the root and every item, read afresh
