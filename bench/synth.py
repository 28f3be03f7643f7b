"""Write a synthetic spec of N operations made from ours: the same shapes, distinct names.

The seed endpoints of ``spec/`` are kept; the dialer endpoints are repeated under new paths,
operationIds, schema titles and tags (about 25 operations per tag, as in the ICWS API), one Path
Item file each, in the same layout as ``spec/``. ``--openapi-30`` also writes ``openapi-3.0.json``,
one bundled document in OpenAPI 3.0 for the tools that read no 3.1.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path
from typing import Any

SPEC = Path(__file__).resolve().parent.parent / "spec"
OPERATIONS_PER_TAG = 25


def synthesize(count: int, out: Path) -> None:
    """Write ``out/openapi.yaml`` with ``count`` operations, ``out/components`` and ``out/paths``."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(SPEC / "components", out / "components")
    shutil.copytree(SPEC / "paths" / "connection", out / "paths" / "connection")
    root = (SPEC / "openapi.yaml").read_text()
    seeds = sorted((SPEC / "paths" / "dialer").glob("*.yaml"))
    originals = [line for line in root.splitlines() if "paths/connection/" in line]
    lines, tags = [], set()
    for index in range(count - len(originals)):
        seed = seeds[index % len(seeds)]
        tag = f"dialer{index // OPERATIONS_PER_TAG}"
        tags.add(tag)
        name = f"{seed.stem}-{index}"
        # Quoted or not, as an endpoint file may be written (new-endpoint quotes its values).
        text = re.sub(r'tags: \["?dialer"?\]', f"tags: [{tag}]", seed.read_text())
        text = re.sub(r'(operationId|title): "?(\w+)"?', rf"\1: \g<2>{index}", text)
        target = out / "paths" / tag / f"{name}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        lines.append(f"  /icws/{{sessionId}}/{tag}/{name}: {{$ref: paths/{tag}/{name}.yaml}}")
    head, _, tail = root.partition("\npaths:\n")
    tail = "\n".join(line for line in tail.splitlines() if not line.startswith("  /"))
    tag_list = "".join(f"  - name: {tag}\n" for tag in sorted(tags, key=lambda t: int(t[6:])))
    head = re.sub(r"\n  - name: dialer\n    description: [^\n]*\n", "\n" + tag_list, head)
    body = "\n".join(originals + lines)
    (out / "openapi.yaml").write_text(f"{head}\npaths:\n{body}\n{tail}\n")


def to_openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    """The same API in OpenAPI 3.0.3 for the peers.

    ``const`` becomes a one-value enum and 3.1-only keywords are dropped; request bodies keep
    only ``application/json`` (openapi-python-client makes duplicate models of a body offered
    in two media types, and skips the operation).
    """

    def convert(node: Any) -> Any:
        if isinstance(node, dict):
            node = {key: convert(value) for key, value in node.items()}
            if "const" in node:
                node["enum"] = [node.pop("const")]
                if isinstance(node["enum"][0], str):
                    node.setdefault("type", "string")
            node.pop("propertyNames", None)
            if isinstance(node.get("examples"), list) and "example" not in node:
                node["example"] = node["examples"][0]
            if isinstance(node.get("examples"), list):
                del node["examples"]
            return node
        if isinstance(node, list):
            return [convert(item) for item in node]
        return node

    converted = convert(document)
    for item in converted["paths"].values():
        for operation in item.values():
            content = (
                operation.get("requestBody", {}).get("content", {})
                if isinstance(operation, dict)
                else {}
            )
            for media_type in [m for m in content if m != "application/json"]:
                del content[media_type]
    converted["openapi"] = "3.0.3"
    converted["info"].pop("summary", None)
    converted.pop("jsonSchemaDialect", None)
    return converted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced, unless no --count)")
    parser.add_argument(
        "--count", type=int, help="operations; without it, OUT holds a spec already"
    )
    parser.add_argument("--openapi-30", action="store_true", help="also write openapi-3.0.json")
    args = parser.parse_args()
    if args.count:
        synthesize(args.count, args.out)
    if args.openapi_30:
        from generator.spec.load import load

        document = load(args.out / "openapi.yaml").document
        (args.out / "openapi-3.0.json").write_text(json.dumps(to_openapi_30(document), indent=1))


if __name__ == "__main__":
    main()
