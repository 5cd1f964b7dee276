"""Progress on the plans' tasks: records checked against the graph, each task's state on a
date (done, in progress, open, overdue), what is overdue and what falls due.

Everything here is built once on a few primitives that both backends answer (a task's
status on a date, a body's name resolved on a date, and who holds a body's role on a date),
so the embedded graph and Neo4j give the same answers. The records themselves are a file
(see :mod:`orgraph.loaders.progress`), passed in as rows with the attributes ``task,
status, date, body, reference, note, file, row``.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Protocol

from ..graph.errors import AmbiguousUnitError, DataError, UnknownUnitError
from ..graph.i18n import Message
from ..graph.model import ProgressStatus, TaskState, UnitType
from ..graph.names import fold
from ..graph.workdays import working_days_between
from . import answers
from .results import Hop, UnitRef, jsonable
from .store import store_of
from .tasks import Finding, Holder, TaskStatus, Validation, occurrences

__all__ = [
    "Record",
    "Obligation",
    "Tracked",
    "Late",
    "Due",
    "Progress",
    "check_records",
    "track",
    "overdue",
    "due_within",
    "summarise",
    "with_overdue",
    "STATE_LABELS",
]

STATE_LABELS = {
    TaskState.DONE: "hoàn thành",
    TaskState.IN_PROGRESS: "đang thực hiện",
    TaskState.OPEN: "chưa hoàn thành",
    TaskState.OVERDUE: "quá hạn",
}

_LABEL = re.compile(r"^(.*?)(?:, [^(]*)?(?: \[[^\]]*\])? \(.*; id (\S+)\)$")


class RowLike(Protocol):
    """A progress row as the loader gives it (:class:`orgraph.loaders.progress.ProgressRow`)."""

    @property
    def task(self) -> str: ...
    @property
    def status(self) -> ProgressStatus: ...
    @property
    def date(self) -> date: ...
    @property
    def body(self) -> str: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def file(self) -> str: ...
    @property
    def row(self) -> int: ...


# --------------------------------------------------------------------------- the backend
class TaskApi:
    """The primitives this module needs, from the store behind ``G`` (an embedded graph, a
    Neo4j database, a backend or a store: :func:`~orgraph.queries.store.store_of`), memoised."""

    def __init__(self, G: Any) -> None:
        self.store = store_of(G)
        self._status: dict[tuple[str, date], TaskStatus] = {}
        self._holders: dict[tuple[str, date], Holder] = {}
        self._ids: list[str] | None = None

    def task_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = self.store.task_ids()
        return self._ids

    def status(self, tid: str, on: date) -> TaskStatus:
        got = self._status.get((tid, on))
        if got is None:
            got = self._status[(tid, on)] = self.store.status(tid, on)  # the id is known: no search by words
        return got

    def statuses(self, on: date, plan: str | None) -> list[TaskStatus]:
        out = answers.tasks(self.store, plan=plan, on=on)
        for t in out:
            self._status[(t.id, on)] = t
        return out

    def resolve(self, name: str, on: date) -> str:
        try:
            return self.store.resolve(name, on=on).id
        except UnknownUnitError as e:
            # find() reads "Tỉnh ủy X" as a province's type prefix; a suggestion with exactly
            # this name, live on the date, is the body meant
            exact = [m.group(2) for s in e.suggestions if (m := _LABEL.match(s)) and fold(m.group(1)) == fold(name)]
            live = [b for b in dict.fromkeys(exact) if self.holder(b, on).status == "live"]
            if len(live) == 1:
                return live[0]
            raise

    def holder(self, body: str, on: date) -> Holder:
        """Who holds ``body``'s responsibilities on ``on``: itself if live, else its successor."""
        got = self._holders.get((body, on))
        if got is None:
            got = self._holders[(body, on)] = self.store.holder("lead", body, on)
        return got


