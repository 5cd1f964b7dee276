"""``orgraph viz ...``: write interactive pictures as self-contained HTML pages.

Each command resolves its names, builds the picture's data with one function of
:mod:`orgraph.viz.model`, writes the page with :func:`orgraph.viz.render.write_html` and
prints the path.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..graph.model import Kind
from ._common import (
    PlanFile,
    Progress,
    choice,
    choices,
    date_argument,
    date_option,
    progress_path,
    progress_records,
    state,
    sub_app,
)

__all__ = ["app"]

app = sub_app("viz", "Interactive pictures (one HTML file each, works offline).")

Out = Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.", dir_okay=False)]


class Layout(StrEnum):
    columns = "columns"
    map = "map"


_parse_layout = choice(Layout, "--layout", lambda v: "choose columns or map", fold=True)


def _write(picture: Any, output: Path) -> None:
    from ..viz.render import write_html

    path = write_html(picture, output)
    typer.echo(f"wrote {path} ({len(picture.nodes):,} nodes, {len(picture.edges):,} edges): {picture.title}")


@app.command()
def province(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='A province, e.g. "Hưng Yên".')],
    output: Out,
    on: Annotated[
        date | None,
        date_option(
            "--on", help="Show the change in force on this date (YYYY-MM-DD); default: the latest.", horizon=False
        ),
    ] = None,
    layout: Annotated[
        Layout,
        typer.Option(
            "--layout",
            parser=_parse_layout,
            metavar=choices(Layout),
            help="columns (old left, new right) or map (each unit at its point).",
        ),
    ] = Layout.columns,
) -> None:
    """Old provinces, districts and communes → the new units, with their events."""
    from ..queries import resolve
    from ..viz.model import province_picture

    G = state(ctx).graph()
    uid = resolve(G, name, on=on or date.today(), kind=Kind.PROVINCE)
    picture = province_picture(G, uid, on=on)
    if layout is Layout.map:
        from ..viz.geo_layout import map_layout

        picture = map_layout(G, picture)
    _write(picture, output)


@app.command()
def unit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='A unit, e.g. "Phường Điện Biên, Ba Đình, Hà Nội".')],
    output: Out,
) -> None:
    """One unit's (or body's) lineage, both directions."""
    from ..queries import resolve
    from ..viz.model import unit_picture

    G = state(ctx).graph(name)
    _write(unit_picture(G, resolve(G, name, chain_ok=True)), output)


@app.command()
def country(
    ctx: typer.Context,
    output: Out,
    on: Annotated[
        date | None, date_option("--on", help="Date (YYYY-MM-DD); default: the latest.", horizon=False)
    ] = None,
) -> None:
    """The provinces before and after, summarised with their counts."""
    from ..viz.model import country_picture

    _write(country_picture(state(ctx).graph(), on=on), output)


@app.command()
def tasks(
    ctx: typer.Context,
    plan: Annotated[str, typer.Option("--plan", help="Plan id, e.g. 47-KH/BCĐ.")],
    on: Annotated[date, date_option("--on", help="Date (YYYY-MM-DD).", horizon=False)],
    output: Out,
    plan_file: PlanFile = [],  # noqa: B006 - typer reads the default, never mutates it
    progress: Progress = None,
) -> None:
    """A plan's tasks over the bodies that lead them on the date, coloured done, in
    progress, open or overdue; --on moves the picture through time."""
    from ..viz.model import tasks_picture

    G = state(ctx).graph(full=True, plans=plan_file)
    _write(tasks_picture(G, plan=plan, on=on, records=progress_records(G, progress_path(progress))), output)


@app.command()
def diff(
    ctx: typer.Context,
    start: Annotated[date, date_argument(help="First date (YYYY-MM-DD).", horizon=False)],
    end: Annotated[date, date_argument(help="Second date (YYYY-MM-DD).", horizon=False)],
    province: Annotated[str, typer.Option("--province", help='A province, e.g. "Hưng Yên".')],
    output: Out,
) -> None:
    """What changed in a province between two dates."""
    from ..queries import resolve
    from ..viz.model import diff_picture

    G = state(ctx).graph()
    uid = resolve(G, province, on=max(start, end), kind=Kind.PROVINCE)
    _write(diff_picture(G, start, end, province=uid), output)
