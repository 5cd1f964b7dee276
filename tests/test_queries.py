"""Find, successors, predecessors, lineage, snapshot and diff over the national graph."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import AFTER, BEFORE
from orgraph import (
    AmbiguousUnitError,
    BeyondHorizonError,
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


def test_chains_are_followed_across_waves(G):
    # the embedded 2026 type change (39/2026/QH16, effective 2026-09-20)
    s = successors(G, "Tỉnh Bắc Giang", on=date(2026, 12, 31))
    assert [x.unit.name for x in s.units] == ["Thành phố Bắc Ninh"]
    assert [h.type for h in s.units[0].path] == ["fusion", "type_change"]
    assert s.units[0].path[-1].basis == "39/2026/QH16"
    # between the waves it is still the 2025 province, under its old id
    mid = successors(G, "Tỉnh Bắc Giang", on=date(2026, 9, 19))
    assert [x.unit.id for x in mid.units] == ["province:24@2025-07-01"]
    # and an extra file (a fictional later change) continues the chain
    G2 = load_national([WAVE])
    s2 = successors(G2, "Tỉnh Bắc Giang", on=date(2027, 1, 1))
    assert [h.type for h in s2.units[0].path] == ["fusion", "type_change", "rename"]


def test_snapshot_before_the_horizon_is_refused_not_shown_as_2025(G):
    # the data declares from when each kind is complete; nothing earlier is modelled
    h = G.graph["horizon"]
    assert h["commune"].start == h["district"].start == date(2025, 3, 1)
    with pytest.raises(BeyondHorizonError, match="complete only from 2025-03-01"):
        snapshot(G, on=date(2024, 6, 1))
    with pytest.raises(BeyondHorizonError, match="commune"):
        diff(G, date(2024, 6, 1), AFTER, kind="commune")
    # on the horizon itself the 2025 picture is the country's
    assert snapshot(G, on=date(2025, 3, 1)).by_kind == {"commune": 10035, "district": 696, "province": 63}
    # provinces are complete from earlier: no province changed between 2021-11-01 and 2025-07-01
    assert snapshot(G, on=date(2022, 1, 1), kind="province").by_kind == {"province": 63}


def test_diff_counts_what_changed(G):
    d = diff(G, BEFORE, AFTER, listing=True)
    assert d.ended["district"] == 696 and d.began["province"] == 23
    assert d.events["fusion"] > 3000
    assert len(d.ended_units) == sum(d.ended.values())
    assert diff(G, AFTER, date(2025, 12, 31)).events == {}


@pytest.mark.parametrize(
    ("old", "absorbed_by", "became"),
    [
        ("Phường Nguyễn Trung Trực, Quận Ba Đình, Hà Nội", "Phường Trúc Bạch", "Phường Ba Đình"),
        ("Xã Đông Xuân, Huyện Đông Hưng, Thái Bình", "Xã Xuân Quang Động", "Xã Nam Đông Hưng"),
        ("Phường Sài Đồng, Quận Long Biên, Hà Nội", "Phường Phúc Lợi", "Phường Phúc Lợi"),
    ],
)
def test_names_from_before_2025_resolve_through_the_unit_that_absorbed_them(G, old, absorbed_by, became):
    from orgraph.graph.names import fold

    # as written, without diacritics, in lower case, with abbreviated types
    spellings = {
        old,
        ", ".join(fold(p) for p in old.split(", ")),
        old.lower(),
        old.replace("Phường ", "P. ").replace("Quận ", "Q. "),
    }
    for text in spellings:
        s = successors(G, text, on=AFTER)
        assert s.unit.name == absorbed_by, text
        assert became in {x.unit.name for x in s.units}
    # the former name is kept with its source
    (u,) = [
        n
        for n, a in G.nodes(data=True)
        if a.get("name") == absorbed_by
        and "former_names" in a
        and fold(old.split(",")[0]).split(" ", 1)[1].replace(" ", "") in {f["name"] for f in a["former_names"]}
    ]
    assert all(f["source"] == "vau:alias" for f in G.nodes[u]["former_names"])
    assert G.nodes[u]["point"]["source"] == "vau:point"
