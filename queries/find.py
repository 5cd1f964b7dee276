"""Find units by name or code, with or without diacritics, with type prefixes, abbreviations
and qualifiers ("Phường Điện Biên, Quận Ba Đình, Hà Nội")."""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from ..graph.build import event_outputs, in_events, is_live, out_events
from ..graph.errors import AmbiguousUnitError, UnknownUnitError
from ..graph.i18n import Message
from ..graph.model import Attr, EdgeKind, Kind, NodeKind, UnitType
from ..graph.names import Reading, exact, fold, key, province_alias, readings
from .bodynames import body_matches
from .results import UnitRef, unit_ref

__all__ = ["find", "resolve", "resolve_unit", "describe", "suggestions", "Resolution", "choose", "typo_key"]

CODE = re.compile(r"^\d{2,5}$")
_UP = (EdgeKind.PARENT, EdgeKind.BODY_OF)


@dataclass(slots=True)
class _Index:
    by_key: dict[str, list[str]]
    by_code: dict[str, list[str]]
    anc_types: dict[str, dict[str, frozenset[UnitType]]]
    keys: list[str]
    # former names (no spaces, as vietnamadminunits keys them) -> (unit, the name's type)
    former: dict[str, list[tuple[str, UnitType | None]]] = field(default_factory=dict)


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


def name_index(G: nx.MultiDiGraph) -> _Index:
    idx = _INDEXES.get(G)
    if idx is not None:
        return idx
    by_key: dict[str, list[str]] = defaultdict(list)
    by_code: dict[str, list[str]] = defaultdict(list)
    former: dict[str, list[tuple[str, UnitType | None]]] = defaultdict(list)
    units = []
    for n, a in G.nodes(data=True):
        if a.get(Attr.NODE) != NodeKind.UNIT:
            continue
        units.append(n)
        for f in a.get(Attr.FORMER_NAMES) or ():
            former[key(f["name"]).replace(" ", "")].append((n, UnitType(f["type"]) if f["type"] else None))
        k = a.get(Attr.KEY) or key(a[Attr.SHORT])
        by_key[k].append(n)
        full = a.get(Attr.KEY_FULL) or key(a[Attr.NAME])
        if full != k:
            by_key[full].append(n)
        if a.get(Attr.CODE):
            by_code[a[Attr.CODE]].append(n)
    memo: dict[str, dict[str, frozenset[UnitType]]] = {}

    def ancestors(n: str, depth: int = 0) -> dict[str, frozenset[UnitType]]:
        got = memo.get(n)
        if got is not None:
            return got
        out: dict[str, set[UnitType]] = defaultdict(set)
        if depth < 8:
            for p, kd in G._succ[n].items():
                if not any(
                    d.get(Attr.KIND) in _UP for d in kd.values()
                ):  # a body's territory qualifies it like a parent
                    continue
                a = G._node[p]
                out[a.get(Attr.KEY) or key(a[Attr.SHORT])].add(a[Attr.TYPE])
                for k, ts in ancestors(p, depth + 1).items():
                    out[k] |= ts
        res = {k: frozenset(v) for k, v in out.items()}
        memo[n] = res
        return res

    idx = _Index(dict(by_key), dict(by_code), _Lazy(ancestors), [], dict(former))
    # idx.keys (sorted, for suggestions) is filled the first time it is needed
    _INDEXES[G] = idx
    return idx


class _Lazy(dict):  # type: ignore[type-arg]
    """Ancestor keys, computed the first time a unit is asked about."""

    def __init__(self, fn):  # noqa: ANN001
        super().__init__()
        self._fn = fn

    def get(self, n, default=None):  # noqa: ANN001, ANN201
        return self[n]

    def __missing__(self, n):  # noqa: ANN001, ANN204
        v = self._fn(n)
        self[n] = v
        return v


