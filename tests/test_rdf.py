"""Linked Data export (W3C Organization Ontology): the Turtle parses with rdflib, and SPARQL
over it gives the library's answers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from orgraph.graph.build import children_on, event_inputs, event_outputs, in_events, out_events
from orgraph.graph.model import Attr, EdgeKind, Kind, NodeKind
from orgraph.queries import successors
from orgraph.queries.rdf import turtle_lines, unit_iri, write_turtle
from orgraph.queries.tasks import inherited

rdflib = pytest.importorskip("rdflib")
from rdflib.plugins.sparql import prepareQuery  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ON = date(2025, 7, 1)
OLD_PROVINCES = ("province:33", "province:34")  # old Hưng Yên and Thái Bình
PREFIX = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX og: <urn:orgraph:vocab#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def _slice(H: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The part of the graph about old Hưng Yên and Thái Bình: their districts and communes,
    every event they took part in and what came out, the bodies of all of these, those
    bodies' events and tasks."""
    keep: set[str] = set()
    stack = [p for p in OLD_PROVINCES]
    while stack:
        u = stack.pop()
        if u in keep:
            continue
        keep.add(u)
        stack.extend(children_on(H, u, date(2025, 6, 30)))
    changed = True
    while changed:  # close over events: inputs, outputs and the outputs' parents
        changed = False
        for u in list(keep):
            if H.nodes[u].get(Attr.NODE) != NodeKind.UNIT:
                continue
            for ev, _ in out_events(H, u):
                for x in [ev, *event_outputs(H, ev), *(i for i, _ in event_inputs(H, ev))]:
                    if x not in keep:
                        keep.add(x)
                        changed = True
            for ev in in_events(H, u):
                if ev not in keep:
                    keep.add(ev)
                    changed = True
        for u in list(keep):
            for _, p, d in H.out_edges(u, data=True):
                if d.get("kind") in (EdgeKind.PARENT, EdgeKind.BODY_OF) and p not in keep:
                    keep.add(p)
                    changed = True
            for b, _, d in H.in_edges(u, data=True):
                if d.get("kind") == EdgeKind.BODY_OF and b not in keep:
                    keep.add(b)
                    changed = True
    for b in list(keep):
        for _, t, d in H.out_edges(b, data=True):
            if d.get("kind") in (EdgeKind.LEADS, EdgeKind.COORDINATES):
                keep.add(t)
    return H.subgraph(keep).copy()


@pytest.fixture(scope="module")
def full():
    from orgraph.loaders.plans import load_full

    return load_full(plans=[str(ROOT / "examples" / "worked_plan.yaml")])


@pytest.fixture(scope="module")
def sliced(full):
    return _slice(full)


@pytest.fixture(scope="module")
def rdf(sliced):
    g = rdflib.Graph()
    g.parse(data="\n".join(turtle_lines(sliced)), format="turtle")
    return g


def _iri(uid: str) -> rdflib.URIRef:
    return rdflib.URIRef(unit_iri(uid)[1:-1])


