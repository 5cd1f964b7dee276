"""Cross-check every old commune's successors against VietnamProvinces' code-keyed tables,
and write the data-quality report (DATA_QUALITY.md).

VietnamProvinces is GPL: it is a test-only dependency and none of its files ship. Get it with

    pip download --no-deps --python-version 3.12 --only-binary=:all: \\
        vietnam-provinces==2026.9.0 -d .ci/vendor && unzip -qo .ci/vendor/vietnam_provinces-*.whl -d .ci/vendor/vp

then run ``python scripts/crosscheck.py --vp .ci/vendor/vp`` (``.ci/run`` does this).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "DATA_QUALITY.md"
ON = date(2025, 7, 1)


def load_vp(vp_dir: str | None):  # noqa: ANN201
    if vp_dir:
        sys.path.insert(0, vp_dir)
    return importlib.import_module("vietnam_provinces._ward_conversion_2025")


def compare(G, conv) -> tuple[int, list[dict]]:  # noqa: ANN001
    from orgraph.graph.model import Attr, Kind
    from orgraph.queries.succession import successor_ids

    vp = {e.old_ward.code: e for e in conv.OLD_TO_NEW.values()}
    vp_old_codes = {e.old_ward.code for e in conv.OLD_TO_NEW.values()}
    agree, diffs = 0, []
    olds = [
        (n, a) for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.COMMUNE and a.get(Attr.VALID_FROM) is None
    ]
    for n, a in sorted(olds, key=lambda t: t[1][Attr.CODE]):
        code = int(a[Attr.CODE])
        found = successor_ids(G, n, ON)
        mine = {int(G.nodes[u][Attr.CODE]) for u, _, _, _ in found}
        e = vp.get(code)
        theirs = {x.code for x in e.new_wards} if e else None
        if theirs == mine:
            agree += 1
            continue
        if theirs is None:
            why = (
                "VietnamProvinces has no old → new entry for this code (one of its unmapped old "
                "communes, a known defect listed in DATA.md)"
            )
        elif theirs < mine:
            why = (
                "vietnamadminunits splits the commune between more new communes than "
                "VietnamProvinces does; the extra successor(s) "
                f"{sorted(mine - theirs)} are kept as parts"
            )
        elif mine < theirs:
            why = f"VietnamProvinces names more successors ({sorted(theirs - mine)} besides) than vietnamadminunits"
        else:
            why = "the two sources give different successors (a same-name mix-up in one of them)"
        diffs.append(
            {
                "code": a[Attr.CODE],
                "name": a[Attr.NAME],
                "ours": sorted(mine),
                "vp": sorted(theirs) if theirs is not None else None,
                "why": why,
                "vp_listed": code in vp_old_codes,
            }
        )
    return agree, diffs


def _doc() -> dict:
    raw = resources.files("orgraph.data").joinpath("national.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _fixes() -> list[dict]:
    return _doc().get("fixes", [])


def _case_only_differences(G) -> list[str]:  # noqa: ANN001
    """Old communes whose name differs from the clause's text only in letter case."""
    import csv

    out = set()
    path = ROOT / "data" / "sources" / "commune_clauses_2025.csv"
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            uid, said = r["old_uid"], r["predecessor"].split(" ", 1)[-1]
            if uid in G and G.nodes[uid]["short"] != said and G.nodes[uid]["short"].lower() == said.lower():
                out.add(f"{G.nodes[uid]['short']} / {said}")
    return sorted(out)


def _clause_section() -> list[str]:
    c = _doc().get("checks", {}).get("clauses")
    if not c:
        return []
    total, agree = c["total"], c["agree"]
    lines = [
        "",
        f"## Cross-check of all {total:,} new communes against their clause",
        "",
        "Điều 1 of each commune resolution 1654–1687/NQ-UBTVQH15 was read from its text (the copy "
        "in github:dvhcvn/20250701, `input/docs/`, converted from the official gazette) by "
        "`scripts/extract_clauses.py` into `data/sources/commune_clauses_2025.csv`: one row per "
        "clause and predecessor, with whole, part or remainder as the text says and the old unit "
        "the name matches. `scripts/regenerate.py` records the clause (Điều 1 khoản N) on each new "
        "commune's event and compares each new commune's predecessors with its clause.",
        "",
        f"Agreement: **{agree:,} of {total:,} ({agree / total:.2%})** new communes have exactly the "
        "predecessors their clause names (a commune no clause names and that the package keeps "
        f"unchanged counts as agreeing). {len(c['rows'])} differ; each is listed below.",
        "",
        f"- Corrected where the text is clear: {c['added']} predecessor the package omits is added "
        "(Hà Nội khoản 107: xã Ô Diên takes part of xã Văn Khê, huyện Mê Linh); "
        f"{c.get('split_undone', 0)} old communes the text puts whole into one new commune, which the "
        "package also splits into others whose clauses (read in full) do not name them, go whole "
        "into the one (each in the corrections table below; VietnamProvinces agrees on every one).",
        f'- {c["remainders"]} inputs are stored as `remainder` ("phần còn lại … sau khi sắp xếp theo '
        'quy định tại khoản N"), where the package says part.',
        "- Not corrected: a name the converted text spells differently from the package (e.g. "
        '"Can Hồ" for Xã Kan Hồ, "phường IV" for Phường 4), words run together in the copy, land '
        'that is no commune ("Trường bắn TB1"), and whole/part where the two disagree.',
        "",
        "| new commune | resolution | clause | disagreement | names in the text not matched to one old unit |",
        "|---|---|---|---|---|",
    ]
    for uid, name, res, clause, what, unread in c["rows"]:
        lines.append(f"| {name} (`{uid}`) | {res or '—'} | {clause or '—'} | {what} | {unread or '—'} |")
    return lines


