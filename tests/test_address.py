"""Free-text old addresses and names resolved the way a user means them (issue 8).

Every address here is built from the official names of the national data, in many
spellings (full, abbreviated, without diacritics, without commas, in capitals, with aliases
and typos); nothing is a hand-picked list of answers."""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgraph.cli import app, main
from orgraph.graph.build import in_events, parent_on
from orgraph.graph.errors import AmbiguousUnitError, UnknownUnitError
from orgraph.graph.model import Attr, Kind
from orgraph.queries import convert, convert_csv, find, predecessors, successors
from orgraph.queries.address import parse_address
from orgraph.queries.find import resolve_unit
from typer.testing import CliRunner

OLD = date(2025, 6, 30)
NEW = date(2025, 7, 1)
ABBR = {
    "Thành phố": "TP.",
    "Thị trấn": "TT.",
    "Thị xã": "TX.",
    "Phường": "P.",
    "Quận": "Q.",
    "Huyện": "H.",
    "Tỉnh": "T.",
    "Xã": "X.",
}
# what people write for these provinces (old full name -> aliases)
ALIASES = {
    "Thành phố Hồ Chí Minh": ["TP.HCM", "TPHCM", "HCM", "Tp. HCM", "Sài Gòn"],
    "Thành phố Hà Nội": ["HN", "TP. Hà Nội"],
    "Thành phố Hải Phòng": ["HP"],
    "Tỉnh Bà Rịa - Vũng Tàu": ["BR-VT", "BRVT"],
    "Thành phố Huế": ["TT Huế", "Thừa Thiên Huế"],
}
STREET_WORDS = ["thôn", "ấp", "tổ", "khu phố", "xóm", "tổ dân phố", "số", "ngõ"]