def prefer_exact(G: nx.MultiDiGraph, hits: list[str], written: str) -> list[str]:
    """Among several hits, keep those whose name matches ``written`` with its diacritics."""
    if len(hits) < 2 or written.isascii():
        return hits
    ex = exact(written)
    pref = [h for h in hits if exact(G.nodes[h][Attr.SHORT]) == ex or exact(G.nodes[h][Attr.NAME]) == ex]
    return pref or hits


def parse_all(text: str) -> list[tuple[Reading, ...]]:
    """Each comma-separated part's readings (:func:`orgraph.graph.names.readings`), likeliest
    first: "phuong thien" is a ward named Thiện or the name Phương Thiện."""
    parts = [p for p in (s.strip() for s in text.split(",")) if p]
    # "TP.HCM", "HN", "BR-VT": a province's alias; "Sài Gòn" only as a qualifier
    return [
        tuple((types, province_alias(k, as_province=i > 0)) for types, k in readings(p)) for i, p in enumerate(parts)
    ]


def parse_name(text: str) -> list[Qualifier]:
    """Each comma-separated part's likeliest reading: (types of its prefix, its key)."""
    return [r[0] for r in parse_all(text)]


def sort_key(G: nx.MultiDiGraph, n: str) -> tuple:
    a = G.nodes[n]
    order = {Kind.PROVINCE: 0, Kind.DISTRICT: 1, Kind.COMMUNE: 2}
    return (order.get(a[Attr.KIND], 3), a[Attr.VALID_FROM] or date.min, a[Attr.NAME], n)


def find(
    G: nx.MultiDiGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
) -> list[UnitRef]:
    """Every unit whose name (or code, or id) matches ``text``, at any date unless ``on``.

    Matching ignores case and diacritics, understands type prefixes and their
    abbreviations, and checks comma-separated qualifiers against the unit's parents at
    any date.

    >>> from orgraph import load_national
    >>> [u.name for u in find(load_national(), "P. Dien Bien, Q. Ba Dinh")]
    ['Phường Điện Biên']
    """
    G_nodes = G.nodes
    text = text.strip()
    if text in G_nodes and G_nodes[text].get(Attr.NODE) == NodeKind.UNIT:
        hits = [text]
    else:
        idx = name_index(G)
        if CODE.match(text):
            hits = list(idx.by_code.get(text, ()))
        else:
            parsed = parse_all(text)
            if not parsed or not parsed[0][0][1]:
                return []
            hits = []
            for types, k in parsed[0]:  # "phuong thien": a ward named Thiện, else Phương Thiện
                hits = _by_key(G, idx, k, types, parsed[1:], text.split(",")[0])
                if hits:
                    break
            if not hits:
                hits = _as_address(G, text)
    if kind is not None:
        hits = [n for n in hits if G_nodes[n][Attr.KIND] == Kind(kind)]
    if on is not None:
        hits = [n for n in hits if is_live(G_nodes[n], on)]
    return [unit_ref(G, n) for n in sorted(set(hits), key=lambda n: sort_key(G, n))]


def _by_key(
    G: nx.MultiDiGraph,
    idx: _Index,
    k: str,
    types: frozenset[UnitType] | None,
    quals: Sequence[Sequence[Reading]],
    written: str,
) -> list[str]:
    hits = []
    cands = [(n, None) for n in idx.by_key.get(k, ())] + idx.former.get(k.replace(" ", ""), [])
    for n, former_type in cands:  # a former name is matched with the type it had
        if types is not None and (former_type or G._node[n][Attr.TYPE]) not in types:
            continue
        if not _qualifies(idx, n, quals):
            continue
        hits.append(n)
    hits += body_matches(G, idx.by_key, written, lambda n: _qualifies(idx, n, quals))
    return prefer_exact(G, list(dict.fromkeys(hits)), written)


