"""Fixtures for the tests against a real Bolt server (``tests/test_neo4j.py`` imports them).

The server is the one ``NEO4J_URI`` (``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``)
points at; locally, start one with::

    eval "$(.venv/bin/python scripts/bolt_server.py start)"

Without ``NEO4J_URI`` the tests skip, unless ``ORGRAPH_REQUIRE_NEO4J=1`` (CI sets it): then a
missing or unreachable server fails them. The database is wiped at the start of the session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx
import pytest
from orgraph import load_national
from orgraph.cli.neo4j import open_backend
from orgraph.graph.errors import BackendError
from orgraph.loaders.plans import load_full
from orgraph.queries import neo4j as neo

REQUIRED = os.environ.get("ORGRAPH_REQUIRE_NEO4J") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"ORGRAPH_REQUIRE_NEO4J=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Pushed:
    """The database after a clean push of ``G``: what the push said, and what is there."""

    G: nx.MultiDiGraph
    summary: neo.PushSummary
    counts: dict[str, dict[str, int]]
    fingerprint: str | None
    seconds: float


def clean_push(ng: neo.Neo4jGraph, G: nx.MultiDiGraph, *, fingerprint: bool = True) -> Pushed:
    neo.clear(ng)
    t0 = time.perf_counter()
    summary = neo.push(G, ng)
    seconds = time.perf_counter() - t0
    return Pushed(G, summary, neo.counts(ng), neo.fingerprint(ng) if fingerprint else None, seconds)


@pytest.fixture(scope="session")
def ng() -> Iterator[neo.Neo4jGraph]:
    """The database under test, wiped once at the start of the session."""
    if not os.environ.get("NEO4J_URI"):
        _unavailable('NEO4J_URI is not set (eval "$(python scripts/bolt_server.py start)")')
    try:
        g = open_backend()
    except BackendError as e:
        _unavailable(f"no Bolt server: {e.one_line()}")
    neo.clear(g)
    neo.ensure_schema(g)
    yield g
    g.close()


@pytest.fixture(scope="session")
def national_db(ng: neo.Neo4jGraph) -> Pushed:
    """The national graph (units and events) pushed clean; the push tests start from it and
    leave the database as they found it."""
    return clean_push(ng, load_national())


@pytest.fixture(scope="session")
def full_db(ng: neo.Neo4jGraph) -> Pushed:
    """The whole graph (units, events, bodies, tasks) pushed clean, for the parity tests."""
    return clean_push(ng, load_full(), fingerprint=False)


@pytest.fixture()
def full(full_db: Pushed, ng: neo.Neo4jGraph) -> Pushed:
    """The whole graph, pushed again if a test before changed the database."""
    if neo.counts(ng) != full_db.counts:
        neo.clear(ng)
        neo.push(full_db.G, ng)
    return full_db
