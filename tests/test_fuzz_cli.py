"""Property-based fuzzing of the whole command line, in process (issue 11).

Every command is driven through the real entry point (``orgraph.cli.main``) with generated
names (official names in many spellings, and junk), dates (valid, impossible, at the ends of
the calendar), options and small generated files (``--data`` datasets, broken in many ways;
CSVs for bulk convert). Whatever the input, the command must not raise (no traceback), must
exit with a documented code (README, "Errors and exit codes"), and a failure must be exactly
one ``error:`` line. Bulk convert must write one row per input record.

Plan files are generated too (``load-plan`` and ``--plan-file``): small YAML and CSV plans,
valid and broken in the ways issue 11 found.

``ORGRAPH_FUZZ_EXAMPLES`` sets the number of examples (default 40, kept small for CI);
``benchmarks/fuzz_cli.py`` runs the same generator much longer and reports the figures.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgraph.cli import main
from orgraph.graph.model import Kind

WAVE = Path(__file__).parent / "data" / "wave_2026.json"
EXAMPLES = int(os.environ.get("ORGRAPH_FUZZ_EXAMPLES", "40"))
EXIT_CODES = {0, 2, 3, 4, 5, 6}  # and 1 from validate only (README, "Errors and exit codes")

NAMES = [
    "Hưng Yên",
    "Tỉnh Thái Bình",
    "Xã Minh Khai, Hưng Hà, Thái Bình",
    "Phường Điện Biên, Quận Ba Đình, Hà Nội",
    "Phường Bến Nghé, Quận 1, Hồ Chí Minh",
    "Xã Hưng Hà, Hưng Yên",
    "Tân Tiến",
    "Hà Nội",
    "Thành phố Hồ Chí Minh",
    "Huyện Côn Đảo",
    "00019",
    "12658",
    "commune:00019",
    "province:33@2025-07-01",
]
ABBREV = {"Xã ": "X. ", "Phường ": "P. ", "Quận ": "Q. ", "Huyện ": "H. ", "Thành phố ": "TP. ", "Tỉnh ": ""}


def _no_marks(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c))


def _abbrev(s: str) -> str:
    for long, short in ABBREV.items():
        s = s.replace(long, short)
    return s


SPELLINGS = [lambda s: s, str.lower, str.upper, _no_marks, lambda s: _no_marks(s).lower(), _abbrev]

names = st.one_of(
    st.builds(lambda n, f: f(n), st.sampled_from(NAMES), st.sampled_from(SPELLINGS)),
    st.builds(lambda n, k: n[:k], st.sampled_from(NAMES), st.integers(0, 12)),
    st.text(max_size=30),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2025-06-30", "2025-07-01", "9999-12-31", "9999-12-28", "0001-01-01", "2025-07-32", "2025-13-01"]),
    st.text(max_size=12),
)
kinds = st.one_of(st.sampled_from([k.value for k in Kind]), st.text(max_size=10))
backends = st.sampled_from(["networkx", "networkx", "neo4j", "sql"])


def _mutate(raw: bytes, cut: int, flip: int) -> bytes:
    if not raw:
        return raw
    b = bytearray(raw[: max(cut % (len(raw) + 1), 0) or len(raw)])
    if b and flip:
        b[flip % len(b)] ^= 0xFF
    return bytes(b)


def _dataset_variant(kind: str, cut: int, flip: int, junk: object) -> bytes:
    wave = WAVE.read_bytes()
    if kind == "truncated":
        return wave[: cut % max(len(wave), 1)]
    if kind == "gzip-mutated":
        return _mutate(gzip.compress(wave), cut, flip)
    if kind == "json-junk":
        return json.dumps({"format": "orgraph-dataset/1", "units": junk, "events": junk}).encode()
    if kind == "not-json":
        return _mutate(wave, cut, flip)
    return json.dumps(junk).encode()


json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
data_files = st.builds(
    _dataset_variant,
    st.sampled_from(["truncated", "gzip-mutated", "json-junk", "not-json", "other-json"]),
    st.integers(0, 5000),
    st.integers(0, 5000),
    json_junk,
)
# Bulk-convert rows: official names in many spellings and junk, quotes included (a stray
# quote that would merge lines is an error; every record written out is one row)
cells = st.one_of(
    st.builds(
        lambda n, f: f(n),
        st.sampled_from(["Thái Bình", "Hưng Hà", "Minh Khai", "Hà Nội", "Ba Đình"]),
        st.sampled_from(SPELLINGS),
    ),  # fmt: skip
    st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12),
)
csv_rows = st.lists(st.tuples(cells, cells, cells), max_size=6)

# Plan files (``load-plan``, ``--plan-file``): small YAML and CSV plans, valid and broken —
# real bodies and junk, impossible dates and months, sections of the wrong type, seed task
# ids, repeated rows, reporting lines that loop, rows shorter than the header, stray quotes.
BODIES = ["Sở Nội vụ tỉnh Hưng Yên", "Ban Tổ chức Tỉnh ủy Hưng Yên", "Huyện ủy Hưng Hà", "UBND tỉnh Hưng Yên"]
bodies = st.one_of(
    st.sampled_from(BODIES),
    st.builds(lambda b, f: f(b), st.sampled_from(BODIES), st.sampled_from(SPELLINGS)),
    st.text(max_size=10),
)
plan_ids = st.sampled_from(["P", "Q", "47-KH/BCĐ", "?-KH/TU", ""])
numbers = st.one_of(st.sampled_from(["1", "2", "III.1(1)", ""]), st.text(max_size=4))
yaml_dates = st.one_of(
    st.dates(),
    st.sampled_from(["2025-02-30", "2025-13-01", "9999-12-31", "0001-01-01", "soon"]),
    st.just(None),
)
deadlines = st.one_of(
    st.fixed_dictionaries({"kind": st.just("date"), "date": yaml_dates}),
    st.fixed_dictionaries(
        {"kind": st.just("by_month"), "month": st.sampled_from(["2025-09", "2025-13", "2025-00", "x"])}
    ),
    st.fixed_dictionaries({"kind": st.just("weekly"), "weekday": st.sampled_from(["tuesday", "someday"])}),
    st.fixed_dictionaries({"kind": st.sampled_from(["regular", "none", "illegible", "soon"])}),
)
yaml_tasks = st.builds(
    lambda plan, number, text, lead, deadline, replaces: {
        "id": f"{plan}:{number}",
        "plan": plan,
        "number": number,
        "text": text,
        "lead": [{"body": b} for b in lead],
        "deadline": deadline,
        **({"replaces": True} if replaces else {}),
    },
    plan_ids,
    numbers,
    st.sampled_from(["Làm việc", "x", ""]),
    st.lists(bodies, max_size=2),
    deadlines,
    st.booleans(),
)
reports = st.builds(
    lambda a, b, plan: {"from": {"body": a}, "to": {"body": b}, "schedule": {"kind": "regular"}, "plan": plan},
    bodies,
    bodies,
    plan_ids,
)


def _yaml_plan(plans: list, tasks: list, reports_to: list, junk: object, where: str) -> bytes:
    import yaml

    doc: dict[str, object] = {
        "plans": [{"id": p, "issuer": "X", "date": d} for p, d in plans],
        "tasks": tasks,
        "reports_to": reports_to,
    }
    if where in doc:
        doc[where] = junk  # plans: 5, tasks: true, reports_to: 1.5, …
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return text.replace("'", "").encode("utf-8") if where == "unquoted" else text.encode("utf-8")


yaml_plans = st.builds(
    _yaml_plan,
    st.lists(st.tuples(plan_ids, yaml_dates), max_size=2),
    st.lists(yaml_tasks, max_size=3),
    st.lists(reports, max_size=2),
    json_junk,
    st.sampled_from(["none", "none", "none", "plans", "tasks", "reports_to", "unquoted"]),
)


def _csv_plan(header: list[str], rows: list[list[str]], cut: int, quote: bool) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r[: len(r) - cut % 3] if cut % 4 == 1 else r)  # sometimes shorter than the header
    text = buf.getvalue()
    if quote and text.count("\n") > 1:
        text = text.replace("\n", '\n"', 1)  # a stray quote
    return text.encode("utf-8", "surrogatepass")


CSV_COLUMNS = ["plan", "issuer", "number", "text", "lead", "plan_date", "deadline", "replaces"]
csv_plans = st.builds(
    _csv_plan,
    st.one_of(st.just(CSV_COLUMNS), st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=8, unique=True)),
    st.lists(
        st.tuples(
            plan_ids,
            st.sampled_from(["X", "Y"]),
            numbers,
            st.sampled_from(["Làm việc", ""]),
            bodies,
            st.sampled_from(["2025-05-01", "2025-02-30", ""]),
            st.sampled_from(["2025-09-30", "2025-13", "weekly:tuesday", "regular", ""]),
            st.sampled_from(["", "true", "maybe"]),
        ).map(list),
        max_size=4,
    ),
    st.integers(0, 20),
    st.booleans(),
)


@st.composite
def invocations(draw: st.DrawFn) -> tuple[list[str], dict[str, bytes], list[tuple[str, str, str]] | None]:
    """(argv, files to write by name, the CSV rows of a bulk convert or None)."""
    files: dict[str, bytes] = {}
    rows = None
    pre: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        files["data.json"] = draw(data_files)
        pre = ["--data", "data.json"]
    cmd = draw(
        st.sampled_from(
            ["find", "successors", "predecessors", "lineage", "convert", "bulk", "snapshot", "diff", "export"]
            + ["bodies", "tasks", "inherited", "responsibilities", "validate", "viz-unit", "unknown", "help"]
            + ["load-plan", "plan-file"]
        )
    )
    on = ["--on", draw(dates)] if draw(st.booleans()) else []
    be = ["--backend", draw(backends)] if draw(st.integers(0, 3)) == 0 else []
    js = ["--json"] if draw(st.booleans()) else []
    if cmd == "find":
        args = ["find", draw(names), *on, *(["--kind", draw(kinds)] if draw(st.booleans()) else []), *js, *be]
    elif cmd in ("successors", "predecessors"):
        args = [cmd, draw(names), *on, *(["--kind", draw(kinds)] if draw(st.booleans()) else []), *js, *be]
    elif cmd == "lineage":
        args = ["lineage", draw(names), *(["--kind", draw(kinds)] if draw(st.booleans()) else []), *js, *be]
    elif cmd == "convert":
        args = ["convert", "--province", draw(names), "--district", draw(names), "--commune", draw(names), *js, *be]
        if draw(st.booleans()):
            args = ["convert", "--code", draw(st.from_regex(r"\A[0-9]{1,6}\Z") | st.text(max_size=6)), *js]
        elif draw(st.booleans()):
            args = ["convert", "--address", ", ".join(draw(st.lists(names, min_size=1, max_size=4))), *js, *be]
    elif cmd == "bulk":
        rows = draw(csv_rows)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["province", "district", "commune"])
        w.writerows(rows)
        files["in.csv"] = buf.getvalue().encode("utf-8", "surrogatepass")
        args = ["convert", "--input", "in.csv", "--output", "out.csv", *js]
    elif cmd == "snapshot":
        args = ["snapshot", "--on", draw(dates), *(["--kind", draw(kinds)] if draw(st.booleans()) else []), *js, *be]
    elif cmd == "diff":
        args = ["diff", draw(dates), draw(dates), *(["--kind", draw(kinds)] if draw(st.booleans()) else []), *js]
    elif cmd == "export":  # the cheap failures; whole exports are tested in test_export/test_hardening
        fmt = draw(st.sampled_from(["node-link", "graphml", "crosswalk", "csv", ""]))
        out = draw(st.sampled_from(["/proc/x.out", "/etc/passwd/x.csv", "x.out"]))
        when = draw(dates.filter(lambda s: not _valid_date(s)))
        args = ["export", fmt, "-o", out, "--on", when] if fmt in ("node-link", "graphml", "crosswalk") else [
            "export", fmt, "-o", out]  # fmt: skip
    elif cmd == "bodies":
        args = ["bodies", draw(names), *on, *js]
    elif cmd == "tasks":
        args = ["tasks", *on, *js]
    elif cmd == "inherited":
        args = ["inherited", draw(names), *on, *js]
    elif cmd == "responsibilities":
        args = ["responsibilities", draw(st.sampled_from(["1", "plan-1:1"]) | st.text(max_size=8)), *on, *js]
    elif cmd == "validate":
        args = ["validate", "--on", draw(dates), *js]
    elif cmd == "viz-unit":
        args = ["viz", "unit", draw(names), "-o", "page.html"]
    elif cmd in ("load-plan", "plan-file"):
        name = draw(st.sampled_from(["plan.yaml", "plan.csv"]))
        files[name] = draw(yaml_plans if name.endswith(".yaml") else csv_plans)
        if cmd == "load-plan":
            args = ["load-plan", name, *js]
        else:
            sub = draw(st.sampled_from([["tasks", "--plan", draw(plan_ids)], ["validate", "--on", "2025-07-01"]]))
            args = [*sub, "--plan-file", name, *js]
    elif cmd == "help":
        args = [draw(st.sampled_from(["find", "convert", "export", "viz", "neo4j", "tasks"])), "--help"]
    else:
        args = [draw(st.text(min_size=1, max_size=10)), draw(names)]
    return [*pre, *args], files, rows


def _valid_date(s: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(s.strip())
    except ValueError:
        return False
    return True


def run_one(argv: list[str], files: dict[str, bytes], rows: list | None) -> str | None:
    """Run one invocation in a fresh folder; None if it kept every promise, else what broke."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        for name, raw in files.items():
            Path(name).write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = main(list(argv))
        except BaseException as e:  # noqa: BLE001 - any escape is a traceback for the user
            return f"{argv!r}: raised {type(e).__name__}: {e}"
        stderr = err.getvalue()
        allowed = EXIT_CODES | ({1} if "validate" in argv else set())
        if rc not in allowed:
            return f"{argv!r}: exit {rc} not documented; stderr: {stderr[-300:]!r}"
        if "Traceback" in stderr:
            return f"{argv!r}: traceback on stderr"
        if rc not in (0, 1):
            errors = [line for line in stderr.splitlines() if line.strip()]
            errors = [line for line in errors if not line.startswith("converting")]  # the progress bar
            if len(errors) != 1 or not errors[0].startswith("error: "):
                return f"{argv!r}: exit {rc} without one error line: {stderr[-300:]!r}"
        if rows is not None and rc == 0:
            with open("out.csv", encoding="utf-8", newline="") as f:
                got = list(csv.reader(f))
            if len(got) - 1 != len(rows):
                return f"{argv!r}: {len(rows)} records in, {len(got) - 1} rows out"
    return None


@pytest.fixture(scope="module")
def no_neo4j():
    """``--backend neo4j`` without a server configured: the one-line exit 6, quickly."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NEO4J_URI", raising=False)
        yield


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("ORGRAPH_FUZZ_SEED") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(invocations())
def test_any_command_line_keeps_the_promises(no_neo4j, inv):
    problem = run_one(*inv)
    assert problem is None, problem
