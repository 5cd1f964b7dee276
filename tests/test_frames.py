"""pandas frames: each equals what the CSV path writes for the same input."""

from __future__ import annotations

import csv
import random
from datetime import date

import pytest
from orgraph.frames import convert_frame, crosswalk_frame, snapshot_frame, tasks_frame
from orgraph.graph.errors import DataError
from orgraph.graph.model import Attr, Kind
from orgraph.graph.names import fold
from orgraph.queries import convert_csv, snapshot, write_crosswalk

pd = pytest.importorskip("pandas")


def _old_communes(G, n: int, seed: int) -> list[tuple[str, str, str, str]]:
    """(province, district, commune, code) of n old communes picked at random, with the
    names spelt as records hold them: full, short, without diacritics, upper case."""
    rng = random.Random(seed)
    rows = []
    old = sorted(
        u
        for u, a in G.nodes(data=True)
        if a.get(Attr.KIND) == Kind.COMMUNE and (a.get(Attr.VALID_TO) or date.max) <= date(2025, 7, 1)
    )
    for u in rng.sample(old, n):
        a = G.nodes[u]
        d = next(p for _, p, e in G.out_edges(u, data=True) if e.get("kind") == "PART_OF")
        p = next((q for _, q, e in G.out_edges(d, data=True) if e.get("kind") == "PART_OF"), d)
        names = [G.nodes[x][rng.choice([Attr.NAME, Attr.SHORT])] for x in (p, d, u)]
        style = rng.choice([str, fold, str.upper])
        rows.append((*(style(x) for x in names), a.get(Attr.CODE) or ""))
    return rows


@pytest.fixture(scope="module")
def sample(G):
    rows = _old_communes(G, 400, seed=7)
    rows += [("Hà Nội", "Ba Đình", "Không Có Xã Này", ""), ("", "", "", ""), ("Thái Bình", "Hưng Hà", "Minh Khai", "")]
    return rows


def _via_csv(G, tmp_path, header, rows):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    convert_csv(G, src, dst, on=date(2025, 7, 1))
    with dst.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_convert_frame_by_names_equals_the_csv_output(G, sample, tmp_path):
    df = pd.DataFrame(sample, columns=["tinh", "huyen", "xa", "ma"]).drop(columns="ma")
    df.insert(0, "customer", range(len(df)))
    out = convert_frame(df, province="tinh", district="huyen", commune="xa", G=G, on=date(2025, 7, 1))
    csv_rows = _via_csv(G, tmp_path, list(df.columns), df.astype(str).values.tolist())
    assert list(out.columns) == csv_rows[0]
    assert out.astype(str).values.tolist() == csv_rows[1:]
    assert list(out["customer"]) == list(range(len(df)))  # order and the user's columns kept
    assert set(out["status"]) >= {"ok", "unmatched"}


def test_convert_frame_by_code_equals_the_csv_output(G, sample, tmp_path):
    df = pd.DataFrame({"code": [r[3] for r in sample]})
    out = convert_frame(df, code="code", G=G, on=date(2025, 7, 1))
    csv_rows = _via_csv(G, tmp_path, ["code"], [[r[3]] for r in sample])
    assert out.astype(str).values.tolist() == csv_rows[1:]


def test_convert_frame_by_free_text_equals_the_csv_output(G, sample, tmp_path):
    rng = random.Random(3)
    seps = [", ", " - ", " "]
    texts = [
        rng.choice(seps).join(x for x in (f"số {i} đường Lê Lợi", r[2], r[1], r[0]) if x) for i, r in enumerate(sample)
    ]
    df = pd.DataFrame({"dia_chi": texts, "id": range(len(texts))})
    out = convert_frame(df, address="dia_chi", G=G, on=date(2025, 7, 1))
    csv_rows = _via_csv(G, tmp_path, ["dia_chi", "id"], df.astype(str).values.tolist())
    assert list(out.columns) == csv_rows[0]
    assert out.astype(str).values.tolist() == csv_rows[1:]
    assert list(out.columns[-2:]) == ["street", "new_address"]
    assert (out["status"] == "ok").sum() > len(df) // 2


def test_convert_frame_names_a_missing_column_in_one_line(G):
    df = pd.DataFrame({"tinh": ["Thái Bình"]})
    with pytest.raises(DataError) as e:
        convert_frame(df, province="tinh", commune="xa", G=G)
    assert "xa" in str(e.value) and "\n" not in str(e.value)


def test_crosswalk_frame_equals_the_crosswalk_csv(G, tmp_path):
    path = tmp_path / "cw.csv"
    write_crosswalk(G, path)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    df = crosswalk_frame(G=G)
    assert list(df.columns) == rows[0]
    assert df.values.tolist() == rows[1:]


@pytest.mark.parametrize("on", [date(2025, 6, 30), date(2025, 7, 1)])
def test_snapshot_frame_counts_match_the_snapshot(G, on):
    df = snapshot_frame(on=on, G=G)
    assert df["kind"].value_counts().to_dict() == snapshot(G, on=on).by_kind
    assert df["id"].is_unique


def test_tasks_frame_has_a_row_per_task():
    from orgraph.loaders.plans import load_full
    from orgraph.queries.tasks import tasks

    H = load_full()
    on = date(2025, 7, 1)
    df = tasks_frame(on=on, G=H)
    want = tasks(H, on=on)
    assert list(df["id"]) == [t.id for t in want]
    assert list(df["status"]) == [t.status for t in want]
