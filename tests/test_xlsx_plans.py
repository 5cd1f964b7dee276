"""Plans from Excel, laid out like the seed plans' appendix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgraph.cli import app
from orgraph.graph.errors import DataError
from orgraph.loaders.plans import read_plan_file
from orgraph.loaders.xlsx_plans import read_plan_xlsx
from typer.testing import CliRunner

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]


def _assignees(xs):
    return [(a.body, a.generic) for a in xs]


def test_the_xlsx_twin_loads_to_the_same_tasks_as_the_yaml():
    x = read_plan_file(ROOT / "examples" / "worked_plan.xlsx")
    y = read_plan_file(ROOT / "examples" / "worked_plan.yaml")
    assert [p.model_dump() for p in x.plans] == [p.model_dump() for p in y.plans]
    assert len(x.tasks) == len(y.tasks) == 3
    for a, b in zip(x.tasks, y.tasks, strict=True):
        assert (a.id, a.plan, a.number, a.text, a.deadline) == (b.id, b.plan, b.number, b.text, b.deadline)
        assert _assignees(a.lead) == _assignees(b.lead)
        assert _assignees(a.coordinators) == _assignees(b.coordinators)


def test_the_xlsx_twin_gives_the_same_task_answers(tmp_path):
    from orgraph.loaders.plans import load_full
    from orgraph.queries.tasks import tasks

    on = dt.date(2025, 8, 1)
    ans = {}
    for name in ("worked_plan.xlsx", "worked_plan.yaml"):
        H = load_full(plans=[str(ROOT / "examples" / name)])
        ans[name] = [
            (t.id, t.status, [h.id for x in t.lead for h in x.holders]) for t in tasks(H, plan="VD-01/TB", on=on)
        ]
    assert ans["worked_plan.xlsx"] == ans["worked_plan.yaml"]
    assert ans["worked_plan.xlsx"][0][1] == "inherited"  # Thái Bình's board → the new Hưng Yên one


def _table(path: Path, rows: list[list[object]], merges: tuple[str, ...] = (), meta: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bảng 1"
    ws.append(["Phụ lục nhiệm vụ"])
    if meta:
        ws.append(["Kế hoạch số", "T-1/KH"])
        ws.append(["Cơ quan ban hành", "Ban Thường vụ Tỉnh ủy Hưng Yên"])
        ws.append(["Ngày", dt.datetime(2025, 7, 10)])
    ws.append(["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Ghi chú"])
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_a_lead_merged_over_two_tasks_leads_both_and_groups_are_generic(tmp_path):
    p = _table(
        tmp_path / "p.xlsx",
        [
            ["A", "Tổ chức đại hội"],
            [1, "Việc một", "Ban Tổ chức Tỉnh ủy Hưng Yên", "Các cơ quan, đơn vị liên quan", "Tháng 9/2025"],
            [2, "Việc hai", None, "Văn phòng Tỉnh ủy Hưng Yên\nỦy ban Kiểm tra Tỉnh ủy Hưng Yên", "thứ Tư hằng tuần"],
        ],
        merges=("C7:C8",),
    )
    pf = read_plan_xlsx(p)
    assert [t.id for t in pf.tasks] == ["T-1/KH:1", "T-1/KH:2"]
    assert [a.body for t in pf.tasks for a in t.lead] == ["Ban Tổ chức Tỉnh ủy Hưng Yên"] * 2
    assert _assignees(pf.tasks[0].coordinators) == [(None, "related_agencies")]
    assert [a.body for a in pf.tasks[1].coordinators] == [
        "Văn phòng Tỉnh ủy Hưng Yên",
        "Ủy ban Kiểm tra Tỉnh ủy Hưng Yên",
    ]
    assert pf.tasks[0].deadline.month == "2025-09"
    assert pf.tasks[1].deadline.weekday == "wednesday"
    assert pf.plans[0].date == dt.date(2025, 7, 10)


@pytest.mark.parametrize(
    ("rows", "meta", "where", "what"),
    [
        ([[1, "Việc", "Ban Tổ chức Tỉnh ủy Hưng Yên", None, "30/02/2025"]], True, "row 6, column E", "not a real date"),
        ([[1, "Việc", None, None, None]], True, "row 6, column C", "no lead body"),
        ([[1, "Việc", "X", None, None], [1, "Lại", "X", None, None]], True, "row 7, column A", "also on row 6"),
        ([[1, "", "X", None, None]], True, "row 6, column B", "no text"),
        ([[1, "Việc", "X", None, "tháng 13/2025"]], True, "row 6, column E", "no month 13"),
        ([[1, "Việc", "X", None, "hằng tuần"]], True, "row 6, column E", "weekday"),
        ([[1, "Việc", "X", None, None]], False, "sheet 'Bảng 1'", "Kế hoạch số"),
    ],
)
def test_every_problem_names_the_sheet_row_and_column(tmp_path, rows, meta, where, what):
    p = _table(tmp_path / "bad.xlsx", rows, meta=meta)
    with pytest.raises(DataError) as e:
        read_plan_xlsx(p)
    msg = e.value.one_line()
    assert str(p) in msg and "Bảng 1" in msg and where in msg and what in msg


def test_load_plan_command_reads_xlsx_and_names_an_unknown_body_cell(tmp_path):
    good = CliRunner().invoke(app, ["load-plan", str(ROOT / "examples" / "worked_plan.xlsx"), "--json"])
    assert good.exit_code == 0, good.output
    assert '"task:VD-01/TB:1"' in good.output
    p = _table(tmp_path / "unknown.xlsx", [[1, "Việc", "Ban Không Có Thật tỉnh Hưng Yên", None, None]])
    res = CliRunner().invoke(app, ["load-plan", str(p)])
    assert res.exit_code == 2
    line = res.output.strip()
    assert "\n" not in line and "row 6, column C" in line and "Bảng 1" in line


def test_a_file_that_is_not_a_workbook_is_one_line(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    res = CliRunner().invoke(app, ["load-plan", str(p)])
    assert res.exit_code == 2 and "not a readable .xlsx" in res.output and "Traceback" not in res.output


_cells = st.one_of(
    st.none(),
    st.integers(-3, 30),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["30/02/2025", "Tháng 9/2025", "thứ Hai hằng tuần", "Các cơ quan liên quan", "I", "1.2"]),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cells, min_size=0, max_size=6), max_size=6))
def test_any_table_reads_or_fails_with_a_data_error(tmp_path, rows):
    p = _table(tmp_path / "f.xlsx", rows)
    try:
        pf = read_plan_xlsx(p)
    except DataError as e:
        assert "\n" not in e.one_line() and str(p) in e.one_line()
    else:
        assert all(t.lead and t.text for t in pf.tasks)
