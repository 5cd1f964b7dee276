"""The country on a date, and what changed between two dates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from ..graph.build import check_horizon, events, is_live, units
from ..graph.model import Attr
from .results import UnitRef, jsonable, unit_ref

__all__ = ["snapshot", "diff", "Snapshot", "Diff"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    on: date
    by_kind: dict[str, int]
    by_type: dict[str, dict[str, int]]
    units: tuple[UnitRef, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def snapshot(G: nx.MultiDiGraph, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot:
    """Counts of live units by kind and type on ``on``; with ``listing``, the units too.

    >>> from orgraph import load_national
    >>> snapshot(load_national(), on=date(2025, 7, 1)).by_kind["province"]
    34
    """
    check_horizon(G.graph.get(Attr.HORIZON, {}), on, kind=kind)
    by_kind: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    listed = []
    for n in units(G, on=on):
        a = G.nodes[n]
        k = str(a[Attr.KIND])
        if kind is not None and k != kind:
            continue
        by_kind[k] += 1
        by_type.setdefault(k, Counter())[str(a[Attr.TYPE])] += 1
        if listing:
            listed.append(n)
    refs = tuple(
        unit_ref(G, n) for n in sorted(listed, key=lambda n: (str(G.nodes[n][Attr.KIND]), G.nodes[n][Attr.NAME], n))
    )
    return Snapshot(
        on,
        dict(sorted(by_kind.items())),
        {k: dict(sorted(v.items())) for k, v in sorted(by_type.items())},
        refs,
    )


@dataclass(frozen=True, slots=True)
class Diff:
    start: date
    end: date
    ended: dict[str, int]
    began: dict[str, int]
    events: dict[str, int]
    ended_units: tuple[UnitRef, ...]
    began_units: tuple[UnitRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def diff(G: nx.MultiDiGraph, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff:
    """Units live on ``start`` but not ``end`` (ended), the reverse (began), and the events
    that took effect in (start, end], by kind and type.

    >>> from orgraph import load_national
    >>> d = diff(load_national(), date(2025, 6, 30), date(2025, 7, 1))
    >>> d.ended["district"], d.began["province"]
    (696, 23)
    """
    if end < start:
        start, end = end, start
    check_horizon(G.graph.get(Attr.HORIZON, {}), start, kind=kind)
    ended: Counter[str] = Counter()
    began: Counter[str] = Counter()
    e_list, b_list = [], []
    for n, a in G.nodes(data=True):
        if Attr.KIND not in a or (kind is not None and str(a[Attr.KIND]) != kind):
            continue
        was, now = is_live(a, start), is_live(a, end)
        if was and not now:
            ended[str(a[Attr.KIND])] += 1
            e_list.append(n)
        elif now and not was:
            began[str(a[Attr.KIND])] += 1
            b_list.append(n)
    ev: Counter[str] = Counter()
    for e in events(G):
        a = G.nodes[e]
        if start < a[Attr.DATE] <= end:
            ev[str(a[Attr.TYPE])] += 1

    def refs(ids: list[str]) -> tuple[UnitRef, ...]:
        if not listing:
            return ()
        return tuple(unit_ref(G, n) for n in sorted(ids, key=lambda n: (G.nodes[n][Attr.NAME], n)))

    return Diff(
        start,
        end,
        dict(sorted(ended.items())),
        dict(sorted(began.items())),
        dict(sorted(ev.items())),
        refs(e_list),
        refs(b_list),
    )
