"""Load on a real server over localhost, bounded in count (2,000 requests) and time (each
request has a timeout): lookups by names in many spellings, conversions, bad input,
unknown and ambiguous names, and bulk conversions in parallel, from 32 clients at once.

No answer is a 5xx, every answer equals the library's (status and body), and the server's
memory is steady: after a warm-up round, a full round grows its resident memory by less
than 64 MiB.
"""

from __future__ import annotations

import csv
import io
import json
import random
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import orgraph
import pytest
from helpers import AFTER, BEFORE
from orgraph.graph.errors import AmbiguousUnitError, OrgraphError, UnknownUnitError
from orgraph.graph.model import Kind
from orgraph.queries import convert_csv, find, suggestions
from serve_helpers import rss_kib

pytest.importorskip("fastapi")

TOTAL = 2000
CLIENTS = 32
BULK_ROWS = 10_000


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    ctype: str | None = None


@dataclass(frozen=True)
class Want:
    status: int
    json: Any = None
    content: bytes | None = None


def _strip(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


ABBR = {"Phường ": "P. ", "Quận ": "Q. ", "Huyện ": "H. ", "Thị trấn ": "TT. ", "Thị xã ": "TX. ", "Thành phố ": "TP. "}


def spellings(name: str, parent: str) -> list[str]:
    """The same unit as people write it: with and without diacritics, any case, type
    prefixes abbreviated, the district/province as a qualifier."""
    short_parent = parent.split(", ")[0] if parent else ""
    abbr = name
    for k, v in ABBR.items():
        abbr = abbr.replace(k, v)
    out = [name, _strip(name).lower(), name.upper(), abbr]
    if short_parent:
        out += [f"{name}, {short_parent}", _strip(f"{abbr}, {short_parent}").lower()]
    return out


def _error(e: OrgraphError, status: int, kind: str) -> dict[str, Any]:
    body: dict[str, Any] = {"error": e.one_line(), "status": status, "kind": kind}
    if isinstance(e, UnknownUnitError):
        body["suggestions"] = e.suggestions
    if isinstance(e, AmbiguousUnitError):
        body["candidates"] = e.candidates
    return body


def _js(x: Any) -> Any:
    return json.loads(json.dumps(x, ensure_ascii=False))


def expected_lookup(G, text: str) -> Want:
    hits = find(G, text)
    if not hits:
        e = UnknownUnitError(text.strip(), suggestions(G, text.strip()))
        return Want(404, _error(e, 404, "unknown_unit"))
    return Want(200, _js([h.to_dict() for h in hits]))


def expected_successors(G, text: str) -> Want:
    try:
        return Want(200, _js(orgraph.successors(G, text, on=AFTER).to_dict()))
    except AmbiguousUnitError as e:
        return Want(409, _error(e, 409, "ambiguous"))
    except UnknownUnitError as e:
        return Want(404, _error(e, 404, "unknown_unit"))


def expected_convert(G, **kw: str) -> Want:
    c = orgraph.convert(G, **kw, on=AFTER, as_of=BEFORE).to_dict()
    status = {"unmatched": 404, "ambiguous": 409}.get(c["status"], 200)
    if status != 200:
        c = {**c, "error": " ".join((c["note"] or c["status"]).split()), "kind": c["status"]}
    return Want(status, _js(c))


def bulk_csv(G, communes: list, rng: random.Random, n: int, tmp_path) -> tuple[Req, Want]:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["province", "district", "commune", "code"])
    for i in range(n):
        u = rng.choice(communes)
        dist, prov = (u.parents[-1].split(", ") + ["", ""])[:2]
        if i % 4 == 0:
            w.writerow(["", "", "", u.code])
        elif i % 4 == 1:
            w.writerow([_strip(prov), _strip(dist).lower(), _strip(u.name), ""])
        elif i % 50 == 7:
            w.writerow(["Nowhere", "", "Zz" + u.name, ""])  # unmatched, kept
        else:
            w.writerow([prov, dist, u.name, ""])
    text = out.getvalue().encode("utf-8")
    src, dst = tmp_path / f"bulk{n}.csv", tmp_path / f"bulk{n}.out.csv"
    src.write_bytes(text)
    convert_csv(G, src, dst, on=AFTER, as_of=BEFORE)
    return Req("POST", "/convert", (("on", "2025-07-01"),), text, "text/csv"), Want(200, content=dst.read_bytes())


