"""Property tests for the progress file and commands: any record written is read back the
same (CSV and xlsx); any spelling of a status names it; ``progress record`` either appends
exactly one checked row or leaves the file byte for byte as it was."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgraph.cli import app
from orgraph.graph.model import ProgressStatus
from orgraph.loaders.progress import ProgressRow, parse_status, read_progress, write_records
from typer.testing import CliRunner

SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# any text a person may type in a cell (no control characters and no surrogates); the
# loader keeps it in NFC with its ends stripped, so the expected value is normalised alike
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Z")), min_size=1, max_size=30)


def _norm(s: str | None) -> str | None:
    s = unicodedata.normalize("NFC", s or "").strip()
    return s or None


record = st.builds(
    lambda t, s, d, b, r, n: ProgressRow(task=t, status=s, date=d, body=b, reference=r, note=n),
    NAMES,
    st.sampled_from(list(ProgressStatus)),
    st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    NAMES,
    TEXT,
    TEXT,
)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@settings(max_examples=25, deadline=None, suppress_health_check=SLOW)
@given(rows=st.lists(record, max_size=6))
def test_written_records_read_back_the_same(tmp_path, suffix, rows):
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
        # openpyxl refuses the characters XML 1.0 cannot hold; a person cannot type them either
        if any("\ufffe" in c or "\uffff" in c for r in rows for c in r.cells()):
            return
    path = tmp_path / f"p{suffix}"
    write_records(path, rows)
    back = read_progress(path)
    assert [r.cells() for r in back] == [r.cells() for r in rows]
    assert [r.row for r in back] == list(range(2, 2 + len(rows)))
    assert all(r.file == str(path) for r in back)
    assert [(_norm(r.note), _norm(r.reference)) for r in back] == [(r.note, r.reference) for r in rows]


def _strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn").replace("đ", "d")


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from(list(ProgressStatus)),
    marks=st.booleans(),
    case=st.sampled_from([str.lower, str.upper, str.title, str.capitalize]),
    pad=st.sampled_from(["", " ", "  "]),
    joiner=st.sampled_from([" ", "  ", "-"]),
)
def test_any_spelling_of_a_status_names_it(status, marks, case, pad, joiner):
    text = status.value if marks else _strip_marks(status.value)
    text = pad + case(joiner.join(text.split())) + pad
    assert parse_status(text) is status


TASKS = ["?-KH/TU:PL.9@204", "?-KH/TU:PL.10@278", "47-KH/BCĐ:III.1(6)-1", "?-KH/TU:PL.99@1"]
BODIES = [
    "Ban Tổ chức Tỉnh ủy Hưng Yên",
    "ban to chuc tinh uy hung yen",
    "BAN TỔ CHỨC TỈNH ỦY HƯNG YÊN",
    "Tỉnh ủy Hưng Yên",
    "Ban Tổ chức Tỉnh ủy Thái Bình",
    "Ban Tuyen giao va Dan van Tinh uy Hung Yen",
    "Ban Kiểm kê Tỉnh ủy Hưng Yên",
]
STATUSES = ["hoàn thành", "dang thuc hien", "Chưa thực hiện", "done", "xong"]


@settings(max_examples=15, deadline=None, suppress_health_check=SLOW)
@given(
    task=st.sampled_from(TASKS),
    status=st.sampled_from(STATUSES),
    day=st.integers(0, 120),
    body=st.sampled_from(BODIES),
    ref=TEXT,
)
def test_record_appends_one_checked_row_or_nothing(tmp_path_factory, task, status, day, body, ref):
    folder = tmp_path_factory.mktemp("rec")
    f = folder / "progress.csv"
    f.write_text(
        "task,status,date,body,reference,note\n?-KH/TU:PL.9@204,hoàn thành,2025-07-28,Ban Tổ chức Tỉnh ủy Hưng Yên,,\n",
        encoding="utf-8",
    )
    before = f.read_bytes()
    when = (date(2025, 6, 15) + timedelta(days=day)).isoformat()
    args = ["progress", "record", task, "--status", status, "--on", when, "--by", body, "--ref", ref, "--file", str(f)]
    r = CliRunner().invoke(app, args)
    assert r.exit_code in (0, 2), r.output
    assert "Traceback" not in r.output
    if r.exit_code == 2:
        assert f.read_bytes() == before
        assert r.output.startswith("error: ") or "Usage" in r.output
        return
    rows = read_progress(f)
    assert len(rows) == 2 and rows[0].cells() == read_progress_text(before)[0]
    new = rows[1]
    assert new.task == task and new.date.isoformat() == when
    assert new.body in {
        "Ban Tổ chức Tỉnh ủy Hưng Yên",
        "Tỉnh ủy Hưng Yên",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Hưng Yên",
        "Ban Tổ chức Tỉnh ủy Thái Bình",
    }
    assert new.status is parse_status(status)
    assert not list(Path(folder).glob(".progress.csv.*"))  # no temporary file left behind


def read_progress_text(raw: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(raw.decode("utf-8"))))[1:]
