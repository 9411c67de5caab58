"""`python -m bench`: run the benchmarks, print a Markdown table, write reports/bench.json.

Each benchmark is bounded in count and time; a benchmark that breaks is reported as such and the rest still run
(exit code 1 then).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import bc_companies, cold_start, feature_run, golden_vs_raw, leak_scan_speed, suite, token_endpoint
from bench.figures import Figure, failed, machine_facts, markdown, write_json
from bench.sandbox_env import running_sandbox

PROJECT = Path(__file__).resolve().parent.parent
ALL = ("cold_start", "token", "bc_api", "leak_scan", "feature", "golden")
LONG = ("suite",)  # minutes each: only when asked for (`make bench-suite`)


def _guard(name: str, unit: str, bench: Callable[[], list[Figure]]) -> list[Figure]:
    """Run one benchmark; a crash becomes a figure that says so instead of ending the run."""
    print(f"… {name}", file=sys.stderr, flush=True)
    try:
        return bench()
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return [failed(name, unit, f"ERROR {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(ALL),
                        help=f"comma list of benchmarks to run (default: {','.join(ALL)}; also: {','.join(LONG)})")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the golden-path comparison")
    parser.add_argument("--count", type=int, default=200, help="sequential calls per latency benchmark")
    parser.add_argument("--threads", type=int, default=8, help="threads for the concurrent loads")
    parser.add_argument("--per-thread", type=int, default=250, help="requests per thread in the concurrent loads")
    parser.add_argument("--leak-mb", type=int, default=50, help="size of the synthetic results folder")
    parser.add_argument("--out", type=Path, default=PROJECT / "reports" / "bench.json", help="JSON output file")
    args = parser.parse_args(argv)
    chosen = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = sorted(set(chosen) - set(ALL) - set(LONG))
    if unknown or not chosen:
        parser.error(f"unknown benchmark(s) {', '.join(unknown) or '(none given)'}; choose from "
                     f"{', '.join(ALL + LONG)}")
    for option in ("count", "threads", "per_thread", "leak_mb", "rounds"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1")
    args.chosen = chosen
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    facts = machine_facts()
    started = time.perf_counter()
    figures: list[Figure] = []
    if "cold_start" in args.chosen:
        figures += _guard("Sandbox cold start", "s", cold_start.run)
    if "token" in args.chosen or "bc_api" in args.chosen:
        with running_sandbox() as box:
            if "token" in args.chosen:
                figures += _guard("Token via msal (sequential)", "ms",
                                  lambda: token_endpoint.sequential(box, args.count, budget_s=45))
                figures += _guard("Token from msal cache", "ms",
                                  lambda: token_endpoint.cache_hit(box, args.count, budget_s=10))
                figures += _guard("Token endpoint throughput (concurrent)", "req/s",
                                  lambda: token_endpoint.concurrent(box, args.threads, args.per_thread, budget_s=30))
            if "bc_api" in args.chosen:
                figures += _guard("BC API companies", "ms",
                                  lambda: bc_companies.run(box, args.count, args.threads, args.per_thread,
                                                           budget_s=30))
    if "leak_scan" in args.chosen:
        figures += _guard("Leak scan by value", "MB/s", lambda: leak_scan_speed.run(args.leak_mb))
    if "feature" in args.chosen:
        figures += _guard("Token feature run (pytest, 1 run)", "s", lambda: feature_run.run(PROJECT))
    if "golden" in args.chosen:
        figures += _guard("Golden path harness vs raw", "×", lambda: golden_vs_raw.run(PROJECT, rounds=args.rounds))
    if "suite" in args.chosen:
        figures += _guard("Whole suite serial vs -n 2", "s", lambda: suite.run(PROJECT))
    total = time.perf_counter() - started
    print(markdown(figures, facts))
    print(f"\nTotal bench time {total:.0f} s; figures written to {args.out}")
    write_json(args.out, figures, facts, total)
    return 1 if any(f.figure is None for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
