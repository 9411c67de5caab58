"""The golden path through the harness against the same path as a raw Playwright script (bench/raw_golden.py).

Whole processes, interleaved (raw, harness with screenshots and tracing off, harness with the defaults, again…),
so a busy moment of the shared machine hits every variant alike; the figures are medians and the ratios are
harness/raw. "Defaults" is the golden path as `make e2e` runs it: Allure results (the golden path's step
screenshots), JUnit XML, TRACING=on-failure. Each run also writes where its time went (bench/timing_plugin.py;
the raw script times the categories it has: sign-ins, sandbox start, browser launch, context, page).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.figures import Figure, failed
from bench.timing_plugin import read_totals
from harness.settings import KNOWN_VARIABLES

GOLDEN = "tests/e2e/test_full_setup.py"


@dataclass
class Variant:
    name: str
    harness: bool
    settings: dict[str, str] = field(default_factory=dict)
    reporting: bool = False  # --alluredir and --junitxml, as `make e2e`
    walls: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    timings: list[dict[str, dict[str, float]]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def variants() -> list[Variant]:
    return [Variant("raw Playwright script", harness=False),
            Variant("harness, screenshots and tracing off", harness=True,
                    settings={"SCREENSHOTS": "off", "TRACING": "off"}),
            Variant("harness, defaults (as make e2e)", harness=True, reporting=True)]


def _environment(variant: Variant, folder: Path) -> dict[str, str]:
    """No outer harness setting leaks in (an exported TRACING=on would change the figure); reports go to a temp
    folder, so the leak gate scans this run's files only."""
    env = {k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}
    env.update(ENV_FILE=os.devnull, REPORTS_DIR=str(folder / "reports"), BENCH_TIMINGS=str(folder / "timings.json"),
               **variant.settings)
    return env


def _command(variant: Variant, folder: Path) -> list[str]:
    if not variant.harness:
        return [sys.executable, "-m", "bench.raw_golden"]
    command = [sys.executable, "-m", "pytest", GOLDEN, "-q", "-p", "no:cacheprovider", "-p", "bench.timing_plugin",
               "--basetemp", str(folder / "tmp"), "--output", str(folder / "test-results")]
    if variant.reporting:
        command += ["--alluredir", str(folder / "allure-results"), "--junitxml", str(folder / "junit.xml")]
    return command


def _run_once(variant: Variant, project: Path, timeout_s: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bcoauth-bench-golden-") as root:
        folder = Path(root)
        started = time.perf_counter()
        try:
            done = subprocess.run(_command(variant, folder), cwd=project, env=_environment(variant, folder),
                                  capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            variant.failures.append(f"did not finish within {timeout_s:.0f} s")
            return
        wall = time.perf_counter() - started
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
            variant.failures.append(f"exit {done.returncode}: {tail[0][:160]}")
            return
        variant.walls.append(wall)
        variant.loads.append(round(os.getloadavg()[0], 2))
        variant.timings.append(read_totals(folder / "timings.json"))


def _median_timings(runs: list[dict[str, dict[str, float]]]) -> dict[str, float]:
    names = runs[0].keys() if runs else ()
    return {name: statistics.median(run[name]["seconds"] for run in runs) for name in names}


def run(project: Path, rounds: int = 3, timeout_s: float = 300.0) -> list[Figure]:
    chosen = variants()
    for _ in range(rounds):
        for variant in chosen:
            _run_once(variant, project, timeout_s)
    figures: list[Figure] = []
    raw = chosen[0]
    for variant in chosen:
        name = f"Golden path wall time: {variant.name}"
        if not variant.walls:
            figures.append(failed(name, "s", "; ".join(variant.failures) or "no run"))
            continue
        note = (f"median of {len(variant.walls)} (interleaved), runs {', '.join(f'{w:.1f}' for w in variant.walls)}"
                f" s; load avg {', '.join(map(str, variant.loads))}")
        if variant.failures:
            note += f"; {len(variant.failures)} failed: {variant.failures[0]}"
        figures.append(Figure(name, statistics.median(variant.walls), "s", note))
    for variant in chosen[1:]:
        if variant.walls and raw.walls:
            ratio = statistics.median(variant.walls) / statistics.median(raw.walls)
            target = 1.15 if not variant.reporting else 1.5
            figures.append(Figure(f"Golden path ratio harness/raw: {variant.name}", ratio, "×",
                                  f"target ≤ {target}; medians {statistics.median(variant.walls):.1f} s / "
                                  f"{statistics.median(raw.walls):.1f} s"))
    return figures + _category_table(chosen)


def _category_table(chosen: list[Variant]) -> list[Figure]:
    """One row per category: the figure is the harness with screenshots and tracing off; the notes set all three
    variants side by side (medians over the runs; inclusive, bench/timing_plugin.py)."""
    medians = [_median_timings(v.timings) if v.timings else {} for v in chosen]
    rows = []
    for category in medians[1] or medians[2]:
        shown = [m.get(category) for m in medians]
        if not any(shown):
            continue
        notes = " / ".join(f"{v.name.split(',')[0] if not v.harness else v.name.removeprefix('harness, ')}: "
                           + (f"{s:.2f} s" if s is not None else "—") for v, s in zip(chosen, shown, strict=True))
        rows.append(Figure(f"Golden path time in {category}", shown[1], "s", notes))
    return rows
