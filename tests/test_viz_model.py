"""Pictures as data: what a person sees, checked without a browser.

Golden files (``tests/golden/viz/*.json``) hold pictures a person has looked at. After a
deliberate change, look at the pages again and refresh them with
``ORGRAPH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_viz_model.py``.
"""

from __future__ import annotations

import doctest
import html
import importlib
import json
import os
import re
from collections import Counter
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from orgraph.graph.build import build_graph
from orgraph.graph.errors import NotLiveError, OrgraphError, UnknownUnitError
from orgraph.graph.model import (
    Attr,
    EdgeKind,
    Event,
    EventInput,
    EventType,
    Kind,
    LegalBasis,
    NodeKind,
    ParentLink,
    Portion,
    Unit,
    UnitType,
)
from typer.testing import CliRunner

pytest.importorskip("pyvis")

from orgraph.viz import (  # noqa: E402 - after the skip
    country_picture,
    diff_picture,
    province_picture,
    tasks_picture,
    to_html,
    unit_picture,
    write_html,
)

GOLDEN = Path(__file__).parent / "golden" / "viz"
UPDATE = os.environ.get("ORGRAPH_UPDATE_GOLDEN") == "1"
BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)
HUNG_YEN = "province:33@2025-07-01"
DIEN_BIEN = "commune:00019"  # Phường Điện Biên, Quận Ba Đình, Hà Nội

# Names are data from outside; these must show as text and never run.
PAYLOAD = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_SCRIPT = "</script><script>window.__pwned=2</script>"
PLAN = 'KH-<img src=x onerror="window.__pwned=3">'


