"""Units over time: ``find``, ``successors``, ``predecessors``, ``lineage``, ``snapshot``,
``diff``, ``export`` and ``tour``. Each parses its arguments, asks the backend one question
and prints the answer (or ``--json``)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..graph import i18n
from ..graph.errors import UnknownUnitError
from ..graph.i18n import Message, language
from ..graph.i18n import t as tr
from ..graph.model import REFORM_DATE, Kind
from ..queries.succession import say
from ._common import (
    Backend,
    BackendName,
    Json,
    KindOpt,
    On,
    backend_for,
    choice,
    date_argument,
    date_option,
    emit,
    kind_option,
    kind_value,
    state,
    sub_app,
)

__all__ = ["app", "succession_text"]

app = sub_app()

Unit = Annotated[str, typer.Argument(help="Name (with qualifiers), code or id.")]
Listing = Annotated[bool, typer.Option("--list", help="List the units too.")]


# ---------------------------------------------------------------- text
def _resolution_lines(r: Any) -> list[str]:
    """How the name was read, and the other units it matched (with ids)."""
    lines = [tr("note: {note}", note=i18n.say(r.note))] if r.note else []
    if r.alternatives:
        lines.append(tr("also matches (ask by id for one of these):"))
        lines.extend(f"  - {a.label()}" for a in r.alternatives)
    return lines


def succession_text(s: Any) -> str:
    message = s.message if language() == "en" else say(s.direction, s.status, s.unit, s.on, s.units)
    lines = [s.unit.label(), tr("on {date}: {message}", date=s.on.isoformat(), message=message)]
    for x in s.units:
        flags = [tr(x.portion)]
        if x.portion == "part":
            flags.append(tr("default") if x.default else tr("not default"))
        where = f", {x.province}" if x.province and x.province not in (x.unit.parents or ("",))[-1] else ""
        code = f" [{x.unit.code}]" if x.unit.code else ""
        lines.append(f"  * {x.unit.name}{where}{code} ({', '.join(flags)}; id {x.unit.id})")
        for h in x.path:
            lines.append(f"      {h.label()}")
    return "\n".join(lines + _resolution_lines(s))


def _lineage_text(lin: Any) -> str:
    lines = [lin.unit.label()]
    names = {u.id: u.name for u in (lin.unit, *lin.ancestors, *lin.descendants)}
    if not lin.hops:
        lines.append("  " + tr("no change events recorded for this unit"))
    for h in lin.hops:
        part = "" if h.portion == "whole" else f" ({tr(h.portion)}{', ' + tr('default') if h.default else ''})"
        lines.append(f"  {names.get(h.from_unit, h.from_unit)} → {names.get(h.to_unit, h.to_unit)}{part}: {h.label()}")
    return "\n".join(lines + _resolution_lines(lin))


def _snapshot_text(s: Any) -> str:
    lines = [tr("on {date}:", date=s.on.isoformat())]
    for k, n in s.by_kind.items():
        types = ", ".join(f"{t} {c:,}" for t, c in s.by_type[k].items())
        lines.append(f"  {tr(k):17} {n:6,}  ({types})")
    if s.bodies:
        lines.append("  " + tr("bodies:"))
    for k, n in s.bodies.items():
        levels = ", ".join(f"{tr(lv)} {c:,}" for lv, c in s.bodies_by_level[k].items())
        lines.append(f"  {tr(k.replace('_', ' ')):17} {n:6,}  ({levels})")
    lines.extend(f"  {u.kind:9} {u.label()}" for u in s.units)
    return "\n".join(lines)


def _diff_text(d: Any) -> str:
    def counts(c: Any) -> str:
        return ", ".join(f"{tr(str(k).replace('_', ' '))} {v:,}" for k, v in c.items()) or tr("nothing")

    lines = [tr("from {start} to {end}:", start=d.start.isoformat(), end=d.end.isoformat())]
    lines.append("  " + tr("ended:  {counts}", counts=counts(d.ended)))
    lines.append("  " + tr("began:  {counts}", counts=counts(d.began)))
    lines.append("  " + tr("events: {counts}", counts=counts(d.events)))
    if d.bodies_ended or d.bodies_began or d.body_events:
        lines.append("  " + tr("bodies ended:  {counts}", counts=counts(d.bodies_ended)))
        lines.append("  " + tr("bodies began:  {counts}", counts=counts(d.bodies_began)))
        lines.append("  " + tr("body events:   {counts}", counts=counts(d.body_events)))
    lines.extend(f"  - {u.label()}" for u in d.ended_units)
    lines.extend(f"  + {u.label()}" for u in d.began_units)
    return "\n".join(lines)


# ---------------------------------------------------------------- commands
@app.command()
def find(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='A name, code or id, e.g. "dien bien" or "P. Điện Biên, Q. Ba Đình".')],
    on: On = None,
    kind: Annotated[Kind | None, kind_option("province, district, commune, …")] = None,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Every unit or body of that name, at any date, with its kind, code, dates and parent."""
    be = backend_for(ctx, backend, name)
    hits = be.find(name, on=on, kind=kind_value(kind))
    if not hits:
        raise UnknownUnitError(name, be.suggestions(name))  # from the same backend
    emit(hits, as_json, lambda hs: "\n".join(f"{tr(h.kind.replace('_', ' ')):9} {h.type:12} {h.label()}" for h in hs))


