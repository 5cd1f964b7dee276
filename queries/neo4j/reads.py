"""The queries of :mod:`orgraph.queries` asked of Neo4j: the matching and the walks run in
Cypher, and the answers are put together by the helpers the networkx queries use."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from ...graph.build import check_horizon, is_live
from ...graph.errors import UnknownUnitError
from ...graph.model import REFORM_DATE, Attr, EdgeKind, Horizon, Kind, NodeKind, Portion, UnitType
from ...graph.names import body_key, exact, fold, readings
from .. import answers
from .. import cypher as C
from .. import tasks as nxt
from ..address import AddressIndex, ParsedAddress, name_key, nearest_below, parse_address
from ..convert import OLD_DATE, Conversion, Converter
from ..find import (
    CODE,
    Qualifier,
    Resolution,
    parse_all,
    prefer_exact,
    rank_suggestions,
    settle,
    sort_key,
    typo_hits,
)
from ..geo import point_from
from ..results import Hop, Succession, UnitRef, unit_ref
from ..snapshot import Diff, Snapshot
from ..store import Walk
from ..succession import (
    Lineage,
    default_hop,
    is_part,
    preferred_successors,
    province_of,
)
from ..tasks import (
    LOCAL_COMMITTEES,
    PROVINCIAL_COMMITTEE,
    UNDER_PROVINCIAL_COMMITTEE,
    Finding,
    Holder,
    Inheritance,
    TaskStatus,
    Validation,
    all_levels,
    finding,
    generic_holder,
    holder_of,
    task_status,
)
from .connection import Neo4jGraph

# --------------------------------------------------------------------------- units


class _View:
    """Units fetched from Neo4j with every parent link above them, as a small graph laid out
    like the embedded one, so that ``unit_ref``, ``province_of`` and the converter's
    helpers read it unchanged."""

    def __init__(self, ng: Neo4jGraph) -> None:
        self.ng = ng
        self.G = nx.MultiDiGraph()
        self.fetched: set[str] = set()
        self.seq: dict[str, int] = {}  # position in the pushed graph, for the converter's order

    def fetch(self, uids: Iterable[str]) -> _View:
        """Add these units (those not fetched yet) and everything above them; one query."""
        want = [u for u in dict.fromkeys(uids) if u not in self.fetched]
        if not want:
            return self
        self.add(self.ng.read(C.UNIT_REFS, uids=want))
        self.fetched.update(want)
        return self

    def add(self, rows: Iterable[Mapping[str, Any]]) -> _View:
        """Add units from rows shaped as UNIT_REFS returns them (rows with no ``uid`` are
        skipped); no query."""
        G = self.G
        links: list[dict[str, Any]] = []
        for row in rows:
            if row["uid"] is None:
                continue
            self._node(row["uid"], row)
            self.seq[row["uid"]] = row["seq"] if row["seq"] is not None else -1
            self.fetched.add(row["uid"])
            links.extend(row["links"])
        for link in links:
            self._node(link["uid"], link)
        for link in sorted(links, key=lambda li: (li["child"], -1 if li["seq"] is None else li["seq"])):
            body = link.get("rel") == EdgeKind.BODY_OF
            k = EdgeKind.BODY_OF.value if body else f"{EdgeKind.PARENT}:{link['link_from']}"
            if not G.has_edge(link["child"], link["uid"], key=k):
                G.add_edge(
                    link["child"],
                    link["uid"],
                    key=k,
                    kind=EdgeKind.BODY_OF if body else EdgeKind.PARENT,
                    valid_from=link["link_from"],
                    valid_to=link["link_to"],
                )
        return self

    def _node(self, uid: str, p: Mapping[str, Any]) -> None:
        if uid not in self.G:
            self.G.add_node(
                uid,
                **{
                    Attr.NODE: NodeKind.UNIT,
                    Attr.KIND: p["kind"],
                    Attr.TYPE: p["type"],
                    Attr.NAME: p["name"],
                    Attr.SHORT: p["short"],
                    Attr.CODE: p["code"],
                    Attr.VALID_FROM: p["valid_from"],
                    Attr.VALID_TO: p["valid_to"],
                },
            )

    def ref(self, uid: str) -> UnitRef:
        return unit_ref(self.G, uid)

    def attrs(self, uid: str) -> dict[str, Any]:
        return self.G.nodes[uid]


def _view(ng: Neo4jGraph, uids: Iterable[str]) -> _View:
    return _View(ng).fetch(uids)


def _kind(kind: Kind | str | None) -> str | None:
    return None if kind is None else Kind(kind).value


@dataclass(slots=True)
class _Lookup:
    """What one LOOKUP round trip found for a name, code or id: the matching ids (in the
    order found, kind and date filters applied), a view holding them, the units each went
    into in one event, and how many events each came out of."""

    ids: list[str]
    view: _View
    next: dict[str, list[str]]
    came_from: dict[str, int]


def _lookup(
    ng: Neo4jGraph, text: str, *, on: date | None, kind: str | None, reading: int = 0, view: _View | None = None
) -> _Lookup:
    """:func:`orgraph.queries.find.find`'s matching, in one query (two when the first word
    may be a type prefix or part of the name, "phuong thien", and the prefix finds nothing)."""
    text = text.strip()
    code = text if CODE.match(text) else None
    k = bk = None
    types: Iterable[Any] | None = None
    quals: list[tuple[Any, str]] = []
    more = False
    if code is None:
        parsed = parse_all(text)
        if parsed and parsed[0][0][1]:
            (types, k), quals = parsed[0][reading], [r[0] for r in parsed[1:]]
            more = reading + 1 < len(parsed[0])
            bk = body_key(text.split(",", 1)[0])
    written = text.split(",")[0]
    rows = ng.read(  # "" for a branch not taken: no unit has it, and an index answers at once
        C.LOOKUP,
        uid=text,
        code=code or "",
        key=k or "",
        body_key=bk or "",
        former=k.replace(" ", "") if k else "",
        types=_types(types),
        kind=None,
        then_kind=kind,
        on=on,
        quals=[{"key": qk, "types": _types(qt)} for qt, qk in quals],
        exact=None if written.isascii() else exact(written),
    )
    v = (view or _View(ng)).add(rows)
    if any(r["via"] == 0 for r in rows):
        rows = [r for r in rows if r["via"] == 0]
    ids = list(dict.fromkeys(r["uid"] for r in rows if r["keep"]))
    if not ids and more:  # "phuong thien": no ward named Thiện, so the name Phương Thiện
        return _lookup(ng, text, on=on, kind=kind, reading=reading + 1, view=v)
    if not ids and k is not None:  # a whole address, as the networkx backend reads it
        got = parse_address(address_index(ng), text)
        if got.deepest and not got.street and not got.corrections:
            v.fetch(got.deepest)
            deepest = prefer_exact(v.G, list(got.commune), got.commune_text) if got.commune else got.deepest
            ids = [
                u
                for u in deepest
                if (kind is None or v.attrs(u)[Attr.KIND] == kind) and (on is None or is_live(v.attrs(u), on))
            ]
    return _Lookup(ids, v, {r["uid"]: r["next"] for r in rows}, {r["uid"]: r["came_from"] for r in rows})


def _types(types: Iterable[Any] | None) -> list[str] | None:
    return None if types is None else sorted(str(t) for t in types)


def _by_key(
    ng: Neo4jGraph,
    k: str,
    *,
    types: Iterable[Any] | None = None,
    quals: Sequence[tuple[Iterable[Any] | None, str]] = (),
    kind: str | None = None,
    then_kind: str | None = None,
    on: date | None = None,
    written: str | None = None,
    former: bool = True,
) -> list[str]:
    """Units by key as the networkx index finds them (``prefer_exact`` on ``written``); with
    ``former``, by their former names too (as ``find`` does; suggestions do not)."""
    rows = ng.read(
        C.FIND_BY_KEY,
        body_key="",  # no bodies by their own key here
        key=k,
        former=k.replace(" ", "") if former else None,
        types=_types(types),
        kind=kind,
        then_kind=then_kind,
        on=on,
        quals=[{"key": qk, "types": _types(qt)} for qt, qk in quals],
        exact=None if written is None or written.isascii() else exact(written),
    )
    return [r["uid"] for r in rows]


def find(ng: Neo4jGraph, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]:
    """Every unit whose name (or code, or id) matches ``text``; see :func:`orgraph.queries.find`.

    >>> [u.name for u in find(ng, "P. Dien Bien, Q. Ba Dinh")]  # doctest: +SKIP
    ['Phường Điện Biên']
    """
    found = _lookup(ng, text, on=on, kind=_kind(kind))
    v = found.view
    return [v.ref(n) for n in sorted(set(found.ids), key=lambda n: sort_key(v.G, n))]


def _all_keys(ng: Neo4jGraph) -> list[str]:
    got = ng.tables.get("keys")
    if got is None:
        got = ng.tables["keys"] = sorted({k for k in ng.read(C.ALL_KEYS)[0]["keys"] if k is not None})
    return got


def address_index(ng: Neo4jGraph) -> AddressIndex:
    """The free-text address reader's tables, built once per connection from Neo4j."""
    got = ng.tables.get("address")
    if got is None:
        kinds = [Kind.PROVINCE.value, Kind.DISTRICT.value, Kind.COMMUNE.value]
        rows = ng.read(C.ADDRESS_UNITS, kinds=kinds)
        got = ng.tables["address"] = AddressIndex.from_rows(
            (r["uid"], r["kind"], r["type"], (name_key(r["short"]), r["key_full"]), r["parents"]) for r in rows
        )
    return got


