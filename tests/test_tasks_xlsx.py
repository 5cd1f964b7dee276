"""``orgraph export tasks --format xlsx``: the tasks written back to Excel, in the plans'
appendix layout, with who leads them now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from orgraph.cli import app
from orgraph.loaders.plans import load_full, read_plan_file
from orgraph.queries.tasks import tasks
from orgraph.queries.tasks_xlsx import TASK_SHEET_COLUMNS, write_tasks_xlsx
from typer.testing import CliRunner

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
WORKED = ROOT / "examples" / "worked_plan.yaml"
ON = dt.date(2025, 8, 1)


def _answers(H, plan):
    return [
        (t.id, t.number, t.text, t.status, [h.id for x in t.lead for h in x.holders])
        for t in tasks(H, plan=plan, on=ON)
    ]


def _table(ws):
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    return list(rows[header]), [r for r in rows[header + 1 :] if any(v is not None for v in r)]


def test_the_worked_plan_exported_loads_back_to_the_same_tasks_and_answers(tmp_path):
    H = load_full(plans=[str(WORKED)])
    out = tmp_path / "tasks.xlsx"
    assert write_tasks_xlsx(H, out, on=ON, plan="VD-01/TB") == 3
    back = read_plan_file(out)
    twin = read_plan_file(WORKED)
    assert [p.model_dump(include={"id", "issuer", "date", "title"}) for p in back.plans] == [
        p.model_dump(include={"id", "issuer", "date", "title"}) for p in twin.plans
    ]
    assert [(t.id, t.text, t.deadline) for t in back.tasks] == [(t.id, t.text, t.deadline) for t in twin.tasks]
    # The same bodies: a name two communes share is written as the body's id.
    assert _answers(load_full(plans=[str(out)]), "VD-01/TB") == _answers(H, "VD-01/TB")


def test_every_seed_task_is_a_row_with_its_current_lead_and_status(tmp_path):
    H = load_full()
    out = tmp_path / "seeds.xlsx"
    expected = tasks(H, on=ON)
    assert write_tasks_xlsx(H, out, on=ON) == len(expected)
    wb = openpyxl.load_workbook(out)
    got = {}
    for ws in wb.worksheets:
        header, rows = _table(ws)
        assert tuple(header) == TASK_SHEET_COLUMNS
        plan = next(r[1] for r in ws.iter_rows(values_only=True) if r and r[0] == "Kế hoạch số")
        for r in rows:
            got[(plan, str(r[0]), r[1])] = r  # numbers repeat where the seed is illegible
    assert len(got) == len(expected)
    col = {name: i for i, name in enumerate(TASK_SHEET_COLUMNS)}
    for t in expected:
        r = got[(t.plan, t.number, t.text)]
        assert r[col["Nội dung nhiệm vụ"]] == t.text
        assert r[col["Tình trạng cơ quan chủ trì"]].endswith(f"({t.status})")
        due = r[col["Hạn kế tiếp"]]
        assert (due.date() if due else None) == t.due
        if t.status in ("live", "inherited"):
            for h in (h for x in t.lead if x.generic is None for h in x.holders):
                assert h.name in r[col["Cơ quan chủ trì hiện nay"]]


def test_the_command_writes_the_workbook_and_refuses_bad_input(tmp_path):
    runner = CliRunner()
    out = tmp_path / "t.xlsx"
    r = runner.invoke(app, ["export", "tasks", "-o", str(out), "--on", "2025-08-01", "--plan-file", str(WORKED)])
    assert r.exit_code == 0, r.output
    n = len(tasks(load_full(plans=[str(WORKED)]), on=ON))
    assert f"wrote {n:,} tasks on 2025-08-01 to {out}" in r.output
    assert len(openpyxl.load_workbook(out).worksheets) == 3  # two seed plans and the worked one
    r = runner.invoke(app, ["export", "tasks", "-o", str(tmp_path / "u.xlsx"), "--plan", "no such plan"])
    assert r.exit_code == 3 and not (tmp_path / "u.xlsx").exists()
    r = runner.invoke(app, ["export", "tasks", "-o", str(tmp_path / "v.xlsx"), "--format", "ods"])
    assert r.exit_code == 2 and "xlsx" in r.output
    r = runner.invoke(app, ["export", "tasks", "-o", "/proc/orgraph/x.xlsx"])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
