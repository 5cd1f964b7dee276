"""``orgraph serve --backend neo4j`` against the real Bolt server: the same answers over HTTP
as the Neo4j backend gives in process, and a one-line refusal when the database is down."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date

import httpx
import pytest
from neo4j_fixtures import full_db, ng  # noqa: F401 - fixtures
from orgraph.queries import neo4j as neo
from serve_helpers import free_port, orgraph_command, start

pytestmark = pytest.mark.neo4j
pytest.importorskip("fastapi")

AFTER = date(2025, 7, 1)


@pytest.fixture(scope="module")
def neo_served(full_db):  # noqa: F811 - the fixture
    s = start("--backend", "neo4j")
    with httpx.Client(base_url=s.url) as c:
        assert c.get("/healthz").json()["backend"] == "neo4j"
    yield s
    s.stop()


@pytest.mark.parametrize("name", ["Xã Minh Khai, Hưng Hà, Thái Bình", "00019", "commune:12658", "Tỉnh Thái Bình"])
def test_neo4j_backend_answers_as_in_process(neo_served, ng, name):  # noqa: F811
    with httpx.Client(base_url=neo_served.url, timeout=60) as c:
        r = c.get(f"/units/{name}/successors", params={"on": "2025-07-01"})
        assert r.status_code == 200, r.text
        assert r.json() == json.loads(json.dumps(neo.successors(ng, name, on=AFTER).to_dict(), ensure_ascii=False))
        r = c.get("/units", params={"name": name})
        assert r.json() == json.loads(json.dumps([u.to_dict() for u in neo.find(ng, name)], ensure_ascii=False))


def test_neo4j_down_at_start_is_one_line_exit_6():
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    p = subprocess.run(
        orgraph_command() + ["serve", "--backend", "neo4j", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert p.returncode == 6, p.stderr
    assert p.stderr.startswith("error: ") and len(p.stderr.strip().splitlines()) == 1