def strip(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def abbr(name: str) -> str:
    for full, a in ABBR.items():
        if name.startswith(full + " "):
            return a + name[len(full) :]
    return name


def glued(name: str) -> str:
    """ "Phường 12" -> "P12", "Quận 1" -> "Q1": how numbered wards and districts are written."""
    for full, a in (("Phường ", "P"), ("Quận ", "Q")):
        if name.startswith(full) and name[len(full) :].isdigit():
            return a + name[len(full) :]
    return abbr(name)


@pytest.fixture(scope="module")
def old_communes(G):
    """(id, commune, district, province) of every old commune, with its names on 30 June 2025;
    and the communes whose name is not unique in their district (those must be ambiguous)."""
    rows = []
    for n, a in G.nodes(data=True):
        if a.get(Attr.KIND) != Kind.COMMUNE or a.get(Attr.VALID_FROM) is not None:
            continue
        d = parent_on(G, n, OLD)
        p = parent_on(G, d, OLD) if d else None
        if d is None or p is None:
            continue
        rows.append((n, a[Attr.NAME], G.nodes[d][Attr.NAME], G.nodes[p][Attr.NAME]))
    assert len(rows) == 10_035
    dup = Counter((G.nodes[n][Attr.KEY], d, p) for n, _, d, p in rows)
    return [r for r in rows if dup[(G.nodes[r[0]][Attr.KEY], r[2], r[3])] == 1]


@pytest.fixture(scope="module")
def sample(old_communes):
    return random.Random(8).sample(old_communes, 400)


def street_for(rng: random.Random, names: list[str]) -> str:
    """A made-up leading part: a number, a hamlet word or a street named after some unit."""
    return f"{rng.randint(1, 300)} {rng.choice(STREET_WORDS)} {rng.choice(names)}".strip()


SPELLINGS = {
    "full names, commas": lambda c, d, p: f"{c}, {d}, {p}",
    "abbreviations": lambda c, d, p: f"{abbr(c)}, {abbr(d)}, {abbr(p)}",
    "glued numbers, no dots": lambda c, d, p: f"{glued(c).replace('.', '')} {glued(d).replace('.', '')} {abbr(p)}",
    "no diacritics, lower case, no commas": lambda c, d, p: strip(f"{c} {d} {p}").lower(),
    "capitals, dashes, Việt Nam": lambda c, d, p: f"{c} - {d} - {p} - Việt Nam".upper(),
    "no type of province": lambda c, d, p: f"{c}, {d}, {p.split(' ', 1)[1] if p.startswith('Tỉnh') else p}",
}


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_every_spelling_family_reads_the_old_commune(G, sample, spelling):
    make = SPELLINGS[spelling]
    wrong = []
    for uid, c, d, p in sample:
        got = parse_address(G, make(c, d, p))
        if got.commune != (uid,) or got.street:
            wrong.append((make(c, d, p), got.commune, got.street))
    assert not wrong, f"{len(wrong)} of {len(sample)} misread, e.g. {wrong[:3]}"


def test_street_is_kept_as_written_and_new_address_built(G, sample):
    rng = random.Random(88)
    names = [c.split(" ", 1)[1] for _, c, _, _ in sample]
    for uid, c, d, p in sample[:200]:
        street = street_for(rng, names)
        for text in (f"{street}, {c}, {d}, {p}", f"{street} {abbr(c)} {abbr(d)} {abbr(p)}"):
            conv = convert(G, address=text, on=NEW)
            assert conv.old_commune_code == G.nodes[uid][Attr.CODE], text
            assert conv.street == street, text
            if conv.new_commune:
                assert conv.new_address == f"{street}, {conv.new_commune}, {conv.new_province}"


def test_free_text_answers_as_the_structured_conversion(G, sample):
    for _uid, c, d, p in sample[:150]:
        by_text = convert(G, address=f"{abbr(c)}, {abbr(d)}, {abbr(p)}", on=NEW).to_dict()
        by_parts = convert(G, commune=c, district=d, province=p, on=NEW).to_dict()
        for k in ("street", "new_address"):
            by_text.pop(k), by_parts.pop(k)
        assert by_text == by_parts, c


@pytest.mark.parametrize("province", list(ALIASES))
def test_province_aliases(G, old_communes, province):
    mine = [r for r in old_communes if r[3] == province]
    assert mine, province
    for uid, c, d, _ in random.Random(province).sample(mine, min(15, len(mine))):
        for alias in ALIASES[province]:
            text = f"{abbr(c)}, {abbr(d)}, {alias}"
            assert parse_address(G, text).commune == (uid,), text


def test_typos_in_a_commune_name_are_read_and_said(G, sample):
    """One letter dropped from a long commune name: read as the commune and said so, or
    honestly left unmatched or ambiguous, never silently another commune."""
    tried = right = 0
    for uid, c, d, p in sample:
        name = c.split(" ", 1)[1]
        if len(name) < 9 or name[4] == " ":
            continue
        tried += 1
        typo = name[:4] + name[5:]
        conv = convert(G, address=f"{c.split(' ', 1)[0]} {typo}, {d}, {p}", on=NEW)
        if conv.old_commune_code == G.nodes[uid][Attr.CODE]:
            right += 1
            assert "read" in conv.note and "as" in conv.note
        else:
            assert conv.status in ("unmatched", "ambiguous") or "read" in conv.note
    assert tried > 100 and right / tried > 0.9, (right, tried)


def test_position_decides_between_a_province_and_a_ward_of_one_name(G):
    """A name of a province and of communes: last in the address it is the province."""
    provinces = {a[Attr.KEY]: n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.PROVINCE}
    shared = [
        (n, a)
        for n, a in G.nodes(data=True)
        if a.get(Attr.KIND) == Kind.COMMUNE and a.get(Attr.VALID_FROM) is None and a[Attr.KEY] in provinces
    ]
    assert len(shared) > 10
    for n, a in shared:
        d = parent_on(G, n, OLD)
        p = parent_on(G, d, OLD)
        short = a[Attr.SHORT]
        got = parse_address(G, f"{a[Attr.NAME]}, {G.nodes[d][Attr.NAME]}, {G.nodes[p][Attr.NAME]}")
        assert got.commune == (n,)
        last = parse_address(G, short)
        assert last.province and not last.commune, short
        assert all(G.nodes[u][Attr.KEY] == a[Attr.KEY] for u in last.province)


def test_split_commune_gives_the_default_with_every_candidate(G):
    splits = [
        (n, a)
        for n, a in G.nodes(data=True)
        if a.get(Attr.KIND) == Kind.COMMUNE
        and a.get(Attr.VALID_TO) == NEW
        and convert(G, code=a[Attr.CODE], on=NEW).status == "split_default"
    ][:40]
    assert splits
    for n, a in splits:
        d = parent_on(G, n, OLD)
        p = parent_on(G, d, OLD)
        c = convert(
            G,
            address=f"5 Lý Thường Kiệt, {abbr(a[Attr.NAME])}, {abbr(G.nodes[d][Attr.NAME])}, {G.nodes[p][Attr.NAME]}",
            on=NEW,
        )
        assert c.status == "split_default" and "(default)" in c.candidates and c.candidates.count(";") >= 1
        assert c.new_address.startswith("5 Lý Thường Kiệt, ")


def test_ambiguous_and_unmatched_addresses(G):
    amb = convert(G, address="Xã Minh Khai", on=NEW)
    old = [h for h in find(G, "Xã Minh Khai", on=OLD)]
    assert amb.status == "ambiguous" and amb.candidates.count("(id commune:") == len(old) > 2
    assert "Huyện Hưng Hà, Tỉnh Thái Bình" in amb.candidates  # with district and province
    none = convert(G, address="Quận 1, TP.HCM", on=NEW)
    assert none.status == "unmatched" and "did you mean" in none.note and "Quận 1" in none.note
    junk = convert(G, address="zzzz qqqq", on=NEW)
    assert junk.status == "unmatched"


# ------------------------------------------------------------------ names by direction


def _new_provinces(G):
    return [n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.PROVINCE and a.get(Attr.VALID_FROM) == NEW]


def test_every_new_province_by_name_in_both_directions(G):
    news = _new_provinces(G)
    assert len(news) == 23
    for n in news:
        name = G.nodes[n][Attr.NAME]
        for spelling in (name, strip(name).lower(), abbr(name)):
            p = predecessors(G, spelling)
            assert p.unit.id == n and p.status == "preceded" and len(p.units) >= 2, spelling
            assert p.alternatives and all(a.id != n for a in p.alternatives)
            s = successors(G, spelling)
            assert s.unit.id != n and s.unit.valid_to == NEW and s.status == "succeeded", spelling
            assert n in {a.id for a in s.alternatives}


def _hung_yen_new_communes(G):
    hy = resolve_unit(G, "Tỉnh Hưng Yên", direction="predecessors").id
    return [
        n
        for n, a in G.nodes(data=True)
        if a.get(Attr.KIND) == Kind.COMMUNE and parent_on(G, n, NEW) == hy and in_events(G, n)
    ]


def test_every_hung_yen_commune_by_name_answers_by_direction(G):
    communes = _hung_yen_new_communes(G)
    assert len(communes) >= 90
    both = 0
    for n in communes:
        a = G.nodes[n]
        text = f"{a[Attr.NAME]}, Hưng Yên"
        p = predecessors(G, text)
        assert p.unit.id == n and p.status == "preceded", text
        hits = find(G, text)
        assert {h.id for h in hits} == {n} | {x.id for x in p.alternatives}  # nothing dropped
        if len(hits) > 1:
            both += 1
            s = successors(G, text)
            assert s.unit.id != n and s.unit.valid_to is not None, text
    assert both >= 20  # names shared by an old and a new commune


def test_a_bare_name_prefers_the_higher_level_and_lists_the_rest(G):
    """Every old province's bare name: the province, the other units of that name listed."""
    for _n, a in G.nodes(data=True):
        if a.get(Attr.KIND) != Kind.PROVINCE or a.get(Attr.VALID_FROM) is not None:
            continue
        short = a[Attr.SHORT]
        hits = find(G, short)
        try:
            s = successors(G, short)
        except AmbiguousUnitError:
            continue  # only when two provinces of that name both ended (none today)
        assert s.unit.kind == Kind.PROVINCE, short
        assert {h.id for h in hits} == {s.unit.id} | {x.id for x in s.alternatives}


def test_kind_narrows_and_real_ties_still_fail(G):
    assert successors(G, "Hà Giang", kind="district").unit.id == "district:024"
    with pytest.raises(AmbiguousUnitError) as e:
        successors(G, "Hà Giang", kind="commune")
    assert len(e.value.candidates) == 2
    with pytest.raises(AmbiguousUnitError):
        successors(G, "Minh Khai")


def test_typos_in_names_resolve_to_the_one_unit_and_say_so(G):
    for n in _new_provinces(G):
        name = G.nodes[n][Attr.SHORT]
        if len(name) < 6:
            continue
        typo = name[:-2] + name[-1]  # one letter dropped
        try:
            r = resolve_unit(G, f"Tỉnh {typo}", direction="predecessors")
        except (UnknownUnitError, AmbiguousUnitError):
            continue
        assert r.id == n and "read as" in r.note, typo


def test_suggestions_are_near_the_name(G):
    with pytest.raises(UnknownUnitError) as e:
        resolve_unit(G, "TP. Hồ Chí Mnh Xyz")
    assert any("Hồ Chí Minh" in s for s in e.value.suggestions)


# ------------------------------------------------------------------ bulk and command line


@pytest.mark.parametrize("header", ["address", "Địa chỉ", "DIA_CHI"])
def test_bulk_address_column_keeps_every_row_and_column(G, sample, tmp_path, header):
    rng = random.Random(header)
    rows = [
        [str(i), f"{rng.randint(1, 99)} Trần Phú, {abbr(c)}, {abbr(d)}, {abbr(p)}"]
        for i, (_, c, d, p) in enumerate(sample[:60])
    ]
    rows.insert(10, ["bad1", ""])
    rows.insert(20, ["bad2", "không có địa chỉ nào ở đây"])
    rows.insert(30, ["bad3", "Xã Minh Khai"])
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", header], *rows])
    counts = convert_csv(G, src, dst, on=NEW)
    with dst.open(encoding="utf-8", newline="") as f:
        out = list(csv.reader(f))
    assert out[0][:2] == ["id", header] and out[0][-2:] == ["street", "new_address"]
    assert [r[:2] for r in out[1:]] == rows  # every row, in order, as it was
    by_id = {r[0]: dict(zip(out[0], r, strict=True)) for r in out[1:]}
    assert by_id["bad1"]["status"] == "unmatched" and by_id["bad2"]["status"] == "unmatched"
    assert by_id["bad3"]["status"] == "ambiguous"
    assert sum(counts.values()) == len(rows)
    assert all(by_id[str(i)]["street"].endswith("Trần Phú") for i in range(60))


def test_convert_address_command():
    runner = CliRunner()
    r = runner.invoke(app, ["convert", "--address", "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM"])
    assert r.exit_code == 0 and "new address: 123 Nguyễn Trãi, Phường Bến Thành" in r.output
    j = json.loads(
        runner.invoke(app, ["convert", "-a", "thon 3 xa minh khai huyen hung ha thai binh", "--json"]).output
    )
    assert (j["street"], j["new_commune"], j["new_province"]) == ("thon 3", "Xã Hưng Hà", "Tỉnh Hưng Yên")
    assert runner.invoke(app, ["convert", "-a", "Xã Minh Khai"]).exit_code == 4
    assert runner.invoke(app, ["convert", "-a", "zzzz"]).exit_code == 3


def test_direction_and_alternatives_on_the_command_line():
    runner = CliRunner()
    r = runner.invoke(app, ["predecessors", "Tỉnh Tuyên Quang"])
    assert r.exit_code == 0 and "Tỉnh Hà Giang" in r.output and "also matches" in r.output
    j = json.loads(runner.invoke(app, ["successors", "Hà Giang", "--json"]).output)
    assert j["unit"]["id"] == "province:02"
    assert {"district:024"} <= {a["id"] for a in j["alternatives"]}


ADDRESS_TEXT = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãớờợ0123456789 ,.-;/PQXHTF")), max_size=60
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ADDRESS_TEXT)
def test_parse_address_never_fails(G, text):
    got = parse_address(G, text)
    assert isinstance(got.street, str)
    for level in (got.commune, got.district, got.province):
        assert all(u in G for u in level)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ADDRESS_TEXT | st.sampled_from(["P.12, Q. Gò Vấp, TP HCM", "Xã Minh Khai", "", " , ,"]))
