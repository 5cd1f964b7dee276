"""Convert old (province, district, commune) names or GSO codes to the new (commune, province),
one at a time or by the million.

Rows that match nothing, or more than one unit, or a commune that was split with no
default successor, are flagged in the output, never dropped.
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx

from ..graph.build import is_live
from ..graph.errors import DataError, OrgraphError
from ..graph.i18n import Message
from ..graph.model import OLD_MAP_DATE, Attr, EdgeKind, Kind
from ..graph.names import fold, readings
from .address import ParsedAddress, nearest_below, parse_address
from .export import new_file_mode, why_not_written
from .find import name_index, prefer_exact, suggestions
from .results import jsonable
from .succession import successor_ids

__all__ = [
    "convert",
    "convert_rows",
    "convert_addresses",
    "convert_csv",
    "Conversion",
    "OUTPUT_COLUMNS",
    "ADDRESS_COLUMNS",
    "OLD_DATE",
]

OLD_DATE = OLD_MAP_DATE

OUTPUT_COLUMNS = [
    "status",
    "old_commune",
    "old_commune_code",
    "old_district",
    "old_province",
    "new_commune",
    "new_commune_code",
    "new_province",
    "new_province_code",
    "portion",
    "candidates",
    "legal_basis",
    "note",
]
# added after OUTPUT_COLUMNS when the input is a free-text address
ADDRESS_COLUMNS = ["street", "new_address"]


@dataclass(frozen=True, slots=True)
class Conversion:
    """One converted address. ``status`` is one of ``ok``, ``unchanged``, ``split_default``,
    ``split_nearest`` (a split commune's successor chosen by the point given), ``ambiguous``,
    ``unmatched`` or ``ended``. From a free-text address, ``street`` is its
    leading part (house number, street, hamlet) as written and ``new_address`` the street,
    the new commune and the new province."""

    status: str
    old_commune: str = ""
    old_commune_code: str = ""
    old_district: str = ""
    old_province: str = ""
    new_commune: str = ""
    new_commune_code: str = ""
    new_province: str = ""
    new_province_code: str = ""
    portion: str = ""
    candidates: str = ""
    legal_basis: str = ""
    note: str = ""
    street: str = ""
    new_address: str = ""

    def row(self, columns: list[str] = OUTPUT_COLUMNS) -> list[str]:
        return [getattr(self, c) for c in columns]

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


MEMO_LIMIT = 50_000
"""Distinct inputs a memo holds before it starts again: repeats (the common case, such as the
10,035 old communes over and over) stay memoised, and memory stays bounded however many
distinct rows a file has."""


_OLD_FIELDS = ("old_commune", "old_commune_code", "old_district", "old_province", "street", "new_address")


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points.

    >>> 1100 < _km((21.0285, 105.8542), (10.7769, 106.7009)) < 1200  # Hà Nội to Thành phố Hồ Chí Minh
    True
    >>> _km((21.0, 105.0), (21.0, 105.0))
    0.0
    """
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def check_point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """(lat, lon) from both or neither; a DataError for one alone or a point off the map.

    >>> check_point(None, None) is None
    True
    >>> check_point(20.45, 106.34)
    (20.45, 106.34)
    """
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise DataError("--lat/--lon", None, "give both the latitude and the longitude")
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise DataError("--lat/--lon", None, f"{lat}, {lon} is not a point on Earth (lat -90…90, lon -180…180)")
    return (lat, lon)


def _remember(memo: dict[Any, Any], k: Any, v: Any) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[k] = v


_TMP_PREFIX = ".orgraph-convert-"


def _position(f: Any) -> int:
    """How far into its file ``f`` has read (0 for a pipe, which has no position)."""
    try:
        return int(f.raw.tell())
    except (OSError, AttributeError):
        return 0


def _clean_stale(folder: Path) -> None:
    """Remove temporary files a killed conversion left in ``folder`` (their process is gone)."""
    for p in folder.glob(f"{_TMP_PREFIX}*.csv"):
        try:
            pid = int(p.name[len(_TMP_PREFIX) :].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)
        except (ValueError, OSError):
            continue  # not ours, or a live process's (or another user's): leave it


class Converter:
    """Indexes built once per (graph, dates); results memoised per distinct input. The hot
    paths read networkx's node and adjacency dicts (``G._node``, ``G._succ``) directly."""

    def __init__(self, G: nx.MultiDiGraph, *, on: date, as_of: date, suggest: bool = True) -> None:
        self.G, self.on, self.as_of, self.suggest = G, on, as_of, suggest
        self.memo: dict[tuple[str, str, str, str], Conversion] = {}
        self.memo_address: dict[str, Conversion] = {}
        self.memo_hits: dict[tuple[str, ...], Conversion] = {}
        self._parents: dict[str, list[tuple[str, date | None, date | None]]] = {}

    @cached_property
    def idx(self) -> Any:
        return name_index(self.G)

    def _successors(self, uid: str) -> list[tuple[str, str, bool, tuple[Any, ...]]]:
        """(unit, portion, default, path) for each successor live on ``self.on``."""
        return successor_ids(self.G, uid, self.on)

    def _suggest(self, what: str) -> list[str]:
        return suggestions(self.G, what, n=3) if self.suggest else []

    def _parent_on(self, uid: str, on: date) -> str | None:
        links = self._parents.get(uid)
        if links is None:
            links = [
                (p, d.get("valid_from"), d.get("valid_to"))
                for p, kd in self.G._succ[uid].items()
                for d in kd.values()
                if d.get(Attr.KIND) == EdgeKind.PARENT
            ]
            self._parents[uid] = links
        for p, start, end in links:
            if (start is None or start <= on) and (end is None or on < end):
                return p
        return None

    def _ancestor(self, uid: str, kind: Kind) -> str | None:
        cur = uid
        for _ in range(4):
            p = self._parent_on(cur, self.as_of) or self._parent_on(
                cur, self.G._node[cur].get(Attr.VALID_FROM) or self.as_of
            )
            if p is None:
                return None
            if self.G._node[p][Attr.KIND] == kind:
                return p
            cur = p
        return None

    def candidates(self, province: str, district: str, commune: str, code: str) -> list[str]:
        G = self.G
        if code:
            c = code.strip()
            if c.isdigit():
                c = c.zfill(5)
            hits = [u for u in self.idx.by_code.get(c, ()) if G._node[u][Attr.KIND] == Kind.COMMUNE]
        else:
            # each name in its readings: "phuong thien" is a ward named Thiện, else Phương Thiện
            quals = [readings(q) for q in (district, province) if q and q.strip()]
            hits = []
            for types, k in readings(commune) if fold(commune) else ():
                for u in self.idx.by_key.get(k, ()):
                    a = G._node[u]
                    if a[Attr.KIND] != Kind.COMMUNE or (types is not None and a[Attr.TYPE] not in types):
                        continue
                    anc = self.idx.anc_types.get(u, {})
                    if all(
                        any((got := anc.get(qk)) is not None and (qt is None or got & qt) for qt, qk in q)
                        for q in quals
                    ):
                        hits.append(u)
                if hits:
                    break
            hits = prefer_exact(G, hits, commune)
        if len(hits) > 1:
            live = [u for u in hits if is_live(G._node[u], self.as_of)]
            if live:
                hits = live
        return hits

    def convert(
        self,
        province: str = "",
        district: str = "",
        commune: str = "",
        code: str = "",
        *,
        point: tuple[float, float] | None = None,
    ) -> Conversion:
        k = (province, district, commune, code)
        got = self.memo.get(k)
        if got is None:
            got = self._convert(*k)
            _remember(self.memo, k, got)
        if point is not None and got.portion == "part":
            hits = self.candidates(*k)
            if len(hits) == 1:
                got = self._nearest_split(got, hits[0], point)
        return got

    def _points(self, uids: list[str]) -> dict[str, tuple[float, float] | None]:
        """Each unit's (lat, lon), or None."""
        from .geo import point_of

        return {u: point_of(self.G, u) for u in uids}

    def _nearest_split(self, got: Conversion, uid: str, point: tuple[float, float]) -> Conversion:
        """For a commune split between several successors, the one whose point is nearest to
        ``point`` (the address's own coordinates): status ``split_nearest``, saying so."""
        found = self._successors(uid)
        if len(found) < 2:
            return got
        points = self._points([f[0] for f in found])
        placed = [(f, pt) for f in found if (pt := points[f[0]]) is not None]
        if not placed:
            none = Message("no successor has a point to compare with")
            return replace(got, note=Message("{a}; {b}", a=got.note, b=none) if got.note else none)
        (pick, pt), km = min(((fp, _km(point, fp[1])) for fp in placed), key=lambda x: x[1])
        cands = "; ".join(self._label(u) + (" (nearest)" if u == pick[0] else "") for u, _, _, _ in found)
        return self._picked(
            got,
            pick,
            "split_nearest",
            cands,
            Message(
                "split between {n} communes; the one nearest to {lat:.5f}, {lon:.5f} "
                "chosen ({km:.1f} km from its point)",
                n=len(found),
                lat=point[0],
                lon=point[1],
                km=km,
            ),
        )

    def _picked(self, old: Conversion | dict[str, str], pick: Any, status: str, cands: str, note: str) -> Conversion:
        G = self.G
        u, portion, _default, path = pick
        p = self._province(u)
        basis = "; ".join(dict.fromkeys(h.basis for h in path if h.basis))
        fields = old if isinstance(old, dict) else {f: getattr(old, f) for f in _OLD_FIELDS}
        if fields.get("street") or fields.get("new_address"):
            fields = {
                **fields,
                "new_address": ", ".join(
                    x for x in (fields.get("street"), G.nodes[u][Attr.NAME], G.nodes[p][Attr.NAME] if p else "") if x
                ),
            }
        return Conversion(
            status,
            **fields,
            new_commune=G.nodes[u][Attr.NAME],
            new_commune_code=G.nodes[u].get(Attr.CODE) or "",
            new_province=G.nodes[p][Attr.NAME] if p else "",
            new_province_code=(G._node[p].get(Attr.CODE) or "") if p else "",
            portion=portion,
            candidates=cands,
            legal_basis=basis,
            note=note,
        )

    def _old_fields(self, uid: str) -> dict[str, str]:
        G = self.G
        d = self._ancestor(uid, Kind.DISTRICT)
        p = self._ancestor(uid, Kind.PROVINCE)
        return {
            "old_commune": G._node[uid][Attr.NAME],
            "old_commune_code": G._node[uid].get(Attr.CODE) or "",
            "old_district": G._node[d][Attr.NAME] if d else "",
            "old_province": G._node[p][Attr.NAME] if p else "",
        }

    def _label(self, uid: str) -> str:
        a = self.G._node[uid]
        p = self._province(uid)
        return f"{a[Attr.NAME]} [{a.get(Attr.CODE)}]" + (f", {self.G._node[p][Attr.NAME]}" if p else "")

    def _province(self, uid: str) -> str | None:
        cur = uid
        for _ in range(4):
            nxt = self._parent_on(cur, self.on)
            if nxt is None:
                return None
            cur = nxt
            if self.G._node[cur][Attr.KIND] == Kind.PROVINCE:
                return cur
        return None

    def _convert(self, province: str, district: str, commune: str, code: str) -> Conversion:
        if not (code.strip() or commune.strip()):
            return Conversion("unmatched", note=Message("no commune name or code given"))
        hits = self.candidates(province, district, commune, code)
        if not hits:
            what = code.strip() or ", ".join(x for x in (commune, district, province) if x.strip())
            sugg = self._suggest(what) if not code.strip() else []
            return Conversion(
                "unmatched",
                note=Message("no commune matches {what!r}; did you mean: {names}", what=what, names="; ".join(sugg))
                if sugg
                else Message("no commune matches {what!r}", what=what),
            )
        return self._answer(hits)

    def convert_address(self, text: str, *, point: tuple[float, float] | None = None) -> Conversion:
        """Convert one free-text old address (memoised); with ``point``, a split commune's
        successor nearest to it."""
        got = self.memo_address.get(text)
        if got is None:
            got = self._convert_address(text)
            _remember(self.memo_address, text, got)
        if point is not None and got.portion == "part":
            hits = list(self._parse(text).commune)
            if len(hits) > 1:
                hits = [u for u in hits if self.G._node[u].get(Attr.CODE) == got.old_commune_code] or hits
            if len(hits) == 1:
                got = self._nearest_split(got, hits[0], point)
        return got

    def _parse(self, text: str) -> ParsedAddress:
        return parse_address(self.G, text)

    def _convert_address(self, text: str) -> Conversion:
        if not text.strip():
            return Conversion("unmatched", note=Message("no address given"))
        parsed = self._parse(text)
        street = parsed.street
        if not parsed.commune:
            where = parsed.district or parsed.province
            found = (
                Message("found {names} but no commune in it", names=self._names(where))
                if where
                else Message("no province, district or commune found")
            )
            sugg = self._suggest_in(where, street) if self.suggest else []
            return Conversion(
                "unmatched",
                street=street,
                note=Message("{text!r}: {found}; did you mean: {names}", text=text, found=found, names="; ".join(sugg))
                if sugg
                else Message("{text!r}: {found}", text=text, found=found),
            )
        hits = list(parsed.commune)
        if len(hits) > 1:  # "Sa Pả" and "Sa Pa" in one town: the diacritics written decide
            hits = prefer_exact(self.G, hits, parsed.commune_text)
        if len(hits) > 1:
            live = [u for u in hits if is_live(self.G._node[u], self.as_of)]
            if live:
                hits = live
        key_ = tuple(hits)
        got = self.memo_hits.get(key_)
        if got is None:  # many addresses, one commune: answer it once
            got = self.memo_hits[key_] = self._answer(hits)
        note = got.note
        if parsed.corrections:
            read = Message("read {x}", x=tuple(parsed.corrections))
            note = Message("{a}; {b}", a=note, b=read) if note else read
        new_address = ", ".join(x for x in (street, got.new_commune, got.new_province) if x) if got.new_commune else ""
        return replace(got, street=street, new_address=new_address, note=note)

    def _names(self, uids: Iterable[str]) -> str:
        return " / ".join(dict.fromkeys(self.G._node[u][Attr.NAME] for u in uids))

    def _suggest_in(self, where: Iterable[str], street: str) -> list[str]:
        """Communes under ``where`` nearest to the last part of ``street``; anywhere without it."""
        last = street.replace(";", ",").split(",")[-1].strip()
        if not where:
            return self._suggest(last or street) if (last or street) else []
        return [self._old_label(u) for u in self._nearest(list(where), last)]

    def _nearest(self, where: list[str], text: str) -> list[str]:
        return nearest_below(self.G, where, text, n=3)

    def _old_label(self, uid: str) -> str:
        """The old unit with its district and province, code and id."""
        old = self._old_fields(uid)
        names = ", ".join(x for x in (old["old_commune"], old["old_district"], old["old_province"]) if x)
        return f"{names} [{old['old_commune_code']}] (id {uid})"

    def _answer(self, hits: list[str]) -> Conversion:
        G = self.G
        if len(hits) > 1:
            return Conversion(
                "ambiguous",
                candidates="; ".join(self._old_label(h) for h in hits),
                note=Message("{n} old communes match; add the district and province", n=len(hits)),
            )
        uid = hits[0]
        old = self._old_fields(uid)
        if is_live(G._node[uid], self.on):
            p = self._province(uid)
            return Conversion(
                "unchanged",
                **old,
                new_commune=G.nodes[uid][Attr.NAME],
                new_commune_code=G.nodes[uid].get(Attr.CODE) or "",
                new_province=G.nodes[p][Attr.NAME] if p else "",
                new_province_code=(G._node[p].get(Attr.CODE) or "") if p else "",
                portion="whole",
                note=Message("not rearranged"),
            )
        found = self._successors(uid)
        if not found:
            return Conversion(
                "ended", **old, note=Message("ended with no successor by {date}", date=self.on.isoformat())
            )
        defaults = [f for f in found if f[2]]
        pick = found[0] if len(found) == 1 else (defaults[0] if len(defaults) == 1 else None)
        cands = (
            "; ".join(self._label(u) + (" (default)" if d and len(found) > 1 else "") for u, _, d, _ in found)
            if len(found) > 1
            else ""
        )
        if pick is None:
            return Conversion(
                "ambiguous",
                **old,
                candidates=cands,
                portion="part",
                note=Message("split between several communes and no default successor is recorded"),
            )
        return self._picked(
            old,
            pick,
            "ok" if len(found) == 1 else "split_default",
            cands,
            "" if len(found) == 1 else Message("split between {n} communes; default successor given", n=len(found)),
        )


def convert(
    G: nx.MultiDiGraph,
    *,
    province: str = "",
    district: str = "",
    commune: str = "",
    code: str = "",
    address: str = "",
    on: date | None = None,
    as_of: date = OLD_DATE,
    lat: float | None = None,
    lon: float | None = None,
) -> Conversion:
    """Convert one old address to its commune and province on ``on``: a free-text
    ``address``, or its names (``province``, ``district``, ``commune``), or a commune ``code``.

    With the address's own point (``lat``, ``lon``), a commune split between several
    successors answers with the successor whose point is nearest (status ``split_nearest``,
    saying so in ``note``); without it, with the default successor the resolution names.

    A free-text address is read right to left (see :func:`orgraph.queries.address.parse_address`);
    its leading part is kept as ``street`` and ``new_address`` is built from it.
    ``as_of`` is the date on which the old address was valid; it picks between units
    that share a name or a reused code.

    >>> from orgraph import load_national
    >>> G = load_national()
    >>> c = convert(G, address="thon 3 xa minh khai huyen hung ha thai binh")
    >>> c.status, c.street, c.new_address
    ('ok', 'thon 3', 'thon 3, Xã Hưng Hà, Tỉnh Hưng Yên')
    >>> c = convert(G, province="Thái Bình", district="Hưng Hà", commune="Minh Khai")
    >>> c.status, c.new_commune, c.new_province
    ('ok', 'Xã Hưng Hà', 'Tỉnh Hưng Yên')
    """
    from .answers import convert as answer
    from .store import NetworkxStore

    return answer(
        NetworkxStore(G),
        province=province,
        district=district,
        commune=commune,
        code=code,
        address=address,
        on=on,
        as_of=as_of,
        lat=lat,
        lon=lon,
    )


def convert_rows(
    G: nx.MultiDiGraph,
    rows: Iterable[tuple[str, str, str, str]],
    *,
    on: date | None = None,
    as_of: date = OLD_DATE,
) -> Iterator[Conversion]:
    """Convert (province, district, commune, code) tuples lazily, memoising repeats.
    Unmatched rows carry no name suggestions (use :func:`convert` for those)."""
    conv = Converter(G, on=on or date.today(), as_of=as_of, suggest=False)
    for p, d, c, k in rows:
        yield conv.convert(p, d, c, k)


def convert_addresses(
    G: nx.MultiDiGraph,
    addresses: Iterable[str],
    *,
    on: date | None = None,
    as_of: date = OLD_DATE,
) -> Iterator[Conversion]:
    """Convert free-text old addresses lazily, memoising repeats; unmatched ones carry the
    nearest suggestions.

    >>> from orgraph import load_national
    >>> [c.new_commune for c in convert_addresses(load_national(), ["P. Bến Nghé, Q.1, TP.HCM"])]
    ['Phường Sài Gòn']
    """
    conv = Converter(G, on=on or date.today(), as_of=as_of)
    for a in addresses:
        yield conv.convert_address(a)


_ALIASES = {
    "province": ("province", "tinh", "tinh thanh", "tinh thanh pho", "old_province"),
    "district": ("district", "huyen", "quan huyen", "old_district"),
    "commune": ("commune", "ward", "xa", "phuong xa", "xa phuong", "old_commune"),
    "code": ("code", "commune_code", "ward_code", "ma xa", "ma", "old_commune_code"),
    "address": ("address", "dia chi", "old_address", "full_address", "dia chi cu"),
    "lat": ("lat", "latitude", "vi do"),
    "lon": ("lon", "lng", "long", "longitude", "kinh do"),
}


def row_point(row: list[str], ilat: int, ilon: int) -> tuple[float, float] | str | None:
    """A row's (lat, lon); None when both cells are empty; a note when they are not a point."""
    a, b = row[ilat].strip(), row[ilon].strip()
    if not a and not b:
        return None
    try:
        return check_point(float(a.replace(",", ".")), float(b.replace(",", ".")))
    except (ValueError, DataError):
        return f"lat/lon {a!r}, {b!r} is not a point; not used"


def input_columns(header: list[str], path: str, overrides: dict[str, str | None]) -> dict[str, int | None]:
    folded = [fold(h).replace(" ", "_") for h in header]
    out: dict[str, int | None] = {}
    for field, aliases in _ALIASES.items():
        want = overrides.get(field)
        if want:
            if want not in header:
                raise DataError(path, 1, f"no column {want!r}; the header has {header}")
            out[field] = header.index(want)
            continue
        out[field] = next((i for i, h in enumerate(folded) if h in {a.replace(" ", "_") for a in aliases}), None)
    if out["commune"] is None and out["code"] is None and out["address"] is None:
        raise DataError(
            path,
            1,
            "needs an 'address' column, a 'commune' column (with 'district' and 'province') or a 'code' "
            f"column; the header has {header}",
        )
    return out


def convert_csv(
    G: nx.MultiDiGraph,
    src: str | Path,
    dst: str | Path,
    *,
    on: date | None = None,
    as_of: date = OLD_DATE,
    columns: dict[str, str | None] | None = None,
    progress: Callable[[int], None] | None = None,
    delimiter: str | None = None,
) -> dict[str, int]:
    """Convert a CSV of old addresses into ``dst`` (the input columns, then OUTPUT_COLUMNS).

    Every input row gives one output row, in order. ``dst`` is written to a temporary file
    and renamed at the end, so it is never half-written. Returns counts per status.
    ``progress(n)`` is called as the input is read, with ``n`` more bytes read each time (they
    add up to the file's size), for a progress bar over the bytes.
    """
    src, dst = Path(src), Path(dst)
    conv = Converter(G, on=on or date.today(), as_of=as_of)
    counts: dict[str, int] = {}
    try:
        same = dst.exists() and os.path.samefile(src, dst)
    except OSError:
        same = False
    if same:
        raise DataError(str(dst), None, "is the input file; write the output to another file")
    try:
        raw = src.open("rb")
        fin = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise DataError(str(src), None, f"cannot read: {e.strerror}") from None
    tmp: str | None = None
    try:
        if _special(dst):  # a device or a pipe (/dev/stdout, /dev/full): written into, never replaced
            mode, fd = 0, os.open(dst, os.O_WRONLY)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            _clean_stale(dst.parent)
            mode = new_file_mode(dst)
            fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", suffix=".csv", dir=dst.parent)
    except OSError as e:
        fin.close()
        raise DataError(str(dst), None, f"cannot write: {why_not_written(dst, e)}") from None
    ok = False
    try:
        with fin, os.fdopen(fd, "w", encoding="utf-8", newline="") as fout:
            sample = fin.read(8192)
            fin.seek(0)
            if delimiter is None:
                try:
                    delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
                except csv.Error:
                    delimiter = ","
            reader = csv.reader(fin, delimiter=delimiter)
            size, done = os.fstat(raw.fileno()).st_size, 0
            try:
                header = next(reader)
            except StopIteration:
                raise DataError(str(src), None, "the file is empty") from None
            cols = input_columns(header, str(src), columns or {})
            ip, idd, ic, ik, ia = cols["province"], cols["district"], cols["commune"], cols["code"], cols["address"]
            ilat, ilon = cols["lat"], cols["lon"]
            # a free-text address column is read only when no commune or code column is given
            by_address = ia is not None and ic is None and ik is None
            out_cols = OUTPUT_COLUMNS + ADDRESS_COLUMNS if by_address else OUTPUT_COLUMNS
            writer = csv.writer(fout)
            writer.writerow(header + [c if c not in header else f"new_{c}" for c in out_cols])
            width = len(header)
            n = 0
            rows_memo: dict[tuple[str, str, str, str], tuple[str, list[str]]] = {}
            line_no = reader.line_num + 1
            for row in reader:
                first, line_no = line_no, reader.line_num + 1
                if line_no - first > 1 and len(row) != width:  # lines merged into one record
                    raise DataError(
                        str(src),
                        first,
                        f"one record of {len(row)} fields runs over lines {first}–{line_no - 1} (a stray or "
                        'unclosed quote "?); fix the quoting: no row was written',
                    )
                if not row:
                    continue  # a blank line is not a record
                if len(row) < width:
                    row = row + [""] * (width - len(row))
                elif len(row) > width:
                    raise DataError(str(src), first, f"{len(row)} fields but the header has {width}")
                if by_address:
                    k = (row[ia], "", "", "\0")  # type: ignore[index]
                else:
                    k = (
                        row[ip] if ip is not None else "",
                        row[idd] if idd is not None else "",
                        row[ic] if ic is not None else "",
                        row[ik] if ik is not None else "",
                    )
                point = row_point(row, ilat, ilon) if ilat is not None and ilon is not None else None
                got = rows_memo.get(k) if point is None else None
                if got is None:
                    pt = point if isinstance(point, tuple) else None
                    res = conv.convert_address(k[0], point=pt) if by_address else conv.convert(*k, point=pt)
                    if isinstance(point, str):
                        res = replace(res, note="; ".join(x for x in (res.note, point) if x))
                    got = (res.status, res.row(out_cols))
                    if point is None:
                        _remember(rows_memo, k, got)
                status, out = got
                counts[status] = counts.get(status, 0) + 1
                writer.writerow(row + out)
                n += 1
                if progress is not None and n % 10000 == 0:
                    at = min(_position(raw), size)  # the bytes read ahead into the buffers, too
                    progress(at - done)
                    done = at
            if progress is not None:
                progress(size - done)
        if tmp is not None:
            os.chmod(tmp, mode)
            os.replace(tmp, dst)
        ok = True
    except UnicodeDecodeError as e:
        raise DataError(str(src), None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except csv.Error as e:
        raise DataError(str(src), None, f"malformed CSV: {e}") from None
    except OrgraphError:
        raise
    except OSError as e:  # a full disk, the output folder gone
        raise DataError(str(dst), None, f"cannot write: {e.strerror or e}") from None
    finally:
        if not ok and tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return counts


def _special(path: Path) -> bool:
    """An existing output that is neither a regular file nor a folder: a device or a pipe,
    which a rename would replace (as root, ``--output /dev/full`` would become a file)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))
