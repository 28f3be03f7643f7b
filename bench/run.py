"""``make bench``: the generation and runtime benchmarks, written to ``bench/results.md``."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generation
import runtime

ROOT = Path(__file__).resolve().parent.parent


def machine(bench_bin: Path) -> list[str]:
    """What the figures were measured on, and with which versions."""

    def first_line(command: list[str]) -> str:
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError:
            return "missing"
        return (result.stdout or result.stderr).strip().splitlines()[0]

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    return [
        f"- When: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}",
        f"- Machine: {os.cpu_count()} CPUs ({cpu}), {memory} memory, {platform.platform()}",
        f"- Python {platform.python_version()}; {first_line(['java', '-version'])}; "
        f"{first_line(['wrk', '--version'])}",
        "- Peers (bench/requirements.txt, in .bench-venv): "
        + ", ".join(
            line.strip()
            for line in (ROOT / "bench" / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="seed,300,1000")
    parser.add_argument("--seconds", type=int, default=5, help="length of one server load run")
    parser.add_argument("--bench-bin", type=Path, default=ROOT / ".bench-venv" / "bin")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--skip-runtime", action="store_true")
    args = parser.parse_args()
    command = f"make bench BENCH_RUNS={args.runs} BENCH_SIZES={args.sizes}"
    sections = [
        "# Benchmark results",
        "",
        f"Made by `{command}` (see bench/README.md for what each figure is). Medians of "
        f"{args.runs} runs after a warm-up, the tools alternated run by run.",
        "",
        *machine(args.bench_bin),
        "",
        generation.report(args.sizes.split(","), args.runs, args.bench_bin),
    ]
    if not args.skip_runtime:
        sections.append(runtime.report(args.runs, args.seconds, args.bench_bin))
    text = "\n".join(sections).rstrip() + "\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
