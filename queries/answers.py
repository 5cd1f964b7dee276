"""Every answer, written once over a :class:`~orgraph.queries.store.Store`.

The public functions of :mod:`orgraph.queries` (``successors(G, …)``) and of
:mod:`orgraph.queries.neo4j` (``successors(ng, …)``) are these, over the embedded graph's
store or Neo4j's; the backends of :mod:`orgraph.queries.backend` too.

>>> from orgraph import load_national
>>> from orgraph.queries.store import NetworkxStore
>>> successors(NetworkxStore(load_national()), "Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name
'Xã Hưng Hà'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from ..graph.errors import AmbiguousUnitError, UnknownPlanError, UnknownUnitError
from ..graph.model import REFORM_DATE, Attr, Kind, UnitType
from ..graph.names import fold
from .convert import OLD_DATE, Conversion, check_point
from .results import Succession, Successor, UnitRef
from .snapshot import Diff, Snapshot, count_diff, count_snapshot, diff_order, listing_order
from .store import Store
from .succession import Lineage, predecessors_answer, successors_answer
from .tasks import OFFICIAL_COUNTS, Holder, Inheritance, TaskStatus, Validation, finish_validation

__all__ = [
    "successors",
    "predecessors",
    "lineage",
    "snapshot",
    "diff",
    "convert",
    "tasks",
    "responsibilities",
    "inherited",
    "validate",
]


def successors(store: Store, unit: str, *, on: date | None = None, kind: Kind | str | None = None) -> Succession:
    """See :func:`orgraph.queries.successors`."""
    r = store.resolve(unit, kind=kind, chain_ok=True, direction="successors")
    uid = r.id
    (ref,) = store.refs([uid])

    def found(d: date) -> list[Successor]:
        walks = store.successor_walks(uid, d)
        refs = store.refs(w[0] for w in walks)
        return [
            Successor(u_ref, portion, default, path, store.province_of(u, d))
            for u_ref, (u, portion, default, path) in zip(refs, walks, strict=True)
        ]

    s = successors_answer(ref, dict(store.attrs(uid)), on, province_of=lambda d: store.province_of(uid, d), found=found)
    return replace(s, alternatives=r.alternatives, note=r.note)


def predecessors(
    store: Store,
    unit: str,
    *,
    on: date | None = None,
    include_derived: bool = False,
    kind: Kind | str | None = None,
) -> Succession:
    """See :func:`orgraph.queries.predecessors`."""
    r = store.resolve(unit, kind=kind, direction="predecessors")
    uid = r.id
    (ref,) = store.refs([uid])
    a = dict(store.attrs(uid))
    # a body's changes are all modelled (cascaded from its territory's): keep them
    include_derived = include_derived or a.get(Attr.TYPE) == UnitType.BODY

    def found(d: date) -> list[Successor]:
        walks = store.predecessor_walks(uid, d, include_derived=include_derived)
        refs = store.refs(src for src, _ in walks)
        return [
            Successor(src_ref, path[0].portion, path[0].default, path, store.province_of(src, d))
            for src_ref, (src, path) in zip(refs, walks, strict=True)
        ]

    s = predecessors_answer(ref, a, on, has_events=lambda: store.came_from_events(uid), found=found)
    return replace(s, alternatives=r.alternatives, note=r.note)


def lineage(store: Store, unit: str, *, kind: Kind | str | None = None) -> Lineage:
    """See :func:`orgraph.queries.lineage`."""
    r = store.resolve(unit, kind=kind, chain_ok=True)
    uid = r.id
    anc, desc, hops = store.lineage_hops(uid)
    (ref,) = store.refs([uid])

    def order(ids: set[str]) -> tuple[UnitRef, ...]:
        return tuple(sorted(store.refs(ids), key=lambda x: (x.valid_from or date.min, x.id)))

    return Lineage(
        ref,
        order(anc),
        order(desc),
        tuple(sorted(hops, key=lambda h: (h.date, h.event, h.from_unit, h.to_unit))),
        r.alternatives,
        r.note,
    )


def snapshot(store: Store, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot:
    """See :func:`orgraph.queries.snapshot`."""
    if kind is not None:
        kind = str(kind)
    store.check_horizon(on, kind)
    rows = store.snapshot_rows(on, kind)
    refs: tuple[UnitRef, ...] = ()
    if listing:
        refs = tuple(
            sorted(store.refs(store.snapshot_units(on, kind)), key=lambda x: listing_order(x.kind, x.name, x.id))
        )
    return count_snapshot(on, rows, refs)


def diff(store: Store, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff:
    """See :func:`orgraph.queries.diff`."""
    if end < start:
        start, end = end, start
    if kind is not None:
        kind = str(kind)
    store.check_horizon(start, kind)
    unit_rows, event_rows, e_list, b_list = store.diff_rows(start, end, kind, listing=listing)
    if listing:
        got = store.refs([*e_list, *b_list])
        ended, began = got[: len(e_list)], got[len(e_list) :]
    else:
        ended = began = []

    def order(refs: list[UnitRef]) -> tuple[UnitRef, ...]:
        return tuple(sorted(refs, key=lambda x: diff_order(x.kind, x.name, x.id)))

    return count_diff(start, end, unit_rows, event_rows, order(ended), order(began))


def convert(
    store: Store,
    *,
    province: str = "",
    district: str = "",
    commune: str = "",
    code: str = "",
    address: str = "",
    on: date | None = None,
    as_of: date = OLD_DATE,
    lat: float | None = None,
    lon: float | None = None,
) -> Conversion:
    """See :func:`orgraph.queries.convert`."""
    point = check_point(lat, lon)
    conv = store.converter(on=on or date.today(), as_of=as_of)
    if address and not (province or district or commune or code):
        return conv.convert_address(address, point=point)
    return conv.convert(province, district, commune, code, point=point)


def tasks(store: Store, *, plan: str | None = None, on: date = REFORM_DATE) -> list[TaskStatus]:
    """See :func:`orgraph.queries.tasks.tasks`."""
    out = store.statuses(plan, on)
    if plan is not None and not out:
        known = store.plan_ids()
        if any(fold(p) == fold(plan) for p in known):
            return []  # a plan without tasks
        raise UnknownPlanError(plan, known)
    return out


def responsibilities(store: Store, task: str, *, on: date) -> TaskStatus:
    """See :func:`orgraph.queries.tasks.responsibilities`."""
    ids = store.task_ids()
    known = set(ids)
    if task in known:
        tid = task
    elif f"task:{task}" in known:
        tid = f"task:{task}"
    else:
        found = store.tasks_with_words(fold(task).split())
        hits = [t for t in ids if t in found]
        if len(hits) != 1:
            if hits:
                names = store.task_names(hits[:10])
                raise AmbiguousUnitError(task, [f"{t} — {names[t][:60]}" for t in hits[:10]])
            raise UnknownUnitError(task, ids[:5])
        tid = hits[0]
    return store.status(tid, on)


def inherited(store: Store, body: str, *, on: date) -> list[Inheritance]:
    """See :func:`orgraph.queries.tasks.inherited`."""
    b = store.resolve(body, on=on).id
    held: dict[tuple[str, str], Holder] = {}
    out: list[Inheritance] = []
    for task, text, role, src in store.assignments_before(b):
        h = held.get((role, src))
        if h is None:
            h = held[(role, src)] = store.holder(role, src, on)
        if any(x.id == b for x in h.holders):
            out.append(Inheritance(task, text, h.role, h.assigned or store.refs([src])[0], h.path))
    return out


def validate(store: Store, *, on: date, max_findings: int = 200) -> Validation:
    """See :func:`orgraph.queries.tasks.validate`."""
    statuses = tuple(t for t in store.statuses(None, on) if t.open)
    findings = store.integrity_findings(on)
    codes = store.live_code_counts(on)
    got: Counter[str] = Counter()
    if on in OFFICIAL_COUNTS:
        for kind, _type, _level, n in store.snapshot_rows(on, None):
            if kind in (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE):
                got[str(kind)] += n
    return finish_validation(on, statuses, findings, codes, got, max_findings)
