"""The backend facade: one interface over the embedded graph (and, in test_neo4j.py, Neo4j)."""

from __future__ import annotations

import inspect

import pytest
from orgraph import queries
from orgraph.graph.model import REFORM_DATE
from orgraph.queries import tasks as tq
from orgraph.queries.backend import Backend, networkx_backend


def test_networkx_backend_answers_as_the_functions(G):
    from orgraph.loaders.plans import load_full

    national, full = G, load_full()
    b = networkx_backend(national)
    assert isinstance(b, Backend) and b.name == "networkx"
    name = "Xã Minh Khai, Hưng Hà, Thái Bình"
    assert b.successors(name).to_dict() == queries.successors(national, name).to_dict()
    assert b.predecessors("Tỉnh Hưng Yên").to_dict() == queries.predecessors(national, "Tỉnh Hưng Yên").to_dict()
    assert b.lineage(name).to_dict() == queries.lineage(national, name).to_dict()
    assert b.find("Hưng Hà") == queries.find(national, "Hưng Hà")
    assert b.snapshot(on=REFORM_DATE).by_kind == queries.snapshot(national, on=REFORM_DATE).by_kind
    assert b.convert(address="xa minh khai huyen hung ha thai binh", on=REFORM_DATE).new_commune == "Xã Hưng Hà"
    t = networkx_backend(full)
    assert [s.id for s in t.tasks(on=REFORM_DATE)] == [s.id for s in tq.tasks(full, on=REFORM_DATE)]
    b.close()  # the embedded graph stays usable
    assert b.find("Hưng Hà")


@pytest.mark.parametrize("method", [m for m in dir(Backend) if not m.startswith("_") and m != "name"])
def test_the_protocol_keeps_the_functions_keywords(method):
    """Each method takes the keywords its query function takes (the graph aside)."""
    if method in ("close", "convert"):
        return
    fn = (
        getattr(tq, method, None)
        if method in ("bodies", "tasks", "responsibilities", "inherited", "validate")
        else None
    )
    fn = fn or getattr(queries, method)
    want = [p for p in inspect.signature(fn).parameters if p != "G"]
    got = list(inspect.signature(getattr(Backend, method)).parameters)[1:]
    assert got == want


def test_the_answers_are_built_over_a_store_whatever_holds_it(G):
    """The networkx store answers the Store protocol; the progress questions take a graph, a
    backend or a store alike (never chosen by the graph's type)."""
    from orgraph.loaders.plans import load_full
    from orgraph.queries import answers
    from orgraph.queries.progress import track
    from orgraph.queries.store import NetworkxStore, Store, store_of

    s = NetworkxStore(G)
    assert isinstance(s, Store) and store_of(s) is s and isinstance(store_of(G), NetworkxStore)
    name = "Xã Minh Khai, Hưng Hà, Thái Bình"
    assert answers.successors(s, name) == queries.successors(G, name)
    assert answers.diff(s, REFORM_DATE, REFORM_DATE, listing=True) == queries.diff(G, REFORM_DATE, REFORM_DATE)
    full = load_full()
    on = REFORM_DATE
    want = [t.to_dict() for t in track(full, on=on, plan="47-KH/BCĐ")]
    for holder in (networkx_backend(full), NetworkxStore(full)):
        assert [t.to_dict() for t in track(holder, on=on, plan="47-KH/BCĐ")] == want