# --------------------------------------------------------------------------- records
@dataclass(frozen=True, slots=True)
class Record:
    """A progress record checked against the graph."""

    task: str  # task id, ``task:…``
    status: ProgressStatus
    date: date
    body: UnitRef
    reference: str | None
    note: str | None
    role: str  # lead | coordinator | reporter (a body that neither leads nor coordinates)
    inherited_from: UnitRef | None  # the body named in the plan, when ``body`` took it over
    path: tuple[Hop, ...]  # how the task passed to ``body``
    source: str  # "progress.csv row 3"

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def _task_id(api: TaskApi, r: RowLike) -> str:
    ids = api.task_ids()
    for cand in (r.task, f"task:{r.task}"):
        if cand in ids:
            return cand
    short = [i.removeprefix("task:") for i in ids]
    close = difflib.get_close_matches(r.task.removeprefix("task:"), short, n=3, cutoff=0.6)
    reason = (
        Message("unknown task {task!r}; did you mean: {names}?", task=r.task, names="; ".join(close))
        if close
        else Message("unknown task {task!r}; `orgraph tasks` lists the task ids", task=r.task)
    )
    raise DataError(r.file, r.row, reason)


def _body(api: TaskApi, r: RowLike) -> tuple[str, Holder]:
    try:
        b = api.resolve(r.body, r.date)
    except UnknownUnitError as e:
        reason = (
            Message("unknown body {body!r}; did you mean: {names}?", body=r.body, names="; ".join(e.suggestions[:3]))
            if e.suggestions
            else Message("unknown body {body!r}", body=r.body)
        )
        raise DataError(r.file, r.row, reason) from None
    except AmbiguousUnitError as e:
        names = "; ".join(e.candidates[:4])
        raise DataError(
            r.file, r.row, Message("body {body!r} matches several units: {names}; use its id", body=r.body, names=names)
        ) from None
    h = api.holder(b, r.date)
    ref = h.assigned
    assert ref is not None
    if ref.type != UnitType.BODY:
        raise DataError(
            r.file, r.row, Message("{name!r} is a territory, not a body; name the body that reported", name=ref.name)
        )
    if h.status != "live":
        span = f"{ref.valid_from or '…'} → {ref.valid_to or 'now'}"
        now = f"; on that date its work was held by {', '.join(x.name for x in h.holders)}" if h.holders else ""
        raise DataError(r.file, r.row, f"body {ref.name!r} was not live on {r.date} (it existed {span}){now}")
    return b, h


def _period(t: TaskStatus, d: date) -> date | None:
    """The occurrence of a recurring task that a record dated ``d`` reports on."""
    if t.rule.get("kind") != "weekly":
        return None
    occ = occurrences(t.rule, start=t.assigned_on or d, until=d + timedelta(days=7))
    i = bisect_left(occ, d)
    return occ[i] if i < len(occ) else None


def check_records(G: Any, rows: Iterable[RowLike]) -> tuple[Record, ...]:
    """Check progress rows against the graph: the task exists, the body was live on the
    record's date, the date is not before the plan, and a task's status never goes backwards
    (for a recurring task: within one occurrence; for a task led by a class of bodies: for
    each body). The first bad row raises :class:`DataError` naming the file and the row.

    >>> from orgraph.loaders.plans import load_full
    >>> from orgraph.loaders.progress import ProgressRow
    >>> row = ProgressRow(task="?-KH/TU:PL.9@204", status="hoàn thành", date=date(2025, 7, 28),
    ...                   body="Ban Tuyên giáo và Dân vận Tỉnh ủy Hưng Yên", file="p.csv", row=2)
    >>> (rec,) = check_records(load_full(), [row])
    >>> rec.role, rec.body.name
    ('lead', 'Ban Tuyên giáo và Dân vận Tỉnh ủy Hưng Yên')
    """
    api = TaskApi(G)
    out: list[Record] = []
    last: dict[tuple[Any, ...], tuple[ProgressStatus, date, int]] = {}
    keyed = []
    for r in rows:
        tid = _task_id(api, r)
        t = api.status(tid, r.date)
        if t.assigned_on and r.date < t.assigned_on:
            raise DataError(
                r.file, r.row, f"dated {r.date}, before the plan {t.plan} (its tasks are assigned on {t.assigned_on})"
            )
        b, h = _body(api, r)
        role, origin, generic = "reporter", None, False
        path: tuple[Hop, ...] = ()
        for holder in (*t.lead, *t.coordinators):
            if b in {x.id for x in holder.holders}:
                role, generic = holder.role, holder.generic is not None
                if holder.status == "inherited":
                    origin, path = holder.assigned, holder.path
                break
        body = h.assigned
        assert body is not None
        rec = Record(tid, r.status, r.date, body, r.reference, r.note, role, origin, path, f"{r.file} row {r.row}")
        out.append(rec)
        keyed.append(((tid, _period(t, r.date), b if generic else None), rec, r))
    for k, rec, r in sorted(keyed, key=lambda x: (x[1].date, x[2].row)):
        prev = last.get(k)
        if prev and rec.status.rank < prev[0].rank:
            raise DataError(
                r.file,
                r.row,
                f"the status of {rec.task.removeprefix('task:')} goes backwards: {prev[0].value!r} on {prev[1]} "
                f"(row {prev[2]}), then {rec.status.value!r} on {rec.date}",
            )
        if not prev or rec.status.rank >= prev[0].rank:
            last[k] = (rec.status, rec.date, r.row)
    return tuple(out)


