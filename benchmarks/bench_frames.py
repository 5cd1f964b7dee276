#!/usr/bin/env python3
"""pandas against the CSV path, side by side in one process (issue 14).

The same job three ways, on the 10,035 old communes repeated to ``--rows`` rows (by name, and
by code), best of ``--runs``, the graph already loaded:

- ``convert_csv``: the CSV path (``orgraph convert --input``), file in, file out;
- ``convert_frame``: a DataFrame in memory to a DataFrame;
- ``read_csv → convert_frame → to_csv``: what an analyst's script does with the same files.

It checks that the frame equals the CSV output cell for cell, prints a Markdown table and
writes it to benchmarks/results/frames.md. Needs the ``pandas`` extra:

    .venv/bin/python benchmarks/bench_frames.py --rows 200000
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "frames.md"
ON = date(2025, 7, 1)


def _rows(G, n: int) -> tuple[list[list[str]], list[list[str]]]:
    from orgraph.graph.model import Attr, Kind
    from orgraph.queries.convert import Converter

    conv = Converter(G, on=ON, as_of=date(2025, 6, 30))
    names, codes = [], []
    for u, a in G.nodes(data=True):
        if a.get(Attr.KIND) == Kind.COMMUNE and a.get(Attr.VALID_TO) == ON and a.get(Attr.CODE):
            old = conv._old_fields(u)
            names.append([old["old_province"], old["old_district"], old["old_commune"]])
            codes.append([a[Attr.CODE]])
    reps = -(-n // len(names))
    return (names * reps)[:n], (codes * reps)[:n]


def _best(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    import pandas as pd
    from orgraph import convert_frame, load_national
    from orgraph.queries.convert import convert_csv

    G = load_national()
    by_name, by_code = _rows(G, args.rows)
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, header, rows, kw in (
            (
                "by name",
                ["province", "district", "commune"],
                by_name,
                {"province": "province", "district": "district", "commune": "commune"},
            ),
            ("by code", ["code"], by_code, {"code": "code"}),
        ):
            src, dst, dst2 = Path(tmp, "in.csv"), Path(tmp, "out.csv"), Path(tmp, "out2.csv")
            with src.open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(header)
                w.writerows(rows)
            df = pd.DataFrame(rows, columns=header, dtype=object)

            def csv_path(src=src, dst=dst) -> None:
                convert_csv(G, src, dst, on=ON)

            def frame(df=df, kw=kw) -> None:
                convert_frame(df, G=G, on=ON, **kw)

            def script(src=src, dst2=dst2, kw=kw) -> None:
                d = pd.read_csv(src, dtype=str, keep_default_na=False)
                convert_frame(d, G=G, on=ON, **kw).to_csv(dst2, index=False)

            t_csv, t_frame, t_script = (_best(f, args.runs) for f in (csv_path, frame, script))
            want = pd.read_csv(dst, dtype=str, keep_default_na=False)
            got = convert_frame(df, G=G, on=ON, **kw).astype(str)
            same = got.values.tolist() == want.values.tolist()
            table.append((label, len(rows), t_csv, t_frame, t_script, same))
    lines = [
        f"pandas against the CSV path ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; best of {args.runs}, graph loaded once)",
        "",
        "| job | rows | convert_csv (file → file) | convert_frame (frame → frame) "
        "| read_csv → convert_frame → to_csv | frame = CSV output |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, n, a, b, c, same in table:
        lines.append(
            f"| {label} | {n:,} | {a:.2f} s ({n / a:,.0f} rows/s) | {b:.2f} s ({b / a:.2f}×) | "
            f"{c:.2f} s ({c / a:.2f}×) | {'yes' if same else 'NO'} |"
        )
    lines += ["", f"Command: `.venv/bin/python benchmarks/bench_frames.py --rows {args.rows} --runs {args.runs}`"]
    out = "\n".join(lines)
    print(out)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(out + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