def suggestions(ng: Neo4jGraph, text: str, *, n: int = 5) -> list[str]:
    """Names close to ``text``; see :func:`orgraph.queries.find.suggestions`."""
    v = _View(ng)

    def fits(c: str, types: Iterable[Any] | None, quals: list[Qualifier]) -> list[tuple[str, int]]:
        ids = _by_key(ng, c, former=False)
        fitting = set(_by_key(ng, c, types=types, former=False)) if types is not None else set(ids)
        qualified = [set(_by_key(ng, c, quals=[q], former=False)) for q in quals]
        v.fetch(ids)
        return [
            (u, (u in fitting) + sum(u in q for q in qualified)) for u in sorted(ids, key=lambda u: sort_key(v.G, u))
        ]

    return rank_suggestions(text, _all_keys(ng), n=n, fits=fits, label=lambda u: v.ref(u).label())


def _one_chain(ng: Neo4jGraph, nxt: Mapping[str, Sequence[str]], ids: list[str]) -> bool:
    """Whether ``ids`` form one succession chain; from the lookup's ``next`` lists, or (for
    units the lookup did not bring: a typo's) one ONE_HOP query."""
    if all(a in nxt for a in ids):
        pairs = {(a, o) for a in ids for o in nxt[a] if o in ids}
    else:
        pairs = {(r["src"], r["dst"]) for r in ng.read(C.ONE_HOP, uids=ids)}
    for a in ids:
        if any(src == a for src, _ in pairs):
            continue
        if any((b, a) in pairs for b in ids):
            continue
        return False
    return True


