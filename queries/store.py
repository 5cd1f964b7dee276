"""What a store must answer: the few primitives every answer is built from.

A :class:`Store` holds the graph, embedded (:class:`NetworkxStore`) or in Neo4j
(:class:`orgraph.queries.neo4j.reads.Neo4jStore`). It resolves names, hands out a unit's
record and attributes, and walks a unit's hops; it never builds an answer. The answers
(successors, predecessors, lineage, snapshot, diff, convert, tasks, …) are written once,
over this protocol, in :mod:`orgraph.queries.answers`, so both stores agree by
construction::

    from orgraph.queries import answers
    answers.successors(NetworkxStore(G), "Xã Minh Khai, Hưng Hà, Thái Bình")

>>> from orgraph import load_national
>>> s = NetworkxStore(load_national())
>>> s.resolve("Xã Minh Khai, Hưng Hà, Thái Bình", chain_ok=True, direction="successors").id
'commune:12658'
>>> [w[0] for w in s.successor_walks("commune:12658", date(2025, 7, 1))]
['commune:12586@2025-07-01']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import networkx as nx

from ..graph.build import check_horizon, event_inputs, events, in_events, is_live, units
from ..graph.model import Attr, EdgeKind, Kind, NodeKind, Portion, UnitType
from ..graph.names import fold
from .bodynames import body_level
from .find import Resolution, resolve_unit
from .results import Hop, UnitRef, unit_ref

if TYPE_CHECKING:
    from .convert import Converter
    from .tasks import Finding, Holder, TaskStatus

__all__ = ["Store", "NetworkxStore", "Walk", "hop_of", "store_of"]

Walk = tuple[str, str, bool, tuple[Hop, ...]]
"""A successor walk: (the unit reached, portion, whether it is the default, the hops)."""


@runtime_checkable
class Store(Protocol):
    """The primitives a store answers; every answer of :mod:`orgraph.queries.answers` is
    built from these and nothing else."""

    name: str  # "networkx" | "neo4j"

    # -- units
    def resolve(
        self,
        text: str,
        *,
        on: date | None = None,
        kind: Kind | str | None = None,
        chain_ok: bool = False,
        direction: str | None = None,
    ) -> Resolution:
        """A name, code or id as one unit, with the other units it matched and a note."""
        ...

    def refs(self, uids: Iterable[str]) -> list[UnitRef]:
        """The units as a person reads them, in the order given."""
        ...

    def find(self, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]:
        """Every unit whose name, code or id matches ``text``."""
        ...

    def suggestions(self, text: str, *, n: int = 5) -> list[str]:
        """Names close to ``text``."""
        ...

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]:
        """The party and state bodies of a territory live on ``on``."""
        ...

    def attrs(self, uid: str) -> Mapping[str, Any]:
        """A unit's attributes (:class:`~orgraph.graph.model.Attr` keys)."""
        ...

    def province_of(self, uid: str, on: date) -> str | None:
        """The name of the province a unit lay in on ``on`` (None for a province)."""
        ...

    # -- hops
    def came_from_events(self, uid: str) -> bool:
        """Whether the unit came out of some event."""
        ...

    def successor_walks(self, uid: str, on: date) -> list[Walk]:
        """Per unit live on ``on`` that ``uid`` became, the preferred walk there (default
        successors first, then by name and id)."""
        ...

    def predecessor_walks(self, uid: str, on: date, *, include_derived: bool) -> list[tuple[str, tuple[Hop, ...]]]:
        """Per unit live on ``on`` that ``uid`` was made of, the first walk from it."""
        ...

    def lineage_hops(self, uid: str) -> tuple[set[str], set[str], list[Hop]]:
        """Every unit ``uid`` came from and went into, and every hop between them."""
        ...

    # -- the country on a date
    def check_horizon(self, on: date, kind: str | None) -> None:
        """Refuse a date before the data's horizon (a store without one accepts any)."""
        ...

    def snapshot_rows(self, on: date, kind: str | None) -> list[tuple[str, str, str, int]]:
        """``(kind, type, level, n)``: units live on ``on`` (a body's level, else "")."""
        ...

    def snapshot_units(self, on: date, kind: str | None) -> list[str]:
        """The ids of the units live on ``on``."""
        ...

    def diff_rows(
        self, start: date, end: date, kind: str | None, *, listing: bool
    ) -> tuple[list[tuple[str, bool, int]], list[tuple[str, bool, int]], list[str], list[str]]:
        """``(kind, ended, n)`` rows, ``(event type, between bodies, n)`` rows, and (with
        ``listing``) the ids that ended and began."""
        ...

    # -- convert
    def converter(self, *, on: date, as_of: date, suggest: bool = True) -> Converter:
        """The converter of old addresses on ``on``: its candidates (communes by name or
        code), points, successor walks, suggestions and address reading come from this
        store; its rules are :class:`~orgraph.queries.convert.Converter`'s, once."""
        ...

    # -- tasks
    def task_ids(self) -> list[str]:
        """Every task's id, by plan, line in the plan and id."""
        ...

    def plan_ids(self) -> list[str]:
        """Every plan's id, a plan without tasks too."""
        ...

    def statuses(self, plan: str | None, on: date) -> list[TaskStatus]:
        """The tasks of ``plan`` (any spelling :func:`~orgraph.graph.names.fold` equates),
        or every task, with their leads and status on ``on``, by plan, line and id."""
        ...

    def status(self, tid: str, on: date) -> TaskStatus:
        """One task's leads and status on ``on``."""
        ...

    def holder(self, role: str, body: str, on: date) -> Holder:
        """Who holds ``role`` for ``body`` on ``on``: the body if live, else its successors."""
        ...

    def tasks_with_words(self, words: Sequence[str]) -> set[str]:
        """The tasks whose folded text holds every one of ``words``."""
        ...

    def task_names(self, tids: Sequence[str]) -> dict[str, str]:
        """Each task's text."""
        ...

    def assignments_before(self, uid: str) -> list[tuple[str, str, str, str]]:
        """``(task, its text, "lead" or "coordinator", body)`` for each assignment of a body
        ``uid`` came from (at any remove), by body and the order assigned."""
        ...

    def generic_units(self, key: str, province: str | None, on: date) -> list[str]:
        """The units a class of bodies the plans name (``key``, e.g. every commune's people's
        committee) stands for on ``on``, in ``province`` or everywhere."""
        ...

    def reports_to(self, plan: str) -> list[dict[str, Any]]:
        """The ``REPORTS_TO`` lines of ``plan`` (its exact id), in the graph's order: each
        line's attributes, with ``src``, ``dst``, ``src_name`` and ``dst_name``."""
        ...

    # -- validation
    def integrity_findings(self, on: date) -> list[Finding]:
        """The rules that read the graph: validity across each change, parents live on ``on``."""
        ...

    def live_code_counts(self, on: date) -> Mapping[tuple[str, str], int]:
        """How many units live on ``on`` hold each (kind, code)."""
        ...