# --------------------------------------------------------------------------- tracking
@dataclass(frozen=True, slots=True)
class Obligation:
    """What one lead (or a class of bodies in the same position) owes on a task on a date."""

    bodies: tuple[UnitRef, ...]  # who holds the lead now (empty for a task with no lead)
    generic: str | None  # the class of bodies the plan named, if it named one
    state: TaskState
    due: date | None  # the next due date not yet met (the deadline, for a one-off task)
    missed: tuple[date, ...]  # due dates passed with no record of the work done
    days_late: int  # since the earliest missed due date
    working_days_late: int
    last: Record | None  # the latest record that counts for these bodies


@dataclass(frozen=True, slots=True)
class Tracked:
    """A task on a date: its status (who leads it), its state and the records that count."""

    task: TaskStatus
    on: date
    state: TaskState  # the worst of its obligations
    obligations: tuple[Obligation, ...]
    records: tuple[Record, ...]

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def counts_for(api: TaskApi, rec: Record, body: str, on: date) -> bool:
    return rec.body.id == body or body in {x.id for x in api.holder(rec.body.id, on).holders}


def _obligation(
    t: TaskStatus, on: date, bodies: tuple[UnitRef, ...], generic: str | None, recs: Sequence[Record], events: Any
) -> Obligation:
    start = t.assigned_on or on
    if generic is not None and len(bodies) == 1 and bodies[0].valid_from and bodies[0].valid_from > start:
        start = bodies[0].valid_from  # a body of a class owes its reports from the day it began
    recs = sorted((r for r in recs if r.date <= on), key=lambda r: r.date)
    last = recs[-1] if recs else None
    done = [r for r in recs if r.status is ProgressStatus.DONE]
    if t.rule.get("kind") == "weekly":
        horizon = max([on, *(r.date for r in recs)]) + timedelta(days=14)
        occ = occurrences(t.rule, start=start, until=horizon)
        covered = set()
        for r in done:
            i = bisect_left(occ, r.date)
            if i < len(occ):
                covered.add(occ[i])
        missed = tuple(d for d in occ if d < on and d not in covered)
        upcoming = [d for d in occ if d >= on and d not in covered]
        due = upcoming[0] if upcoming else None
        if missed:
            state = TaskState.OVERDUE
        elif due is None and occ and t.rule.get("end") and t.rule["end"] < on:
            state = TaskState.DONE  # the reporting period is over and every week was reported
        elif occ and any(d >= on for d in covered):
            state = TaskState.DONE  # this week's report is in
        elif last is not None and last.status is ProgressStatus.IN_PROGRESS:
            state = TaskState.IN_PROGRESS
        else:
            state = TaskState.OPEN
    else:
        occ = occurrences(t.rule, start=start, until=date.max, events=events)
        due = occ[0] if occ else None
        missed = ()
        if done:
            state, due = TaskState.DONE, None
        elif due is not None and due < on:
            state, missed = TaskState.OVERDUE, (due,)
        elif last is not None and last.status is ProgressStatus.IN_PROGRESS:
            state = TaskState.IN_PROGRESS
        else:
            state = TaskState.OPEN
    first = missed[0] if missed else None
    return Obligation(
        bodies,
        generic,
        state,
        due,
        missed,
        (on - first).days if first else 0,
        working_days_between(first, on) if first else 0,
        last,
    )


