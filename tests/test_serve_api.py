"""``orgraph serve`` over real HTTP: every answer equals the library's ``to_dict()`` (the
command line's ``--json``), errors are one-line JSON with the right status, limits hold,
and no request value reaches the file system."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import threading

import httpx
import orgraph
import pytest
from helpers import AFTER, BEFORE
from orgraph.graph.errors import AmbiguousUnitError, UnknownUnitError
from orgraph.queries import convert_csv, find, suggestions
from serve_helpers import free_port, orgraph_command

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def http(served):
    with httpx.Client(base_url=served.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def H():
    from orgraph.loaders.plans import load_full

    return load_full()


def same(got: httpx.Response, want: object) -> None:
    assert got.status_code == 200, got.text[:300]
    assert got.json() == json.loads(json.dumps(want, ensure_ascii=False))


# ------------------------------------------------------------------ answers equal the library's
SPELLINGS = {
    # official name → spellings a user types
    "Phường Điện Biên, Quận Ba Đình, Thành phố Hà Nội": [
        "Phường Điện Biên, Quận Ba Đình, Hà Nội",
        "p. dien bien, q. ba dinh",
        "PHƯỜNG ĐIỆN BIÊN, Ba Đình",
        "phuong dien bien, quan ba dinh, ha noi",
    ],
    "Xã Minh Khai, Huyện Hưng Hà, Tỉnh Thái Bình": [
        "Xã Minh Khai, Hưng Hà, Thái Bình",
        "xa minh khai, h. hung ha, thai binh",
        "X. Minh Khai, H. Hưng Hà",
        "12658",
        "commune:12658",
    ],
}


@pytest.mark.parametrize("name", [s for ss in SPELLINGS.values() for s in ss])
def test_unit_queries_equal_the_library(http, G, name):
    same(http.get("/units", params={"name": name}), [u.to_dict() for u in find(G, name)])
    uid = orgraph.resolve(G, name)
    same(http.get(f"/units/{uid}"), find(G, uid)[0].to_dict())
    same(http.get(f"/units/{name}"), find(G, uid)[0].to_dict())
    same(
        http.get(f"/units/{name}/successors", params={"on": "2025-07-01"}),
        orgraph.successors(G, name, on=AFTER).to_dict(),
    )
    same(http.get(f"/units/{name}/successors"), orgraph.successors(G, name).to_dict())
    same(http.get(f"/units/{name}/predecessors"), orgraph.predecessors(G, name).to_dict())
    same(http.get(f"/units/{name}/lineage"), orgraph.lineage(G, name).to_dict())


def test_new_province_predecessors_and_kind_filter(http, G):
    hy = orgraph.resolve(G, "Hưng Yên", on=AFTER, kind="province")
    got = http.get(f"/units/{hy}/predecessors")
    same(got, orgraph.predecessors(G, hy).to_dict())
    assert sorted(x["unit"]["name"] for x in got.json()["units"]) == ["Tỉnh Hưng Yên", "Tỉnh Thái Bình"]
    same(
        http.get("/units", params={"name": "Hưng Yên", "kind": "province", "on": "2025-07-01"}),
        [u.to_dict() for u in find(G, "Hưng Yên", kind="province", on=AFTER)],
    )


@pytest.mark.parametrize(
    "params",
    [
        {"province": "Thái Bình", "district": "Hưng Hà", "commune": "Minh Khai"},
        {"province": "thai binh", "district": "H. Hung Ha", "commune": "xa minh khai"},
        {"province": "Hà Nội", "district": "Ba Đình", "commune": "Điện Biên"},  # split: default given
        {"code": "12658"},
        {"code": "00019"},
        {"code": "26740", "as_of": "2025-06-30"},  # reused code: the old Bến Nghé
    ],
)
def test_convert_equals_the_library(http, G, params):
    kw = {k: v for k, v in params.items() if k != "as_of"}
    want = orgraph.convert(G, **kw, on=AFTER, as_of=BEFORE)
    same(http.get("/convert", params={**params, "on": "2025-07-01"}), want.to_dict())


ADDRESSES = [
    "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM",
    "thon 3 xa minh khai huyen hung ha thai binh",
    "Số 5, Phường Điện Biên, Quận Ba Đình, Hà Nội, Việt Nam",
    "P.12, Q. Gò Vấp, TP HCM",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_convert_a_whole_old_address_equals_the_library(http, G, address):
    want = orgraph.convert(G, address=address, on=AFTER, as_of=BEFORE).to_dict()
    r = http.get("/convert", params={"address": address, "on": "2025-07-01"})
    body = {k: v for k, v in r.json().items() if k not in ("error", "kind")}
    assert body == want
    assert r.status_code == {"unmatched": 404, "ambiguous": 409}.get(want["status"], 200)


def test_bulk_by_address_equals_the_command_line(http, G, tmp_path):
    src, dst = tmp_path / "a.csv", tmp_path / "b.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "địa chỉ"])
        for i, a in enumerate(ADDRESSES + ["", "nowhere at all"]):
            w.writerow([i, a])
    convert_csv(G, src, dst, on=AFTER, as_of=BEFORE)
    r = http.post(
        "/convert", params={"on": "2025-07-01"}, content=src.read_bytes(), headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 200 and r.content == dst.read_bytes()
    assert r.text.splitlines()[0].endswith("street,new_address")
    r = http.post("/convert", params={"on": "2025-07-01"}, json=[{"address": a} for a in ADDRESSES])
    assert [x["new_address"] for x in r.json()["rows"]] == [
        orgraph.convert(G, address=a, on=AFTER, as_of=BEFORE).new_address for a in ADDRESSES
    ]


def test_convert_unmatched_and_ambiguous_keep_the_answer(http, G):
    r = http.get("/convert", params={"commune": "Minh Khai", "on": "2025-07-01"})
    want = orgraph.convert(G, commune="Minh Khai", on=AFTER)
    assert r.status_code == 409 and r.json()["kind"] == "ambiguous"
    assert {k: v for k, v in r.json().items() if k not in ("error", "kind")} == want.to_dict()
    assert "12658" in r.json()["candidates"]
    r = http.get("/convert", params={"province": "Nowhere", "commune": "Zzzqx", "on": "2025-07-01"})
    assert r.status_code == 404 and r.json()["status"] == "unmatched"


def test_whole_graph_answers_equal_the_library(http, G, H):
    from orgraph.queries import tasks as tq

    same(http.get("/snapshot", params={"on": "2025-06-30"}), orgraph.snapshot(G, on=BEFORE).to_dict())
    got = http.get("/snapshot", params={"on": "2025-07-01", "kind": "province", "list": "true"})
    same(got, orgraph.snapshot(G, on=AFTER, kind="province", listing=True).to_dict())
    assert got.json()["by_kind"] == {"province": 34} and len(got.json()["units"]) == 34
    same(http.get("/diff", params={"from": "2025-06-30", "to": "2025-07-01"}), orgraph.diff(G, BEFORE, AFTER).to_dict())
    same(
        http.get("/tasks", params={"plan": "47-KH/BCĐ"}), [t.to_dict() for t in tq.tasks(H, plan="47-KH/BCĐ", on=AFTER)]
    )
    same(http.get("/validate", params={"on": "2025-07-01"}), tq.validate(H, on=AFTER).to_dict())
    hy = tq.resolve(H, "Hưng Yên", on=AFTER)
    same(
        http.get("/bodies", params={"territory": "Hưng Yên", "on": "2025-07-01"}),
        [b.to_dict() for b in tq.bodies(H, hy, on=AFTER)],
    )


# ------------------------------------------------------------------ errors
def test_unknown_unit_is_404_with_the_library_message(http, G):
    name = "Phường Điện Bienn, Ba Đình"
    r = http.get("/units", params={"name": name})
    assert r.status_code == 404
    want = UnknownUnitError(name, suggestions(G, name))
    assert r.json() == {
        "error": want.one_line(),
        "status": 404,
        "kind": "unknown_unit",
        "suggestions": want.suggestions,
    }
    assert r.json()["suggestions"], "an unknown name comes with suggestions"
    assert http.get("/units/Zzqxw/successors").status_code == 404


def test_ambiguous_is_409_with_every_candidate(http, G):
    r = http.get("/units/Minh Khai/successors")
    assert r.status_code == 409
    with pytest.raises(AmbiguousUnitError) as e:
        orgraph.successors(G, "Minh Khai")
    assert r.json()["error"] == e.value.one_line()
    assert r.json()["candidates"] == e.value.candidates and len(e.value.candidates) > 5


@pytest.mark.parametrize(
    "path, params, message",
    [
        ("/snapshot", {"on": "2025-13-01"}, "on: expected a date like 2025-07-01, got '2025-13-01'"),
        ("/snapshot", {}, "on: Field required"),
        ("/diff", {"from": "2025-06-30", "to": "yesterday"}, "to: expected a date like 2025-07-01, got 'yesterday'"),
        ("/units", {"name": "Hà Nội", "kind": "city"}, "kind: expected one of"),
        ("/units", {"name": "   "}, "name is required"),
        ("/units", {"name": "x" * 600}, "name is 600 characters long"),
        ("/convert", {}, "give commune (with district and province), code, or address"),
        ("/snapshot", {"on": "2025-07-01", "list": "maybe"}, "list: "),
    ],
)
def test_bad_input_is_400_one_line(http, path, params, message):
    r = http.get(path, params=params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["status"] == 400 and body["error"].startswith(message) and "\n" not in body["error"]


def test_unknown_route_and_method_are_json(http):
    r = http.get("/no/such/thing")
    assert r.status_code == 404 and r.json()["kind"] == "not_found"
    r = http.delete("/units")
    assert r.status_code == 405 and r.json()["kind"] == "method_not_allowed"


# ------------------------------------------------------------------ bulk conversion
def _csv_rows(G, n: int) -> str:
    """Old communes by name, in the spellings people use, plus a few bad rows."""
    from orgraph.graph.model import Kind

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "tinh", "huyen", "xa"])
    units = [u for u in orgraph.snapshot(G, on=BEFORE, kind=Kind.COMMUNE, listing=True).units][:: 10035 // n + 1]
    for i, u in enumerate(units[:n]):
        dist, prov = (u.parents[-1].split(", ") + ["", ""])[:2]
        if i % 3 == 1:
            prov = prov.replace("Tỉnh ", "").replace("Thành phố ", "TP. ")
        w.writerow([i, prov, dist, u.name.lower() if i % 2 else u.name])
    w.writerow([n, "", "", "Minh Khai"])  # ambiguous
    w.writerow([n + 1, "Nowhere", "", "Zzzqx"])  # unmatched
    w.writerow([n + 2, "", "", ""])  # nothing given
    return out.getvalue()


def test_bulk_csv_equals_the_command_line_output(http, G, tmp_path):
    text = _csv_rows(G, 1500)
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(text, encoding="utf-8")
    counts = convert_csv(G, src, dst, on=AFTER, as_of=BEFORE)
    want = dst.read_bytes()
    r = http.post("/convert", params={"on": "2025-07-01"}, content=text.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content == want
    assert sum(counts.values()) == text.count("\n") - 1, "nothing dropped"
    r = http.post("/convert", params={"on": "2025-07-01"}, files={"file": ("x/../../etc/passwd", text.encode())})
    assert r.status_code == 200 and r.content == want, "a multipart upload gives the same; its file name is ignored"


def test_bulk_json_equals_the_library(http, G):
    rows = [
        {"province": "Thái Bình", "district": "Hưng Hà", "commune": "Minh Khai"},
        {"code": "00019"},
        {"code": 12658},
        {"commune": "Minh Khai"},
        {"province": "Nowhere", "commune": "Zzzqx"},
    ]
    r = http.post("/convert", params={"on": "2025-07-01"}, json={"rows": rows})
    want = [orgraph.convert(G, **{k: str(v) for k, v in x.items()}, on=AFTER, as_of=BEFORE).to_dict() for x in rows]
    assert r.status_code == 200
    assert r.json()["rows"] == want
    assert sum(r.json()["counts"].values()) == len(rows)


@pytest.mark.parametrize(
    "body, ctype, status, message",
    [
        ("province,commune\nA,B,C\n", "text/csv", 400, "the uploaded CSV, row 2: 3 fields but the header has 2"),
        ("a,b\n1,2\n", "text/csv", 400, "the uploaded CSV, row 1: needs a"),
        ("", "text/csv", 400, "the body is empty"),
        ('[{"commune": 5}]', "application/json", 400, "the JSON body, row 1: 'commune' must be a string"),
        ('{"rows": 3}', "application/json", 400, "the JSON body must be a list of rows"),
        ("[1,", "application/json", 400, "the JSON body is not JSON"),
        (b"commune\n\xff\xfe\n", "text/csv", 400, "the uploaded CSV: not UTF-8 text"),
    ],
)
def test_bulk_bad_input_names_the_row(http, body, ctype, status, message):
    r = http.post(
        "/convert", content=body if isinstance(body, bytes) else body.encode(), headers={"Content-Type": ctype}
    )
    assert r.status_code == status, r.text
    assert r.json()["error"].startswith(message)


def test_too_many_rows_and_too_many_bytes_are_413(http, served):
    limits = http.get("/healthz").json()["limits"]
    rows = "code\n" + "12658\n" * (limits["max_rows"] + 1)
    r = http.post("/convert", content=rows.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 413 and r.json()["kind"] == "too_large"
    assert f"{limits['max_rows']:,}" in r.json()["error"]
    big = b"code\n" + b"1" * (limits["max_body_bytes"] + 10)
    r = http.post("/convert", content=big, headers={"Content-Type": "text/csv"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: the server counts as it reads
        yield b"code\n"
        for _ in range(limits["max_body_bytes"] // 65536 + 2):
            yield b"1" * 65536

    r = http.post("/convert", content=chunks(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 413


# ------------------------------------------------------------------ pages, files, policy
def test_page_policy_allows_no_other_origin(http):
    r = http.get("/")
    assert r.status_code == 200 and 'lang="vi"' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "http" not in csp and "*" not in csp and "unsafe" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    for name in ("app.js", "app.css"):
        body = http.get(f"/static/{name}").text
        assert "http://" not in body and "https://" not in body
        assert "innerHTML" not in body and "outerHTML" not in body and "insertAdjacentHTML" not in body


def test_the_page_says_the_catalogues_words(http):
    """The page's words come from the one catalogue: its Vietnamese is in index.html before
    any script runs, and /static/words.js carries both languages for its switch."""
    import re

    from orgraph.graph.i18n import catalogue
    from orgraph.server.page import PAGE_WORDS

    vi = catalogue("vi")
    assert set(PAGE_WORDS.values()) <= set(vi)
    page = http.get("/").text
    for key in re.findall(r'data-t="(\w+)"', page):
        assert f'data-t="{key}">{vi[PAGE_WORDS[key]]}<' in page, key
    r = http.get("/static/words.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    words = json.loads(r.text.split("const T = ", 1)[1].rstrip().rstrip(";"))
    assert words["en"] == {**PAGE_WORDS, "lang_button": "Tiếng Việt"}
    assert words["vi"] == {**{k: vi[en] for k, en in PAGE_WORDS.items()}, "lang_button": "English"}
    assert page.index("/static/words.js") < page.index("/static/app.js")  # T exists before the page's script


def test_docs_are_served_locally(http):
    r = http.get("/docs")
    assert r.status_code == 200 and "/static/docs/swagger-ui-bundle.js" in r.text
    assert "cdn" not in r.text.lower() and "https://" not in r.text
    assert http.get("/static/docs/swagger-ui-bundle.js").status_code == 200
    spec = http.get("/openapi.json").json()
    for path in ("/units", "/units/{unit}/successors", "/convert", "/snapshot", "/diff", "/tasks", "/validate"):
        assert path in spec["paths"]
    assert "post" in spec["paths"]["/convert"]


@pytest.mark.parametrize(
    "path", ["/static/../pyproject.toml", "/static/%2e%2e/cli.py", "/static//etc/passwd", "/static/..%2fapp.py"]
)
def test_no_request_names_a_file(http, path):
    r = http.get(path)
    assert r.status_code == 404 and r.json()["kind"] == "not_found"


def test_pictures_are_the_offline_pages(http, G):
    pytest.importorskip("pyvis")
    from orgraph.viz import to_html, unit_picture

    r = http.get("/viz/unit", params={"unit": "Phường Điện Biên, Ba Đình, Hà Nội"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.text == to_html(unit_picture(G, orgraph.resolve(G, "Phường Điện Biên, Ba Đình, Hà Nội", chain_ok=True)))
    assert "connect-src 'none'" in r.headers["content-security-policy"]
    assert http.get("/viz/unit", params={"unit": "Zzqxw"}).status_code == 404
    assert http.get("/viz/province", params={"name": "Hưng Yên"}).status_code == 200
    assert http.get("/viz/tasks", params={"plan": "47-KH/BCĐ", "on": "bad"}).status_code == 400


# ------------------------------------------------------------------ the command
def test_serve_refuses_a_busy_port_in_one_line():
    port = free_port()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
        s.listen()
        p = subprocess.run(
            orgraph_command() + ["serve", "--port", str(port)], capture_output=True, text=True, timeout=120
        )
    assert p.returncode == 2
    assert "cannot listen on 127.0.0.1" in p.stderr and "Traceback" not in p.stderr


def test_backend_down_is_503(G):
    """A real driver facing a Bolt port where nothing listens: each answer is a one-line 503."""
    pytest.importorskip("neo4j")
    import neo4j
    import uvicorn
    from orgraph.queries.neo4j import Neo4jGraph
    from orgraph.server import Backend, create_app

    dead = free_port()
    driver = neo4j.GraphDatabase.driver(
        f"bolt://127.0.0.1:{dead}", auth=("neo4j", "x"), connection_timeout=2.0, max_transaction_retry_time=0.5
    )
    ng = Neo4jGraph(driver)
    from orgraph.queries import neo4j as neo

    backend = Backend("neo4j", neo, ng, neo, ng, G, G)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(backend), port=port, log_level="error"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    try:
        from serve_helpers import wait_ready

        wait_ready(f"http://127.0.0.1:{port}", timeout=60)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
            r = c.get("/units", params={"name": "Hưng Yên"})
            assert r.status_code == 503, r.text
            assert r.json()["kind"] == "backend" and "\n" not in r.json()["error"]
            assert r.headers["retry-after"]
            assert c.get("/healthz").json()["backend"] == "neo4j"
    finally:
        server.should_exit = True
        t.join(timeout=15)
        driver.close()
