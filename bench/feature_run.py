"""Wall time of one whole token feature run (`pytest tests/e2e/test_token.py -q`), its own sandbox included."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.figures import Figure, failed

FEATURE_TESTS = "tests/e2e/test_token.py"


def run(project: Path, timeout_s: float = 150.0) -> list[Figure]:
    name = "Token feature run (pytest, 1 run)"
    cmd = [sys.executable, "-m", "pytest", FEATURE_TESTS, "-q", "-p", "no:cacheprovider"]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return [failed(name, "s", f"did not finish within {timeout_s:.0f} s")]
    wall = time.perf_counter() - started
    summary = next((line.strip("= ") for line in reversed(done.stdout.splitlines()) if line.strip()), "no output")
    if done.returncode != 0:
        return [Figure(name, wall, "s", f"FAILED (exit {done.returncode}): {summary}")]
    return [Figure(name, wall, "s", f"wall time incl. interpreter and sandbox start: {summary}")]
