"""Find, successors, predecessors, lineage, snapshot and diff over the national graph."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import AFTER, BEFORE
from orgraph import (
    AmbiguousUnitError,
    UnknownUnitError,
    diff,
    find,
    lineage,
    load_national,
    predecessors,
    resolve,
    snapshot,
    successors,
)

WAVE = Path(__file__).parent / "data" / "wave_2026.json"


@pytest.mark.parametrize(
    "query",
    [
        "Phường Điện Biên, Quận Ba Đình, Hà Nội",
        "phuong dien bien, quan ba dinh, ha noi",
        "P. Điện Biên, Q. Ba Đình, TP. Hà Nội",
        "PHƯỜNG ĐIỆN BIÊN, BA ĐÌNH",
        "Phu\u031bo\u031b\u0300ng Đie\u0302\u0323n Bie\u0302n, Ba Đình",  # decomposed (NFD) input
        "00019",
        "commune:00019",
    ],
)
def test_find_with_or_without_diacritics_prefixes_and_qualifiers(G, query):
    assert [u.id for u in find(G, query)] == ["commune:00019"]


def test_find_lists_every_unit_of_a_name_at_any_date(G):
    hits = find(G, "dien bien")
    kinds = {(h.kind, h.name) for h in hits}
    assert ("province", "Tỉnh Điện Biên") in kinds
    assert ("district", "Huyện Điện Biên") in kinds
    assert sum(1 for h in hits if h.name == "Phường Điện Biên") == 2
    assert all(h.parents for h in hits if h.kind != "province")


def test_ambiguous_name_lists_every_candidate(G):
    with pytest.raises(AmbiguousUnitError) as e:
        resolve(G, "Xã Minh Khai")
    assert len(e.value.candidates) >= 5
    assert any("Hưng Hà" in c for c in e.value.candidates)


def test_unknown_name_suggests_the_nearest(G):
    with pytest.raises(UnknownUnitError) as e:
        resolve(G, "Phường Điện Bin Phuuuu")  # too far from any name to be read as a typo
    assert any("Điện Biên Phủ" in s for s in e.value.suggestions)


def test_successors_of_a_split_commune_mark_portion_and_default(G):
    s = successors(G, "Phường Điện Biên, Quận Ba Đình, Hà Nội", on=AFTER)
    assert s.status == "succeeded"
    assert len(s.units) >= 2
    assert all(x.portion == "part" for x in s.units)
    defaults = [x.unit.name for x in s.units if x.default]
    assert defaults == ["Phường Ba Đình"]
    assert all(x.province == "Thành phố Hà Nội" for x in s.units)
    assert s.units[0].path[0].basis.endswith("/NQ-UBTVQH15")


def test_successors_on_a_date_before_the_change_is_the_unit_itself(G):
    s = successors(G, "commune:00019", on=BEFORE)
    assert s.status == "live" and s.units[0].unit.id == "commune:00019"


def test_successors_of_a_unit_that_did_not_exist_yet_says_so(G):
    s = successors(G, "commune:00004@2025-07-01", on=date(2020, 1, 1))
    assert s.status == "not_yet" and "did not exist yet" in s.message and not s.units


def test_predecessors_of_a_unit_that_had_ended_says_so(G):
    p = predecessors(G, "commune:00019", on=AFTER)
    assert p.status == "ended" and "already ended" in p.message


def test_predecessors_are_the_communes_it_was_made_of(G):
    p = predecessors(G, "Xã Hưng Hà, Hưng Yên")
    names = {x.unit.name for x in p.units}
    assert "Xã Minh Khai" in names and "Thị trấn Hưng Hà" in names
    assert all(x.unit.kind == "commune" for x in p.units)  # districts are modelled, left out


def test_successors_and_predecessors_are_inverse_on_hung_yen(G):
    """Every new Hưng Yên commune's predecessors have it among their successors."""
    hy = [
        n
        for n, a in G.nodes(data=True)
        if a.get("kind") == "commune" and a.get("valid_from") == AFTER and "Hưng Yên" in find(G, n)[0].parents[-1]
    ]
    assert len(hy) > 90
    for n in hy:
        for x in predecessors(G, n).units:
            assert n in [y.unit.id for y in successors(G, x.unit.id, on=AFTER).units]


def test_lineage_shows_every_hop_with_event_date_and_basis(G):
    lin = lineage(G, "00019")
    assert lin.unit.id == "commune:00019"
    assert {h.to_unit for h in lin.hops} >= {d.id for d in lin.descendants}
    assert all(h.date == AFTER and h.basis for h in lin.hops)


def test_district_successors_follow_from_its_communes(G):
    s = successors(G, "Huyện Hưng Hà, Thái Bình", on=AFTER)
    assert len(s.units) >= 5
    assert all(h.derived for x in s.units for h in x.path)


def test_chains_are_followed_across_waves():
    G2 = load_national([WAVE])
    s = successors(G2, "Tỉnh Bắc Giang", on=date(2026, 12, 31))
    assert [x.unit.name for x in s.units] == ["Thành phố Bắc Ninh"]
    assert [h.type for h in s.units[0].path] == ["fusion", "type_change"]
    # between the waves it is still the 2025 province
    mid = successors(G2, "Tỉnh Bắc Giang", on=date(2026, 1, 1))
    assert [x.unit.id for x in mid.units] == ["province:24@2025-07-01"]
    assert snapshot(G2, on=date(2026, 12, 31)).by_type["province"]["thành phố trực thuộc trung ương"] == 7


def test_snapshot_before_the_data_still_counts_old_units(G):
    assert snapshot(G, on=date(2019, 1, 1)).by_kind["province"] == 63


def test_diff_counts_what_changed(G):
    d = diff(G, BEFORE, AFTER, listing=True)
    assert d.ended["district"] == 696 and d.began["province"] == 23
    assert d.events["fusion"] > 3000
    assert len(d.ended_units) == sum(d.ended.values())
    assert diff(G, AFTER, date(2025, 12, 31)).events == {}