def _as_address(G: nx.MultiDiGraph, text: str) -> list[str]:
    """The units a whole address names ("xa minh khai huyen hung ha thai binh", "P12 Q Go
    Vap HCM"): read right to left, with nothing left over in front."""
    from .address import parse_address

    parsed = parse_address(G, text)
    if parsed.street or parsed.corrections:
        return []
    if parsed.commune:
        return prefer_exact(G, list(parsed.commune), parsed.commune_text)
    return list(parsed.deepest)


def _qualifies(idx: _Index, n: str, quals: Sequence[Sequence[Reading]]) -> bool:
    """Every qualifier (in one of its readings) names one of ``n``'s ancestors."""
    anc = idx.anc_types.get(n, {})
    for q in quals:
        if not any((got := anc.get(k)) is not None and (types is None or bool(got & types)) for types, k in q):
            return False
    return True


def close_keys(k: str, keys: Sequence[str], *, n: int = 5) -> list[str]:
    """The name keys nearest to ``k`` (rapidfuzz), best first; shared by both backends."""
    from rapidfuzz import fuzz, process

    if not k:
        return []
    got = process.extract(k, keys, scorer=fuzz.ratio, limit=n, score_cutoff=60)
    if not got:
        got = process.extract(k, keys, scorer=fuzz.partial_ratio, limit=n, score_cutoff=80)
    return [c for c, _score, _ in got]


