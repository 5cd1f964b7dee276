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
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..graph.build import add_name_keys, is_live
from ..graph.errors import DataError
from ..graph.model import Attr, EdgeKind, Kind, NFCStr, NodeKind, UnitType
from ..graph.names import body_key, fold
from .bodies import add_bodies, body_uid
from .dataset import SEED_PLANS

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
    return DataError(f"{path} [{section}]", i, f"{loc}: {err['msg']}")


def read_plan_file(path: str | Path) -> PlanFile:
    """Read a plan file: YAML like the seeds' file, or CSV with one task per row
    (columns: plan, plan_date, issuer, province, number, text, lead, coordinators,
    deadline — a date, ``weekly:tuesday``, ``regular`` or empty — and note; several bodies
    separated by ``;``)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from .xlsx_plans import read_plan_xlsx

        return read_plan_xlsx(p)  # type: ignore[no-any-return]
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as e:
        raise DataError(str(p), None, f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise DataError(str(p), None, "not UTF-8 text") from None
    if p.suffix.lower() == ".csv":
        return _read_csv(str(p), raw)
    try:
        doc = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise DataError(
            str(p), mark.line + 1 if mark else None, f"not valid YAML: {getattr(e, 'problem', e)}"
        ) from None
    if not isinstance(doc, dict) or "plans" not in doc:
        raise DataError(str(p), None, "expected a mapping with 'plans' and 'tasks'")
    out: dict[str, list[Any]] = {"plans": [], "tasks": [], "reports_to": [], "central_bodies": []}
    models: dict[str, type[BaseModel]] = {
        "plans": Plan,
        "tasks": Task,
        "reports_to": Report,
        "central_bodies": CentralBody,
    }
    for section, model in models.items():
        for i, row in enumerate(doc.get(section) or (), start=1):
            try:
                out[section].append(model.model_validate(row))
            except ValidationError as e:
                raise _fail(str(p), section, i, e) from None
    ids = [t.id for t in out["tasks"]]
    dup = next((x for x in ids if ids.count(x) > 1), None)
    if dup:
        raise DataError(str(p), ids.index(dup) + 1, f"task id {dup!r} is used twice")
    plan_ids = {pl.id for pl in out["plans"]}
    for i, t in enumerate(out["tasks"], start=1):
        if t.plan not in plan_ids:
            raise DataError(f"{p} [tasks]", i, f"plan {t.plan!r} is not in 'plans'")
    return PlanFile(**out)


def _assignees(cell: str) -> tuple[Assignee, ...]:
    out = []
    for x in (s.strip() for s in cell.split(";")):
        if not x:
            continue
        out.append(Assignee(generic=x[1:].strip()) if x.startswith("*") else Assignee(body=x))
    return tuple(out)


def _read_csv(path: str, raw: str) -> PlanFile:
    rows = list(csv.DictReader(raw.splitlines()))
    need = {"plan", "issuer", "number", "text", "lead"}
    if not rows or not need <= set(rows[0]):
        raise DataError(path, 1, f"the header needs the columns {sorted(need)}")
    plans: dict[str, Plan] = {}
    tasks = []
    for i, r in enumerate(rows, start=2):
        try:
            if r["plan"] not in plans:
                plans[r["plan"]] = Plan(
                    id=r["plan"],
                    issuer=r["issuer"],
                    date=r.get("plan_date") or None,
                    province=r.get("province") or None,
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
            if not _assignees(r["lead"]):
                raise DataError(path, i, "a task needs a lead body")
            tasks.append(
                Task(
                    id=f"{r['plan']}:{r['number']}",
                    plan=r["plan"],
                    number=r["number"],
                    text=r["text"],
                    lead=_assignees(r["lead"]),
                    coordinators=_assignees(r.get("coordinators") or ""),
                    deadline=dl,
                    deadline_text=d or None,
                    note=r.get("note") or None,
                    line=i,
                )
            )
        except ValidationError as e:
            err = e.errors()[0]
            raise DataError(path, i, f"{'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    return PlanFile(plans=tuple(plans.values()), tasks=tuple(tasks))


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


def attach_plans(G: nx.MultiDiGraph, files: Sequence[tuple[str, PlanFile]], *, copy: bool = True) -> nx.MultiDiGraph:
    """A copy of ``G`` with the plans' tasks and reporting lines. All or nothing: with
    ``copy=False`` pass a graph you will throw away if this raises."""
    H = G.copy() if copy else G
    idx = _body_index(H)
    for origin, pf in files:
        plans = {p.id: p for p in pf.plans}
        H.graph["plans"] = {  # the plans' own lines (issuer, date), for exports that write them back
            **H.graph.get("plans", {}),
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
                H.graph["sources"][f"seed:{cb.seed}:{cb.line}"] = {
                    "kind": "seed",
                    "ref": cb.seed,
                    "detail": f"line {cb.line}",
                }
                idx.setdefault(body_key(cb.name), []).append(uid)
        for i, t in enumerate(pf.tasks, start=1):
            plan = plans[t.plan]
            on = plan.context_date or plan.date or dt.date(2025, 7, 1)
            if plan.province and plan.date is None:
                on = max(on, dt.date(2025, 7, 1))
            src = f"seed:{t.seed}:{t.line}" if t.seed else f"user:{origin}"
            H.graph["sources"].setdefault(
                src,
                {
                    "kind": "seed" if t.seed else "user",
                    "ref": t.seed or origin,
                    "detail": f"line {t.line}" if t.line else None,
                },
            )
            tid = f"task:{t.id}"
            H.add_node(
                tid,
                **{
                    Attr.NODE: NodeKind.TASK,
                    Attr.NAME: t.text,
                    "plan": t.plan,
                    "number": t.number,
                    "deadline": t.deadline.model_dump(exclude_none=True),
                    "deadline_text": t.deadline_text,
                    Attr.NOTE: t.note,
                    "illegible": t.illegible,
                    "seed": t.seed,
                    "line": t.line,
                    Attr.SOURCES: (src,),
                    "assigned_on": on,
                    "province": plan.province,
                    "generic_leads": tuple(a.generic for a in t.lead if a.generic),
                    "generic_coordinators": tuple(a.generic for a in t.coordinators if a.generic),
                },
            )
            for role, group in ((EdgeKind.LEADS, t.lead), (EdgeKind.COORDINATES, t.coordinators)):
                for a in group:
                    if a.body:
                        row = t.line if (t.line and not t.seed) else i
                        b = resolve_body(H, idx, a.body, on, a.where or f"{origin} [tasks]", None if a.where else row)
                        H.add_edge(b, tid, key=role.value, kind=role, sources=(src,))
        for i, r in enumerate(pf.reports_to, start=1):
            rplan = plans.get(r.plan)
            on = (rplan.context_date or rplan.date or dt.date(2025, 7, 1)) if rplan else dt.date(2025, 7, 1)
            if rplan and rplan.province and rplan.date is None:
                on = max(on, dt.date(2025, 7, 1))
            chain = [x for x in (r.from_, r.via, r.to) if x is not None and x.body]
            ids = [resolve_body(H, idx, x.body or "", on, f"{origin} [reports_to]", i) for x in chain]
            for src_body, dst_body in zip(ids, ids[1:], strict=False):
                H.add_edge(
                    src_body,
                    dst_body,
                    key=f"{EdgeKind.REPORTS_TO}:{r.plan}:{i}",
                    kind=EdgeKind.REPORTS_TO,
                    plan=r.plan,
                    # the class of bodies that reports through this line, when the plan names one
                    from_generic=r.from_.generic if src_body == ids[0] and not r.from_.body else None,
                    schedule=r.schedule.model_dump(exclude_none=True),
                    sources=(f"seed:{r.seed}:{r.line}",),
                )
    return H


def _seed_overrides(H: nx.MultiDiGraph) -> None:
    """Names of bodies stated by the seeds rather than generated by rule."""
    uid = body_uid("province:33@2025-07-01", "truong-chinh-tri")
    if uid in H:
        H.nodes[uid][Attr.NAME] = H.nodes[uid][Attr.SHORT] = "Trường Chính trị Nguyễn Văn Linh"
        H.nodes[uid][Attr.KEY] = H.nodes[uid][Attr.KEY_FULL] = body_key("Trường Chính trị Nguyễn Văn Linh")
        H.nodes[uid][Attr.SOURCES] = ("seed:000_da85f0ab5a5b3e34.txt:227",)
        H.nodes[uid][Attr.RULE] = None  # stated by a source, not generated
        H.graph["sources"]["seed:000_da85f0ab5a5b3e34.txt:227"] = {
            "kind": "seed",
            "ref": "000_da85f0ab5a5b3e34.txt",
            "detail": "line 227",
        }
    # the provincial steering committee named by the Hưng Yên plan
    sc = body_uid("province:33@2025-07-01", "ban-chi-dao")
    H.add_node(
        sc,
        **{
            Attr.NODE: NodeKind.UNIT,
            Attr.KIND: Kind.PARTY_BODY,
            Attr.TYPE: UnitType.BODY,
            Attr.NAME: "Ban Chỉ đạo tỉnh Hưng Yên",
            Attr.SHORT: "Ban Chỉ đạo tỉnh Hưng Yên",
            Attr.CODE: None,
            Attr.VALID_FROM: dt.date(2025, 7, 1),
            Attr.VALID_TO: None,
            Attr.SOURCES: ("seed:000_da85f0ab5a5b3e34.txt:37",),
            Attr.AREA: None,
            Attr.POPULATION: None,
            Attr.RULE: None,
            Attr.NOTE: None,
        },
    )
    H.add_edge(
        sc,
        "province:33@2025-07-01",
        key=EdgeKind.BODY_OF.value,
        kind=EdgeKind.BODY_OF,
        valid_from=dt.date(2025, 7, 1),
        valid_to=None,
        sources=("seed:000_da85f0ab5a5b3e34.txt:37",),
    )
    H.graph["sources"]["seed:000_da85f0ab5a5b3e34.txt:37"] = {
        "kind": "seed",
        "ref": "000_da85f0ab5a5b3e34.txt",
        "detail": "line 37",
    }


def seed_plan_file() -> PlanFile:
    path = resources.files("orgraph.data").joinpath(SEED_PLANS)
    return read_plan_file(Path(str(path)))


@lru_cache(maxsize=4)
def _full(extra: tuple[str, ...], plans: tuple[str, ...]) -> nx.MultiDiGraph:
    from .dataset import _national_path, body_heads, cached_build, full_inputs, load_dataset

    inputs = full_inputs(extra, plans)

    def build() -> nx.MultiDiGraph:
        files = [(SEED_PLANS, seed_plan_file())] + [(p, read_plan_file(p)) for p in plans]
        # a fresh graph; bodies come with their name keys, the territories get theirs first
        H = add_bodies(add_name_keys(load_dataset([_national_path(), *extra])), copy=False)
        _seed_overrides(H)
        add_name_keys(H)  # before attaching plans: their body names are matched on these keys
        return attach_plans(H, files, copy=False)

    return cached_build("full", inputs, build, index=None if plans else body_heads)


def load_full(extra: Sequence[str | Path] = (), plans: Sequence[str | Path] = ()) -> nx.MultiDiGraph:
    """The national graph with every body, the seeds' plans (and any user plan files).

    Built once per process for the same arguments; do not mutate it.
    """
    return _full(tuple(str(Path(p).resolve()) for p in extra), tuple(str(Path(p).resolve()) for p in plans))