def hop_of(G: nx.MultiDiGraph, ev: str, src: str, dst: str, portion: str, default: bool) -> Hop:
    """The hop from ``src`` to ``dst`` through the event ``ev`` of an embedded graph."""
    e = G.nodes[ev]
    return Hop(
        event=ev,
        type=str(e[Attr.TYPE]),
        date=e[Attr.DATE],
        basis=e.get(Attr.BASIS),
        basis_date=e.get(Attr.BASIS_DATE),
        clause=e.get(Attr.CLAUSE),
        from_unit=src,
        to_unit=dst,
        portion=portion,
        default=default,
        derived=bool(e.get(Attr.DERIVED)),
    )


class NetworkxStore:
    """The primitives from an embedded graph (``load_national()`` or ``load_full()``)."""

    name = "networkx"

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self._memos: dict[date, dict] = {}

    def __repr__(self) -> str:
        return "<networkx store>"

    # -- units
    def resolve(
        self,
        text: str,
        *,
        on: date | None = None,
        kind: Kind | str | None = None,
        chain_ok: bool = False,
        direction: str | None = None,
    ) -> Resolution:
        if text in self.G and kind is None and on is None:
            return Resolution(text)
        return resolve_unit(self.G, text, on=on, kind=kind, chain_ok=chain_ok, direction=direction)

    def refs(self, uids: Iterable[str]) -> list[UnitRef]:
        return [unit_ref(self.G, u) for u in uids]

    def find(self, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]:
        from .find import find

        return find(self.G, text, on=on, kind=kind)

    def suggestions(self, text: str, *, n: int = 5) -> list[str]:
        from .find import suggestions

        return suggestions(self.G, text, n=n)

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]:
        from .tasks import bodies

        return bodies(self.G, territory, on=on)

    def attrs(self, uid: str) -> Mapping[str, Any]:
        return self.G.nodes[uid]  # type: ignore[no-any-return]

    def province_of(self, uid: str, on: date) -> str | None:
        from .succession import province_of

        return province_of(self.G, uid, on)

    # -- hops
    def came_from_events(self, uid: str) -> bool:
        return bool(in_events(self.G, uid))

    def successor_walks(self, uid: str, on: date) -> list[Walk]:
        from .succession import successor_ids

        return successor_ids(self.G, uid, on)

    def predecessor_walks(self, uid: str, on: date, *, include_derived: bool) -> list[tuple[str, tuple[Hop, ...]]]:
        G = self.G
        out: dict[str, tuple[Hop, ...]] = {}

        def walk(u: str, path: tuple[Hop, ...]) -> None:
            for ev in in_events(G, u):
                if G.nodes[ev].get(Attr.DERIVED) and not include_derived:
                    continue  # e.g. a district's modelled relation through its communes
                for src, edge in event_inputs(G, ev):
                    if any(h.from_unit == src for h in path):
                        continue
                    p = str(edge.get(Attr.PORTION, Portion.WHOLE))
                    hop = hop_of(G, ev, src, u, p, bool(edge.get(Attr.DEFAULT)) or p == Portion.WHOLE)
                    if is_live(G.nodes[src], on):
                        out.setdefault(src, (hop, *path))
                    elif (G.nodes[src].get(Attr.VALID_FROM) or date.min) > on:
                        walk(src, (hop, *path))

        walk(uid, ())
        return list(out.items())

    def lineage_hops(self, uid: str) -> tuple[set[str], set[str], list[Hop]]:
        from .succession import lineage_walk

        anc, desc, _, links = lineage_walk(self.G, uid)
        hops = []
        for (ev, src, dst), edge in links.items():
            p = str(edge.get(Attr.PORTION, Portion.WHOLE))
            hops.append(hop_of(self.G, ev, src, dst, p, bool(edge.get(Attr.DEFAULT)) or p == Portion.WHOLE))
        return anc, desc, hops

    # -- the country on a date
    def check_horizon(self, on: date, kind: str | None) -> None:
        check_horizon(self.G.graph.get(Attr.HORIZON, {}), on, kind=kind)

    def snapshot_rows(self, on: date, kind: str | None) -> list[tuple[str, str, str, int]]:
        counts: Counter[tuple[str, str, str]] = Counter()
        body = UnitType.BODY
        for n in units(self.G, on=on):
            a = self.G.nodes[n]
            k = str(a[Attr.KIND])
            if kind is not None and k != kind:
                continue
            t = a[Attr.TYPE]
            counts[(k, str(t), body_level(n) if t == body else "")] += 1
        return [(k, t, lv, n) for (k, t, lv), n in counts.items()]

    def snapshot_units(self, on: date, kind: str | None) -> list[str]:
        return [n for n in units(self.G, on=on) if kind is None or str(self.G.nodes[n][Attr.KIND]) == kind]

    def diff_rows(
        self, start: date, end: date, kind: str | None, *, listing: bool
    ) -> tuple[list[tuple[str, bool, int]], list[tuple[str, bool, int]], list[str], list[str]]:
        G = self.G
        changed: Counter[tuple[str, bool]] = Counter()
        e_list: list[str] = []
        b_list: list[str] = []
        for n, a in G.nodes(data=True):
            if Attr.KIND not in a or (kind is not None and str(a[Attr.KIND]) != kind):
                continue
            was, now = is_live(a, start), is_live(a, end)
            if was and not now:
                changed[(str(a[Attr.KIND]), True)] += 1
                e_list.append(n)
            elif now and not was:
                changed[(str(a[Attr.KIND]), False)] += 1
                b_list.append(n)
        ev: Counter[tuple[str, bool]] = Counter()
        nodes = G.nodes
        for e in events(G):
            a = nodes[e]
            if start < a[Attr.DATE] <= end:
                ins = (u for u, _, d in G.in_edges(e, data=True) if d.get(Attr.KIND) == EdgeKind.INPUT)
                ev[(str(a[Attr.TYPE]), any(nodes[u][Attr.TYPE] == UnitType.BODY for u in ins))] += 1
        return (
            [(k, ended, n) for (k, ended), n in changed.items()],
            [(t, b, n) for (t, b), n in ev.items()],
            e_list if listing else [],
            b_list if listing else [],
        )

    # -- convert
    def converter(self, *, on: date, as_of: date, suggest: bool = True) -> Converter:
        from .convert import Converter

        return Converter(self.G, on=on, as_of=as_of, suggest=suggest)

    # -- tasks
    def task_ids(self) -> list[str]:
        from .tasks import task_ids

        return task_ids(self.G)

    def plan_ids(self) -> list[str]:
        tasked = {a["plan"] for _, a in self.G.nodes(data=True) if a.get(Attr.NODE) == NodeKind.TASK}
        return sorted(tasked | set(self.G.graph.get("plans") or {}))

    def statuses(self, plan: str | None, on: date) -> list[TaskStatus]:
        from .tasks import status_in, task_ids

        memo: dict = {}
        return [status_in(self.G, t, on, memo) for t in task_ids(self.G, plan)]

    def status(self, tid: str, on: date) -> TaskStatus:
        from .tasks import status_in

        # one memo per date: a body's holder is read once, not once per task it leads
        return status_in(self.G, tid, on, self._memos.setdefault(on, {}))

    def holder(self, role: str, body: str, on: date) -> Holder:
        from .tasks import holder

        return holder(self.G, role, body, on)

    def tasks_with_words(self, words: Sequence[str]) -> set[str]:
        from .tasks import task_ids

        names = self.G.nodes
        return {t for t in task_ids(self.G) if all(w in fold(names[t][Attr.NAME]) for w in words)}

    def task_names(self, tids: Sequence[str]) -> dict[str, str]:
        return {t: self.G.nodes[t][Attr.NAME] for t in tids}

    def assignments_before(self, uid: str) -> list[tuple[str, str, str, str]]:
        G = self.G
        seen: set[str] = set()
        stack = [uid]
        while stack:
            u = stack.pop()
            for ev in in_events(G, u):
                for src, _ in event_inputs(G, ev):
                    if src not in seen:
                        seen.add(src)
                        stack.append(src)
        out = []
        for src in sorted(seen):
            for _, t, d in G.out_edges(src, data=True):
                if d.get(Attr.KIND) in (EdgeKind.LEADS, EdgeKind.COORDINATES):
                    role = "lead" if d[Attr.KIND] == EdgeKind.LEADS else "coordinator"
                    out.append((t, G.nodes[t][Attr.NAME], role, src))
        return out

    def generic_units(self, key: str, province: str | None, on: date) -> list[str]:
        from .tasks import generic_units

        return generic_units(self.G, key, province, on)

    def reports_to(self, plan: str) -> list[dict[str, Any]]:
        G = self.G
        return [
            {"src": u, "dst": v, "src_name": G.nodes[u][Attr.NAME], "dst_name": G.nodes[v][Attr.NAME], **d}
            for u, v, d in G.edges(data=True)
            if d.get(Attr.KIND) == EdgeKind.REPORTS_TO and d.get(Attr.PLAN) == plan
        ]

    # -- validation
    def integrity_findings(self, on: date) -> list[Finding]:
        from .tasks import integrity_findings

        return integrity_findings(self.G, on)

    def live_code_counts(self, on: date) -> Mapping[tuple[str, str], int]:
        from .tasks import live_code_counts

        return live_code_counts(self.G, on)


