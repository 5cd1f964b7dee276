"""Bodies, tasks, inherited responsibilities and the live-lead check."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import networkx as nx

from ..graph.build import event_inputs, event_outputs, is_live, parent_on
from ..graph.errors import UnknownUnitError
from ..graph.i18n import Message
from ..graph.model import OLD_MAP_DATE, REFORM_DATE, Attr, EdgeKind, Kind, NodeKind, UnitType, body_id
from ..graph.names import fold
from ..graph.workdays import add_working_days
from .find import resolve
from .results import Hop, UnitRef, jsonable, unit_ref
from .succession import successor_ids

__all__ = [
    "bodies",
    "tasks",
    "responsibilities",
    "inherited",
    "validate",
    "next_due",
    "occurrences",
    "Holder",
    "TaskStatus",
    "Finding",
    "Validation",
    "OFFICIAL_COUNTS",
]

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

OFFICIAL_COUNTS = {
    OLD_MAP_DATE: {"province": 63, "district": 696, "commune": 10035},
    REFORM_DATE: {"province": 34, "district": 0, "commune": 3321},
}


def _is_body(a: dict) -> bool:
    return a.get(Attr.TYPE) == UnitType.BODY


def bodies(G: nx.MultiDiGraph, territory: str, *, on: date) -> list[UnitRef]:
    """The party and state bodies of a territory live on ``on``.

    >>> from orgraph.loaders.plans import load_full
    >>> names = [b.name for b in bodies(load_full(), "province:33@2025-07-01", on=date(2025, 7, 1))]
    >>> "Ban Tổ chức Tỉnh ủy Hưng Yên" in names
    True
    """
    t = territory if territory in G else resolve(G, territory, on=on)
    if _is_body(G.nodes[t]):
        raise UnknownUnitError(territory, [f"{territory} is a body; give its province or commune"])
    out = [
        b for b, _, d in G.in_edges(t, data=True) if d.get(Attr.KIND) == EdgeKind.BODY_OF and is_live(G.nodes[b], on)
    ]
    return [unit_ref(G, b) for b in sorted(out, key=lambda b: (str(G.nodes[b][Attr.KIND]), G.nodes[b][Attr.NAME]))]


def next_due(deadline: dict, on: date, events: dict[str, date] | None = None) -> tuple[date | None, str]:
    """Evaluate a deadline rule on ``on``: (the next due date or None, a description).

    >>> next_due({"kind": "weekly", "weekday": "tuesday", "before": "15:00"}, date(2025, 7, 3))
    (datetime.date(2025, 7, 8), 'every tuesday before 15:00')
    >>> next_due({"kind": "after_event", "event": "provincial_party_congress_closes",
    ...           "within_working_days": 7}, date(2025, 9, 1),
    ...          {"provincial_party_congress_closes": date(2025, 9, 26)})
    (datetime.date(2025, 10, 7), 'within 7 working days after provincial_party_congress_closes')
    """
    kind = deadline.get("kind")
    if kind == "date":
        return deadline["date"], Message("by {date}", date=deadline["date"].isoformat())
    if kind == "by_month":
        y, m = map(int, deadline["month"].split("-"))
        d = date(y, m, calendar.monthrange(y, m)[1])
        return d, Message("by the end of {month}", month=deadline["month"])
    if kind == "weekly":
        wd = deadline.get("weekday")
        desc = Message("every {day}", day=Message(wd)) if wd else Message("every week")
        if deadline.get("before"):
            desc = Message("{rule} before {time}", rule=desc, time=deadline["before"])
        start, end = deadline.get("start"), deadline.get("end")
        if start or end:
            desc = Message("{rule}, {start} to {end}", rule=desc, start=start or "…", end=end or "…")
        first = max(on, start) if start else on
        try:
            if wd is None:
                d = first + timedelta(days=6)
            else:
                d = first + timedelta(days=(WEEKDAYS.index(wd) - first.weekday()) % 7)
        except OverflowError:  # --on in the calendar's last week: no later date exists
            return None, Message("{rule} (past the end of the calendar)", rule=desc)
        if end is not None and d > end:
            return None, Message("{rule} (ended)", rule=desc)
        return d, desc
    if kind == "after_event":
        ev = deadline.get("event", "?")
        wdays, days = deadline.get("within_working_days"), deadline.get("within_days")
        desc = (
            Message("within {n} working days after {event}", n=wdays, event=ev)
            if wdays
            else Message("within {n} days after {event}", n=days, event=ev)
            if days
            else Message("after {event}", event=ev)
        )
        when = (events or {}).get(ev)
        if when is None:
            return None, Message("{rule} (date of the event not known)", rule=desc)
        d = when
        try:
            if wdays:
                d = add_working_days(d, wdays)  # Vietnam's public holidays, Tết included, are skipped
            elif days:
                d += timedelta(days=days)
        except OverflowError:
            return None, Message("{rule} (past the end of the calendar)", rule=desc)
        return d, desc
    if kind == "regular":
        return None, Message("regularly")
    if kind == "illegible":
        return None, Message("deadline illegible in the source")
    return None, Message("no deadline given")


def occurrences(
    deadline: Mapping[str, Any], *, start: date, until: date, events: Mapping[str, date] | None = None
) -> list[date]:
    """The due dates of a deadline rule up to ``until``: one for a dated, monthly or
    event-bound deadline (when its date is known), one a week from ``start`` (or the rule's own
    start) to the rule's end for a weekly one, none for ``regular`` or no deadline.

    >>> rule = {"kind": "weekly", "weekday": "wednesday", "start": date(2025, 4, 16), "end": date(2025, 10, 31)}
    >>> occurrences(rule, start=date(2025, 4, 14), until=date(2025, 5, 1))
    [datetime.date(2025, 4, 16), datetime.date(2025, 4, 23), datetime.date(2025, 4, 30)]
    """
    kind = deadline.get("kind")
    if kind == "weekly":
        first = max(start, deadline.get("start") or start)
        last = min(until, deadline.get("end") or until)
        wd = deadline.get("weekday")
        d = first + timedelta(days=6) if wd is None else first + timedelta((WEEKDAYS.index(wd) - first.weekday()) % 7)
        out = []
        while d <= last:
            out.append(d)
            d += timedelta(days=7)
        return out
    if kind in ("date", "by_month", "after_event"):
        d, _ = next_due(dict(deadline), start, dict(events or {}))
        return [d] if d is not None and d <= until else []
    return []


def is_open(deadline: dict, on: date) -> bool:
    d, desc = next_due(deadline, on)
    if deadline.get("kind") in ("date", "by_month"):
        return d is not None and d >= on
    return not desc.endswith("(ended)")


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a role on a task on a date, and why."""

    role: str  # lead | coordinator
    assigned: UnitRef | None  # the body named in the plan (None for a generic assignee)
    generic: str | None
    status: str  # live | inherited | ambiguous | orphan | generic | not_yet
    holders: tuple[UnitRef, ...]
    path: tuple[Hop, ...] = ()
    note: str = ""
    levels: dict[str, int] = field(default_factory=dict)  # a generic assignee's units by level