# ------------------------------------------------------------------ worlds
def hostile_national(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The national graph with hostile names on Hưng Yên's units (a copy; G is untouched)."""
    H = G.copy()
    H.nodes[HUNG_YEN][Attr.NAME] = f"Tỉnh {PAYLOAD}"
    H.nodes["commune:11953"][Attr.NAME] = f"Phường {PAYLOAD}"  # an old commune
    H.nodes["commune:11953@2025-07-01"][Attr.NAME] = f"Phường {PAYLOAD_SCRIPT}"  # a new one
    return H


def _unit(
    uid: str,
    kind: Kind,
    type_: UnitType,
    name: str,
    *,
    start: date | None = None,
    end: date | None = None,
    parent: str | None = None,
) -> Unit:
    parents = (ParentLink(parent=parent, valid_from=start, valid_to=end),) if parent else ()
    return Unit(
        uid=uid,
        kind=kind,
        type=type_,
        name=name,
        short=name,
        valid_from=start,
        valid_to=end,
        parents=parents,
        sources=("test",),
    )


def _event(
    eid: str,
    type_: EventType,
    inputs: list[EventInput],
    outputs: tuple[str, ...] = (),
    *,
    derived: bool = False,
    basis: LegalBasis | None = None,
) -> Event:
    return Event(
        id=eid,
        type=type_,
        date=AFTER,
        inputs=tuple(inputs),
        outputs=outputs,
        sources=("test",),
        derived=derived,
        basis=basis,
    )


def small_world() -> nx.MultiDiGraph:
    """Two provinces fused into a third, their communes, bodies and a plan whose tasks are
    inherited, orphaned, ambiguous, generic and without a lead; hostile names throughout."""
    P, D, C, B = Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, UnitType.BODY
    units = [
        _unit("p:a", P, UnitType.TINH, "Tỉnh An", end=AFTER),
        _unit("p:b", P, UnitType.TINH, "Tỉnh Bình", end=AFTER),
        _unit("p:c", P, UnitType.TINH, f"Tỉnh {PAYLOAD}", start=AFTER),
        _unit("d:a1", D, UnitType.HUYEN, "Huyện Một", end=AFTER, parent="p:a"),
        _unit("c:a1", C, UnitType.XA, f"Xã {PAYLOAD}", end=AFTER, parent="d:a1"),
        _unit("c:a2", C, UnitType.XA, "Xã Hai", end=AFTER, parent="d:a1"),
        _unit("c:b1", C, UnitType.PHUONG, f"Phường {PAYLOAD_SCRIPT}", end=AFTER, parent="p:b"),
        _unit("c:c1", C, UnitType.XA, "Xã Mới", start=AFTER, parent="p:c"),
        _unit("c:c2", C, UnitType.PHUONG, "Phường Mới", start=AFTER, parent="p:c"),
        _unit("b:a:btc", Kind.PARTY_BODY, B, "Ban Tổ chức Tỉnh ủy An", end=AFTER),
        _unit("b:c:btc", Kind.PARTY_BODY, B, "Ban Tổ chức <b>Tỉnh ủy</b> mới", start=AFTER),
        _unit("b:a1:hu", Kind.PARTY_COMMITTEE, B, "Huyện ủy Một", end=AFTER),
        _unit("b:a2:du", Kind.PARTY_COMMITTEE, B, f"Đảng ủy {PAYLOAD}", end=AFTER),
        _unit("b:c1:du", Kind.PARTY_COMMITTEE, B, "Đảng ủy xã Mới", start=AFTER),
        _unit("b:c2:du", Kind.PARTY_COMMITTEE, B, "Đảng ủy phường Mới", start=AFTER),
    ]
    part = Portion.PART
    law = LegalBasis(number="202/2025/QH15", date=date(2025, 6, 12), clause=PAYLOAD)
    events = [
        _event(
            "ev:p",
            EventType.FUSION,
            [EventInput(unit="p:a"), EventInput(unit="p:b")],
            ("p:c",),
            basis=law,
        ),
        _event(
            "ev:c1",
            EventType.FUSION,
            [EventInput(unit="c:a1"), EventInput(unit="c:a2", portion=part, default=True)],
            ("c:c1",),
            basis=law,
        ),
        _event(
            "ev:c2",
            EventType.FUSION,
            [EventInput(unit="c:a2", portion=part), EventInput(unit="c:b1")],
            ("c:c2",),
        ),
        _event("ev:btc", EventType.FUSION, [EventInput(unit="b:a:btc")], ("b:c:btc",), derived=True),
        _event("ev:hu", EventType.DISSOLUTION, [EventInput(unit="b:a1:hu")], derived=True),
        _event("ev:du1", EventType.SPLIT, [EventInput(unit="b:a2:du", portion=part)], ("b:c1:du",)),
        _event("ev:du2", EventType.SPLIT, [EventInput(unit="b:a2:du", portion=part)], ("b:c2:du",)),
    ]
    G = build_graph(units, events)
    for body, land in (("b:a:btc", "p:a"), ("b:c:btc", "p:c"), ("b:a2:du", "c:a2")):
        G.add_edge(body, land, key=EdgeKind.BODY_OF.value, kind=EdgeKind.BODY_OF)

    def task(tid: str, number: str, text: str, leads=(), coordinators=(), generic=()) -> None:
        G.add_node(
            tid,
            **{
                Attr.NODE: NodeKind.TASK,
                Attr.NAME: text,
                "plan": PLAN,
                "number": number,
                "deadline": {"kind": "date", "date": date(2025, 9, 30)},
                "deadline_text": "Trước ngày 30/9/2025",
                Attr.NOTE: None,
                "illegible": None,
                "seed": None,
                "line": None,
                Attr.SOURCES: ("test",),
                "assigned_on": date(2025, 5, 1),
                "province": None,
                "generic_leads": tuple(generic),
                "generic_coordinators": (),
            },
        )
        for role, bodies in ((EdgeKind.LEADS, leads), (EdgeKind.COORDINATES, coordinators)):
            for b in bodies:
                G.add_edge(b, tid, key=role.value, kind=role)

    task(
        "task:1",
        "1",
        f"Rà soát cán bộ {PAYLOAD_SCRIPT}",
        leads=["b:a:btc"],
        coordinators=["b:a2:du"],
    )
    task("task:2", "2", "Bàn giao hồ sơ của huyện", leads=["b:a1:hu"])
    task("task:3", "3", f"Tổng hợp ý kiến {PAYLOAD}", leads=["b:a2:du"])
    task("task:4", "4", "Báo cáo (ô chủ trì không đọc được)")
    task("task:5", "5", "Quán triệt nghị quyết", generic=["all_levels_party_committees"])
    return G


@pytest.fixture(scope="module")
def hy(G):
    return province_picture(G, HUNG_YEN)


@pytest.fixture(scope="module")
def world():
    return small_world()


# ------------------------------------------------------------------ golden files
def _golden_form(pic) -> dict:
    """What a person checks: every node and edge with its label, style class and tooltip
    (positions are checked by the layout tests instead)."""
    return {
        "view": pic.view,
        "title": pic.title,
        "subtitle": pic.subtitle,
        "legend": [x["label"] for x in pic.legend],
        "frames": [f["caption"] for f in pic.frames],
        "nodes": sorted(
            (
                {
                    k: n.get(k)
                    for k in ("id", "label", "level", "type", "state", "task_state", "tip")
                    if n.get(k) is not None
                }
                for n in pic.nodes
            ),
            key=lambda n: n["id"],
        ),
        "edges": sorted(
            ({k: e[k] for k in ("id", "from", "to", "line", "tip")} for e in pic.edges),
            key=lambda e: e["id"],
        ),
    }


def _dump(form: dict) -> str:
    """One node or edge per line, so a review reads down a list and a diff shows one line."""
    lines = ["{"]
    items = list(form.items())
    for i, (k, v) in enumerate(items):
        end = "," if i < len(items) - 1 else ""
        if isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(f"  {json.dumps(k)}: [")
            for j, x in enumerate(v):
                sep = "," if j < len(v) - 1 else ""
                lines.append("    " + json.dumps(x, ensure_ascii=False, sort_keys=True) + sep)
            lines.append("  ]" + end)
        else:
            lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _check_golden(name: str, pic) -> None:
    path = GOLDEN / f"{name}.json"
    got = _dump(_golden_form(pic))
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist; written now: look at it, then commit it")
    want = path.read_text(encoding="utf-8")
    if got != want:
        wl, gl = want.splitlines(), got.splitlines()
        diff = [f"- {a}\n+ {b}" for a, b in zip(wl, gl, strict=False) if a != b][:5]
        pytest.fail(
            f"{path.name} differs ({len(wl)} → {len(gl)} lines); first changes:\n"
            + "\n".join(diff)
            + "\nIf intended: ORGRAPH_UPDATE_GOLDEN=1"
        )


def test_golden_hung_yen(hy):
    _check_golden("hung_yen", hy)


def test_golden_dien_bien_lineage(G):
    _check_golden("dien_bien", unit_picture(G, DIEN_BIEN))


def test_golden_small_plan(world):
    _check_golden("small_plan", tasks_picture(world, plan=PLAN, on=AFTER))


# ------------------------------------------------------------------ what a person sees
def test_hung_yen_counts(hy):
    kinds = Counter((n["kind"], n["state"]) for n in hy.nodes)
    assert kinds == {
        ("province", "old"): 2,
        ("district", "old"): 18,
        ("commune", "old"): 381,
        ("province", "new"): 1,
        ("commune", "new"): 104,
    }
    lines = Counter(e["line"] for e in hy.edges)
    assert lines["hierarchy"] == 381  # each old commune hangs from its district
    assert "Tỉnh Hưng Yên and Tỉnh Thái Bình became Tỉnh Hưng Yên" in hy.subtitle
    assert hy.title == "Tỉnh Hưng Yên: the change of 2025-07-01"


def test_every_old_commune_goes_somewhere_and_every_new_one_comes_from_somewhere(hy):
    succession = [e for e in hy.edges if e["line"] != "hierarchy"]
    sources = {e["from"] for e in succession}
    targets = {e["to"] for e in succession}
    for n in hy.nodes:
        if n["kind"] == "commune" and n["state"] == "old":
            assert n["id"] in sources, n["label"]
        if n["kind"] == "commune" and n["state"] == "new":
            assert n["id"] in targets, n["label"]


def test_old_units_stand_left_of_new_ones(hy, G):
    for pic in (hy, unit_picture(G, DIEN_BIEN), country_picture(G)):
        for f in pic.frames:  # within each group of units drawn together
            inside = [
                n for n in pic.nodes if f["x"] <= n["x"] <= f["x"] + f["w"] and f["y"] <= n["y"] <= f["y"] + f["h"]
            ]
            old = [n["x"] for n in inside if n["state"] in ("old", "context", "focus")]
            new = [n["x"] for n in inside if n["state"] in ("new", "unchanged")]
            assert not old or not new or max(old) < min(new), f["caption"]
    pos = {n["id"]: n["x"] for n in hy.nodes}
    inside_a_frame = [e for e in hy.edges if e["line"] != "hierarchy"]
    share = sum(pos[e["from"]] < pos[e["to"]] for e in inside_a_frame) / len(inside_a_frame)
    assert share > 0.95  # the rest cross to a new commune drawn with another district


def test_nodes_do_not_overlap(hy):
    from orgraph.viz.model import _size

    boxes = []
    for n in hy.nodes:
        w, h = _size(n)
        boxes.append((n["x"] - w / 2, n["y"] - h / 2, n["x"] + w / 2, n["y"] + h / 2, n["id"]))
    boxes.sort()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if b[0] >= a[2]:
                break
            assert not (a[1] < b[3] and b[1] < a[3]), (a[4], b[4])


def test_split_portions_and_the_default_successor_are_visible(G):
    pic = unit_picture(G, DIEN_BIEN)
    mine = {e["to"]: e for e in pic.edges if e["from"] == DIEN_BIEN}
    assert len(mine) == 4
    assert [e["line"] for e in mine.values()].count("default") == 1
    default = next(e for e in mine.values() if e["line"] == "default")
    assert default["to"] == "commune:00004@2025-07-01"  # Phường Ba Đình
    assert default["width"] > max(e["width"] for e in mine.values() if e["line"] == "part")
    assert default["dashes"] and all(e["dashes"] for e in mine.values())
    focus = next(n for n in pic.nodes if n["id"] == DIEN_BIEN)
    assert focus["state"] == "focus"
    assert "default successor: Phường Ba Đình" in pic.subtitle


def test_tooltip_says_name_type_code_validity_event_and_its_resolution(hy):
    n = next(n for n in hy.nodes if n["id"] == "commune:11953@2025-07-01")
    tip = n["tip"]
    assert tip["head"] == "Phường Phố Hiến"
    assert "phường" in tip["sub"] and "code 11953" in tip["sub"]
    rows = dict(tip["rows"])
    assert rows["valid"] == "since 2025-07-01"
    assert rows["formed"].startswith("fusion on 2025-07-01, from 6 units: Phường Hiến Nam")
    assert rows["legal basis"].startswith("1666/NQ-UBTVQH15 of 2025-06-16")
    edge = next(e for e in hy.edges if e["to"] == n["id"] and e["line"] != "hierarchy")
    assert dict(edge["tip"]["rows"])["legal basis"].startswith("1666/NQ-UBTVQH15")


def test_legend_lists_exactly_what_is_drawn(hy):
    labels = [x["label"] for x in hy.legend]
    assert "commune: xã — new" in labels and "part, default successor" in labels
    assert not any("đặc khu" in x for x in labels)  # Hưng Yên has none
    assert "districts of Tỉnh Thái Bình (before)" in labels


def test_country_view_summarises(G):
    pic = country_picture(G)
    assert {n["kind"] for n in pic.nodes} == {"province"}
    states = Counter(n["state"] for n in pic.nodes)
    assert states == {"old": 52, "new": 23, "unchanged": 11}  # 63 before, 34 after
    assert pic.title == "Việt Nam: 63 provinces → 34 on 2025-07-01"
    assert "Communes: 10,035 → 3,321" in pic.subtitle
    hy = next(n for n in pic.nodes if n["id"] == HUNG_YEN)
    assert hy["label"] == "Tỉnh Hưng Yên\n104 communes"
    assert len(pic.edges) == 52


def test_diff_leaves_out_what_did_not_change(G):
    pic = diff_picture(G, BEFORE, AFTER, province="province:01")  # Hà Nội kept its boundaries
    ids = {n["id"] for n in pic.nodes}
    assert "province:01" in ids  # kept to group its districts
    assert not any(n["state"] == "unchanged" and n["kind"] == "commune" for n in pic.nodes)
    pic = diff_picture(G, BEFORE, AFTER, province="province:51@2025-07-01")  # Quảng Ngãi
    assert "5 unchanged units not shown" in pic.subtitle
    assert not any(n["state"] == "unchanged" and n["kind"] == "commune" for n in pic.nodes)
    whole = province_picture(G, "province:51@2025-07-01")
    assert sum(n["state"] == "unchanged" and n["kind"] == "commune" for n in whole.nodes) == 5
    with pytest.raises(NotLiveError):
        diff_picture(G, date(2020, 1, 1), date(2020, 2, 1), province=HUNG_YEN)


def test_province_picture_wants_a_province(G):
    with pytest.raises(UnknownUnitError):
        province_picture(G, DIEN_BIEN)
    with pytest.raises(UnknownUnitError):
        province_picture(G, "province:nowhere")


def test_pictures_leave_the_graph_alone(world):
    before = (
        world.number_of_nodes(),
        world.number_of_edges(),
        dict(world.nodes["c:a1"]),
        dict(world.nodes["task:1"]),
    )
    province_picture(world, "p:c")
    unit_picture(world, "c:a2")
    tasks_picture(world, plan=PLAN, on=AFTER)
    assert before == (
        world.number_of_nodes(),
        world.number_of_edges(),
        dict(world.nodes["c:a1"]),
        dict(world.nodes["task:1"]),
    )


# ------------------------------------------------------------------ tasks
def test_tasks_stand_out_by_status(world):
    pic = tasks_picture(world, plan=PLAN, on=AFTER)
    tasks = {n["id"]: n for n in pic.nodes if n["level"] == "task"}
    assert {k: n["task_state"] for k, n in tasks.items()} == {
        "task:1": "inherited",
        "task:2": "orphan",
        "task:3": "ambiguous",
        "task:4": "no_lead",
        "task:5": "generic",
    }
    calm = tasks["task:5"]["borderWidth"]
    for loud in ("task:2", "task:3", "task:4"):
        assert tasks[loud]["borderWidth"] > calm
        assert tasks[loud]["color"]["border"] in ("#d50000", "#ef6c00")
    legend = " ".join(x["label"] for x in pic.legend)
    assert "orphan" in legend and "ambiguous" in legend and "responsibility inherited" in legend


def test_inherited_lead_is_drawn_along_its_path(world):
    pic = tasks_picture(world, plan=PLAN, on=AFTER)
    by = {(e["from"], e["to"], e["line"]) for e in pic.edges}
    assert ("b:a:btc", "b:c:btc", "inherited") in by  # the body named in the plan → successor
    assert ("b:c:btc", "task:1", "leads") in by  # the successor leads the task now
    assert ("b:a2:du", "b:c1:du", "inherited") in by and ("b:a2:du", "b:c2:du", "inherited") in by
    assert ("b:c1:du", "task:1", "coordinates") in by
    assert ("generic:all_levels_party_committees", "task:5", "leads") in by
    pos = {n["id"]: n["x"] for n in pic.nodes}
    assert pos["b:a:btc"] < pos["b:c:btc"] < pos["task:1"]


def test_real_plan_shows_every_task(full):
    pic = tasks_picture(full, plan="47-KH/BCĐ", on=AFTER)
    assert sum(1 for n in pic.nodes if n["level"] == "task") == 9
    assert any(n["id"] == "generic:all_levels_party_committees" for n in pic.nodes)


@pytest.fixture(scope="module")
def full():
    from orgraph.loaders.plans import load_full

    return load_full()


# ------------------------------------------------------------------ escaping
@pytest.mark.parametrize("which", ["province", "unit", "tasks", "diff"])
def test_every_text_is_escaped_in_the_page(world, which):
    pic = {
        "province": lambda: province_picture(world, "p:c"),
        "unit": lambda: unit_picture(world, "c:a2"),
        "tasks": lambda: tasks_picture(world, plan=PLAN, on=AFTER),
        "diff": lambda: diff_picture(world, BEFORE, AFTER, province="p:c"),
    }[which]()
    texts = [t for t in pic.texts() if t]
    assert any("<img" in t for t in texts) and any("</script>" in t for t in texts)
    page = to_html(pic)
    for t in texts:  # no text reaches the page raw where it could be markup
        if "<" in t or "&" in t:
            assert t not in page, t
    from orgraph.viz.render import _vis_files

    # two script elements (vis-network and our own); nothing injected
    assert page.count("<script") == 2 + _vis_files()[0].count("<script")
    assert "<img" not in page
    for tag in ("title", 'h1 id="title"', 'p id="subtitle"'):  # shown escaped, read as text
        shown = re.search(f"<{tag}>(.*?)</{tag.split()[0]}>", page, re.S).group(1)
        assert "<" not in shown
        assert html.unescape(shown) == (pic.subtitle if "subtitle" in tag else pic.title)
    assert "\\u003cimg src=x onerror=" in page  # names reach the script as JSON, escaped
    assert "default-src 'none'" in page


def test_page_needs_nothing_from_the_network(hy):
    page = to_html(hy)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<link" not in page and "@import" not in page
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "vis-network" in page  # inlined


def test_write_is_atomic(tmp_path, world, monkeypatch):
    pic = unit_picture(world, "c:a2")
    target = tmp_path / "deep" / "page.html"
    assert write_html(pic, target) == target
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and first.rstrip().endswith("</html>")

    import orgraph.viz.render as render

    def broken(_picture):
        raise OrgraphError("boom")

    monkeypatch.setattr(render, "to_html", broken)
    with pytest.raises(OrgraphError):
        render.write_html(pic, target)
    assert target.read_text(encoding="utf-8") == first  # the old page is intact
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]  # no temp file left


