"""The Neo4j backend against a real Bolt server: schema, push, and every query answering as
the embedded graph does (see tests/neo4j_fixtures.py for the server)."""

# The fixtures are imported from neo4j_fixtures, so the test functions' arguments shadow them.
# ruff: noqa: F811

from __future__ import annotations

import ast
import random
import socket
from datetime import date
from pathlib import Path
from typing import Any

import orgraph.queries as nxq
import pytest
from neo4j_fixtures import full, full_db, national_db, ng  # noqa: F401
from orgraph.cli import neo4j as cli_neo4j
from orgraph.cli._common import State
from orgraph.graph.build import build_graph
from orgraph.graph.errors import BackendError
from orgraph.graph.model import (
    Event,
    EventInput,
    EventType,
    Kind,
    NodeKind,
    ParentLink,
    Portion,
    Unit,
    UnitType,
)
from orgraph.queries import cypher
from orgraph.queries import neo4j as neo
from orgraph.queries import tasks as nxtasks
from orgraph.queries.results import jsonable
from typer.testing import CliRunner

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
BEFORE = date(2025, 3, 1)  # the data's horizon: complete from here on
DATES = [BEFORE, date(2025, 6, 30), date(2025, 7, 1), date(2026, 12, 31)]
NX = {
    **{
        n: getattr(nxq, n)
        for n in (
            "find",
            "resolve",
            "successors",
            "predecessors",
            "lineage",
            "snapshot",
            "diff",
            "convert",
        )
    },
    **{n: getattr(nxtasks, n) for n in ("bodies", "tasks", "responsibilities", "inherited", "validate")},
}


def answer(fn: Any, graph: Any, *args: Any, **kw: Any) -> Any:
    """A query's answer as plain data, or the error it raised (type and message)."""
    try:
        res = fn(graph, *args, **kw)
    except Exception as e:  # noqa: BLE001 - the error is part of the answer
        return ("error", type(e).__name__, str(e))
    return nxq.results.jsonable(res)


def mismatches(G: Any, ng: Any, name: str, calls: list[tuple[tuple, dict]]) -> list[str]:
    """Calls whose networkx and Neo4j answers differ (the first few, for the message)."""
    bad = []
    for args, kw in calls:
        want = answer(NX[name], G, *args, **kw)
        got = answer(getattr(neo, name), ng, *args, **kw)
        if want != got:
            bad.append(f"{name}{args}{kw}:\n  networkx: {str(want)[:600]}\n  neo4j:    {str(got)[:600]}")
    return bad


def assert_parity(G: Any, ng: Any, name: str, calls: list[tuple[tuple, dict]]) -> None:
    bad = mismatches(G, ng, name, calls)
    assert not bad, f"{len(bad)} of {len(calls)} differ:\n" + "\n".join(bad[:5])


def _units(G: Any, kind: Kind) -> list[str]:
    return [n for n, a in G.nodes(data=True) if a.get("kind") == kind]


def hung_yen_communes(G: Any) -> list[str]:
    """Every commune, old or new, ever under new Hưng Yên or a province it was made of."""
    hy = nxq.resolve(G, "Hưng Yên", on=date(2025, 7, 1), kind="province")
    provinces = {hy} | {u.id for u in nxq.lineage(G, hy).ancestors}
    out = []
    for c in _units(G, Kind.COMMUNE):
        if any(p in provinces for p in _ancestors(G, c)):
            out.append(c)
    return sorted(out)


def _ancestors(G: Any, n: str) -> set[str]:
    seen, todo = set(), [n]
    while todo:
        for _, p, d in G.out_edges(todo.pop(), data=True):
            if d["kind"] == "PART_OF" and p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def national_sample(G: Any, n: int = 500) -> list[str]:
    old = sorted(c for c in _units(G, Kind.COMMUNE) if G.nodes[c]["valid_to"] is not None)
    return random.Random(2025).sample(old, n)


# ------------------------------------------------------------------ schema and push


def test_schema_is_created_idempotently(ng):
    neo.ensure_schema(ng)
    neo.ensure_schema(ng)  # again: nothing to do, no error
    T = _tiny_graph(prefix="dup")
    try:
        neo.push(T, ng, keep_extra=True)
        with pytest.raises(BackendError, match="(?i)constraint|already exists|duplicate"):
            ng.write("CREATE (:Unit {uid: $uid})", uid="dup:province")  # a probe, not orgraph's
    finally:
        neo.delete(ng, list(T.nodes))


