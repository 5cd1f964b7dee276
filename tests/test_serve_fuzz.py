"""Hypothesis fuzz of the query parameters over real HTTP: whatever a client sends, the
server answers with a status below 500 and, for an error, one line of JSON."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")

NAMES = ["Hưng Yên", "Phường Điện Biên, Ba Đình", "12658", "commune:00019", "Minh Khai", "P. 1, Q. 3", "Đ"]
DATES = ["2025-07-01", "2025-06-30", "1900-01-01", "9999-12-31", "2025-7-1", "", "0000-00-00", "20250701"]
KINDS = ["province", "district", "commune", "party_body", "", "PROVINCE", "x"]

text = st.one_of(
    st.sampled_from(NAMES),
    st.text(max_size=40),
    st.text(alphabet="ĐđƯươôêăâáàảãạ ,./%-_:@\\\"'<>&#?", max_size=30),
    st.text(max_size=600).filter(lambda s: len(s) > 480),
)
date_ = st.one_of(st.sampled_from(DATES), st.text(max_size=12))
kind = st.one_of(st.sampled_from(KINDS), st.text(max_size=10))
boolish = st.sampled_from(["true", "false", "1", "0", "yes", "", "maybe"])

REQUESTS = st.one_of(
    st.tuples(st.just("/units"), st.fixed_dictionaries({"name": text}, optional={"on": date_, "kind": kind})),
    st.tuples(
        text.map(lambda s: f"/units/{quote(s, safe='')}/successors"), st.fixed_dictionaries({}, optional={"on": date_})
    ),
    st.tuples(
        text.map(lambda s: f"/units/{quote(s, safe='')}/predecessors"),
        st.fixed_dictionaries({}, optional={"on": date_}),
    ),
    st.tuples(text.map(lambda s: f"/units/{quote(s, safe='')}/lineage"), st.just({})),
    st.tuples(text.map(lambda s: f"/units/{quote(s, safe='')}"), st.just({})),
    st.tuples(
        st.just("/convert"),
        st.fixed_dictionaries(
            {},
            optional={
                "province": text,
                "district": text,
                "commune": text,
                "code": st.one_of(st.from_regex(r"\A\d{1,6}\Z"), text),
                "on": date_,
                "as_of": date_,
                "address": text,
            },
        ),
    ),
    st.tuples(st.just("/snapshot"), st.fixed_dictionaries({}, optional={"on": date_, "kind": kind, "list": boolish})),
    st.tuples(st.just("/diff"), st.fixed_dictionaries({}, optional={"from": date_, "to": date_, "kind": kind})),
    st.tuples(st.just("/tasks"), st.fixed_dictionaries({}, optional={"plan": text, "on": date_})),
    st.tuples(st.just("/bodies"), st.fixed_dictionaries({}, optional={"territory": text, "on": date_})),
    st.tuples(st.just("/viz/unit"), st.fixed_dictionaries({"unit": text})),
    st.tuples(st.just("/static/" + "x"), st.just({})),
)


@pytest.fixture(scope="module")
def http(served):
    with httpx.Client(base_url=served.url, timeout=120) as c:
        yield c


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(req=REQUESTS)
def test_no_query_gives_a_5xx(http, req):
    path, params = req
    r = http.get(path, params=params)
    assert r.status_code < 500, (path, params, r.text[:300])
    if r.status_code >= 400:
        body = r.json()
        assert body["status"] == r.status_code or path == "/convert"
        assert body["error"] and "\n" not in body["error"] and "Traceback" not in body["error"]
