"""Extract Điều 1 of the 34 commune resolutions (1654–1687/NQ-UBTVQH15) into
``data/sources/commune_clauses_2025.csv``: one row per (clause, predecessor), with the portion
the text gives (whole, part, remainder) and the old unit the name matches.

The texts are read from a copy of github:dvhcvn/20250701 (``input/docs/<n>_NQ-UBTVQH15.md``,
converted from the official gazette); get it with git and point ``--docs`` at the folder::

    python scripts/extract_clauses.py --docs /path/to/20250701/input/docs --commit <sha>

Names are matched against the old units of the embedded data (``data/national.json.gz``, whose
old units come from vietnamadminunits 1.0.4 and do not depend on this file): within the old
provinces of the new one, by type and name, then by the "(huyện X)" the text adds where two
share a name. A name matched by none, or by several, is written with an empty ``old_uid`` and a
``match`` note, and counted in DATA_QUALITY.md by ``scripts/regenerate.py``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "sources" / "commune_clauses_2025.csv"
COLUMNS = [
    "resolution",
    "clause",
    "new_name",
    "new_uid",
    "predecessor",
    "qualifier",
    "portion",
    "old_uid",
    "match",
    "source",
]
TYPES = {"phường": "phường", "xã": "xã", "thị trấn": "thị trấn", "huyện": "huyện", "đặc khu": "đặc khu"}
_TYPE_RE = r"(?i:các\s+)?((?i:phường|xã|thị\s*trấn|huyện|đặc\s*khu))\s+"
_CLAUSE_START = re.compile(r"(?<![\d,])(\d{1,3})\\?\.\s*(?=Sắp\s*xếp|Sau khi|Đổi tên|Nhập)")
_AREA = r"(?:diện\s+tích\s+tự\s+nhiên|quy\s+mô\s+dân(?:\s+số)?)"
_BOTH = _AREA + r"(?:\s*(?:,|và)?\s*(?:toàn\s+bộ\s+|một\s+phần\s+)?" + _AREA + r")?"
_MARKERS = [
    (re.compile(r"phần\s+còn\s+lại\s*của\s*"), "remainder"),
    (re.compile(r"một\s+phần\s+" + _BOTH + r"(?:\s*của)?\s*"), "part"),
    (re.compile(r"toàn\s+bộ\s+(?:" + _BOTH + r"(?:\s*của)?\s*)?"), "whole"),
]
_AFTER = re.compile(
    r"\s*sau\s+khi\s+(?:thực\s+hiện\s+)?sắp\s+xếp(?:\s+theo\s+quy\s+định)?\s+tại\s+(?:các\s+)?khoản"
    r"(?:[\s\d,]|khoản|và(?=\s*(?:khoản\s*)?\d))*(?:Điều\s+này)?"
)


def same(a: str, b: str) -> bool:
    """Names equal up to case, tones and spacing ("Avương", "A Vương")."""
    return fold(a).replace(" ", "") == fold(b).replace(" ", "")


def exact(cands: list[str], units: dict, name: str) -> list[str]:
    """Of several candidates, those spelled exactly so (tones tell Lộc Thành from Lộc Thạnh)."""
    ex = [u for u in cands if units[u]["short"].lower() == name.lower()]
    return ex if ex and len(cands) > 1 else cands


def fold(s: str) -> str:
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    out = "".join(c for c in d if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", out).strip()


def clauses(text: str) -> list[tuple[int, str]]:
    """(number, text) of each clause of Điều 1, in order."""
    text = unicodedata.normalize("NFC", text)
    a = text.index("Điều 1")
    b = text.index("Điều 2", a)
    body = re.sub(r"\s+", " ", text[a:b])
    body = body[body.index("như sau:") + len("như sau:") :] if "như sau:" in body else body
    # slips of the converted text: a doubled word
    body = re.sub(r"\b(của|xã|phường) \1\b", r"\1", body)
    body = re.sub(r"Sắp xếp bộ\b", "Sắp xếp toàn bộ", body)
    # and words run together: "vàxã", "Hạnhvà", "cácxã"
    body = re.sub(r"(?<=\S)và\b", " và", body)
    body = re.sub(r"\bvà(?=\S)", "và ", body)
    body = re.sub(r"\bcác(?=xã|phường|thị)", "các ", body)
    body = re.sub(r"(?<=[a-zà-ỹ])(xã|phường|thị trấn)\b", r" \1", body)
    body = re.sub(r"\b(của|các|lại)(?=của|các|xã|phường|thị)", r"\1 ", body)
    body = re.sub(r"\b(xã|phường|trấn)([A-ZĐÀ-Ỹ])", r"\1 \2", body)
    out: list[tuple[int, str]] = []
    cuts = []
    for m in _CLAUSE_START.finditer(body):
        if int(m.group(1)) == len(cuts) + 1:
            cuts.append((int(m.group(1)), m.start(), m.end()))
    for i, (n, _s, e) in enumerate(cuts):
        end = cuts[i + 1][1] if i + 1 < len(cuts) else len(body)
        out.append((n, body[e:end].strip()))
    return out


def parse_clause(text: str) -> tuple[str, list[tuple[str, str, str, str]]] | None:
    """(new name, [(type, name, qualifier, portion)]) or None for the closing summary."""
    if text.startswith("Sau khi"):
        return None
    bold = re.findall(r"\*\*(.+?)\*\*", text) or re.findall(
        r"tên\s*gọi\s*là\s*((?:xã|phường|đặc khu)\s+[^.*]+)\.?\s*$", text
    )
    if not bold:
        return None
    new = re.sub(r"^là\s*", "", bold[-1].strip()).strip()
    new = re.sub(r"^(phường|xã|đặc khu)\s*", lambda m: m.group(1) + " ", new)
    if text.startswith("Đổi tên"):
        m = re.match(r"Đổi tên\s+" + _TYPE_RE + r"(.+?)\s+thành", text)
        if not m:
            return None
        return new, [(_type(m.group(1)), m.group(2).strip(), "", "whole")]
    head = re.sub(r"^(Sắp\s*xếp|Nhập)\s*", "", text)
    cut = list(re.finditer(r"\s*thành\s*(?:phường|xã|đặc\s*khu)(?:\s+mới)?\s*có\s+tên", head))
    if not cut:
        cut = list(re.finditer(r"\s*thành\s*\*\*", head))
    if not cut:
        return None
    head = _AFTER.sub("", head[: cut[-1].start()])
    spans = []
    for rx, portion in _MARKERS:
        spans += [(m.start(), m.end(), portion) for m in rx.finditer(head)]
    spans.sort(key=lambda t: (t[0], -t[1]))
    kept: list[tuple[int, int, str]] = []
    for sp in spans:  # "toàn bộ quy mô dân số" inside a "một phần …" marker is not a marker
        if not kept or sp[0] >= kept[-1][1]:
            kept.append(sp)
    spans = kept
    items: list[tuple[str, str, str, str]] = []
    for i, (_s, e, portion) in enumerate(spans):
        seg = head[e : spans[i + 1][0] if i + 1 < len(spans) else len(head)]
        seg = re.sub(r"[\s,]*(và)?[\s,]*$", "", seg.strip())
        items += [(t, n, q, portion) for t, n, q in _names(seg)]
    return new, items


def _type(word: str) -> str:
    return TYPES[re.sub(r"\s+", " ", word).lower()]


def _names(seg: str) -> list[tuple[str, str, str]]:
    out = []
    current = None
    for raw in re.split(r"\s*,\s*|\s+và\s+|(?<!các)(?<!thị)\s+(?=(?:các\s+)?(?:xã|phường|thị\s+trấn)\s)", seg):
        raw = raw.strip()
        if not raw:
            continue
        m = re.match(_TYPE_RE + r"(.+)$", raw)
        if m:
            current, raw = _type(m.group(1)), m.group(2)
        q = re.search(r"\((.+?)\)\s*$", raw)
        name = raw[: q.start()].strip() if q else raw
        out.append((current or "?", name, q.group(1).strip() if q else ""))
    # "các Phường 1, 5 và 6 (Quận 4)": a qualifier closing a list names the district of the
    # unqualified names before it in that list
    for i in range(len(out) - 2, -1, -1):
        t, n, q = out[i]
        if not q and out[i + 1][2] and out[i + 1][0] == t:
            out[i] = (t, n, out[i + 1][2])
    return out


def _dataset() -> dict:
    doc = json.loads(gzip.decompress((ROOT / "data" / "national.json.gz").read_bytes()))
    cols = doc["units"]["columns"]
    units = {r[0]: dict(zip(cols, r, strict=True)) for r in doc["units"]["rows"]}
    parents = defaultdict(list)
    for u, p, f, t in doc["parents"]["rows"]:
        parents[u].append((p, f, t))
    return {"units": units, "parents": parents, "doc": doc}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--commit", default="", help="the dvhcvn/20250701 commit read")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    ds = _dataset()
    units, parents = ds["units"], ds["parents"]
    reso = {}
    with (ROOT / "data" / "sources" / "commune_resolutions_2025.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            reso[r["resolution"]] = r["province"]

    def parent_at(uid: str, day: str) -> str | None:
        for p, f, t in parents.get(uid, ()):
            if (f is None or f <= day) and (t is None or day < t):
                return p
        return None

    # new province (short) -> its communes of 1 July 2025, and the old provinces it was made of
    new_prov = {
        u["short"]: uid
        for uid, u in units.items()
        if u["kind"] == "province" and (u["valid_from"] or "") <= "2025-07-01" and (u["valid_to"] or "9") > "2025-07-01"
    }
    olds_of: dict[str, set[str]] = defaultdict(set)
    ev_in = defaultdict(list)
    for ev, u, _portion, _d in ds["doc"]["inputs"]["rows"]:
        ev_in[ev].append(u)
    for ev, out in ds["doc"]["outputs"]["rows"]:
        if out.startswith("province:"):
            olds_of[out] |= set(ev_in[ev])
    for p in new_prov.values():
        olds_of[p].add(p) if not olds_of[p] else None
    new_by_prov: dict[str, list[str]] = defaultdict(list)
    old_by_prov: dict[str, list[str]] = defaultdict(list)
    for uid, u in units.items():
        if u["kind"] not in ("commune", "district"):
            continue
        if u["kind"] == "commune" and (u["valid_from"] or "") <= "2025-07-01" and (u["valid_to"] or "9") > "2025-07-01":
            new_by_prov[parent_at(uid, "2025-07-01") or ""].append(uid)
        if (u["valid_from"] or "") < "2025-07-01":
            d = parent_at(uid, "2025-06-30") if u["kind"] == "commune" else uid
            p = parent_at(d, "2025-06-30") if d else None
            old_by_prov[p or ""].append(uid)

    rows = []
    for path in sorted(args.docs.glob("16[5-8][0-9]_NQ-UBTVQH15.md")):
        res = path.name.split("_")[0] + "/NQ-UBTVQH15"
        if res not in reso:
            continue
        prov = new_prov[reso[res]]
        olds = [u for p in olds_of[prov] for u in old_by_prov[p]]
        news = new_by_prov[prov]
        src = f"github:dvhcvn/20250701{'@' + args.commit[:7] if args.commit else ''} input/docs/{path.name}"
        for n, text in clauses(path.read_text(encoding="utf-8")):
            parsed = parse_clause(text)
            if parsed is None:
                continue
            new_name, preds = parsed
            m = re.match(r"(?i)(phường|xã|đặc khu)\s+(.+)$", new_name)
            nt, nn = (m.group(1).lower(), m.group(2)) if m else ("", new_name)
            hits = exact(
                [u for u in news if same(units[u]["short"], nn) and units[u]["type"] in (nt or units[u]["type"])],
                units,
                nn,
            )
            new_uid = hits[0] if len(hits) == 1 else ""
            found = []
            for t, name, q, portion in preds:
                kind = "district" if t == "huyện" else "commune"
                cand = [
                    u
                    for u in olds
                    if units[u]["kind"] == kind
                    and same(units[u]["short"], name)
                    and (kind == "district" or t == "?" or units[u]["type"] == t)
                ]
                cand = exact(cand, units, name)
                if len(cand) > 1 and q:
                    qn = re.sub(r"(?i)^(huyện|quận|thị xã|thành phố)\s+", "", q)
                    cand = [
                        u for u in cand if fold(units[parent_at(u, "2025-06-30") or ""]["short"]) == fold(qn)
                    ] or cand
                found.append([t, name, q, portion, kind, cand])
            # a name the text leaves unqualified: the one in the district of the clause's other units
            districts = {parent_at(c[5][0], "2025-06-30") for c in found if len(c[5]) == 1 and c[4] == "commune"}
            for c in found:
                if len(c[5]) > 1:
                    near = [u for u in c[5] if parent_at(u, "2025-06-30") in districts]
                    if len(near) == 1:
                        c[5] = near
            for t, name, q, portion, _kind, cand in found:
                if len(cand) == 1:
                    match = ""
                elif cand:
                    match = f"{len(cand)} old units match: " + ";".join(sorted(cand))
                else:
                    match = "no old unit of this type and name"
                rows.append(
                    [
                        res,
                        f"Điều 1 khoản {n}",
                        new_name,
                        new_uid,
                        f"{t} {name}",
                        q,
                        portion,
                        cand[0] if len(cand) == 1 else "",
                        match,
                        src,
                    ]
                )
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    print(f"wrote {args.out}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
