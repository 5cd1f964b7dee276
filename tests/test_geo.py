"""Points on a map: GeoJSON of the units live on a date."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from orgraph.cli import app
from orgraph.graph.errors import DataError
from orgraph.queries import predecessors, snapshot
from orgraph.queries.geo import geojson
from typer.testing import CliRunner

DATES = [date(2025, 6, 30), date(2025, 7, 1), date(2026, 11, 28)]


def _valid_rfc7946(fc: dict) -> None:
    assert fc["type"] == "FeatureCollection"
    for f in fc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        g = f["geometry"]
        if g is None:
            continue
        assert g["type"] == "Point" and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert math.isfinite(lon) and math.isfinite(lat)
        assert 102 < lon < 118 and 8 < lat < 24  # Vietnam and its islands


@pytest.mark.parametrize("on", DATES)
def test_geojson_is_valid_and_counts_match_the_snapshot(G, on):
    fc = geojson(G, on=on)
    _valid_rfc7946(fc)
    counts: dict[str, int] = {}
    for f in fc["features"]:
        counts[f["properties"]["kind"]] = counts.get(f["properties"]["kind"], 0) + 1
    want = {k: v for k, v in snapshot(G, on=on).by_kind.items() if k in ("province", "district", "commune")}
    assert counts == want
    located = sum(f["geometry"] is not None for f in fc["features"] if f["properties"]["kind"] == "commune")
    assert located >= 0.99 * want["commune"]  # nearly every commune has a point


def test_a_new_commune_carries_its_predecessors(G):
    on = date(2025, 7, 1)
    fc = geojson(G, on=on, kind="commune")
    by_id = {f["id"]: f for f in fc["features"]}
    checked = 0
    for uid, f in list(by_id.items())[::50]:
        direct = {p["id"] for p in f["properties"]["predecessors"]}
        lib = {s.unit.id for s in predecessors(G, uid).units}
        if direct:
            assert direct <= lib | {uid}, uid
            checked += 1
    assert checked > 20


def test_export_geojson_command_and_a_bad_kind(tmp_path):
    out = tmp_path / "p.geojson"
    res = CliRunner().invoke(app, ["export", "geojson", "--on", "2025-07-01", "--kind", "province", "-o", str(out)])
    assert res.exit_code == 0, res.output
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert len(fc["features"]) == 34
    names = {f["properties"]["name"] for f in fc["features"]}
    assert "Tỉnh Hưng Yên" in names
    with pytest.raises(DataError) as e:
        geojson(__import__("orgraph").load_national(), on=date(2025, 7, 1), kind="party_committee")
    # the library names its argument; the command line names its option
    assert str(e.value).startswith("kind: 'party_committee' is not a territorial kind") and "--" not in str(e.value)
    said = CliRunner().invoke(app, ["export", "geojson", "--kind", "party_committee", "-o", str(tmp_path / "y.json")])
    assert said.exit_code == 2 and said.output.startswith("error: --kind: 'party_committee' is not a territorial kind")
    bad = CliRunner().invoke(app, ["export", "geojson", "--kind", "foo", "-o", str(tmp_path / "x.geojson")])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
