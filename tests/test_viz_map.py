"""``orgraph viz province … --layout map``: every unit at its point, the picture otherwise
the same as the columns layout."""

from __future__ import annotations

import datetime as dt

import pytest
from orgraph import load_national
from orgraph.cli import app, main
from orgraph.graph.model import Attr, Kind
from orgraph.queries.geo import point_of
from orgraph.viz.geo_layout import map_layout
from orgraph.viz.model import province_picture
from typer.testing import CliRunner

NEW = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def G():
    return load_national()


def _new_provinces(G):
    return sorted(
        u for u, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.PROVINCE and a.get(Attr.VALID_FROM) == NEW
    )


def test_every_merged_province_on_the_map_keeps_its_picture_and_the_compass(G):
    provinces = _new_provinces(G)
    assert len(provinces) == 23  # the 2025 wave made 23 provinces anew
    for p in provinces:
        cols = province_picture(G, p)
        pic = map_layout(G, cols)
        assert [n["id"] for n in pic.nodes] == [n["id"] for n in cols.nodes]
        assert pic.edges == cols.edges and pic.frames == [] and pic.headers == []
        assert not any(x.get("what") == "frame" for x in pic.legend)
        own = [(point_of(G, n["id"]), n["x"], n["y"]) for n in pic.nodes if point_of(G, n["id"]) is not None]
        assert len(own) > len(pic.nodes) // 2, p
        # east is right and north is up: the projection keeps the order of longitudes and latitudes
        for (a, xa, ya), (b, xb, yb) in zip(own, own[1:], strict=False):
            if a[1] < b[1]:
                assert xa <= xb, p
            if a[0] > b[0]:
                assert ya <= yb, p


def test_the_command_writes_the_map_page_and_refuses_an_unknown_layout(tmp_path, capsys):
    runner = CliRunner()
    out = tmp_path / "hy.html"
    r = runner.invoke(app, ["viz", "province", "Hưng Yên", "--layout", "map", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "placed by their points" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["viz", "province", "Hưng Yên", "--layout", "globe", "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "columns or map" in err
    assert not (tmp_path / "x.html").exists()