@dataclass(frozen=True, slots=True)
class TaskStatus:
    id: str
    plan: str
    number: str
    text: str
    deadline: str
    due: date | None
    open: bool
    status: str  # live | inherited | ambiguous | orphan | generic | no_lead
    lead: tuple[Holder, ...]
    coordinators: tuple[Holder, ...]
    source: str
    rule: Mapping[str, Any] = field(default_factory=dict)  # the deadline as the plan states it
    assigned_on: date | None = None  # the plan's date (or the date its bodies are named on)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def generic_units(G: nx.MultiDiGraph, key: str, province: str | None, on: date) -> list[str]:
    """Resolve a generic assignee to the units it names on ``on``."""
    prov = None
    if province:
        try:
            prov = resolve(G, province, on=on, kind=Kind.PROVINCE)
        except Exception:  # noqa: BLE001 - generic resolution is best effort
            prov = None
    if key in ("commune_party_committees", "communes_of_province", "commune_people_committees") and prov:
        slug = {
            "commune_party_committees": "dang-uy",
            "communes_of_province": None,
            "commune_people_committees": "ubnd",
        }[key]
        communes = [
            c
            for c, _, d in G.in_edges(prov, data=True)
            if d.get(Attr.KIND) == EdgeKind.PARENT and is_live(d, on) and is_live(G.nodes[c], on)
        ]
        if slug is None:
            return sorted(communes)
        return sorted(body_id(c, slug) for c in communes if body_id(c, slug) in G)
    if key == "party_committees_under_provincial" and prov:
        return [
            body_id(prov, s)
            for s in UNDER_PROVINCIAL_COMMITTEE
            if is_live(G.nodes.get(body_id(prov, s), {}), on) and body_id(prov, s) in G
        ]

    def province_bodies(slugs: tuple[str, ...] | None, kinds: set[Kind] | None = None) -> list[str]:
        provs = (
            [prov]
            if prov
            else [n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.PROVINCE and is_live(a, on)]
        )
        out = []
        for p in provs:
            for b, _, d in G.in_edges(p, data=True):
                if d.get(Attr.KIND) != EdgeKind.BODY_OF or not is_live(G.nodes[b], on):
                    continue
                slug = b.rsplit(":", 1)[1]
                if (slugs is None or slug in slugs) and (kinds is None or G.nodes[b][Attr.KIND] in kinds):
                    out.append(b)
        return sorted(out)

    if key == "all_levels_party_committees":
        return all_levels(G, prov, on)
    if key == "provinces_and_cities":
        return province_bodies(("tinh-uy",))
    if key in ("commune_party_standing_committees",):
        return generic_units(G, "commune_party_committees", province, on)
    if key == "provincial_socio_political_organisations":
        return province_bodies(("mttq",))
    if key in ("whole_political_system", "agencies_units_and_localities") and prov:
        return province_bodies(None)
    if key == "provincial_departments_and_localities" and prov:
        return province_bodies(None, {Kind.AGENCY}) + generic_units(G, "commune_people_committees", province, on)
    if key == "provincial_party_advisory_bodies" and prov:
        return [
            body_id(prov, s)
            for s in ("ban-to-chuc", "ban-tuyen-giao-dan-van", "uy-ban-kiem-tra", "van-phong", "ban-noi-chinh")
            if body_id(prov, s) in G and is_live(G.nodes[body_id(prov, s)], on)
        ]
    return []