def test_push_twice_changes_nothing(national_db, ng):
    first = national_db.summary
    assert first.nodes_created == national_db.G.number_of_nodes()
    assert first.relationships_created == national_db.G.number_of_edges()
    again = neo.push(national_db.G, ng)
    assert not again.changed
    assert (again.nodes_unchanged, again.relationships_unchanged) == (
        first.nodes,
        first.relationships,
    )
    assert neo.counts(ng) == national_db.counts
    assert neo.fingerprint(ng) == national_db.fingerprint


def test_interrupted_push_then_push_ends_as_a_clean_push(national_db, ng):
    class Interrupt(Exception):
        pass

    def stop_midway(done: int, total: int) -> None:
        if done > total // 3:
            raise Interrupt

    neo.clear(ng)
    with pytest.raises(Interrupt):
        neo.push(national_db.G, ng, batch=1000, progress=stop_midway)
    partial = neo.counts(ng)
    assert 0 < sum(partial["nodes"].values()) < sum(national_db.counts["nodes"].values())
    resumed = neo.push(national_db.G, ng, batch=1000)
    assert resumed.nodes_created + resumed.relationships_created > 0
    assert resumed.nodes_updated == resumed.relationships_updated == 0
    assert neo.counts(ng) == national_db.counts
    assert neo.fingerprint(ng) == national_db.fingerprint


def test_province_push_is_its_lineage_and_the_whole_push_completes_it(national_db, ng):
    G = national_db.G
    neo.clear(ng)
    part = neo.push(G, ng, province="Hưng Yên")
    assert 0 < part.nodes_created < G.number_of_nodes()
    for c in hung_yen_communes(G)[:60]:  # the province answers as the whole graph does
        assert_parity(G, ng, "successors", [((c,), {})])
    assert neo.push(G, ng, province="Hưng Yên").changed is False
    neo.push(G, ng)
    assert neo.fingerprint(ng) == national_db.fingerprint


def test_push_command_shows_the_summary(national_db, ng, monkeypatch):
    monkeypatch.setattr(State, "graph", lambda self, *names, **kw: national_db.G)
    res = CliRunner().invoke(cli_neo4j.app, ["push", "--province", "Hưng Yên", "--batch", "500"])
    assert res.exit_code == 0, res.output
    assert "0 created, 0 updated" in res.output
    res = CliRunner().invoke(cli_neo4j.app, ["push", "--json"])
    assert res.exit_code == 0, res.output
    assert '"nodes_created": 0' in res.output


@pytest.mark.parametrize("args", [[], ["push"]])
def test_commands_have_help(args):
    res = CliRunner().invoke(cli_neo4j.app, [*args, "--help"])
    assert res.exit_code == 0 and "Neo4j" in res.output


# ------------------------------------------------------------------ names from outside


def _tiny_graph(prefix: str = "t", names: tuple[str, ...] = ("Tỉnh A", "Xã B", "Xã C")) -> Any:
    p, old, new = names
    units = [
        Unit(
            uid=f"{prefix}:province",
            kind=Kind.PROVINCE,
            type=UnitType.TINH,
            name=p,
            short=p.removeprefix("Tỉnh ").strip() or p,
            sources=("modelling",),
        ),
        Unit(
            uid=f"{prefix}:commune",
            kind=Kind.COMMUNE,
            type=UnitType.XA,
            name=old,
            short=old.removeprefix("Xã ").strip() or old,
            valid_to=date(2025, 7, 1),
            parents=(ParentLink(parent=f"{prefix}:province", valid_to=date(2025, 7, 1)),),
            sources=("modelling",),
        ),
        Unit(
            uid=f"{prefix}:new",
            kind=Kind.COMMUNE,
            type=UnitType.XA,
            name=new,
            short=new.removeprefix("Xã ").strip() or new,
            valid_from=date(2025, 7, 1),
            parents=(ParentLink(parent=f"{prefix}:province", valid_from=date(2025, 7, 1)),),
            sources=("modelling",),
        ),
    ]
    events = [
        Event(
            id=f"{prefix}:event",
            type=EventType.FUSION,
            date=date(2025, 7, 1),
            inputs=(EventInput(unit=f"{prefix}:commune", portion=Portion.WHOLE),),
            outputs=(f"{prefix}:new",),
            sources=("modelling",),
        )
    ]
    return build_graph(units, events)


