"""Benchmark of the Neo4j backend: push time, and each query's latency against its networkx twin.

Not a test. Needs a Bolt server; against the bundled ArcadeDB one::

    eval "$(.venv/bin/python scripts/bolt_server.py start)"
    .venv/bin/python benchmarks/bench_neo4j.py        # WIPES the database NEO4J_DATABASE
    .venv/bin/python scripts/bolt_server.py stop

Targets (issue 5): a clean push of the national graph in 15 s or less, and every Cypher
query within 5x of the networkx one on the same inputs. Prints a Markdown table and writes
it to benchmarks/results/neo4j.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orgraph.queries as nxq
from orgraph import load_national
from orgraph.cli.neo4j import open_backend
from orgraph.graph.model import Kind
from orgraph.loaders.plans import load_full
from orgraph.queries import neo4j as neo
from orgraph.queries import tasks as nxtasks

COMMAND = 'eval "$(.venv/bin/python scripts/bolt_server.py start)" && .venv/bin/python benchmarks/bench_neo4j.py'
OUT = Path(__file__).resolve().parent / "results" / "neo4j.md"
PUSH_TARGET_S = 15.0
RATIO_TARGET = 5.0


def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def push_rows(ng: neo.Neo4jGraph) -> list[list[str]]:
    rows = []
    for label, loader in (
        ("national (units, events)", load_national),
        ("whole (with bodies and tasks)", load_full),
    ):
        G = loader()
        neo.clear(ng)
        clean = _timed(lambda G=G: neo.push(G, ng))
        summary = neo.push(G, ng)
        rows.append(
            [
                label,
                f"{G.number_of_nodes():,}",
                f"{G.number_of_edges():,}",
                f"{clean:.1f}",
                f"{summary.seconds:.1f}",
                "yes" if summary.changed else "no",
                ("yes" if clean <= PUSH_TARGET_S else "no") if loader is load_national else "—",
            ]
        )
    return rows


def query_cases(G: Any) -> dict[str, list[tuple[tuple, dict]]]:
    rng = random.Random(2025)
    old = sorted(n for n, a in G.nodes(data=True) if a.get("kind") == Kind.COMMUNE and a["valid_to"] is not None)
    new = sorted(n for n, a in G.nodes(data=True) if a.get("kind") == Kind.COMMUNE and a["valid_from"] is not None)
    sample_old, sample_new = rng.sample(old, 30), rng.sample(new, 30)
    names = [
        "P. Dien Bien, Q. Ba Dinh",
        "Xã Minh Khai, Hưng Hà, Thái Bình",
        "Hưng Yên",
        "Minh Khai",
        "Phường 1",
        "TP. Ho Chi Minh",
        "12658",
        "commune:00001",
        "Đồng Hới",
        "dong hoi",
    ]
    resolvable = [
        "P. Dien Bien, Q. Ba Dinh",
        "Xã Minh Khai, Hưng Hà, Thái Bình",
        "12658",
        "commune:00001",
        "Tỉnh Thái Bình",
    ]
    on = date(2025, 7, 1)
    refs = [nxq.find(G, c)[0] for c in sample_old[:15]]
    return {
        "find": [((n,), {}) for n in names],
        "resolve": [((n,), {}) for n in resolvable],
        "successors": [((c,), {}) for c in sample_old],
        "predecessors": [((c,), {}) for c in sample_new],
        "lineage": [((c,), {}) for c in sample_old[:15] + sample_new[:15]],
        "snapshot (counts)": [((), {"on": d}) for d in (date(2025, 6, 30), on)],
        "snapshot (provinces listed)": [((), {"on": on, "kind": "province", "listing": True})],
        "diff (counts)": [((date(2025, 6, 30), on), {})],
        "diff (provinces listed)": [((date(2025, 6, 30), on), {"kind": "province", "listing": True})],
        "convert": [
            (
                (),
                {
                    "commune": r.name,
                    "district": (r.parents[0].split(", ") + [""])[0],
                    "province": (r.parents[0].split(", ") + ["", ""])[1],
                },
            )
            for r in refs
        ]
        + [((), {"code": r.code}) for r in refs if r.code],
        "tasks": [((), {"on": on})],
        "successors (bodies by name)": [
            (("Ban Tổ chức Tỉnh ủy Thái Bình",), {"on": on}),
            (("Sở Kế hoạch và Đầu tư tỉnh Thái Bình",), {"on": on}),
            (("Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình",), {"on": on}),
        ],
        "inherited": [(("Ban Tổ chức Tỉnh ủy Hưng Yên",), {"on": on})],
        "validate": [((), {"on": on})],
    }


def _fn(module: Any, name: str) -> Callable[..., Any]:
    base = name.split(" ")[0]
    if module is nxq and base in ("tasks", "inherited", "validate"):
        return getattr(nxtasks, base)
    return getattr(module, base)


class RoundTrips:
    """Counts Bolt round trips: each time the driver flushes what it has queued to the server
    (``send_all``) and then waits for the answer."""

    def __init__(self) -> None:
        from neo4j._sync.io._bolt._base import Bolt

        self.n = 0
        original = Bolt.send_all

        def send_all(bolt: Any) -> Any:
            self.n += 1
            return original(bolt)

        Bolt.send_all = send_all  # type: ignore[method-assign]


def latency_rows(G: Any, ng: neo.Neo4jGraph, repeat: int) -> list[list[str]]:
    rows = []
    trips = RoundTrips()
    for name, calls in query_cases(G).items():
        per = {}
        for label, module, graph in (("networkx", nxq, G), ("neo4j", neo, ng)):
            fn = _fn(module, name)
            for args, kw in calls:  # warm: indexes, caches, the server's plans
                fn(graph, *args, **kw)
            if label == "neo4j":  # round trips and statements per call, counted on a second pass
                trips.n, queries = 0, ng.queries
                for args, kw in calls:
                    fn(graph, *args, **kw)
                per["trips"] = trips.n / len(calls)
                per["queries"] = (ng.queries - queries) / len(calls)
            times = []
            for _ in range(repeat):
                for args, kw in calls:
                    t0 = time.perf_counter()
                    fn(graph, *args, **kw)
                    times.append(time.perf_counter() - t0)
            per[label] = statistics.median(times) * 1000
        ratio = per["neo4j"] / per["networkx"] if per["networkx"] else float("inf")
        rows.append(
            [
                name,
                str(len(calls)),
                f"{per['networkx']:.2f}",
                f"{per['neo4j']:.2f}",
                f"{ratio:.1f}×",
                "yes" if ratio <= RATIO_TARGET else "no",
                f"{per['trips']:.1f}",
                f"{per['queries']:.1f}",
            ]
        )
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds per query (default 3)")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write the results file")
    ap.add_argument(
        "--latency-only",
        action="store_true",
        help="skip the pushes: time the queries against the whole graph already in the database",
    )
    args = ap.parse_args(argv)
    ng = open_backend()
    try:
        info = ng.driver.get_server_info()
        server = f"{info.agent} (Bolt {'.'.join(map(str, info.protocol_version))})"
        if args.latency_only:
            G = load_full()
            if sum(neo.counts(ng)["nodes"].values()) != G.number_of_nodes():
                raise SystemExit("--latency-only needs the whole graph in the database: run without it once")
            pushes = []
        else:
            pushes = push_rows(ng)  # ends with the whole graph in the database
        latencies = latency_rows(load_full(), ng, args.repeat)
    finally:
        ng.close()
    md = (
        "\n\n".join(
            [
                "# Neo4j backend benchmark",
                f"Repeat with:\n\n```\n{COMMAND}\n```",
                f"Server: {server} at {os.environ.get('NEO4J_URI')}; "
                f"client: Python {platform.python_version()} "
                f"on {platform.machine()}, {os.cpu_count()} cores; {date.today().isoformat()}.",
                "## Push\n\nA clean push into an empty database, then the same push again "
                "(nothing to "
                f"change). Target: the national graph in {PUSH_TARGET_S:.0f} s or less.",
                table(
                    [
                        "graph",
                        "nodes",
                        "relationships",
                        "clean push (s)",
                        "re-push (s)",
                        "re-push changed anything",
                        f"≤ {PUSH_TARGET_S:.0f} s",
                    ],
                    pushes,
                ),
                "## Query latency\n\nMedian milliseconds per call over the same inputs, "
                "the whole graph "
                "(bodies and tasks too) on both sides, after one warm-up round; the networkx side "
                f"with its indexes built. Target: within {RATIO_TARGET:.0f}× of networkx.",
                table(
                    [
                        "query",
                        "inputs",
                        "networkx (ms)",
                        "neo4j (ms)",
                        "ratio",
                        f"≤ {RATIO_TARGET:.0f}×",
                        "Bolt round trips per call",
                        "statements per call",
                    ],
                    latencies,
                ),
            ]
        )
        + "\n"
    )
    print(md)
    if not args.no_write:
        out = OUT.with_name("neo4j-latency.md") if args.latency_only else OUT
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(md, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
