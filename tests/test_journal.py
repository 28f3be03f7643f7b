"""Journal: operations modelled by an earlier run are reused only while nothing they read changed.

Every test compares a journalled build with a fresh one of the same document: the journals may
only ever save work, never change a model."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import SpecError
from generator.journal import Entry, Recorder, journals_of
from generator.load import load
from generator.model import Api, build
from generator.store import Store
from tests.conftest import ROOT


def _same(journalled: Api, fresh: Api) -> None:
    for field in dataclasses.fields(Api):
        if field.name == "published":
            assert journalled.published.json == fresh.published.json
        else:
            assert getattr(journalled, field.name) == getattr(fresh, field.name), field.name


def _run(spec: Path) -> Store[Entry]:
    """One journalled build of ``spec`` (checked against a fresh one), its journals saved."""
    journals = journals_of(spec)
    journalled = build(load(spec), None, journals)
    journals.save()
    _same(journalled, build(load(spec)))
    return journals


def _reused(journals: Store[Entry]) -> int:
    return len(journals.used) - len(journals.made)


@pytest.fixture
def seed_spec(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path / "spec" / "openapi.yaml"


def test_the_first_run_keeps_nothing_and_the_next_ones_reuse(seed_spec: Path) -> None:
    assert not _run(seed_spec).active  # a first run on this cache: nothing journalled
    second = _run(seed_spec)
    assert second.made and _reused(second) == 0 and second.found_share() == 0
    third = _run(seed_spec)
    assert not third.made and _reused(third) == len(second.made)
    assert third.found_share() == 1


def test_an_edited_operation_is_modelled_again_and_the_rest_reused(seed_spec: Path) -> None:
    _run(seed_spec)
    everything = len(_run(seed_spec).used)
    path_file = seed_spec.parent / "paths" / "dialer" / "update-stage.yaml"
    path_file.write_text(path_file.read_text().replace("summary: ", "summary: Edited. ", 1))
    after = _run(seed_spec)
    assert 0 < len(after.made) < everything
    assert _reused(after) == everything - len(after.made)
    assert after.found_share() == _reused(after) / everything


def test_what_an_edit_leaves_as_it_was_keeps_the_others_reused(seed_spec: Path) -> None:
    """The first operation writes what the rest read (the session field it registers, the shared
    responses it models first); a summary edit changes none of that, so only it is remodelled."""
    _run(seed_spec)
    everything = len(_run(seed_spec).used)
    path_file = seed_spec.parent / "paths" / "dialer" / "mark-call-for-finishing.yaml"
    path_file.write_text(path_file.read_text().replace("summary: ", "summary: Edited. ", 1))
    after = _run(seed_spec)
    assert len(after.made) == 1 and _reused(after) == everything - 1
    (edited,) = after.made.values()
    assert {"session_fields", "shared_responses"} <= {name for (name, _), _ in edited.writes}


def test_a_component_edit_reaches_every_operation(seed_spec: Path) -> None:
    _run(seed_spec)
    _run(seed_spec)
    schemas = seed_spec.parent / "components" / "schemas.yaml"
    schemas.write_text(schemas.read_text().replace("description: ", "description: Edited. ", 1))
    after = _run(seed_spec)
    assert _reused(after) == 0 and after.made


def _operation(operation_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": ["things"],
        "responses": {"200": {"description": "done"}},
        **extra,
    }


def _titled(*properties: str) -> dict[str, Any]:
    return {
        "content": {
            "application/json": {
                "schema": {
                    "title": "Thing",
                    "type": "object",
                    "properties": {name: {"type": "string"} for name in properties},
                }
            }
        }
    }


def _session_parameter(example: str) -> dict[str, Any]:
    return {
        "name": "token",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "example": example,
        "x-session-field": "token",
    }


def _document(first_body: tuple[str, ...], token_example: str) -> dict[str, Any]:
    """Two operations that share state: ``Thing`` (titled inline, defined by the first, used by
    the second) and the session field ``token`` (registered by the first, read by the
    second's example call)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shared", "version": "1"},
        "paths": {
            "/a": {
                "post": _operation(
                    "first",
                    parameters=[_session_parameter(token_example)],
                    requestBody=_titled(*first_body),
                )
            },
            "/b": {
                "post": _operation(
                    "second",
                    parameters=[{**_session_parameter("unused"), "x-session-field": "token"}],
                    requestBody=_titled("name"),
                )
            },
        },
    }