def store_of(graph: Any) -> Store:
    """The store behind ``graph``: itself if it is a :class:`Store`; an embedded graph's
    (:class:`NetworkxStore`); a backend's (a fresh one of its stores); a Neo4j database's
    (``ng.store()``). Anything else is a :class:`TypeError`.

    >>> from orgraph import load_national
    >>> from orgraph.queries.backend import networkx_backend
    >>> G = load_national()
    >>> store_of(G), store_of(networkx_backend(G))
    (<networkx store>, <networkx store>)
    >>> s = NetworkxStore(G)
    >>> store_of(s) is s
    True
    >>> store_of("Hưng Yên")
    Traceback (most recent call last):
    TypeError: no store behind a str: give a graph, a Neo4j database, a backend or a store
    """
    if isinstance(graph, Store):
        return graph
    if isinstance(graph, nx.Graph):
        return NetworkxStore(graph)  # type: ignore[arg-type]
    from .backend import Backend

    if isinstance(graph, Backend):
        answers: Any = graph  # networkx_backend's or neo4j_backend's: a fresh store per call
        return answers.store()  # type: ignore[no-any-return]
    from .neo4j import Neo4jGraph  # the driver is imported only for a database

    if isinstance(graph, Neo4jGraph):
        return graph.store()
    raise TypeError(f"no store behind a {type(graph).__name__}: give a graph, a Neo4j database, a backend or a store")
