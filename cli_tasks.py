"""Commands for bodies, tasks, inheritance and validation (registered on the main app)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer

__all__ = ["register"]


def _full(plans: list[Path] | None = None) -> Any:
    from .cli import _state
    from .loaders.plans import load_full

    return load_full(tuple(_state["data"]), tuple(str(p) for p in plans or ()))


def _tgt(backend: str, plan_file: list[Path] | None = None) -> tuple[Any, Any]:
    """(module with the task queries, graph or Neo4j handle) for ``--backend``."""
    if backend == "neo4j":
        if plan_file:
            raise typer.BadParameter(
                "push the plan first; --plan-file works with the embedded graph", param_hint="--plan-file"
            )
        from .cli import _target

        return _target("neo4j")
    if backend != "networkx":
        raise typer.BadParameter("choose networkx or neo4j", param_hint="--backend")
    from .queries import tasks as tq  # its functions, and the resolve it uses

    return tq, _full(plan_file)


def _holder_text(h: Any) -> str:
    who = h.assigned.name if h.assigned else f"[{h.generic}]"
    now = ", ".join(x.name for x in h.holders[:6]) + (" …" if len(h.holders) > 6 else "")
    line = f"    {h.role:11} {who} — {h.status}"
    if h.status in ("inherited", "ambiguous", "generic") and now:
        line += f" → {now}"
    if h.note and h.status != "live":
        line += f" ({h.note})"
    for hop in h.path:
        line += f"\n                  via {hop.label()}"
    return line


def _task_text(t: Any) -> str:
    head = f"{t.id}  [{t.status}{'' if t.open else ', closed'}]  deadline: {t.deadline}"
    body = "\n".join(_holder_text(h) for h in (*t.lead, *t.coordinators))
    return f"{head}\n  {t.text[:160]}{'…' if len(t.text) > 160 else ''}\n{body}\n  source: {t.source}"


DEFAULT_PROGRESS = Path("progress.csv")


def _progress_path(path: Path | None) -> Path | None:
    """The progress file asked for, or ``progress.csv`` here if there is one."""
    if path is not None:
        return path
    return DEFAULT_PROGRESS if DEFAULT_PROGRESS.exists() else None


def _records(G: Any, path: Path | None) -> tuple[Any, ...]:
    """The checked records of a progress file (none without one)."""
    from .graph.errors import DataError
    from .loaders.progress import read_progress
    from .queries.progress import check_records

    if path is None:
        return ()
    if not path.exists():
        raise DataError(str(path), None, "no such progress file; create it with `orgraph progress record`")
    return check_records(G, read_progress(path))


def _events(values: list[str] | None) -> dict[str, date]:
    """``--event KEY=YYYY-MM-DD`` options as a mapping."""
    out = {}
    for v in values or ():
        k, _, d = v.partition("=")
        try:
            out[k.strip()] = date.fromisoformat(d.strip())
        except ValueError:
            raise typer.BadParameter(f"expected KEY=YYYY-MM-DD, got {v!r}", param_hint="--event") from None
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
        raise typer.BadParameter(f"expected a number of days like 10d or 2w, got {value!r}", param_hint="--due-within")
    return n


def _who(lead: Any, generic: str | None) -> str:
    names = [b.name for b in lead]
    if generic and len(names) > 3:
        return f"[{generic}] {len(names)} bodies: " + ", ".join(names[:3]) + " …"
    if generic:
        return f"[{generic}] " + (", ".join(names) or "no body named")
    return " and ".join(names) or "no lead named in the plan"


def _late_text(on: date, late: Any) -> str:
    if not late:
        return f"on {on}: nothing overdue"
    lines = [f"on {on}: {len(late)} overdue (task, lead) pair(s), by lead body"]
    groups: dict[str, list[Any]] = {}
    for x in late:
        groups.setdefault(_who(x.lead, x.generic), []).append(x)
    for who, xs in sorted(groups.items()):
        lines.append(who)
        for x in xs:
            what = f"{len(x.missed)} reports missing since {x.due}" if len(x.missed) > 1 else f"due {x.due}"
            lines.append(
                f"  {x.task.removeprefix('task:')}  {what}: {x.days_late} days late "
                f"({x.working_days_late} working days)  [{x.deadline}]"
            )
            for h in x.lead_ended:
                lines.append(f"      lead named in the plan: {h.assigned.name if h.assigned else h.generic} ({h.note})")
    return "\n".join(lines)


def _due_text(on: date, days: int, due: Any) -> str:
    if not due:
        return f"nothing falls due from {on} to {on.fromordinal(on.toordinal() + days)}"
    lines = [f"from {on}, within {days} days: {len(due)} due date(s)"]
    for x in due:
        lines.append(
            f"  {x.due} (in {x.days_left} days, {x.working_days_left} working)  {x.task.removeprefix('task:')}"
            f"  — {_who(x.lead, x.generic)}  [{x.deadline}]"
        )
    return "\n".join(lines)


def _tracked_text(tr: Any) -> str:
    state = tr.state.value
    parts = []
    for o in tr.obligations:
        if o.state.value == "overdue":
            parts.append(f"{_who(o.bodies, o.generic)}: overdue {o.days_late} days ({o.working_days_late} working)")
        if o.last is not None:
            parts.append(f"last record {o.last.date}: {o.last.status.value} by {o.last.body.name}")
    head = _task_text(tr.task).replace(f"[{tr.task.status}", f"[{state}; lead {tr.task.status}", 1)
    return head + "".join(f"\n  progress: {p}" for p in dict.fromkeys(parts))


def _record_text(r: Any) -> str:
    line = f"{r.task.removeprefix('task:')}: {r.status.value} on {r.date} by {r.body.name} ({r.role})"
    if r.reference:
        line += f", {r.reference}"
    if r.inherited_from is not None:
        line += f"\n  inherited from {r.inherited_from.name}"
        line += "".join(f"\n    via {h.label()}" for h in r.path)
    return line


def register(app: typer.Typer, guard: Callable) -> None:  # noqa: C901 - one place for the commands
    from .cli import BACKEND, JSON, emit, parse_date

    PLAN_FILE = typer.Option(None, "--plan-file", help="Also load this plan file (YAML or CSV).")
    PROGRESS = typer.Option(
        None, "--progress", help="Progress records (CSV or .xlsx); default: progress.csv here, if there is one."
    )
    EVENT = typer.Option(None, "--event", help="Date an event that deadlines wait for: KEY=YYYY-MM-DD.")

    @app.command()
    @guard
    def bodies(
        territory: str = typer.Argument(..., help='A province or commune, e.g. "Hưng Yên".'),
        on: str = typer.Option(..., "--on", help="Date, YYYY-MM-DD."),
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """The party and state bodies of a province or commune on a date."""
        mod, G = _tgt(backend)
        d = parse_date(on)
        res = mod.bodies(G, mod.resolve(G, territory, on=d), on=d)
        emit(res, as_json, lambda bs: "\n".join(f"{b.kind:17} {b.name}  ({b.id})" for b in bs))

    @app.command("tasks")
    @guard
    def tasks_cmd(
        plan: str | None = typer.Option(None, "--plan", help="Plan id, e.g. 47-KH/BCĐ."),
        on: str = typer.Option("2025-07-01", "--on", help="Status on this date."),
        overdue: bool = typer.Option(False, "--overdue", help="Only what is past its deadline, by lead body."),
        due_within: str | None = typer.Option(None, "--due-within", help="Only what falls due within, e.g. 10d."),
        progress: Path | None = PROGRESS,
        event: list[str] = EVENT,
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """The plans' tasks with lead, coordinators, deadline and state (done, in progress,
        open, overdue) from the progress records; or only the overdue ones, or those due soon."""
        from .queries.progress import due_within as q_due
        from .queries.progress import overdue as q_overdue
        from .queries.progress import track

        _, G = _tgt(backend, plan_file)
        d = parse_date(on)
        assert d is not None
        recs, evs = _records(G, _progress_path(progress)), _events(event)
        if overdue and due_within:
            raise typer.BadParameter("choose --overdue or --due-within", param_hint="--due-within")
        if overdue:
            late = q_overdue(G, recs, on=d, plan=plan, events=evs)
            emit(late, as_json, lambda xs: _late_text(d, xs))
        elif due_within:
            n = _days(due_within)
            due = q_due(G, recs, on=d, days=n, plan=plan, events=evs)
            emit(due, as_json, lambda xs: _due_text(d, n, xs))
        else:
            res = track(G, recs, on=d, plan=plan, events=evs)
            emit(res, as_json, lambda ts: "\n\n".join(_tracked_text(t) for t in ts))

    @app.command()
    @guard
    def inherited(
        body: str = typer.Argument(..., help="A body's name or id."),
        on: str = typer.Option(..., "--on", help="Date, YYYY-MM-DD."),
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """What a body inherited, from whom, through which event."""
        mod, G = _tgt(backend, plan_file)
        res = mod.inherited(G, body, on=parse_date(on))

        def text(rs: Any) -> str:
            if not rs:
                return "nothing inherited on that date"
            return "\n".join(
                f"{r.task} ({r.role}) from {r.from_body.name}\n  {r.text[:120]}\n"
                + "\n".join(f"  via {h.label()}" for h in r.path)
                for r in rs
            )

        emit(res, as_json, text)

    @app.command()
    @guard
    def responsibilities(
        task: str = typer.Argument(..., help="Task id or words from its text."),
        on: str = typer.Option(..., "--on", help="Date, YYYY-MM-DD."),
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """Who leads and coordinates a task on a date, and why."""
        mod, G = _tgt(backend, plan_file)
        emit(mod.responsibilities(G, task, on=parse_date(on)), as_json, _task_text)

    @app.command()
    @guard
    def validate(
        on: str = typer.Option(..., "--on", help="Date, YYYY-MM-DD."),
        progress: Path | None = PROGRESS,
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """Every open task has one live lead; integrity rules hold; no overdue task's lead
        has ended. Exits 1 if not."""
        from .queries.progress import overdue, with_overdue

        mod, G = _tgt(backend, plan_file)
        d = parse_date(on)
        assert d is not None
        v = with_overdue(mod.validate(G, on=d), overdue(G, _records(G, _progress_path(progress)), on=d))

        def text(v: Any) -> str:
            lines = [f"on {v.on}: {len(v.tasks)} open tasks: " + ", ".join(f"{k} {n}" for k, n in v.by_status.items())]
            for f in v.findings:
                lines.append(f"  [{f.rule}] {f.message} — fix: {f.fix}")
            lines.append("OK" if v.ok else f"{len(v.findings)} finding(s)")
            return "\n".join(lines)

        emit(v, as_json, text)
        if not v.ok:
            raise typer.Exit(1)

    @app.command("load-plan")
    @guard
    def load_plan(
        path: Path = typer.Argument(..., help="Your plan file (YAML like the seeds', or CSV)."),
        on: str = typer.Option("2025-07-01", "--on", help="Check the tasks on this date."),
        as_json: bool = JSON,
    ) -> None:
        """Load your own plan, check every row and body, and show its tasks' status."""
        from .loaders.plans import read_plan_file
        from .queries.tasks import tasks as q

        pf = read_plan_file(path)
        G = _full([path])
        when = parse_date(on) or date(2025, 7, 1)
        res = [t for p in pf.plans for t in q(G, plan=p.id, on=when)]
        emit(
            res,
            as_json,
            lambda ts: f"loaded {len(ts)} task(s) from {path}\n\n" + "\n\n".join(_task_text(t) for t in ts),
        )

    progress_app = typer.Typer(
        name="progress",
        help="Progress records on the plans' tasks, kept in a plain file (CSV or .xlsx).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    FILE = typer.Option(DEFAULT_PROGRESS, "--file", help="The progress file (CSV, or .xlsx).")

    @progress_app.command("record")
    @guard
    def progress_record(
        task: str = typer.Argument(..., help='The task id, e.g. "?-KH/TU:PL.9@204".'),
        done: str | None = typer.Option(None, "--done", help="Finished on this date."),
        started: str | None = typer.Option(None, "--started", help="In progress on this date."),
        status: str | None = typer.Option(None, "--status", help="chưa thực hiện / đang thực hiện / hoàn thành."),
        on: str | None = typer.Option(None, "--on", help="The record's date (with --status)."),
        by: str = typer.Option(..., "--by", help="The reporting body."),
        ref: str | None = typer.Option(None, "--ref", help="The report's number."),
        note: str | None = typer.Option(None, "--note", help="A note."),
        file: Path = FILE,
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """Append one record to the progress file, after checking it and every record already
        there against the plans (the file is replaced atomically, or left as it was)."""
        from pydantic import ValidationError

        from .graph.errors import DataError
        from .loaders.progress import ProgressRow, append_record, write_records
        from .queries.progress import check_records

        given = [x for x in (done, started, status) if x is not None]
        if len(given) != 1:
            raise typer.BadParameter("give one of --done DATE, --started DATE, or --status S --on DATE")
        if status is not None and on is None:
            raise typer.BadParameter("--status needs --on DATE", param_hint="--on")
        when = parse_date(done or started or on, "--done" if done else "--started" if started else "--on")
        st = "hoàn thành" if done else "đang thực hiện" if started else status
        _, G = _tgt(backend, plan_file)
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
        emit(new, as_json, lambda r: f"recorded in {file} (row {rows[-1].row}): " + _record_text(r))

    @progress_app.command("load")
    @guard
    def progress_load(
        path: Path = typer.Argument(..., help="The progress file (CSV, or .xlsx)."),
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """Check every record of a progress file against the plans and summarise it."""
        from .queries.progress import summarise

        _, G = _tgt(backend, plan_file)
        p = summarise(str(path), _records(G, path))

        def text(p: Any) -> str:
            lines = [
                f"{p.file}: {len(p.records)} record(s), all valid: "
                + (", ".join(f"{k} {n}" for k, n in p.by_status.items()) or "none")
            ]
            lines += [f"  {k.removeprefix('task:')}: {v}" for k, v in p.latest.items()]
            if p.inherited:
                lines.append("by bodies that took the task over:")
                lines += ["  " + _record_text(r).replace("\n", "\n  ") for r in p.inherited]
            return "\n".join(lines)

        emit(p, as_json, text)

    app.add_typer(progress_app, name="progress")

    @app.command()
    @guard
    def report(
        plan: str = typer.Option(..., "--plan", help="Plan id, e.g. 47-KH/BCĐ."),
        body: str = typer.Option(..., "--body", help='The reporting body, e.g. "Tỉnh ủy Hưng Yên".'),
        week_of: str = typer.Option(..., "--week-of", help="A day of the week reported on (Monday to Sunday)."),
        output: Path = typer.Option(..., "-o", "--output", help="The file to write.", dir_okay=False),
        fmt: str | None = typer.Option(None, "--format", help="md, html, xlsx or json (default: from -o's suffix)."),
        progress: Path | None = PROGRESS,
        event: list[str] = EVENT,
        plan_file: list[Path] = PLAN_FILE,
        backend: str = BACKEND,
    ) -> None:
        """The weekly progress report of a body on a plan, in Vietnamese: its tasks (led,
        coordinated or inherited), their status, what was done that week, what is late, what
        falls due next week, and where it reports."""
        from .queries.report import weekly_report
        from .viz.report import FORMATS, write_report

        if fmt is not None and fmt not in FORMATS:
            raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
        d = parse_date(week_of, "--week-of")
        assert d is not None
        _, G = _tgt(backend, plan_file)
        path = _progress_path(progress)
        r = weekly_report(
            G, _records(G, path), plan=plan, body=body, week_of=d, events=_events(event), records_from=str(path or "")
        )
        got = write_report(r, output, fmt)
        typer.echo(
            f"wrote {output} ({got}): {r.body}, {r.period.lower()}: {len(r.tasks)} task(s), "
            f"{len(r.done)} record(s) this week, {len(r.late)} late, {len(r.due_next_week)} due next week"
        )