# ------------------------------------------------------------------ command line
def _cli():
    from orgraph.cli.viz import app

    return app


@pytest.mark.parametrize(
    "args",
    [
        ["province", "Hưng Yên"],
        ["unit", "Phường Điện Biên, Ba Đình, Hà Nội"],
        ["country"],
        ["diff", "2025-06-30", "2025-07-01", "--province", "Hưng Yên"],
    ],
)
def test_cli_writes_a_page(tmp_path, args):
    out = tmp_path / "page.html"
    res = CliRunner().invoke(_cli(), [*args, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists() and out.stat().st_size > 500_000
    assert f"wrote {out}" in res.output


def test_cli_tasks_writes_a_page(tmp_path, full):
    out = tmp_path / "tasks.html"
    res = CliRunner().invoke(_cli(), ["tasks", "--plan", "47-KH/BCĐ", "--on", "2025-07-01", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Plan 47-KH/BCĐ" in out.read_text(encoding="utf-8")


def test_cli_errors_are_orgraph_errors(tmp_path):
    res = CliRunner().invoke(_cli(), ["province", "Nowhere at all", "-o", str(tmp_path / "x.html")])
    if isinstance(res.exception, UnknownUnitError):  # the sub-app alone lets it propagate
        pass
    else:  # once `orgraph.cli` is imported it guards the sub-app: one line, its exit code
        assert res.exit_code == UnknownUnitError.exit_code, res.output
        assert "error: no unit matches 'Nowhere at all'" in res.output
    assert not (tmp_path / "x.html").exists()
    res = CliRunner().invoke(_cli(), ["country", "--on", "July", "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "2025-07-01" in res.output


@pytest.mark.parametrize("command", ["province", "unit", "country", "tasks", "diff"])
def test_every_command_has_help(command):
    res = CliRunner().invoke(_cli(), [command, "--help"])
    assert res.exit_code == 0
    assert len(res.output.strip()) > 80


# ------------------------------------------------------------------ docstrings
@pytest.mark.parametrize("name", ["orgraph.viz", "orgraph.viz.model", "orgraph.viz.layout", "orgraph.viz.render"])
def test_docstring_examples(name):
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0
