"""Issue 11's Neo4j findings against the real Bolt server: push is a sync (``--keep-extra``
to opt out), errors carry the whole reason and the server's address, Ctrl-C during a push
exits 130 with what to do, and an http(s) NEO4J_URI is a one-line backend error."""
# The fixtures are imported from neo4j_fixtures, so the test functions' arguments shadow them.
# ruff: noqa: F811

from __future__ import annotations

import os
import signal
import socket

import pytest
from neo4j_fixtures import ng  # noqa: F401
from orgraph.cli import main
from orgraph.cli import neo4j as cli_neo4j
from orgraph.cli._common import State
from orgraph.graph.errors import BackendError
from orgraph.loaders.dataset import load_dataset
from orgraph.queries import neo4j as neo
from test_hardening import UNIT_COLS, commune, doc, write
from typer.testing import CliRunner

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def small(tmp_path_factory, ng):
    """An empty database and two small graphs: a base, and the base plus a later wave."""
    units = [commune("commune:s1", None, "2026-01-01"), commune("commune:s2", "2026-01-01")]
    base = doc(
        units=units,
        parents=[["commune:s1", "commune:s2", None, "2026-01-01"]],
        events=[["ev:s", "fusion", "2026-01-01", ["t"]]],
        inputs=[["ev:s", "commune:s1", "whole", False]],
        outputs=[["ev:s", "commune:s2"]],
    )
    wave = doc(
        units=[
            commune("commune:s2", "2026-01-01", "2027-01-01") + [True],
            commune("commune:s3", "2027-01-01") + [False],
        ],
        unit_cols=[*UNIT_COLS, "replaces"],
        events=[["ev:w", "rename", "2027-01-01", ["t"]]],
        inputs=[["ev:w", "commune:s2", "whole", False]],
        outputs=[["ev:w", "commune:s3"]],
    )
    tmp_path = tmp_path_factory.mktemp("sync")
    b, w = write(tmp_path, "base.json", base), write(tmp_path, "wave.json", wave)
    neo.clear(ng)
    yield load_dataset([b]), load_dataset([b, w])
    neo.clear(ng)


def test_push_removes_what_the_graph_no_longer_holds(ng, small):
    base, waved = small
    first = neo.push(base, ng)
    clean = neo.fingerprint(ng)
    added = neo.push(waved, ng)
    assert added.nodes_created == 2 and added.nodes_removed == 0  # commune:s3 and ev:w
    kept = neo.push(base, ng, keep_extra=True)
    assert kept.nodes_removed == kept.relationships_removed == 0
    assert neo.fingerprint(ng) != clean  # the wave's units are still there
    synced = neo.push(base, ng)
    assert synced.nodes_removed == 2 and synced.changed and "2 removed" in "\n".join(synced.lines())
    assert neo.fingerprint(ng) == clean  # exactly the base graph again
    again = neo.push(base, ng)
    assert again.changed is False and again.nodes_unchanged == first.nodes


def test_push_removes_a_relationship_the_graph_dropped(ng, small):
    base, _ = small
    neo.push(base, ng)
    clean = neo.fingerprint(ng)
    G = base.copy()
    u, v, k = next((u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d["kind"] == "PART_OF")
    G.remove_edge(u, v, key=k)
    s = neo.push(G, ng)
    assert (s.nodes_removed, s.relationships_removed) == (0, 1)
    neo.push(base, ng)
    assert neo.fingerprint(ng) == clean


def test_errors_mid_push_name_the_server(ng):
    with pytest.raises(BackendError) as e:
        ng.write("RETURN $x +")  # a request the server refuses, as a failing batch would be
    assert f"Neo4j at {os.environ['NEO4J_URI']}" in str(e.value)


def test_connection_error_keeps_the_operating_systems_reason(monkeypatch, capsys):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_free_port()}")
    rc = main(["find", "Hưng Yên", "--backend", "neo4j"])
    err = capsys.readouterr().err.strip()
    assert rc == 6 and len(err.splitlines()) == 1
    assert "Connection refused" in err and "cannot reach Neo4j at bolt://127.0.0.1:" in err


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "https://localhost", "localhost:7687"])
def test_a_uri_that_is_not_bolt_or_neo4j_is_exit_6(monkeypatch, capsys, uri):
    monkeypatch.setenv("NEO4J_URI", uri)
    rc = main(["find", "Hưng Yên", "--backend", "neo4j"])
    err = capsys.readouterr().err.strip()
    assert rc == 6 and err.count("\n") == 0 and "is not a Neo4j address" in err and "Traceback" not in err


def test_ctrl_c_during_push_exits_130_and_says_what_to_do(ng, small, monkeypatch):
    """Ctrl-C (a real SIGINT to this process, mid-push) lets the batch under way finish,
    then stops with exit 130 and what to do; pushing again finishes the job."""
    base, _ = small
    neo.clear(ng)
    monkeypatch.setattr(State, "graph", lambda self, *names, **kw: base)
    real = cli_neo4j._Bar.__call__

    def ctrl_c_after_the_first_batch(self, done: int, total: int) -> None:
        if done == 1:
            os.kill(os.getpid(), signal.SIGINT)
        real(self, done, total)

    monkeypatch.setattr(cli_neo4j._Bar, "__call__", ctrl_c_after_the_first_batch)
    res = CliRunner().invoke(cli_neo4j.app, ["push", "--batch", "1"])
    assert res.exit_code == 130, res.output
    assert res.output.strip().splitlines()[-1] == "interrupted; run push again to finish"
    assert "Traceback" not in res.output and "PackStream" not in res.output
    assert 0 < sum(neo.counts(ng)["nodes"].values()) < base.number_of_nodes()
    monkeypatch.setattr(cli_neo4j._Bar, "__call__", real)
    res = CliRunner().invoke(cli_neo4j.app, ["push"])
    assert res.exit_code == 0 and sum(neo.counts(ng)["nodes"].values()) == base.number_of_nodes()


def test_a_plan_without_tasks_is_known_on_both_backends(ng, small):
    """``G.graph["plans"]`` is pushed (one ``:Plans`` node, not counted as the graph's), so
    ``tasks --plan X`` on Neo4j answers a plan without tasks as the embedded graph does, and a
    whole push of a graph without plans takes the list away."""
    from orgraph.graph.errors import UnknownPlanError
    from orgraph.queries import tasks as nxtasks

    base, _ = small
    G = base.copy()
    G.graph["plans"] = {"KH-trống/2026": "plan.yaml"}
    neo.push(G, ng)
    assert sum(neo.counts(ng)["nodes"].get(k, 0) for k in neo.counts(ng)["nodes"] if "Plans" not in k) == len(G)
    for tasks, graph in ((nxtasks.tasks, G), (neo.tasks, ng)):
        assert tasks(graph, plan="kh-trong/2026") == []
        with pytest.raises(UnknownPlanError) as e:
            tasks(graph, plan="KH-không-có")
        assert "KH-trống/2026" in str(e.value)
    neo.push(base, ng)
    with pytest.raises(UnknownPlanError):
        neo.tasks(ng, plan="KH-trống/2026")
