"""Cold start only: one successor query as a whole process, orgraph against VietnamProvinces'
import plus one legacy lookup (as measure 2 of ``bench_core.py``), and a body's successors.

Not a test. The peer is read from an unpacked VietnamProvinces wheel (GPL, never shipped)::

    .venv/bin/pip download --no-deps --python-version 3.12 --only-binary=:all: \\
        vietnam-provinces==2026.9.0 -d /tmp/vp
    .venv/bin/python -m zipfile -e /tmp/vp/vietnam_provinces-2026.9.0-py3-none-any.whl /tmp/vp/lib
    .venv/bin/python benchmarks/bench_cold.py --vp /tmp/vp/lib --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ORGRAPH = str(Path(sys.executable).parent / "orgraph")
VP = (
    "import json; from vietnam_provinces import Ward; r = Ward.search_from_legacy(code=12658); "
    "print(json.dumps([w.ward.name for w in r], ensure_ascii=False))"
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vp", required=True, help="folder holding the unpacked vietnam_provinces package")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=args.vp)
    on = ["--on", "2025-07-01", "--json"]
    cmds = {
        "orgraph successors (a commune)": [ORGRAPH, "successors", "Xã Minh Khai, Hưng Hà, Thái Bình", *on],
        "orgraph successors (a body)": [ORGRAPH, "successors", "Ban Tổ chức Tỉnh ủy Thái Bình", *on],
        "VietnamProvinces import + search_from_legacy": [sys.executable, "-c", VP],
    }
    for c in cmds.values():  # warm: byte-code, page cache, orgraph's per-user cache
        subprocess.run(c, capture_output=True, check=True, env=env)
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.runs):  # alternate, so that load from other work falls on all alike
        for k, c in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(c, capture_output=True, check=True, env=env)
            times[k].append(time.perf_counter() - t0)
    for k, v in times.items():
        print(f"{k}: median {statistics.median(v):.3f} s of {len(v)}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
