"""Plans and their tasks: the seeds' transcription (``data/plans/seed_plans.yaml``) and users'
own plan files (YAML with the same shape, or CSV), validated row by row and attached to the
graph as ``LEADS`` / ``COORDINATES`` edges from bodies to task nodes, and ``REPORTS_TO``
edges between bodies.

Named bodies resolve to the bodies live on the plan's context date; an unknown body is an
error with suggestions. Generic assignees ("các xã, phường") stay generic on the task and
resolve to sets of units when a query asks on a date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..graph.build import add_name_keys, is_live
from ..graph.errors import DataError
from ..graph.i18n import Message
from ..graph.model import REFORM_DATE, Attr, EdgeKind, Kind, NFCStr, NodeKind, SourceKind, UnitType
from ..graph.names import body_key, fold
from .bodies import add_bodies, body_uid
from .dataset import SEED_BODIES, SEED_PLANS

__all__ = ["Plan", "Task", "Deadline", "Assignee", "read_plan_file", "attach_plans", "load_full", "SEED_PLANS"]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Assignee(_M):
    body: NFCStr | None = None
    generic: str | None = None
    text: NFCStr | None = None
    where: str | None = None  # for errors: the file, sheet, row and column it was read from


class Deadline(_M):
    kind: Literal["date", "by_month", "weekly", "after_event", "regular", "none", "illegible"]
    date: dt.date | None = None
    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] | None = None
    before: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    start: dt.date | None = None
    end: dt.date | None = None
    event: str | None = None
    within_working_days: int | None = Field(default=None, ge=0)
    within_days: int | None = Field(default=None, ge=0)

    @field_validator("month")
    @classmethod
    def _a_real_month(cls, v: str | None) -> str | None:
        if v is not None and not 1 <= int(v[5:]) <= 12:
            raise ValueError(f"there is no month {v[5:]} ({v!r}); write YYYY-MM with MM from 01 to 12")
        return v

    @model_validator(mode="after")
    def _what_the_kind_needs(self) -> Deadline:
        need = {"date": "date", "by_month": "month", "after_event": "event"}.get(self.kind)
        if need is not None and getattr(self, need) is None:
            raise ValueError(f"a deadline of kind {self.kind!r} needs its {need!r}")
        return self


class Plan(_M):
    id: NFCStr = Field(min_length=1)
    number_illegible: bool = False
    date: dt.date | None = None
    issuer: NFCStr
    province: NFCStr | None = None
    title: NFCStr | None = None
    seed: str | None = None
    line: int | None = None
    note: NFCStr | None = None
    context_date: dt.date | None = None  # the date its bodies are named on


class Task(_M):
    id: NFCStr = Field(min_length=1)
    plan: NFCStr
    number: NFCStr
    text: NFCStr = Field(min_length=1)
    lead: tuple[Assignee, ...] = ()
    coordinators: tuple[Assignee, ...] = ()
    deadline: Deadline = Deadline(kind="none")
    deadline_text: NFCStr | None = None
    note: NFCStr | None = None
    illegible: NFCStr | None = None
    seed: str | None = None
    line: int | None = None
    end_line: int | None = None
    # says that this task deliberately replaces one of the same id loaded before (the seeds'
    # or an earlier file's); without it, reusing an id is an error
    replaces: bool = False
    where: str | None = None  # for errors: the file (sheet) and row it was read from


class Report(_M):
    from_: Assignee = Field(alias="from")
    via: Assignee | None = None
    to: Assignee
    schedule: Deadline
    plan: NFCStr
    seed: str | None = None
    line: int | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class CentralBody(_M):
    name: NFCStr
    kind: str
    seed: str | None = None
    line: int | None = None


class PlanFile(_M):
    plans: tuple[Plan, ...]
    tasks: tuple[Task, ...] = ()
    reports_to: tuple[Report, ...] = ()
    central_bodies: tuple[CentralBody, ...] = ()


def _fail(path: str, section: str, i: int, e: ValidationError) -> DataError:
    err = e.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return DataError(f"{path} [{section}]", i, f"{loc}: {err['msg']}" if loc else err["msg"])


def _timestamp(loader: Any, node: Any) -> Any:
    """YAML's implicit date, or the text as written when it is no real date (2025-02-30):
    the row's model then says which field of which row is wrong."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader, with impossible dates left for the models to report."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

_SECTIONS: dict[str, type[BaseModel]] = {
    "plans": Plan,
    "tasks": Task,
    "reports_to": Report,
    "central_bodies": CentralBody,
}


