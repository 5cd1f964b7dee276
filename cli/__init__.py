"""The ``orgraph`` command: a thin layer over the library, one typer app per group of
commands (typer's "one file per command group"):

==============  ================================================================
``units``       find, successors, predecessors, lineage, snapshot, diff, export,
                tour
``convert``     convert (one old address, or a CSV of them)
``tasks``       bodies, tasks, inherited, responsibilities, validate, load-plan,
                progress record/load, report
``viz``         viz province/unit/country/tasks/diff
``neo4j``       neo4j push
``serve``       serve
==============  ================================================================

Shared options, types and the context object are in ``_common``; every error becomes one
line and an exit code in ``_errors``. Each command parses its arguments, calls one library
function (through the :class:`~orgraph.queries.backend.Backend` ``--backend`` names), and
prints text or ``--json``.
"""

from __future__ import annotations

import sys
from pathlib import Path as _Path
from typing import Annotated as _Annotated

import typer

from ..graph import i18n
from . import convert, neo4j, serve, tasks, units, viz
from ._common import State as _State
from ._common import _lang_asked
from ._common import sub_app as _sub_app
from ._errors import failure as _failure
from ._errors import usage as _usage

__all__ = ["app", "main", "run"]

app = _sub_app("orgraph", "Vietnam's 2025 local-government reorganisation as one graph over time.")


@app.callback()
def _main(
    ctx: typer.Context,
    data: _Annotated[
        list[_Path],
        typer.Option("--data", help="Extra dataset file(s) in orgraph's format (later waves, corrections)."),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    lang: _Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="ORGRAPH_LANG",
            metavar="[en|vi]",
            help="The language of the text and the pictures (en or vi); --json keys stay as they are.",
        ),
    ] = None,
) -> None:
    """Ask what an old unit became, what a new one was made of, on any date; convert old
    addresses; check the plans' tasks still have a live lead."""
    ctx.obj = _State(data=tuple(str(p) for p in data))
    chosen = i18n.using(lang or "en")  # a wrong name is a one-line error (exit 2)
    chosen.__enter__()
    ctx.call_on_close(lambda: chosen.__exit__(None, None, None))


app.add_typer(units.app)
app.add_typer(convert.app)
app.add_typer(tasks.app)
app.add_typer(serve.app)
app.add_typer(tasks.progress_app, name="progress")
app.add_typer(viz.app, name="viz")
app.add_typer(neo4j.app, name="neo4j")


def main(argv: list[str] | None = None) -> int:
    """Entry point: one-line errors, non-zero exits, never a traceback for bad input."""
    args = sys.argv[1:] if argv is None else argv
    try:
        rc = app(args=argv, standalone_mode=False)
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        typer.echo(i18n.t("aborted"), err=True)
        return 130
    except typer.TyperException as e:  # usage errors: bad option, missing argument
        asked = _lang_asked(args)  # (the main command's callback may not have run, or is closed)
        with i18n.using(asked if asked and i18n.normalise(asked) else None):
            typer.echo(i18n.t("error: {message}", message=_usage(e)), err=True)
        return e.exit_code
    except BrokenPipeError:
        return 0
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - mapped in one place, or raised again
        got = _failure(e)
        if got is None:
            raise
        typer.echo(got[1], err=True)
        return got[0]
    return rc if isinstance(rc, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
