#!/usr/bin/env python3
"""How fast the pictures are ready in a real browser, and how big they are (issue 4).

For each page (Hưng Yên, the target; Hà Nội, the largest province; the country; one unit's
lineage; with ``--tasks`` also a plan's tasks) it times building the picture's data and
writing the HTML, then opens the file ``--runs`` times in headless Chromium, each time in a
fresh browser with a fresh profile, and records:

* settle: from the start of navigation to vis-network's first complete drawing. Positions
  are computed in Python, so the page runs no physics: once drawn, it is still (there is no
  ``stabilized`` event to wait for). Target for Hưng Yên: ≤ 3 s.
* load: the page's ``load`` event, and one full redraw (what a pan or zoom costs);
* the requests the page made (file: and data: only, or the run fails).

Run it with the project's venv (pyvis, selenium; Debian's chromium and chromium-driver):

    .venv/bin/python benchmarks/bench_viz.py

It prints a Markdown table and writes it, with the machine, the date and the command, to
benchmarks/results/viz.md. ``--screenshots DIR`` also saves a screenshot of each page (the
README's pictures come from ``--tasks --screenshots docs/img``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "viz.md"
sys.path.insert(0, str(ROOT / "tests"))  # the browser harness the tests use

from browser import Browser, find_chromium, png_stats  # noqa: E402

TARGET_S = 3.0
SHOTS = {"hung_yen", "dien_bien", "vietnam", "tasks_worked_plan"}  # the README's pictures
AFTER = date(2025, 7, 1)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pages(with_tasks: bool) -> list[tuple[str, str, object]]:
    """(file stem, description, a function building the picture)."""
    from orgraph import load_national
    from orgraph.viz import country_picture, province_picture, tasks_picture, unit_picture

    G = load_national()
    out: list[tuple[str, str, object]] = [
        (
            "hung_yen",
            "province Hưng Yên (target)",
            lambda: province_picture(G, "province:33@2025-07-01"),
        ),
        ("ha_noi", "province Hà Nội (largest)", lambda: province_picture(G, "province:01")),
        ("vietnam", "country", lambda: country_picture(G)),
        ("dien_bien", "unit Phường Điện Biên (lineage)", lambda: unit_picture(G, "commune:00019")),
    ]
    if with_tasks:
        from orgraph.loaders.plans import load_full

        full = load_full(plans=[ROOT / "examples" / "worked_plan.yaml"])
        out.append(
            (
                "tasks_hung_yen",
                "tasks of plan ?-KH/TU",
                lambda: tasks_picture(full, plan="?-KH/TU", on=AFTER),
            )
        )
        out.append(
            (
                "tasks_worked_plan",
                "tasks of the worked example plan",
                lambda: tasks_picture(full, plan="VD-01/TB", on=AFTER),
            )
        )
    return out


def measure(path: Path, runs: int, shots: Path | None, stem: str) -> dict:
    settle, load, redraw, requests = [], [], [], set()
    for i in range(runs):
        with Browser.start() as b:
            got = b.open(path)
            settle.append(got.ready_ms / 1000)
            load.append(
                b.js(
                    "var t = performance.getEntriesByType('navigation')[0];"
                    "return t.loadEventEnd > 0 ? t.loadEventEnd : t.domContentLoadedEventEnd;"
                )
                / 1000
            )
            redraw.append(
                b.js_async(
                    "var done = arguments[arguments.length - 1], net = window.orgraph.network;"
                    "var t0 = performance.now();"
                    "net.once('afterDrawing', function () { done(performance.now() - t0); });"
                    "net.moveTo({scale: net.getScale() * 1.1});"
                )
            )
            requests |= {u.split(":", 1)[0] for u in got.requests if not u.startswith("chrome:")}
            if shots is not None and i == 0 and stem in SHOTS:
                b.js("window.orgraph.network.fit({animation: false});")
                time.sleep(0.3)
                png = b.screenshot()
                (shots / f"{stem}.png").write_bytes(png)
                if stem == "hung_yen":  # and a closer look that reads
                    b.js(
                        "var net = window.orgraph.network;"
                        "net.moveTo({position: {x: 520, y: 420}, scale: 1.0, animation: false});"
                    )
                    time.sleep(0.3)
                    (shots / f"{stem}_detail.png").write_bytes(b.screenshot())
                log(f"  screenshot {stem}: {png_stats(png)}")
    bad = requests - {"file", "data"}
    if bad:
        raise SystemExit(f"{path.name} made requests with schemes {sorted(bad)}")
    return {"settle": settle, "load": load, "redraw": redraw, "schemes": sorted(requests)}


def fmt_s(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}–{max(xs):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="fresh-browser loads of each page")
    ap.add_argument("--tasks", action="store_true", help="also a plan's tasks (loads bodies)")
    ap.add_argument("--screenshots", type=Path, help="save a screenshot of each page here")
    ap.add_argument("--output", type=Path, default=RESULTS)
    args = ap.parse_args()
    if find_chromium() is None:
        raise SystemExit("needs chromium and chromedriver: apt-get install chromium chromium-driver")
    from orgraph.viz import write_html

    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="orgraph-bench-viz-") as tmp:
        for stem, what, build in pages(args.tasks):
            t0 = time.perf_counter()
            pic = build()  # type: ignore[operator]
            t1 = time.perf_counter()
            path = write_html(pic, Path(tmp) / f"{stem}.html")
            t2 = time.perf_counter()
            log(f"{what}: {len(pic.nodes)} nodes, {len(pic.edges)} edges; measuring…")
            m = measure(path, args.runs, args.screenshots, stem)
            rows.append((stem, what, pic, path.stat().st_size, t1 - t0, t2 - t1, m))
    load_end = os.getloadavg()

    hy = next(r for r in rows if r[0] == "hung_yen")
    verdict = "pass" if statistics.median(hy[6]["settle"]) <= TARGET_S else "**FAIL**"
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Picture benchmarks: time to settle in Chromium, and file size",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}); CPython {platform.python_version()} on "
        f"{platform.platform()}; {_chromium_version()}",
        f"- Repeat: `cd {ROOT} && .venv/bin/python benchmarks/bench_viz.py"
        + (" --tasks" if args.tasks else "")
        + (f" --runs {args.runs}" if args.runs != 5 else "")
        + (f" --screenshots {_rel(args.screenshots)}" if args.screenshots else "")
        + "`",
        f"- Each page opened {args.runs} times from disk, each time in a fresh headless Chromium "
        "with a fresh profile; figures are medians (min–max).",
        "",
        "| page | nodes | edges | file size | build data | write HTML | settle in Chromium "
        "| load event | one redraw (pan/zoom) | target | pass/fail |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for stem, what, pic, size, t_build, t_write, m in rows:
        target = f"≤ {TARGET_S:.0f} s" if stem == "hung_yen" else "—"
        ok = verdict if stem == "hung_yen" else "info"
        lines.append(
            f"| {what} | {len(pic.nodes):,} | {len(pic.edges):,} | {size / 1024:,.0f} KiB "
            f"| {t_build:.2f} s | {t_write:.2f} s | {fmt_s(m['settle'])} | {fmt_s(m['load'])} "
            f"| {statistics.median(m['redraw']):.0f} ms | {target} | {ok} |"
        )
    vis = _vis_bytes()
    schemes = sorted({s for r in rows for s in r[6]["schemes"]})
    lines += [
        "",
        "- settle: navigation start → vis-network's first complete drawing (`window.orgraph."
        "readyAt`, set on the first `afterDrawing`). The page lays nothing out itself: positions "
        "come from `orgraph.viz.layout` and physics is off, so the first drawing is final.",
        f"- file size: every page inlines vis-network 9.1.2 from pyvis's bundle "
        f"({vis / 1024:,.0f} KiB of JS and CSS); the rest is the picture's data.",
        f"- requests seen (DevTools Network events): {', '.join(schemes)} only; the page's "
        "Content-Security-Policy forbids any other.",
        f"- Load average at start {load_start[0]:.2f} / {load_start[1]:.2f} / {load_start[2]:.2f}, "
        f"at end {load_end[0]:.2f} / {load_end[1]:.2f} / {load_end[2]:.2f}: other work on the "
        "same 2 cores moves single figures.",
    ]
    for _stem, what, *_rest, m in rows:
        lines.append(f"- {what}: settle runs (s) " + ", ".join(f"{x:.2f}" for x in m["settle"]))
    text = "\n".join(lines) + "\n"
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    log(f"wrote {args.output}")
    return 0 if verdict == "pass" else 1


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _vis_bytes() -> int:
    from orgraph.viz.render import _vis_files

    js, css = _vis_files()
    return len(js.encode()) + len(css.encode())


def _chromium_version() -> str:
    import subprocess

    found = find_chromium()
    if not found:
        return "no chromium"
    try:
        out = subprocess.run([found[0], "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or "chromium (version unknown)"
    except (OSError, subprocess.SubprocessError):
        return "chromium (version unknown)"


if __name__ == "__main__":
    sys.exit(main())