_WORST = [TaskState.OVERDUE, TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.DONE]


def _track_one(api: TaskApi, t: TaskStatus, on: date, records: Sequence[Record], events: Any) -> Tracked:
    mine = tuple(r for r in records if r.task == t.id and r.date <= on)
    named = [h for h in t.lead if h.generic is None]
    obligations: list[Obligation] = []
    if named or not t.lead:
        bodies = tuple({x.id: x for h in named for x in h.holders}.values())
        obligations.append(_obligation(t, on, bodies, None, mine, events))
    for h in (h for h in t.lead if h.generic is not None):
        groups: dict[tuple[Any, ...], list[UnitRef]] = {}
        made: dict[tuple[Any, ...], Obligation] = {}
        for b in h.holders:
            ob = _obligation(t, on, (b,), h.generic, [r for r in mine if counts_for(api, r, b.id, on)], events)
            k = (ob.state, ob.missed, ob.due, ob.last)
            groups.setdefault(k, []).append(b)
            made[k] = ob
        if not h.holders:
            obligations.append(_obligation(t, on, (), h.generic, mine, events))
        for k, bs in groups.items():
            obligations.append(replace(made[k], bodies=tuple(bs)))
    state = min((o.state for o in obligations), key=_WORST.index) if obligations else TaskState.OPEN
    return Tracked(t, on, state, tuple(obligations), mine)


def track(
    G: Any,
    records: Sequence[Record] = (),
    *,
    on: date,
    plan: str | None = None,
    events: Mapping[str, date] | None = None,
) -> list[Tracked]:
    """Every task (of one plan) on ``on``: who leads it, and whether it is done, in
    progress, open or overdue given its deadline and the records (checked with
    :func:`check_records`). ``events`` dates the events that ``after_event`` deadlines wait for.

    >>> from orgraph.loaders.plans import load_full
    >>> ts = track(load_full(), on=date(2025, 12, 1), plan="?-KH/TU")
    >>> sorted({t.state.value for t in ts})
    ['open', 'overdue']
    """
    api = TaskApi(G)
    return [_track_one(api, t, on, records, events) for t in api.statuses(on, plan)]


@dataclass(frozen=True, slots=True)
class Late:
    """A task past its deadline on a date, for the bodies that hold its lead."""

    task: str
    plan: str
    number: str
    text: str
    deadline: str
    lead: tuple[UnitRef, ...]
    generic: str | None
    due: date  # the earliest missed due date
    missed: tuple[date, ...]
    days_late: int
    working_days_late: int
    lead_ended: tuple[Holder, ...]  # the leads named in the plan that have ended since

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


_Head = tuple[str, str, str, str, str, tuple[UnitRef, ...], str | None]


def _owed(tr: Tracked) -> Iterator[tuple[Obligation, _Head]]:
    """Each obligation of a tracked task, with the fields a :class:`Late` and a :class:`Due`
    both begin with: the task (id, plan, number, text, deadline) and who owes it."""
    t = tr.task
    for o in tr.obligations:
        yield o, (t.id, t.plan, t.number, t.text, t.deadline, o.bodies, o.generic)


def _late(tr: Tracked) -> list[Late]:
    t = tr.task
    ended = tuple(h for h in t.lead if h.generic is None and h.status in ("inherited", "orphan", "ambiguous"))
    return [
        Late(*head, o.missed[0], o.missed, o.days_late, o.working_days_late, ended)
        for o, head in _owed(tr)
        if o.state is TaskState.OVERDUE
    ]


def overdue(
    G: Any,
    records: Sequence[Record] = (),
    *,
    on: date,
    plan: str | None = None,
    events: Mapping[str, date] | None = None,
) -> list[Late]:
    """Tasks past their deadline on ``on`` with no record of the work done, by lead body,
    the most late first: days late and working days late (Vietnam's public holidays skipped).

    >>> from orgraph.loaders.plans import load_full
    >>> late = overdue(load_full(), on=date(2025, 12, 1), plan="?-KH/TU")
    >>> any(x.task == "task:?-KH/TU:PL.9@204" and x.days_late == 122 for x in late)
    True
    """
    out = [x for tr in track(G, records, on=on, plan=plan, events=events) for x in _late(tr)]
    return sorted(out, key=lambda x: (-x.days_late, x.lead[0].name if x.lead else "~", x.task))


