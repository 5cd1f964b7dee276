"""Plain result records. Every query returns these; ``to_dict()`` is the ``--json`` form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx
from pydantic_core import to_jsonable_python

from ..graph.build import parents
from ..graph.i18n import t as tr
from ..graph.model import Attr, EdgeKind, UnitType

__all__ = ["UnitRef", "Hop", "Successor", "Succession", "unit_ref", "jsonable"]


def jsonable(obj: Any) -> Any:
    """Results (dataclasses, dates, enums, tuples, sets) as JSON-ready values: pydantic_core's
    ``to_jsonable_python``, under the name the query modules use.

    >>> jsonable({"on": date(2025, 7, 1), "types": (UnitType.TINH,)})
    {'on': '2025-07-01', 'types': ['tỉnh']}
    """
    return to_jsonable_python(obj)


def _d(x: date | None, open_: str) -> str:
    return x.isoformat() if x else open_


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit as a person reads it."""

    id: str
    name: str
    kind: str
    type: str
    code: str | None
    valid_from: date | None
    valid_to: date | None
    parents: tuple[str, ...]  # parent names over time, e.g. ("Huyện Hưng Hà, Tỉnh Thái Bình",)

    def label(self) -> str:
        where = f", {self.parents[-1]}" if self.parents else ""
        code = f" [{self.code}]" if self.code else ""
        span = f"{_d(self.valid_from, '…')} → {_d(self.valid_to, tr('now'))}"
        return f"{self.name}{where}{code} ({span}; {tr('id {id}', id=self.id)})"

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def _up(G: nx.MultiDiGraph, uid: str) -> list[tuple[str, date | None, date | None]]:
    """A unit's dated parent links; for a body, the territory it serves."""
    links = parents(G, uid)
    if links or G.nodes[uid].get(Attr.TYPE) != UnitType.BODY:
        return links
    return [
        (t, d.get(Attr.VALID_FROM), d.get(Attr.VALID_TO))
        for _, t, d in G.out_edges(uid, data=True)
        if d.get(Attr.KIND) == EdgeKind.BODY_OF
    ]


def _chain(G: nx.MultiDiGraph, uid: str, on: date | None) -> str:
    names = []
    cur = uid
    seen = set()
    while True:
        links = _up(G, cur)
        if not links:
            break
        pick = None
        for p, start, end in links:
            if on is None or ((start is None or start <= on) and (end is None or on < end)):
                pick = p
        if pick is None or pick in seen:
            break
        seen.add(pick)
        names.append(G.nodes[pick][Attr.NAME])
        cur = pick
    return ", ".join(names)


def unit_ref(G: nx.MultiDiGraph, uid: str) -> UnitRef:
    a = G.nodes[uid]
    chains = []
    for _p, start, end in _up(G, uid):
        probe = start or (end and date.fromordinal(end.toordinal() - 1)) or None
        c = _chain(G, uid, probe)
        if c and c not in chains:
            chains.append(c)
    return UnitRef(
        id=uid,
        name=a[Attr.NAME],
        kind=str(a[Attr.KIND]),
        type=str(a[Attr.TYPE]),
        code=a.get(Attr.CODE),
        valid_from=a.get(Attr.VALID_FROM),
        valid_to=a.get(Attr.VALID_TO),
        parents=tuple(chains),
    )


@dataclass(frozen=True, slots=True)
class Hop:
    """One step along a succession chain: an event and how the unit took part in it."""

    event: str
    type: str
    date: dt.date
    basis: str | None
    basis_date: dt.date | None
    clause: str | None
    from_unit: str
    to_unit: str
    portion: str
    default: bool
    derived: bool

    def label(self) -> str:
        basis = self.basis or tr("no legal basis recorded")
        if self.basis_date:
            basis += tr(" of {date}", date=self.basis_date.isoformat())
        if self.clause:
            basis += f", {self.clause}"
        extra = tr(" (modelled)") if self.derived else ""
        what = tr(str(self.type).replace("_", " "))
        return tr("{event} on {date}", event=what, date=self.date.isoformat()) + f" [{basis}]{extra}"


@dataclass(frozen=True, slots=True)
class Successor:
    unit: UnitRef
    portion: str  # whole | part
    default: bool  # the default successor when the unit was split
    path: tuple[Hop, ...]
    province: str | None = None  # the successor's province on the date asked


@dataclass(frozen=True, slots=True)
class Succession:
    """The answer to successors/predecessors: the unit, the date, what happened, and the units."""

    unit: UnitRef
    on: date
    direction: str  # successors | predecessors
    status: str  # live | succeeded | ended | not_yet | preceded | original
    message: str
    units: tuple[Successor, ...] = field(default_factory=tuple)
    alternatives: tuple[UnitRef, ...] = field(default_factory=tuple)  # the other units the name matched
    note: str = ""  # how the name was read (a typo corrected)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)