TRICKY = [
    ('Tỉnh O\'Brien "Quoted"', "Xã `Backtick` } DETACH DELETE n //", "Xã {Braces} $param"),
    ("Tỉnh MATCH (n) RETURN n", "Xã ' OR 1=1 --", "Xã \\ backslash\\n, CALL {}"),
]


@pytest.mark.parametrize("names", TRICKY)
def test_names_with_quotes_backticks_braces_and_keywords_round_trip(ng, names):
    T = _tiny_graph("tricky", names)
    try:
        neo.push(T, ng, keep_extra=True)
        for uid in ("tricky:province", "tricky:commune", "tricky:new"):
            name = T.nodes[uid]["name"]
            hits = neo.find(ng, uid)
            assert [h.name for h in hits] == [name]  # verbatim
            assert neo.find(ng, uid)[0].to_dict() == nxq.find(T, uid)[0].to_dict()
        assert answer(neo.successors, ng, "tricky:commune") == answer(nxq.successors, T, "tricky:commune")
        assert answer(neo.lineage, ng, "tricky:new") == answer(nxq.lineage, T, "tricky:new")
    finally:
        neo.delete(ng, list(T.nodes))


# ------------------------------------------------------------------ errors


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _one_line_error(monkeypatch, **env: str) -> str:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(BackendError) as e:
        cli_neo4j.open_backend().close()
    msg = str(e.value)
    assert "\n" not in msg and len(msg) < 400
    return msg


def test_unreachable_server_is_one_line(monkeypatch):
    msg = _one_line_error(monkeypatch, NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}")
    assert "cannot reach" in msg and "NEO4J_URI" in msg


