"""The country on a date, and what changed between two dates.

Territories (provinces, districts, communes) and bodies (party committees, councils,
agencies, …) are counted apart, so that the territorial counts read as the official figures
do whether or not the graph holds bodies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from ..graph.model import TERRITORY_KINDS
from .results import UnitRef, jsonable
from .store import NetworkxStore

__all__ = ["snapshot", "diff", "Snapshot", "Diff", "count_snapshot", "is_territorial"]

_TERRITORIAL = frozenset(k.value for k in TERRITORY_KINDS)


def is_territorial(kind: str) -> bool:
    """Whether units of ``kind`` are territories (else they are bodies)."""
    return str(kind) in _TERRITORIAL


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Units live on a date: territories by kind and type, bodies by kind and level."""

    on: date
    by_kind: dict[str, int]  # territories: province, district, commune
    by_type: dict[str, dict[str, int]]  # territories' official types
    units: tuple[UnitRef, ...] = field(default_factory=tuple)
    bodies: dict[str, int] = field(default_factory=dict)  # party_committee, agency, …
    bodies_by_level: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> province/commune/…

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def count_snapshot(on: date, rows: Iterable[tuple[str, str, str, int]], units: tuple[UnitRef, ...] = ()) -> Snapshot:
    """A :class:`Snapshot` from ``(kind, type, uid-level, n)`` rows; shared by the backends.
    For a body the third value is its level (:func:`~orgraph.queries.bodynames.body_level`)."""
    by_kind: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    bodies: Counter[str] = Counter()
    levels: dict[str, Counter[str]] = {}
    for kind, type_, level, n in rows:
        if is_territorial(kind):
            by_kind[kind] += n
            by_type.setdefault(kind, Counter())[type_] += n
        else:
            bodies[kind] += n
            levels.setdefault(kind, Counter())[level] += n
    return Snapshot(
        on,
        dict(sorted(by_kind.items())),
        {k: dict(sorted(v.items())) for k, v in sorted(by_type.items())},
        units,
        dict(sorted(bodies.items())),
        {k: dict(sorted(v.items())) for k, v in sorted(levels.items())},
    )


def listing_order(kind: str, name: str, uid: str) -> tuple[bool, str, str, str]:
    """How a snapshot lists its units: territories first, then by kind, name and id."""
    return (not is_territorial(kind), kind, name, uid)


def diff_order(kind: str, name: str, uid: str) -> tuple[bool, str, str]:
    """How a diff lists its units: territories first, then by name and id."""
    return (not is_territorial(kind), name, uid)


def snapshot(G: nx.MultiDiGraph, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot:
    """Counts of live units on ``on``: territories by kind and type, bodies by kind and
    level; with ``listing``, the units too (territories first).

    >>> from orgraph import load_national
    >>> snapshot(load_national(), on=date(2025, 7, 1)).by_kind["province"]
    34
    >>> from orgraph.loaders.plans import load_full
    >>> snapshot(load_full(), on=date(2025, 7, 1), kind="party_committee").bodies_by_level["party_committee"]["commune"]
    3321
    """
    from .answers import snapshot as answer

    return answer(NetworkxStore(G), on=on, kind=kind, listing=listing)


@dataclass(frozen=True, slots=True)
class Diff:
    """What changed between two dates: territories and their events, then bodies and theirs."""

    start: date
    end: date
    ended: dict[str, int]
    began: dict[str, int]
    events: dict[str, int]  # events between territories, by type
    ended_units: tuple[UnitRef, ...]
    began_units: tuple[UnitRef, ...]
    bodies_ended: dict[str, int] = field(default_factory=dict)
    bodies_began: dict[str, int] = field(default_factory=dict)
    body_events: dict[str, int] = field(default_factory=dict)  # events between bodies, by type

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def count_diff(
    start: date,
    end: date,
    units: Iterable[tuple[str, bool, int]],
    event_rows: Iterable[tuple[str, bool, int]],
    ended_units: tuple[UnitRef, ...] = (),
    began_units: tuple[UnitRef, ...] = (),
) -> Diff:
    """A :class:`Diff` from ``(kind, ended, n)`` and ``(event type, between bodies, n)``
    rows; shared by the backends."""
    out: dict[tuple[bool, bool], Counter[str]] = {(t, e): Counter() for t in (True, False) for e in (True, False)}
    for kind, ended, n in units:
        out[(is_territorial(kind), ended)][kind] += n
    ev: Counter[str] = Counter()
    bev: Counter[str] = Counter()
    for type_, of_bodies, n in event_rows:
        (bev if of_bodies else ev)[type_] += n

    def d(c: Counter[str]) -> dict[str, int]:
        return dict(sorted(c.items()))

    return Diff(
        start,
        end,
        d(out[(True, True)]),
        d(out[(True, False)]),
        d(ev),
        ended_units,
        began_units,
        d(out[(False, True)]),
        d(out[(False, False)]),
        d(bev),
    )


def diff(G: nx.MultiDiGraph, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff:
    """Units live on ``start`` but not ``end`` (ended), the reverse (began), and the events
    that took effect in (start, end], by kind and type; territories and bodies apart.

    >>> from orgraph import load_national
    >>> d = diff(load_national(), date(2025, 6, 30), date(2025, 7, 1))
    >>> d.ended["district"], d.began["province"]
    (696, 23)
    """
    from .answers import diff as answer

    return answer(NetworkxStore(G), start, end, kind=kind, listing=listing)
