"""Build the time-versioned graph from validated models, and the small helpers that read it.

The graph is a ``networkx.MultiDiGraph``:

* unit nodes (``node="unit"``) carry kind, type, name, code, validity [from, to) and sources;
* event nodes (``node="event"``) carry type, effective date and legal basis;
* ``CHANGED_IN`` edges go from each input unit to its event (portion, default flag),
  ``RESULTED_IN`` edges from the event to each output;
* ``PART_OF`` edges go from a unit to its parent, each with its own validity.

Edges are keyed by their kind, so ``G.edges(u, keys=True)`` tells them apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import networkx as nx

from .errors import BeyondHorizonError, DataError
from .model import Attr, EdgeKind, Event, Horizon, NodeKind, Unit, UnitType
from .names import body_key, key

__all__ = [
    "build_graph",
    "check_horizon",
    "is_live",
    "units",
    "events",
    "parent_on",
    "children_on",
    "event_inputs",
    "event_outputs",
    "in_events",
    "out_events",
    "add_bulk",
]


def build_graph(
    unit_models: Iterable[Unit],
    event_models: Iterable[Event],
    *,
    sources: dict[str, dict[str, str]] | None = None,
    origin: str = "<memory>",
    horizon: dict[str, Horizon] | None = None,
) -> nx.MultiDiGraph:
    """Build the graph. Every reference must resolve; nothing is half-built.

    >>> from orgraph.graph.model import Unit, Kind, UnitType
    >>> u = Unit(uid="p:1", kind=Kind.PROVINCE, type=UnitType.TINH, name="Tỉnh A",
    ...          short="A", sources=("modelling",))
    >>> G = build_graph([u], [])
    >>> G.nodes["p:1"]["name"]
    'Tỉnh A'
    """
    G = nx.MultiDiGraph(sources=dict(sources or {}), **{Attr.HORIZON.value: dict(horizon or {})})
    unit_list = list(unit_models)
    seen: set[str] = set()
    for u in unit_list:
        if u.uid in seen:
            raise DataError(origin, None, f"unit id {u.uid!r} appears twice")
        seen.add(u.uid)
    add_bulk(
        G,
        (
            (
                u.uid,
                {
                    Attr.NODE: NodeKind.UNIT,
                    Attr.KIND: u.kind,
                    Attr.TYPE: u.type,
                    Attr.NAME: u.name,
                    Attr.SHORT: u.short,
                    Attr.CODE: u.code,
                    Attr.VALID_FROM: u.valid_from,
                    Attr.VALID_TO: u.valid_to,
                    Attr.SOURCES: u.sources,
                    Attr.AREA: u.area_km2,
                    Attr.POPULATION: u.population,
                    Attr.RULE: u.rule,
                    Attr.NOTE: u.note,
                    **_extras(u),
                },
            )
            for u in unit_list
        ),
        (),
    )
    edges: list[tuple[str, str, str, dict]] = []
    for u in unit_list:
        for link in u.parents:
            if link.parent not in seen:
                raise DataError(origin, None, f"unit {u.uid!r} has unknown parent {link.parent!r}")
            edges.append(
                (
                    u.uid,
                    link.parent,
                    f"{EdgeKind.PARENT}:{link.valid_from}",
                    {
                        Attr.KIND: EdgeKind.PARENT,
                        Attr.VALID_FROM: link.valid_from,
                        Attr.VALID_TO: link.valid_to,
                        Attr.SOURCES: u.sources,
                    },
                )
            )
    ev_nodes = []
    for ev in event_models:
        if ev.id in seen:
            raise DataError(origin, None, f"event id {ev.id!r} clashes with another node")
        seen.add(ev.id)
        ev_nodes.append(
            (
                ev.id,
                {
                    Attr.NODE: NodeKind.EVENT,
                    Attr.TYPE: ev.type,
                    Attr.DATE: ev.date,
                    Attr.BASIS: ev.basis.number if ev.basis else None,
                    Attr.BASIS_DATE: ev.basis.date if ev.basis else None,
                    Attr.CLAUSE: ev.basis.clause if ev.basis else None,
                    Attr.SOURCES: ev.sources,
                    Attr.DERIVED: ev.derived,
                    Attr.NOTE: ev.note,
                },
            )
        )
        for inp in ev.inputs:
            if inp.unit not in G:
                raise DataError(origin, None, f"event {ev.id!r} has unknown input {inp.unit!r}")
            edges.append(
                (
                    inp.unit,
                    ev.id,
                    EdgeKind.INPUT.value,
                    {
                        Attr.KIND: EdgeKind.INPUT,
                        Attr.PORTION: inp.portion,
                        Attr.DEFAULT: inp.default,
                        Attr.SOURCES: ev.sources,
                    },
                )
            )
        for out in ev.outputs:
            if out not in G:
                raise DataError(origin, None, f"event {ev.id!r} has unknown output {out!r}")
            edges.append((ev.id, out, EdgeKind.OUTPUT.value, {Attr.KIND: EdgeKind.OUTPUT, Attr.SOURCES: ev.sources}))
    add_bulk(G, ev_nodes, edges)
    return G


def _extras(u: Unit) -> dict:
    """Former names and the point, only on the units that have them."""
    out: dict = {}
    if u.former_names:
        out[Attr.FORMER_NAMES] = tuple(f.model_dump(mode="json") for f in u.former_names)
    if u.point is not None:
        out[Attr.POINT] = u.point.model_dump(mode="json")
    return out


def add_name_keys(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Store each unit's lookup keys on its node (done once, before the graph is cached, so
    name lookups need not fold every name again). Returns ``G``.

    A body's keys are :func:`~orgraph.graph.names.body_key` of its name (bodies generated
    by rule get theirs when generated: the key of their role, "Ban Tổ chức Tỉnh ủy", and of
    their full name)."""
    k_node, k_key, unit = Attr.NODE, Attr.KEY, NodeKind.UNIT
    for a in G._node.values():
        if k_key not in a and a.get(k_node) == unit:
            if a[Attr.TYPE] == UnitType.BODY:
                a[Attr.KEY] = a[Attr.KEY_FULL] = body_key(a[Attr.NAME])
            else:
                a[Attr.KEY] = key(a[Attr.SHORT])
                a[Attr.KEY_FULL] = key(a[Attr.NAME])
    return G


