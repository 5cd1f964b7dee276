"""Bodies, tasks from the seeds, inheritance along change events, validation."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from orgraph import DataError
from orgraph.cli import app, main
from orgraph.graph.build import build_graph
from orgraph.graph.model import Event, EventInput, Kind, Unit, UnitType
from orgraph.loaders.plans import attach_plans, load_full, read_plan_file
from orgraph.queries.tasks import bodies, inherited, next_due, responsibilities, tasks, validate
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "worked_plan.yaml"
D = date(2025, 7, 1)


@pytest.fixture(scope="module")
def H():
    return load_full(plans=[str(EXAMPLE)])


def test_new_hung_yen_has_its_party_and_state_bodies(H):
    names = {b.name for b in bodies(H, "province:33@2025-07-01", on=D)}
    for n in [
        "Tỉnh ủy Hưng Yên",
        "Ban Tổ chức Tỉnh ủy Hưng Yên",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Hưng Yên",
        "Ủy ban Kiểm tra Tỉnh ủy Hưng Yên",
        "Văn phòng Tỉnh ủy Hưng Yên",
        "Trường Chính trị Nguyễn Văn Linh",
        "Đảng ủy các cơ quan Đảng tỉnh Hưng Yên",
        "Đảng ủy Ủy ban nhân dân tỉnh Hưng Yên",
        "Đảng ủy Quân sự tỉnh Hưng Yên",
        "Đảng ủy Công an tỉnh Hưng Yên",
        "Hội đồng nhân dân tỉnh Hưng Yên",
        "Ủy ban nhân dân tỉnh Hưng Yên",
        "Sở Tài chính tỉnh Hưng Yên",
        "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hưng Yên",
    ]:
        assert n in names
    assert "Sở Kế hoạch và Đầu tư tỉnh Hưng Yên" not in names


def test_departments_changed_on_1_march_2025(H):
    before = {b.name for b in bodies(H, "province:34", on=date(2025, 2, 28))}
    after = {b.name for b in bodies(H, "province:34", on=date(2025, 3, 1))}
    assert "Sở Kế hoạch và Đầu tư tỉnh Thái Bình" in before and "Sở Kế hoạch và Đầu tư tỉnh Thái Bình" not in after
    assert "Sở Nông nghiệp và Môi trường tỉnh Thái Bình" in after


def test_every_commune_and_province_has_bodies(H):
    for t in ["commune:12658", "commune:12586@2025-07-01", "province:01"]:
        on = date(2025, 6, 30) if "@" not in t else D
        assert len(bodies(H, t, on=on)) >= 4


def test_seed_tasks_are_all_there_with_their_source_lines(H):
    doc = yaml.safe_load((ROOT / "data/plans/seed_plans.yaml").read_text(encoding="utf-8"))
    ts = tasks(H, on=D)
    seed_ids = {f"task:{t['id']}" for t in doc["tasks"]}
    assert seed_ids <= {t.id for t in ts}
    assert len(seed_ids) >= 40
    for t in doc["tasks"]:
        assert unicodedata.is_normalized("NFC", t["text"])
        seed = Path("/work/shared/seeds") if Path("/work/shared/seeds").exists() else ROOT.parent / "shared/seeds"
        if seed.exists():
            assert len((seed / t["seed"]).read_text(encoding="utf-8").splitlines()) >= t["line"]


def test_task_of_old_thai_binh_is_inherited_by_new_hung_yen(H):
    r = responsibilities(H, "VD-01/TB:1", on=date(2025, 8, 1))
    (lead,) = r.lead
    assert lead.status == "inherited" and lead.holders[0].name == "Ban Tổ chức Tỉnh ủy Hưng Yên"
    assert lead.path[0].basis == "202/2025/QH15" and lead.path[0].date == D
    inh = inherited(H, "Ban Tổ chức Tỉnh ủy Hưng Yên", on=D)
    assert [i.from_body.name for i in inh] == ["Ban Tổ chức Tỉnh ủy Thái Bình"]


def test_district_responsibility_is_an_orphan(H):
    r = responsibilities(H, "VD-01/TB:2", on=date(2025, 8, 1))
    assert r.status == "orphan" and "no successor" in r.lead[0].note


def test_split_with_default_inherits(H):
    r = responsibilities(H, "VD-01/TB:3", on=date(2025, 8, 1))
    assert r.lead[0].status == "inherited" and r.lead[0].holders[0].name == "Đảng ủy phường Ba Đình"


def test_split_without_default_is_ambiguous():
    def u(uid, **kw):
        return Unit(uid=uid, kind=Kind.PARTY_BODY, type=UnitType.BODY, name=uid, short=uid, sources=("t",), **kw)

    units = [u("Ban A", valid_to=D), u("Ban B", valid_from=D), u("Ban C", valid_from=D)]
    evs = [
        Event(
            id=f"e{x}",
            type="split",
            date=D,
            sources=("t",),
            outputs=(f"Ban {x}",),
            inputs=(EventInput(unit="Ban A", portion="part", default=False),),
        )
        for x in "BC"
    ]
    G = build_graph(units, evs, sources={"t": {}})
    pf = read_plan_file(EXAMPLE).model_copy(
        update={
            "tasks": (
                read_plan_file(EXAMPLE).tasks[0].model_copy(update={"lead": ({"body": "Ban A"},), "coordinators": ()}),
            )
        }
    )
    from orgraph.loaders.plans import Assignee

    t = pf.tasks[0].model_copy(update={"lead": (Assignee(body="Ban A"),)})
    G2 = attach_plans(G, [("x", pf.model_copy(update={"tasks": (t,)}))])
    r = responsibilities(G2, t.id, on=date(2025, 8, 1))
    assert r.status == "ambiguous" and {h.name for h in r.lead[0].holders} == {"Ban B", "Ban C"}


def test_validate_national_data(H):
    v = validate(load_full(), on=D)
    assert not [f for f in v.findings if not f.rule.startswith("task-")]
    assert v.by_status.get("orphan", 0) == 0
    v2 = validate(H, on=D)
    assert any(f.rule == "task-lead-orphan" and "VD-01/TB:2" in f.subject for f in v2.findings)
    assert not v2.ok


def test_deadline_rules():
    assert (
        next_due(
            {
                "kind": "weekly",
                "weekday": "wednesday",
                "before": "15:00",
                "start": date(2025, 4, 16),
                "end": date(2025, 10, 31),
            },
            date(2025, 11, 3),
        )[0]
        is None
    )
    assert next_due({"kind": "by_month", "month": "2025-07"}, D)[0] == date(2025, 7, 31)
    assert next_due({"kind": "regular"}, D) == (None, "regularly")


def test_user_plan_with_bad_rows(tmp_path):
    p = tmp_path / "plan.yaml"
    p.write_text(
        "plans: [{id: P, issuer: X}]\ntasks:\n"
        "  - {id: a, plan: P, number: '1', text: ok, lead: [{body: 'Sở Nội vụ tỉnh Hưng Yên'}]}\n"
        "  - {id: b, plan: P, number: '2', text: x, deadline: {kind: soon}}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"plan.yaml \[tasks\], row 2: deadline.kind"):
        read_plan_file(p)
    c = tmp_path / "plan.csv"
    c.write_text(
        "plan,issuer,number,text,lead\nP,X,1,Do,Ban Tổ chức Tỉnh ủy Hưng Yên\nP,X,2,Do,Ban To chuc Tinh uy Hung Yenn\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as e:
        load_full(plans=[str(c)])
    assert "row 3" in str(e.value) and "did you mean: Ban Tổ chức Tỉnh ủy Hưng Yên" in str(e.value)


@pytest.mark.parametrize(
    "args",
    [
        ["bodies", "Hưng Yên", "--on", "2025-07-01"],
        ["tasks", "--plan", "47-KH/BCĐ"],
        ["inherited", "Ban Tổ chức Tỉnh ủy Hưng Yên", "--on", "2025-07-01", "--plan-file", str(EXAMPLE)],
        ["responsibilities", "VD-01/TB:1", "--on", "2025-08-01", "--plan-file", str(EXAMPLE)],
        ["validate", "--on", "2025-07-01"],
        ["load-plan", str(EXAMPLE)],
    ],
)
def test_task_commands(args):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert len(r.output) > 50


def test_validate_exits_nonzero_on_an_orphan(capsys):
    assert main(["validate", "--on", "2025-07-01", "--plan-file", str(EXAMPLE)]) == 1
    assert "task-lead-orphan" in capsys.readouterr().out


def test_generic_assignees_resolve_to_the_bodies_of_that_date(H):
    ts = {t.id: t for t in tasks(H, on=D)}
    communes = [h for t in ts.values() for h in (*t.lead, *t.coordinators) if h.generic == "commune_party_committees"]
    assert communes and all(len(h.holders) == 104 for h in communes)  # new Hưng Yên's 104 communes
    assert all(x.name.startswith("Đảng ủy") for x in communes[0].holders)
    under = [
        h for t in ts.values() for h in t.lead + t.coordinators if h.generic == "party_committees_under_provincial"
    ]
    assert {x.name for x in under[0].holders} == {
        "Đảng ủy các cơ quan Đảng tỉnh Hưng Yên",
        "Đảng ủy Ủy ban nhân dân tỉnh Hưng Yên",
        "Đảng ủy Quân sự tỉnh Hưng Yên",
        "Đảng ủy Công an tỉnh Hưng Yên",
    }


def test_weekly_reports_run_through_the_named_bodies(H):
    lines = {
        (H.nodes[a]["name"], H.nodes[b]["name"], d["schedule"].get("weekday"))
        for a, b, d in H.edges(data=True)
        if d.get("kind") == "REPORTS_TO"
    }
    assert ("Ban Tổ chức Tỉnh ủy Hưng Yên", "Ban Thường vụ Tỉnh ủy Hưng Yên", "tuesday") in lines
    assert (
        "Ban Tổ chức Trung ương",
        "Ban Chỉ đạo Trung ương về tổng kết Nghị quyết 18",
        "wednesday",
    ) in lines
