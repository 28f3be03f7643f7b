"""Generation benchmark: ours against the peers, on the same specs, in one run.

Every tool runs as its own process; we take its wall time and peak memory (the largest resident
set of the process and of everything it waited for, from ``wait4``). After one warm-up round, the
tools are alternated run by run, so machine drift hits all alike. Ours runs cold (an empty cache,
a new output folder: what CI sees), with a warm cache into a new folder, with nothing changed
(no-op) and with one endpoint's file changed; and, as the floor of a run after that change,
``validate`` alone (start-up, reading, validation and the model: nothing rendered or written).
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
PYTHON = ROOT / ".venv" / "bin" / "python"
OURS = [str(PYTHON), "-m", "generator", "generate"]
COLD = "icws-codegen: models + client + server + docs, cold"
VALIDATE_ONLY = "icws-codegen: validate only, one endpoint changed"


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    """The command line, given a new output folder."""
    prepare: Callable[[], dict[str, str]] = dict
    """Run before each run, not timed; returns environment variables for it."""
    after: Callable[[], None] = lambda: None
    """Run after each run, not timed."""
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    mebibytes: list[float] = field(default_factory=list)
    written: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Measured:
    seconds: float
    """Wall time."""
    cpu_seconds: float
    """User and system time of the process and every child it waited for (``wait4``)."""
    mebibytes: float
    """Peak resident set of the process or of any child it waited for (``wait4``)."""
    stdout: str


def measure(command: list[str], env: dict[str, str]) -> Measured:
    """One run of ``command``; fails loudly if the tool fails."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, cwd=ROOT)
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


def tools_for(spec: Path, peer_spec: Path, work: Path, bench_bin: Path) -> list[Tool]:
    """Ours (cold, warm, no-op, one endpoint changed) and every peer, for one spec."""
    steady, warm_cache = work / "ours-steady", work / "warm-cache"
    ours = [*OURS, "--spec", str(spec)]
    caches = iter(range(1_000_000))
    subprocess.run(
        [*ours, "--out", str(steady)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "ICWS_CODEGEN_CACHE": str(warm_cache)},
        stdout=subprocess.DEVNULL,
    )
    changed = sorted((spec.parent / "paths").glob("*/*.yaml"))[-1]
    original = changed.read_text()
    edits = iter(range(1_000_000))

    def cold_cache() -> dict[str, str]:
        return {"ICWS_CODEGEN_CACHE": str(work / f"cold-cache-{next(caches)}")}

    def warm() -> dict[str, str]:
        return {"ICWS_CODEGEN_CACHE": str(warm_cache)}

    def change_one_endpoint() -> dict[str, str]:
        edit = f"Changed {next(edits)}. "
        changed.write_text(original.replace("  summary: ", f"  summary: {edit}", 1))
        return warm()

    def restore() -> None:
        changed.write_text(original)
        subprocess.run(
            [*ours, "--out", str(steady)],
            check=True,
            cwd=ROOT,
            env={**os.environ, **warm()},
            stdout=subprocess.DEVNULL,
        )

    peer = str(peer_spec)
    openapi_generator = [str(bench_bin / "openapi-generator-cli"), "generate", "-i", peer, "-g"]
    return [
        Tool(COLD, lambda o: [*ours, "--out", str(o)], prepare=cold_cache),
        Tool(
            "icws-codegen: new output folder, warm cache",
            lambda o: [*ours, "--out", str(o)],
            prepare=warm,
        ),
        Tool(
            "icws-codegen: no-op (nothing changed)",
            lambda o: [*ours, "--out", str(steady)],
            prepare=warm,
        ),
        Tool(
            "icws-codegen: one endpoint changed",
            lambda o: [*ours, "--out", str(steady)],
            prepare=change_one_endpoint,
            after=restore,
        ),
        Tool(
            VALIDATE_ONLY,
            lambda o: [str(PYTHON), "-m", "generator", "validate", "--spec", str(spec)],
            prepare=change_one_endpoint,
            after=restore,
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
            ],
        ),
        Tool(
            "openapi-generator python (client)",
            lambda o: [*openapi_generator, "python", "-o", str(o)],
        ),
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


def run(tools: list[Tool], runs: int, work: Path, bench_bin: Path) -> None:
    """Every tool ``runs`` times after a warm-up round, alternated. Outputs are kept (``work`` goes
    when the whole benchmark is done): ext4 skips recently deleted inodes when it allocates new
    ones, so a tool run right after thousands of files were deleted pays for the deletion (seen
    here as 0.3 ms per file created, half a second for our 2,351 files)."""
    base = {**os.environ, "PATH": f"{bench_bin}:{os.environ['PATH']}"}
    for round_number in range(runs + 1):  # round 0 warms up
        for index, tool in enumerate(tools):
            env = {**base, **tool.prepare()}
            out = work / f"out-{round_number}-{index}"
            measured = measure(tool.command(out), env)
            tool.after()
            if round_number:
                tool.seconds.append(measured.seconds)
                tool.cpu_seconds.append(measured.cpu_seconds)
                tool.mebibytes.append(measured.mebibytes)
                if tool.name.startswith("icws-codegen") and tool.name != VALIDATE_ONLY:
                    tool.written.append(_written(measured.stdout))
        print(f"    round {round_number} done", file=sys.stderr)


def _written(stdout: str) -> int:
    """How many files our run wrote, from its summary line ("…: N written, …")."""
    for part in stdout.replace(":", ",").split(","):
        if part.strip().endswith("written"):
            return int(part.split()[0])
    return -1


def median(tool: Tool) -> float:
    return statistics.median(tool.seconds)


