"""A split commune's successor chosen by the address's own point (``--lat/--lon``, or lat and
lon columns): generated from every split commune in the embedded data and the successors'
points."""

from __future__ import annotations

import csv
import datetime as dt
import random

import pytest
from orgraph import load_national
from orgraph.cli import app
from orgraph.graph.model import Attr, Kind
from orgraph.queries.convert import _km, convert, convert_csv
from orgraph.queries.geo import point_of
from orgraph.queries.succession import successor_ids
from typer.testing import CliRunner

ON = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def G():
    return load_national()


@pytest.fixture(scope="module")
def splits(G):
    """(old commune, [(successor, its point)]) for every old commune split between several
    successors that all have points."""
    out = []
    for u, a in G.nodes(data=True):
        if a.get(Attr.KIND) != Kind.COMMUNE or not a.get(Attr.VALID_TO) or not a.get(Attr.CODE):
            continue
        found = successor_ids(G, u, ON)
        if len(found) < 2:
            continue
        pts = [(f[0], point_of(G, f[0])) for f in found]
        if all(p is not None for _, p in pts) and len({p for _, p in pts}) == len(pts):
            out.append((u, pts))
    assert len(out) > 300  # the 2025 wave split hundreds of communes
    return out


def _near(p, others, rng):
    """A point closer to ``p`` than to any of ``others``: a step a fifth of the way to the nearest."""
    d = min(_km(p, o) for o in others)
    step = d / 5 / 111.0  # degrees, roughly
    return (p[0] + rng.uniform(-step, step) / 1.5, p[1] + rng.uniform(-step, step) / 1.5)


def test_every_split_commune_answers_with_the_successor_nearest_the_point(G, splits):
    rng = random.Random(7)
    for u, pts in splits:
        code = G.nodes[u][Attr.CODE]
        for succ, p in pts:
            q = _near(p, [o for s, o in pts if s != succ], rng)
            c = convert(G, code=code, on=ON, lat=q[0], lon=q[1])
            assert (c.status, c.new_commune_code) == ("split_nearest", G.nodes[succ][Attr.CODE]), (u, succ)
            assert "nearest" in c.note and f"{len(pts)} communes" in c.note
        without = convert(G, code=code, on=ON)
        assert without.status in ("split_default", "ambiguous")


def test_a_point_changes_nothing_for_a_commune_that_was_not_split(G):
    c = convert(G, province="Thái Bình", district="Hưng Hà", commune="Minh Khai", on=ON)
    assert c.status == "ok"
    assert convert(G, province="Thái Bình", district="Hưng Hà", commune="Minh Khai", on=ON, lat=10.0, lon=106.0) == c


def test_free_text_addresses_take_the_point_too(G, splits):
    u, pts = splits[0]
    a = G.nodes[u]
    c0 = convert(G, code=a[Attr.CODE], on=ON)
    text = f"12 Đường Một, {c0.old_commune}, {c0.old_district}, {c0.old_province}"
    succ, p = pts[-1]
    c = convert(G, address=text, on=ON, lat=p[0], lon=p[1])
    assert c.status == "split_nearest" and c.new_commune == G.nodes[succ][Attr.NAME]
    assert c.street == "12 Đường Một" and c.new_address.startswith(f"12 Đường Một, {c.new_commune}, ")


def test_bulk_lat_lon_columns_match_the_single_answers(G, splits, tmp_path):
    rng = random.Random(11)
    rows, want = [], []
    for u, pts in rng.sample(splits, 40):
        succ, p = rng.choice(pts)
        code = G.nodes[u][Attr.CODE]
        rows.append([code, f"{p[0]}", f"{p[1]}".replace(".", ",")])  # a decimal comma is read too
        want.append(convert(G, code=code, on=ON, lat=p[0], lon=p[1]).new_commune_code)
    rows.append([G.nodes[splits[0][0]][Attr.CODE], "", ""])  # no point: the default
    rows.append([G.nodes[splits[0][0]][Attr.CODE], "bắc", "nam"])  # not a point: said, not dropped
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ma xa", "vĩ độ", "kinh độ"])
        w.writerows(rows)
    counts = convert_csv(G, src, dst, on=ON)
    assert sum(counts.values()) == len(rows) and counts["split_nearest"] == len(want)
    with dst.open(encoding="utf-8") as f:
        out = list(csv.DictReader(f))
    assert [r["new_commune_code"] for r in out[: len(want)]] == want
    assert out[-2]["status"] in ("split_default", "ambiguous") and "nearest" not in out[-2]["note"]
    assert "not a point; not used" in out[-1]["note"]


def test_the_command_line_takes_lat_lon_and_refuses_half_a_point(G, splits):
    runner = CliRunner()
    u, pts = splits[0]
    succ, p = pts[-1]
    code = G.nodes[u][Attr.CODE]
    r = runner.invoke(app, ["convert", "--code", code, "--on", "2025-07-01", "--lat", str(p[0]), "--lon", str(p[1])])
    assert r.exit_code == 0, r.output
    assert "(split_nearest)" in r.output and G.nodes[succ][Attr.NAME] in r.output.splitlines()[1]
    for bad in (["--lat", "21.0"], ["--lat", "91", "--lon", "105"], ["--lat", "nan", "--lon", "105"]):
        r = runner.invoke(app, ["convert", "--code", code, *bad])
        assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1, (bad, r.output)


def test_the_frame_with_lat_lon_columns_equals_the_csv_output(G, splits, tmp_path):
    pd = pytest.importorskip("pandas")
    from orgraph import convert_frame

    rng = random.Random(5)
    rows = []
    for u, pts in rng.sample(splits, 25):
        _, p = rng.choice(pts)
        rows.append({"ma": G.nodes[u][Attr.CODE], "lat": str(p[0]), "lon": str(p[1])})
    rows.append({"ma": rows[0]["ma"], "lat": "x", "lon": "y"})
    df = pd.DataFrame(rows)
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    df.to_csv(src, index=False)
    convert_csv(G, src, dst, on=ON)
    want = pd.read_csv(dst, dtype=str, keep_default_na=False)
    got = convert_frame(df, code="ma", lat="lat", lon="lon", G=G, on=ON)
    assert got.astype(str).values.tolist() == want.values.tolist()
    assert (got["status"] == "split_nearest").sum() == len(rows) - 1
