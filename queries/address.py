"""Free-text old addresses: "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM" read right to left
into a province, a district within it and a commune within that, and the leading street.

The reading is pure and offline: it looks names up in tables built once from the units'
name keys and parent links (from the embedded graph, or from rows a backend gives).
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx

from ..graph.i18n import Message
from ..graph.model import Attr, EdgeKind, Kind, NodeKind, UnitType
from ..graph.names import PREFIXES, PROVINCE_ALIASES, fold, nfc
from .results import jsonable

__all__ = ["ParsedAddress", "AddressIndex", "parse_address", "address_index", "nearest_below", "name_key"]

# A name is looked up in up to this many words (the longest unit name has 6)
_MAX_WORDS = 7
_WORD = re.compile(r"[^\W_]+")
_TRAILING_COUNTRY = (["viet", "nam"], ["vietnam"], ["vn"])
# the types a level's units have had: a prefix of another level rules a name out there
_FAMILY: dict[str, frozenset[UnitType]] = {
    Kind.PROVINCE: frozenset({UnitType.TINH, UnitType.THANH_PHO_TW}),
    Kind.DISTRICT: frozenset(
        {UnitType.QUAN, UnitType.HUYEN, UnitType.THI_XA, UnitType.THANH_PHO_THUOC_TINH, UnitType.THANH_PHO_THUOC_TP}
    ),
    Kind.COMMUNE: frozenset({UnitType.XA, UnitType.PHUONG, UnitType.THI_TRAN, UnitType.DAC_KHU}),
}
# prefixes as word tuples, longest first
_PREFIX_WORDS: list[tuple[tuple[str, ...], frozenset[UnitType]]] = sorted(
    ((tuple(p.split()), t) for p, t in PREFIXES), key=lambda pt: -len(pt[0])
)
# one-word prefixes by the word itself, longer ones by their words
_PREFIX_BY_WORDS: dict[str | tuple[str, ...], frozenset[UnitType]] = {
    (p[0] if len(p) == 1 else p): t for p, t in _PREFIX_WORDS
}


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address read into its parts. ``commune``, ``district`` and ``province`` hold the ids
    of every unit the text can mean at that level (empty when that part was not found);
    ``street`` is the leading text left over, as written; ``corrections`` says which words
    were read as a nearby name (typos)."""

    text: str
    street: str = ""
    commune: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    corrections: tuple[str, ...] = field(default_factory=tuple)
    commune_text: str = ""  # the commune's part as written, with its diacritics

    @property
    def deepest(self) -> tuple[str, ...]:
        """The units of the lowest level found."""
        return self.commune or self.district or self.province

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


@dataclass(slots=True)
class AddressIndex:
    """Name tables for reading addresses: keys at each level, and each unit's units below it."""

    kind: dict[str, str]
    type: dict[str, str]
    keys: dict[str, tuple[str, ...]]  # unit -> its name keys
    provinces: dict[str, list[str]]  # key -> provinces (aliases included)
    districts: dict[str, list[str]]  # key -> districts
    communes: dict[str, list[str]]  # key -> communes
    below: dict[tuple[str, str], dict[str, list[str]]]  # (unit, kind) -> key -> units of that kind under it
    unions: dict[tuple[tuple[str, ...], str], dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, Sequence[str], Sequence[str]]]) -> AddressIndex:
        """Build from (id, kind, type, name keys, parent ids at any date) of every unit."""
        kind: dict[str, str] = {}
        typ: dict[str, str] = {}
        keys: dict[str, tuple[str, ...]] = {}
        parents: dict[str, tuple[str, ...]] = {}
        levels: dict[str, dict[str, list[str]]] = {
            k: defaultdict(list) for k in (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE)
        }
        for uid, k, t, ks, ps in rows:
            if k not in levels:
                continue
            kind[uid], typ[uid] = k, t
            keys[uid] = tuple(dict.fromkeys(x for x in ks if x))
            parents[uid] = tuple(ps)
            for x in keys[uid]:
                levels[k][x].append(uid)
        for alias, target in PROVINCE_ALIASES.items():
            if target in levels[Kind.PROVINCE] and alias not in levels[Kind.PROVINCE]:
                levels[Kind.PROVINCE][alias] = levels[Kind.PROVINCE][target]
        below: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for uid, ps in parents.items():
            ups = dict.fromkeys(ps)
            for p in ps:  # a commune is also under its district's provinces
                ups.update(dict.fromkeys(parents.get(p, ())))
            for p in ups:
                if p in kind:
                    for x in keys[uid]:
                        below[(p, kind[uid])][x].append(uid)
        return cls(
            kind,
            typ,
            keys,
            dict(levels[Kind.PROVINCE]),
            dict(levels[Kind.DISTRICT]),
            dict(levels[Kind.COMMUNE]),
            {pk: dict(d) for pk, d in below.items()},
        )


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, AddressIndex] = weakref.WeakKeyDictionary()