def resolve_unit(
    ng: Neo4jGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
    chain_ok: bool = False,
    direction: str | None = None,
) -> Resolution:
    """Resolve a name, code or id to one unit by what the user asks, with the other units
    it matches; see :func:`orgraph.queries.find.resolve_unit` (the same rule, :func:`choose`).

    >>> resolve_unit(ng, "Tỉnh Tuyên Quang", direction="predecessors").id  # doctest: +SKIP
    'province:08@2025-07-01'
    """
    return _resolve(ng, text, on=on, kind=kind, chain_ok=chain_ok, direction=direction)[1]


def _came_from(ng: Neo4jGraph, came_from: Mapping[str, int], uid: str) -> bool:
    """Whether ``uid`` came out of some event: from the lookup's counts, else one query."""
    if uid in came_from:
        return bool(came_from[uid])
    return bool(ng.read(C.CAME_FROM, uid=uid)[0]["events"])


def _resolve(
    ng: Neo4jGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
    chain_ok: bool = False,
    direction: str | None = None,
    view: _View | None = None,
) -> tuple[_Lookup, Resolution]:
    """:func:`resolve_unit`, also giving what the lookup found (its view, ``view`` if given,
    holds the unit): one LOOKUP round trip gives the matches, their ``next`` units (for
    ``one_chain``) and how many events each came out of (for ``has_predecessors``)."""
    found = _lookup(ng, text, on=None, kind=_kind(kind), view=view)
    v = found.view
    return found, settle(
        text,
        [v.ref(n) for n in sorted(set(found.ids), key=lambda n: sort_key(v.G, n))],
        typo=lambda: _typo(ng, v, text, _kind(kind)),
        suggest=lambda: suggestions(ng, text),
        on=on,
        chain_ok=chain_ok,
        direction=direction,
        one_chain=lambda ids: _one_chain(ng, found.next, ids),
        has_predecessors=lambda uid: _came_from(ng, found.came_from, uid),
    )


def _typo(ng: Neo4jGraph, v: _View, text: str, kind: str | None) -> tuple[list[UnitRef], str]:
    hits, note = typo_hits(
        text,
        _all_keys(ng),
        lambda fixed, types, quals: _by_key(ng, fixed, types=types, quals=quals, then_kind=kind),
    )
    v.fetch(hits)
    return [v.ref(n) for n in sorted(set(hits), key=lambda n: sort_key(v.G, n))], note


def resolve(
    ng: Neo4jGraph,
    text: str,
    *,
    on: date | None = None,
    kind: Kind | str | None = None,
    chain_ok: bool = False,
    direction: str | None = None,
) -> str:
    """Resolve a name, code or id to exactly one unit id; see :func:`orgraph.queries.resolve`.

    >>> resolve(ng, "Xã Minh Khai, Hưng Hà, Thái Bình")  # doctest: +SKIP
    'commune:10360'
    """
    return resolve_unit(ng, text, on=on, kind=kind, chain_ok=chain_ok, direction=direction).id


# --------------------------------------------------------------------------- succession


def _hop(h: Mapping[str, Any], default: bool) -> Hop:
    return Hop(
        event=h["event"],
        type=h["type"],
        date=h["date"],
        basis=h["basis"],
        basis_date=h["basis_date"],
        clause=h["clause"],
        from_unit=h["from_unit"],
        to_unit=h["to_unit"],
        portion=h["portion"],
        default=default,
        derived=bool(h["derived"]),
    )


