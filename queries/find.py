"""Find units by name or code, with or without diacritics, with type prefixes, abbreviations
and qualifiers ("Phường Điện Biên, Quận Ba Đình, Hà Nội")."""

from __future__ import annotations

import difflib
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import networkx as nx

from ..graph.build import is_live
from ..graph.errors import AmbiguousUnitError, NotLiveError, UnknownUnitError
from ..graph.model import Attr, EdgeKind, Kind, NodeKind, UnitType
from ..graph.names import exact, fold, key, split_prefix
from .bodynames import body_matches
from .results import UnitRef, unit_ref

__all__ = ["find", "resolve", "describe"]

_CODE = re.compile(r"^\d{2,5}$")
_UP = (EdgeKind.PARENT, EdgeKind.BODY_OF)


@dataclass(slots=True)
class _Index:
    by_key: dict[str, list[str]]
    by_code: dict[str, list[str]]
    ancestors: dict[str, frozenset[str]]  # unused; kept empty
    anc_types: dict[str, dict[str, frozenset[UnitType]]]
    keys: list[str]


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


def _index(G: nx.MultiDiGraph) -> _Index:
    idx = _INDEXES.get(G)
    if idx is not None:
        return idx
    by_key: dict[str, list[str]] = defaultdict(list)
    by_code: dict[str, list[str]] = defaultdict(list)
    units = []
    for n, a in G.nodes(data=True):
        if a.get(Attr.NODE) != NodeKind.UNIT:
            continue
        units.append(n)
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
            for _, p, d in G.out_edges(n, data=True):
                if d.get("kind") not in _UP:  # a body's territory qualifies it like a parent
                    continue
                a = G.nodes[p]
                out[a.get(Attr.KEY) or key(a[Attr.SHORT])].add(a[Attr.TYPE])
                for k, ts in ancestors(p, depth + 1).items():
                    out[k] |= ts
        res = {k: frozenset(v) for k, v in out.items()}
        memo[n] = res
        return res

    idx = _Index(dict(by_key), dict(by_code), {}, _Lazy(ancestors), [])
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


def _parse(text: str) -> list[tuple[frozenset[UnitType] | None, str]]:
    parts = [p for p in (s.strip() for s in text.split(",")) if p]
    out = []
    for p in parts:
        types, rest = split_prefix(fold(p))
        out.append((types, key(rest) if rest else rest))
    return out


def _sort_key(G: nx.MultiDiGraph, n: str) -> tuple:
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
        idx = _index(G)
        if _CODE.match(text):
            hits = list(idx.by_code.get(text, ()))
        else:
            parsed = _parse(text)
            if not parsed or not parsed[0][1]:
                return []
            (types, k), quals = parsed[0], parsed[1:]
            hits = []
            for n in idx.by_key.get(k, ()):
                a = G_nodes[n]
                if types is not None and a[Attr.TYPE] not in types:
                    continue
                if not _qualifies(idx, n, quals):
                    continue
                hits.append(n)
            hits += [n for n in body_matches(G, idx.by_key, text, lambda n: _qualifies(idx, n, quals)) if n not in hits]
            hits = prefer_exact(G, hits, text.split(",")[0])
    if kind is not None:
        hits = [n for n in hits if G_nodes[n][Attr.KIND] == Kind(kind)]
    if on is not None:
        hits = [n for n in hits if is_live(G_nodes[n], on)]
    return [unit_ref(G, n) for n in sorted(set(hits), key=lambda n: _sort_key(G, n))]


def _qualifies(idx: _Index, n: str, quals: list[tuple[frozenset[UnitType] | None, str]]) -> bool:
    anc = idx.anc_types.get(n, {})
    for types, k in quals:
        got = anc.get(k)
        if got is None or (types is not None and not (got & types)):
            return False
    return True


def suggestions(G: nx.MultiDiGraph, text: str, *, n: int = 5) -> list[str]:
    """Names close to ``text``, for an error message."""
    idx = _index(G)
    parsed = _parse(text)
    k = parsed[0][1] if parsed else fold(text)
    if not idx.keys:
        idx.keys = sorted(idx.by_key)
    close = difflib.get_close_matches(k, idx.keys, n=n, cutoff=0.6)
    if not close:
        close = [x for x in idx.keys if x.startswith(k[:4])][:n] if len(k) >= 4 else []
    out: list[str] = []
    for c in close:
        for u in sorted(idx.by_key[c], key=lambda u: _sort_key(G, u))[:3]:
            out.append(describe(G, u))
        if len(out) >= n:
            break
    return out[:n]


def describe(G: nx.MultiDiGraph, n: str) -> str:
    """A one-line human label: name, parent chain at its time, dates and id."""
    return unit_ref(G, n).label()


def resolve(
    G: nx.MultiDiGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
    chain_ok: bool = False,
) -> str:
    """Resolve a name, code or id to exactly one unit id.

    Raises :class:`UnknownUnitError` (with suggestions) or :class:`AmbiguousUnitError`
    (listing every candidate). With ``on``, candidates live on that date are preferred.
    With ``chain_ok``, candidates that form one succession chain (a code reused by the
    unit's successor) resolve to the earliest.

    >>> from orgraph import load_national
    >>> resolve(load_national(), "Xã Minh Khai, Hưng Hà, Thái Bình")
    'commune:12658'
    """
    hits = find(G, text, kind=kind)
    if not hits:
        raise UnknownUnitError(text, suggestions(G, text))
    if len(hits) > 1 and on is not None:
        live = [h for h in hits if is_live(G.nodes[h.id], on)]
        if len(live) == 1:
            return live[0].id
    if len(hits) > 1 and chain_ok and _one_chain(G, [h.id for h in hits]):
        return hits[0].id if hits[0].valid_from is None else min(hits, key=lambda h: h.valid_from or date.min).id
    if len(hits) > 1:
        raise AmbiguousUnitError(text, [h.label() for h in hits])
    return hits[0].id


def _one_chain(G: nx.MultiDiGraph, ids: list[str]) -> bool:
    from ..graph.build import event_outputs, out_events

    ids_set = set(ids)
    for a in ids:
        reach = {o for ev, _ in out_events(G, a) for o in event_outputs(G, ev)}
        if reach & ids_set:
            continue
        if any(a in {o for ev, _ in out_events(G, b) for o in event_outputs(G, ev)} for b in ids):
            continue
        return False
    return True


def require_live(G: nx.MultiDiGraph, uid: str, on: date) -> None:
    a = G.nodes[uid]
    if not is_live(a, on):
        raise NotLiveError(f"{describe(G, uid)} was not live on {on.isoformat()}")