def test_unset_uri_is_one_line(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert "NEO4J_URI is not set" in _one_line_error(monkeypatch)


def test_bad_password_is_one_line(ng, monkeypatch):
    msg = _one_line_error(monkeypatch, NEO4J_PASSWORD="certainly-not-the-password")
    assert "credentials" in msg and "NEO4J_PASSWORD" in msg


def test_missing_database_is_one_line(ng, monkeypatch):
    msg = _one_line_error(monkeypatch, NEO4J_DATABASE="orgraph_no_such_database")
    assert "orgraph_no_such_database" in msg and "NEO4J_DATABASE" in msg


def test_command_errors_are_one_line(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_free_port()}")
    monkeypatch.setattr(State, "graph", lambda self, *names, **kw: _tiny_graph())
    res = CliRunner().invoke(cli_neo4j.app, ["push"])
    assert res.exit_code == BackendError.exit_code
    assert res.output.count("\n") == 1 and res.output.startswith("error: cannot reach")


# ------------------------------------------------------------------ Cypher hygiene


def test_all_cypher_lives_in_one_module():
    """No Cypher in a string outside queries/cypher.py (docstrings aside)."""
    words = ("MATCH (", "MERGE (", "UNWIND $", "DETACH DELETE", "CREATE CONSTRAINT")
    for f in ROOT.rglob("*.py"):
        if (
            any(x.startswith(".") or x in ("tests", "benchmarks", "scripts") for x in f.relative_to(ROOT).parts)
            or f.name == "cypher.py"
        ):
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                assert not any(w in node.value for w in words), f"Cypher in {f.relative_to(ROOT)}"


def test_statements_are_filled_from_the_vocabulary():
    public = [v for k, v in vars(cypher).items() if not k.startswith("_")]
    statements = [v for v in public if isinstance(v, str) and " " in v]
    statements += [
        s
        for v in public
        if isinstance(v, dict | tuple)
        for s in (v.values() if isinstance(v, dict) else v)
        if isinstance(s, str) and " " in s
    ]
    assert len(statements) > 30
    for s in statements:
        assert "{L_" not in s and "{R_" not in s and "{valid" not in s, s
    assert ":PART_OF" in cypher.UNIT_REFS and ":Unit:Commune" in cypher.PUSH_UNITS[Kind.COMMUNE]
    assert set(cypher.NODE_LABELS) == set(NodeKind)


# ------------------------------------------------------------------ parity


def test_find_and_resolve_tricky_names(full, ng):
    G = full.G
    names = [
        "P. Dien Bien, Q. Ba Dinh",
        "Phuong Dien Bien",
        "dien bien",
        "Điện Biên",
        "ĐIỆN BIÊN",
        "TP. Ho Chi Minh",
        "TP Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "Ha Noi",
        "Hà Nội",
        "Hưng Yên",
        "Tỉnh Hưng Yên",
        "hung yen",
        "Xã Minh Khai, Hưng Hà, Thái Bình",
        "X. Minh Khai, H. Hung Ha, T. Thai Binh",
        "Minh Khai",
        "Minh Khai, Hưng Yên",
        "Phường 1",
        "Phường 01",
        "P.1",
        "P. 01, Q. 3",
        "Q.1",
        "Quận 1",
        "Quan",
        "TX. Sơn Tây",
        "TT. Văn Giang",
        "Thi tran Van Giang",
        "Ho\u0300a Bi\u0300nh",
        "Hòa Bình",
        "Hoà Bình",
        "Phường Bến Nghé, Quận 1, Hồ Chí Minh",
        "Ben Nghe, Q1",
        "00001",
        "10360",
        "012",
        "commune:00001",
        "province:33@2025-07-01",
        "ev:2025-07-01:province:08",
        "",
        "   ",
        ",",
        "Xã",
        "Minh Khaii",
        "Zzyzx",
        "Đồng Hới",
        "dong hoi",
        "Tỉnh ủy Hưng Yên",
        "Ban Tổ chức Tỉnh ủy Hưng Yên",
        "Thành ủy Hà Nội",
    ]
    calls = [((n,), {}) for n in names]
    calls += [((n,), {"on": d}) for n in names[:20] for d in DATES[1:3]]
    calls += [((n,), {"kind": k}) for n in names[:20] for k in ("province", "commune")]
    assert_parity(G, ng, "find", calls)
    assert_parity(G, ng, "resolve", calls + [((n,), {"chain_ok": True}) for n in names])


@pytest.mark.parametrize("name", ["successors", "predecessors", "lineage"])
def test_every_hung_yen_commune(full, ng, name):
    G = full.G
    calls = [((c,), {}) for c in hung_yen_communes(G)]
    assert len(calls) > 400
    assert_parity(G, ng, name, calls)


@pytest.mark.parametrize("name", ["successors", "predecessors"])
def test_hung_yen_communes_on_dates_around_the_waves(full, ng, name):
    G = full.G
    calls = [((c,), {"on": d}) for c in hung_yen_communes(G)[::3] for d in DATES]
    if name == "predecessors":
        calls += [((c,), {"include_derived": True}) for c in hung_yen_communes(G)[::5]]
    assert_parity(G, ng, name, calls)


@pytest.mark.parametrize("name", ["successors", "predecessors", "lineage"])
def test_seeded_sample_of_old_communes(full, ng, name):
    G = full.G
    assert_parity(G, ng, name, [((c,), {}) for c in national_sample(G)])


def test_provinces_districts_and_bodies(full, ng):
    G = full.G
    ids = _units(G, Kind.PROVINCE) + _units(G, Kind.DISTRICT)[::25]
    ids += random.Random(2025).sample(sorted(_units(G, Kind.PARTY_COMMITTEE)), 60)
    for name in ("successors", "predecessors", "lineage"):
        assert_parity(G, ng, name, [((u,), {}) for u in ids])
    assert_parity(G, ng, "successors", [((u,), {"on": d}) for u in ids[:40] for d in DATES])


@pytest.mark.parametrize("on", DATES)
def test_snapshot(full, ng, on):
    G = full.G
    assert_parity(
        G,
        ng,
        "snapshot",
        [
            ((), {"on": on}),
            ((), {"on": on, "kind": "province", "listing": True}),
            ((), {"on": on, "kind": "district", "listing": True}),
        ],
    )


def test_snapshot_listing_every_unit(full, ng):
    assert_parity(full.G, ng, "snapshot", [((), {"on": date(2025, 7, 1), "listing": True})])


@pytest.mark.parametrize(
    ("start", "end"),
    [(DATES[0], DATES[1]), (DATES[1], DATES[2]), (DATES[2], DATES[3]), (DATES[3], DATES[0])],
)
def test_diff(full, ng, start, end):
    assert_parity(
        full.G,
        ng,
        "diff",
        [
            ((start, end), {}),
            ((start, end), {"kind": "commune"}),
            ((start, end), {"kind": "province", "listing": True}),
        ],
    )


def test_diff_listing_every_unit(full, ng):
    assert_parity(full.G, ng, "diff", [((DATES[1], DATES[2]), {"listing": True})])


def test_convert_sample(full, ng):
    G = full.G
    calls: list[tuple[tuple, dict]] = []
    for c in national_sample(G, 150):
        ref = nxq.find(G, c)[0]
        parts = [x.strip() for x in (ref.parents[0] if ref.parents else "").split(",")]
        district, province = (parts + ["", ""])[:2]
        calls.append(((), {"commune": ref.name, "district": district, "province": province}))
        calls.append(((), {"code": ref.code or ""}))
        calls.append(((), {"commune": ref.name, "on": DATES[3]}))
    calls += [
        ((), {"commune": "Minh Khai"}),
        ((), {"commune": "Zzyzx Qq", "province": "Hà Nội"}),
        ((), {"commune": "   "}),
        ((), {"code": "99999"}),
        ((), {"code": "1"}),
        ((), {"province": "Thái Bình", "district": "Hưng Hà", "commune": "Minh Khai"}),
        (
            (),
            {
                "commune": "Phường 1",
                "district": "Quận 3",
                "province": "Hồ Chí Minh",
                "as_of": DATES[0],
                "on": DATES[2],
            },
        ),
    ]
    assert_parity(G, ng, "convert", calls)


@pytest.mark.parametrize("on", DATES)
def test_every_task_and_validation(full, ng, on):
    G = full.G
    assert_parity(
        G,
        ng,
        "tasks",
        [
            ((), {"on": on}),
            ((), {"plan": "47-KH/BCĐ", "on": on}),
            ((), {"plan": "no such plan", "on": on}),
        ],
    )
    assert_parity(G, ng, "validate", [((), {"on": on})])


def test_responsibilities_bodies_and_inherited(full, ng):
    G = full.G
    on = date(2025, 7, 1)
    task_ids = [t.id for t in nxtasks.tasks(G, on=on)]
    assert_parity(
        G,
        ng,
        "responsibilities",
        [((t,), {"on": d}) for t in task_ids for d in DATES[1:3]]
        + [(("tuyên truyền",), {"on": on}), (("zzz no such words",), {"on": on})],
    )
    assignees = sorted({b for t in task_ids for b, _, d in G.in_edges(t, data=True)})
    assert assignees
    assert_parity(G, ng, "inherited", [((b,), {"on": d}) for b in assignees for d in DATES])
    assert_parity(G, ng, "inherited", [(("Ban Tổ chức Tỉnh ủy Hưng Yên",), {"on": on})])
    assert_parity(
        G,
        ng,
        "bodies",
        [
            ((t,), {"on": d})
            for t in ("province:33@2025-07-01", "Hà Nội", "commune:00001", "Thành ủy Hà Nội")
            for d in DATES
        ],
    )


# ------------------------------------------------------------------ bodies on both backends

BODY_NAMES = [
    "Ban Tổ chức Tỉnh ủy Thái Bình",
    "ban to chuc tinh uy thai binh",
    "Ban Tổ chức Tỉnh ủy, Thái Bình",
    "ban to chuc tinh uy",
    "Sở Kế hoạch và Đầu tư tỉnh Thái Bình",
    "Sở Tài chính tỉnh Hưng Yên",
    "Tỉnh ủy Hà Giang",
    "Ủy ban nhân dân tỉnh Hưng Yên",
    "UBND tinh Hung Yen",
    "Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình",
    "Dang uy xa Minh Khai",
    "Phòng Kinh tế, Hạ tầng và Đô thị đặc khu Phú Quốc",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Hưng Hà",
    "body:province:34:ban-to-chuc",
    "Ban To chuc Tinh uy Thai Binhh",
]


def test_find_and_resolve_bodies_by_name(full, ng):
    calls = [((n,), {}) for n in BODY_NAMES]
    calls += [((n,), {"on": d}) for n in BODY_NAMES for d in DATES[1:3]]
    calls += [((n,), {"kind": k}) for n in BODY_NAMES[:6] for k in ("party_body", "agency")]
    assert_parity(full.G, ng, "find", calls)
    assert_parity(full.G, ng, "resolve", calls + [((n,), {"chain_ok": True}) for n in BODY_NAMES])


def test_bodies_of_every_kind_through_the_core_queries(full, ng):
    G = full.G
    rng = random.Random(9)
    ids = []
    for kind in (Kind.PARTY_BODY, Kind.AGENCY, Kind.COUNCIL, Kind.PEOPLES_COMMITTEE, Kind.FRONT):
        ids += rng.sample(sorted(_units(G, kind)), 12)
    for name in ("successors", "predecessors", "lineage"):
        assert_parity(G, ng, name, [((u,), {}) for u in ids] + [((n,), {}) for n in BODY_NAMES[4:7]])
    assert_parity(G, ng, "successors", [((u,), {"on": d}) for u in ids[::3] for d in DATES])
    assert_parity(G, ng, "snapshot", [((), {"on": DATES[2], "kind": "agency", "listing": True})])
    assert_parity(G, ng, "diff", [((DATES[1], DATES[2]), {"kind": "party_body", "listing": True})])


def test_single_unit_queries_take_at_most_two_queries(full, ng):
    on = date(2025, 7, 1)
    for name, args, kw in [
        ("find", ("Xã Minh Khai, Hưng Hà, Thái Bình",), {}),
        ("resolve", ("Ban Tổ chức Tỉnh ủy Thái Bình",), {}),
        ("successors", ("12658",), {}),
        ("successors", ("Sở Kế hoạch và Đầu tư tỉnh Thái Bình",), {"on": on}),
        ("predecessors", ("province:33@2025-07-01",), {}),
        ("lineage", ("Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình",), {}),
        # issue 8's choice by direction reads the same lookup (its next units, its events)
        ("predecessors", ("Tỉnh Hưng Yên",), {}),
        ("successors", ("Hà Giang",), {}),
        ("lineage", ("Quận 1",), {}),
    ]:
        before = ng.queries
        getattr(neo, name)(ng, *args, **kw)
        assert ng.queries - before <= 2, name  # each a read in one round trip


def test_names_resolved_by_direction_with_alternatives(full, ng):
    """Issue 8: the same unit, alternatives and typo note from both backends."""
    G = full.G
    news = [n for n in _units(G, Kind.PROVINCE) if G.nodes[n]["valid_from"] is not None]
    names = [G.nodes[n]["name"] for n in news]
    names += [f"{G.nodes[c]['name']}, Hưng Yên" for c in hung_yen_communes(G) if G.nodes[c]["valid_from"]][::3]
    names += ["Hà Giang", "Cao Bằng", "Quận 1", "Hưng Hà", "Tỉnh Thai Bnh", "Minh Khai", "P. Bến Nghé, Q.1, TP.HCM"]
    names += ["xa minh khai huyen hung ha thai binh", "Phường Điện Biên, Ba Đình, HN"]
    for name in ("successors", "predecessors", "lineage"):
        assert_parity(G, ng, name, [((n,), {}) for n in names])
    assert_parity(G, ng, "successors", [(("Hà Giang",), {"kind": k}) for k in ("province", "district", "commune")])


def test_convert_free_text_addresses(full, ng):
    G = full.G
    calls: list[tuple[tuple, dict]] = []
    for i, c in enumerate(national_sample(G, 60)):
        ref = nxq.find(G, c)[0]
        where = ref.parents[0] if ref.parents else ""
        calls.append(((), {"address": f"{i} Trần Phú, {ref.name}, {where}"}))
    calls += [
        ((), {"address": a})
        for a in (
            "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM",
            "thon 3 xa minh khai huyen hung ha thai binh",
            "P.12, Q. Gò Vấp, TP HCM",
            "Xã Minh Khai",
            "Quận 1, TP.HCM",
            "thon 2 xa minh khia huyen hung ha thai binh",
            "zzzz",
            "",
        )
    ]
    assert_parity(G, ng, "convert", calls)


def test_convert_with_a_point_agrees_on_both_backends(full, ng):
    """``lat``/``lon`` on Neo4j: a handful of split communes drawn from every one in the data
    whose successors all have points, each asked at every successor's point (by code, by
    names, as free text, and through the command line)."""
    from orgraph.cli import app
    from orgraph.queries.geo import point_of
    from orgraph.queries.succession import successor_ids

    G, on = full.G, DATES[2]
    splits = []
    for u in sorted(_units(G, Kind.COMMUNE)):
        a = G.nodes[u]
        if not a.get("valid_to") or not a.get("code") or a.get("type") == UnitType.BODY:
            continue
        found = successor_ids(G, u, on)
        pts = [point_of(G, f[0]) for f in found]
        if len(found) > 1 and all(p is not None for p in pts) and len(set(pts)) == len(pts):
            splits.append((u, pts))
    assert len(splits) > 300
    calls: list[tuple[tuple, dict]] = []
    for u, pts in random.Random(14).sample(splits, 6):
        ref = nxq.find(G, u)[0]
        where = ref.parents[0] if ref.parents else ""
        district, province = ([x.strip() for x in where.split(",")] + ["", ""])[:2]
        for lat, lon in pts:
            calls.append(((), {"code": ref.code, "on": on, "lat": lat, "lon": lon}))
        lat, lon = pts[-1]
        calls.append(((), {"commune": ref.name, "district": district, "province": province, "lat": lat, "lon": lon}))
        calls.append(((), {"address": f"5 Lê Lợi, {ref.name}, {where}", "on": on, "lat": lat, "lon": lon}))
    assert_parity(G, ng, "convert", calls)
    assert sum(nxq.convert(G, *a, **kw).status == "split_nearest" for a, kw in calls) >= len(calls) // 2
    _, kw = calls[0]
    args = ["convert", "--code", kw["code"], "--on", on.isoformat(), "--lat", str(kw["lat"]), "--lon", str(kw["lon"])]
    want = CliRunner().invoke(app, [*args, "--json"])
    got = CliRunner().invoke(app, [*args, "--json", "--backend", "neo4j"])
    assert want.exit_code == got.exit_code == 0, got.output
    assert got.output == want.output and "split_nearest" in got.output


def test_a_date_before_the_horizon_is_refused_alike_on_both_backends(full, ng):
    """The push carries the data's horizon, so Neo4j refuses a snapshot or a diff from before it
    as the embedded graph does: the same one line naming the horizon, exit 2 on the command line
    (never the 2025 picture shown as 2024's); on the horizon itself both answer."""
    from orgraph.cli import app
    from orgraph.graph.errors import BeyondHorizonError

    G, early = full.G, date(2024, 6, 1)
    for ask in (lambda q, g: q.snapshot(g, on=early), lambda q, g: q.diff(g, early, date(2025, 7, 1))):
        with pytest.raises(BeyondHorizonError) as want:
            ask(nxq, G)
        with pytest.raises(BeyondHorizonError) as got:
            ask(neo, ng)
        assert got.value.one_line() == want.value.one_line()
        assert any(f"from {h.start.isoformat()}" in got.value.one_line() for h in G.graph["horizon"].values())
    assert neo.snapshot(ng, on=BEFORE).by_kind == nxq.snapshot(G, on=BEFORE).by_kind
    for args in (["snapshot", "--on", "2024-06-01"], ["diff", "2024-06-01", "2025-07-01"]):
        want_cli = CliRunner().invoke(app, args)
        got_cli = CliRunner().invoke(app, [*args, "--backend", "neo4j"])
        assert want_cli.exit_code == got_cli.exit_code == 2
        assert got_cli.output == want_cli.output and "horizon" in got_cli.output


def test_chains_through_the_2026_type_changes_agree_on_both_backends(full, ng):
    """Tỉnh Bắc Giang → (fusion, 2025) Tỉnh Bắc Ninh → (type change, 39/2026/QH16) Thành phố
    Bắc Ninh; Xã Bố Hạ → Phường Bố Hạ (388/NQ-UBTVQH16); Tỉnh Quảng Ninh → Thành phố."""
    G = full.G
    olds = ["province:24", "province:22", "commune:07294@2025-07-01", "commune:25270@2025-07-01", "commune:07294"]
    calls = [((u,), {"on": d}) for u in olds for d in (date(2026, 4, 30), date(2026, 9, 19), date(2026, 9, 20))]
    assert_parity(G, ng, "successors", calls)
    s = neo.successors(ng, "province:24", on=date(2026, 9, 20))
    assert [x.unit.name for x in s.units] == ["Thành phố Bắc Ninh"]
    assert [h.type for h in s.units[0].path] == ["fusion", "type_change"]
    assert_parity(G, ng, "predecessors", [(("province:22@2026-09-01",), {})])


def test_progress_overdue_due_and_the_report_agree(full, ng):
    """Progress records are a file passed to either backend; the records' checks, the
    states, what is overdue or due and the weekly report are the same from both."""
    from orgraph.loaders.progress import ProgressRow
    from orgraph.queries import progress as pq
    from orgraph.queries.report import weekly_report

    G = full.G

    def row(i, task, status, d, body):
        return ProgressRow(task=task, status=status, date=d, body=body, file="p.csv", row=i)

    rows = [
        row(2, "?-KH/TU:PL.9@204", "hoàn thành", date(2025, 7, 28), "Ban Tổ chức Tỉnh ủy Hưng Yên"),
        row(3, "47-KH/BCĐ:III.1(6)-1", "hoàn thành", date(2025, 7, 2), "Tỉnh ủy Hưng Yên"),
        row(4, "47-KH/BCĐ:III.1(6)-1", "hoàn thành", date(2025, 8, 6), "tinh uy hung yen"),
        row(5, "?-KH/TU:PL.10@278", "đang thực hiện", date(2025, 7, 20), "Ban Tổ chức Tỉnh ủy Hưng Yên"),
        row(6, "47-KH/BCĐ:III.1(6)-1", "hoàn thành", date(2025, 5, 7), "Tỉnh ủy Thái Bình"),
    ]
    want = pq.check_records(G, rows)
    assert jsonable(want) == jsonable(pq.check_records(ng, rows))
    for bad in (
        row(7, "?-KH/TU:PL.99", "done", date(2025, 8, 1), "Ban Tổ chức Tỉnh ủy Hưng Yên"),
        row(7, "?-KH/TU:PL.10@278", "done", date(2025, 8, 1), "Ban Tổ chức Tỉnh ủy Thái Bình"),
        row(7, "?-KH/TU:PL.10@278", "chưa thực hiện", date(2025, 8, 1), "Ban Tổ chức Tỉnh ủy Hưng Yên"),
    ):
        both = [rows[3], bad]  # the one it goes backwards from, and the bad row
        assert answer(pq.check_records, G, both) == answer(pq.check_records, ng, both)
        assert answer(pq.check_records, G, both)[0] == "error"
    on = date(2025, 8, 7)
    for fn, kw in ((pq.track, {}), (pq.overdue, {}), (pq.due_within, {"days": 10})):
        assert jsonable(fn(G, want, on=on, **kw)) == jsonable(fn(ng, want, on=on, **kw)), fn.__name__
    args = {"plan": "47-KH/BCĐ", "body": "Tỉnh ủy Hưng Yên", "week_of": date(2025, 8, 4)}
    assert jsonable(weekly_report(G, want, **args)) == jsonable(weekly_report(ng, want, **args))


def test_the_backend_facade_answers_as_the_module(national_db, ng):
    from orgraph.queries.backend import Backend, neo4j_backend, networkx_backend

    b, e = neo4j_backend(ng), networkx_backend(national_db.G)
    assert isinstance(b, Backend) and b.name == "neo4j"
    name = "Xã Minh Khai, Hưng Hà, Thái Bình"
    assert jsonable(b.successors(name)) == jsonable(e.successors(name)) == jsonable(neo.successors(ng, name))
    assert b.suggestions("Hung Yen") == e.suggestions("Hung Yen")
    assert b.snapshot(on=date(2025, 7, 1)).by_kind == e.snapshot(on=date(2025, 7, 1)).by_kind


def test_names_that_begin_like_a_type_prefix(full, ng):
    """ "phuong thien" is a ward named Thiện or the commune Phương Thiện: both backends try a
    name's readings alike (old communes whose name begins with a word that folds to a type
    prefix, written without diacritics, through find and convert)."""
    from orgraph.graph.build import parent_on
    from orgraph.graph.model import Attr
    from orgraph.graph.names import PREFIXES, fold

    G = full.G
    words = [p for p, _ in PREFIXES if " " not in p and len(p) > 2]
    rows = []
    for n, a in G.nodes(data=True):
        short = fold(a.get(Attr.SHORT) or "")
        if a.get(Attr.KIND) == Kind.COMMUNE and a.get(Attr.VALID_FROM) is None and short.split(" ")[0] in words:
            d = parent_on(G, n, DATES[0])
            if d is not None:
                rows.append((short, fold(G.nodes[d][Attr.SHORT])))
    rows = sorted(rows)[::4]
    assert len(rows) > 10
    assert_parity(G, ng, "find", [((f"{c}, {d}",), {}) for c, d in rows])
    assert_parity(G, ng, "convert", [((), {"commune": c, "district": d}) for c, d in rows])
