"""Parallel runs (pytest-xdist): which worker this process is, how many there are, and what each one needs apart
from the others. Each worker starts its own sandbox; with a fixed SANDBOX_PORT worker N serves on
SANDBOX_PORT + 6 × N, so set ports never collide."""

from __future__ import annotations

import pytest

PORTS_PER_SANDBOX = 6  # the twins' six consecutive ports (settings: SANDBOX_PORT)
HIGHEST_PORT = 65535


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def is_xdist_controller(config: pytest.Config) -> bool:
    """The process that hands tests to workers and runs none itself."""
    return not is_xdist_worker(config) and bool(getattr(config.option, "numprocesses", None))


def worker_index(config: pytest.Config) -> int:
    """0 without xdist, N for worker gwN."""
    if not is_xdist_worker(config):
        return 0
    return int(str(config.workerinput["workerid"]).removeprefix("gw"))  # type: ignore[attr-defined]


def worker_count(config: pytest.Config) -> int:
    """How many processes run tests: 1 without xdist (or `-n 0`)."""
    if is_xdist_worker(config):
        return int(config.workerinput.get("workercount", 1))  # type: ignore[attr-defined]
    workers = getattr(config.option, "numprocesses", None)  # xdist has turned "auto" into a number by now
    return workers if isinstance(workers, int) and workers > 0 else 1


def sandbox_port(first_port: int, config: pytest.Config) -> int:
    """This worker's first port (0 stays 0: any free ports)."""
    return first_port + PORTS_PER_SANDBOX * worker_index(config) if first_port else 0


def port_problem(first_port: int, config: pytest.Config) -> str | None:
    """One line naming SANDBOX_PORT and the fix when the workers' port ranges would run past 65535."""
    if not first_port:
        return None
    workers = worker_count(config)
    last = first_port + PORTS_PER_SANDBOX * workers - 1
    if last <= HIGHEST_PORT:
        return None
    highest = HIGHEST_PORT + 1 - PORTS_PER_SANDBOX * workers
    return (f"SANDBOX_PORT={first_port}: {workers} pytest-xdist workers need ports {first_port}-{last} "
            f"({PORTS_PER_SANDBOX} per worker); set SANDBOX_PORT to at most {highest}, or 0 for any free ports")