def read_plan_file(path: str | Path) -> PlanFile:
    """Read a plan file: YAML like the seeds' file, or CSV with one task per row
    (columns: plan, plan_date, issuer, province, number, text, lead, coordinators,
    deadline — a date, ``weekly:tuesday``, ``regular`` or empty — note, and replaces; several
    bodies separated by ``;``).

    Every problem is a :class:`DataError` naming the file and the row (the sheet and column
    for a workbook): an impossible date or month, a section that is not a list, a row
    shorter or longer than the header, a plan or task given twice.
    """
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from .xlsx_plans import read_plan_xlsx

        return read_plan_xlsx(p)  # type: ignore[no-any-return]
    raw = _read_text(p)
    try:
        if p.suffix.lower() == ".csv":
            return _read_csv(str(p), raw)
        return _read_yaml(p, raw)
    except RecursionError:
        raise DataError(str(p), None, Message("nested too deeply (or refers to itself)")) from None


def _read_text(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except OSError as e:
        raise DataError(str(p), None, Message("cannot read: {reason}", reason=str(e.strerror or e))) from None
    except UnicodeDecodeError:
        raise DataError(str(p), None, Message("not UTF-8 text")) from None


def _yaml_rows(
    p: Path, raw: str, sections: dict[str, type[BaseModel]], *, need: str, shape: str
) -> dict[str, list[Any]]:
    """The rows of each section of a YAML file, each read into its section's model; ``need``
    is a section the file must have (``shape`` says what the file should be). A problem is a
    :class:`DataError` naming the file, the section and the row."""
    try:
        doc = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise DataError(
            str(p),
            mark.line + 1 if mark else None,
            Message("not valid YAML: {reason}", reason=str(getattr(e, "problem", e))),
        ) from None
    if not isinstance(doc, dict) or need not in doc:
        raise DataError(str(p), None, f"expected {shape}")
    out: dict[str, list[Any]] = {section: [] for section in sections}
    for section, model in sections.items():
        rows = doc.get(section)
        if rows is None:
            continue
        if not isinstance(rows, list):
            raise DataError(
                f"{p} [{section}]", None, Message("expected a list of rows, got {type}", type=type(rows).__name__)
            )
        for i, row in enumerate(rows, start=1):
            try:
                out[section].append(model.model_validate(row))
            except ValidationError as e:
                raise _fail(str(p), section, i, e) from None
    return out


def _read_yaml(p: Path, raw: str) -> PlanFile:
    out = _yaml_rows(p, raw, _SECTIONS, need="plans", shape="a mapping with 'plans' and 'tasks'")
    first: dict[str, int] = {}
    for i, pl in enumerate(out["plans"], start=1):
        if pl.id in first:
            raise DataError(
                f"{p} [plans]",
                i,
                Message("plan {plan!r} is defined twice (first in row {row})", plan=pl.id, row=first[pl.id]),
            )
        first[pl.id] = i
    seen: dict[str, int] = {}
    for i, t in enumerate(out["tasks"], start=1):
        if t.id in seen:
            raise DataError(
                f"{p} [tasks]",
                i,
                Message("task id {task!r} is used twice (first in row {row})", task=t.id, row=seen[t.id]),
            )
        seen[t.id] = i
        if t.plan not in first:
            raise DataError(f"{p} [tasks]", i, Message("plan {plan!r} is not in 'plans'", plan=t.plan))
    for i, r in enumerate(out["reports_to"], start=1):
        if r.plan not in first:
            raise DataError(f"{p} [reports_to]", i, Message("plan {plan!r} is not in 'plans'", plan=r.plan))
    return PlanFile(**out)


def _assignees(cell: str) -> tuple[Assignee, ...]:
    out = []
    for x in (s.strip() for s in cell.split(";")):
        if not x:
            continue
        out.append(Assignee(generic=x[1:].strip()) if x.startswith("*") else Assignee(body=x))
    return tuple(out)


_CSV_TRUE = {"": False, "false": False, "no": False, "0": False, "true": True, "yes": True, "1": True}


def _csv_rows(path: str, raw: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number, cells)]) of a CSV plan file; rows are counted as a spreadsheet
    shows them (the header is row 1), so a line break inside a quoted cell does not shift them."""
    reader = csv.reader(io.StringIO(raw, newline=""), strict=True)
    out: list[tuple[int, list[str]]] = []
    row = 1
    try:
        header = [h.strip() for h in next(reader, [])]
        for cells in reader:
            row += 1
            if cells:
                out.append((row, cells))
    except csv.Error as e:
        why = str(e)
        if "field larger than field limit" in why:
            why = f"a field is over {csv.field_size_limit():,} characters"
        raise DataError(path, row + 1, Message("not valid CSV: {reason}", reason=why)) from None
    return header, out


def _read_csv(path: str, raw: str) -> PlanFile:
    header, rows = _csv_rows(path, raw)
    need = {"plan", "issuer", "number", "text", "lead"}
    if not rows or not need <= set(header):
        raise DataError(path, 1, Message("the header needs the columns {columns}", columns=str(sorted(need))))
    plans: dict[str, tuple[Plan, int]] = {}
    tasks = []
    seen: dict[str, int] = {}
    for i, cells in rows:
        if len(cells) != len(header):
            raise DataError(path, i, Message("the row has {n} fields; the header has {m}", n=len(cells), m=len(header)))
        r = dict(zip(header, cells, strict=True))
        try:
            plan = Plan(
                id=r["plan"],
                issuer=r["issuer"],
                date=r.get("plan_date") or None,
                province=r.get("province") or None,
            )
            if plan.id not in plans:
                plans[plan.id] = (plan, i)
            elif plans[plan.id][0] != plan:
                raise DataError(
                    path,
                    i,
                    f"plan {plan.id!r} has another issuer, date or province than on row {plans[plan.id][1]}",
                )
            d = (r.get("deadline") or "").strip()
            if not d:
                dl = Deadline(kind="none")
            elif d.startswith("weekly:"):
                dl = Deadline(kind="weekly", weekday=d.split(":", 1)[1])
            elif d == "regular":
                dl = Deadline(kind="regular")
            else:
                dl = Deadline(kind="date", date=d)
            number = r["number"].strip()
            if not number:
                raise DataError(path, i, Message("a task needs its number"))
            if not _assignees(r["lead"]):
                raise DataError(path, i, Message("a task needs a lead body"))
            replaces = _CSV_TRUE.get((r.get("replaces") or "").strip().lower())
            if replaces is None:
                raise DataError(
                    path, i, Message("replaces: expected true or false, got {value!r:.40}", value=r["replaces"])
                )
            tid = f"{plan.id}:{number}"
            if tid in seen:
                raise DataError(
                    path,
                    i,
                    Message(
                        "task {number} of plan {plan!r} is also on row {row}",
                        number=number,
                        plan=plan.id,
                        row=seen[tid],
                    ),
                )
            seen[tid] = i
            tasks.append(
                Task(
                    id=tid,
                    plan=plan.id,
                    number=number,
                    text=r["text"],
                    lead=_assignees(r["lead"]),
                    coordinators=_assignees(r.get("coordinators") or ""),
                    deadline=dl,
                    deadline_text=d or None,
                    note=r.get("note") or None,
                    line=i,
                    replaces=replaces,
                    where=f"{path}, row {i}",
                )
            )
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(map(str, err["loc"]))
            raise DataError(path, i, f"{loc}: {err['msg']}" if loc else err["msg"]) from None
    return PlanFile(plans=tuple(p for p, _ in plans.values()), tasks=tuple(tasks))


# ------------------------------------------------------------------ attaching to the graph
def _body_index(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    idx: dict[str, list[str]] = {}
    k_type, k_full, body = Attr.TYPE, Attr.KEY_FULL, UnitType.BODY
    for n, a in G._node.items():
        if a.get(k_type) == body:
            idx.setdefault(a.get(k_full) or body_key(a[Attr.NAME]), []).append(n)
    return idx


def resolve_body(
    G: nx.MultiDiGraph, idx: dict[str, list[str]], name: str, on: dt.date, origin: str, row: int | None
) -> str:
    if name in G and G.nodes[name].get(Attr.TYPE) == UnitType.BODY:
        hits = [name]  # a body id
    else:
        hits = idx.get(body_key(name), [])
    live = [h for h in hits if is_live(G.nodes[h], on)]
    if len(live) == 1:
        return live[0]
    if len(live) > 1:
        raise DataError(origin, row, f"body {name!r} is ambiguous on {on}: {live}; use one of these ids")
    import difflib

    close = difflib.get_close_matches(body_key(name), list(idx), n=3, cutoff=0.75)
    names = [G.nodes[idx[c][0]][Attr.NAME] for c in close]
    hint = f"; did you mean: {'; '.join(names)}?" if names else ""
    when = f" (it existed until {G.nodes[hits[0]][Attr.VALID_TO]})" if hits else ""
    raise DataError(origin, row, f"no body named {name!r} live on {on}{when}{hint}")


def _task_where(origin: str, t: Task, i: int) -> tuple[str, int | None]:
    """(file [and sheet], row) a task was read from, for errors."""
    if t.where:
        return t.where, None
    return f"{origin} [tasks]", t.line if (t.line and not t.seed) else i


def attach_plans(G: nx.MultiDiGraph, files: Sequence[tuple[str, PlanFile]], *, copy: bool = True) -> nx.MultiDiGraph:
    """A copy of ``G`` with the plans' tasks and reporting lines. All or nothing: with
    ``copy=False`` pass a graph you will throw away if this raises.

    A task whose id an earlier file (the seeds' among them) already used is an error naming
    the file and row, unless the row says ``replaces: true``; so is a cycle of reporting lines.
    Every plan's id is kept in ``G.graph["plans"]`` (plan id -> file), so a plan without tasks
    is known.
    """
    H = G.copy() if copy else G
    if copy:  # G.copy() shares the graph's own dicts: G must not see this call's entries
        H.graph[Attr.SOURCES] = dict(H.graph.get(Attr.SOURCES, {}))
    idx = _body_index(H)
    known: dict[str, str] = dict(H.graph.get(Attr.PLANS, {}))
    H.graph[Attr.PLANS] = known
    task_from: dict[str, str] = {}  # task node -> where it was defined, for errors
    report_from: dict[tuple[str, str], str] = {}  # (body, body it reports to) -> where
    for origin, pf in files:
        plans = {p.id: p for p in pf.plans}
        for p in pf.plans:
            known.setdefault(p.id, origin)
        H.graph[Attr.PLAN_META] = {  # the plans' own lines (issuer, date), for exports that write them back
            **H.graph.get(Attr.PLAN_META, {}),
            **{p.id: p.model_dump(mode="json", exclude_none=True) for p in pf.plans},
        }
        for cb in pf.central_bodies:
            uid = f"body:central:{fold(cb.name).replace(' ', '-')}"
            if uid not in H:
                H.add_node(
                    uid,
                    **{
                        Attr.NODE: NodeKind.UNIT,
                        Attr.KIND: Kind.CENTRAL,
                        Attr.TYPE: UnitType.BODY,
                        Attr.NAME: cb.name,
                        Attr.SHORT: cb.name,
                        Attr.CODE: None,
                        Attr.VALID_FROM: None,
                        Attr.VALID_TO: None,
                        Attr.SOURCES: (f"seed:{cb.seed}:{cb.line}",),
                        Attr.AREA: None,
                        Attr.POPULATION: None,
                        Attr.RULE: None,
                        Attr.NOTE: cb.kind,
                        Attr.KEY: body_key(cb.name),
                        Attr.KEY_FULL: body_key(cb.name),
                    },
                )
                H.graph[Attr.SOURCES][f"seed:{cb.seed}:{cb.line}"] = {
                    "kind": SourceKind.SEED.value,
                    "ref": cb.seed,
                    "detail": f"line {cb.line}",
                }
                idx.setdefault(body_key(cb.name), []).append(uid)
        for i, t in enumerate(pf.tasks, start=1):
            plan = plans[t.plan]
            on = plan.context_date or plan.date or REFORM_DATE
            if plan.province and plan.date is None:
                on = max(on, REFORM_DATE)
            src = f"seed:{t.seed}:{t.line}" if t.seed else f"user:{origin}"
            tid = f"task:{t.id}"
            where, row = _task_where(origin, t, i)
            here = f"{where}, row {row}" if row is not None else where
            if tid in H:
                if not t.replaces:
                    raise DataError(
                        where,
                        row,
                        f"task id {t.id!r} is already defined ({task_from.get(tid, 'before')}); "
                        "to replace that task here, say replaces: true on this row",
                    )
                H.remove_node(tid)  # its text, deadline and leads: the new row states them all
            elif t.replaces:
                raise DataError(
                    where, row, Message("task {task!r} replaces nothing: no earlier file defines it", task=t.id)
                )
            task_from[tid] = f"{t.seed} line {t.line}" if t.seed else here
            H.graph[Attr.SOURCES].setdefault(
                src,
                {
                    "kind": (SourceKind.SEED if t.seed else SourceKind.USER).value,
                    "ref": t.seed or origin,
                    "detail": f"line {t.line}" if t.line else None,
                },
            )
            H.add_node(
                tid,
                **{
                    Attr.NODE: NodeKind.TASK,
                    Attr.NAME: t.text,
                    Attr.PLAN: t.plan,
                    Attr.NUMBER: t.number,
                    Attr.DEADLINE: t.deadline.model_dump(exclude_none=True),
                    Attr.DEADLINE_TEXT: t.deadline_text,
                    Attr.NOTE: t.note,
                    Attr.ILLEGIBLE: t.illegible,
                    Attr.SEED: t.seed,
                    Attr.LINE: t.line,
                    Attr.SOURCES: (src,),
                    Attr.ASSIGNED_ON: on,
                    Attr.PROVINCE: plan.province,
                    Attr.GENERIC_LEADS: tuple(a.generic for a in t.lead if a.generic),
                    Attr.GENERIC_COORDINATORS: tuple(a.generic for a in t.coordinators if a.generic),
                },
            )
            for role, group in ((EdgeKind.LEADS, t.lead), (EdgeKind.COORDINATES, t.coordinators)):
                for a in group:
                    if a.body:
                        b = resolve_body(H, idx, a.body, on, a.where or where, None if a.where else row)
                        H.add_edge(b, tid, key=role.value, **{Attr.KIND: role, Attr.SOURCES: (src,)})
        for i, r in enumerate(pf.reports_to, start=1):
            rplan = plans.get(r.plan)
            on = (rplan.context_date or rplan.date or REFORM_DATE) if rplan else REFORM_DATE
            if rplan and rplan.province and rplan.date is None:
                on = max(on, REFORM_DATE)
            chain = [x for x in (r.from_, r.via, r.to) if x is not None and x.body]
            ids = [resolve_body(H, idx, x.body or "", on, f"{origin} [reports_to]", i) for x in chain]
            for src_body, dst_body in zip(ids, ids[1:], strict=False):
                report_from.setdefault((src_body, dst_body), f"{origin} [reports_to], row {i}")
                H.add_edge(
                    src_body,
                    dst_body,
                    key=f"{EdgeKind.REPORTS_TO}:{r.plan}:{i}",
                    **{
                        Attr.KIND: EdgeKind.REPORTS_TO,
                        Attr.PLAN: r.plan,
                        # the class of bodies that reports through this line, when the plan names one
                        Attr.FROM_GENERIC: r.from_.generic if src_body == ids[0] and not r.from_.body else None,
                        Attr.SCHEDULE: r.schedule.model_dump(exclude_none=True),
                        Attr.SOURCES: (f"seed:{r.seed}:{r.line}",),
                    },
                )
    _no_reporting_cycle(H, report_from)
    return H


def _no_reporting_cycle(H: nx.MultiDiGraph, report_from: dict[tuple[str, str], str]) -> None:
    """A body that reports, through any number of lines, to itself is an error naming the row
    of the line that closes the cycle (the last one read)."""
    if not report_from:
        return
    order = {e: n for n, e in enumerate(report_from)}
    out: dict[str, list[str]] = {}
    for a, b in report_from:
        out.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in out:
        if start in state:
            continue
        path, stack = [start], [iter(out.get(start, ()))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                ring = path[path.index(nxt) :] + [nxt]
                edges = list(zip(ring, ring[1:], strict=False))
                last = max(edges, key=lambda e: order[e])
                names = " → ".join(H.nodes[u][Attr.NAME] for u in ring)
                raise DataError(report_from[last], None, f"reporting lines make a cycle: {names}")
            if nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(out.get(nxt, ())))


class SeedName(_M):
    """A body the rules generate, under the name a seed gives it (a row of ``names``)."""

    territory: str
    slug: str
    name: NFCStr
    seed: str
    line: int = Field(ge=1)


class SeedBody(SeedName):
    """A body a seed names and no rule generates (a row of ``bodies``)."""

    kind: Kind
    valid_from: dt.date


class SeedBodies(_M):
    names: tuple[SeedName, ...] = ()
    bodies: tuple[SeedBody, ...] = ()


_SEED_SECTIONS: dict[str, type[BaseModel]] = {"names": SeedName, "bodies": SeedBody}


def read_seed_bodies(path: str | Path) -> tuple[str, SeedBodies]:
    """The file's path as errors name it, and the bodies it states (like ``data/plans/seed_bodies.yaml``).

    A problem is a :class:`DataError` naming the file, the section and the row.
    """
    p = Path(path)
    raw = _read_text(p)
    try:
        rows = _yaml_rows(p, raw, _SEED_SECTIONS, need="names", shape="a mapping with 'names' and 'bodies'")
    except RecursionError:
        raise DataError(str(p), None, Message("nested too deeply (or refers to itself)")) from None
    return str(p), SeedBodies(**rows)


def _seed_source(H: nx.MultiDiGraph, seed: str, line: int) -> str:
    """The id of the seed's line as a source, recorded in the graph's sources."""
    src = f"seed:{seed}:{line}"
    H.graph[Attr.SOURCES][src] = {"kind": SourceKind.SEED.value, "ref": seed, "detail": f"line {line}"}
    return src


def _add_seed_bodies(H: nx.MultiDiGraph, where: str, sb: SeedBodies) -> None:
    """Names of bodies stated by the seeds rather than generated by rule, and the bodies
    the seeds name that no rule generates (``where``: the file they were read from)."""
    for i, r in enumerate(sb.names, start=1):
        uid = body_uid(r.territory, r.slug)
        if uid not in H:
            raise DataError(f"{where} [names]", i, f"no body {uid!r} is generated to rename")
        a = H.nodes[uid]
        a[Attr.NAME] = a[Attr.SHORT] = r.name
        a[Attr.KEY] = a[Attr.KEY_FULL] = body_key(r.name)
        a[Attr.SOURCES] = (_seed_source(H, r.seed, r.line),)
        a[Attr.RULE] = None  # stated by a source, not generated
    for i, b in enumerate(sb.bodies, start=1):
        if b.territory not in H:
            raise DataError(f"{where} [bodies]", i, f"no territory {b.territory!r}")
        uid, src = body_uid(b.territory, b.slug), _seed_source(H, b.seed, b.line)
        H.add_node(
            uid,
            **{
                Attr.NODE: NodeKind.UNIT,
                Attr.KIND: b.kind,
                Attr.TYPE: UnitType.BODY,
                Attr.NAME: b.name,
                Attr.SHORT: b.name,
                Attr.CODE: None,
                Attr.VALID_FROM: b.valid_from,
                Attr.VALID_TO: None,
                Attr.SOURCES: (src,),
                Attr.AREA: None,
                Attr.POPULATION: None,
                Attr.RULE: None,
                Attr.NOTE: None,
            },
        )
        H.add_edge(
            uid,
            b.territory,
            key=EdgeKind.BODY_OF.value,
            **{Attr.KIND: EdgeKind.BODY_OF, Attr.VALID_FROM: b.valid_from, Attr.VALID_TO: None, Attr.SOURCES: (src,)},
        )


def seed_plan_file() -> PlanFile:
    path = resources.files("orgraph.data").joinpath(SEED_PLANS)
    return read_plan_file(Path(str(path)))


def seed_bodies_file() -> tuple[str, SeedBodies]:
    return read_seed_bodies(Path(str(resources.files("orgraph.data").joinpath(SEED_BODIES))))


@lru_cache(maxsize=4)
def _full(extra: tuple[str, ...], plans: tuple[str, ...]) -> nx.MultiDiGraph:
    from .dataset import body_heads, cached_build, full_inputs, load_dataset, national_path

    inputs = full_inputs(extra, plans)

    def build() -> nx.MultiDiGraph:
        files = [(SEED_PLANS, seed_plan_file())] + [(p, read_plan_file(p)) for p in plans]
        # a fresh graph; bodies come with their name keys, the territories get theirs first
        H = add_bodies(add_name_keys(load_dataset([national_path(), *extra])), copy=False)
        _add_seed_bodies(H, *seed_bodies_file())
        add_name_keys(H)  # before attaching plans: their body names are matched on these keys
        return attach_plans(H, files, copy=False)

    return cached_build("full", inputs, build, index=None if plans else body_heads)


def load_full(extra: Sequence[str | Path] = (), plans: Sequence[str | Path] = ()) -> nx.MultiDiGraph:
    """The national graph with every body, the seeds' plans (and any user plan files).

    Built once per process for the same arguments; do not mutate it.
    """
    return _full(tuple(str(Path(p).resolve()) for p in extra), tuple(str(Path(p).resolve()) for p in plans))
