"""Regenerate the embedded national dataset (``data/national.json.gz``) from the pinned
vietnamadminunits 1.0.4 wheel and the project's own source tables in ``data/sources/``.

A maintainer's tool, kept out of the wheel: run it from a checkout (it downloads the pinned
wheel with pip unless given one)::

    python scripts/regenerate.py
    python scripts/regenerate.py --wheel /path/vietnamadminunits-1.0.4-py3-none-any.whl

This is the only place that reads vietnamadminunits. orgraph never imports it: its own
converter can geocode over the network.

What comes from where:

* old units (63 provinces, 696 districts, 10,035 communes) and new units (34 provinces,
  3,321 communes), names, types and GSO codes: vietnamadminunits 1.0.4, ``data/dataset.db``;
* which old commune went (whole or in part) into which new one, and the default successor
  of each split commune: its ``data/converter_2025.json``;
* the 23 province fusions, their clauses, areas and populations: Resolution 202/2025/QH15
  (``data/sources/resolution_202_2025_qh15.csv``, read from the resolution's text);
* which resolution 1654–1687/NQ-UBTVQH15 covers each province's communes
  (``data/sources/commune_resolutions_2025.csv``);
* districts ending on 1 July 2025 and their relation to the new communes (through their
  communes): the project's own modelling, marked ``derived``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

PIN = "vietnamadminunits==1.0.4"
VAU = "vau"
EFFECTIVE = "2025-07-01"
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OUT = DATA / "national.json.gz"
FORMAT = "orgraph-dataset/1"
R203, R203_DATE = "203/2025/QH15", "2025-06-16"
# From which date the data is complete, per kind: no earlier change is modelled. The dates are
# the effective dates of the last changes before 1 July 2025 in the GSO-based release table of
# github:thanglequoc/vietnamese-provinces-database (README.md, "Dataset releases and Government
# issued decrees"): 1365/NQ-UBTVQH15 (effective 2025-03-01) changed districts and communes; no
# province-level change is listed after 387/NQ-UBTVQH15 (effective 2021-11-01), the table's first.
HORIZON = {
    "province": {
        "from": "2021-11-01",
        "why": "no province changed between 2021-11-01 and 2025-07-01 "
        "(release table of github:thanglequoc/vietnamese-provinces-database, from 387/NQ-UBTVQH15)",
    },
    "district": {"from": "2025-03-01", "why": "the last earlier change, 1365/NQ-UBTVQH15, took effect on 2025-03-01"},
    "commune": {"from": "2025-03-01", "why": "the last earlier change, 1365/NQ-UBTVQH15, took effect on 2025-03-01"},
}


def _nfc(s: str | None) -> str:
    return unicodedata.normalize("NFC", s).strip() if s else ""


def _fetch_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", PIN, "-d", str(dest)],
        check=True,
    )
    (whl,) = dest.glob("vietnamadminunits-1.0.4-*.whl")
    return whl


def _read_wheel(whl: Path, tmp: Path) -> tuple[sqlite3.Connection, dict, str]:
    with zipfile.ZipFile(whl) as z:
        meta = z.read("vietnamadminunits-1.0.4.dist-info/METADATA").decode()
        if "Version: 1.0.4" not in meta:
            raise SystemExit(f"{whl}: not vietnamadminunits 1.0.4")
        z.extract("vietnamadminunits/data/dataset.db", tmp)
        conv = json.loads(z.read("vietnamadminunits/data/converter_2025.json"))
        licence = z.read("vietnamadminunits-1.0.4.dist-info/licenses/LICENSE").decode()
    return sqlite3.connect(tmp / "vietnamadminunits/data/dataset.db"), conv, licence


def _fold(s: str) -> str:
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in d if not unicodedata.combining(c)).lower()


def _split_name_collisions(ins, unit_row, legacy, new_rows, new_uid, fixes) -> None:  # noqa: ANN001
    """Undo a defect of the package's name-keyed converter tables.

    Where two old communes of the same name end up in one new province, the package gives
    both of them the union of their successors (e.g. Xã Hòa Bình of Kim Thành, Hải Dương and
    Xã Hòa Bình of Vĩnh Bảo, Hải Phòng). Each such successor is given back to the old commune
    of that name nearest to it, by the package's own coordinates; the change is recorded in
    ``fixes`` and in DATA_QUALITY.md.
    """
    import math

    old_xy = {f"commune:{r['wardCode']}": (r["wardLat"], r["wardLon"]) for r in legacy if r["wardCode"]}
    new_xy = {new_uid[(r["provinceKey"], r["wardKey"])]: (r["wardLat"], r["wardLon"]) for r in new_rows}
    outs_of: dict[str, set[str]] = defaultdict(set)
    for new, lst in ins.items():
        for old, _p, _d in lst:
            outs_of[old].add(new)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for old, outs in outs_of.items():
        if old.startswith("commune:") and len(outs) > 1:
            groups[(_fold(unit_row[old][3]), frozenset(outs))].append(old)
    for (_name, outs), olds in sorted(groups.items(), key=lambda kv: sorted(kv[1])):
        if len(olds) < 2 or any(old_xy.get(o, (None,))[0] is None for o in olds):
            continue
        owner: dict[str, str] = {}
        for n in outs:
            nx_, ny = new_xy[n]
            owner[n] = min(olds, key=lambda o: math.dist(old_xy[o], (nx_, ny)))
        for o in olds:
            mine = sorted(n for n in outs if owner[n] == o)
            if not mine:
                continue
            for n in outs:
                entry = next(e for e in ins[n] if e[0] == o)
                ins[n].remove(entry)
                if n in mine:
                    default = entry[2] if len(mine) > 1 else False
                    ins[n].append((o, "whole" if len(mine) == 1 else "part", default))
            if len(mine) > 1 and not any(e[2] for n in mine for e in ins[n] if e[0] == o):
                # the default went to the other commune of the same name: take the nearest
                n0 = min(mine, key=lambda n: math.dist(old_xy[o], new_xy[n]))
                ins[n0] = [(a, b, True) if a == o else (a, b, c) for a, b, c in ins[n0]]
            fixes.append(
                {
                    "unit": o,
                    "field": "successors",
                    "package": sorted(outs),
                    "used": mine,
                    "why": f"the package gives every old commune named {unit_row[o][3]!r} in this new "
                    "province the same successors; each successor is given to the nearest of them "
                    "(package coordinates)",
                }
            )


def _checked_commune(uid: str, name: str, wtype: str, fixes: list[dict]) -> tuple[str, str]:
    """The official name and type of an old commune; where the package's type column or
    capitalisation disagrees with the name, the name wins and a fix is recorded."""
    name = _nfc(name) or ""
    for p in _COMMUNE_TYPE:
        if name.lower().startswith(p.lower() + " ") and not name.startswith(p + " "):
            fixes.append(
                {
                    "unit": uid,
                    "field": "name",
                    "package": name,
                    "used": p + name[len(p) :],
                    "why": "type prefix capitalised differently from the official spelling",
                }
            )
            name = p + name[len(p) :]
    ctype = _COMMUNE_TYPE[wtype]
    prefix = next((t for p, t in _COMMUNE_TYPE.items() if name.startswith(p + " ")), ctype)
    if prefix != ctype:
        fixes.append(
            {
                "unit": uid,
                "field": "type",
                "package": ctype,
                "used": prefix,
                "why": f"the package's wardType says {ctype!r} but the official name "
                f"{name!r} says {prefix!r}; the project follows the name",
            }
        )
    return name, prefix


_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu ")


def _short(name: str) -> str:
    """The name without its type prefix. (The package's own short names append the type
    to tell apart a huyện and a thị xã of the same name, e.g. "Kỳ Anh Huyện".)"""
    name = _nfc(name) or ""
    for p in _PREFIXES:
        if name.startswith(p):
            return name[len(p) :]
    return name


def _province_type(name: str) -> str:
    return "thành phố trực thuộc trung ương" if name.startswith("Thành phố") else "tỉnh"


def _district_type(dtype: str, name: str, province_type: str) -> str:
    if dtype == "Thành phố":
        if province_type == "thành phố trực thuộc trung ương":
            return "thành phố thuộc thành phố trực thuộc trung ương"
        return "thành phố thuộc tỉnh"
    return {"Huyện": "huyện", "Quận": "quận", "Thị xã": "thị xã"}[dtype]


_COMMUNE_TYPE = {"Xã": "xã", "Phường": "phường", "Thị trấn": "thị trấn", "Đặc khu": "đặc khu"}


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        print(f"warning: {path} missing; its facts are left out", file=sys.stderr)
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: _nfc(v) or "" for k, v in row.items()} for row in csv.DictReader(f)]


def build(whl: Path) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="orgraph-regen-"))
    db, conv, licence = _read_wheel(whl, tmp)
    db.row_factory = sqlite3.Row

    sources: dict[str, dict] = {
        VAU: {
            "kind": "package",
            "ref": "vietnamadminunits 1.0.4",
            "licence": "MIT",
            "detail": "data/dataset.db (admin_units, admin_units_legacy), data/converter_2025.json",
        },
        "model:district": {
            "kind": "modelling",
            "ref": "orgraph modelling",
            "detail": "a district's relation to the new communes follows from its communes",
        },
        "nq203": {
            "kind": "resolution",
            "ref": R203,
            "detail": "Nghị quyết 203/2025/QH15 sửa đổi, bổ sung một số điều của Hiến pháp (adopted "
            "16 June 2025): district-level units end on 1 July 2025",
        },
        "model:unchanged": {
            "kind": "modelling",
            "ref": "orgraph modelling",
            "detail": "provinces not rearranged by Resolution 202/2025/QH15 continue as the same unit",
        },
    }
    r202 = {row["new_name"]: row for row in _read_csv(DATA / "sources/resolution_202_2025_qh15.csv")}
    rcom = {row["province"]: row for row in _read_csv(DATA / "sources/commune_resolutions_2025.csv")}
    if r202:
        first = next(iter(r202.values()))
        sources["nq202"] = {
            "kind": "resolution",
            "ref": "202/2025/QH15",
            "detail": "Nghị quyết 202/2025/QH15 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh "
            f"(read from {first.get('source_url') or 'its text'})",
        }

    units: list[list] = []
    fixes: list[dict] = []
    continuing: list[str] = []
    parents: list[list] = []
    events: list[list] = []
    inputs: list[list] = []
    outputs: list[list] = []

    # ---- old provinces, districts, communes -------------------------------------------
    legacy = list(db.execute("select * from admin_units_legacy order by wardCode, districtCode"))
    old_prov: dict[str, str] = {}  # provinceKey -> uid
    old_prov_short: dict[str, str] = {}
    seen_d: set[str] = set()
    old_key_uid: dict[str, str] = {}  # provKey_distKey_wardKey -> uid
    prov_rows: dict[str, sqlite3.Row] = {}
    for r in legacy:
        prov_rows.setdefault(r["provinceKey"], r)
    # which old provinces stay as they were
    unchanged = {new for new, olds in conv["DICT_PROVINCE"].items() if olds == [new]}
    for pkey, r in sorted(prov_rows.items(), key=lambda kv: kv[1]["provinceCode"]):
        uid = f"province:{r['provinceCode']}"
        old_prov[pkey] = uid
        old_prov_short[pkey] = _nfc(r["provinceShort"])
        name = _nfc(r["province"])
        srcs = [VAU] + (["model:unchanged"] if pkey in unchanged else [])
        units.append(
            [
                uid,
                "province",
                _province_type(name),
                name,
                _nfc(r["provinceShort"]),
                r["provinceCode"],
                None,
                None if pkey in unchanged else EFFECTIVE,
                srcs,
                None,
                None,
                None,
            ]
        )
    for r in sorted(legacy, key=lambda r: r["districtCode"]):
        if r["districtCode"] in seen_d:
            continue
        seen_d.add(r["districtCode"])
        uid = f"district:{r['districtCode']}"
        ptype = _province_type(_nfc(r["province"]))
        units.append(
            [
                uid,
                "district",
                _district_type(r["districtType"], r["district"], ptype),
                _nfc(r["district"]),
                _short(r["district"]),
                r["districtCode"],
                None,
                EFFECTIVE,
                [VAU],
                None,
                None,
                None,
            ]
        )
        parents.append([uid, old_prov[r["provinceKey"]], None, EFFECTIVE])
    district_of: dict[str, str] = {}
    island_district: dict[str, str] = {}
    for r in legacy:
        k = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if not r["wardCode"]:
            island_district[k] = f"district:{r['districtCode']}"
            old_key_uid[k] = island_district[k]
            continue
        uid = f"commune:{r['wardCode']}"
        old_key_uid[k] = uid
        district_of[uid] = f"district:{r['districtCode']}"
        name, ctype = _checked_commune(uid, r["ward"], r["wardType"], fixes)
        units.append(
            [uid, "commune", ctype, name, _short(name), r["wardCode"], None, EFFECTIVE, [VAU], None, None, None]
        )
        parents.append([uid, district_of[uid], None, EFFECTIVE])

    # ---- new provinces ------------------------------------------------------------------
    new_rows = list(db.execute("select * from admin_units order by provinceCode, wardCode"))
    new_prov: dict[str, str] = {}
    for r in new_rows:
        pkey = r["provinceKey"]
        if pkey in new_prov:
            continue
        if pkey in unchanged:
            new_prov[pkey] = old_prov[pkey]
            continue
        uid = f"province:{r['provinceCode']}@{EFFECTIVE}"
        new_prov[pkey] = uid
        short = _nfc(r["provinceShort"])
        info = r202.get(short, {})
        area = float(info["area_km2"]) if info.get("area_km2") else None
        pop = int(info["population"]) if info.get("population") else None
        srcs = [VAU] + (["nq202"] if info else [])
        name = _nfc(r["province"])
        units.append(
            [
                uid,
                "province",
                _province_type(name),
                name,
                short,
                r["provinceCode"],
                EFFECTIVE,
                None,
                srcs,
                area,
                pop,
                None,
            ]
        )
        olds = [old_prov[k] for k in conv["DICT_PROVINCE"][pkey]]
        if info.get("old_provinces"):
            by_short = {old_prov_short[k]: old_prov[k] for k in conv["DICT_PROVINCE"][pkey]}
            stated = info["old_provinces"].split(";")
            if sorted(stated) != sorted(by_short):
                raise SystemExit(f"Resolution 202 lists {stated} for {short}; package has {sorted(by_short)}")
            olds = [by_short[s] for s in stated]
        ev = f"ev:{EFFECTIVE}:province:{r['provinceCode']}"
        events.append(
            [ev, "fusion", EFFECTIVE, "202/2025/QH15", "2025-06-12", info.get("clause") or None, srcs, False, None]
        )
        for o in olds:
            inputs.append([ev, o, "whole", False])
        outputs.append([ev, uid])

    # ---- new communes and the commune events ----------------------------------------------
    new_uid: dict[tuple[str, str], str] = {}
    new_info: dict[str, sqlite3.Row] = {}
    for r in new_rows:
        uid = f"commune:{r['wardCode']}@{EFFECTIVE}"
        new_uid[(r["provinceKey"], r["wardKey"])] = uid
        new_info[uid] = r

    ins: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for o in olds:
                ins[new_uid[(pkey, wkey)]].append((old_key_uid[o], "whole", False))
    for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, parts in olds.items():
            for n in parts:
                ins[new_uid[(pkey, n["newWardKey"])]].append((old_key_uid[o], "part", bool(n["isDefaultNewWard"])))
    unit_row = {u[0]: u for u in units}
    continuing_new: dict[str, str] = {}  # the package's new id -> the old unit that goes on
    _split_name_collisions(ins, unit_row, legacy, new_rows, new_uid, fixes)
    for r in new_rows:
        uid = new_uid[(r["provinceKey"], r["wardKey"])]
        name = _nfc(r["ward"])
        ctype = _COMMUNE_TYPE[r["wardType"]]
        prefix = next(t for p, t in _COMMUNE_TYPE.items() if name.startswith(p + " "))
        if prefix != ctype:
            fixes.append(
                {
                    "unit": uid,
                    "field": "type",
                    "package": ctype,
                    "used": prefix,
                    "why": f"the package's wardType says {ctype!r} but the official name {name!r} says "
                    f"{prefix!r}; the project follows the name",
                }
            )
            ctype = prefix
        lst = ins[uid]
        if len(lst) == 1 and lst[0][1] == "whole":
            same = unit_row[lst[0][0]]
            if same[1] == "commune" and same[2] == ctype and same[5] == r["wardCode"] and _fold(same[3]) == _fold(name):
                # Not rearranged: the same commune goes on under the new province.
                if same[3] != name:
                    same[11] = f"spelled {same[3]!r} in the old list"
                    same[3], same[4] = name, _short(r["ward"])
                same[7] = None
                parents.append([same[0], new_prov[r["provinceKey"]], EFFECTIVE, None])
                del ins[uid]
                continuing.append(same[0])
                continuing_new[uid] = same[0]
                continue
        units.append(
            [uid, "commune", ctype, name, _short(r["ward"]), r["wardCode"], EFFECTIVE, None, [VAU], None, None, None]
        )
        unit_row[uid] = units[-1]
        parents.append([uid, new_prov[r["provinceKey"]], EFFECTIVE, None])
    clause_of, clause_check = _check_clauses(ins, unit_row, continuing_new, district_of, fixes)
    for uid, lst in sorted(ins.items()):
        r = new_info[uid]
        prov_short = _nfc(r["provinceShort"])
        res = rcom.get(prov_short, {})
        src_id = f"nq-xa:{prov_short}"
        if res.get("resolution") and src_id not in sources:
            sources[src_id] = {
                "kind": "resolution",
                "ref": res["resolution"],
                "detail": f"sắp xếp các đơn vị hành chính cấp xã của {prov_short} năm 2025"
                + (f"; {res['source']}" if res.get("source") else ""),
            }
        if len(lst) >= 2:
            etype = "fusion"
        else:
            (old, portion, _default) = lst[0]
            orow = unit_row[old]
            if portion == "part":
                etype = "split"
            elif orow[2] != unit_row[uid][2] or orow[1] != "commune":
                etype = "type_change"
            elif orow[3] != unit_row[uid][3]:
                etype = "rename"
            else:
                etype = "fusion"  # re-established as a new commune of the two-level system
        ev = f"ev:{EFFECTIVE}:commune:{r['wardCode']}"
        clause, clause_src = clause_of.get(uid, (None, None))
        srcs = [VAU] + ([src_id] if res.get("resolution") else [])
        if clause_src:
            srcs.append("clauses:2025")
            sources.setdefault(
                "clauses:2025",
                {
                    "kind": "resolution",
                    "ref": "1654–1687/NQ-UBTVQH15, Điều 1",
                    "detail": "each clause as read from the resolution's text "
                    f"(data/sources/commune_clauses_2025.csv; {clause_src.rsplit(' ', 1)[0]} input/docs/)",
                },
            )
        events.append(
            [
                ev,
                etype,
                EFFECTIVE,
                res.get("resolution") or None,
                res.get("date") or ("2025-06-16" if res.get("resolution") else None),
                clause,
                srcs,
                False,
                None,
            ]
        )
        for old, portion, default in sorted(lst):
            inputs.append([ev, old, portion, default])
        outputs.append([ev, uid])

    # ---- districts: the level ends; relation to new communes through their communes --------
    comm_of_district: dict[str, list[str]] = defaultdict(list)
    for c, d in district_of.items():
        comm_of_district[d].append(c)
    out_of_commune: dict[str, list[tuple[str, str]]] = defaultdict(list)
    ev_out = {o[0]: o[1] for o in outputs}
    for ev_id, unit, portion, _d in inputs:
        if unit.startswith("commune:"):
            out_of_commune[unit].append((ev_out[ev_id], portion))
    for c in continuing:
        out_of_commune[c].append((c, "whole"))
    island = set(island_district.values())
    for d_uid in sorted({u[0] for u in units if u[1] == "district"}):
        if d_uid in island:
            continue  # its đặc khu event above is its succession
        news: dict[str, bool] = {}
        for c in comm_of_district[d_uid]:
            for n, portion in out_of_commune[c]:
                news[n] = news.get(n, True) and portion == "whole"
        ev = f"ev:{EFFECTIVE}:district:{d_uid.split(':')[1]}"
        events.append(
            [
                ev,
                "level_abolished",
                EFFECTIVE,
                R203,
                R203_DATE,
                None,
                ["model:district", "nq203"],
                True,
                "districts end with the two-level local government (Resolution 203/2025/QH15, "
                "amending the Constitution); successors via communes (the project's modelling)",
            ]
        )
        # whole if every commune of the district went wholly into one new commune and nothing else
        portion = "whole" if len(news) == 1 and all(news.values()) else "part"
        inputs.append([ev, d_uid, portion, False])
        for n in sorted(news):
            outputs.append([ev, n])

    _law_spelling(units, fixes)
    _changes_2026(units, parents, events, inputs, outputs, sources)
    _former_names_and_points(legacy, new_rows, new_uid, units, sources)

    return {
        "format": FORMAT,
        "horizon": HORIZON,
        "checks": {"clauses": clause_check},
        "generated_by": "scripts/regenerate.py",
        "sources": sources,
        "licences": {"vietnamadminunits 1.0.4": licence},
        "fixes": fixes,
        "units": {
            "columns": [
                "uid",
                "kind",
                "type",
                "name",
                "short",
                "code",
                "valid_from",
                "valid_to",
                "sources",
                "area_km2",
                "population",
                "note",
                "former_names",
                "point",
            ],
            "rows": units,
        },
        "parents": {"columns": ["unit", "parent", "valid_from", "valid_to"], "rows": parents},
        "events": {
            "columns": ["id", "type", "date", "basis", "basis_date", "clause", "sources", "derived", "note"],
            "rows": events,
        },
        "inputs": {"columns": ["event", "unit", "portion", "default"], "rows": inputs},
        "outputs": {"columns": ["event", "unit"], "rows": outputs},
    }


def _check_clauses(ins, unit_row, continuing_new, district_of, fixes) -> tuple[dict, dict]:  # noqa: ANN001, C901
    """Check each new commune's predecessors against its clause (``commune_clauses_2025.csv``,
    read from the resolutions' text by ``scripts/extract_clauses.py``), correct what the text
    makes clear, and return ({new uid: (clause, source)}, the report DATA_QUALITY.md shows).

    Corrections: a remainder ("phần còn lại … sau khi sắp xếp theo khoản N") is stored as
    ``remainder`` where the package says part; a predecessor the text names (and that matches
    one old unit) but the package omits is added, with the text's portion. Everything else the
    text and the package disagree on is reported, not changed.
    """
    rows = _read_csv(DATA / "sources/commune_clauses_2025.csv")
    by_new: dict[str, dict] = {}
    for r in rows:
        entry = by_new.setdefault(
            r["new_uid"], {"clause": r["clause"], "res": r["resolution"], "src": r["source"], "p": []}
        )
        entry["p"].append(r)
    clause_of = {uid: (d["clause"], d["src"]) for uid, d in by_new.items() if uid}
    communes_of: dict[str, list[str]] = defaultdict(list)
    for c, dist in district_of.items():
        communes_of[dist].append(c)
    report: dict = {"total": len(ins) + len(continuing_new), "agree": 0, "remainders": 0, "added": 0, "rows": []}
    for uid in sorted(continuing_new):
        d = by_new.get(uid)
        if d is None:
            report["agree"] += 1  # not rearranged by the text either
            continue
        report["rows"].append(
            [uid, unit_row[continuing_new[uid]][3], d["res"], d["clause"], "the package keeps it unchanged", ""]
        )
    texts: dict[str, tuple[dict[str, str], list[str]]] = {}
    for uid in ins:
        d = by_new.get(uid)
        if d is None:
            continue
        text: dict[str, str] = {}
        unread = []
        for r in d["p"]:
            if r["old_uid"].startswith("district:") and communes_of.get(r["old_uid"]):
                for c in communes_of[r["old_uid"]]:  # "huyện Kiên Hải": its communes
                    text[c] = r["portion"]
            elif r["old_uid"]:
                text[r["old_uid"]] = r["portion"]
            else:
                unread.append(
                    f"{r['predecessor']}{' (' + r['qualifier'] + ')' if r['qualifier'] else ''}: {r['match']}"
                )
        texts[uid] = (text, unread)
    # An old commune the text puts whole into one new commune, which the package also splits
    # into others whose clauses (read in full) do not name it: whole into the one, as the text says.
    outs_of: dict[str, list[str]] = defaultdict(list)
    for n, lst in ins.items():
        for o, _p, _d in lst:
            outs_of[o].append(n)
    report["split_undone"] = 0
    for uid in sorted(texts):
        text, _unread = texts[uid]
        for o, portion in sorted(text.items()):
            others = [n for n in outs_of.get(o, []) if n != uid]
            if portion != "whole" or not others or uid not in outs_of[o]:
                continue
            if not all(n in texts and o not in texts[n][0] and not texts[n][1] for n in others):
                continue
            for n in others:
                ins[n] = [e for e in ins[n] if e[0] != o]
            ins[uid] = [(a, "whole", False) if a == o else (a, b, c) for a, b, c in ins[uid]]
            outs_of[o] = [uid]
            report["split_undone"] += 1
            fixes.append(
                {
                    "unit": o,
                    "field": "successors",
                    "package": sorted([uid, *others]),
                    "used": [uid],
                    "why": f"{by_new[uid]['res']} {by_new[uid]['clause']} takes {unit_row[o][3]} whole into "
                    f"{unit_row[uid][3]}; no clause names it for the others",
                }
            )
    for uid in sorted(ins):
        name = unit_row[uid][3]
        d = by_new.get(uid)
        if d is None:
            report["rows"].append([uid, name, "", "", "no clause of the text names this commune", ""])
            continue
        data = {o: portion for o, portion, _ in ins[uid]}
        text, unread = texts[uid]
        added = sorted(set(text) - set(data))
        for o in added:
            ins[uid].append((o, text[o], False))
            report["added"] += 1
            for n2, lst in ins.items():  # an old unit given in part here is no longer whole elsewhere
                if n2 != uid:
                    ins[n2] = [
                        (a, "part" if a == o and b == "whole" else b, c or (a == o and b == "whole")) for a, b, c in lst
                    ]
            fixes.append(
                {
                    "unit": uid,
                    "field": "predecessors",
                    "package": sorted(data),
                    "used": sorted(set(data) | {o}),
                    "why": f"{d['res']} {d['clause']} names {unit_row[o][3]} ({text[o]}); the package omits it",
                }
            )
        for i, (o, portion, default) in enumerate(ins[uid]):
            if text.get(o) == "remainder" and portion == "part":
                ins[uid][i] = (o, "remainder", default)
                report["remainders"] += 1
        extra = sorted(set(data) - set(text))
        diff_portion = sorted(o for o in set(text) & set(data) if (text[o] == "whole") != (data[o] == "whole"))
        if not extra and not unread and not diff_portion:
            if not added:
                report["agree"] += 1
                continue
        what = []
        if added:
            what.append("the package omits " + ", ".join(f"{unit_row[o][3]} [{o}]" for o in added) + " (added)")
        if extra:
            what.append("the text does not name " + ", ".join(f"{unit_row[o][3]} [{o}]" for o in extra))
        if diff_portion:
            what.append(
                "whole/part differ for "
                + ", ".join(f"{unit_row[o][3]} [{o}] (text {text[o]}, package {data[o]})" for o in diff_portion)
            )
        if not what:
            what.append("the text also names what no old unit is called (last column)")
        report["rows"].append([uid, name, d["res"], d["clause"], "; ".join(what), "; ".join(unread)])
    return clause_of, report


_ALIAS_PREFIX = {
    "phuong": "phường",
    "xa": "xã",
    "thitran": "thị trấn",
    "huyen": "huyện",
    "quan": "quận",
    "thixa": "thị xã",
    "thanhpho": None,
}


def _aliases(raw: str | None, own: str) -> list[tuple[str, str | None]]:
    """(name, type) of each alias key of the package, without its type prefix; the unit's own
    name and duplicates left out. The keys have no diacritics and no spaces, as the package
    writes them."""
    if not raw:
        return []
    keys = json.loads(raw)
    own_key = _fold(own).replace(" ", "").replace("-", "")
    typed: dict[str, str | None] = {}
    for k in keys:
        for p in sorted(_ALIAS_PREFIX, key=len, reverse=True):
            if k.startswith(p) and len(k) > len(p) and (k[len(p) :] in keys):
                typed.setdefault(k[len(p) :], _ALIAS_PREFIX[p])
                break
    for k in keys:
        if k not in typed and not any(k == p + r for p in _ALIAS_PREFIX for r in typed):
            typed.setdefault(k, None)
    return [(k, t) for k, t in typed.items() if k != own_key]


def _former_names_and_points(legacy, new_rows, new_uid, units, sources) -> None:  # noqa: ANN001
    """Former names (the package's alias keys of the units each old unit absorbed before
    2025) and points (``wardLat``/``wardLon``) as unit attributes, with their source."""
    sources["vau:alias"] = {
        "kind": "package",
        "ref": "vietnamadminunits 1.0.4",
        "detail": "admin_units_legacy.wardAlias / districtAlias: names (no diacritics, no spaces) of the "
        "units merged into this one before 2025, mostly in the 2023–2025 wave",
    }
    sources["vau:point"] = {
        "kind": "package",
        "ref": "vietnamadminunits 1.0.4",
        "detail": "admin_units_legacy / admin_units: wardLat, wardLon (a point of the commune, WGS 84)",
    }
    extra: dict[str, list] = defaultdict(lambda: [None, None])
    for r in legacy:
        if r["wardCode"]:
            uid = f"commune:{r['wardCode']}"
            names = _aliases(r["wardAlias"], r["wardShort"] or r["ward"])
            if names:
                extra[uid][0] = [{"name": n, "type": t, "source": "vau:alias"} for n, t in names]
            if r["wardLat"] is not None and r["wardLon"] is not None:
                extra[uid][1] = {"lat": r["wardLat"], "lon": r["wardLon"], "source": "vau:point"}
        d_uid = f"district:{r['districtCode']}"
        if r["districtAlias"] and extra[d_uid][0] is None:
            names = _aliases(r["districtAlias"], r["districtShort"] or r["district"])
            if names:
                extra[d_uid][0] = [{"name": n, "type": t, "source": "vau:alias"} for n, t in names]
    for r in new_rows:
        uid = new_uid[(r["provinceKey"], r["wardKey"])]
        if r["wardLat"] is not None and r["wardLon"] is not None:
            extra[uid][1] = {"lat": r["wardLat"], "lon": r["wardLon"], "source": "vau:point"}
    for u in units:
        if len(u) == 12:
            u.extend(extra.get(u[0], [None, None]) if u[0] in extra else [None, None])


def _law_spelling(units: list[list], fixes: list[dict]) -> None:
    """Names as the law spells them, where the package lost it: a hyphen the clause's text has
    ("Văn Miếu - Quốc Tử Giám") and a word starting in lower case ("Xã Đại áng" → "Đại Áng";
    "Nông trường", a common noun in the names of state-farm towns, keeps its lower case)."""
    text_name: dict[str, str] = {}
    for r in _read_csv(DATA / "sources/commune_clauses_2025.csv"):
        if r["old_uid"] and " " in r["predecessor"]:
            text_name.setdefault(r["old_uid"], r["predecessor"].split(" ", 1)[1])
    for u in units:
        short, new = u[4], u[4]
        said = text_name.get(u[0], "")
        if "-" in said and "-" not in short and re.sub(r"[\s-]+", " ", said) == short:
            new = said
            why = "the resolution's text writes the name with a hyphen (" + _clause_ref(u[0]) + ")"
        else:
            words = short.split(" ")
            fixed = [
                w[:1].upper() + w[1:] if w[:1].islower() and not (w == "trường" and i and words[i - 1] == "Nông") else w
                for i, w in enumerate(words)
            ]
            new = " ".join(fixed)
            why = "a word of the name starts in lower case" + (
                f"; the resolution's text writes {said!r}" if said else ""
            )
        if new != short:
            fixes.append(
                {
                    "unit": u[0],
                    "field": "name",
                    "package": u[3],
                    "used": u[3][: len(u[3]) - len(short)] + new,
                    "why": why,
                }
            )
            u[3], u[4] = u[3][: len(u[3]) - len(short)] + new, new


_CLAUSE_OF: dict[str, str] = {}


def _clause_ref(uid: str) -> str:
    if not _CLAUSE_OF:
        for r in _read_csv(DATA / "sources/commune_clauses_2025.csv"):
            _CLAUSE_OF.setdefault(r["old_uid"], f"{r['resolution']} {r['clause']}")
    return _CLAUSE_OF.get(uid, "")


def _changes_2026(units, parents, events, inputs, outputs, sources) -> None:  # noqa: ANN001
    """The type changes of 2026 (``data/sources/changes_2026.csv``): three provinces become
    centrally governed cities, 22 xã become phường. Each is a ``type_change`` event from the
    unit live until then (its id stays valid) to a new unit ``<uid>@<effective>`` with the same
    code, territory and figures; the children's parent links move to the new province."""
    rows = _read_csv(DATA / "sources/changes_2026.csv")
    live = {(u[1], u[5]): u for u in units if u[1] in ("province", "commune") and u[7] is None}
    new_prov: dict[tuple[str, str], str] = {}
    # communes first, so that a commune changing with its province links to the new province
    for r in sorted(rows, key=lambda r: r["new_type"] != "phường"):
        if not r.get("effective"):
            raise SystemExit(f"changes_2026.csv: {r['new_name']} has no effective date")
        kind = "commune" if r["new_type"] == "phường" else "province"
        code = _code_of_change(r, units)
        old = live[(kind, code)]
        if _fold(old[3]) != _fold(r["old_name"]):
            raise SystemExit(f"changes_2026.csv: {r['old_name']!r} is {old[3]!r} in the data")
        # the new name keeps the data's spelling of the short name (the CSV may place tones the
        # older way: "Hiệp Hoà" for "Hiệp Hòa")
        new_name = r["new_name"].split(" ")[0] + " " + old[4] if kind == "commune" else r["new_name"]
        eff = r["effective"]
        src = f"nq:{r['resolution']}"
        sources.setdefault(
            src,
            {
                "kind": "resolution",
                "ref": r["resolution"],
                "detail": f"adopted {r['date']}, effective {eff}; read from {r['source']}; "
                f"effective date from {r['effective_source']}",
            },
        )
        uid = f"{kind}:{code}@{eff}"
        old[7] = eff
        units.append(
            [uid, kind, r["new_type"], new_name, _short(new_name), code, eff, None, [src], old[9], old[10], None]
        )
        ev = f"ev:{eff}:{kind}:{code}"
        events.append([ev, "type_change", eff, r["resolution"], r["date"], None, [src], False, None])
        inputs.append([ev, old[0], "whole", False])
        outputs.append([ev, uid])
        if kind == "province":
            for p in parents:
                if p[1] == old[0] and p[3] is None:
                    p[3] = eff
                    parents.append([p[0], uid, eff, None])
        else:
            prov_uid = next(p[1] for p in parents if p[0] == old[0] and p[3] is None)
            pcode = prov_uid.split(":")[1].split("@")[0]
            target = next(
                (
                    x
                    for x in rows
                    if x["new_type"] != "phường" and x["effective"] == eff and x["province"] == r["province"]
                ),
                None,
            )
            new_prov[(uid, eff)] = f"province:{pcode}@{eff}" if target else prov_uid
            for p in parents:
                if p[0] == old[0] and p[3] is None:
                    p[3] = eff
    for (uid, eff), prov in new_prov.items():
        parents.append([uid, prov, eff, None])


def _code_of_change(r: dict[str, str], units: list[list]) -> str:
    m = re.search(r"code (\d+)", r["source"])
    if m:
        return m.group(1)
    (code,) = {u[5] for u in units if u[1] == "province" and u[4] == r["province"] and u[7] is None}
    return code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="a downloaded vietnamadminunits-1.0.4 wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    whl = args.wheel or _fetch_wheel(Path(tempfile.mkdtemp(prefix="orgraph-whl-")))
    data = build(whl)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    tmp = args.out.with_suffix(".tmp")
    with gzip.GzipFile(tmp, "wb", mtime=0, compresslevel=9) as f:  # reproducible bytes
        f.write(raw)
    tmp.replace(args.out)
    n = {k: len(data[k]["rows"]) for k in ("units", "parents", "events", "inputs", "outputs")}
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes): {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
