"""``orgraph viz ...``: write interactive pictures as self-contained HTML pages.

Each command resolves its names, builds the picture's data with one function of
:mod:`orgraph.viz.model`, writes the page with :func:`orgraph.viz.render.write_html` and
prints the path. Errors are :class:`~orgraph.graph.errors.OrgraphError`; the main command
turns them into one line.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer

__all__ = ["app"]

app = typer.Typer(
    name="viz",
    help="Interactive pictures (one HTML file each, works offline).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OUT = typer.Option(..., "-o", "--output", help="The HTML file to write.", dir_okay=False)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"expected a date like 2025-07-01, got {value!r}", param_hint=option) from None


def _extra() -> tuple[str, ...]:
    """Extra dataset files given to the main command (``orgraph --data ...``), if any."""
    cli = sys.modules.get("orgraph.cli")
    state = getattr(cli, "_state", None) or {}
    return tuple(state.get("data", ()))


def _graph(*names: str) -> Any:
    """The embedded graph; with every body if one of ``names`` may name a body."""
    from .loaders.dataset import load_graph

    return load_graph(_extra(), names=names)


def _write(picture: Any, output: Path) -> None:
    from .viz.render import write_html

    path = write_html(picture, output)
    typer.echo(f"wrote {path} ({len(picture.nodes):,} nodes, {len(picture.edges):,} edges): {picture.title}")


@app.command()
def province(
    name: str = typer.Argument(..., help='A province, e.g. "Hưng Yên".'),
    output: Path = OUT,
    on: str | None = typer.Option(
        None,
        "--on",
        help="Show the change in force on this date (YYYY-MM-DD); default: the latest.",
    ),
    layout: str = typer.Option(
        "columns", "--layout", help="columns (old left, new right) or map (each unit at its point)."
    ),
) -> None:
    """Old provinces, districts and communes → the new units, with their events."""
    from .graph.model import Kind
    from .queries import resolve
    from .viz.model import province_picture

    if layout not in ("columns", "map"):
        raise typer.BadParameter("choose columns or map", param_hint="--layout")
    G = _graph()
    when = _date(on, "--on")
    uid = resolve(G, name, on=when or date.today(), kind=Kind.PROVINCE)
    picture = province_picture(G, uid, on=when)
    if layout == "map":
        from .viz.geo_layout import map_layout

        picture = map_layout(G, picture)
    _write(picture, output)


@app.command()
def unit(
    name: str = typer.Argument(..., help='A unit, e.g. "Phường Điện Biên, Ba Đình, Hà Nội".'),
    output: Path = OUT,
) -> None:
    """One unit's (or body's) lineage, both directions."""
    from .queries import resolve
    from .viz.model import unit_picture

    G = _graph(name)
    _write(unit_picture(G, resolve(G, name, chain_ok=True)), output)


@app.command()
def country(
    output: Path = OUT,
    on: str | None = typer.Option(None, "--on", help="Date (YYYY-MM-DD); default: the latest."),
) -> None:
    """The provinces before and after, summarised with their counts."""
    from .viz.model import country_picture

    _write(country_picture(_graph(), on=_date(on, "--on")), output)


@app.command()
def tasks(
    plan: str = typer.Option(..., "--plan", help="Plan id, e.g. 47-KH/BCĐ."),
    on: str = typer.Option(..., "--on", help="Date (YYYY-MM-DD)."),
    output: Path = OUT,
    plan_file: list[Path] = typer.Option(  # noqa: B008 - typer's idiom
        [], "--plan-file", help="Also load this plan file (YAML or CSV)."
    ),
    progress: Path | None = typer.Option(
        None, "--progress", help="Progress records (CSV or .xlsx); default: progress.csv here, if there is one."
    ),
) -> None:
    """A plan's tasks over the bodies that lead them on the date, coloured done, in
    progress, open or overdue; --on moves the picture through time."""
    from .cli_tasks import _progress_path, _records
    from .loaders.plans import load_full
    from .viz.model import tasks_picture

    G = load_full(_extra(), tuple(str(p) for p in plan_file))
    when = _date(on, "--on")
    assert when is not None
    _write(tasks_picture(G, plan=plan, on=when, records=_records(G, _progress_path(progress))), output)


@app.command()
def diff(
    start: str = typer.Argument(..., help="First date (YYYY-MM-DD)."),
    end: str = typer.Argument(..., help="Second date (YYYY-MM-DD)."),
    province: str = typer.Option(..., "--province", help='A province, e.g. "Hưng Yên".'),
    output: Path = OUT,
) -> None:
    """What changed in a province between two dates."""
    from .graph.model import Kind
    from .queries import resolve
    from .viz.model import diff_picture

    G = _graph()
    d1, d2 = _date(start, "START"), _date(end, "END")
    assert d1 is not None and d2 is not None
    uid = resolve(G, province, on=max(d1, d2), kind=Kind.PROVINCE)
    _write(diff_picture(G, d1, d2, province=uid), output)