@pytest.fixture(scope="module")
def workload(G, tmp_path_factory) -> list[tuple[Req, Want]]:
    rng = random.Random(13)
    tmp = tmp_path_factory.mktemp("load")
    communes = list(orgraph.snapshot(G, on=BEFORE, kind=Kind.COMMUNE, listing=True).units)
    provinces = orgraph.snapshot(G, on=BEFORE, kind=Kind.PROVINCE, listing=True).units
    distinct: list[tuple[Req, Want]] = []
    for u in rng.sample(list(communes), 60) + list(rng.sample(list(provinces), 10)):
        parent = u.parents[-1] if u.parents else ""
        for s in rng.sample(spellings(u.name, parent), 2):
            distinct.append((Req("GET", "/units", (("name", s),)), expected_lookup(G, s)))
        distinct.append(
            (Req("GET", f"/units/{u.id}/successors", (("on", "2025-07-01"),)), expected_successors(G, u.id))
        )
    for u in rng.sample(list(communes), 60):
        distinct.append(
            (Req("GET", "/convert", (("code", u.code), ("on", "2025-07-01"))), expected_convert(G, code=u.code))
        )
        dist, prov = (u.parents[-1].split(", ") + ["", ""])[:2]
        p = {"province": _strip(prov), "district": dist, "commune": u.name.lower()}
        distinct.append((Req("GET", "/convert", tuple(p.items()) + (("on", "2025-07-01"),)), expected_convert(G, **p)))
    # unknown names, with the library's suggestions
    for s in ("Phường Điện Bienn", "Xa Minh Khaii, Hung Ha", "Zzqxw", "Tỉnh Hưng Yênn", "ha noii"):
        distinct.append((Req("GET", "/units", (("name", s),)), expected_lookup(G, s)))
    # ambiguous names: 409 with every candidate
    for s in ("Minh Khai", "Phường 1", "Xã Tân Hưng", "Điện Biên"):
        distinct.append((Req("GET", f"/units/{s}/successors", (("on", "2025-07-01"),)), expected_successors(G, s)))
    # bad input
    bad = [
        (Req("GET", "/snapshot", (("on", "2025-02-30"),)), "on: expected a date like 2025-07-01, got '2025-02-30'"),
        (Req("GET", "/units", (("name", "Hà Nội"), ("kind", "town"))), "kind: expected one of"),
        (Req("GET", "/convert"), "give commune (with district and province), code, or address"),
        (Req("POST", "/convert", (), b"foo,bar\n1,2\n", "text/csv"), "the uploaded CSV, row 1: needs a"),
        (Req("POST", "/convert", (), b'[{"code": []}]', "application/json"), "the JSON body, row 1: 'code' must be"),
    ]
    for r, msg in bad:
        distinct.append((r, Want(400, {"error_prefix": msg})))
    pool = rng.sample(communes, 1500)
    small = bulk_csv(G, pool, rng, 300, tmp)
    mix = [rng.choice(distinct) for _ in range(TOTAL - 8)] + [small] * 6
    rng.shuffle(mix)
    big = bulk_csv(G, pool, rng, BULK_ROWS, tmp)
    # the big bulk conversions go early, so they run while the lookups do
    return [big] + mix[:500] + [big] + mix[500:]


def _send(c: httpx.Client, r: Req) -> httpx.Response:
    headers = {"Content-Type": r.ctype} if r.ctype else None
    return c.request(r.method, r.path, params=r.params, content=r.body, headers=headers)


def _check(resp: httpx.Response, want: Want) -> str | None:
    if resp.status_code >= 500:
        return f"{resp.status_code}: {resp.text[:200]}"
    if resp.status_code != want.status:
        return f"status {resp.status_code}, wanted {want.status}: {resp.text[:200]}"
    if want.content is not None:
        return None if resp.content == want.content else "bulk CSV differs from `orgraph convert --input`"
    got = resp.json()
    if isinstance(want.json, dict) and "error_prefix" in want.json:
        ok = got.get("error", "").startswith(want.json["error_prefix"]) and got.get("status") == want.status
        return None if ok else f"error {got!r}"
    return None if got == want.json else f"body differs: {json.dumps(got, ensure_ascii=False)[:300]}"


def _round(url: str, work: list[tuple[Req, Want]]) -> tuple[Counter[int], list[str]]:
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    with httpx.Client(base_url=url, timeout=120, limits=limits) as c:

        def one(item: tuple[Req, Want]) -> tuple[int, str | None]:
            req, want = item
            resp = _send(c, req)
            why = _check(resp, want)
            return resp.status_code, (f"{req.method} {req.path} {req.params}: {why}" if why else None)

        with ThreadPoolExecutor(CLIENTS) as pool:
            for status, why in pool.map(one, work):
                statuses[status] += 1
                if why:
                    failures.append(why)
    return statuses, failures


def test_two_thousand_mixed_requests(served, workload):
    assert len(workload) == TOTAL
    warm = workload[:150]
    _round(served.url, warm)
    before = rss_kib(served.pid) if served.pid else None
    statuses, failures = _round(served.url, workload)
    after = rss_kib(served.pid) if served.pid else None
    assert not [s for s in statuses if s >= 500], statuses
    assert not failures, f"{len(failures)} answers differ from the library's, e.g. {failures[:3]}"
    assert sum(statuses.values()) == TOTAL
    assert {200, 400, 404, 409} <= set(statuses), statuses
    if before is not None and after is not None:
        assert after - before < 64 * 1024, f"resident memory grew from {before} KiB to {after} KiB"