def table(title: str, operations: int, tools: list[Tool]) -> list[str]:
    cold = median(tools[0])
    lines = [
        f"### {title}: {operations} operations",
        "",
        "| tool | median s | min-max s | CPU s | ms per operation | peak MiB | files written "
        "| time / ours cold |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tool in tools:
        written = str(int(statistics.median(tool.written))) if tool.written else ""
        lines.append(
            f"| {tool.name} | {median(tool):.2f} | {min(tool.seconds):.2f}-{max(tool.seconds):.2f} "
            f"| {statistics.median(tool.cpu_seconds):.2f} | {1000 * median(tool) / operations:.1f} | {statistics.median(tool.mebibytes):.0f} "
            f"| {written} | {median(tool) / cold:.2f}x |"
        )
    return [*lines, ""]


def targets(results: dict[str, tuple[int, list[Tool]]]) -> list[str]:
    """The issue's targets, each computed from this run's medians."""
    lines = ["### Targets", "", "| target | measured | met |", "|---|---|:-:|"]

    def row(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    def by_name(tools: list[Tool]) -> dict[str, float]:
        return {t.name: median(t) for t in tools}

    if "seed" in results:
        _, tools = results["seed"]
        m = by_name(tools)
        opc, og = m["openapi-python-client (client)"], m["openapi-generator python (client)"]
        row(
            "seed: ours (everything) no slower than openapi-python-client (client)",
            f"{m[COLD]:.2f} s vs {opc:.2f} s",
            m[COLD] <= opc,
        )
        row(
            "seed: at least 3x faster than openapi-generator python",
            f"{og / m[COLD]:.1f}x",
            og / m[COLD] >= 3,
        )
    if "1000" in results:
        _, tools = results["1000"]
        m = by_name(tools)
        peak = statistics.median(tools[0].mebibytes)
        og_all = sum(
            m[f"openapi-generator {g}"]
            for g in ("python (client)", "python-fastapi (server)", "markdown (docs)")
        )
        row("1,000 operations: at most 3 s", f"{m[COLD]:.2f} s", m[COLD] <= 3)
        row(
            "1,000: at least 5x faster than openapi-python-client",
            f"{m['openapi-python-client (client)'] / m[COLD]:.1f}x",
            m["openapi-python-client (client)"] / m[COLD] >= 5,
        )
        row(
            "1,000: at least 7x faster than openapi-generator python + python-fastapi + markdown",
            f"{og_all / m[COLD]:.1f}x",
            og_all / m[COLD] >= 7,
        )
        row(
            "1,000: at least 8x faster than fastapi-code-generator",
            f"{m['fastapi-code-generator (server)'] / m[COLD]:.1f}x",
            m["fastapi-code-generator (server)"] / m[COLD] >= 8,
        )
        row("1,000: peak memory at most 200 MiB", f"{peak:.0f} MiB", peak <= 200)
        noop = next(t for t in tools if "no-op" in t.name)
        one = next(t for t in tools if "one endpoint" in t.name)
        row(
            "1,000: no-op at most 0.5 s, zero files written",
            f"{median(noop):.2f} s, {max(noop.written)} written",
            median(noop) <= 0.5 and max(noop.written) == 0,
        )
        row(
            "1,000: one endpoint changed at most 25% of a cold run",
            f"{100 * median(one) / m[COLD]:.0f}%",
            median(one) <= 0.25 * m[COLD],
        )
    if "300" in results and "1000" in results:
        per_300 = median(results["300"][1][0]) / results["300"][0]
        per_1000 = median(results["1000"][1][0]) / results["1000"][0]
        row(
            "cost per operation flat from 300 to 1,000 (within 15%)",
            f"{1000 * per_300:.2f} → {1000 * per_1000:.2f} ms",
            per_1000 <= 1.15 * per_300,
        )
    return [*lines, ""]


def floors(results: dict[str, tuple[int, list[Tool]]]) -> list[str]:
    """Lower bounds, from this run, of the figures the time targets are set on: the work a run
    cannot skip after one endpoint changed, and the CPU a cold run spends over the CPUs it has."""
    if "1000" not in results:
        return []
    tools = {tool.name: tool for tool in results["1000"][1]}
    cold, validate_only = tools[COLD], tools[VALIDATE_ONLY]
    cpu, cpus = statistics.median(cold.cpu_seconds), os.cpu_count() or 1
    return [
        "### Floors (1,000 operations)",
        "",
        f"- One endpoint changed: `validate` alone after the same change (start-up, reading the "
        f"spec, validating it whole and modelling it; nothing rendered or written) takes "
        f"{median(validate_only):.2f} s, {100 * median(validate_only) / median(cold):.0f}% of a "
        "cold run.",
        f"- Cold: {cpu:.2f} s of CPU on {cpus} CPUs, so no less than {cpu / cpus:.2f} s of wall "
        f"time however well the work is spread ({median(cold):.2f} s measured).",
        "",
    ]


def report(sizes: list[str], runs: int, bench_bin: Path) -> str:
    """The generation section of the results, as Markdown."""
    sections, results = ["## Generation", ""], {}
    with tempfile.TemporaryDirectory(prefix="icws-bench-") as temp:
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
            tools = tools_for(
                spec_dir / "openapi.yaml", spec_dir / "openapi-3.0.json", work, bench_bin
            )
            run(tools, runs, work, bench_bin)
            results[size] = (count, tools)
            title = "The seed spec (ours)" if size == "seed" else "Synthetic spec"
            sections += table(title, count, tools)
    return "\n".join([*sections, *targets(results), *floors(results)])


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