# the party committees of a province's, a district's and a commune's own level, and those
# directly under a provincial committee
PROVINCIAL_COMMITTEE = "tinh-uy"
UNDER_PROVINCIAL_COMMITTEE = (
    "dang-uy-khoi-co-quan",
    "dang-uy-co-quan-dang",
    "dang-uy-ubnd",
    "dang-uy-quan-su",
    "dang-uy-cong-an",
)
LOCAL_COMMITTEES = {Kind.DISTRICT: "huyen-uy", Kind.COMMUNE: "dang-uy"}
LEVELS = ("provincial committee", "under the provincial committee", "district", "commune")


def all_levels(G: nx.MultiDiGraph, prov: str | None, on: date) -> list[str]:
    """ "Các cấp ủy": the provincial party committees (of ``prov``, or of every province),
    the party committees under them, and the district and commune party committees below,
    each live on ``on``."""
    nodes = G.nodes
    tops = (
        [prov] if prov else [n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.PROVINCE and is_live(a, on)]
    )
    out: list[str] = []
    for p in tops:
        for slug in (PROVINCIAL_COMMITTEE, *UNDER_PROVINCIAL_COMMITTEE):
            b = body_id(p, slug)
            if b in nodes and is_live(nodes[b], on):
                out.append(b)
        todo = [p]
        while todo:  # the territories under it on that date, at any depth
            for c, _, d in G.in_edges(todo.pop(), data=True):
                if d.get(Attr.KIND) != EdgeKind.PARENT or not is_live(d, on) or not is_live(nodes[c], on):
                    continue
                todo.append(c)
                b = body_id(c, LOCAL_COMMITTEES.get(nodes[c][Attr.KIND], ""))
                if b in nodes and is_live(nodes[b], on):
                    out.append(b)
    return sorted(out)