def _successors_of(found: Iterable[Sequence[Mapping[str, Any]]]) -> dict[str, tuple[str, str, bool, tuple[Hop, ...]]]:
    """The successors the walks (each its hops, as SUCCESSOR_PATHS gives them) lead to."""
    walks: list[tuple[tuple[Hop, ...], str, bool]] = []
    for hops_ in found:
        path: list[Hop] = []
        portion, default = Portion.WHOLE.value, True
        for h in hops_:
            hop_default = default_hop(h["portion"], h["default"])
            if is_part(h["portion"]):
                portion = Portion.PART.value
            default = default and hop_default
            path.append(_hop(h, hop_default))
        walks.append((tuple(path), portion, default))
    walks.sort(key=lambda w: [(h.date, h.event, h.to_unit) for h in w[0]])
    return preferred_successors((hops[-1].to_unit, portion, default, hops) for hops, portion, default in walks)


def _successor_ids(ng: Neo4jGraph, v: _View, uid: str, on: date) -> list[tuple[str, str, bool, tuple[Hop, ...]]]:
    if is_live(v.attrs(uid), on):
        return [(uid, Portion.WHOLE.value, True, ())]
    rows = ng.read(C.SUCCESSORS_WITH_REFS, uid=uid, on=on)  # the walks and the units reached at once
    v.add(rows)
    found = _successors_of(rows[0]["walks"] if rows else ())
    v.fetch(found)  # nothing left to fetch: every unit reached came with the walks
    return sorted(found.values(), key=lambda t: (not t[2], v.attrs(t[0])[Attr.NAME], t[0]))


def successors(ng: Neo4jGraph, unit: str, *, on: date | None = None, kind: Kind | str | None = None) -> Succession:
    """The units ``unit`` had become by ``on``; see :func:`orgraph.queries.successors`.

    >>> s = successors(ng, "Minh Khai, Hưng Hà, Thái Bình", on=date(2025, 7, 1))  # doctest: +SKIP
    >>> [(x.unit.name, x.province) for x in s.units]  # doctest: +SKIP
    [('Xã Hưng Hà', 'Tỉnh Hưng Yên')]
    """
    return answers.successors(Neo4jStore(ng), unit, on=on, kind=kind)


def predecessors(
    ng: Neo4jGraph,
    unit: str,
    *,
    on: date | None = None,
    include_derived: bool = False,
    kind: Kind | str | None = None,
) -> Succession:
    """The units ``unit`` was made of; see :func:`orgraph.queries.predecessors`.

    >>> p = predecessors(ng, "province:33@2025-07-01")  # doctest: +SKIP
    >>> sorted(x.unit.name for x in p.units)  # doctest: +SKIP
    ['Tỉnh Hưng Yên', 'Tỉnh Thái Bình']
    """
    return answers.predecessors(Neo4jStore(ng), unit, on=on, include_derived=include_derived, kind=kind)


def lineage(ng: Neo4jGraph, unit: str, *, kind: Kind | str | None = None) -> Lineage:
    """Every unit ``unit`` came from and went into; see :func:`orgraph.queries.lineage`.

    >>> lin = lineage(ng, "Xã Minh Khai, Hưng Hà, Thái Bình")  # doctest: +SKIP
    >>> [h.type for h in lin.hops if h.from_unit == lin.unit.id]  # doctest: +SKIP
    ['fusion']
    """
    return answers.lineage(Neo4jStore(ng), unit, kind=kind)