def test_what_one_operation_wrote_and_another_read_is_seen(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(_document(("name",), "t1")))
    _run(spec)
    assert _run(spec).made
    # The session field the first registers is what the second's example sends.
    spec.write_text(yaml.safe_dump(_document(("name",), "t2")))
    after = _run(spec)
    assert len(after.made) == 2  # the second's file did not change, what it read did
    second = build(load(spec)).operations[1]
    assert ("token", "t2") in second.example_headers
    # A different schema under the first's title: the second now collides with it.
    spec.write_text(yaml.safe_dump(_document(("name", "size"), "t2")))
    with pytest.raises(SpecError) as fresh:
        build(load(spec))
    with pytest.raises(SpecError) as journalled:
        build(load(spec), None, journals_of(spec))
    assert [str(d) for d in journalled.value.diagnostics] == [
        str(d) for d in fresh.value.diagnostics
    ]


def test_a_store_that_cannot_be_read_is_a_cold_start_and_is_rewritten(seed_spec: Path) -> None:
    _run(seed_spec)
    stored = _run(seed_spec)
    assert stored.file is not None
    stored.file.write_bytes(stored.file.read_bytes()[:100])
    damaged = _run(seed_spec)
    assert damaged.damaged and len(damaged.made) == len(stored.made)
    assert _reused(_run(seed_spec)) == len(stored.made)


def test_the_store_is_appended_to_and_compacted(seed_spec: Path) -> None:
    _run(seed_spec)
    everything = len(_run(seed_spec).used)
    path_file = seed_spec.parent / "paths" / "dialer" / "update-stage.yaml"
    sizes = []
    for round_ in range(everything * 2):
        path_file.write_text(path_file.read_text().replace("summary: ", f"summary: {round_}. ", 1))
        journals = _run(seed_spec)
        assert journals.file is not None
        sizes.append(journals.file.stat().st_size)
    # Each run appends its new journals; superseded ones are dropped once they outnumber the rest.
    assert any(later < earlier for earlier, later in itertools.pairwise(sizes))
    assert journals_of(seed_spec).read().keys() >= journals.used
    assert journals_of(seed_spec).stored <= 2 * everything + len(journals.made)


def test_a_table_records_first_reads_and_writes_of_an_open_journal() -> None:
    recorder = Recorder(observe=lambda value: value)
    table = recorder.table("t")
    table["global"] = 1  # no journal open: written by the components, before the operations
    with recorder.recording() as journal:
        assert table.get("global") == 1 and "absent" not in table
        table["mine"] = 2
        assert table["mine"] == 2  # a read of its own write: not recorded
        assert list(table) == ["global", "mine"]
    assert journal.reads == {
        ("t", "global"): b"global",
        ("t", "absent"): b"absent",
        ("t", ("*",)): (("global", b"global"), ("mine", b"own")),
    }
    assert journal.writes == {("t", "mine"): 2}
    with recorder.recording() as reader:
        assert table["mine"] == 2
    assert reader.reads == {("t", "mine"): 2}  # written by a journal: read by value


def test_a_table_refuses_what_a_journal_could_not_record() -> None:
    table = Recorder(observe=lambda value: value).table("t")
    table["a"] = 1
    for bypass in (
        lambda: table.pop("a"),
        lambda: table.update({"b": 2}),
        lambda: table.copy(),
        lambda: table == {"a": 1},
        lambda: table | {"b": 2},
        lambda: table.clear(),
    ):
        with pytest.raises(TypeError, match="journalled reads and writes"):
            bypass()
    assert dict.__eq__(table, {"a": 1})


def test_an_operation_whose_journal_is_not_kept_is_still_read_by_value(tmp_path: Path) -> None:
    """An operation that refers into ``paths`` is modelled every run (its key could not hold
    what it reads); what it writes is still journalled, so that those who read it see a change."""

    def document(example: str) -> dict[str, Any]:
        return {
            "openapi": "3.1.0",
            "info": {"title": "Refs", "version": "1"},
            "paths": {
                "/a": {"post": _operation("first", parameters=[{"$ref": "#/paths/~1b/post/x-p"}])},
                "/b": {"post": _operation("second", **{"x-p": _session_parameter(example)})},
                "/c": {"post": _operation("third", parameters=[_session_parameter("unused")])},
            },
        }

    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document("t1")))
    _run(spec)
    assert len(_run(spec).used) == 2  # the first is never kept
    spec.write_text(yaml.safe_dump(document("t2")))
    after = _run(spec)  # the third's file is as it was; what the first wrote for it is not
    third = build(load(spec)).operations[2]
    assert ("token", "t2") in third.example_headers and len(after.made) == 2