@app.command()
def successors(
    ctx: typer.Context,
    unit: Unit,
    on: On = None,
    kind: KindOpt = None,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """What a unit had become by a date (default: when it ended), following all waves.

    A name matching several units answers for the one that ended (a province before a
    district before a commune); the others are listed as alternatives."""
    be = backend_for(ctx, backend, unit)
    emit(be.successors(unit, on=on, kind=kind_value(kind)), as_json, succession_text)


@app.command()
def predecessors(
    ctx: typer.Context,
    unit: Unit,
    on: On = None,
    kind: KindOpt = None,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """What a unit was made of: the units live on a date (default: the day before it began).

    A name matching several units answers for the newest that has predecessors; the others
    are listed as alternatives."""
    be = backend_for(ctx, backend, unit)
    emit(be.predecessors(unit, on=on, kind=kind_value(kind)), as_json, succession_text)


@app.command()
def lineage(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="Name, code or id.")],
    kind: KindOpt = None,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """The whole chain both ways; each hop with its event type, date and legal basis."""
    be = backend_for(ctx, backend, unit)
    emit(be.lineage(unit, kind=kind_value(kind)), as_json, _lineage_text)


# snapshot and diff check the date's horizon for the kind asked (the kind's own horizon)


@app.command()
def snapshot(
    ctx: typer.Context,
    on: Annotated[date, date_option("--on", help="Date, YYYY-MM-DD.", horizon=False)],
    kind: Annotated[Kind | None, kind_option("Only this kind.")] = None,
    list_units: Listing = False,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Counts (and with --list, the units) by kind and type on a date: territories, then bodies."""
    k = kind_value(kind)
    state(ctx).check_horizon(on, k)
    be = backend_for(ctx, backend, full=True)
    emit(be.snapshot(on=on, kind=k, listing=list_units), as_json, _snapshot_text)


@app.command()
def diff(
    ctx: typer.Context,
    start: Annotated[date, date_argument(help="First date.", horizon=False)],
    end: Annotated[date, date_argument(help="Second date.", horizon=False)],
    kind: Annotated[Kind | None, kind_option("Only this kind.")] = None,
    list_units: Listing = False,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """What changed between two dates: units ended, units begun, events by type; territories,
    then bodies."""
    k = kind_value(kind)
    state(ctx).check_horizon(start, k)
    state(ctx).check_horizon(end, k)
    be = backend_for(ctx, backend, full=True)
    emit(be.diff(start, end, kind=k, listing=list_units), as_json, _diff_text)


class ExportFormat(StrEnum):
    node_link = "node-link"
    graphml = "graphml"
    crosswalk = "crosswalk"
    turtle = "turtle"
    geojson = "geojson"
    tasks = "tasks"


_parse_format = choice(ExportFormat, "FMT", lambda v: f"choose {', '.join(f.value for f in ExportFormat)}")


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Argument(
            parser=_parse_format, metavar="FMT", help="node-link, graphml, crosswalk, turtle, geojson or tasks"
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    on: Annotated[
        date | None,
        date_option("--on", help="crosswalk, geojson, tasks: on this date (2025-07-01)."),
    ] = None,
    plan_file: Annotated[
        list[Path], typer.Option("--plan-file", help="turtle, tasks: also a plan file of yours (repeatable).")
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    kind: Annotated[Kind | None, kind_option("geojson: only units of this kind (province, commune…).")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="tasks: only this plan's tasks.")] = None,
    table_format: Annotated[str, typer.Option("--format", help="tasks: the table's format (xlsx).")] = "xlsx",
) -> None:
    """Export the whole graph (node-link JSON, GraphML), the old → new commune crosswalk (CSV),
    the graph with its bodies and tasks as Linked Data (Turtle, W3C Organization Ontology),
    the units live on a date as points (GeoJSON), or the tasks with their current lead,
    status and deadline as an Excel workbook (a sheet per plan)."""
    from ..queries import write_crosswalk, write_graphml, write_node_link

    st = state(ctx)
    dated = (ExportFormat.crosswalk, ExportFormat.geojson, ExportFormat.tasks)
    if on is not None and fmt not in dated:
        raise typer.BadParameter(
            Message("{format} exports the whole graph; --on is for crosswalk, geojson and tasks", format=fmt.value),
            param_hint="--on",
        )
    when = on or REFORM_DATE
    if fmt is ExportFormat.tasks:
        from ..loaders.plans import load_full
        from ..queries.tasks_xlsx import write_tasks_xlsx

        if table_format != "xlsx":
            raise typer.BadParameter(Message("choose xlsx"), param_hint="--format")
        H = load_full(st.data, tuple(str(p) for p in plan_file))
        n = write_tasks_xlsx(H, output, on=when, plan=plan)  # an unknown plan raises before writing
        typer.echo(tr("wrote {n:,} tasks on {date} to {path}", n=n, date=when, path=output))
    elif fmt is ExportFormat.geojson:
        from ..queries.geo import write_geojson

        n = write_geojson(st.graph(), output, on=when, kind=kind_value(kind))
        typer.echo(tr("wrote {n:,} units live on {date} to {path}", n=n, date=when, path=output))
    elif fmt is ExportFormat.turtle:
        from ..queries.rdf import write_turtle

        n = write_turtle(st.graph(full=True, plans=plan_file), output)
        typer.echo(tr("wrote {n:,} lines of Turtle to {path}", n=n, path=output))
    elif fmt is ExportFormat.crosswalk:
        n = write_crosswalk(st.graph(), output, on=when)
        typer.echo(tr("wrote {n:,} crosswalk rows to {path}", n=n, path=output))
    else:
        (write_node_link if fmt is ExportFormat.node_link else write_graphml)(st.graph(), output)
        typer.echo(tr("wrote {path}", path=output))


@app.command()
def tour(ctx: typer.Context) -> None:
    """The main job on the embedded national data: the country before and after 1 July 2025,
    what new Hưng Yên was made of, and what a few old communes became."""
    from ..queries.tour import tour as take_tour

    t = take_tour(state(ctx).graph())
    plural = {"province": "{n:,} provinces", "district": "{n:,} districts", "commune": "{n:,} communes"}
    for s in t.snapshots:
        typer.echo(
            f"{s.on.isoformat()}: "
            + ", ".join(
                (tr(plural[k], n=n) if k in plural else f"{n:,} {k}s")
                + f" ({', '.join(f'{c:,} {t}' for t, c in s.by_type[k].items())})"
                for k, n in s.by_kind.items()
            )
        )
    typer.echo("")
    facts = []
    if t.area_km2:
        facts.append(f"{t.area_km2:,} km²")
    if t.population:
        facts.append(tr("{n:,} people", n=t.population))
    typer.echo(
        tr(
            "New {province} ({facts}), {n} communes, made of:",
            province=t.province,
            facts=", ".join(facts) or tr("no figures recorded"),
            n=t.communes,
        )
    )
    for x in t.made_of.units:
        typer.echo(f"  {x.unit.name} [{x.unit.code}] — {x.path[0].label() if x.path else ''}")
    typer.echo("")
    for became in t.became:
        typer.echo(succession_text(became))
        typer.echo("")
    typer.echo(tr("Try: {commands}", commands='orgraph find "dien bien"; orgraph convert --help; orgraph --help'))