@dataclass(frozen=True, slots=True)
class Due:
    """A due date within the window asked, not yet met."""

    task: str
    plan: str
    number: str
    text: str
    deadline: str
    lead: tuple[UnitRef, ...]
    generic: str | None
    due: date
    days_left: int
    working_days_left: int

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def due_dates(tr: Tracked, on: date, until: date, events: Any) -> list[Due]:
    out: list[Due] = []
    t = tr.task
    weekly = t.rule.get("kind") == "weekly"
    for o, head in _owed(tr):
        if o.state is TaskState.DONE and not weekly:
            continue
        if weekly:
            # the task's own weekly grid (a rule with no weekday counts weeks from its start)
            dates = [d for d in occurrences(t.rule, start=t.assigned_on or on, until=until) if d >= on]
            dates = [d for d in dates if d >= o.due] if o.due is not None else []
        else:
            dates = [o.due] if o.due is not None and on <= o.due <= until else []
        out.extend(Due(*head, d, (d - on).days, working_days_between(on, d)) for d in dates)
    return out


def due_within(
    G: Any,
    records: Sequence[Record] = (),
    *,
    on: date,
    days: int,
    plan: str | None = None,
    events: Mapping[str, date] | None = None,
) -> list[Due]:
    """What falls due from ``on`` to ``days`` days later and is not done yet, soonest first.

    >>> from orgraph.loaders.plans import load_full
    >>> [(d.task, str(d.due)) for d in due_within(load_full(), on=date(2025, 7, 29), days=1, plan="?-KH/TU")]
    [('task:?-KH/TU:III.1-2', '2025-07-29'), ('task:?-KH/TU:PL.?@263', '2025-07-30')]
    """
    until = on + timedelta(days=days)
    out = [x for tr in track(G, records, on=on, plan=plan, events=events) for x in due_dates(tr, on, until, events)]
    return sorted(out, key=lambda x: (x.due, x.task, x.lead[0].name if x.lead else "~"))


# --------------------------------------------------------------------------- summaries
@dataclass(frozen=True, slots=True)
class Progress:
    """What a progress file holds, checked: its records, counts by status, the latest status
    of each task, and the records made by a body that inherited the task."""

    file: str
    records: tuple[Record, ...]
    by_status: dict[str, int]
    latest: dict[str, str]  # task id -> the status of its latest record
    inherited: tuple[Record, ...]

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def summarise(file: str, records: Sequence[Record]) -> Progress:
    """Counts and the latest status per task of checked records.

    >>> summarise("p.csv", ()).by_status
    {}
    """
    by: dict[str, int] = {}
    latest: dict[str, tuple[date, str]] = {}
    for r in records:
        by[r.status.value] = by.get(r.status.value, 0) + 1
        if r.task not in latest or r.date >= latest[r.task][0]:
            latest[r.task] = (r.date, r.status.value)
    return Progress(
        file,
        tuple(records),
        by,
        {k: v[1] for k, v in sorted(latest.items())},
        tuple(r for r in records if r.inherited_from is not None),
    )


def with_overdue(v: Validation, late: Sequence[Late]) -> Validation:
    """``v`` with a finding for every overdue task whose lead named in the plan has ended."""
    found = list(v.findings)
    for x in late:
        for h in x.lead_ended:
            now = ", ".join(b.name for b in h.holders) or "no live body"
            assigned = h.assigned.name if h.assigned else h.generic
            found.append(
                Finding(
                    "task-overdue-lead-ended",
                    x.task,
                    f"{x.task}: {x.days_late} days overdue (due {x.due}); its lead {assigned} has ended ({h.status}; "
                    f"now {now})",
                    "record the work done (orgraph progress record) or reassign the task in the plan file",
                )
            )
    return replace(v, findings=tuple(found))