def test_convert_address_command_exits_with_a_documented_code(capsys, text):
    assert main(["convert", "--address", text]) in (0, 2, 3, 4)
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 1


def test_names_that_differ_only_by_diacritics_in_one_district(G):
    """Written with diacritics, "Phường Sa Pả" is not "Phường Sa Pa"; without them, both are
    candidates (never one picked silently)."""
    rows = []
    for n, a in G.nodes(data=True):
        if a.get(Attr.KIND) == Kind.COMMUNE and a.get(Attr.VALID_FROM) is None:
            d = parent_on(G, n, OLD)
            if d is not None:
                rows.append((n, a[Attr.NAME], d))
    by = Counter((G.nodes[n][Attr.KEY], G.nodes[n][Attr.TYPE], d) for n, _, d in rows)
    pairs = [(n, c, d) for n, c, d in rows if by[(G.nodes[n][Attr.KEY], G.nodes[n][Attr.TYPE], d)] == 2]
    assert len(pairs) >= 10
    for n, c, d in pairs:
        p = parent_on(G, d, OLD)
        where = f"{G.nodes[d][Attr.NAME]}, {G.nodes[p][Attr.NAME]}"
        if sum(1 for m, c2, d2 in pairs if d2 == d and c2 == c) > 1:
            continue  # the same name twice: nothing to tell them apart
        assert convert(G, address=f"{c}, {where}", on=NEW).old_commune_code == G.nodes[n][Attr.CODE]
        plain = convert(G, address=strip(f"{c}, {where}"), on=NEW)
        assert plain.status == "ambiguous" and f"(id {n})" in plain.candidates
