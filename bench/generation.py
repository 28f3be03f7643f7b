"""Generation benchmark: ours against the generator before the speed layer came out and against
the peers, on the same specs, in one run.

Every tool runs as its own process; we take its wall time, CPU time and peak memory (the largest
resident set of the process and of everything it waited for, from ``wait4``). After one warm-up
round the tools alternate run by run, so machine drift hits all alike, and two tools are compared
round by round (the median of the ratios of their times in the same round). Ours runs cold (an
empty cache folder, a new output folder: what CI sees), with nothing changed (no-op) and with one
endpoint's file changed; the generator as it was at ``BASELINE`` runs cold beside it, from a git
worktree set up as its Makefile set it up. Then the generated clients are imported in new
processes: ours reaching one tag's client, openapi-python-client's one endpoint module.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BASELINE = "f341ce9"
"""The last commit with the speed layer (journals, store, fragments, forked stages, templates
compiled at set-up): the commit before the work this benchmark measures."""
COLD = "icws-codegen: models + client + server + docs, cold"
BASELINE_COLD = f"icws-codegen at {BASELINE} (before): cold"
NO_OP = "icws-codegen: no-op (nothing changed)"
ONE_CHANGED = "icws-codegen: one endpoint changed"
OPC = "openapi-python-client (client)"
OG_PYTHON = "openapi-generator python (client)"
SUMMARY = re.compile(r"^.*: (\d+) written, \d+ unchanged", re.MULTILINE)
"""Our run's last line (both commits print it alike)."""


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    """The command line, given a new output folder."""
    prepare: Callable[[], dict[str, str]] = dict
    """Run before each run, not timed; returns environment variables for it."""
    after: Callable[[], None] = lambda: None
    """Run after each run, not timed."""
    cwd: Path = ROOT
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    mebibytes: list[float] = field(default_factory=list)
    written: list[int] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    """The output folder given to each run."""


@dataclass(frozen=True)
class Measured:
    seconds: float
    """Wall time."""
    cpu_seconds: float
    """User and system time of the process and every child it waited for (``wait4``)."""
    mebibytes: float
    """Peak resident set of the process or of any child it waited for (``wait4``)."""
    stdout: str


@dataclass(frozen=True)
class Size:
    """One spec's figures: the generators, then the imports of the generated clients."""

    operations: int
    tools: list[Tool]
    imports: list[Tool]

    def tool(self, name: str) -> Tool:
        return next(tool for tool in self.tools if tool.name == name)