def address_index(G: nx.MultiDiGraph) -> AddressIndex:
    """The address tables of ``G``, built once per graph."""
    got = _INDEXES.get(G)
    if got is None:
        got = AddressIndex.from_rows(_graph_rows(G))
        _INDEXES[G] = got
    return got


def name_key(short: str) -> str:
    """A short name's key for reading addresses: folded, its words as written ("Phương
    Canh" stays "phuong canh"; the lookup key would drop "phuong" as if it were "Phường")."""
    return " ".join(_part_words(short))


def _graph_rows(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]:
    from ..graph.names import key

    levels = {Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE}
    succ = G.succ
    parent = EdgeKind.PARENT
    for n, a in G.nodes(data=True):
        if a.get(Attr.KIND) not in levels or a.get(Attr.NODE) != NodeKind.UNIT:
            continue
        ks = (name_key(a[Attr.SHORT]), a.get(Attr.KEY_FULL) or key(a[Attr.NAME]))
        ps = tuple(p for p, es in succ[n].items() if any(d.get(Attr.KIND) == parent for d in es.values()))
        yield n, a[Attr.KIND], a[Attr.TYPE], ks, ps


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Tokens:
    words: list[str]  # folded words
    seg: list[int]  # which comma-separated part each word is in
    text: str


_PARTS = re.compile(r"[,;\n]")
_GLUED_IN = re.compile(r"\b([pfq])(\d+)\b")
_ZEROS = re.compile(r"\b0+(\d)")


@lru_cache(maxsize=100_000)
def _part_words(part: str) -> tuple[str, ...]:
    """The folded words of one comma-separated part: "P.012" -> ("p", "12")."""
    f = fold(part)
    if any(c.isdigit() for c in f):
        f = _ZEROS.sub(r"\1", _GLUED_IN.sub(r"\1 \2", f))
    return tuple(f.split())


def _tokens(text: str) -> _Tokens:
    text = nfc(text)
    words: list[str] = []
    seg: list[int] = []
    for i, part in enumerate(_PARTS.split(text)):
        w = _part_words(part)
        words.extend(w)
        seg.extend([i] * len(w))
    return _Tokens(words, seg, text)


def _word_start(text: str, index: int) -> int:
    """Where word ``index`` (as :func:`_tokens` counts words) starts in ``text``."""
    seen = 0
    for m in _WORD.finditer(text):
        n = len(_part_words(m.group()))
        if seen + n > index:
            return m.start()
        seen += n
    return len(text)


@dataclass(slots=True)
class _Match:
    units: list[str]
    start: int  # first word of the prefix, or of the name when there is none
    explicit: bool  # a type prefix was written
    correction: str = ""


def _matches(
    t: _Tokens,
    end: int,
    table: dict[str, list[str]],
    level: str,
    types_of: dict[str, str],
    *,
    fuzzy: bool = False,
) -> list[_Match]:
    """Names of ``table`` ending just before word ``end``, with or without a type prefix.

    A prefix of this level's type narrows the units; one of another level's type (``Xã``
    before a district's name) rules the name out at this level; one of this level but
    another type (``TX.`` for what has since become a city) is read as no prefix."""
    words, seg = t.words, t.seg
    out: list[_Match] = []
    if end <= 0:
        return out
    family = _FAMILY[level]
    last_seg = seg[end - 1]
    for n in range(1, min(_MAX_WORDS, end) + 1):
        s = end - n
        if seg[s] != last_seg:
            break
        units = table.get(" ".join(words[s:end]))
        if not units:
            continue
        pre = _prefix_before(t, s, last_seg)
        if pre is not None:
            pstart, ptypes = pre
            typed = [u for u in units if types_of[u] in ptypes]
            if typed:
                out.append(_Match(typed, pstart, True))
                continue
            if not ptypes & family:
                continue
            out.append(_Match(list(units), pstart, False))
            continue
        if words[end - 1].isdigit() and n == 1:
            continue  # "Phường 1", "Quận 1": a bare number is a house number
        out.append(_Match(list(units), s, False))
    if not out and fuzzy:
        out = _fuzzy(t, end, table, last_seg)
    return out


