"""Render: the template tree → ``{relative output path: text}``, without touching the disk.

The template tree mirrors the output tree: ``templates/{package}/models.py.jinja`` renders to
``<package>/models.py``. A template whose path holds ``{tag}``, ``{operation}`` or ``{model}``
renders once per tag, operation or model. A ``.py`` file (code that is the same for every spec)
is copied as it is. Folders at the top of the tree whose names start with ``_`` (``_macros``,
``_scaffold``) hold shared macros and render nothing themselves; deeper down, such a folder is a
private package of the output (``{package}/_models``). Several template folders can be layered:
the first that has a file wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

import jinja2

from generator.ir.nodes import Api
from generator.render.env import environment

SUFFIX = ".jinja"
COPIED = ".py"


def render(api: Api, template_dirs: Sequence[Path]) -> dict[str, str]:
    """Every output file's text, keyed by its path relative to the output folder."""
    env = environment(template_dirs)
    outputs: dict[str, str] = {}
    for name in sorted(env.list_templates(filter_func=_is_output)):
        path = output_path(name, api)
        if not name.endswith(SUFFIX):
            outputs[path] = _source(env, name)
            continue
        template = env.get_template(name)
        placeholder = next((p for p in _COLLECTIONS if p in path), None)
        if placeholder is None:
            outputs[path] = template.render(api=api)
            continue
        for slug, context in _COLLECTIONS[placeholder](api):
            outputs[_checked(path.replace(placeholder, slug))] = template.render(api=api, **context)
    return outputs


def _source(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


def _per_tag(api: Api) -> list[tuple[str, dict[str, object]]]:
    return [(tag.module, {"tag": tag}) for tag in api.tags]


def _per_operation(api: Api) -> list[tuple[str, dict[str, object]]]:
    return [(op.slug, {"operation": op, "tag": tag}) for tag in api.tags for op in tag.operations]


def _per_model(api: Api) -> list[tuple[str, dict[str, object]]]:
    return [(model.name, {"model": model}) for model in api.all_models]


_COLLECTIONS: dict[str, Callable[[Api], list[tuple[str, dict[str, object]]]]] = {
    "{tag}": _per_tag,
    "{operation}": _per_operation,
    "{model}": _per_model,
}


def _is_output(name: str) -> bool:
    """Whether a file of the template tree makes an output file: a template, or a Python file to
    copy, outside the top-level ``_`` folders of shared macros."""
    top = name.split("/")[0]
    return name.endswith((SUFFIX, COPIED)) and not (top.startswith("_") and "/" in name)


def output_path(template_name: str, api: Api) -> str:
    """Where a file of the template tree goes: ``{package}`` filled, a ``.jinja`` suffix dropped."""
    path = template_name.removesuffix(SUFFIX)
    return _checked(path.replace("{package}", api.package))


def _checked(path: str) -> str:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise ValueError(f"{path!r} would be written outside the output folder")
    return str(pure)
