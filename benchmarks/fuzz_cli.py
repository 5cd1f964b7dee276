#!/usr/bin/env python3
"""A long fuzzing run of the whole command line (issue 11): the generator and the checks of
``tests/test_fuzz_cli.py`` (every command, generated names, dates, options and small files,
in process), run for ``--examples`` invocations without stopping at the first failure.

    .venv/bin/python benchmarks/fuzz_cli.py --examples 2000 --seed 11

It prints the invocations made, the failures (each distinct one once, with its command line)
and the time taken, and writes them to benchmarks/results/fuzz_cli.md. Exit 1 if any failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
os.environ.pop("NEO4J_URI", None)  # --backend neo4j: the one-line exit 6, as in the test


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "fuzz_cli.md")
    args = ap.parse_args()

    from hypothesis import HealthCheck, given, seed, settings
    from test_fuzz_cli import invocations, run_one

    failures: dict[str, str] = {}
    count = 0

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(invocations())
    def run(inv: tuple) -> None:
        nonlocal count
        count += 1
        problem = run_one(*inv)
        if problem is not None:
            failures.setdefault(problem.split(":", 1)[-1][:160], problem)

    t0 = time.perf_counter()
    run()
    seconds = time.perf_counter() - t0
    lines = [
        f"# Fuzzing the command line ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`{' '.join(['.venv/bin/python', 'benchmarks/fuzz_cli.py', *sys.argv[1:]])}`",
        "",
        f"- invocations: {count:,}",
        f"- failures (distinct): {len(failures)}",
        f"- time: {seconds:.0f} s ({seconds / max(count, 1) * 1000:.0f} ms per invocation)",
        "",
        *(f"- {v}" for v in failures.values()),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