# prefix lengths to try, longest that can occur first: "thi xa" before "xa"
_PREFIX_LENGTHS = sorted({len(p) for p, _ in _PREFIX_WORDS}, reverse=True)


def _prefix_before(t: _Tokens, s: int, part: int) -> tuple[int, frozenset[UnitType]] | None:
    """The type prefix written just before word ``s`` in the same part, if any."""
    words, seg = t.words, t.seg
    for n in _PREFIX_LENGTHS:
        if n > s or seg[s - n] != part:
            continue
        types = _PREFIX_BY_WORDS.get(words[s - 1] if n == 1 else tuple(words[s - n : s]))
        if types is not None:
            return s - n, types
    return None


def _fuzzy(t: _Tokens, end: int, table: dict[str, list[str]], part: int) -> list[_Match]:
    """A name within a small edit distance of exactly one key of ``table`` (a typo)."""
    from rapidfuzz.distance import OSA

    best: list[_Match] = []
    for n in range(1, min(4, end) + 1):
        s = end - n
        if t.seg[s] != part:
            break
        name = " ".join(t.words[s:end])
        if len(name) < 4 or name.isdigit():
            continue
        limit = 1 if len(name) < 8 else 2
        dist = sorted(
            (d, k)
            for k in table
            if abs(len(k) - len(name)) <= limit and (d := OSA.distance(name, k, score_cutoff=limit)) <= limit
        )
        close = [k for d, k in dist if d == dist[0][0]] if dist else []
        if len(close) == 1:
            k = close[0]
            pre = _prefix_before(t, s, part)
            best.append(
                _Match(
                    list(table[k]),
                    pre[0] if pre else s,
                    pre is not None,
                    Message("{typed!r} as {fixed!r}", typed=name, fixed=k),
                )
            )
    return best[-1:]  # the longest


