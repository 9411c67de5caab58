"""A benchmark's output (`Figure`), the machine it ran on, and the two renderings: a Markdown table and JSON."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    benchmark: str
    figure: float | None  # None: the benchmark could not run (see notes)
    unit: str
    notes: str = ""

    def shown(self) -> str:
        if self.figure is None:
            return "—"
        return f"{self.figure:,.0f}" if abs(self.figure) >= 100 else f"{self.figure:.3g}"


def failed(benchmark: str, unit: str, reason: str) -> Figure:
    return Figure(benchmark, None, unit, reason)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    try:
        out = subprocess.run([git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                             check=False, cwd=Path(__file__).resolve().parent)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def machine_facts() -> dict[str, Any]:
    """What the figures depend on; the load average shows whether something else was running meanwhile."""
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": _cpu_model(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "git_commit": _git_commit(),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def markdown(figures: list[Figure], facts: dict[str, Any]) -> str:
    lines = ["| Benchmark | Figure | Unit | Notes |", "|---|---:|---|---|"]
    lines += [f"| {f.benchmark} | {f.shown()} | {f.unit} | {f.notes.replace('|', '/')} |" for f in figures]
    lines.append("")
    lines.append(f"Machine: {facts['nproc']} CPU(s) ({facts['cpu']}), Python {facts['python']}, "
                 f"{facts['platform']}, load avg {facts['load_avg_1m']} at start, commit {facts['git_commit']}, "
                 f"{facts['date']}.")
    load, cpus = facts.get("load_avg_1m"), facts.get("nproc") or 1
    if load is not None and load > cpus:
        lines.append(f"Note: the machine was busy (load {load} on {cpus} CPU(s)); the figures are pessimistic.")
    return "\n".join(lines)


def write_json(path: Path, figures: list[Figure], facts: dict[str, Any], total_s: float) -> None:
    """Write this run's figures; figures of benchmarks this run did not repeat (e.g. `make bench-suite` after
    `make bench`) are kept, each with the machine facts of the run that measured it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = [{**asdict(f), "machine": facts} for f in figures]
    names = {f.benchmark for f in figures}
    kept: list[dict[str, Any]] = []
    try:
        before = json.loads(path.read_text())
        kept = [{**f, "machine": f.get("machine", before.get("machine"))} for f in before.get("figures", [])
                if f.get("benchmark") not in names]
    except (OSError, ValueError, AttributeError):
        pass
    payload = {"machine": facts, "total_s": round(total_s, 1), "figures": kept + fresh}
    path.write_text(json.dumps(payload, indent=2) + "\n")
