"""The whole suite (`pytest tests`, as `make test` runs it after set-up) serial and with `-n 2`, interleaved,
with where the time went (bench/timing_plugin.py, summed over the workers). Long: `make bench-suite`."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.figures import Figure, failed
from bench.timing_plugin import read_totals
from harness.settings import KNOWN_VARIABLES

MODES = {"serial": [], "-n 2": ["-n", "2", "--dist", "loadgroup"]}


def _summary(output: str) -> str:
    lines = [line.strip("= ") for line in output.splitlines() if " in " in line and ("passed" in line
                                                                                        or "failed" in line)]
    return lines[-1] if lines else "no summary"


def _once(project: Path, extra: list[str], timeout_s: float) -> tuple[float | None, str, float,
                                                                      dict[str, dict[str, float]]]:
    with tempfile.TemporaryDirectory(prefix="bcoauth-bench-suite-") as root:
        folder = Path(root)
        env = {k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}
        env.update(ENV_FILE=os.devnull, REPORTS_DIR=str(folder / "reports"), BENCH_TIMINGS=str(folder / "t.json"))
        command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", "-p",
                   "bench.timing_plugin", "--output", str(folder / "test-results"), *extra]
        started = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=timeout_s,
                                  check=False)
        except subprocess.TimeoutExpired:
            return None, f"did not finish within {timeout_s:.0f} s", os.getloadavg()[0], {}
        wall = time.perf_counter() - started
        summary = _summary(done.stdout)
        if done.returncode != 0:
            summary = f"exit {done.returncode}: {summary}"
        return wall, summary, round(os.getloadavg()[0], 2), read_totals(folder / "t.json")


def run(project: Path, rounds: int = 1, timeout_s: float = 1200.0) -> list[Figure]:
    results: dict[str, list[tuple[float | None, str, float, dict[str, dict[str, float]]]]] = {m: [] for m in MODES}
    for _ in range(rounds):
        for mode, extra in MODES.items():
            results[mode].append(_once(project, extra, timeout_s))
    figures: list[Figure] = []
    medians: dict[str, float] = {}
    for mode, runs in results.items():
        walls = [wall for wall, *_ in runs if wall is not None]
        notes = "; ".join(f"{summary} (load avg {load})" for _, summary, load, _ in runs)
        if not walls:
            figures.append(failed(f"Whole suite wall time, {mode}", "s", notes))
            continue
        medians[mode] = statistics.median(walls)
        figures.append(Figure(f"Whole suite wall time, {mode}", medians[mode], "s", notes))
        for category in runs[-1][3]:
            seconds = statistics.median(t[category]["seconds"] for *_, t in runs if t)
            count = runs[-1][3][category]["count"]
            figures.append(Figure(f"Whole suite ({mode}) time in {category}", seconds, "s",
                                  f"{count} call(s) in the last run; summed over workers, inclusive"))
    if len(medians) == len(MODES):
        figures.append(Figure("Whole suite speed-up serial / -n 2", medians["serial"] / medians["-n 2"], "×",
                              "on this machine's CPUs (see nproc)"))
    return figures