def levels(units: Sequence[str]) -> dict[str, int]:
    """How many of the party committees a generic assignee names are at each level
    (:data:`LEVELS`); other bodies by the level they serve.

    >>> levels(["body:province:33@2025-07-01:tinh-uy", "body:commune:12586@2025-07-01:dang-uy"])
    {'provincial committee': 1, 'commune': 1}
    """
    count: Counter[str] = Counter()
    for u in units:
        _, level, rest = u.split(":", 2)
        slug = rest.rsplit(":", 1)[-1]
        if level == Kind.PROVINCE and slug == PROVINCIAL_COMMITTEE:
            count[LEVELS[0]] += 1
        elif level == Kind.PROVINCE and slug in UNDER_PROVINCIAL_COMMITTEE:
            count[LEVELS[1]] += 1
        else:
            count[level] += 1
    order = {k: i for i, k in enumerate(LEVELS)}
    return dict(sorted(count.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def generic_note(key: str, units: Sequence[str], on: date) -> str:
    """What a generic assignee resolved to on ``on``, with how many at each level."""
    if not units:
        return Message("generic assignee {key!r}: the plan does not say which bodies; not resolved", key=key)
    per = tuple(Message("{n:,} {level}", n=n, level=Message(lv)) for lv, n in levels(units).items())
    return Message("generic assignee {key!r}: {n:,} unit(s) on {on} ({per})", key=key, n=len(units), on=on, per=per)


def holder_of(
    role: str,
    ref: UnitRef,
    a: dict[str, Any],
    on: date,
    *,
    successors: Callable[[], Sequence[tuple[str, str, bool, tuple[Hop, ...]]]],
    ref_of: Callable[[str], UnitRef],
) -> Holder:
    """Who holds ``role`` for the body ``ref`` (attributes ``a``) on ``on``: itself if live,
    else the successor it passed to; the rule both backends share. ``successors()`` gives
    :func:`~orgraph.queries.succession.successor_ids` of the body, ``ref_of`` a unit's record."""
    if is_live(a, on):
        return Holder(role, ref, None, "live", (ref,))
    if a.get(Attr.VALID_FROM) and on < a[Attr.VALID_FROM]:
        return Holder(
            role,
            ref,
            None,
            "not_yet",
            (),
            note=Message("{name} begins on {date}", name=a[Attr.NAME], date=a[Attr.VALID_FROM]),
        )
    found = successors()
    if not found:
        return Holder(
            role,
            ref,
            None,
            "orphan",
            (),
            note=Message("{name} ended on {date} with no successor body", name=a[Attr.NAME], date=a[Attr.VALID_TO]),
        )
    if len(found) == 1:
        u, _, _, path = found[0]
        to = ref_of(u)
        return Holder(role, ref, None, "inherited", (to,), path, Message("passed to {name}", name=to.name))
    defaults = [f for f in found if f[2]]
    if len(defaults) == 1:
        u, _, _, path = defaults[0]
        to = ref_of(u)
        return Holder(
            role,
            ref,
            None,
            "inherited",
            (to,),
            path,
            Message("split; the default successor {name} inherits", name=to.name),
        )
    return Holder(
        role,
        ref,
        None,
        "ambiguous",
        tuple(ref_of(u) for u, *_ in found),
        tuple(h for f in found for h in f[3]),
        Message("split between {n} bodies and no default successor is recorded", n=len(found)),
    )


def memo_holder(G: nx.MultiDiGraph, role: str, body: str, on: date, memo: dict) -> Holder:
    """:func:`holder`, once per body and role in one call: a body's answer reads all its
    edges (one per task it leads), so asking it again for each of its tasks would make a plan
    of N tasks led by one body take N² steps."""
    k = ("holder", role, body)
    got = memo.get(k)
    if got is None:
        got = memo[k] = holder(G, role, body, on)
    return got  # type: ignore[no-any-return]


def holder(G: nx.MultiDiGraph, role: str, body: str, on: date) -> Holder:
    """Who holds ``role`` for ``body`` (an id) on ``on``: itself if live, else its successor.

    >>> from orgraph.loaders.plans import load_full
    >>> holder(load_full(), "lead", "body:province:34:tinh-uy", date(2025, 7, 1)).note
    'passed to Tỉnh ủy Hưng Yên'
    """
    return holder_of(
        role,
        unit_ref(G, body),
        G.nodes[body],
        on,
        successors=lambda: successor_ids(G, body, on),
        ref_of=lambda u: unit_ref(G, u),
    )


def generic_holder(role: str, key: str, units: Sequence[str], refs: tuple[UnitRef, ...], on: date) -> Holder:
    """The holder of a generic assignee (``key``) that names ``units`` on ``on``."""
    return Holder(role, None, key, "generic", refs, note=generic_note(key, units, on), levels=levels(units))


STATUS_ORDER = ("orphan", "ambiguous", "not_yet", "inherited", "live")  # worst first


def task_status(
    tid: str,
    a: Mapping[str, Any],
    deadline: dict[str, Any],
    leads: Sequence[Holder],
    coords: Sequence[Holder],
    on: date,
) -> TaskStatus:
    """A task's status on ``on`` from its attributes ``a``, its ``deadline`` and its holders;
    the ranking both backends share: no lead, else the worst named lead, else generic."""
    named = [h.status for h in leads if h.generic is None]
    if not leads:
        status = "no_lead"
    elif named:
        status = min(named, key=STATUS_ORDER.index)
    else:
        status = "generic"
    due, desc = next_due(deadline, on)
    src = Message("{file} line {line}", file=a["seed"], line=a["line"]) if a.get("seed") else Message("user plan")
    return TaskStatus(
        tid,
        a["plan"],
        a["number"],
        a[Attr.NAME],
        a.get("deadline_text") or desc,
        due,
        is_open(deadline, on),
        status,
        tuple(sorted(leads, key=lambda h: h.assigned.name if h.assigned else "~")),
        tuple(sorted(coords, key=lambda h: h.assigned.name if h.assigned else "~")),
        src,
        deadline,
        a.get("assigned_on"),
    )


def status_in(G: nx.MultiDiGraph, tid: str, on: date, memo: dict | None = None) -> TaskStatus:
    """A task's status on ``on``; ``memo`` keeps generic assignees' units across the tasks of
    one call (a national plan's "Các cấp ủy" names some 11,000 committees)."""
    memo = {} if memo is None else memo
    a = G.nodes[tid]
    leads, coords = [], []
    for b, _, d in G.in_edges(tid, data=True):
        if d.get(Attr.KIND) == EdgeKind.LEADS:
            leads.append(memo_holder(G, "lead", b, on, memo))
        elif d.get(Attr.KIND) == EdgeKind.COORDINATES:
            coords.append(memo_holder(G, "coordinator", b, on, memo))
    for role, keys, out in (("lead", a["generic_leads"], leads), ("coordinator", a["generic_coordinators"], coords)):
        for k in keys:
            got = memo.get((k, a.get("province")))
            if got is None:
                units = generic_units(G, k, a.get("province"), on)
                got = memo[(k, a.get("province"))] = (units, tuple(unit_ref(G, u) for u in units))
            out.append(generic_holder(role, k, got[0], got[1], on))
    return task_status(tid, a, a["deadline"], leads, coords, on)


def task_ids(G: nx.MultiDiGraph, plan: str | None = None) -> list[str]:
    out = [
        n
        for n, a in G.nodes(data=True)
        if a.get(Attr.NODE) == NodeKind.TASK and (plan is None or fold(a["plan"]) == fold(plan))
    ]
    return sorted(out, key=lambda n: (G.nodes[n]["plan"], G.nodes[n].get("line") or 0, n))


def tasks(G: nx.MultiDiGraph, *, plan: str | None = None, on: date = REFORM_DATE) -> list[TaskStatus]:
    """Every task (of one plan), with its lead, coordinators, deadline and status on ``on``.

    >>> from orgraph.loaders.plans import load_full
    >>> ts = tasks(load_full(), plan="47-KH/BCĐ")
    >>> len(ts) > 5 and all(t.plan == "47-KH/BCĐ" for t in ts)
    True
    """
    from .answers import tasks as answer
    from .store import NetworkxStore

    return answer(NetworkxStore(G), plan=plan, on=on)


def responsibilities(G: nx.MultiDiGraph, task: str, *, on: date) -> TaskStatus:
    """Who leads and who coordinates a task on ``on``, and why (the inheritance path).

    ``task`` is a task id (with or without ``task:``) or words from its text.
    """
    from .answers import responsibilities as answer
    from .store import NetworkxStore

    return answer(NetworkxStore(G), task, on=on)


@dataclass(frozen=True, slots=True)
class Inheritance:
    task: str
    text: str
    role: str
    from_body: UnitRef
    path: tuple[Hop, ...]


def inherited(G: nx.MultiDiGraph, body: str, *, on: date) -> list[Inheritance]:
    """What ``body`` holds on ``on`` because a body it succeeded was assigned it.

    >>> from orgraph.loaders.plans import load_full
    >>> inh = inherited(load_full(), "Ban Tổ chức Tỉnh ủy Hưng Yên", on=date(2025, 7, 1))
    >>> isinstance(inh, list)
    True
    """
    from .answers import inherited as answer
    from .store import NetworkxStore

    return answer(NetworkxStore(G), body, on=on)


# ------------------------------------------------------------------ validation
@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    subject: str
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Validation:
    on: date
    tasks: tuple[TaskStatus, ...]
    by_status: dict[str, int]
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        bad = {"orphan", "ambiguous"}
        return not self.findings and not any(t.status in bad for t in self.tasks if t.open)

    def to_dict(self) -> dict[str, Any]:
        d = jsonable(self)
        d["ok"] = self.ok
        return d


_FINDINGS = {  # what each integrity rule says, for both backends: (rule, message, what to do)
    "outlives": (
        "outlives-successor",
        "{name} is live until {end} but went whole into {into} on {date}",
        "end it on {date}",
    ),
    "ends-off": (
        "gap-or-overlap",
        "{name} ends {end} but its event {event} is dated {date}",
        "set its valid_to to {date}",
    ),
    "starts-off": (
        "gap-or-overlap",
        "{name} starts {start} but came out of {event} dated {date}",
        "set its valid_from to {date}",
    ),
    "no-parent": ("parent-live", "{name} has no live parent on {on}", "add a parent link covering that date"),
    "parent-ended": (
        "parent-live",
        "{name}'s parent {parent} is not live on {on}",
        "end the parent link when the parent ends, and link the new parent",
    ),
}


def finding(what: str, unit: str, **facts: Any) -> Finding:
    """An integrity finding about ``unit``, worded once for both backends (``what`` is a key of
    the table above; an open end reads "now").

    >>> finding("no-parent", "commune:00001", name="Phường Phúc Xá", on=date(2025, 7, 1)).message
    'Phường Phúc Xá has no live parent on 2025-07-01'
    """
    rule, message, fix = _FINDINGS[what]
    if "end" in facts and facts["end"] is None:
        facts["end"] = Message("now")
    return Finding(rule, unit, Message(message, **facts), Message(fix, **facts))


def validate(G: nx.MultiDiGraph, *, on: date, max_findings: int = 200) -> Validation:
    """Every open task's status on ``on``, and the integrity rules:

    no unit outlives its only successor; validity has no gap or overlap across a change;
    a unit's parent is live whenever it is; codes are unique on any date; counts match the
    official figures (on the dates that have them).
    """
    from .answers import validate as answer
    from .store import NetworkxStore

    return answer(NetworkxStore(G), on=on, max_findings=max_findings)


def integrity_findings(G: nx.MultiDiGraph, on: date) -> list[Finding]:
    """The integrity rules that read the graph (validity across each change, parents live
    on ``on``), in the graph's order; :func:`finish_validation` adds the rest."""
    findings: list[Finding] = []
    for n, a in G.nodes(data=True):
        if a.get(Attr.NODE) == NodeKind.EVENT:
            d = a[Attr.DATE]
            for u, e in event_inputs(G, n):
                end = G.nodes[u].get(Attr.VALID_TO)
                if (
                    e.get("portion") != "remainder"
                    and end != d
                    and not (a[Attr.TYPE] == "integration" and u in event_outputs(G, n))
                ):
                    if end is None or end > d:
                        outs = event_outputs(G, n)
                        if len(outs) == 1 and e.get("portion") == "whole" and outs[0] != u:
                            findings.append(
                                finding(
                                    "outlives",
                                    u,
                                    name=G.nodes[u][Attr.NAME],
                                    end=end,
                                    into=G.nodes[outs[0]][Attr.NAME],
                                    date=d,
                                )
                            )
                    else:
                        findings.append(finding("ends-off", u, name=G.nodes[u][Attr.NAME], end=end, event=n, date=d))
            for o in event_outputs(G, n):
                start = G.nodes[o].get(Attr.VALID_FROM)
                earlier = (start or date.min) < d
                if start != d and not (earlier and (a[Attr.TYPE] == "integration" or a.get(Attr.DERIVED))):
                    findings.append(finding("starts-off", o, name=G.nodes[o][Attr.NAME], start=start, event=n, date=d))
    for n, a in G.nodes(data=True):
        if a.get(Attr.NODE) == NodeKind.UNIT and not _is_body(a) and is_live(a, on):
            links = [(p, d) for _, p, d in G.out_edges(n, data=True) if d.get(Attr.KIND) == EdgeKind.PARENT]
            if links and parent_on(G, n, on) is None:
                findings.append(finding("no-parent", n, name=a[Attr.NAME], on=on))
            elif links:
                p = parent_on(G, n, on)
                if p is not None and not is_live(G.nodes[p], on):
                    findings.append(finding("parent-ended", n, name=a[Attr.NAME], parent=G.nodes[p][Attr.NAME], on=on))
    return findings


def live_code_counts(G: nx.MultiDiGraph, on: date) -> Counter[tuple[str, str]]:
    """How many units live on ``on`` hold each (kind, code)."""
    codes: Counter[tuple[str, str]] = Counter()
    for _, a in G.nodes(data=True):
        if a.get(Attr.CODE) and is_live(a, on):
            codes[(str(a[Attr.KIND]), a[Attr.CODE])] += 1
    return codes


def finish_validation(
    on: date,
    statuses: tuple[TaskStatus, ...],
    findings: list[Finding],
    codes: Mapping[tuple[str, str], int],
    counts: Mapping[str, int],
    max_findings: int,
) -> Validation:
    """The rules that read counts (codes unique, official figures) and the task leads, then
    the report; shared by the networkx and Neo4j backends so both judge alike."""
    findings = list(findings)
    for (k, c), n in sorted(codes.items()):
        if n > 1:
            findings.append(
                Finding(
                    "code-unique",
                    f"{k}:{c}",
                    Message("{n} live {kind} units share code {code} on {on}", n=n, kind=Message(k), code=c, on=on),
                    Message("end the old unit before the new one starts"),
                )
            )
    for k, want in OFFICIAL_COUNTS.get(on, {}).items():
        if counts.get(k, 0) != want:
            findings.append(
                Finding(
                    "official-counts",
                    k,
                    Message(
                        "{n} {kind}s on {on}; official {want}", n=counts.get(k, 0), kind=Message(k), on=on, want=want
                    ),
                    Message("check the dataset against the resolutions"),
                )
            )
    for t in statuses:
        for h in t.lead:
            if h.status in ("orphan", "ambiguous"):
                findings.append(
                    Finding(
                        f"task-lead-{h.status}",
                        t.id,
                        Message(
                            "{task}: lead {lead} is {status} on {on}: {note}",
                            task=t.id,
                            lead=h.assigned.name if h.assigned else h.generic,
                            status=Message(h.status),
                            on=on,
                            note=h.note,
                        ),
                        Message("reassign the task to a live body in the plan file")
                        if h.status == "orphan"
                        else Message("name the successor body that takes the task over"),
                    )
                )
    by = Counter(t.status for t in statuses)
    return Validation(on, statuses, dict(sorted(by.items())), tuple(findings[:max_findings]))