def add_bulk(
    G: nx.MultiDiGraph,
    nodes: Iterable[tuple[str, dict]],
    edges: Iterable[tuple[str, str, str, dict]],
) -> None:
    """Add new nodes (id, attributes) and then edges (source, target, key, data) to ``G``,
    several times faster than ``add_nodes_from``/``add_edge`` for tens of thousands: the
    attribute dicts are used as given (not copied), and every edge's ends must be in ``G``
    (or among ``nodes``). Used by the builders only, on graphs they have just made."""
    node, succ, pred = G._node, G._succ, G._pred
    for n, a in nodes:
        if n in node:
            node[n].update(a)
            continue
        node[n] = a
        succ[n] = {}
        pred[n] = {}
    for u, v, k, d in edges:
        out = succ[u]
        keydict = out.get(v)
        if keydict is None:
            keydict = out[v] = {}
            pred[v][u] = keydict
        keydict[k] = d
    cache = getattr(G, "__networkx_cache__", None)
    if cache:
        cache.clear()


def check_horizon(horizon: dict[str, Horizon], on: date, *, kind: str | None = None) -> None:
    """Raise :class:`BeyondHorizonError` if ``on`` is before the date from which the data of
    ``kind`` (of any kind, if None) is complete.

    >>> from orgraph.graph.model import Horizon
    >>> h = {"commune": Horizon.model_validate({"from": "2025-03-01", "why": "last change"})}
    >>> check_horizon(h, date(2025, 6, 30))
    >>> check_horizon(h, date(2024, 6, 1))
    Traceback (most recent call last):
    orgraph.graph.errors.BeyondHorizonError: 2024-06-01 is before the data's horizon: ...
    """
    for k, h in sorted(horizon.items()):
        if (kind is None or k == kind) and on < h.start:
            raise BeyondHorizonError(on, k, h.start, h.why)


