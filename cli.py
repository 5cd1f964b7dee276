"""The ``orgraph`` command: a thin layer over the library. Each command parses its arguments,
calls one library function, and prints text (or ``--json``)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import typer

from .graph.errors import OrgraphError
from .queries.results import jsonable

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="orgraph",
    help="Vietnam's 2025 local-government reorganisation as one graph over time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

_state: dict[str, Any] = {"data": []}


def guard(fn: F) -> F:
    """Turn OrgraphError into one line on stderr and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except OrgraphError as e:
            typer.echo(f"error: {e.one_line()}", err=True)
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise
        except OSError as e:  # a file the user named could not be read or written
            where = f"{e.filename}: " if e.filename else ""
            typer.echo(f"error: {where}{' '.join(str(e.strerror or e).split())}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


LAST_DATE = date(2999, 12, 31)


def parse_date(value: str | None, option: str = "--on", *, kind: str | None = None) -> date | None:
    if value is None:
        return None
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"expected a date like 2025-07-01, got {value!r}", param_hint=option) from None
    if d > LAST_DATE:
        # deadlines and weekly reports are computed a few weeks past the date asked; the
        # server takes the same range
        raise typer.BadParameter(
            f"dates after {LAST_DATE.isoformat()} are not supported, got {value!r}", param_hint=option
        )
    _check_horizon(d, kind)
    return d


def _check_horizon(d: date, kind: str | None) -> None:
    """A date before the data is complete exits 2, on every backend (never the 2025 picture
    presented as another date's)."""
    from .graph.build import check_horizon
    from .loaders.dataset import _national_path, read_horizon

    check_horizon(read_horizon([_national_path(), *_state["data"]]), d, kind=kind)


def parse_kind(value: str | None) -> str | None:
    """``--kind``: one of the unit kinds (graph/model.py's Kind), or a one-line error."""
    from .graph.model import Kind

    if value is None:
        return None
    try:
        return Kind(value.strip().lower()).value
    except ValueError:
        raise typer.BadParameter(
            f"unknown kind {value!r}; choose one of: {', '.join(k.value for k in Kind)}", param_hint="--kind"
        ) from None


def _graph(*names: str, full: bool = False) -> Any:
    """The embedded graph: with every body when ``full`` or when one of ``names`` may name
    a body (otherwise its territorial part, which answers about territories alike)."""
    from .loaders.dataset import load_graph

    return load_graph(tuple(_state["data"]), names=names, full=full)


def _target(backend: str, *names: str, full: bool = False) -> tuple[Any, Any]:
    """(module with the query functions, the graph or backend handle) for ``--backend``."""
    if backend == "networkx":
        from . import queries

        return queries, _graph(*names, full=full)
    if backend == "neo4j":
        import atexit

        from . import cli_neo4j
        from .queries import neo4j as neo

        ng = cli_neo4j.open_backend()
        atexit.register(ng.close)
        return neo, ng
    raise typer.BadParameter("choose networkx or neo4j", param_hint="--backend")