def write_report(total: int, agree: int, diffs: list[dict], path: Path = REPORT) -> None:
    from orgraph import load_national

    G = load_national()
    lines = [
        "# Data quality",
        "",
        "Generated by `python scripts/crosscheck.py --vp .ci/vendor/vp` (run by `.ci/run`); "
        "`tests/test_crosscheck.py` holds the data to it.",
        "",
        "## Sources and which one the project follows",
        "",
        "- **vietnamadminunits 1.0.4** (MIT) is the source of the embedded data: units, codes, and "
        "which old commune went (whole or in part) into which new one, with the default successor "
        "of each split commune. The project follows it, except for the corrections listed below.",
        "- **VietnamProvinces 2026.9.0** (GPL-3.0-or-later) is an independent, code-keyed "
        "cross-check used only in tests; none of its files ship.",
        "",
        f"## Cross-check of the successors of all {total:,} old communes (on {ON.isoformat()})",
        "",
        f"Agreement: **{agree:,} of {total:,} ({agree / total:.2%})**. "
        f"{len(diffs)} differ; each is listed and explained below. The project keeps the "
        "vietnamadminunits answer, except where a resolution's clause is clear (the corrections "
        "below): a split is recorded with every part it names, so a conversion never drops a "
        "possible successor, and the default successor stays marked.",
        "",
        "| old code | old commune | orgraph (vietnamadminunits) | VietnamProvinces | why |",
        "|---|---|---|---|---|",
    ]
    for d in diffs:
        vp = ", ".join(f"{c:05d}" for c in d["vp"]) if d["vp"] is not None else "—"
        ours = ", ".join(f"{c:05d}" for c in d["ours"])
        lines.append(f"| {d['code']} | {d['name']} | {ours} | {vp} | {d['why']} |")
    lines += _clause_section()
    fixes = _fixes()
    case = _case_only_differences(G)
    lines += [
        "",
        "## Corrections the project makes to vietnamadminunits",
        "",
        "Made by `scripts/regenerate.py` and stored in the dataset's `fixes` table.",
        "",
        "| unit | field | package says | project uses | why |",
        "|---|---|---|---|---|",
    ]
    for f in fixes:
        name = G.nodes[f["unit"]]["name"] if f["unit"] in G else f["unit"]
        lines.append(f"| {name} (`{f['unit']}`) | {f['field']} | {f['package']} | {f['used']} | {f['why']} |")
    lines += [
        "",
        "## Other known limits",
        "",
        "- Commune areas in vietnamadminunits are noisy (new Hưng Yên sums to about 3,661 km², the "
        "resolution says 2,514.81 km²); orgraph ships no commune areas. Province areas and "
        "populations come from Resolution 202/2025/QH15 as quoted by public sources "
        "(`data/sources/resolution_202_2025_qh15.csv`), and are left empty where no source quoting "
        "it was found.",
        "- The 11 province figures missing from the quoted sources were added from Resolution "
        "202/2025/QH15 as published on the government's portal (\"Chi tiết 34 đơn vị hành chính "
        'cấp tỉnh…"), as transcribed in issue 10; the page itself was not retrieved.',
        "- Horizon: districts and communes are complete only from 2025-03-01 (the last earlier change, "
        "1365/NQ-UBTVQH15), provinces from 2021-11-01. Earlier dates are refused, not answered with "
        "the 2025 picture. The 2023–2025 wave is not modelled as events.",
        "- Names from before 2025 (the package's 1,234 alias keys) have no diacritics and no spaces: "
        "they are kept as the package writes them (e.g. `nguyentrungtruc`), as former names of the "
        "unit that absorbed them, and found with or without diacritics and spaces.",
        f"- {len(case)} old commune names differ from the clause's text only in the case of a letter "
        "inside a word (package / text: " + "; ".join(case[:6]) + " …); both forms are in use, and the "
        "package's is kept. Names the package spells with a lower-case word start or without the "
        "text's hyphen are corrected (table above).",
        "- Province clauses of 202/2025/QH15 are recorded only where a source quoting the clause was "
        "found (Tuyên Quang, Lào Cai, Thái Nguyên, Hưng Yên, Lâm Đồng): no copy of the full text was "
        "found.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vp", help="folder holding the unpacked vietnam_provinces package")
    args = ap.parse_args()
    from orgraph import load_national

    G = load_national()
    agree, diffs = compare(G, load_vp(args.vp))
    total = agree + len(diffs)
    write_report(total, agree, diffs)
    print(f"{agree}/{total} agree ({agree / total:.3%}); {len(diffs)} differences -> {REPORT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