def is_live(attrs: dict, on: date) -> bool:
    """True if a node with these attributes is valid on ``on`` (half-open interval)."""
    start, end = attrs.get(Attr.VALID_FROM), attrs.get(Attr.VALID_TO)
    return (start is None or start <= on) and (end is None or on < end)


def units(G: nx.MultiDiGraph, *, on: date | None = None) -> Iterator[str]:
    """Ids of unit nodes, only those live on ``on`` if given."""
    for n, a in G.nodes(data=True):
        if a.get(Attr.NODE) == NodeKind.UNIT and (on is None or is_live(a, on)):
            yield n


def events(G: nx.MultiDiGraph) -> Iterator[str]:
    for n, a in G.nodes(data=True):
        if a.get(Attr.NODE) == NodeKind.EVENT:
            yield n


# The walks below read the adjacency dicts directly (G._succ, G._pred): networkx's edge
# views build a generator and a tuple per edge, which dominated bulk conversion. The names
# they compare are looked up once here (an enum member's lookup costs more than the test).
_KIND, _PARENT, _INPUT, _OUTPUT = Attr.KIND, EdgeKind.PARENT, EdgeKind.INPUT, EdgeKind.OUTPUT


def _parent_edges(G: nx.MultiDiGraph, uid: str) -> Iterator[tuple[str, dict]]:
    for parent, kd in G._succ[uid].items():
        for data in kd.values():
            if data.get(_KIND) == _PARENT:
                yield parent, data


def parent_on(G: nx.MultiDiGraph, uid: str, on: date) -> str | None:
    """The unit's parent on ``on``, or None."""
    for parent, data in _parent_edges(G, uid):
        if is_live(data, on):
            return parent
    return None


def parents(G: nx.MultiDiGraph, uid: str) -> list[tuple[str, date | None, date | None]]:
    """All dated parent links of a unit, earliest first."""
    out = [(p, d.get(Attr.VALID_FROM), d.get(Attr.VALID_TO)) for p, d in _parent_edges(G, uid)]
    return sorted(out, key=lambda t: t[1] or date.min)


def children_on(G: nx.MultiDiGraph, uid: str, on: date) -> list[str]:
    """Units whose parent on ``on`` is ``uid`` and that are live then."""
    out = []
    for child, _, data in G.in_edges(uid, data=True):
        if data.get(_KIND) == _PARENT and is_live(data, on) and is_live(G.nodes[child], on):
            out.append(child)
    return out


def out_events(G: nx.MultiDiGraph, uid: str) -> list[tuple[str, dict]]:
    """(event id, input edge data) for each event the unit was an input of, by date."""
    res = [(ev, data) for ev, kd in G._succ[uid].items() for data in kd.values() if data.get(_KIND) == _INPUT]
    if len(res) < 2:
        return res
    nodes = G._node
    return sorted(res, key=lambda t: (nodes[t[0]][Attr.DATE], t[0]))


def in_events(G: nx.MultiDiGraph, uid: str) -> list[str]:
    """Events the unit came out of, by date."""
    res = [ev for ev, kd in G._pred[uid].items() for data in kd.values() if data.get(_KIND) == _OUTPUT]
    if len(res) < 2:
        return res
    nodes = G._node
    return sorted(res, key=lambda e: (nodes[e][Attr.DATE], e))


def event_inputs(G: nx.MultiDiGraph, ev: str) -> list[tuple[str, dict]]:
    return sorted((u, data) for u, _, data in G.in_edges(ev, data=True) if data.get(_KIND) == _INPUT)


def event_outputs(G: nx.MultiDiGraph, ev: str) -> list[str]:
    return sorted(u for u, kd in G._succ[ev].items() for data in kd.values() if data.get(_KIND) == _OUTPUT)
