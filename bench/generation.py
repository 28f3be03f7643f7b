"""Generation benchmark: ours against the peers, on the same specs, in one run.

Every tool runs as its own process; we take its wall time and peak memory (the largest resident set
of the process and everything it waited for, from ``wait4``). After one warm-up round, the tools
are alternated run by run, so machine drift hits all alike. Prints a Markdown section.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = [str(ROOT / ".venv" / "bin" / "python"), "-m", "generator", "generate"]


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    """The command line, given a fresh output folder."""
    prepare: Callable[[], None] = lambda: None
    """Run before each run, not timed."""
    after: Callable[[], None] = lambda: None
    """Run after each run, not timed."""
    seconds: list[float] = field(default_factory=list)
    mebibytes: list[float] = field(default_factory=list)


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one run of ``command``; fails loudly if the tool fails."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def tools_for(spec: Path, peer_spec: Path, work: Path, bench_bin: Path) -> list[Tool]:
    """Ours (cold, no-op, one endpoint changed) and every peer, for one spec."""
    steady = work / "ours-steady"
    subprocess.run([*OURS, "--spec", str(spec), "--out", str(steady)], check=True, cwd=ROOT)
    changed = sorted((spec.parent / "paths").glob("*/*.yaml"))[-1]
    original = changed.read_text()
    flips = iter(range(1_000_000))

    def change_one_endpoint() -> None:
        marker = f"\n# benchmark edit {next(flips)}\n"
        changed.write_text(original.replace("  summary: ", "  summary: Changed. ", 1) + marker)

    def restore_after_change() -> None:
        changed.write_text(original)
        subprocess.run(
            [*OURS, "--spec", str(spec), "--out", str(steady)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )

    peer = str(peer_spec)
    generator = [str(bench_bin / "openapi-generator-cli"), "generate", "-i", peer, "-g"]
    return [
        Tool(
            "ours: models + client + server + docs",
            lambda o: [*OURS, "--spec", str(spec), "--out", str(o)],
        ),
        Tool("ours: no-op", lambda o: [*OURS, "--spec", str(spec), "--out", str(steady)]),
        Tool(
            "ours: one endpoint changed",
            lambda o: [*OURS, "--spec", str(spec), "--out", str(steady)],
            prepare=change_one_endpoint,
            after=restore_after_change,
        ),
        Tool(
            "openapi-python-client (client)",
            lambda o: [
                str(bench_bin / "openapi-python-client"),
                "generate",
                "--path",
                peer,
                "--output-path",
                str(o),
                "--overwrite",
            ],
        ),
        Tool("openapi-generator python (client)", lambda o: [*generator, "python", "-o", str(o)]),
        Tool(
            "openapi-generator python-fastapi (server)",
            lambda o: [*generator, "python-fastapi", "-o", str(o)],
        ),
        Tool("openapi-generator markdown (docs)", lambda o: [*generator, "markdown", "-o", str(o)]),
        Tool(
            "fastapi-code-generator (server)",
            lambda o: [str(bench_bin / "fastapi-codegen"), "--input", peer, "--output", str(o)],
        ),
    ]


def run(tools: list[Tool], runs: int, work: Path, env: dict[str, str]) -> None:
    for round_number in range(runs + 1):  # round 0 is the warm-up
        for index, tool in enumerate(tools):
            tool.prepare()
            out = work / f"out-{round_number}-{index}"
            seconds, mebibytes = measure(tool.command(out), env)
            tool.after()
            shutil.rmtree(out, ignore_errors=True)
            if round_number:
                tool.seconds.append(seconds)
                tool.mebibytes.append(mebibytes)
        print(f"  round {round_number} done", file=sys.stderr)


def table(title: str, operations: int, tools: list[Tool]) -> list[str]:
    tools = [t for t in tools if t.seconds]
    ours = statistics.median(tools[0].seconds)
    lines = [
        f"### {title}: {operations} operations",
        "",
        "| tool | median s | min-max s | ms per operation | peak MiB (median) | its time / ours |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for tool in tools:
        median = statistics.median(tool.seconds)
        lines.append(
            f"| {tool.name} | {median:.2f} | {min(tool.seconds):.2f}-{max(tool.seconds):.2f} "
            f"| {1000 * median / operations:.1f} | {statistics.median(tool.mebibytes):.0f} "
            f"| {median / ours:.2f}x |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,300,1000", help="seed and/or operation counts")
    parser.add_argument(
        "--runs", type=int, default=5, help="measured runs per tool (after a warm-up)"
    )
    parser.add_argument("--bench-bin", type=Path, default=ROOT / ".bench-venv" / "bin")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{args.bench_bin}:{os.environ['PATH']}"}
    sections, raw = ["## Generation", ""], {}
    with tempfile.TemporaryDirectory(prefix="icws-bench-") as temp:
        for size in args.sizes.split(","):
            work = Path(temp) / size
            spec_dir = work / "spec"
            synth = [OURS[0], str(ROOT / "bench" / "synth.py"), str(spec_dir), "--openapi-30"]
            if size == "seed":
                shutil.copytree(ROOT / "spec", spec_dir)
            else:
                synth += ["--count", size]
            subprocess.run(synth, check=True, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)})
            spec = spec_dir / "openapi.yaml"
            operations = json.loads((spec_dir / "openapi-3.0.json").read_text())["paths"]
            count = sum(len([m for m in item if m != "parameters"]) for item in operations.values())
            print(f"{size}: {count} operations", file=sys.stderr)
            tools = tools_for(spec, spec_dir / "openapi-3.0.json", work, args.bench_bin)
            run(tools, args.runs, work, env)
            title = "The seed spec" if size == "seed" else "Synthetic spec"
            sections += table(title, count, tools)
            raw[size] = {
                t.name: {"seconds": t.seconds, "mebibytes": t.mebibytes} for t in tools if t.seconds
            }
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1))
    print("\n".join(sections))


if __name__ == "__main__":
    main()