def test_every_node_of_the_slice_is_in_the_rdf(sliced, rdf):
    rdf_subjects = {str(s) for s in rdf.subjects()}
    for n, a in sliced.nodes(data=True):
        if a.get(Attr.NODE) in (NodeKind.UNIT, NodeKind.EVENT, NodeKind.TASK):
            assert str(_iri(n)) in rdf_subjects, n
    # names keep their diacritics
    label = rdf.value(_iri("province:34"), rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    assert str(label) == "Tỉnh Thái Bình" and label.language == "vi"


def test_sparql_successors_of_every_old_commune_equal_the_library(G, sliced, rdf):
    q = (
        PREFIX
        + """
    SELECT DISTINCT ?x WHERE {
      ?old (org:changedBy/org:resultingOrganization)+ ?x .
      OPTIONAL { ?x og:validFrom ?f }
      OPTIONAL { ?x og:validTo ?t }
      FILTER (!BOUND(?f) || ?f <= ?on)
      FILTER (!BOUND(?t) || ?t > ?on)
    }"""
    )
    prepared = prepareQuery(q)
    communes = [
        n
        for n, a in sliced.nodes(data=True)
        if a.get(Attr.KIND) == Kind.COMMUNE and a.get(Attr.VALID_TO) == ON and out_events(sliced, n)
    ]
    assert len(communes) > 300  # both old provinces' rearranged communes
    for c in communes:
        got = {str(r.x) for r in rdf.query(prepared, initBindings={"old": _iri(c), "on": rdflib.Literal(ON)})}
        want = {str(_iri(s.unit.id)) for s in successors(G, c, on=ON).units}
        assert got == want, c


def test_sparql_bodies_a_body_inherited_from_equal_the_library(full, sliced, rdf):
    q = (
        PREFIX
        + """
    SELECT DISTINCT ?old WHERE {
      ?old (org:changedBy/org:resultingOrganization)+ ?body .
      ?task og:ledBy|og:coordinatedBy ?old .
    }"""
    )
    prepared = prepareQuery(q)
    live = [
        n
        for n, a in sliced.nodes(data=True)
        if a.get(Attr.NODE) == NodeKind.UNIT
        and a.get(Attr.KIND) not in (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE)
        and (a.get(Attr.VALID_FROM) or date.min) <= ON < (a.get(Attr.VALID_TO) or date.max)
        and in_events(sliced, n)
    ]
    checked_nonempty = 0
    for b in live:
        got = {str(r.old) for r in rdf.query(prepared, initBindings={"body": _iri(b)})}
        want = {str(_iri(i.from_body.id)) for i in inherited(full, b, on=ON)}
        assert want <= got, b  # every body the library says it inherited from is an ancestor with a task
        if want:
            checked_nonempty += 1
            assert got == want, b
    assert checked_nonempty >= 1  # the worked plan's Thái Bình task, at least


def test_export_turtle_command_writes_a_file_that_parses(tmp_path):
    from orgraph.cli import app
    from typer.testing import CliRunner

    data = tmp_path / "evil.json"
    doc = {
        "format": "orgraph-dataset/1",
        "sources": {"test:evil": {"kind": "user", "ref": "a hostile name"}},
        "units": {
            "columns": ["uid", "kind", "type", "name", "short", "code", "valid_from", "valid_to", "sources"],
            "rows": [["province:X1", "province", "tỉnh", 'Tỉnh "<b>\\n\u0007', "x", None, None, None, ["test:evil"]]],
        },
        "events": {"columns": ["id", "type", "date", "basis", "basis_date", "clause", "sources"], "rows": []},
        "inputs": {"columns": ["event", "unit", "portion"], "rows": []},
        "outputs": {"columns": ["event", "unit"], "rows": []},
    }
    data.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "g.ttl"
    res = CliRunner().invoke(app, ["--data", str(data), "export", "turtle", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text.count("a org:ChangeEvent") > 10_000
    # parse only the hostile unit's block, the whole file takes a minute in rdflib
    block = [ln for ln in text.splitlines() if ln.startswith("@prefix")]
    start = text.index(unit_iri("province:X1") + " a ")
    block.append(text[start : text.index(" .\n", start) + 2])
    g = rdflib.Graph().parse(data="\n".join(block), format="turtle")
    label = g.value(_iri("province:X1"), rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    assert str(label) == 'Tỉnh "<b>\\n\x07'


def test_write_turtle_is_atomic_and_keeps_the_umask(tmp_path, sliced):
    out = tmp_path / "x.ttl"
    n = write_turtle(sliced, out)
    assert n == out.read_text(encoding="utf-8").count("\n")
    assert (out.stat().st_mode & 0o777) == 0o666 & ~_umask()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".orgraph-")]


def _umask() -> int:
    import os

    m = os.umask(0)
    os.umask(m)
    return m
