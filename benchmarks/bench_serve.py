"""Benchmark: ``orgraph serve`` over HTTP on localhost, beside the same work in process.

Not a test. Run from the repository root (needs the serve extra):

    .venv/bin/python benchmarks/bench_serve.py [--requests 4000] [--clients 32] [--rows 100000]
        [--screenshot docs/img/serve.png]

1. Single lookups (find by name, successors of an id, convert by code, in equal shares):
   throughput and p50/p99 latency from ``--clients`` concurrent clients (one asyncio
   process, keep-alive connections) against ``orgraph serve`` started as a user would;
   beside them the same lookups through the library in process, one after another.
2. Bulk conversion over HTTP: rows/s for a ``--rows``-row CSV of old communes by name
   (POST /convert, timed to the last byte of the answer), beside ``convert_csv`` in process
   on the same file.

Writes ``benchmarks/results/serve.md``. With ``--screenshot``, also saves a picture of the
page (a search answered, its lineage picture open) taken in headless Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "serve.md"
ON = date(2025, 7, 1)
sys.path.insert(0, str(ROOT / "tests"))


def _lookups(G, n: int) -> list[tuple[str, dict[str, str], tuple]]:
    """(path, params, in-process call) for n lookups over the old communes."""
    import orgraph

    rng = random.Random(13)
    communes = list(orgraph.snapshot(G, on=date(2025, 6, 30), kind="commune", listing=True).units)
    out = []
    for i in range(n):
        u = rng.choice(communes)
        if i % 3 == 0:
            name = f"{u.name}, {u.parents[-1].split(', ')[0]}"
            out.append(("/units", {"name": name}, (orgraph.find, (G, name), {})))
        elif i % 3 == 1:
            out.append(
                (f"/units/{u.id}/successors", {"on": ON.isoformat()}, (orgraph.successors, (G, u.id), {"on": ON}))
            )
        else:
            out.append(
                (
                    "/convert",
                    {"code": u.code, "on": ON.isoformat()},
                    (orgraph.convert, (G,), {"code": u.code, "on": ON}),
                )
            )
    return out


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used (immune to other load on the machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def _http_round(url: str, work: list, clients: int) -> tuple[float, list[float], dict[int, int]]:
    import httpx

    lat: list[float] = []
    statuses: dict[int, int] = {}
    queue = list(enumerate(work))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as c:

        async def worker() -> None:
            while queue:
                _, (path, params, _call) = queue.pop()
                t = time.perf_counter()
                r = await c.get(path, params=params)
                await r.aread()
                lat.append(time.perf_counter() - t)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - t0
    return wall, lat, statuses


def _bulk_csv(G, rows: int, path: Path) -> None:
    import orgraph

    communes = list(orgraph.snapshot(G, on=date(2025, 6, 30), kind="commune", listing=True).units)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["province", "district", "commune"])
        for i in range(rows):
            u = communes[i % len(communes)]
            dist, prov = (u.parents[-1].split(", ") + ["", ""])[:2]
            w.writerow([prov, dist, u.name])


def _screenshot(url: str, path: Path) -> None:
    from browser import Browser

    b = Browser.start(width=1280, height=1500)
    try:
        q = "Phường Điện Biên, Ba Đình, Hà Nội"
        b.driver.get(url.replace("127.0.0.1", "localhost") + "/?lang=vi")
        b.js("document.getElementById('q').value = arguments[0]", q)
        b.js("document.getElementById('on').value = '2025-07-01'")
        b.driver.find_element("id", "go").click()
        deadline = time.monotonic() + 60
        while b.js("return document.body.dataset.state") != "ready":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        b.driver.find_element("id", "show-picture").click()
        b.driver.switch_to.frame(b.driver.find_element("id", "picture"))
        while not b.js("return !!(window.orgraph && window.orgraph.ready)"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        b.driver.switch_to.default_content()
        time.sleep(0.3)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b.screenshot())
    finally:
        b.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--screenshot", type=Path, default=None)
    args = ap.parse_args()

    import httpx
    import orgraph
    from orgraph.queries import convert_csv
    from serve_helpers import start

    G = orgraph.load_national()
    work = _lookups(G, args.requests)
    served = start()
    lines: list[str] = []
    try:
        asyncio.run(_http_round(served.url, work[:300], args.clients))  # warm-up
        assert served.pid is not None
        cpu0 = _cpu_s(served.pid)
        wall, lat, statuses = asyncio.run(_http_round(served.url, work, args.clients))
        http_cpu = _cpu_s(served.pid) - cpu0
        # the same lookups in process, one after another
        for _, _, (fn, a, kw) in work[:300]:
            fn(*a, **kw)
        inproc = []
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _, _, (fn, a, kw) in work:
            t = time.perf_counter()
            fn(*a, **kw)
            inproc.append(time.perf_counter() - t)
        in_wall = time.perf_counter() - t0
        in_cpu = time.process_time() - c0

        tmp = Path(tempfile.mkdtemp(prefix="orgraph-bench-serve-"))
        src, dst = tmp / "old.csv", tmp / "new.csv"
        _bulk_csv(G, args.rows, src)
        body = src.read_bytes()
        with httpx.Client(base_url=served.url, timeout=600) as c:
            t = time.perf_counter()
            r = c.post("/convert", params={"on": ON.isoformat()}, content=body, headers={"Content-Type": "text/csv"})
            http_bulk = time.perf_counter() - t
        assert r.status_code == 200, r.text[:300]
        t = time.perf_counter()
        convert_csv(G, src, dst, on=ON)
        in_bulk = time.perf_counter() - t
        same = r.content == dst.read_bytes()
        if args.screenshot:
            _screenshot(served.url, args.screenshot)
    finally:
        served.stop()

    ms = 1000.0
    lines += [
        "# orgraph serve: benchmark",
        "",
        f"Run on {date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `{' '.join(['.venv/bin/python', 'benchmarks/bench_serve.py', *sys.argv[1:]])}`.",
        "",
        "| measure | over HTTP (`orgraph serve`) | in process (library) |",
        "| --- | --- | --- |",
        f"| single lookups, {args.requests:,} (find by name, successors, convert by code; "
        f"{args.clients} concurrent clients over HTTP, one after another in process): throughput "
        f"| {args.requests / wall:,.0f} req/s | {args.requests / in_wall:,.0f} calls/s |",
        f"| single lookups: CPU time per lookup (the server process's user+system; the library's) "
        f"| {http_cpu / args.requests * ms:.2f} ms | {in_cpu / args.requests * ms:.2f} ms |",
        f"| single lookups: p50 latency | {_pct(lat, 50) * ms:.1f} ms | {_pct(inproc, 50) * ms:.2f} ms |",
        f"| single lookups: p99 latency | {_pct(lat, 99) * ms:.1f} ms | {_pct(inproc, 99) * ms:.2f} ms |",
        f"| bulk conversion, {args.rows:,}-row CSV by name (POST /convert to the last byte; "
        f"`convert_csv` in process) | {args.rows / http_bulk:,.0f} rows/s ({http_bulk:.2f} s) "
        f"| {args.rows / in_bulk:,.0f} rows/s ({in_bulk:.2f} s) |",
        "",
        f"HTTP statuses: {dict(sorted(statuses.items()))}; the bulk answer is byte-identical to "
        f"`convert_csv`'s file: {same}. The load generator runs on the same 2 cores as the server; "
        f"load average at the end: {os.getloadavg()[0]:.1f}.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
