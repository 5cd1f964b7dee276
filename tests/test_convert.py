"""Converting old addresses and codes, one at a time and in bulk."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from orgraph import DataError, convert, convert_csv


def test_convert_by_names(G):
    c = convert(G, province="Thái Bình", district="Hưng Hà", commune="Minh Khai", on=date(2025, 7, 1))
    assert (c.status, c.new_commune, c.new_province) == ("ok", "Xã Hưng Hà", "Tỉnh Hưng Yên")
    assert c.old_district == "Huyện Hưng Hà" and c.legal_basis == "1666/NQ-UBTVQH15"


def test_convert_without_diacritics_and_with_prefixes(G):
    c = convert(G, province="tinh thai binh", district="H. Hung Ha", commune="xa minh khai")
    assert c.new_commune == "Xã Hưng Hà"


def test_convert_by_code_agrees_with_names(G):
    by_name = convert(G, province="Thái Bình", district="Hưng Hà", commune="Minh Khai")
    by_code = convert(G, code=by_name.old_commune_code)
    assert by_code.new_commune_code == by_name.new_commune_code


def test_convert_split_commune_gives_default_and_lists_candidates(G):
    c = convert(G, province="Hà Nội", district="Ba Đình", commune="Điện Biên")
    assert c.status == "split_default" and c.new_commune == "Phường Ba Đình"
    assert c.candidates.count(";") >= 1 and "(default)" in c.candidates


def test_convert_unmatched_and_ambiguous_are_flagged(G):
    assert convert(G, province="Thái Bình", commune="Không Có Xã Này").status == "unmatched"
    amb = convert(G, commune="Minh Khai")
    assert amb.status == "ambiguous" and amb.candidates.count("id commune:") >= 8


def test_convert_unchanged_commune(G):
    # communes not rearranged in 2025 go on as the same unit under their new province
    unchanged = [
        n
        for n, a in G.nodes(data=True)
        if a.get("kind") == "commune" and a.get("valid_from") is None and a.get("valid_to") is None
    ]
    assert len(unchanged) > 100
    c = convert(G, code=G.nodes[unchanged[0]]["code"])
    assert c.status == "unchanged" and c.new_commune_code == G.nodes[unchanged[0]]["code"]


def _old_communes(G):
    return sorted(
        (a["code"], n) for n, a in G.nodes(data=True) if a.get("kind") == "commune" and a.get("valid_from") is None
    )


def test_bulk_csv_keeps_every_row_in_order_and_agrees_with_single(G, tmp_path):
    olds = _old_communes(G)[:400]
    src = tmp_path / "old.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "code"])
        for i, (code, _) in enumerate(olds * 3):
            w.writerow([i, code])
        w.writerow([99999, "99999"])  # no such code
    dst = tmp_path / "new.csv"
    counts = convert_csv(G, src, dst)
    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert len(rows) == len(olds) * 3 + 1 == sum(counts.values())
    assert [r["id"] for r in rows] == [str(i) for i in range(len(olds) * 3)] + ["99999"]
    assert rows[-1]["status"] == "unmatched"
    for r in rows[:40]:
        single = convert(G, code=r["code"])
        assert r["new_commune_code"] == single.new_commune_code and r["status"] == single.status


def test_bulk_csv_by_names(G, tmp_path):
    src = tmp_path / "names.csv"
    src.write_text(
        "tinh;huyen;xa\nThái Bình;Hưng Hà;Minh Khai\nHa Noi;Ba Dinh;Dien Bien\n;;\nXyz;Abc;Def\n",
        encoding="utf-8",
    )
    dst = tmp_path / "out.csv"
    convert_csv(G, src, dst)
    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["ok", "split_default", "unmatched", "unmatched"]


def test_bulk_csv_bad_input_names_file_and_row_and_writes_nothing(G, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("code,x\n12658,a\n12586,b,extra\n", encoding="utf-8")
    dst = tmp_path / "out.csv"
    with pytest.raises(DataError) as e:
        convert_csv(G, src, dst)
    assert "bad.csv" in str(e.value) and "row 3" in str(e.value)
    assert not dst.exists() and list(tmp_path.iterdir()) == [src]


def test_bulk_csv_without_usable_columns(G, tmp_path):
    src = tmp_path / "cols.csv"
    src.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs an 'address' column, a 'commune' column"):
        convert_csv(G, src, tmp_path / "o.csv")


@pytest.mark.parametrize(
    ("on", "commune", "province"),
    [
        (date(2026, 9, 19), "Xã Bố Hạ", "Tỉnh Bắc Ninh"),
        (date(2026, 9, 20), "Phường Bố Hạ", "Thành phố Bắc Ninh"),  # 388/NQ-UBTVQH16, 39/2026/QH16
    ],
)
def test_convert_gives_the_type_on_the_date_asked(G, on, commune, province):
    for old in ({"province": "Bắc Giang", "district": "Yên Thế", "commune": "Bố Hạ"}, {"code": "07294"}):
        c = convert(G, on=on, **old)
        assert (c.status, c.new_commune, c.new_province) == ("ok", commune, province), old


def test_bulk_progress_counts_the_bytes_read_up_to_the_file_size(tmp_path):
    """The progress bar is over the bytes of the input: the steps reported add up to its size."""
    from orgraph import load_national
    from orgraph.queries.convert import convert_csv

    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    lines = ["province,district,commune"] + ["Thái Bình,Hưng Hà,Minh Khai", "Hà Nội,Ba Đình,Điện Biên"] * 15_000
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    steps: list[int] = []
    counts = convert_csv(load_national(), src, dst, progress=steps.append)
    assert sum(counts.values()) == 30_000
    assert sum(steps) == src.stat().st_size and all(s >= 0 for s in steps) and len(steps) > 2
