"""Exports: node-link JSON and GraphML read back with networkx lose nothing; crosswalk rows."""

from __future__ import annotations

import csv
import json
from datetime import date

import networkx as nx
from orgraph.queries import write_crosswalk, write_graphml, write_node_link


def test_node_link_round_trip(G, tmp_path):
    p = tmp_path / "g.json"
    write_node_link(G, p)
    H = nx.node_link_graph(json.loads(p.read_text(encoding="utf-8")), edges="links")
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes["commune:00019"]["name"] == "Phường Điện Biên"
    assert H.nodes["province:33@2025-07-01"]["valid_from"] == "2025-07-01"


def test_graphml_round_trip(G, tmp_path):
    p = tmp_path / "g.graphml"
    write_graphml(G, p)
    H = nx.read_graphml(p)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes["commune:12658"]["name"] == "Xã Minh Khai"


def test_crosswalk_has_a_row_per_old_commune_and_successor(G, tmp_path):
    p = tmp_path / "cw.csv"
    n = write_crosswalk(G, p)
    rows = list(csv.DictReader(p.open(encoding="utf-8")))
    assert len(rows) == n
    olds = {r["old_id"] for r in rows}
    ended = {
        x
        for x, a in G.nodes(data=True)
        if a.get("kind") == "commune" and a.get("valid_to") and a["valid_to"] <= date(2025, 7, 1)
    }  # the communes that became phường in 2026 are not in the 2025 crosswalk
    assert olds == ended
    split = [r for r in rows if r["old_code"] == "00019"]
    assert sum(r["default"] == "yes" for r in split) == 1 and all(r["portion"] == "part" for r in split)
    assert all(r["legal_basis"].endswith("NQ-UBTVQH15") for r in rows)
