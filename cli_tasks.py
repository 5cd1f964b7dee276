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


def register(app: typer.Typer, guard: Callable) -> None:  # noqa: C901 - one place for the commands
    from .cli import BACKEND, JSON, emit, parse_date

    PLAN_FILE = typer.Option(None, "--plan-file", help="Also load this plan file (YAML or CSV).")

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
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """The plans' tasks with lead, coordinators, deadline and status."""
        mod, G = _tgt(backend, plan_file)
        res = mod.tasks(G, plan=plan, on=parse_date(on))
        emit(res, as_json, lambda ts: "\n\n".join(_task_text(t) for t in ts))

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
        plan_file: list[Path] = PLAN_FILE,
        as_json: bool = JSON,
        backend: str = BACKEND,
    ) -> None:
        """Every open task has one live lead; integrity rules hold. Exits 1 if not."""
        mod, G = _tgt(backend, plan_file)
        v = mod.validate(G, on=parse_date(on))

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
