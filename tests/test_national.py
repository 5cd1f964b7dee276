"""The embedded national data held against the official figures (DATA.md)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from helpers import AFTER, BEFORE
from orgraph import predecessors, snapshot, successors
from orgraph.graph.build import is_live
from orgraph.graph.model import Attr, NodeKind


def test_counts_before_1_july_2025(G):
    s = snapshot(G, on=BEFORE)
    assert s.by_kind == {"commune": 10035, "district": 696, "province": 63}


def test_counts_from_1_july_2025(G):
    s = snapshot(G, on=AFTER)
    assert s.by_kind == {"commune": 3321, "province": 34}
    assert s.by_type["commune"] == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert s.by_type["province"] == {"tỉnh": 28, "thành phố trực thuộc trung ương": 6}


def test_new_hung_yen_is_old_hung_yen_and_thai_binh_with_104_communes(G):
    hy = "province:33@2025-07-01"
    p = predecessors(G, hy)
    assert sorted(x.unit.name for x in p.units) == ["Tỉnh Hưng Yên", "Tỉnh Thái Bình"]
    assert all(h.basis == "202/2025/QH15" for x in p.units for h in x.path)
    communes = [c for c, _, d in G.in_edges(hy, data=True) if d.get("kind") == "PART_OF" and is_live(G.nodes[c], AFTER)]
    assert len(communes) == 104
    assert G.nodes[hy][Attr.AREA] == pytest.approx(2514.81)


def test_23_province_fusions_and_11_unchanged(G):
    fusions = [
        e
        for e, a in G.nodes(data=True)
        if a.get(Attr.NODE) == NodeKind.EVENT and e.startswith("ev:2025-07-01:province:")
    ]
    assert len(fusions) == 23
    unchanged = [
        n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == "province" and is_live(a, BEFORE) and is_live(a, AFTER)
    ]
    names = sorted(G.nodes[n][Attr.SHORT] for n in unchanged)
    assert names == sorted(
        [
            "Hà Nội",
            "Huế",
            "Lai Châu",
            "Điện Biên",
            "Sơn La",
            "Lạng Sơn",
            "Quảng Ninh",
            "Thanh Hóa",
            "Nghệ An",
            "Hà Tĩnh",
            "Cao Bằng",
        ]
    )


def test_every_district_ends_on_1_july_2025(G):
    districts = [a for _, a in G.nodes(data=True) if a.get(Attr.KIND) == "district"]
    assert len(districts) == 696
    assert {a[Attr.VALID_TO] for a in districts} == {AFTER}


@pytest.mark.parametrize(
    "district", ["Huyện Bạch Long Vĩ", "Huyện Cồn Cỏ", "Huyện Hoàng Sa", "Huyện Lý Sơn", "Huyện Côn Đảo"]
)
def test_island_districts_without_communes_became_dac_khu(G, district):
    s = successors(G, district, on=AFTER)
    assert [x.unit.type for x in s.units] == ["đặc khu"]
    assert s.units[0].portion == "whole"
    back = predecessors(G, s.units[0].unit.id)
    assert [x.unit.name for x in back.units] == [district]


def test_split_communes_have_exactly_one_default_successor(G):
    from orgraph.graph.build import out_events

    n_split = 0
    for n, a in G.nodes(data=True):
        if a.get(Attr.KIND) != "commune":
            continue
        parts = [d for _, d in out_events(G, n) if d["portion"] == "part"]
        if parts:
            n_split += 1
            assert sum(d["default"] for d in parts) == 1, a[Attr.NAME]
    assert n_split > 400  # the package lists 471 split communes


def test_every_commune_event_cites_its_provinces_resolution(G):
    for e, a in G.nodes(data=True):
        if e.startswith("ev:2025-07-01:commune:"):
            assert a[Attr.BASIS] and a[Attr.BASIS].endswith("/NQ-UBTVQH15"), e
            assert 1654 <= int(a[Attr.BASIS].split("/")[0]) <= 1687
            assert a[Attr.BASIS_DATE] == date(2025, 6, 16)
    hy = [a[Attr.BASIS] for e, a in G.nodes(data=True) if e == "ev:2025-07-01:commune:12586"]
    assert hy == ["1666/NQ-UBTVQH15"]


def test_code_reuse_keeps_units_apart(G):
    """Code 26740 was Phường Bến Nghé and is now Phường Sài Gòn: two units, one chain."""
    units = sorted((n for n, a in G.nodes(data=True) if a.get(Attr.CODE) == "26740"))
    names = sorted(G.nodes[n][Attr.NAME] for n in units)
    assert names == ["Phường Bến Nghé", "Phường Sài Gòn"]
    s = successors(G, "Phường Bến Nghé, Quận 1", on=AFTER)
    assert "Phường Sài Gòn" in [x.unit.name for x in s.units]


def test_every_unit_and_event_records_its_sources(G):
    known = set(G.graph["sources"])
    for n, a in G.nodes(data=True):
        assert a[Attr.SOURCES], n
        assert set(a[Attr.SOURCES]) <= known, n


def test_names_are_nfc_with_diacritics(G):
    for _, a in G.nodes(data=True):
        if Attr.NAME in a:
            assert unicodedata.is_normalized("NFC", a[Attr.NAME])
    assert any("ư" in a.get(Attr.NAME, "") for _, a in G.nodes(data=True))


def test_licence_notice_ships_with_the_data():
    from importlib import resources

    root = resources.files("orgraph.data")
    notice = root.joinpath("NOTICE.md").read_text(encoding="utf-8")
    assert "vietnamadminunits" in notice and "MIT" in notice
