"""What an old unit became, what a new one was made of, and the whole history of a unit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

import networkx as nx

from ..graph.build import event_inputs, event_outputs, in_events, is_live, out_events, parent_on
from ..graph.i18n import t as tr
from ..graph.i18n import using
from ..graph.model import Attr, Kind, Portion
from .results import Hop, Succession, Successor, UnitRef, jsonable
from .store import NetworkxStore, hop_of

__all__ = ["successors", "predecessors", "lineage", "Lineage", "successor_ids", "prefers", "preferred_successors"]


def province_of(G: nx.MultiDiGraph, uid: str, on: date) -> str | None:
    cur: str | None = uid
    seen: set[str] = set()
    while cur is not None and cur not in seen:
        seen.add(cur)
        if G.nodes[cur][Attr.KIND] == Kind.PROVINCE:
            return G.nodes[cur][Attr.NAME] if cur != uid else None
        cur = parent_on(G, cur, on)
    return None


def is_part(portion: Any) -> bool:
    """Whether a hop with this portion carried part of its unit (a remainder is a part too)."""
    return portion in (Portion.PART, Portion.REMAINDER)


def default_hop(portion: Any, default: Any) -> bool:
    """Whether a hop leads to its unit's default successor: every whole hop does, a part
    only when the data marks it default."""
    return bool(default) if is_part(portion) else True


def prefers(part: bool, default: bool, than_part: bool, than_default: bool) -> bool:
    """The successor preference rule, said once: a path that carried the whole unit beats
    one that carried a part, and a path to the default successor beats one that is not.

    >>> prefers(False, False, True, False), prefers(True, True, True, False), prefers(True, False, False, True)
    (True, True, False)
    """
    return (not part and than_part) or (default and not than_default)


_Cand = TypeVar("_Cand", bound=tuple[Any, ...])


def preferred_successors(cands: Iterable[_Cand]) -> dict[str, _Cand]:
    """Per unit reached, the first candidate ``(unit, portion, default, path)`` unless a later
    one is :func:`prefers`-ed; the rule both backends and the pictures share."""
    out: dict[str, _Cand] = {}
    for cand in cands:
        u, portion, default = cand[0], cand[1], cand[2]
        prev = out.get(u)
        if prev is None or prefers(portion != Portion.WHOLE, default, prev[1] != Portion.WHOLE, prev[2]):
            out[u] = cand
    return out


def successor_ids(G: nx.MultiDiGraph, uid: str, on: date) -> list[tuple[str, str, bool, tuple[Hop, ...]]]:
    """(unit, portion, default, path) for each unit live on ``on`` that ``uid`` became.

    The graph-level walk behind :func:`successors`; ``uid`` must already be resolved.
    Memoised per unit: layered splits (each unit split into every unit of the next layer)
    have exponentially many paths but only as many units as the file holds. For each unit
    the walk keeps, per successor and class of path (whole, default part, other part), the
    first path found in depth-first order, which is all the choice below ever needs.
    """
    Reach = list[tuple[str, str, bool, tuple[Hop, ...]]]
    memo: dict[str, Reach] = {}
    on_stack: set[str] = set()

    def reach(u: str) -> Reach:
        if u in memo:
            return memo[u]
        if is_live(G.nodes[u], on):
            memo[u] = [(u, Portion.WHOLE.value, True, ())]
            return memo[u]
        res: Reach = []
        seen: set[tuple[str, str, bool]] = set()
        on_stack.add(u)
        for ev, edge in out_events(G, u):
            if G.nodes[ev][Attr.DATE] > on:
                continue
            p = str(edge.get(Attr.PORTION, Portion.WHOLE))
            part = is_part(p)
            hop_default = default_hop(p, edge.get(Attr.DEFAULT))
            for o in event_outputs(G, ev):
                if o in on_stack:
                    continue  # never loop (the loader refuses cycles; this is belt and braces)
                hop = hop_of(G, ev, u, o, p, hop_default)
                for t, sub_portion, sub_default, sub_path in reach(o):
                    portion = Portion.PART.value if (part or sub_portion == Portion.PART) else Portion.WHOLE.value
                    default = hop_default and sub_default
                    if (t, portion, default) not in seen:
                        seen.add((t, portion, default))
                        res.append((t, portion, default, (hop, *sub_path)))
        on_stack.discard(u)
        memo[u] = res
        return res

    res = list(preferred_successors(reach(uid)).values())
    # a unit that went whole into one output needs no default; mark it as such
    return sorted(res, key=lambda t: (not t[2], G.nodes[t[0]][Attr.NAME], t[0]))


def successors(G: nx.MultiDiGraph, unit: str, *, on: date | None = None, kind: Kind | str | None = None) -> Succession:
    """The units that ``unit`` had become by ``on`` (default: the day it ended, or today).

    Follows chains across waves. A split gives several successors, each with its
    portion and whether it is the default successor. A name that matches several units
    answers for the one that ended (see :func:`orgraph.queries.find.choose`); the others
    are listed in ``alternatives``. ``kind`` narrows the name to units of that kind.

    >>> from orgraph import load_national
    >>> from datetime import date
    >>> s = successors(load_national(), "Xã Minh Khai, Hưng Hà, Thái Bình", on=date(2025, 7, 1))
    >>> [(x.unit.name, x.province) for x in s.units]
    [('Xã Hưng Hà', 'Tỉnh Hưng Yên')]
    """
    from .answers import successors as answer

    return answer(NetworkxStore(G), unit, on=on, kind=kind)


def predecessors(
    G: nx.MultiDiGraph,
    unit: str,
    *,
    on: date | None = None,
    include_derived: bool = False,
    kind: Kind | str | None = None,
) -> Succession:
    """The units ``unit`` was made of: those live on ``on`` (default: the day before it began).

    Modelled relations (a district's relation through its communes) are left out unless
    ``include_derived``: the communes themselves already say what the unit was made of. A
    body's relations, all modelled from its territory's events, are always followed.
    A name that matches several units answers for the newest that has predecessors (new
    Tỉnh Hưng Yên, not the old one); the others are listed in ``alternatives``.

    >>> from orgraph import load_national
    >>> p = predecessors(load_national(), "Tỉnh Hưng Yên")
    >>> p.unit.id, sorted(x.unit.name for x in p.units), [a.id for a in p.alternatives]
    ('province:33@2025-07-01', ['Tỉnh Hưng Yên', 'Tỉnh Thái Bình'], ['province:33'])
    """
    from .answers import predecessors as answer

    return answer(NetworkxStore(G), unit, on=on, include_derived=include_derived, kind=kind)


def say(direction: str, status: str, ref: UnitRef, on: date | None, units: Sequence[Successor] = ()) -> str:
    """The answer's sentence, in the current language (:mod:`orgraph.graph.i18n`); the
    answer's ``message`` is this in English, so ``--json`` reads the same in any language.

    >>> from orgraph.queries.results import UnitRef
    >>> ref = UnitRef("commune:1", "Xã A", "commune", "xã", "00001", None, date(2025, 7, 1), ())
    >>> say("successors", "ended", ref, date(2025, 7, 1))
    'Xã A ended on 2025-07-01 with no successor.'
    """
    name, n = ref.name, len(units)
    day = on.isoformat() if on else "?"
    start = ref.valid_from.isoformat() if ref.valid_from else "?"
    end = ref.valid_to.isoformat() if ref.valid_to else "?"
    if status == "live":
        return tr("{name} was itself live on {date}.", name=name, date=day)
    if direction == "successors":
        if status == "not_yet":
            return tr(
                "{name} did not exist yet on {date}: it began on {start}. Ask for its predecessors instead.",
                name=name,
                date=day,
                start=start,
            )
        if status == "ended":
            return tr("{name} ended on {end} with no successor.", name=name, end=end)
        if n == 1:
            return tr("{name} became {new}.", name=name, new=units[0].unit.name)
        if sum(1 for x in units if x.default) == 1:
            return tr("{name} was split between {n} units; the default successor is marked.", name=name, n=n)
        return tr("{name} was split between {n} units and no default successor is recorded.", name=name, n=n)
    if status == "original":
        return tr("{name} has no recorded predecessors: it predates the changes modelled.", name=name)
    if status == "ended":
        return tr(
            "{name} had already ended on {date} (it ended {end}). Ask for its successors instead.",
            name=name,
            date=day,
            end=end,
        )
    if status == "not_yet":
        return tr(
            "{name} began on {start} and nothing it came from was live on {date}.", name=name, start=start, date=day
        )
    return tr("{name} was made of {n} unit(s) live on {date}.", name=name, n=n, date=day)


def _english(direction: str, status: str, ref: UnitRef, on: date | None, units: Sequence[Successor] = ()) -> str:
    with using("en"):
        return say(direction, status, ref, on, units)


def successors_answer(
    ref: UnitRef,
    a: dict,
    on: date | None,
    *,
    province_of: Callable[[date], str | None],
    found: Callable[[date], Sequence[Successor]],
) -> Succession:
    """The answer to "what had this unit become by ``on``", given how to find its
    successors; shared by the networkx and Neo4j backends so both say the same."""
    if on is None:
        on = a[Attr.VALID_TO] or date.today()
    start = a.get(Attr.VALID_FROM)
    if start is not None and on < start:
        return Succession(ref, on, "successors", "not_yet", _english("successors", "not_yet", ref, on))
    if is_live(a, on):
        return Succession(
            ref,
            on,
            "successors",
            "live",
            _english("successors", "live", ref, on),
            (Successor(ref, Portion.WHOLE.value, True, (), province_of(on)),),
        )
    units = tuple(found(on))
    if not units:
        return Succession(ref, on, "successors", "ended", _english("successors", "ended", ref, on))
    return Succession(ref, on, "successors", "succeeded", _english("successors", "succeeded", ref, on, units), units)


def predecessors_answer(
    ref: UnitRef,
    a: dict,
    on: date | None,
    *,
    has_events: Callable[[], bool],
    found: Callable[[date], Sequence[Successor]],
) -> Succession:
    """The answer to "what was this unit made of, live on ``on``"; shared by both backends."""
    start = a.get(Attr.VALID_FROM)
    if on is None:
        if start is None or not has_events():
            return Succession(
                ref, start or date.min, "predecessors", "original", _english("predecessors", "original", ref, on)
            )
        on = start - timedelta(days=1)
    end = a.get(Attr.VALID_TO)
    if end is not None and on >= end:
        return Succession(ref, on, "predecessors", "ended", _english("predecessors", "ended", ref, on))
    if is_live(a, on):
        return Succession(
            ref,
            on,
            "predecessors",
            "live",
            _english("predecessors", "live", ref, on),
            (Successor(ref, Portion.WHOLE.value, True, ()),),
        )
    units = tuple(sorted(found(on), key=lambda x: (x.unit.name, x.unit.id)))
    if not units:
        return Succession(ref, on, "predecessors", "not_yet", _english("predecessors", "not_yet", ref, on))
    return Succession(ref, on, "predecessors", "preceded", _english("predecessors", "preceded", ref, on, units), units)


@dataclass(frozen=True, slots=True)
class Lineage:
    """The whole history of a unit: every unit before and after it, and every hop."""

    unit: UnitRef
    ancestors: tuple[UnitRef, ...]
    descendants: tuple[UnitRef, ...]
    hops: tuple[Hop, ...]
    alternatives: tuple[UnitRef, ...] = ()  # the other units the name matched
    note: str = ""  # how the name was read (a typo corrected)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def lineage_walk(
    G: nx.MultiDiGraph, uid: str, *, usable: Callable[[str, str], bool] | None = None
) -> tuple[set[str], set[str], set[str], dict[tuple[str, str, str], dict[str, Any]]]:
    """Every unit ``uid`` came from and went into, across all waves, walked once for the
    lineage and its picture: (ancestors, descendants, the events on the way, and per hop
    ``(event, from, to)`` the from-unit's input edge). ``usable(event, unit)`` may leave
    events out of the walk."""
    anc: set[str] = set()
    desc: set[str] = set()
    events: set[str] = set()
    links: dict[tuple[str, str, str], dict[str, Any]] = {}
    stack = [uid]
    while stack:
        u = stack.pop()
        for ev, edge in out_events(G, u):
            if usable is not None and not usable(ev, u):
                continue
            events.add(ev)
            for o in event_outputs(G, ev):
                links[(ev, u, o)] = edge
                if o not in desc and o != uid:
                    desc.add(o)
                    stack.append(o)
    stack = [uid]
    while stack:
        u = stack.pop()
        for ev in in_events(G, u):
            if usable is not None and not usable(ev, u):
                continue
            events.add(ev)
            for src, edge in event_inputs(G, ev):
                links[(ev, src, u)] = edge
                if src not in anc and src != uid:
                    anc.add(src)
                    stack.append(src)
    return anc, desc, events, links


def lineage(G: nx.MultiDiGraph, unit: str, *, kind: Kind | str | None = None) -> Lineage:
    """Every unit ``unit`` came from and every unit it went into, across all waves.

    >>> from orgraph import load_national
    >>> lin = lineage(load_national(), "Xã Minh Khai, Hưng Hà, Thái Bình")
    >>> [h.type for h in lin.hops if h.from_unit == lin.unit.id]
    ['fusion']
    """
    from .answers import lineage as answer

    return answer(NetworkxStore(G), unit, kind=kind)
