"""``orgraph convert``: old addresses to the new commune and province, one or a whole CSV."""

from __future__ import annotations

import signal
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ..graph.errors import AmbiguousUnitError, DataError, UnknownUnitError
from ..graph.i18n import Message, say
from ..graph.i18n import t as tr
from ..graph.model import OLD_MAP_DATE
from ._common import Backend, BackendName, Json, backend_for, date_option, emit, state, sub_app

__all__ = ["app"]

app = sub_app()


def _conversion_text(c: Any) -> str:
    if c.status == "unmatched" or not c.old_commune:
        return "\n".join(
            [
                f"{tr(c.status)}: {say(c.note)}",
                *(["  " + tr("candidates: {x}", x=c.candidates)] if c.candidates else []),
            ]
        )
    lines = [f"{c.old_commune}, {c.old_district}, {c.old_province} [{c.old_commune_code}]".strip(", ")]
    if c.street:
        lines[0] = f"{c.street}; {lines[0]}"
    if c.new_commune:
        lines.append(f"→ {c.new_commune}, {c.new_province} [{c.new_commune_code}]  ({tr(c.status)})")
    else:
        lines.append(f"→ ({tr(c.status)})")
    if c.candidates:
        lines.append("  " + tr("candidates: {x}", x=c.candidates))
    if c.legal_basis:
        lines.append("  " + tr("legal basis: {x}", x=c.legal_basis))
    if c.new_address:
        lines.append("  " + tr("new address: {x}", x=c.new_address))
    if c.note:
        lines.append("  " + tr("note: {note}", note=say(c.note)))
    return "\n".join(lines)


def _bulk_text(s: dict[str, Any]) -> str:
    status = ", ".join(f"{tr(k)} {v:,}" for k, v in sorted(s["status"].items()))
    return tr("wrote {n:,} rows to {path}: {status}", n=s["rows"], path=s["output"], status=status)


def _convert_file(G: Any, input: Path, output: Path, *, on: date | None, as_of: date) -> dict[str, Any]:
    """Convert a CSV, with a progress bar over the bytes read on stderr; the summary of what
    was written."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from ..queries import convert_csv

    def terminated(signum: int, frame: Any) -> None:  # SIGTERM: unwind, so the temp file goes
        raise SystemExit(128 + signum)

    try:
        old_term = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread
        old_term = None
    try:
        columns = (TextColumn("converting"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
        with Progress(
            *columns, console=Console(file=sys.stderr), transient=True, disable=not sys.stderr.isatty()
        ) as bar:
            task = bar.add_task("convert", total=input.stat().st_size)
            counts = convert_csv(G, input, output, on=on, as_of=as_of, progress=lambda n: bar.advance(task, n))
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    return {"input": str(input), "output": str(output), "rows": sum(counts.values()), "status": counts}


@app.command()
def convert(
    ctx: typer.Context,
    address: Annotated[
        str,
        typer.Option("--address", "-a", help='A whole old address, e.g. "123 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM".'),
    ] = "",
    province: Annotated[str, typer.Option("--province", help="Old province name.")] = "",
    district: Annotated[str, typer.Option("--district", help="Old district name.")] = "",
    commune: Annotated[str, typer.Option("--commune", help="Old commune (xã/phường/thị trấn) name.")] = "",
    code: Annotated[str, typer.Option("--code", help="Old commune GSO code instead of names.")] = "",
    input: Annotated[Path | None, typer.Option("--input", "-i", help="CSV of old addresses.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the converted CSV.")] = None,
    on: Annotated[
        date | None,
        date_option("--on", help="Convert to the units live on this date (default today)."),
    ] = None,
    as_of: Annotated[date, date_option("--as-of", help="Date the old address was valid.")] = OLD_MAP_DATE,
    lat: Annotated[
        float | None, typer.Option("--lat", help="The address's latitude: a split commune's nearest successor.")
    ] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="The address's longitude (with --lat).")] = None,
    as_json: Json = False,
    backend: Backend = BackendName.networkx,
) -> None:
    """Convert old addresses to the new commune and province.

    One address as free text with --address, or by its parts with --province/--district/--commune,
    or by --code; a whole CSV with --input and --output (an address column, or columns province,
    district, commune, or code; every row kept, unmatched or ambiguous rows flagged in a status
    column). A single unmatched address exits 3, an ambiguous one 4. With --lat/--lon (or lat
    and lon columns), a commune split between several successors answers with the one whose
    point is nearest, and says so."""
    if input is not None:
        if output is None:
            raise typer.BadParameter(Message("--input needs --output"), param_hint="--output")
        if not input.is_file():
            raise DataError(
                str(input), None, "cannot read: " + ("a folder, not a file" if input.is_dir() else "no such file")
            )
        summary = _convert_file(state(ctx).graph(), input, output, on=on, as_of=as_of)
        emit(summary, as_json, _bulk_text)
        return
    if not (address.strip() or commune or code):
        raise typer.BadParameter(
            Message("give --address, --commune (with --district, --province) or --code, or --input")
        )
    if address.strip() and (commune or code or district or province):
        raise typer.BadParameter(Message("give either --address or the address's parts, not both"))
    point: dict[str, float] = {}
    if lat is not None or lon is not None:
        from ..queries.convert import check_point

        check_point(lat, lon)
        point = {"lat": lat, "lon": lon}  # type: ignore[dict-item]  # both checked above
    be = backend_for(ctx, backend)
    c = be.convert(
        province=province,
        district=district,
        commune=commune,
        code=code,
        address=address,
        on=on,
        as_of=as_of,
        **point,
    )
    emit(c, as_json, _conversion_text)
    if c.status in ("unmatched", "ambiguous"):  # the answer is printed; the error line and code say it failed
        typer.echo(tr("error: {message}", message=f"{tr(c.status)}: {' '.join(say(c.note).split())}"), err=True)
        raise typer.Exit((UnknownUnitError if c.status == "unmatched" else AmbiguousUnitError).exit_code)