def parse_address(G: nx.MultiDiGraph | AddressIndex, text: str) -> ParsedAddress:
    """Read an old address: the province, then the district within it, then the commune
    within that, right to left; what is left in front is the street.

    Commas, dashes or no separators; any case, with or without diacritics; type prefixes
    and their abbreviations (``P.12``, ``Q1``, ``TX.``, ``TP.``, ``H.``, ``X.``) and the
    usual aliases (``TP.HCM``, ``HN``, ``BR-VT``, ``TT Huế``); a trailing "Việt Nam" is
    ignored. Each level holds every unit the text can mean there.

    >>> from orgraph import load_national
    >>> p = parse_address(load_national(), "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM")
    >>> p.street, p.commune, p.district, p.province
    ('123 Nguyễn Trãi', ('commune:26743',), ('district:760',), ('province:79', 'province:79@2025-07-01'))
    """
    idx = G if isinstance(G, AddressIndex) else address_index(G)
    t = _tokens(text)
    n = len(t.words)
    # a trailing "Việt Nam"
    for cw in _TRAILING_COUNTRY:
        if n > len(cw) and t.words[n - len(cw) : n] == cw:
            n -= len(cw)
            break
    best: tuple[tuple[int, ...], list[tuple[int, list[str], list[str], list[str], tuple[str, ...], int]]] | None = None
    provs = _matches(t, n, idx.provinces, Kind.PROVINCE, idx.type)
    p_opts: list[tuple[int, list[str] | None, bool, str]] = [
        (m.start, m.units, m.explicit, m.correction) for m in provs
    ]
    if not provs:
        p_opts = [
            (m.start, m.units, m.explicit, m.correction)
            for m in _matches(t, n, idx.provinces, Kind.PROVINCE, idx.type, fuzzy=True)
            if len(m.units) <= 2
        ]
    if not p_opts:  # position decides: a province's name at the end is the province
        p_opts.append((n, None, False, ""))
    for p_start, p_units, p_exp, p_fix in p_opts:
        if p_units is not None:
            d_table = _union(idx, p_units, Kind.DISTRICT)
        else:
            d_table = idx.districts
        d_opts: list[tuple[int, list[str] | None, bool, str]] = [
            (m.start, m.units, m.explicit, m.correction)
            for m in _matches(t, p_start, d_table, Kind.DISTRICT, idx.type, fuzzy=p_units is not None)
        ]
        if not any(d[2] for d in d_opts):
            d_opts.append((p_start, None, False, ""))
        for d_start, d_units, d_exp, d_fix in d_opts:
            if d_units is not None:
                c_table = _union(idx, d_units, Kind.COMMUNE)
            elif p_units is not None:
                c_table = _union(idx, p_units, Kind.COMMUNE)
            else:
                c_table = idx.communes
            c_opts: list[tuple[int, list[str] | None, bool, str]] = [
                (m.start, m.units, m.explicit, m.correction)
                for m in _matches(t, d_start, c_table, Kind.COMMUNE, idx.type, fuzzy=d_units is not None)
            ]
            if not c_opts:
                c_opts.append((d_start, None, False, ""))
            for c_start, c_units, c_exp, c_fix in c_opts:
                found = [x for x in (c_units, d_units, p_units) if x is not None]
                if not found:
                    continue
                fixes = tuple(f for f in (c_fix, d_fix, p_fix) if f)
                score = (
                    c_units is not None,
                    len(found),
                    -len(fixes),
                    int(c_exp) + int(d_exp) + int(p_exp),
                    n - c_start,
                )
                cand = (c_start, c_units or [], d_units or [], p_units or [], fixes, d_start)
                if best is None or score > best[0]:
                    best = (score, [cand])
                elif score == best[0]:
                    best[1].append(cand)
    if best is None:
        return ParsedAddress(text=t.text, street=_street(t, n))
    cands = best[1]
    start = min(c[0] for c in cands)

    def union(lists: Iterable[list[str]]) -> tuple[str, ...]:
        return tuple(sorted({u for units in lists for u in units}))

    return ParsedAddress(
        text=t.text,
        street=_street(t, start),
        commune=union(c[1] for c in cands),
        district=union(c[2] for c in cands),
        province=union(c[3] for c in cands),
        corrections=tuple(dict.fromkeys(f for c in cands for f in c[4])),
        commune_text=_span(t, cands[0][0], cands[0][5]) if cands[0][1] else "",
    )


def _union(idx: AddressIndex, parents: list[str], kind: str) -> dict[str, list[str]]:
    """The keys of units of ``kind`` under any of ``parents``."""
    if len(parents) == 1:
        return idx.below.get((parents[0], kind), {})
    k = (tuple(parents), kind)
    got = idx.unions.get(k)
    if got is None:
        out: dict[str, list[str]] = {}
        for p in parents:
            for name, us in idx.below.get((p, kind), {}).items():
                have = out.setdefault(name, [])
                have.extend(u for u in us if u not in have)
        got = idx.unions[k] = out
    return got


def _span(t: _Tokens, start: int, end: int) -> str:
    """Words ``start`` to ``end`` (exclusive) as written."""
    a = _word_start(t.text, start)
    b = _word_start(t.text, end) if end < len(t.words) else len(t.text)
    return t.text[a:b].strip(_SEPARATORS)


_SEPARATORS = " ,;-–.\t"


def _street(t: _Tokens, start: int) -> str:
    """The text in front of word ``start``, as written, without trailing separators."""
    if start >= len(t.words):
        return t.text.strip(_SEPARATORS)
    if start == 0:
        return ""
    return t.text[: _word_start(t.text, start)].strip(_SEPARATORS)


def nearest_below(G: nx.MultiDiGraph | AddressIndex, parents: Sequence[str], text: str, *, n: int = 3) -> list[str]:
    """The communes under any of ``parents`` whose names are nearest to ``text`` (ids)."""
    from rapidfuzz import fuzz, process

    idx = G if isinstance(G, AddressIndex) else address_index(G)
    table = _union(idx, list(parents), Kind.COMMUNE)
    if not table:
        table = _union(idx, list(parents), Kind.DISTRICT)
    words = _tokens(text).words
    # the last few words: the commune's name comes last in what was not read
    probe = " ".join(words[-4:])
    out: list[str] = []
    for k, _score, _ in process.extract(probe, list(table), scorer=fuzz.WRatio, limit=n):
        out.extend(u for u in table[k] if u not in out)
    return out[:n]