def snapshot(ng: Neo4jGraph, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot:
    """Counts of live units by kind and type on ``on``; see :func:`orgraph.queries.snapshot`.

    >>> snapshot(ng, on=date(2025, 7, 1)).by_kind["province"]  # doctest: +SKIP
    34
    """
    return answers.snapshot(Neo4jStore(ng), on=on, kind=kind, listing=listing)


def diff(ng: Neo4jGraph, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff:
    """Units that ended and began between two dates, and the events in between; see
    :func:`orgraph.queries.diff`.

    >>> d = diff(ng, date(2025, 6, 30), date(2025, 7, 1))  # doctest: +SKIP
    >>> d.ended["district"], d.began["province"]  # doctest: +SKIP
    (696, 23)
    """
    return answers.diff(Neo4jStore(ng), start, end, kind=kind, listing=listing)


# --------------------------------------------------------------------------- the store


class Neo4jStore:
    """The primitives of :class:`~orgraph.queries.store.Store`, read from Neo4j in Cypher
    (:mod:`orgraph.queries.cypher`). Units met on the way (a lookup's, a walk's) are kept
    in a small view, so a single-unit answer costs the lookup and one walk."""

    name = "neo4j"

    def __init__(self, ng: Neo4jGraph) -> None:
        self.ng, self.v = ng, _View(ng)
        self.came_from: dict[str, int] = {}
        self.task_ctx: dict[date, _Tasks] = {}

    def __repr__(self) -> str:
        return "<neo4j store>"

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
        found, r = _resolve(self.ng, text, on=on, kind=kind, chain_ok=chain_ok, direction=direction, view=self.v)
        self.came_from.update(found.came_from)
        return r

    def refs(self, uids: Iterable[str]) -> list[UnitRef]:
        ids = list(uids)
        self.v.fetch(ids)
        return [self.v.ref(u) for u in ids]

    def find(self, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]:
        return find(self.ng, text, on=on, kind=kind)

    def suggestions(self, text: str, *, n: int = 5) -> list[str]:
        return suggestions(self.ng, text, n=n)

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]:
        return bodies(self.ng, territory, on=on)

    def attrs(self, uid: str) -> Mapping[str, Any]:
        return self.v.fetch([uid]).attrs(uid)

    def province_of(self, uid: str, on: date) -> str | None:
        return province_of(self.v.fetch([uid]).G, uid, on)

    # -- hops
    def came_from_events(self, uid: str) -> bool:
        return _came_from(self.ng, self.came_from, uid)

    def successor_walks(self, uid: str, on: date) -> list[Walk]:
        return _successor_ids(self.ng, self.v.fetch([uid]), uid, on)

    def predecessor_walks(self, uid: str, on: date, *, include_derived: bool) -> list[tuple[str, tuple[Hop, ...]]]:
        walks = []
        rows = self.ng.read(C.PREDECESSORS_WITH_REFS, uid=uid, on=on, derived=include_derived)
        self.v.add(rows)
        for hops_ in rows[0]["walks"] if rows else ():
            walks.append(tuple(_hop(h, bool(h["default"]) or h["portion"] == Portion.WHOLE) for h in hops_))
        walks.sort(key=lambda path: [(h.date, h.event, h.from_unit) for h in reversed(path)])
        first: dict[str, tuple[Hop, ...]] = {}
        for path in walks:
            first.setdefault(path[0].from_unit, path)
        return list(first.items())

    def lineage_hops(self, uid: str) -> tuple[set[str], set[str], list[Hop]]:
        rows = self.ng.read(C.LINEAGE_WITH_REFS, uid=uid)  # the lineage and every unit in it at once
        self.v.add(rows)
        row = rows[0]
        hops = {
            (h["event"], h["from_unit"], h["to_unit"]): _hop(h, bool(h["default"]) or h["portion"] == Portion.WHOLE)
            for h in row["hops"]
        }
        return set(row["ancestors"]), set(row["descendants"]), list(hops.values())

    # -- the country on a date
    def check_horizon(self, on: date, kind: str | None) -> None:
        """The horizon the last push gave (a database pushed without one accepts any date)."""
        horizon = {}
        for r in self.ng.read(C.READ_HORIZON):
            for k, start, why in zip(r["kinds"] or (), r["starts"] or (), r["whys"] or (), strict=True):
                horizon[k] = Horizon.model_validate({"from": start, "why": why})
        check_horizon(horizon, on, kind=kind)

    def snapshot_rows(self, on: date, kind: str | None) -> list[tuple[str, str, str, int]]:
        return [(r["kind"], r["type"], r["level"], r["n"]) for r in self.ng.read(C.SNAPSHOT_COUNTS, on=on, kind=kind)]

    def snapshot_units(self, on: date, kind: str | None) -> list[str]:
        return [r["uid"] for r in self.ng.read(C.SNAPSHOT_UNITS, on=on, kind=kind)]

    def converter(self, *, on: date, as_of: date, suggest: bool = True) -> Converter:
        return _CypherConverter(self.ng, on=on, as_of=as_of, suggest=suggest)

    # -- tasks
    def task_ids(self) -> list[str]:
        rows = self.ng.read(C.TASK_IDS)
        return [r["uid"] for r in sorted(rows, key=lambda r: (r["plan"], r["line"] or 0, r["uid"]))]

    def plan_ids(self) -> list[str]:
        tasked = {r["plan"] for r in self.ng.read(C.TASK_IDS)}
        listed = {p for r in self.ng.read(C.READ_PLANS) for p in r["plans"] or ()}
        return sorted(tasked | listed)

    def _tasks(self, on: date) -> _Tasks:
        """What the task primitives share on one date (fetched units, walks, holders)."""
        got = self.task_ctx.get(on)
        if got is None:
            got = self.task_ctx[on] = _Tasks(self.ng, on)
        return got

    def statuses(self, plan: str | None, on: date) -> list[TaskStatus]:
        return self._tasks(on).all(plan)

    def status(self, tid: str, on: date) -> TaskStatus:
        row = next(r for r in self.ng.read(C.TASKS, plan=None) if r["uid"] == tid)
        return self._tasks(on).status(tid, row["props"], row["assignees"])

    def holder(self, role: str, body: str, on: date) -> Holder:
        return self._tasks(on).holder(role, body)

    def tasks_with_words(self, words: Sequence[str]) -> set[str]:
        return {r["uid"] for r in self.ng.read(C.TASKS_WITH_WORDS, words=list(words))}

    def task_names(self, tids: Sequence[str]) -> dict[str, str]:
        want = set(tids)
        return {r["uid"]: r["name"] for r in self.ng.read(C.TASK_IDS) if r["uid"] in want}

    def assignments_before(self, uid: str) -> list[tuple[str, str, str, str]]:
        rows = self.ng.read(C.INHERITED_FROM, uid=uid)
        rows.sort(key=lambda r: (r["src"], r["seq"] if r["seq"] is not None else -1))
        return [
            (r["task"], r["text"], "lead" if r["role"] == EdgeKind.LEADS else "coordinator", r["src"]) for r in rows
        ]

    def generic_units(self, key: str, province: str | None, on: date) -> list[str]:
        return self._tasks(on).generic_units(key, province)[0]

    def reports_to(self, plan: str) -> list[dict[str, Any]]:
        return reports_to_edges(self.ng, plan)

    # -- validation
    def integrity_findings(self, on: date) -> list[Finding]:
        findings: list[tuple[tuple[Any, ...], Finding]] = []
        for r in self.ng.read(C.VALIDATE_INPUTS):
            end, d = r["valid_to"], r["date"]
            if end is None or end > d:
                f = finding("outlives", r["unit"], name=r["name"], end=end, into=r["outputs"][0], date=d)
            else:
                f = finding("ends-off", r["unit"], name=r["name"], end=end, event=r["event"], date=d)
            findings.append(((0, r["seq"], 0, r["unit"]), f))
        for r in self.ng.read(C.VALIDATE_OUTPUTS):
            f = finding(
                "starts-off", r["unit"], name=r["name"], start=r["valid_from"], event=r["event"], date=r["date"]
            )
            findings.append(((0, r["seq"], 1, r["unit"]), f))
        for r in self.ng.read(C.VALIDATE_PARENTS, on=on):
            if r["parent"] is None:
                f = finding("no-parent", r["unit"], name=r["name"], on=on)
            else:
                f = finding("parent-ended", r["unit"], name=r["name"], parent=r["parent"], on=on)
            findings.append(((1, r["seq"], 0, r["unit"]), f))
        return [f for _, f in sorted(findings, key=lambda t: t[0])]

    def live_code_counts(self, on: date) -> Mapping[tuple[str, str], int]:
        return {(str(r["kind"]), r["code"]): r["n"] for r in self.ng.read(C.VALIDATE_CODES, on=on)}

    def diff_rows(
        self, start: date, end: date, kind: str | None, *, listing: bool
    ) -> tuple[list[tuple[str, bool, int]], list[tuple[str, bool, int]], list[str], list[str]]:
        e_list: list[str] = []
        b_list: list[str] = []
        if listing:
            for r in self.ng.read(C.DIFF_UNITS, start=start, end=end, kind=kind):
                (e_list if r["was"] else b_list).append(r["uid"])
        units = [
            (r["kind"], bool(r["was"]), r["n"]) for r in self.ng.read(C.DIFF_COUNTS, start=start, end=end, kind=kind)
        ]
        evs = [(r["type"], bool(r["bodies"]), r["n"]) for r in self.ng.read(C.DIFF_EVENTS, start=start, end=end)]
        return units, evs, e_list, b_list


# --------------------------------------------------------------------------- convert


def _candidates(
    ng: Neo4jGraph, v: _View, province: str, district: str, commune: str, code: str, as_of: date
) -> list[str]:
    commune_kind = Kind.COMMUNE.value
    if code:
        c = code.strip()
        if c.isdigit():
            c = c.zfill(5)
        hits = [r["uid"] for r in ng.read(C.FIND_BY_CODE, code=c, kind=commune_kind, on=None)]
    else:
        quals = [readings(q)[0] for q in (district, province) if q and q.strip()]
        hits = []
        for types, k in readings(commune) if fold(commune) else ():  # "phuong thien": a ward, else the name
            hits = _by_key(
                ng,
                k,
                types=types,
                quals=quals,
                kind=commune_kind,
                written=commune,
                former=False,  # as the embedded converter's candidates: by current and old names only
            )
            if hits:
                break
    v.fetch(hits)
    hits.sort(key=lambda u: v.seq.get(u, -1))  # the embedded graph's order
    if len(hits) > 1:
        live = [u for u in hits if is_live(v.attrs(u), as_of)]
        if live:
            hits = live
    return hits


def convert(
    ng: Neo4jGraph,
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
    """Convert one old address (free text, names, or a commune code) to its commune and
    province on ``on``; see :func:`orgraph.queries.convert`. Free text is read from tables
    built once per connection from the database (:func:`address_index`).

    >>> c = convert(ng, province="Thái Bình", district="Hưng Hà", commune="Minh Khai")
    ... # doctest: +SKIP
    >>> c.status, c.new_commune, c.new_province  # doctest: +SKIP
    ('ok', 'Xã Hưng Hà', 'Tỉnh Hưng Yên')
    """
    return answers.convert(
        Neo4jStore(ng),
        province=province,
        district=district,
        commune=commune,
        code=code,
        address=address,
        on=on,
        as_of=as_of,
        lat=lat,
        lon=lon,
    )


class _CypherConverter(Converter):
    """The embedded converter's rules, with candidates, successors and suggestions asked of
    Neo4j; its other helpers read only the units fetched into the view."""

    def __init__(self, ng: Neo4jGraph, *, on: date, as_of: date, suggest: bool = True) -> None:
        self.ng, self.v = ng, _View(ng)
        super().__init__(self.v.G, on=on, as_of=as_of, suggest=suggest)

    def candidates(self, province: str, district: str, commune: str, code: str) -> list[str]:
        return _candidates(self.ng, self.v, province, district, commune, code, self.as_of)

    def _successors(self, uid: str) -> list[tuple[str, str, bool, tuple[Hop, ...]]]:
        return _successor_ids(self.ng, self.v, uid, self.on)

    def _suggest(self, what: str) -> list[str]:
        return suggestions(self.ng, what, n=3) if self.suggest else []

    def _points(self, uids: list[str]) -> dict[str, tuple[float, float] | None]:
        got = {r["uid"]: _dict_property(r["point"]) for r in self.ng.read(C.UNIT_POINTS, uids=uids)}
        return {u: point_from(got.get(u)) for u in uids}

    def _parse(self, text: str) -> ParsedAddress:
        got = parse_address(address_index(self.ng), text)
        self.v.fetch([*got.commune, *got.district, *got.province])
        return got

    def _nearest(self, where: list[str], text: str) -> list[str]:
        ids = nearest_below(address_index(self.ng), where, text, n=3)
        self.v.fetch(ids)
        return ids


# --------------------------------------------------------------------------- bodies, tasks

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _dict_property(text: Any) -> dict[str, Any]:
    """A dict attribute pushed as JSON, with its dates back as dates."""
    if not isinstance(text, str):
        return dict(text or {})
    return {
        k: date.fromisoformat(v) if isinstance(v, str) and _ISO_DATE.match(v) else v
        for k, v in json.loads(text).items()
    }


class _Tasks:
    """What the task queries share within one call: fetched units, successor walks, holders,
    and the units a generic assignee names."""

    def __init__(self, ng: Neo4jGraph, on: date) -> None:
        self.ng, self.on, self.v = ng, on, _View(ng)
        self.holders: dict[tuple[str, str], Holder] = {}
        self.generic: dict[tuple[str, str | None], tuple[list[str], _View]] = {}
        self.scopes: dict[str | None, _View] = {}
        self.ref_memo: dict[tuple[int, tuple[str, ...]], tuple[UnitRef, ...]] = {}

    def holder(self, role: str, body: str) -> Holder:
        """:func:`orgraph.queries.tasks.holder`, from Neo4j."""
        got = self.holders.get((role, body))
        if got is None:
            v = self.v.fetch([body])
            got = self.holders[(role, body)] = holder_of(
                role,
                v.ref(body),
                v.attrs(body),
                self.on,
                successors=lambda: _successor_ids(self.ng, v, body, self.on),
                ref_of=v.ref,
            )
        return got

    def generic_units(self, key_: str, province: str | None) -> tuple[list[str], _View]:
        """:func:`orgraph.queries.tasks.generic_units`, run on what it can name fetched from
        Neo4j: the province (resolved as the networkx query resolves it) or every province,
        the units under it, and their bodies."""
        prov = None
        if province:
            try:
                prov = resolve(self.ng, province, on=self.on, kind=Kind.PROVINCE)
            except Exception:  # noqa: BLE001 - as the networkx query: best effort
                prov = None
        if key_ == "all_levels_party_committees":  # every level: only the committees are fetched
            got = self.generic.get((key_, prov))
            if got is None:
                slugs = [PROVINCIAL_COMMITTEE, *UNDER_PROVINCIAL_COMMITTEE, *LOCAL_COMMITTEES.values()]
                v = _View(self.ng).add(self.ng.read(C.GENERIC_PARTY_COMMITTEES, uid=prov, on=self.on, slugs=slugs))
                if prov is not None:
                    v.fetch([prov])
                got = self.generic[(key_, prov)] = (all_levels(v.G, prov, self.on), v)
            return got
        scope = self.scopes.get(prov)
        if scope is None:
            row = self.ng.read(C.GENERIC_SCOPE, uid=prov)[0]
            scope = _view(self.ng, [*row["territories"], *(b["body"] for b in row["bodies"])])
            for b in row["bodies"]:
                scope.G.add_edge(
                    b["body"],
                    b["territory"],
                    key=b["link"],
                    kind=EdgeKind.BODY_OF,
                    valid_from=b["valid_from"],
                    valid_to=b["valid_to"],
                )
            self.scopes[prov] = scope
        return nxt.generic_units(scope.G, key_, prov, self.on), scope

    def refs(self, scope: _View, units: Sequence[str]) -> tuple[UnitRef, ...]:
        key_ = (id(scope), tuple(units))
        got = self.ref_memo.get(key_)
        if got is None:
            got = self.ref_memo[key_] = tuple(scope.ref(u) for u in units)
        return got

    def status(self, tid: str, a: Mapping[str, Any], assignees: Sequence[Sequence[str]]) -> TaskStatus:
        """:func:`orgraph.queries.tasks.task_status`, from Neo4j."""
        leads: list[Holder] = []
        coords: list[Holder] = []
        for body, role in sorted(assignees, key=lambda x: (x[1], x[0])):
            if role == EdgeKind.LEADS:
                leads.append(self.holder("lead", body))
            elif role == EdgeKind.COORDINATES:
                coords.append(self.holder("coordinator", body))
        for role, keys, out in (
            ("lead", a.get("generic_leads") or (), leads),
            ("coordinator", a.get("generic_coordinators") or (), coords),
        ):
            for k in keys:
                units, scope = self.generic_units(k, a.get("province"))
                out.append(generic_holder(role, k, units, self.refs(scope, units), self.on))
        return task_status(tid, a, _dict_property(a.get("deadline")), leads, coords, self.on)

    def all(self, plan: str | None = None) -> list[TaskStatus]:
        rows = self.ng.read(C.TASKS, plan=None if plan is None else fold(plan))
        rows.sort(key=lambda r: (r["props"][C.PLAN], r["props"].get(C.LINE) or 0, r["uid"]))
        return [self.status(r["uid"], r["props"], r["assignees"]) for r in rows]


def holder(ng: Neo4jGraph, role: str, body: str, on: date) -> Holder:
    """Who holds ``role`` for ``body`` on ``on``; see :func:`orgraph.queries.tasks.holder`."""
    return _Tasks(ng, on).holder(role, body)


def generic_units(ng: Neo4jGraph, key: str, province: str | None, on: date) -> list[str]:
    """The units a generic assignee names on ``on``; see
    :func:`orgraph.queries.tasks.generic_units`."""
    return _Tasks(ng, on).generic_units(key, province)[0]


def bodies(ng: Neo4jGraph, territory: str, *, on: date) -> list[UnitRef]:
    """The party and state bodies of a territory live on ``on``; see
    :func:`orgraph.queries.tasks.bodies`."""
    v = _view(ng, [territory])
    t = territory if territory in v.G else resolve(ng, territory, on=on)
    v.fetch([t])
    if v.attrs(t).get(Attr.TYPE) == UnitType.BODY:
        raise UnknownUnitError(territory, [f"{territory} is a body; give its province or commune"])
    ids = [r["uid"] for r in ng.read(C.BODIES_OF, uid=t, on=on)]
    v.fetch(ids)
    return [v.ref(b) for b in sorted(ids, key=lambda b: (str(v.attrs(b)[Attr.KIND]), v.attrs(b)[Attr.NAME]))]


def tasks(ng: Neo4jGraph, *, plan: str | None = None, on: date = REFORM_DATE) -> list[TaskStatus]:
    """Every task (of one plan) with its lead, coordinators, deadline and status on ``on``;
    see :func:`orgraph.queries.tasks.tasks`."""
    return answers.tasks(Neo4jStore(ng), plan=plan, on=on)


def responsibilities(ng: Neo4jGraph, task: str, *, on: date) -> TaskStatus:
    """Who leads and coordinates a task on ``on``, and why; see
    :func:`orgraph.queries.tasks.responsibilities`."""
    return answers.responsibilities(Neo4jStore(ng), task, on=on)


def inherited(ng: Neo4jGraph, body: str, *, on: date) -> list[Inheritance]:
    """What ``body`` holds on ``on`` because a body it succeeded was assigned it; see
    :func:`orgraph.queries.tasks.inherited`."""
    return answers.inherited(Neo4jStore(ng), body, on=on)


def validate(ng: Neo4jGraph, *, on: date, max_findings: int = 200) -> Validation:
    """Every open task's status on ``on`` and the integrity rules; see
    :func:`orgraph.queries.tasks.validate`."""
    return answers.validate(Neo4jStore(ng), on=on, max_findings=max_findings)


def reports_to_edges(ng: Neo4jGraph, plan: str) -> list[dict[str, Any]]:
    """The ``REPORTS_TO`` lines of a plan as the weekly report reads them (the networkx
    graph's edge attributes, plus the two bodies' ids and names)."""
    out = []
    for r in ng.read(C.REPORTS_TO_LINES, plan=plan):
        props = dict(r["props"])
        props["schedule"] = _dict_property(props.get("schedule"))
        out.append({"src": r["src"], "dst": r["dst"], "src_name": r["src_name"], "dst_name": r["dst_name"], **props})
    return out
