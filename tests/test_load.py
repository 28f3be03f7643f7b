"""Load: YAML with places, and ``$ref`` bundling."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.diagnostics import SpecError
from generator.spec import load as load_module
from generator.spec.load import load
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
    root = write(tmp_path, {"openapi.yaml": "200: true\non: 2020-01-01\nn: 0x10\n"})
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


def test_problems_in_many_files_are_all_reported_in_order(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as problem:
        load(_many_files(tmp_path, 150))
    assert rules(problem) == ["yaml-duplicate-key", "yaml-syntax"]


def test_files_named_by_the_root_are_located_and_bundled(tmp_path: Path) -> None:
    spec = load(_many_clean_files(tmp_path, 150))
    assert len(spec.files) == 1 + 150
    assert spec.document["items"]["i101"] == {"name": "item101", "nested": {"value": 101}}
    where = spec.locate("/items/i101/nested/value")
    assert where is not None
    assert (where.file.name, where.line, where.column) == ("item101.yaml", 3, 3)


def test_a_ref_inside_an_extension_is_left_alone_and_names_are_not_extensions(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": (
                "x-docs: {$ref: notes.md}\n"
                "paths:\n  /a: {$ref: a.yaml}\n"
                "components:\n  headers:\n    x-trace: {$ref: 'h.yaml#/trace'}\n"
            ),
            "a.yaml": (
                "get:\n  x-guide: {$ref: guide/get-a.md, extra: [{$ref: other.md}]}\n"
                "  responses:\n    '200':\n      description: OK\n"
                "      headers:\n        x-rate-limit: {$ref: 'h.yaml#/limit'}\n"
                "      content:\n        application/json:\n          schema:\n"
                "            properties:\n              x-id: {$ref: 'h.yaml#/limit/schema'}\n"
            ),
            "h.yaml": "trace: {schema: {type: string}}\nlimit: {schema: {type: integer}}\n",
        },
    )
    spec = load(root)
    document = spec.document
    assert document["x-docs"] == {"$ref": "notes.md"}
    get = document["paths"]["/a"]["get"]
    assert get["x-guide"] == {"$ref": "guide/get-a.md", "extra": [{"$ref": "other.md"}]}
    response = get["responses"]["200"]
    assert response["headers"]["x-rate-limit"] == {"schema": {"type": "integer"}}
    schema = response["content"]["application/json"]["schema"]
    assert schema["properties"]["x-id"] == {"type": "integer"}
    assert document["components"]["headers"]["x-trace"] == {"schema": {"type": "string"}}
    where = spec.locate("/paths/~1a/get/x-guide/extra/0")
    assert where is not None and (where.file.name, where.line) == ("a.yaml", 2)


def test_scalars_are_read_as_yaml_1_2_core_schema_reads_them(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x-probe: [18:00, NO, yes, 2024-01-31, 012, 0o17, 0x1F, 1.5e3, ~, true, False, 1_000]\n"
    )
    assert load(tmp_path / "openapi.yaml").document["x-probe"] == [
        "18:00",
        "NO",
        "yes",
        "2024-01-31",
        12,
        15,
        31,
        1500.0,
        None,
        True,
        False,
        "1_000",
    ]
