"""Users' plan files (issue 11): every malformed YAML or CSV plan is a one-line error naming
the file and the row (exit 2), nothing is half-loaded, a task id is never silently taken
over, reporting lines cannot loop, a plan without tasks loads, and one body leading
thousands of tasks costs linear work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from orgraph.cli import main
from orgraph.graph.errors import DataError, UnknownPlanError, UnknownUnitError
from orgraph.loaders.bodies import body_uid
from orgraph.loaders.dataset import full_inputs
from orgraph.loaders.plans import (
    attach_plans,
    load_full,
    read_plan_file,
    read_seed_bodies,
    seed_bodies_file,
    seed_plan_file,
)
from orgraph.queries import tasks as tq

BODY = "Sở Nội vụ tỉnh Hưng Yên"
OTHER = "Ban Tổ chức Tỉnh ủy Hưng Yên"
PLAN = "plans: [{id: P, issuer: X, date: 2025-07-01}]\n"
TASK = f'tasks: [{{id: "P:1", plan: P, number: "1", text: t, lead: [{{body: "{BODY}"}}]}}]\n'
HEADER = "plan,issuer,number,text,lead\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def load_plan(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["load-plan", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def seed_task_id() -> str:
    return seed_plan_file().tasks[0].id


# ------------------------------------------------------------------ malformed files: exit 2, file and row
BAD = {
    "impossible-date": (
        "p.yaml",
        "plans: [{id: P, issuer: X, date: 2025-02-30}]\n" + TASK,
        ["p.yaml [plans], row 1", "date"],
    ),
    "impossible-deadline-date": (
        "p.yaml",
        PLAN + f'tasks: [{{id: "P:1", plan: P, number: "1", text: t, lead: [{{body: "{BODY}"}}], '
        "deadline: {kind: date, date: 2025-04-31}}]\n",
        ["p.yaml [tasks], row 1", "deadline.date"],
    ),
    "month-13": (
        "p.yaml",
        PLAN + f'tasks: [{{id: "P:1", plan: P, number: "1", text: t, lead: [{{body: "{BODY}"}}], '
        "deadline: {kind: by_month, month: 2025-13}}]\n",
        ["p.yaml [tasks], row 1", "month 13"],
    ),
    "a-deadline-without-its-date": (
        "p.yaml",
        PLAN + f'tasks: [{{id: "P:1", plan: P, number: "1", text: t, lead: [{{body: "{BODY}"}}], '
        "deadline: {kind: date}}]\n",
        ["p.yaml [tasks], row 1", "needs its 'date'"],
    ),
    "plans-is-a-number": ("p.yaml", "plans: 5\n", ["p.yaml [plans]", "list"]),
    "tasks-is-a-boolean": ("p.yaml", PLAN + "tasks: true\n", ["p.yaml [tasks]", "list"]),
    "reports_to-is-a-float": ("p.yaml", PLAN + TASK + "reports_to: 1.5\n", ["p.yaml [reports_to]", "list"]),
    "plans-is-text": ("p.yaml", "plans: abc\n", ["p.yaml [plans]", "list"]),
    "a-plan-twice": (
        "p.yaml",
        "plans: [{id: P, issuer: X}, {id: P, issuer: Y}]\n" + TASK,
        ["p.yaml [plans], row 2", "defined twice"],
    ),
    "a-task-id-twice": (
        "p.yaml",
        PLAN
        + "tasks:\n"
        + "".join(f'  - {{id: "P:1", plan: P, number: "{n}", text: t, lead: [{{body: "{BODY}"}}]}}\n' for n in "12"),
        ["p.yaml [tasks], row 2", "used twice"],
    ),
    "reports_to-an-unknown-plan": (
        "p.yaml",
        PLAN + TASK + f'reports_to: [{{from: {{body: "{BODY}"}}, to: {{body: "{OTHER}"}}, '
        "schedule: {kind: regular}, plan: Q}]\n",
        ["p.yaml [reports_to], row 1", "'Q'"],
    ),
    "nested-too-deeply": ("p.yaml", "plans: " + "[" * 5000 + "]" * 5000 + "\n", ["p.yaml"]),
    "csv-row-shorter-than-header": ("p.csv", HEADER + f"P,X,1,t,{BODY}\nP,X,2\n", ["p.csv, row 3", "3 fields"]),
    "csv-row-longer-than-header": ("p.csv", HEADER + f"P,X,1,t,{BODY},extra\n", ["p.csv, row 2", "6 fields"]),
    "csv-field-over-the-limit": ("p.csv", HEADER + f"P,X,1,{'a' * 140_000},{BODY}\n", ["p.csv, row 2", "131,072"]),
    "csv-unclosed-quote": ("p.csv", HEADER + f'P,X,1,"t,{BODY}\nP,X,2,t,{BODY}\n', ["p.csv, row 2", "CSV"]),
    "csv-same-plan-and-number-twice": (
        "p.csv",
        HEADER + f"P,X,1,a,{BODY}\nP,X,2,b,{BODY}\nP,X,1,c,{BODY}\n",
        ["p.csv, row 4", "also on row 2"],
    ),
    "csv-plan-with-two-issuers": (
        "p.csv",
        HEADER + f"P,X,1,a,{BODY}\nP,Y,2,b,{BODY}\n",
        ["p.csv, row 3", "than on row 2"],
    ),
    "csv-impossible-date": (
        "p.csv",
        "plan,plan_date,issuer,number,text,lead\n" + f"P,2025-02-30,X,1,a,{BODY}\n",
        ["p.csv, row 2", "date"],
    ),
    "csv-no-number": ("p.csv", HEADER + f"P,X,,a,{BODY}\n", ["p.csv, row 2", "number"]),
    "csv-replaces-not-a-boolean": (
        "p.csv",
        "plan,issuer,number,text,lead,replaces\n" + f"P,X,1,a,{BODY},maybe\n",
        ["p.csv, row 2", "replaces"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_malformed_plan_file_is_one_line_naming_file_and_row(tmp_path, capsys, name):
    fname, text, words = BAD[name]
    p = write(tmp_path, fname, text)
    with pytest.raises(DataError):
        read_plan_file(p)
    rc, out, err = load_plan(capsys, str(p))
    line = one_line_error(err)
    assert rc == 2 and not out
    for w in words:
        assert w in line, line


def test_a_bad_plan_file_on_a_task_command_is_the_same_error(tmp_path, capsys):
    p = write(tmp_path, "p.yaml", "plans: [{id: P, issuer: X, date: 2025-02-30}]\n" + TASK)
    rc = main(["tasks", "--plan", "P", "--plan-file", str(p)])
    line = one_line_error(capsys.readouterr().err)
    assert rc == 2 and "p.yaml [plans], row 1" in line


def test_a_csv_task_over_two_lines_keeps_the_row_numbers(tmp_path):
    p = write(tmp_path, "p.csv", HEADER + f'P,X,1,"two\nlines",{BODY}\nP,X,2,t,\n')
    with pytest.raises(DataError, match=r"p.csv, row 3: a task needs a lead body"):
        read_plan_file(p)


def test_a_malformed_row_of_the_seeds_bodies_is_one_line_naming_file_and_row(tmp_path):
    shipped = Path(seed_bodies_file()[0]).read_text(encoding="utf-8")
    p = write(tmp_path, "seed_bodies.yaml", shipped.replace("kind: party_body", "kind: not_a_kind"))
    with pytest.raises(DataError, match=r"seed_bodies.yaml \[bodies\], row 1: kind: [^\n]*$"):
        read_seed_bodies(p)


def test_editing_the_seeds_bodies_rebuilds_the_cached_graph():
    assert Path(seed_bodies_file()[0]) in full_inputs()  # the cache key is over these files


def test_the_seeds_bodies_are_in_the_full_graph_as_the_file_states_them():
    G, (_, sb) = load_full(), seed_bodies_file()
    for r in (*sb.names, *sb.bodies):
        a = G.nodes[body_uid(r.territory, r.slug)]
        assert (a["name"], a["sources"]) == (r.name, (f"seed:{r.seed}:{r.line}",))


# ------------------------------------------------------------------ a plan without tasks; an unknown plan
def test_a_valid_plan_without_tasks_loads_with_no_tasks(tmp_path, capsys):
    p = write(tmp_path, "p.yaml", PLAN)
    rc, out, err = load_plan(capsys, str(p))
    assert rc == 0 and not err
    assert out.startswith(f"loaded 0 task(s) from {p}")
    assert tq.tasks(load_full(plans=[p]), plan="P") == []


def test_an_unknown_plan_has_its_own_error(capsys):
    rc = main(["tasks", "--plan", "47-KH/BCD-X"])
    line = one_line_error(capsys.readouterr().err)
    assert rc == 3 and "no plan '47-KH/BCD-X'" in line and "47-KH/BCĐ" in line
    assert "no unit matches" not in line
    with pytest.raises(UnknownPlanError) as e:
        tq.tasks(load_full(), plan="no such plan")
    assert isinstance(e.value, UnknownUnitError)  # answered as an unknown name everywhere


# ------------------------------------------------------------------ silent overwrites
def test_a_user_task_cannot_silently_take_a_seed_tasks_id(tmp_path, capsys, seed_task_id):
    plan, number = seed_task_id.split(":", 1)
    row = f'{{id: "{seed_task_id}", plan: "{plan}", number: "{number}", text: mine, lead: [{{body: "{BODY}"}}]'
    p = write(tmp_path, "p.yaml", f'plans: [{{id: "{plan}", issuer: X, date: 2025-07-01}}]\ntasks: [{row}}}]\n')
    rc, _, err = load_plan(capsys, str(p))
    line = one_line_error(err)
    assert rc == 2 and "p.yaml [tasks], row 1" in line and "already defined" in line and "replaces" in line
    # the seeds' task is untouched by the failed load
    seed = tq.responsibilities(load_full(), seed_task_id, on=date(2025, 7, 1))
    assert seed.text != "mine"

    # saying so replaces it: its text and its lead are the new row's
    q = write(
        tmp_path,
        "q.yaml",
        f'plans: [{{id: "{plan}", issuer: X, date: 2025-07-01}}]\ntasks: [{row}, replaces: true}}]\n',
    )
    t = tq.responsibilities(load_full(plans=[q]), seed_task_id, on=date(2025, 7, 1))
    assert t.text == "mine" and [h.assigned.name for h in t.lead if h.assigned] == [BODY]


def test_replaces_that_replaces_nothing_is_an_error(tmp_path):
    p = write(tmp_path, "p.csv", "plan,issuer,number,text,lead,replaces\n" + f"P,X,1,a,{BODY},true\n")
    with pytest.raises(DataError, match=r"p.csv, row 2: task 'P:1' replaces nothing"):
        load_full(plans=[p])


def test_two_user_files_with_one_task_id_are_an_error(tmp_path):
    a = write(tmp_path, "a.csv", HEADER + f"P,X,1,a,{BODY}\n")
    b = write(tmp_path, "b.csv", HEADER + f"P,X,1,b,{BODY}\n")
    with pytest.raises(DataError, match=r"b.csv, row 2: task id 'P:1' is already defined \(.*a.csv, row 2\)"):
        load_full(plans=[a, b])


@pytest.mark.parametrize(
    "lines, row",
    [
        ([(BODY, OTHER), (OTHER, BODY)], 2),
        ([(BODY, BODY)], 1),
    ],
)
def test_a_reporting_cycle_is_an_error_naming_the_row(tmp_path, capsys, lines, row):
    rep = "".join(
        f'  - {{from: {{body: "{a}"}}, to: {{body: "{b}"}}, schedule: {{kind: regular}}, plan: P}}\n' for a, b in lines
    )
    p = write(tmp_path, "p.yaml", PLAN + TASK + "reports_to:\n" + rep)
    rc, _, err = load_plan(capsys, str(p))
    line = one_line_error(err)
    assert rc == 2 and f"p.yaml [reports_to], row {row}" in line and "cycle" in line


def test_nothing_is_half_loaded(tmp_path):
    """A file that fails on its last row leaves no task of its earlier rows behind."""
    good = write(tmp_path, "good.csv", HEADER + f"G,X,1,a,{BODY}\n")
    bad = write(tmp_path, "bad.csv", HEADER + f"B,X,1,a,{BODY}\nB,X,2,b,Nobody at all\n")
    with pytest.raises(DataError, match="bad.csv, row 3"):
        load_full(plans=[good, bad])
    H = load_full(plans=[good])
    assert [t.id for t in tq.tasks(H, plan="G")] == ["task:G:1"]
    with pytest.raises(UnknownPlanError):
        tq.tasks(H, plan="B")


# ------------------------------------------------------------------ one body, many tasks: linear work
def test_one_body_leading_many_tasks_is_worked_out_once(tmp_path, monkeypatch):
    """The body's holder (which reads every edge it has, one per task) is worked out once per
    query, not once per task: N tasks cost N steps, not N² (20,000 tasks load in seconds)."""
    n = 300
    p = write(tmp_path, "many.csv", HEADER + "".join(f"M,X,{i},task {i},{BODY}\n" for i in range(1, n + 1)))
    H = attach_plans(load_full(), [(str(p), read_plan_file(p))])
    calls: list[str] = []
    real = tq.holder

    def counting(G, role, body, on):  # noqa: ANN001, ANN202 - the real function, counted
        calls.append(body)
        return real(G, role, body, on)

    monkeypatch.setattr(tq, "holder", counting)
    got = tq.tasks(H, plan="M")
    assert len(got) == n and all(t.status == "live" for t in got)
    assert len(calls) == 1


def test_a_workbook_row_reusing_a_task_id_names_its_sheet_and_row(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bảng 1"
    for row in (["Kế hoạch số", "T-1/KH"], ["Cơ quan ban hành", "X"], ["STT", "Nội dung", "Cơ quan chủ trì"]):
        ws.append(row)
    ws.append([1, "Việc", BODY])
    x = tmp_path / "plan.xlsx"
    wb.save(x)
    c = write(tmp_path, "first.csv", HEADER + f"T-1/KH,X,1,a,{BODY}\n")
    with pytest.raises(DataError, match=r"plan.xlsx \[sheet 'Bảng 1'\], row 4: task id 'T-1/KH:1' is already defined"):
        load_full(plans=[c, x])