def measure(command: list[str], env: dict[str, str], cwd: Path) -> Measured:
    """One run of ``command``; fails loudly if the tool fails."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(
                f"{' '.join(command)} failed ({process.returncode}):\n"
                f"{err.read().decode(errors='replace')[-2000:]}"
            )
        return Measured(
            elapsed,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            out.read().decode(errors="replace"),
        )


def compile_bytecode(tree: Path) -> None:
    """Compile ``tree``'s generator to bytecode, as pip compiles a package it installs (ours is
    installed editable, and with ``PYTHONDONTWRITEBYTECODE`` set it would be compiled afresh on
    every run; the peers run from the bytecode pip compiled)."""
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", "generator"], check=True, cwd=tree)


@contextlib.contextmanager
def baseline_tree(temp: Path) -> Iterator[Path]:
    """A git worktree of ``BASELINE`` in ``temp``, set up as its Makefile set it up (its modules
    and its templates compiled), removed when the block ends."""
    tree = temp / f"icws-codegen-{BASELINE}"
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run([*git, "add", "--detach", "--quiet", str(tree), BASELINE], check=True)
    try:
        compile_bytecode(tree)
        subprocess.run(
            [
                str(PYTHON),
                "-c",
                "import generator.config as c, generator.render as r; "
                "r.compile_at_setup([c.BUILTIN_TEMPLATES])",
            ],
            check=True,
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
        )
        yield tree
    finally:
        subprocess.run([*git, "remove", "--force", str(tree)], check=True)


def tools_for(
    spec: Path, peer_spec: Path, work: Path, steady: Path, baseline: Path, bench_bin: Path
) -> list[Tool]:
    """Ours (cold, no-op, one endpoint changed), ``BASELINE`` cold and every peer, for one spec.
    The no-op and the changed endpoint regenerate ``steady``."""
    ours = [str(PYTHON), "-m", "generator", "generate", "--spec", str(spec)]
    steady_cache = {"ICWS_CODEGEN_CACHE": str(work / "steady-cache")}
    subprocess.run(
        [*ours, "--out", str(steady)],
        check=True,
        cwd=ROOT,
        env={**os.environ, **steady_cache},
        stdout=subprocess.DEVNULL,
    )
    changed = sorted((spec.parent / "paths").glob("*/*.yaml"))[-1]
    original = changed.read_text()
    caches, edits = itertools.count(), itertools.count()

    def cold_cache() -> dict[str, str]:
        return {"ICWS_CODEGEN_CACHE": str(work / f"cold-cache-{next(caches)}")}

    def change_one_endpoint() -> dict[str, str]:
        edit = f"Changed {next(edits)}. "
        changed.write_text(original.replace("  summary: ", f"  summary: {edit}", 1))
        return steady_cache

    def restore() -> None:
        changed.write_text(original)
        subprocess.run(
            [*ours, "--out", str(steady)],
            check=True,
            cwd=ROOT,
            env={**os.environ, **steady_cache},
            stdout=subprocess.DEVNULL,
        )

    peer = str(peer_spec)
    openapi_generator = [str(bench_bin / "openapi-generator-cli"), "generate", "-i", peer, "-g"]
    return [
        Tool(COLD, lambda o: [*ours, "--out", str(o)], prepare=cold_cache),
        Tool(NO_OP, lambda o: [*ours, "--out", str(steady)], prepare=lambda: steady_cache),
        Tool(
            ONE_CHANGED,
            lambda o: [*ours, "--out", str(steady)],
            prepare=change_one_endpoint,
            after=restore,
        ),
        Tool(
            BASELINE_COLD,
            lambda o: [*ours, "--out", str(o)],
            prepare=lambda: {**cold_cache(), "PYTHONPATH": str(baseline)},
            cwd=baseline,
        ),
        Tool(
            OPC,
            lambda o: [
                str(bench_bin / "openapi-python-client"),
                "generate",
                "--path",
                peer,
                "--output-path",
                str(o),
            ],
        ),
        Tool(OG_PYTHON, lambda o: [*openapi_generator, "python", "-o", str(o)]),
        Tool(
            "openapi-generator python-fastapi (server)",
            lambda o: [*openapi_generator, "python-fastapi", "-o", str(o)],
        ),
        Tool(
            "openapi-generator markdown (docs)",
            lambda o: [*openapi_generator, "markdown", "-o", str(o)],
        ),
        Tool(
            "fastapi-code-generator (server)",
            lambda o: [str(bench_bin / "fastapi-codegen"), "--input", peer, "--output", str(o)],
        ),
    ]


def import_tools(ours: Path, opc: Path, work: Path, bench_bin: Path) -> list[Tool]:
    """Importing our package and reaching one tag's client (the middle one of those the generated
    README lists), and importing openapi-python-client's module of one endpoint of the same tag,
    each in a new process of the benchmark venv with the output folder on ``PYTHONPATH``. Both
    are compiled to bytecode first, as pip compiles a package it installs."""
    python = str(bench_bin / "python")
    for folder in (ours, opc):
        subprocess.run([python, "-m", "compileall", "-q", str(folder)], check=True)
    readme = (ours / "README.md").read_text()
    attributes = list(dict.fromkeys(re.findall(r"`client\.(\w+)\.\w+\(\)`", readme)))
    if not attributes:
        raise SystemExit(f"no `client.<tag>.<operation>()` in {ours / 'README.md'}")
    tag = attributes[len(attributes) // 2]
    package = next(path for path in opc.iterdir() if (path / "api").is_dir())
    # The two generators spell a tag's module differently (``dialer_5``, ``dialer5``).
    theirs = next(
        (p for p in (package / "api").iterdir() if p.name.replace("_", "") == tag.replace("_", "")),
        package / "api" / tag,
    )
    endpoints = sorted(p.stem for p in theirs.glob("*.py") if p.stem != "__init__")
    if not endpoints:
        raise SystemExit(f"openapi-python-client made no endpoint module in {theirs}")
    ours_code = f"import icws_api; c = icws_api.Client('http://127.0.0.1:9'); c.{tag}"
    opc_code = f"from {package.name}.api.{theirs.name} import {endpoints[0]}"
    return [
        Tool(
            f"icws-codegen: `{ours_code}`",
            lambda o: [python, "-c", ours_code],
            prepare=lambda: {"PYTHONPATH": str(ours)},
            cwd=work,
        ),
        Tool(
            f"openapi-python-client: `{opc_code}`",
            lambda o: [python, "-c", opc_code],
            prepare=lambda: {"PYTHONPATH": str(opc)},
            cwd=work,
        ),
    ]


def run(tools: list[Tool], runs: int, work: Path, bench_bin: Path) -> None:
    """Every tool ``runs`` times after a warm-up round, alternated. Outputs are kept (``work`` goes
    when the whole benchmark is done): ext4 skips recently deleted inodes when it allocates new
    ones, so a tool run right after thousands of files were deleted pays for the deletion (seen
    here as 0.3 ms per file created, half a second for our 2,351 files)."""
    base = {**os.environ, "PATH": f"{bench_bin}:{os.environ['PATH']}"}
    for round_number in range(runs + 1):  # round 0 warms up
        for index, tool in enumerate(tools):
            env = {**base, **tool.prepare()}
            tool.outputs.append(work / f"out-{round_number}-{index}")
            measured = measure(tool.command(tool.outputs[-1]), env, tool.cwd)
            tool.after()
            if round_number:
                tool.seconds.append(measured.seconds)
                tool.cpu_seconds.append(measured.cpu_seconds)
                tool.mebibytes.append(measured.mebibytes)
                if summary := SUMMARY.search(measured.stdout):
                    tool.written.append(int(summary[1]))
        print(f"    round {round_number} done", file=sys.stderr)


def median(tool: Tool) -> float:
    return statistics.median(tool.seconds)


def paired(tool: Tool, other: Tool) -> float:
    """The median, over rounds, of ``tool``'s time over ``other``'s in the same round."""
    return statistics.median(a / b for a, b in zip(tool.seconds, other.seconds, strict=True))


def table(title: str, size: Size) -> list[str]:
    cold = size.tool(COLD)
    lines = [
        f"### {title}: {size.operations} operations",
        "",
        "| tool | median s | min-max s | CPU s | ms per operation | peak MiB | files written "
        "| time / ours cold |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tool in size.tools:
        written = str(int(statistics.median(tool.written))) if tool.written else ""
        lines.append(
            f"| {tool.name} | {median(tool):.2f} | {min(tool.seconds):.2f}-{max(tool.seconds):.2f} "
            f"| {statistics.median(tool.cpu_seconds):.2f} "
            f"| {1000 * median(tool) / size.operations:.1f} "
            f"| {statistics.median(tool.mebibytes):.0f} | {written} | {paired(tool, cold):.2f}x |"
        )
    ours, opc = size.imports
    lines += [
        "",
        "Importing the generated client, in a new process:",
        "",
        "| import | median s | min-max s | peak MiB | time / openapi-python-client |",
        "|---|---:|---:|---:|---:|",
    ]
    for tool in (ours, opc):
        lines.append(
            f"| {tool.name} | {median(tool):.3f} | {min(tool.seconds):.3f}-{max(tool.seconds):.3f} "
            f"| {statistics.median(tool.mebibytes):.0f} | {paired(tool, opc):.2f}x |"
        )
    return [*lines, ""]


def generator_lines(tree: Path) -> int:
    """Lines of the generator's Python files (``generator/**/*.py``) in ``tree``, as ``wc -l``
    counts them."""
    return sum(path.read_bytes().count(b"\n") for path in (tree / "generator").rglob("*.py"))


def targets(results: dict[str, Size], lines_before: int, lines_now: int) -> list[str]:
    """The issue's targets, each computed from this run (ratios round by round, see
    :func:`paired`), at 1,000 operations or, in a trimmed run, the largest size measured."""
    lines = ["### Targets", ""]

    def row(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    size = results.get("1000") or max(results.values(), key=lambda s: s.operations)
    at = f"{size.operations:,} operations"
    if size.operations != 1000:
        lines += [f"This run did not measure 1,000 operations: the targets read {at}.", ""]
    lines += ["| target | measured | met |", "|---|---|:-:|"]
    cold, before = size.tool(COLD), size.tool(BASELINE_COLD)
    ratio = paired(cold, before)
    row(
        f"Cold, {at}: no slower than 1.1x the generator at {BASELINE}",
        f"{median(cold):.2f} s vs {median(before):.2f} s: {ratio:.2f}x",
        ratio <= 1.1,
    )
    for name in (OPC, OG_PYTHON):
        peer = size.tool(name)
        faster = paired(peer, cold)
        row(
            f"Cold, {at}: at least 4x faster than {name} alone",
            f"{faster:.1f}x ({median(peer):.2f} s)",
            faster >= 4,
        )
    no_op = size.tool(NO_OP)
    row(
        f"No-op, {at}: at most 0.25 s, zero files written",
        f"{median(no_op):.2f} s, {max(no_op.written)} written",
        median(no_op) <= 0.25 and max(no_op.written) == 0,
    )
    one = size.tool(ONE_CHANGED)
    ratio = paired(one, cold)
    row(
        f"One endpoint changed, {at}: at most 0.7x a cold run",
        f"{median(one):.2f} s: {ratio:.2f}x",
        ratio <= 0.7,
    )
    ours, opc = size.imports
    ratio, peak = paired(ours, opc), statistics.median(ours.mebibytes)
    row(
        f"Import and reach one tag's client, {at}: at most 0.15x openapi-python-client's "
        "import of one endpoint module",
        f"{median(ours):.3f} s vs {median(opc):.3f} s: {ratio:.2f}x",
        ratio <= 0.15,
    )
    row(f"Import and reach one tag's client, {at}: at most 60 MiB", f"{peak:.0f} MiB", peak <= 60)
    peak = statistics.median(cold.mebibytes)
    row(f"Cold, {at}: peak memory at most 200 MiB", f"{peak:.0f} MiB", peak <= 200)
    shorter = lines_before - lines_now
    row(
        f"`generator/` (its .py lines) at least 1,200 lines shorter than at {BASELINE}",
        f"{lines_before:,} → {lines_now:,}: {shorter:,} shorter",
        shorter >= 1200,
    )
    return [*lines, ""]


def report(sizes: list[str], runs: int, bench_bin: Path) -> str:
    """The generation section of the results, as Markdown."""
    sections, results = ["## Generation", ""], {}
    with (
        tempfile.TemporaryDirectory(prefix="icws-bench-") as temp,
        baseline_tree(Path(temp)) as baseline,
    ):
        compile_bytecode(ROOT)
        for size in sizes:
            work = Path(temp) / size
            spec_dir = work / "spec"
            synth = [str(PYTHON), str(ROOT / "bench" / "synth.py"), str(spec_dir), "--openapi-30"]
            if size == "seed":
                shutil.copytree(ROOT / "spec", spec_dir)
            else:
                synth += ["--count", size]
            subprocess.run(synth, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
            document = json.loads((spec_dir / "openapi-3.0.json").read_text())
            count = sum(
                len([m for m in item if m != "parameters"]) for item in document["paths"].values()
            )
            print(f"  generation, {size}: {count} operations", file=sys.stderr)
            steady = work / "ours-steady"
            tools = tools_for(
                spec_dir / "openapi.yaml",
                spec_dir / "openapi-3.0.json",
                work,
                steady,
                baseline,
                bench_bin,
            )
            run(tools, runs, work, bench_bin)
            opc = next(tool for tool in tools if tool.name == OPC)
            imports = import_tools(steady, opc.outputs[-1], work, bench_bin)
            run(imports, runs, work, bench_bin)
            results[size] = Size(count, tools, imports)
            title = "The seed spec (ours)" if size == "seed" else "Synthetic spec"
            sections += table(title, results[size])
        lines = generator_lines(baseline), generator_lines(ROOT)
    return "\n".join([*sections, *targets(results, *lines)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,300,1000", help="seed and/or operation counts")
    parser.add_argument(
        "--runs", type=int, default=5, help="measured runs per tool (after a warm-up)"
    )
    parser.add_argument("--bench-bin", type=Path, default=ROOT / ".bench-venv" / "bin")
    args = parser.parse_args()
    print(report(args.sizes.split(","), args.runs, args.bench_bin))


if __name__ == "__main__":
    main()
