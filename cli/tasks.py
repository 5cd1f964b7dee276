"""Bodies, tasks, inheritance, validation, progress records and weekly reports: ``bodies``,
``tasks``, ``inherited``, ``responsibilities``, ``validate``, ``load-plan``, ``progress ...``
and ``report``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ..graph.i18n import Message, say
from ..graph.i18n import t as tr
from ..graph.model import REFORM_DATE
from ._common import (
    DEFAULT_PROGRESS,
    Backend,
    BackendName,
    Json,
    OnRequired,
    PlanFile,
    Progress,
    date_option,
    emit,
    progress_path,
    progress_records,
    state,
    sub_app,
)

__all__ = ["app", "progress_app"]

app = sub_app()
progress_app = sub_app("progress", "Progress records on the plans' tasks, kept in a plain file (CSV or .xlsx).")


def _no_plan_file_on_neo4j(backend: BackendName, plan_file: list[Path] | None) -> None:
    if backend is BackendName.neo4j and plan_file:
        raise typer.BadParameter(
            Message("push the plan first; --plan-file works with the embedded graph"), param_hint="--plan-file"
        )


def _open(ctx: typer.Context, backend: BackendName, plan_file: list[Path] | None = None) -> tuple[Any, Any]:
    """(the backend, the graph or Neo4j database it reads) for the task questions: the full
    embedded graph (with ``plan_file``), or Neo4j (closed with the command)."""
    from ..queries.backend import neo4j_backend, networkx_backend

    if backend is BackendName.neo4j:
        if plan_file:
            raise typer.BadParameter(
                Message("push the plan first; --plan-file works with the embedded graph"), param_hint="--plan-file"
            )
        from ._connect import open_backend

        ng = open_backend(**state(ctx).neo4j)
        ctx.call_on_close(ng.close)
        return neo4j_backend(ng), ng
    G = state(ctx).graph(full=True, plans=plan_file or ())
    return networkx_backend(G), G


def _full(ctx: typer.Context, backend: BackendName, plan_file: list[Path] | None = None) -> Any:
    """The backend for the task questions."""
    return _open(ctx, backend, plan_file)[0]


def _handle(ctx: typer.Context, backend: BackendName, plan_file: list[Path] | None = None) -> Any:
    """The graph or the Neo4j database the progress questions read (they take either)."""
    return _open(ctx, backend, plan_file)[1]


def _holder_text(h: Any) -> str:
    who = h.assigned.name if h.assigned else f"[{h.generic}]"
    now = ", ".join(x.name for x in h.holders[:6]) + (" …" if len(h.holders) > 6 else "")
    line = f"    {tr(h.role):11} {who} — {tr(h.status.replace('_', ' '))}"
    if h.status in ("inherited", "ambiguous", "generic") and now:
        line += f" → {now}"
    if h.note and h.status != "live":
        line += f" ({say(h.note)})"
    for hop in h.path:
        line += "\n                  " + tr("via {hop}", hop=hop.label())
    return line


def _task_text(t: Any) -> str:
    state = tr(t.status.replace("_", " ")) + ("" if t.open else ", " + tr("closed"))
    head = f"{t.id}  [{state}]  " + tr("deadline: {deadline}", deadline=say(t.deadline))
    body = "\n".join(_holder_text(h) for h in (*t.lead, *t.coordinators))
    text = f"{t.text[:160]}{'…' if len(t.text) > 160 else ''}"
    return f"{head}\n  {text}\n{body}\n  " + tr("source: {source}", source=say(t.source))


def _events(values: list[str] | None) -> dict[str, date]:
    """``--event KEY=YYYY-MM-DD`` options as a mapping."""
    out = {}
    for v in values or ():
        k, _, d = v.partition("=")
        try:
            out[k.strip()] = date.fromisoformat(d.strip())
        except ValueError:
            raise typer.BadParameter(
                Message("expected KEY=YYYY-MM-DD, got {value!r}", value=v), param_hint="--event"
            ) from None
    return out


def _days(value: str) -> int:
    """``10d``, ``2w`` or ``10`` as a number of days."""
    v = value.strip().lower()
    try:
        if v.endswith("w"):
            n = int(v[:-1]) * 7
        else:
            n = int(v.removesuffix("d"))
    except ValueError:
        n = -1
    if n < 0:
        raise typer.BadParameter(
            Message("expected a number of days like 10d or 2w, got {value!r}", value=value), param_hint="--due-within"
        )
    return n


def _who(lead: Any, generic: str | None) -> str:
    names = [b.name for b in lead]
    if generic and len(names) > 3:
        return f"[{generic}] " + tr("{n} bodies", n=len(names)) + ": " + ", ".join(names[:3]) + " …"
    if generic:
        return f"[{generic}] " + (", ".join(names) or tr("no body named"))
    return tr(" and ").join(names) or tr("no lead named in the plan")


def _late_text(on: date, late: Any) -> str:
    if not late:
        return tr("on {date}: nothing overdue", date=on)
    lines = [tr("on {date}: {n} overdue (task, lead) pair(s), by lead body", date=on, n=len(late))]
    groups: dict[str, list[Any]] = {}
    for x in late:
        groups.setdefault(_who(x.lead, x.generic), []).append(x)
    for who, xs in sorted(groups.items()):
        lines.append(who)
        for x in xs:
            what = (
                tr("{n} reports missing since {date}", n=len(x.missed), date=x.due)
                if len(x.missed) > 1
                else tr("due {date}", date=x.due)
            )
            late = tr("{n} days late ({working} working days)", n=x.days_late, working=x.working_days_late)
            lines.append(f"  {x.task.removeprefix('task:')}  {what}: {late}  [{say(x.deadline)}]")
            for h in x.lead_ended:
                named = h.assigned.name if h.assigned else h.generic
                lines.append("      " + tr("lead named in the plan: {body} ({note})", body=named, note=say(h.note)))
    return "\n".join(lines)


def _due_text(on: date, days: int, due: Any) -> str:
    if not due:
        return tr("nothing falls due from {start} to {end}", start=on, end=on.fromordinal(on.toordinal() + days))
    lines = [tr("from {date}, within {days} days: {n} due date(s)", date=on, days=days, n=len(due))]
    for x in due:
        left = tr("in {n} days, {working} working", n=x.days_left, working=x.working_days_left)
        lines.append(
            f"  {x.due} ({left})  {x.task.removeprefix('task:')}  — {_who(x.lead, x.generic)}  [{say(x.deadline)}]"
        )
    return "\n".join(lines)


def _tracked_text(tk: Any) -> str:
    parts = []
    for o in tk.obligations:
        if o.state.value == "overdue":
            late = tr("overdue {n} days ({working} working)", n=o.days_late, working=o.working_days_late)
            parts.append(f"{_who(o.bodies, o.generic)}: {late}")
        if o.last is not None:
            parts.append(
                tr(
                    "last record {date}: {status} by {body}",
                    date=o.last.date,
                    status=say(o.last.status.value),
                    body=o.last.body.name,
                )
            )
    lead = tr(tk.task.status.replace("_", " "))
    state = tr("{state}; lead {status}", state=_kind_word(tk.state.value), status=lead)
    head = _task_text(tk.task)
    if "_" not in tk.task.status:  # (as before: no_lead and not_yet tasks show no progress state)
        head = head.replace(f"[{lead}", f"[{state}", 1)
    return head + "".join("\n  " + tr("progress: {x}", x=p) for p in dict.fromkeys(parts))


def _record_text(r: Any) -> str:
    line = tr(
        "{task}: {status} on {date} by {body} ({role})",
        task=r.task.removeprefix("task:"),
        status=say(r.status.value),
        date=r.date,
        body=r.body.name,
        role=tr(r.role),
    )
    if r.reference:
        line += f", {r.reference}"
    if r.inherited_from is not None:
        line += "\n  " + tr("inherited from {body}", body=r.inherited_from.name)
        line += "".join("\n    " + tr("via {hop}", hop=h.label()) for h in r.path)
    return line


Event = Annotated[
    list[str] | None, typer.Option("--event", help="Date an event that deadlines wait for: KEY=YYYY-MM-DD.")
]


@app.command()
def bodies(
    ctx: typer.Context,
    territory: Annotated[str, typer.Argument(help='A province or commune, e.g. "Hưng Yên".')],
    on: OnRequired,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """The party and state bodies of a province or commune on a date."""
    res = _full(ctx, backend).bodies(territory, on=on)
    emit(res, as_json, lambda bs: "\n".join(f"{_kind_word(b.kind):17} {b.name}  ({b.id})" for b in bs))


def _kind_word(kind: str) -> str:
    """A body's kind or a task's state in the language asked (as written, ``party_committee``
    or ``in_progress``, in English)."""
    said = tr(kind.replace("_", " "))
    return kind if said == kind.replace("_", " ") else said


@app.command("tasks")
def tasks_cmd(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", help="Plan id, e.g. 47-KH/BCĐ.")] = None,
    on: Annotated[date, date_option("--on", help="Status on this date.")] = REFORM_DATE,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only what is past its deadline, by lead body.")] = False,
    due_within: Annotated[
        str | None, typer.Option("--due-within", help="Only what falls due within, e.g. 10d.")
    ] = None,
    progress: Progress = None,
    event: Event = None,
    plan_file: PlanFile = [],  # noqa: B006 - typer reads the default, never mutates it
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """The plans' tasks with lead, coordinators, deadline and state (done, in progress,
    open, overdue) from the progress records; or only the overdue ones, or those due soon."""
    from ..queries.progress import due_within as q_due
    from ..queries.progress import overdue as q_overdue
    from ..queries.progress import track

    G = _handle(ctx, backend, plan_file)
    recs, evs = progress_records(G, progress_path(progress)), _events(event)
    if overdue and due_within:
        raise typer.BadParameter(Message("choose --overdue or --due-within"), param_hint="--due-within")
    if overdue:
        late = q_overdue(G, recs, on=on, plan=plan, events=evs)
        emit(late, as_json, lambda xs: _late_text(on, xs))
    elif due_within:
        n = _days(due_within)
        due = q_due(G, recs, on=on, days=n, plan=plan, events=evs)
        emit(due, as_json, lambda xs: _due_text(on, n, xs))
    else:
        res = track(G, recs, on=on, plan=plan, events=evs)
        emit(res, as_json, lambda ts: "\n\n".join(_tracked_text(t) for t in ts))


def _inherited_text(rs: Any) -> str:
    if not rs:
        return tr("nothing inherited on that date")
    return "\n".join(
        tr("{task} ({role}) from {body}", task=r.task, role=tr(r.role), body=r.from_body.name)
        + f"\n  {r.text[:120]}\n"
        + "\n".join("  " + tr("via {hop}", hop=h.label()) for h in r.path)
        for r in rs
    )


@app.command()
def inherited(
    ctx: typer.Context,
    body: Annotated[str, typer.Argument(help="A body's name or id.")],
    on: OnRequired,
    plan_file: PlanFile = [],  # noqa: B006
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """What a body inherited, from whom, through which event."""
    emit(_full(ctx, backend, plan_file).inherited(body, on=on), as_json, _inherited_text)


@app.command()
def responsibilities(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help="Task id or words from its text.")],
    on: OnRequired,
    plan_file: PlanFile = [],  # noqa: B006
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Who leads and coordinates a task on a date, and why."""
    emit(_full(ctx, backend, plan_file).responsibilities(task, on=on), as_json, _task_text)


