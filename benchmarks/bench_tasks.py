"""Benchmark: building the national graph with bodies and tasks, and validating it.

Not a test. Run from the repository root:

    .venv/bin/python benchmarks/bench_tasks.py [--runs 5]

Each build runs in a fresh process: once with the per-user cache off (``ORGRAPH_CACHE=0``,
every row validated and every body generated) and once reading the cache a first run wrote.
Targets (issues 3 and 9): build ≤ 1 s, load from the cache ≤ 0.4 s, validate ≤ 1 s; the
territorial graph is timed alike as a reference for how busy the machine was. Writes ``benchmarks/results/tasks.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "tasks.md"

BUILD = """
import time
t, c = time.perf_counter(), time.process_time()
from orgraph.loaders.plans import load_full
G = load_full()
print(time.perf_counter() - t, G.number_of_nodes(), G.number_of_edges(), time.process_time() - c)
"""

# the territorial graph alone, the same way: a reference for how busy the machine is
TERRITORIAL = """
import time
t, c = time.perf_counter(), time.process_time()
from orgraph.loaders.dataset import load_national
G = load_national()
print(time.perf_counter() - t, G.number_of_nodes(), G.number_of_edges(), time.process_time() - c)
"""

VALIDATE = """
import time
from datetime import date
from orgraph.loaders.plans import load_full
from orgraph.queries.tasks import validate
G = load_full()
validate(G, on=date(2025, 7, 1))  # warm the indexes once
t = time.perf_counter()
v = validate(G, on=date(2025, 7, 1))
print(time.perf_counter() - t, len(v.tasks), len(v.findings))
"""


def _run(code: str, env: dict[str, str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return out.stdout.split()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="orgraph-bench-cache-")
    base = dict(os.environ, XDG_CACHE_HOME=cache)
    cold = [_run(BUILD, dict(base, ORGRAPH_CACHE="0")) for _ in range(args.runs)]
    _run(BUILD, base)  # writes the cache
    warm = [_run(BUILD, base) for _ in range(args.runs)]
    val = [_run(VALIDATE, base) for _ in range(args.runs)]
    t_cold = [_run(TERRITORIAL, dict(base, ORGRAPH_CACHE="0")) for _ in range(args.runs)]
    t_warm = [_run(TERRITORIAL, base) for _ in range(args.runs)]
    med = lambda rows: statistics.median(float(r[0]) for r in rows)  # noqa: E731
    cpu = lambda rows: statistics.median(float(r[3]) for r in rows)  # noqa: E731
    nodes, edges = cold[0][1], cold[0][2]
    load = os.getloadavg()
    lines = [
        "# Bodies and tasks: build and validate",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; load average {load[0]:.2f}",
        "- Repeat: `.venv/bin/python benchmarks/bench_tasks.py`",
        f"- Graph: {int(nodes):,} nodes, {int(edges):,} edges (units, events, bodies, tasks). "
        f"Median of {args.runs} fresh processes; import time included in the build.",
        "",
        "| measure | time (CPU time) | target | pass/fail |",
        "| --- | --- | --- | --- |",
        f"| build, no cache (validate every row, generate every body) | {med(cold):.2f} s ({cpu(cold):.2f} s) "
        f"| ≤ 1 s | {'pass' if med(cold) <= 1 else '**FAIL**'} |",
        f"| build, from the per-user cache | {med(warm):.2f} s ({cpu(warm):.2f} s) | ≤ 0.4 s | "
        f"{'pass' if med(warm) <= 0.4 else '**FAIL**'} |",
        f"| reference: the territorial graph alone, no cache | {med(t_cold):.2f} s ({cpu(t_cold):.2f} s) | — | info |",
        f"| reference: the territorial graph alone, from the cache | {med(t_warm):.2f} s ({cpu(t_warm):.2f} s) | — "
        "| info |",
        f"| validate --on 2025-07-01 (every open task, every rule) | {med(val):.2f} s | ≤ 1 s | "
        f"{'pass' if med(val) <= 1 else '**FAIL**'} |",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
