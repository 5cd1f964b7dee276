"""Writing the graph into Neo4j: the schema, push (a sync), clear, delete, counts and a
fingerprint of what the database holds."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

import networkx as nx

from ...graph.errors import BackendError
from ...graph.model import TERRITORY_KINDS, Attr, EdgeKind, Kind, NodeKind
from ...graph.names import exact, fold, key
from .. import cypher as C
from ..results import jsonable
from .connection import Neo4jGraph

# --------------------------------------------------------------------------- schema, push


def ensure_schema(ng: Neo4jGraph) -> None:
    """Create the uniqueness constraints on every node kind's ``uid`` and the lookup indexes,
    unless they exist. Safe to run any number of times.

    >>> ensure_schema(ng)  # doctest: +SKIP
    """
    for statement in C.SCHEMA:
        ng.write(statement)


@dataclass(frozen=True, slots=True)
class PushSummary:
    """What a push did: nodes and relationships created, updated (a property changed) and
    left unchanged, and how long it took."""

    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    nodes_removed: int = 0
    relationships_removed: int = 0
    seconds: float = 0.0

    @property
    def nodes(self) -> int:
        return self.nodes_created + self.nodes_updated + self.nodes_unchanged

    @property
    def relationships(self) -> int:
        return self.relationships_created + self.relationships_updated + self.relationships_unchanged

    @property
    def changed(self) -> bool:
        return bool(
            self.nodes_created
            or self.nodes_updated
            or self.relationships_created
            or self.relationships_updated
            or self.nodes_removed
            or self.relationships_removed
        )

    def lines(self) -> list[str]:
        return [
            f"pushed {self.nodes:,} nodes and {self.relationships:,} relationships in {self.seconds:.1f} s",
            f"  nodes:         {self.nodes_created:,} created, {self.nodes_updated:,} updated, "
            f"{self.nodes_unchanged:,} unchanged, {self.nodes_removed:,} removed",
            f"  relationships: {self.relationships_created:,} created, "
            f"{self.relationships_updated:,} updated, {self.relationships_unchanged:,} unchanged, "
            f"{self.relationships_removed:,} removed",
        ]

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


_PLAIN = frozenset({str, int, float, bool, date, type(None)})


def _value(v: Any) -> Any:
    """A graph attribute as a Neo4j property value."""
    if type(v) in _PLAIN:
        return v
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, tuple | list | set | frozenset):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return json.dumps(jsonable(v), ensure_ascii=False, sort_keys=True)
    return v


def _digest(labels: list[str], props: dict[str, Any]) -> str:
    """A hash of what is pushed; props hold only str, numbers, bools, None, dates and lists."""
    text = repr((labels, sorted(props.items())))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _province_scope(G: nx.MultiDiGraph, province: str) -> tuple[set[str], set[str]]:
    """(units, events) of one new province's lineage: the province and those it came from or
    went into, every unit ever under them, every event those units took part in, the other
    units of those events, and the parents of all of these."""
    from ..find import resolve as nx_resolve
    from ..succession import lineage as nx_lineage

    start = nx_resolve(G, province, kind=Kind.PROVINCE, on=date.today())
    provinces, todo = {start}, [start]
    while todo:
        lin = nx_lineage(G, todo.pop())
        for ref in (*lin.ancestors, *lin.descendants):
            if ref.kind == Kind.PROVINCE and ref.id not in provinces:
                provinces.add(ref.id)
                todo.append(ref.id)

    def below(roots: Iterable[str]) -> set[str]:
        seen, queue = set(roots), deque(roots)
        while queue:
            for child, _, d in G.in_edges(queue.popleft(), data=True):
                if d.get(Attr.KIND) == EdgeKind.PARENT and child not in seen:
                    seen.add(child)
                    queue.append(child)
        return seen

    units = below(provinces)
    events: set[str] = set()
    for u in units:
        events.update(v for _, v, d in G.out_edges(u, data=True) if d.get(Attr.KIND) == EdgeKind.INPUT)
        events.update(v for v, _, d in G.in_edges(u, data=True) if d.get(Attr.KIND) == EdgeKind.OUTPUT)
    for ev in events:
        units.update(G.predecessors(ev))
        units.update(G.successors(ev))
    queue = deque(units)
    while queue:  # parents, so that every unit's parent names come out whole
        for _, parent, d in G.out_edges(queue.popleft(), data=True):
            if d.get(Attr.KIND) == EdgeKind.PARENT and parent not in units:
                units.add(parent)
                queue.append(parent)
    return units, events


_BLOCK = 10**9  # seq = block * _BLOCK + position in the block


def _block(nk: NodeKind, a: Mapping[str, Any]) -> int:
    """The block a node is built in: territorial units, events, bodies, tasks."""
    if nk is NodeKind.UNIT:
        return 0 if a.get(Attr.KIND) in TERRITORY_KINDS else 2
    return 1 if nk is NodeKind.EVENT else 3


def _plan(G: nx.MultiDiGraph, nodes: set[str] | None) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(what, query, rows) for every group of rows: units by kind, other nodes, then edges.

    Every node gets ``seq``, its position in the graph among the nodes of its block (territorial
    units, events, bodies, tasks: the blocks the graph is built in, in its order), and every
    edge its position among its source's edges, so that answers list things in the embedded
    graph's order. Counting within blocks keeps ``seq`` (and so the digest) of every other
    node unchanged when a ``--data`` file adds units or events at the end of theirs."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    node_kind: dict[str, NodeKind] = {}
    kinds = {k.value: k for k in NodeKind} | {k: k for k in NodeKind}
    in_block: Counter[int] = Counter()
    for n, a in G.nodes(data=True):
        nk = node_kind[n] = kinds[a[Attr.NODE]]
        block = _block(nk, a)
        seq = block * _BLOCK + in_block[block]
        in_block[block] += 1
        if nodes is not None and n not in nodes:
            continue
        props = {str(k): _value(v) for k, v in a.items() if k != Attr.NODE}
        props[C.SEQ] = seq
        if nk is NodeKind.UNIT:
            props[Attr.KEY.value] = a.get(Attr.KEY) or key(a[Attr.SHORT])
            props[Attr.KEY_FULL.value] = a.get(Attr.KEY_FULL) or key(a[Attr.NAME])
            props[C.EXACT] = exact(a[Attr.SHORT])
            props[C.EXACT_FULL] = exact(a[Attr.NAME])
            if a.get(Attr.FORMER_NAMES):  # found as the networkx index finds them (queries/find.py)
                props[C.FORMER_KEYS] = [
                    key(f["name"]).replace(" ", "") + "|" + (f["type"] or "") for f in a[Attr.FORMER_NAMES]
                ]
            kind = Kind(a[Attr.KIND])
            what, query, labels = f"{kind.value} units", C.PUSH_UNITS[kind], [C.KIND_LABELS[kind]]
        else:
            if nk is NodeKind.TASK:
                props[C.NAME_FOLD] = fold(a[Attr.NAME])
                props[C.PLAN_FOLD] = fold(a.get(C.PLAN) or "")
            what, query, labels = f"{nk.value}s", C.PUSH_NODES[nk], []
        row = {"uid": n, "props": props, "digest": _digest(labels, props)}
        groups.setdefault((what, query), []).append(row)
    edge_kinds = {k.value: k for k in EdgeKind} | {k: k for k in EdgeKind}
    for src in G.nodes:
        if nodes is not None and src not in nodes:
            continue
        for seq, (_, dst, k, d) in enumerate(G.out_edges(src, keys=True, data=True)):
            if nodes is not None and dst not in nodes:
                continue
            ek = edge_kinds[d[Attr.KIND]]
            props = {str(kk): _value(v) for kk, v in d.items() if kk != Attr.KIND}
            props[C.SEQ] = seq
            query = C.PUSH_EDGES[(ek, node_kind[src], node_kind[dst])]
            row = {
                "src": src,
                "dst": dst,
                "link": str(k),
                "props": props,
                "digest": _digest([], props),
            }
            groups.setdefault((f"{ek.value} relationships", query), []).append(row)
    return [(what, query, rows) for (what, query), rows in groups.items()]


def push(
    G: nx.MultiDiGraph,
    ng: Neo4jGraph,
    *,
    province: str | None = None,
    batch: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    keep_extra: bool = False,
) -> PushSummary:
    """Make the database hold the graph (or add one new ``province``'s lineage); returns what
    changed.

    Rows go in batches of ``batch`` as ``UNWIND $rows AS row MERGE ...``, one transaction
    each, nodes first: pushing twice changes nothing, and a push that was interrupted ends,
    when run again, as a clean push would. A whole push is a sync: then the nodes and
    relationships orgraph pushed before that the graph no longer holds (say, from a
    ``--data`` file since dropped) are removed, unless ``keep_extra``. ``progress(done,
    total)`` is called before the first batch and after each one. Creates the schema first
    (:func:`ensure_schema`).

    >>> from orgraph import load_national
    >>> push(load_national(), ng).nodes_created  # doctest: +SKIP
    17923
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    t0 = time.perf_counter()
    scope = set().union(*_province_scope(G, province)) if province else None
    plan = _plan(G, scope)
    total = sum(len(rows) for _, _, rows in plan)
    ensure_schema(ng)
    tally: Counter[str] = Counter()
    done = 0
    if progress is not None:
        progress(0, total)
    for what, query, rows in plan:
        side = "relationships" if what.endswith("relationships") else "nodes"
        for i in range(0, len(rows), batch):
            chunk = rows[i : i + batch]
            got = ng.write(query, rows=chunk)[0]
            if got["total"] != len(chunk):
                raise BackendError(
                    f"{len(chunk) - got['total']} of {len(chunk)} {what} have an end missing "
                    "from the database; push the whole graph (without --province) first"
                )
            tally[f"{side}_created"] += got["created"]
            tally[f"{side}_unchanged"] += got["unchanged"]
            tally[f"{side}_updated"] += got["total"] - got["created"] - got["unchanged"]
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    # every plan's id, so that a plan without tasks is known, and the horizon, so that Neo4j
    # refuses the dates the embedded graph refuses
    plans = sorted(G.graph.get("plans") or {})
    horizon = sorted((G.graph.get(Attr.HORIZON) or {}).items())
    whole = province is None and not keep_extra
    if plans or horizon or whole:
        ng.write(
            C.WRITE_PLANS,
            uid=C.PLANS_LABEL,
            whole=whole,
            plans=plans or None,
            kinds=[k for k, _ in horizon] or None,
            starts=[h.start.isoformat() for _, h in horizon] or None,
            whys=[h.why for _, h in horizon] or None,
        )
    if province is None and not keep_extra:
        tally.update(_remove_extra(G, ng, batch=batch))
    return PushSummary(**tally, seconds=time.perf_counter() - t0)


def _remove_extra(G: nx.MultiDiGraph, ng: Neo4jGraph, *, batch: int) -> Counter[str]:
    """Delete the nodes (with their relationships), then the relationships, that orgraph
    pushed before and ``G`` no longer holds."""
    removed: Counter[str] = Counter()
    for nk in NodeKind:
        extra = [r["uid"] for r in ng.read(C.PUSHED_UIDS[nk]) if r["uid"] not in G]
        for i in range(0, len(extra), batch):
            removed["nodes_removed"] += delete(ng, extra[i : i + batch])
    held = {(u, str(EdgeKind(d[Attr.KIND]).value), v, str(k)) for u, v, k, d in G.edges(keys=True, data=True)}
    for nk in NodeKind:
        rows = [r for r in ng.read(C.PUSHED_LINKS[nk]) if (r["src"], r["type"], r["dst"], r["link"]) not in held]
        for i in range(0, len(rows), batch):
            removed["relationships_removed"] += ng.write(C.DELETE_LINKS[nk], rows=rows[i : i + batch])[0]["deleted"]
    return removed


def clear(ng: Neo4jGraph, *, batch: int = 10_000) -> int:
    """Delete every node and relationship in the database, ``batch`` nodes per transaction.
    Returns the number of nodes deleted. The schema stays."""
    deleted = 0
    while True:
        n = ng.write(C.CLEAR_BATCH, limit=batch)[0]["deleted"]
        deleted += n
        if n == 0:
            return deleted


def delete(ng: Neo4jGraph, uids: Iterable[str]) -> int:
    """Delete the nodes with these ids and their relationships; returns how many."""
    return ng.write(C.DELETE_NODES, uids=list(uids))[0]["deleted"]


def counts(ng: Neo4jGraph) -> dict[str, dict[str, int]]:
    """Nodes per label set (``"Commune:Unit"``) and relationships per type."""
    nodes: Counter[str] = Counter()
    for r in ng.read(C.COUNT_NODES):
        nodes[":".join(sorted(r["labels"]))] += r["n"]
    rels = {r["type"]: r["n"] for r in ng.read(C.COUNT_RELATIONSHIPS)}
    return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(rels.items()))}


def fingerprint(ng: Neo4jGraph) -> str:
    """A hash of every node (labels, properties) and relationship (ends, type, properties) in
    the database: equal fingerprints mean equal contents."""
    nodes = sorted(
        json.dumps([sorted(r["labels"]), jsonable(r["props"])], sort_keys=True, ensure_ascii=False)
        for r in ng.read(C.DUMP_NODES)
    )
    rels = sorted(
        json.dumps(
            [r["src"], r["type"], r["dst"], jsonable(r["props"])],
            sort_keys=True,
            ensure_ascii=False,
        )
        for r in ng.read(C.DUMP_RELATIONSHIPS)
    )
    h = hashlib.sha256()
    for line in (*nodes, "--", *rels):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()