def emit(result: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        typer.echo(json.dumps(jsonable(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(text(result))


JSON = typer.Option(False, "--json", help="Print the answer as JSON for programs.")
BACKEND = typer.Option("networkx", "--backend", help="networkx (embedded) or neo4j (NEO4J_URI).")
ON = typer.Option(None, "--on", help="Date, YYYY-MM-DD.")
KIND = typer.Option(None, "--kind", help="Only units of this kind: province, district, commune, …")


@app.callback()
def _main(
    data: list[Path] = typer.Option(
        [], "--data", help="Extra dataset file(s) in orgraph's format (later waves, corrections)."
    ),
) -> None:
    """Ask what an old unit became, what a new one was made of, on any date; convert old
    addresses; check the plans' tasks still have a live lead."""
    _state["data"] = [str(p) for p in data]


# ---------------------------------------------------------------- text renderers
def _resolution_lines(r: Any) -> list[str]:
    """How the name was read, and the other units it matched (with ids)."""
    lines = [f"note: {r.note}"] if r.note else []
    if r.alternatives:
        lines.append("also matches (ask by id for one of these):")
        lines.extend(f"  - {a.label()}" for a in r.alternatives)
    return lines


def _succession_text(s: Any) -> str:
    lines = [s.unit.label(), f"on {s.on.isoformat()}: {s.message}"]
    for x in s.units:
        flags = [x.portion]
        if x.portion == "part":
            flags.append("default" if x.default else "not default")
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
        lines.append("  no change events recorded for this unit")
    for h in lin.hops:
        part = "" if h.portion == "whole" else f" ({h.portion}{', default' if h.default else ''})"
        lines.append(f"  {names.get(h.from_unit, h.from_unit)} → {names.get(h.to_unit, h.to_unit)}{part}: {h.label()}")
    return "\n".join(lines + _resolution_lines(lin))


# ---------------------------------------------------------------- commands
@app.command()
@guard
def find(
    name: str = typer.Argument(..., help='A name, code or id, e.g. "dien bien" or "P. Điện Biên, Q. Ba Đình".'),
    on: str | None = ON,
    kind: str | None = typer.Option(None, "--kind", help="province, district, commune, …"),
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """Every unit or body of that name, at any date, with its kind, code, dates and parent."""
    mod, G = _target(backend, name)
    hits = mod.find(G, name, on=parse_date(on), kind=parse_kind(kind))
    if not hits:
        from .graph.errors import UnknownUnitError

        raise UnknownUnitError(name, mod.suggestions(G, name))  # from the same backend
    emit(hits, as_json, lambda hs: "\n".join(f"{h.kind:9} {h.type:12} {h.label()}" for h in hs))


@app.command()
@guard
def successors(
    unit: str = typer.Argument(..., help="Name (with qualifiers), code or id."),
    on: str | None = ON,
    kind: str | None = KIND,
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """What a unit had become by a date (default: when it ended), following all waves.

    A name matching several units answers for the one that ended (a province before a
    district before a commune); the others are listed as alternatives."""
    mod, G = _target(backend, unit)
    emit(mod.successors(G, unit, on=parse_date(on), kind=parse_kind(kind)), as_json, _succession_text)


@app.command()
@guard
def predecessors(
    unit: str = typer.Argument(..., help="Name (with qualifiers), code or id."),
    on: str | None = ON,
    kind: str | None = KIND,
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """What a unit was made of: the units live on a date (default: the day before it began).

    A name matching several units answers for the newest that has predecessors; the others
    are listed as alternatives."""
    mod, G = _target(backend, unit)
    emit(mod.predecessors(G, unit, on=parse_date(on), kind=parse_kind(kind)), as_json, _succession_text)


@app.command()
@guard
def lineage(
    unit: str = typer.Argument(..., help="Name, code or id."),
    kind: str | None = KIND,
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """The whole chain both ways; each hop with its event type, date and legal basis."""
    mod, G = _target(backend, unit)
    emit(mod.lineage(G, unit, kind=parse_kind(kind)), as_json, _lineage_text)


def _conversion_text(c: Any) -> str:
    if c.status == "unmatched" or not c.old_commune:
        return "\n".join([f"{c.status}: {c.note}", *(["  candidates: " + c.candidates] if c.candidates else [])])
    lines = [f"{c.old_commune}, {c.old_district}, {c.old_province} [{c.old_commune_code}]".strip(", ")]
    if c.street:
        lines[0] = f"{c.street}; {lines[0]}"
    if c.new_commune:
        lines.append(f"→ {c.new_commune}, {c.new_province} [{c.new_commune_code}]  ({c.status})")
    else:
        lines.append(f"→ ({c.status})")
    if c.candidates:
        lines.append("  candidates: " + c.candidates)
    if c.legal_basis:
        lines.append("  legal basis: " + c.legal_basis)
    if c.new_address:
        lines.append("  new address: " + c.new_address)
    if c.note:
        lines.append("  note: " + c.note)
    return "\n".join(lines)


@app.command()
@guard
def convert(
    address: str = typer.Option(
        "", "--address", "-a", help='A whole old address, e.g. "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM".'
    ),
    province: str = typer.Option("", "--province", help="Old province name."),
    district: str = typer.Option("", "--district", help="Old district name."),
    commune: str = typer.Option("", "--commune", help="Old commune (xã/phường/thị trấn) name."),
    code: str = typer.Option("", "--code", help="Old commune GSO code instead of names."),
    input: Path | None = typer.Option(None, "--input", "-i", help="CSV of old addresses."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Where to write the converted CSV."),
    on: str | None = typer.Option(None, "--on", help="Convert to the units live on this date (default today)."),
    as_of: str = typer.Option("2025-06-30", "--as-of", help="Date the old address was valid."),
    lat: float | None = typer.Option(
        None, "--lat", help="The address's latitude: a split commune's nearest successor."
    ),
    lon: float | None = typer.Option(None, "--lon", help="The address's longitude (with --lat)."),
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """Convert old addresses to the new commune and province.

    One address as free text with --address, or by its parts with --province/--district/--commune,
    or by --code; a whole CSV with --input and --output (an address column, or columns province,
    district, commune, or code; every row kept, unmatched or ambiguous rows flagged in a status
    column). A single unmatched address exits 3, an ambiguous one 4. With --lat/--lon (or lat
    and lon columns), a commune split between several successors answers with the one whose
    point is nearest, and says so."""
    target_on, old_on = parse_date(on), parse_date(as_of, "--as-of")
    assert old_on is not None
    if input is not None:
        if output is None:
            raise typer.BadParameter("--input needs --output", param_hint="--output")
        from .graph.errors import DataError
        from .queries import convert_csv

        if not input.is_file():
            raise DataError(str(input), None, "cannot read: no such file")
        G = _graph()
        with open(input, "rb") as f:  # estimate the rows from the first 64 KB, not a whole pass
            head = f.read(65536)
        per_line = len(head) / max(head.count(b"\n"), 1)
        total = max(int(input.stat().st_size / max(per_line, 1)) - 1, 0)
        import signal

        def terminated(signum: int, frame: Any) -> None:  # SIGTERM: unwind, so the temp file goes
            raise SystemExit(128 + signum)

        try:
            old_term = signal.signal(signal.SIGTERM, terminated)
        except ValueError:  # not the main thread
            old_term = None
        try:
            with typer.progressbar(length=total, label="converting", file=sys.stderr) as bar:
                counts = convert_csv(G, input, output, on=target_on, as_of=old_on, progress=bar.update)
        finally:
            if old_term is not None:
                signal.signal(signal.SIGTERM, old_term)
        summary = {"input": str(input), "output": str(output), "rows": sum(counts.values()), "status": counts}
        emit(
            summary,
            as_json,
            lambda s: (
                f"wrote {s['rows']:,} rows to {s['output']}: "
                + ", ".join(f"{k} {v:,}" for k, v in sorted(s["status"].items()))
            ),
        )
        return
    if not (address.strip() or commune or code):
        raise typer.BadParameter("give --address, --commune (with --district, --province) or --code, or --input")
    if address.strip() and (commune or code or district or province):
        raise typer.BadParameter("give either --address or the address's parts, not both")
    if (lat is not None or lon is not None) and input is None:
        from .queries.convert import check_point

        check_point(lat, lon)
        if backend != "networkx":
            raise typer.BadParameter("--lat/--lon need the embedded graph (--backend networkx)", param_hint="--lat")
    mod, G = _target(backend)
    point = {"lat": lat, "lon": lon} if lat is not None else {}
    c = mod.convert(
        G,
        province=province,
        district=district,
        commune=commune,
        code=code,
        address=address,
        on=target_on,
        as_of=old_on,
        **point,
    )
    emit(c, as_json, _conversion_text)
    if c.status in ("unmatched", "ambiguous"):  # the answer is printed; the error line and code say it failed
        from .graph.errors import AmbiguousUnitError, UnknownUnitError

        typer.echo(f"error: {c.status}: {' '.join(c.note.split())}", err=True)
        raise typer.Exit((UnknownUnitError if c.status == "unmatched" else AmbiguousUnitError).exit_code)


@app.command()
@guard
def snapshot(
    on: str = typer.Option(..., "--on", help="Date, YYYY-MM-DD."),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind."),
    list_units: bool = typer.Option(False, "--list", help="List the units too."),
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """Counts (and with --list, the units) by kind and type on a date: territories, then bodies."""
    mod, G = _target(backend, full=True)
    s = mod.snapshot(G, on=parse_date(on, kind=parse_kind(kind)), kind=parse_kind(kind), listing=list_units)

    def text(s: Any) -> str:
        lines = [f"on {s.on.isoformat()}:"]
        for k, n in s.by_kind.items():
            types = ", ".join(f"{t} {c:,}" for t, c in s.by_type[k].items())
            lines.append(f"  {k:17} {n:6,}  ({types})")
        if s.bodies:
            lines.append("  bodies:")
        for k, n in s.bodies.items():
            levels = ", ".join(f"{lv} {c:,}" for lv, c in s.bodies_by_level[k].items())
            lines.append(f"  {k:17} {n:6,}  ({levels})")
        lines.extend(f"  {u.kind:9} {u.label()}" for u in s.units)
        return "\n".join(lines)

    emit(s, as_json, text)


@app.command()
@guard
def diff(
    start: str = typer.Argument(..., help="First date."),
    end: str = typer.Argument(..., help="Second date."),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind."),
    list_units: bool = typer.Option(False, "--list", help="List the units too."),
    as_json: bool = JSON,
    backend: str = BACKEND,
) -> None:
    """What changed between two dates: units ended, units begun, events by type; territories,
    then bodies."""
    mod, G = _target(backend, full=True)
    k = parse_kind(kind)
    d = mod.diff(G, parse_date(start, "START", kind=k), parse_date(end, "END", kind=k), kind=k, listing=list_units)

    def text(d: Any) -> str:
        lines = [f"from {d.start.isoformat()} to {d.end.isoformat()}:"]
        lines.append("  ended:  " + (", ".join(f"{k} {v:,}" for k, v in d.ended.items()) or "nothing"))
        lines.append("  began:  " + (", ".join(f"{k} {v:,}" for k, v in d.began.items()) or "nothing"))
        lines.append("  events: " + (", ".join(f"{k} {v:,}" for k, v in d.events.items()) or "none"))
        if d.bodies_ended or d.bodies_began or d.body_events:
            lines.append("  bodies ended:  " + (", ".join(f"{k} {v:,}" for k, v in d.bodies_ended.items()) or "none"))
            lines.append("  bodies began:  " + (", ".join(f"{k} {v:,}" for k, v in d.bodies_began.items()) or "none"))
            lines.append("  body events:   " + (", ".join(f"{k} {v:,}" for k, v in d.body_events.items()) or "none"))
        lines.extend(f"  - {u.label()}" for u in d.ended_units)
        lines.extend(f"  + {u.label()}" for u in d.began_units)
        return "\n".join(lines)

    emit(d, as_json, text)


@app.command()
@guard
def export(
    fmt: str = typer.Argument(..., help="node-link, graphml, crosswalk, turtle, geojson or tasks"),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
    on: str | None = typer.Option(None, "--on", help="crosswalk, geojson, tasks: on this date (2025-07-01)."),
    plan_file: list[Path] = typer.Option(
        [], "--plan-file", help="turtle, tasks: also a plan file of yours (repeatable)."
    ),
    kind: str | None = typer.Option(None, "--kind", help="geojson: only units of this kind (province, commune…)."),
    plan: str | None = typer.Option(None, "--plan", help="tasks: only this plan's tasks."),
    table_format: str = typer.Option("xlsx", "--format", help="tasks: the table's format (xlsx)."),
) -> None:
    """Export the whole graph (node-link JSON, GraphML), the old → new commune crosswalk (CSV),
    the graph with its bodies and tasks as Linked Data (Turtle, W3C Organization Ontology),
    the units live on a date as points (GeoJSON), or the tasks with their current lead,
    status and deadline as an Excel workbook (a sheet per plan)."""
    from .queries import write_crosswalk, write_graphml, write_node_link

    when = parse_date(on)
    formats = ("node-link", "graphml", "crosswalk", "turtle", "geojson", "tasks")
    if fmt not in formats:
        raise typer.BadParameter(f"choose {', '.join(formats)}", param_hint="FMT")
    if when is not None and fmt not in ("crosswalk", "geojson", "tasks"):
        raise typer.BadParameter(
            f"{fmt} exports the whole graph; --on is for crosswalk, geojson and tasks", param_hint="--on"
        )
    if fmt == "tasks":
        from .loaders.plans import load_full
        from .queries.tasks_xlsx import write_tasks_xlsx

        if table_format != "xlsx":
            raise typer.BadParameter("choose xlsx", param_hint="--format")
        H = load_full(tuple(_state["data"]), tuple(str(p) for p in plan_file))
        on_ = when or date(2025, 7, 1)
        n = write_tasks_xlsx(H, output, on=on_, plan=plan)  # an unknown plan raises before writing
        typer.echo(f"wrote {n:,} tasks on {on_} to {output}")
        return
    if fmt == "geojson":
        from .queries.geo import write_geojson

        on_ = when or date(2025, 7, 1)
        n = write_geojson(_graph(), output, on=on_, kind=parse_kind(kind))
        typer.echo(f"wrote {n:,} units live on {on_} to {output}")
        return
    if fmt == "turtle":
        from .loaders.plans import load_full
        from .queries.rdf import write_turtle

        H = load_full(tuple(_state["data"]), tuple(str(p) for p in plan_file))
        n = write_turtle(H, output)
        typer.echo(f"wrote {n:,} lines of Turtle to {output}")
        return
    G = _graph()
    if fmt == "node-link":
        write_node_link(G, output)
    elif fmt == "graphml":
        write_graphml(G, output)
    elif fmt == "crosswalk":
        n = write_crosswalk(G, output, on=when or date(2025, 7, 1))
        typer.echo(f"wrote {n:,} crosswalk rows to {output}")
        return
    else:
        raise typer.BadParameter("choose node-link, graphml, crosswalk, turtle or geojson", param_hint="FMT")
    typer.echo(f"wrote {output}")


@app.command()
@guard
def tour() -> None:
    """The main job on the embedded national data: the country before and after 1 July 2025,
    what new Hưng Yên was made of, and what a few old communes became."""
    from . import queries as q

    G = _graph()
    before, after = date(2025, 6, 30), date(2025, 7, 1)
    for d in (before, after):
        s = q.snapshot(G, on=d)
        typer.echo(
            f"{d.isoformat()}: "
            + ", ".join(
                f"{n:,} {k}s ({', '.join(f'{c:,} {t}' for t, c in s.by_type[k].items())})" for k, n in s.by_kind.items()
            )
        )
    typer.echo("")
    hy = q.resolve(G, "Hưng Yên", on=after, kind="province")
    p = q.predecessors(G, hy)
    n_comm = sum(
        1
        for c in q.snapshot(G, on=after, kind="commune", listing=True).units
        if c.parents and "Hưng Yên" in c.parents[-1]
    )
    a = G.nodes[hy]
    facts = []
    if a.get("area_km2"):
        facts.append(f"{a['area_km2']:,} km²")
    if a.get("population"):
        facts.append(f"{a['population']:,} people")
    typer.echo(f"New {a['name']} ({', '.join(facts) or 'no figures recorded'}), {n_comm} communes, made of:")
    for x in p.units:
        typer.echo(f"  {x.unit.name} [{x.unit.code}] — {x.path[0].label() if x.path else ''}")
    typer.echo("")
    for old in (
        "Xã Minh Khai, Hưng Hà, Thái Bình",
        "Phường Điện Biên, Ba Đình, Hà Nội",
        "Phường Bến Nghé, Quận 1, Hồ Chí Minh",
    ):
        typer.echo(_succession_text(q.successors(G, old, on=after)))
        typer.echo("")
    typer.echo('Try: orgraph find "dien bien"; orgraph convert --help; orgraph --help')


def _guard_sub(sub: typer.Typer) -> typer.Typer:
    for cmd in sub.registered_commands:
        if cmd.callback is not None:
            cmd.callback = guard(cmd.callback)
    return sub


def _add_optional_subapps() -> None:
    import importlib

    for mod_name, name in (
        ("orgraph.cli_tasks", None),
        ("orgraph.cli_viz", "viz"),
        ("orgraph.cli_neo4j", "neo4j"),
        ("orgraph.cli_serve", None),
    ):
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith("orgraph"):
                continue
            raise
        if name is None:
            mod.register(app, guard)
        else:
            app.add_typer(_guard_sub(mod.app), name=name)


_add_optional_subapps()


def main(argv: list[str] | None = None) -> int:
    """Entry point: one-line errors, non-zero exits, never a traceback for bad input."""
    try:
        rc = app(args=argv, standalone_mode=False)
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 130
    except typer.TyperException as e:  # usage errors: bad option, missing argument
        typer.echo(f"error: {' '.join(e.format_message().split())}", err=True)
        return e.exit_code
    except OrgraphError as e:
        typer.echo(f"error: {e.one_line()}", err=True)
        return e.exit_code
    except BrokenPipeError:
        return 0
    except ModuleNotFoundError as e:  # an optional extra that is not installed
        extra = {
            "pyvis": "viz",
            "jinja2": "viz",
            "markupsafe": "viz",
            "neo4j": "neo4j",
            **dict.fromkeys(("fastapi", "uvicorn", "starlette", "python_multipart", "fastapi_offline"), "serve"),
        }.get((e.name or "").split(".")[0])
        if extra is None:
            raise
        typer.echo(f"error: this command needs {e.name}: pip install 'orgraph[{extra}]'", err=True)
        return 2
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