def _validation_text(v: Any) -> str:
    counts = ", ".join(f"{tr(k.replace('_', ' '))} {n}" for k, n in v.by_status.items())
    lines = [tr("on {date}: {n} open tasks: {counts}", date=v.on, n=len(v.tasks), counts=counts)]
    for f in v.findings:
        lines.append(f"  [{f.rule}] {say(f.message)} — " + tr("fix: {fix}", fix=say(f.fix)))
    lines.append(tr("OK") if v.ok else tr("{n} finding(s)", n=len(v.findings)))
    return "\n".join(lines)


@app.command()
def validate(
    ctx: typer.Context,
    on: OnRequired,
    progress: Progress = None,
    plan_file: PlanFile = [],  # noqa: B006
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Every open task has one live lead; integrity rules hold; no overdue task's lead
    has ended. Exits 1 if not."""
    from ..queries.progress import overdue, with_overdue

    be, G = _open(ctx, backend, plan_file)
    v = with_overdue(be.validate(on=on), overdue(G, progress_records(G, progress_path(progress)), on=on))
    emit(v, as_json, _validation_text)
    if not v.ok:
        raise typer.Exit(1)


@app.command("load-plan")
def load_plan(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Your plan file (YAML like the seeds', or CSV).")],
    on: Annotated[date, date_option("--on", help="Check the tasks on this date.")] = REFORM_DATE,
    as_json: Json = False,
) -> None:
    """Load your own plan, check every row and body, and show its tasks' status."""
    from ..loaders.plans import read_plan_file
    from ..queries.backend import networkx_backend

    pf = read_plan_file(path)
    be = networkx_backend(state(ctx).graph(full=True, plans=[path]))
    res = [t for p in pf.plans for t in be.tasks(plan=p.id, on=on)]
    emit(
        res,
        as_json,
        lambda ts: (
            tr("loaded {n} task(s) from {path}", n=len(ts), path=path) + "\n\n" + "\n\n".join(_task_text(t) for t in ts)
        ),
    )


File = Annotated[Path, typer.Option("--file", help="The progress file (CSV, or .xlsx).")]


@progress_app.command("record")
def progress_record(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help='The task id, e.g. "?-KH/TU:PL.9@204".')],
    done: Annotated[date | None, date_option("--done", help="Finished on this date.")] = None,
    started: Annotated[date | None, date_option("--started", help="In progress on this date.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="chưa thực hiện / đang thực hiện / hoàn thành.")
    ] = None,
    on: Annotated[date | None, date_option("--on", help="The record's date (with --status).")] = None,
    by: Annotated[str, typer.Option("--by", help="The reporting body.")] = ...,  # type: ignore[assignment]
    ref: Annotated[str | None, typer.Option("--ref", help="The report's number.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
    file: File = DEFAULT_PROGRESS,
    plan_file: PlanFile = [],  # noqa: B006
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Append one record to the progress file, after checking it and every record already
    there against the plans (the file is replaced atomically, or left as it was)."""
    from pydantic import ValidationError

    from ..graph.errors import DataError
    from ..loaders.progress import ProgressRow, append_record, write_records
    from ..queries.progress import check_records

    given = [x for x in (done, started, status) if x is not None]
    if len(given) != 1:
        raise typer.BadParameter(Message("give one of --done DATE, --started DATE, or --status S --on DATE"))
    if status is not None and on is None:
        raise typer.BadParameter(Message("--status needs --on DATE"), param_hint="--on")
    when = done or started or on
    st = "hoàn thành" if done else "đang thực hiện" if started else status
    G = _handle(ctx, backend, plan_file)
    try:
        row = ProgressRow(task=task, status=st, date=when, body=by, reference=ref, note=note)
    except ValidationError as e:
        err = e.errors()[0]
        raise DataError(str(file), None, f"bad record: {str(err['msg']).removeprefix('Value error, ')}") from None
    rows = append_record(file, row)
    recs = check_records(G, rows)
    new = recs[-1]
    rows = (*rows[:-1], rows[-1].model_copy(update={"task": new.task.removeprefix("task:"), "body": new.body.name}))
    write_records(file, rows)
    emit(new, as_json, lambda r: tr("recorded in {path} (row {row}): ", path=file, row=rows[-1].row) + _record_text(r))


def _summary_text(p: Any) -> str:
    counts = ", ".join(f"{say(k)} {n}" for k, n in p.by_status.items()) or tr("none")
    lines = [tr("{file}: {n} record(s), all valid: {counts}", file=p.file, n=len(p.records), counts=counts)]
    lines += [f"  {k.removeprefix('task:')}: {say(v)}" for k, v in p.latest.items()]
    if p.inherited:
        lines.append(tr("by bodies that took the task over:"))
        lines += ["  " + _record_text(r).replace("\n", "\n  ") for r in p.inherited]
    return "\n".join(lines)


@progress_app.command("load")
def progress_load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The progress file (CSV, or .xlsx).")],
    plan_file: PlanFile = [],  # noqa: B006
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Check every record of a progress file against the plans and summarise it."""
    from ..queries.progress import summarise

    G = _handle(ctx, backend, plan_file)
    emit(summarise(str(path), progress_records(G, path)), as_json, _summary_text)


@app.command()
def report(
    ctx: typer.Context,
    plan: Annotated[str, typer.Option("--plan", help="Plan id, e.g. 47-KH/BCĐ.")],
    body: Annotated[str, typer.Option("--body", help='The reporting body, e.g. "Tỉnh ủy Hưng Yên".')],
    week_of: Annotated[date, date_option("--week-of", help="A day of the week reported on (Monday to Sunday).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.", dir_okay=False)],
    fmt: Annotated[
        str | None, typer.Option("--format", help="md, html, xlsx or json (default: from -o's suffix).")
    ] = None,
    progress: Progress = None,
    event: Event = None,
    plan_file: PlanFile = [],  # noqa: B006
    backend: Backend = BackendName.networkx,
) -> None:
    """The weekly progress report of a body on a plan, in Vietnamese: its tasks (led,
    coordinated or inherited), their status, what was done that week, what is late, what
    falls due next week, and where it reports."""
    from ..queries.report import weekly_report
    from ..viz.report import FORMATS, write_report

    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(Message("choose one of {formats}", formats=", ".join(FORMATS)), param_hint="--format")
    G = _handle(ctx, backend, plan_file)
    path = progress_path(progress)
    r = weekly_report(
        G, progress_records(G, path), plan=plan, body=body, week_of=week_of, events=_events(event),
        records_from=str(path or ""),
    )  # fmt: skip
    got = write_report(r, output, fmt)
    typer.echo(
        tr(
            "wrote {path} ({format}): {body}, {period}: {n} task(s), {done} record(s) this week, {late} late, "
            "{due} due next week",
            path=output,
            format=got,
            body=r.body,
            period=r.period.lower(),
            n=len(r.tasks),
            done=len(r.done),
            late=len(r.late),
            due=len(r.due_next_week),
        )
    )
