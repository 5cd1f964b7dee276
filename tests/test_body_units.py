"""Bodies are units like any other: found by name or id, followed by the core queries, counted
by snapshot and diff apart from the territories; generic assignees and commune offices."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgraph import load_national
from orgraph.cli import main
from orgraph.graph.model import Attr, Kind, UnitType
from orgraph.graph.names import fold
from orgraph.loaders.dataset import load_graph, may_name_body
from orgraph.loaders.plans import load_full
from orgraph.queries import diff, find, lineage, predecessors, resolve, snapshot, successors
from orgraph.queries.tasks import tasks

BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


@pytest.fixture(scope="module")
def G():
    return load_full()


def _bodies(G, rule_suffix: str) -> list[str]:
    return sorted(n for n, a in G.nodes(data=True) if str(a.get(Attr.RULE) or "").endswith(rule_suffix))


# ------------------------------------------------------------------ by name and by id


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình", "body:commune:12658:dang-uy"),
        ("dang uy xa minh khai, hung ha, thai binh", "body:commune:12658:dang-uy"),
        ("Đảng ủy xã Minh Khai, H. Hưng Hà, T. Thái Bình", "body:commune:12658:dang-uy"),
        ("Sở Kế hoạch và Đầu tư tỉnh Thái Bình", "body:province:34:so-so-ke-hoach-va-dau-tu"),
        ("SO KE HOACH VA DAU TU TINH THAI BINH", "body:province:34:so-so-ke-hoach-va-dau-tu"),
        ("Tỉnh ủy Hà Giang", "body:province:02:tinh-uy"),
        ("tinh uy ha giang", "body:province:02:tinh-uy"),
        ("Ban Tổ chức Tỉnh ủy, Thái Bình", "body:province:34:ban-to-chuc"),
        ("body:province:34:ban-to-chuc", "body:province:34:ban-to-chuc"),
        ("Thành ủy Hà Nội", "body:province:01:tinh-uy"),
    ],
)
def test_a_body_is_found_by_name_in_any_spelling_and_by_id(G, text, uid):
    assert [h.id for h in find(G, text)] == [uid]


def test_people_s_committee_by_name_and_abbreviation(G):
    want = ["body:province:33:ubnd", "body:province:33@2025-07-01:ubnd"]
    for text in ("Ủy ban nhân dân tỉnh Hưng Yên", "UBND tỉnh Hưng Yên", "ubnd tinh hung yen"):
        assert [h.id for h in find(G, text)] == want
    assert resolve(G, "UBND tỉnh Hưng Yên", on=AFTER) == want[1]


def test_a_role_without_its_territory_lists_every_body_of_that_role(G):
    hits = find(G, "ban to chuc tinh uy", kind=Kind.PARTY_BODY, on=AFTER)
    assert len(hits) == 28  # the 28 tỉnh; the 6 thành phố have a Ban Tổ chức Thành ủy
    assert all(h.name.startswith("Ban Tổ chức Tỉnh ủy ") for h in hits)
    assert len(find(G, "Ban Tổ chức Thành ủy", on=AFTER)) == 6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_generated_body_is_found_by_its_name_with_or_without_diacritics(G, data):
    bodies = data.draw(st.sampled_from(_SAMPLE))
    name = G.nodes[bodies][Attr.NAME]
    spelling = data.draw(st.sampled_from([name, fold(name), name.upper(), fold(name).upper()]))
    assert bodies in {h.id for h in find(G, spelling)}


_SAMPLE = sorted(random.Random(9).sample(sorted(n for n in load_full() if str(n).startswith("body:")), 400))


# ------------------------------------------------------------------ the core queries


def test_a_provincial_department_follows_the_march_merger_then_the_fusion(G):
    s = successors(G, "Sở Kế hoạch và Đầu tư tỉnh Thái Bình", on=AFTER)
    assert [x.unit.name for x in s.units] == ["Sở Tài chính tỉnh Hưng Yên"]
    first, second = s.units[0].path
    assert G.nodes[first.to_unit][Attr.NAME] == "Sở Tài chính tỉnh Thái Bình"
    march = ("integration", date(2025, 3, 1), "45/2025/NĐ-CP", False)
    assert (first.type, first.date, first.basis, first.derived) == march
    assert (second.type, second.date, second.basis, second.derived) == ("fusion", AFTER, "202/2025/QH15", True)


def test_a_party_body_follows_its_province_with_the_basis_and_marked_modelled(G):
    s = successors(G, "Ban Tổ chức Tỉnh ủy Thái Bình", on=AFTER)
    assert [x.unit.name for x in s.units] == ["Ban Tổ chức Tỉnh ủy Hưng Yên"]
    (hop,) = s.units[0].path
    assert hop.derived and hop.basis == "202/2025/QH15" and "(modelled)" in hop.label()


def test_predecessors_and_lineage_of_bodies(G):
    p = predecessors(G, "body:province:33@2025-07-01:ubnd")
    assert sorted(x.unit.name for x in p.units) == ["Ủy ban nhân dân tỉnh Hưng Yên", "Ủy ban nhân dân tỉnh Thái Bình"]
    lin = lineage(G, "Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình")
    assert [d.name for d in lin.descendants] == ["Đảng ủy xã Hưng Hà"]
    assert lin.unit.parents[0].startswith("Xã Minh Khai, Huyện Hưng Hà, Tỉnh Thái Bình")
    assert lineage(G, "Tỉnh ủy Hà Giang").descendants[0].name == "Tỉnh ủy Tuyên Quang"


def test_territorial_answers_are_the_same_from_the_full_graph(G):
    N = load_national()
    for text in ("Xã Minh Khai, Hưng Hà, Thái Bình", "P. Dien Bien, Q. Ba Dinh", "province:33@2025-07-01", "12658"):
        assert successors(N, text, on=AFTER) == successors(G, text, on=AFTER)
        assert lineage(N, text) == lineage(G, text)
        assert find(N, text) == find(G, text)


# ------------------------------------------------------------------ snapshot and diff


def test_snapshot_counts_territories_as_before_and_bodies_apart(G):
    for on in (BEFORE, AFTER):
        full, national = snapshot(G, on=on), snapshot(load_national(), on=on)
        assert (full.by_kind, full.by_type) == (national.by_kind, national.by_type)
        assert national.bodies == {}
    s = snapshot(G, on=AFTER, kind="party_committee")
    assert s.by_kind == {} and s.bodies_by_level["party_committee"]["commune"] == 3321
    assert s.bodies_by_level["party_committee"]["province"] == 34 * 5  # the committee and the four under it
    assert snapshot(G, on=BEFORE).bodies_by_level["party_committee"]["district"] == 696


def test_diff_keeps_the_territorial_counts_and_adds_the_bodies(G):
    full, national = diff(G, BEFORE, AFTER), diff(load_national(), BEFORE, AFTER)
    assert (full.ended, full.began, full.events) == (national.ended, national.began, national.events)
    assert full.bodies_ended["party_committee"] > 10_000 and full.body_events["fusion"] > 3_000
    assert national.body_events == {}


# ------------------------------------------------------------------ generic assignees, offices


def _levels(G, plan: str, on: date) -> dict[str, int]:
    for t in tasks(G, plan=plan, on=on):
        for h in t.lead + t.coordinators:
            if h.generic == "all_levels_party_committees":
                assert len(h.holders) == sum(h.levels.values())
                assert f"{len(h.holders):,} unit(s)" in h.note
                return h.levels
    raise AssertionError("no task of the plan names all party committees")


def test_all_level_party_committees_say_how_many_at_each_level(G):
    assert _levels(G, "47-KH/BCĐ", AFTER) == {
        "provincial committee": 34,
        "under the provincial committee": 136,
        "commune": 3321,
    }
    assert _levels(G, "47-KH/BCĐ", BEFORE) == {
        "provincial committee": 63,
        "under the provincial committee": 252,
        "district": 696,
        "commune": 10035,
    }
    hung_yen = {"provincial committee": 1, "under the provincial committee": 4, "commune": 104}
    assert _levels(G, "?-KH/TU", AFTER) == hung_yen


def test_every_new_commune_has_the_three_offices(G):
    communes = [n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.COMMUNE and a[Attr.VALID_TO] is None]
    assert len(communes) == 3321
    for c in communes:
        t = G.nodes[c][Attr.TYPE]
        urban = t == UnitType.PHUONG or G.nodes[c][Attr.NAME] == "Đặc khu Phú Quốc"
        economy = "phong-kinh-te-ha-tang-do-thi" if urban else "phong-kinh-te"
        for slug in ("van-phong-hdnd-ubnd", economy, "phong-van-hoa-xa-hoi"):
            a = G.nodes[f"body:{c}:{slug}"]
            # from 1 July 2025, or from the day the commune took its present type (2026's
            # xã that became phường get the urban office then)
            begun = max(AFTER, G.nodes[c][Attr.VALID_FROM] or AFTER)
            assert a[Attr.VALID_FROM] == begun and a[Attr.KIND] == Kind.AGENCY
            assert "bodies:nd150_2025" in a[Attr.SOURCES]
    assert G.graph["sources"]["bodies:nd150_2025"]["ref"] == "150/2025/NĐ-CP"
    urban = _bodies(G, ":phong-kinh-te-ha-tang-do-thi")
    # 687 phường and Phú Quốc from 1 July 2025; the 22 xã that became phường in 2026 after
    assert sum(G.nodes[b][Attr.VALID_FROM] == AFTER for b in urban) == 688
    assert len(urban) == 688 + 22


# ------------------------------------------------------------------ which graph answers


def test_only_a_name_that_may_be_a_body_loads_the_bodies():
    assert may_name_body("Ban Tổ chức Tỉnh ủy Thái Bình") and may_name_body("body:province:34:ban-to-chuc")
    assert may_name_body("ubnd tinh hung yen")
    for territory in ("Xã Minh Khai, Hưng Hà, Thái Bình", "Hưng Yên", "12658", "commune:12658", "TP. Ho Chi Minh"):
        assert not may_name_body(territory)
    assert load_graph(names=["Xã Minh Khai"]) is load_national()
    assert load_graph(names=["Tỉnh ủy Hà Giang"]) is load_full()


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["successors", "Ban Tổ chức Tỉnh ủy Thái Bình", "--on", "2025-07-01"], "Ban Tổ chức Tỉnh ủy Hưng Yên"),
        (["successors", "Sở Kế hoạch và Đầu tư tỉnh Thái Bình", "--on", "2025-07-01"], "Sở Tài chính tỉnh Hưng Yên"),
        (["lineage", "Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình"], "Đảng ủy xã Hưng Hà"),
        (["lineage", "body:province:34:ban-to-chuc"], "Ban Tổ chức Tỉnh ủy Hưng Yên"),
        (["find", "ban to chuc tinh uy", "--kind", "party_body", "--on", "2025-07-01"], "Ban Tổ chức Tỉnh ủy Hưng Yên"),
        (["snapshot", "--on", "2025-07-01", "--kind", "party_committee"], "commune 3,321"),
        (["diff", "2025-06-30", "2025-07-01"], "bodies ended:"),
    ],
)
def test_commands_take_bodies(capsys, args, expect):
    assert main(args) == 0
    assert expect in capsys.readouterr().out


def test_viz_unit_draws_a_body_s_lineage(tmp_path, capsys):
    out = tmp_path / "btc.html"
    assert main(["viz", "unit", "Ban Tổ chức Tỉnh ủy Thái Bình", "-o", str(out)]) == 0
    assert "3 nodes, 2 edges" in capsys.readouterr().out
    assert "Ban Tổ chức Tỉnh ủy Hưng Yên" in out.read_text(encoding="utf-8")