def typo_key(k: str, keys: Sequence[str]) -> str | None:
    """The one key within a small edit distance of ``k`` (a typo), or None when there is no
    such key or several are as near.

    >>> typo_key("thai bnh", ["thai binh", "thai bao"]), typo_key("hung", ["hung ha"])
    ('thai binh', None)
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    if len(k) < 4 or k.isdigit():
        return None
    limit = 1 if len(k) < 8 else 2
    got = process.extract(k, keys, scorer=OSA.distance, score_cutoff=limit, limit=3)
    if not got or (len(got) > 1 and got[1][1] == got[0][1]):
        return None
    return got[0][0]


def _keys(idx: _Index) -> list[str]:
    if not idx.keys:
        idx.keys = sorted(idx.by_key)
    return idx.keys


def suggestions(G: nx.MultiDiGraph, text: str, *, n: int = 5) -> list[str]:
    """Names close to ``text``, for an error message: the nearest name keys (rapidfuzz),
    the units of each that fit the type prefix and qualifiers written first."""
    idx = name_index(G)

    def fits(c: str, types: frozenset[UnitType] | None, quals: list[Qualifier]) -> list[tuple[str, int]]:
        return [
            (u, (types is None or G.nodes[u][Attr.TYPE] in types) + sum(_qualifies(idx, u, [(q,)]) for q in quals))
            for u in sorted(idx.by_key[c], key=lambda u: sort_key(G, u))
        ]

    return rank_suggestions(text, _keys(idx), n=n, fits=fits, label=lambda u: describe(G, u))


Qualifier = tuple[frozenset[UnitType] | None, str]


def rank_suggestions(
    text: str,
    keys: Sequence[str],
    *,
    n: int,
    fits: Callable[[str, frozenset[UnitType] | None, list[Qualifier]], Iterable[tuple[str, int]]],
    label: Callable[[str], str],
) -> list[str]:
    """The ranking behind :func:`suggestions`, shared by both backends: the nearest name
    ``keys`` to ``text``'s first part, and of each key's units (``fits(key, types, quals)``
    gives them in order, each with how many of the written type and qualifiers it fits)
    those that fit most first."""
    parsed = parse_name(text)
    types, k = parsed[0] if parsed else (None, fold(text))
    quals = parsed[1:] if parsed else []
    ranked: list[tuple[int, int, str]] = []
    for i, c in enumerate(close_keys(k, keys, n=n * 2)):
        for u, fit in fits(c, types, quals):
            ranked.append((-fit, i, u))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [label(u) for _, _, u in ranked[:n]]


def describe(G: nx.MultiDiGraph, n: str) -> str:
    """A one-line human label: name, parent chain at its time, dates and id."""
    return unit_ref(G, n).label()


@dataclass(frozen=True, slots=True)
class Resolution:
    """The unit a name was taken to mean, the other units it matches, and how it was read."""

    id: str
    alternatives: tuple[UnitRef, ...] = field(default_factory=tuple)
    note: str = ""


_LEVEL: dict[str, int] = {Kind.PROVINCE.value: 0, Kind.DISTRICT.value: 1, Kind.COMMUNE.value: 2}


def choose(
    text: str,
    hits: Sequence[UnitRef],
    *,
    on: date | None = None,
    chain_ok: bool = False,
    direction: str | None = None,
    one_chain: Callable[[list[str]], bool],
    has_predecessors: Callable[[str], bool],
) -> tuple[UnitRef, tuple[UnitRef, ...]]:
    """Pick the unit a name means among ``hits``, by what the user asks; the rule both
    backends share. Returns the unit and the other matches (its alternatives).

    In order: the one unit live on ``on``; with ``chain_ok``, the earliest of one succession
    chain; the highest level matched (a province before a district before a commune); of
    several there, for ``direction="successors"`` those that ended, for ``"predecessors"``
    the newest that has predecessors. A real tie raises :class:`AmbiguousUnitError`
    listing every match.
    """

    def pick(h: UnitRef) -> tuple[UnitRef, tuple[UnitRef, ...]]:
        return h, tuple(x for x in hits if x.id != h.id)

    if len(hits) == 1:
        return pick(hits[0])
    if on is not None:
        live = [h for h in hits if is_live({Attr.VALID_FROM: h.valid_from, Attr.VALID_TO: h.valid_to}, on)]
        if len(live) == 1:
            return pick(live[0])
    if chain_ok and one_chain([h.id for h in hits]):
        return pick(hits[0] if hits[0].valid_from is None else min(hits, key=lambda h: h.valid_from or date.min))
    top_level = min(_LEVEL.get(h.kind, 3) for h in hits)
    top = [h for h in hits if _LEVEL.get(h.kind, 3) == top_level]
    if len(top) > 1 and direction == "successors":
        top = [h for h in top if h.valid_to is not None] or top
    elif len(top) > 1 and direction == "predecessors":
        made = [h for h in top if h.valid_from is not None and has_predecessors(h.id)]
        if made:
            newest = max(h.valid_from or date.min for h in made)
            top = [h for h in made if h.valid_from == newest]
    if len(top) > 1 and chain_ok and one_chain([h.id for h in top]):
        top = [min(top, key=lambda h: h.valid_from or date.min)]
    if len(top) == 1:
        return pick(top[0])
    raise AmbiguousUnitError(text, [h.label() for h in hits])


def resolve_unit(
    G: nx.MultiDiGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
    chain_ok: bool = False,
    direction: str | None = None,
) -> Resolution:
    """Resolve a name, code or id to one unit, by what the user asks (``direction``
    ``"successors"`` or ``"predecessors"``), with the other units the name matches.

    A name within a small edit distance of one unit's name (a typo) resolves to it, and
    the answer says so. See :func:`choose` for the rule.

    >>> from orgraph import load_national
    >>> G = load_national()
    >>> resolve_unit(G, "Tỉnh Tuyên Quang", direction="predecessors").id
    'province:08@2025-07-01'
    >>> r = resolve_unit(G, "Hà Giang", direction="successors")
    >>> r.id, [a.id for a in r.alternatives]
    ('province:02', ['district:024', 'commune:12745', 'commune:15292'])
    """
    return settle(
        text,
        find(G, text, kind=kind),
        typo=lambda: _typo(G, text, kind),
        suggest=lambda: suggestions(G, text),
        on=on,
        chain_ok=chain_ok,
        direction=direction,
        one_chain=lambda ids: _one_chain(G, ids),
        has_predecessors=lambda uid: bool(in_events(G, uid)),
    )


def settle(
    text: str,
    hits: Sequence[UnitRef],
    *,
    typo: Callable[[], tuple[list[UnitRef], str]],
    suggest: Callable[[], list[str]],
    on: date | None,
    chain_ok: bool,
    direction: str | None,
    one_chain: Callable[[list[str]], bool],
    has_predecessors: Callable[[str], bool],
) -> Resolution:
    """The end of :func:`resolve_unit`, shared by both backends: with no ``hits``, the units
    of the one name a typo away (``typo()``), else :class:`UnknownUnitError` with
    ``suggest()``; then :func:`choose`, and a note when the name was read as a typo."""
    note = ""
    if not hits:
        hits, note = typo()
    if not hits:
        raise UnknownUnitError(text, suggest())
    unit, alternatives = choose(
        text,
        hits,
        on=on,
        chain_ok=chain_ok,
        direction=direction,
        one_chain=one_chain,
        has_predecessors=has_predecessors,
    )
    if note:
        note = Message("no unit is named {text!r}; read as {name} ({how})", text=text, name=unit.name, how=note)
    return Resolution(unit.id, alternatives, note)


def _typo(G: nx.MultiDiGraph, text: str, kind: Kind | str | None) -> tuple[list[UnitRef], str]:
    """The units of the one name a small edit away from the first part of ``text``."""
    idx = name_index(G)

    def hits_of(fixed: str, types: frozenset[UnitType] | None, quals: list[Qualifier]) -> list[str]:
        hits = _by_key(G, idx, fixed, types, [(q,) for q in quals], "")
        return [n for n in hits if kind is None or G.nodes[n][Attr.KIND] == Kind(kind)]

    hits, note = typo_hits(text, _keys(idx), hits_of)
    return [unit_ref(G, n) for n in sorted(set(hits), key=lambda n: sort_key(G, n))], note


def typo_hits(
    text: str,
    keys: Sequence[str],
    hits_of: Callable[[str, frozenset[UnitType] | None, list[Qualifier]], list[str]],
) -> tuple[list[str], str]:
    """The units (``hits_of(key, types, quals)``) of the one name key a small edit away from
    the first part of ``text``, and how it was read; shared by both backends."""
    parsed = parse_name(text)
    if not parsed or CODE.match(text.strip()):
        return [], ""
    (types, k), quals = parsed[0], parsed[1:]
    fixed = typo_key(k, keys)
    if fixed is None:
        return [], ""
    hits = hits_of(fixed, types, quals)
    return (hits, Message("{typed!r} as {fixed!r}", typed=k, fixed=fixed)) if hits else ([], "")


def resolve(
    G: nx.MultiDiGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
    chain_ok: bool = False,
    direction: str | None = None,
) -> str:
    """Resolve a name, code or id to exactly one unit id.

    Raises :class:`UnknownUnitError` (with suggestions) or :class:`AmbiguousUnitError`
    (listing every candidate). With ``on``, candidates live on that date are preferred.
    With ``chain_ok``, candidates that form one succession chain (a code reused by the
    unit's successor) resolve to the earliest. Otherwise the highest level matched, then
    ``direction`` decide (see :func:`resolve_unit`).

    >>> from orgraph import load_national
    >>> resolve(load_national(), "Xã Minh Khai, Hưng Hà, Thái Bình")
    'commune:12658'
    """
    return resolve_unit(G, text, on=on, kind=kind, chain_ok=chain_ok, direction=direction).id


def _one_chain(G: nx.MultiDiGraph, ids: list[str]) -> bool:

    ids_set = set(ids)
    for a in ids:
        reach = {o for ev, _ in out_events(G, a) for o in event_outputs(G, ev)}
        if reach & ids_set:
            continue
        if any(a in {o for ev, _ in out_events(G, b) for o in event_outputs(G, ev)} for b in ids):
            continue
        return False
    return True
