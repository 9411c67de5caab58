"""Sandbox cold start: from spawning `bcoauth sandbox serve` on a fresh state folder to its endpoints file."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.figures import Figure
from harness.sandbox_control import start_sandbox


def _one_start() -> tuple[float, float]:
    """(spawn → endpoints file written, spawn → start_sandbox returned) in seconds, on a fresh state folder."""
    with tempfile.TemporaryDirectory(prefix="bcoauth-bench-cold-") as root:
        folder = Path(root)
        endpoints = folder / "endpoints.json"
        wall_start = time.time()
        started = time.perf_counter()
        process = start_sandbox(folder / "state", endpoints, log_file=folder / "sandbox.log")
        returned = time.perf_counter() - started
        # The file's mtime is when the child finished writing it; start_sandbox's polling adds up to 0.5 s.
        written = endpoints.stat().st_mtime - wall_start
        process.stop()
    return written, returned


def run(starts: int = 5) -> list[Figure]:
    written, returned = zip(*(_one_start() for _ in range(starts)), strict=True)
    return [Figure("Sandbox cold start", statistics.median(written), "s",
                   f"median of {starts}: spawn → endpoints file written (fresh state: CA, keys, seed); "
                   f"start_sandbox() returned after {statistics.median(returned):.2f} s (polls the file)")]
