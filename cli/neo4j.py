"""``orgraph neo4j ...``: keep the graph in Neo4j; ``--backend neo4j`` then asks it.

The connection comes from the environment, as Neo4j's own tools read it (or from this
group's options)::

    export NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=... NEO4J_DATABASE=neo4j
    orgraph neo4j push
    orgraph successors "Xã Minh Khai, Hưng Hà, Thái Bình" --backend neo4j

Only the command line opens a driver (:func:`open_backend`); the queries take the
:class:`~orgraph.queries.neo4j.Neo4jGraph` it returns.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from dataclasses import replace
from typing import Annotated, Any

import typer

from ..graph.errors import OrgraphError
from ._common import state, sub_app
from ._connect import ENV, open_backend, settings

__all__ = ["app", "open_backend", "settings"]

app = sub_app(
    "neo4j",
    "Keep the graph in Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE); "
    "then ask any query with --backend neo4j.",
)


class _Bar:
    """``progress(done, total)`` as a progress bar on stderr; after Ctrl-C it stops the push
    at the end of the batch under way (a second Ctrl-C stops it at once)."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack, self.done = stack, 0
        self.bar: Any = None
        self.interrupted = False

    def on_sigint(self, signum: int, frame: Any) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True

    def __call__(self, done: int, total: int) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        if self.bar is None:
            self.bar = self.stack.enter_context(
                typer.progressbar(length=total, label="pushing", file=sys.stderr, show_pos=True)
            )
        self.bar.update(done - self.done)
        self.done = done


@app.callback()
def _group(
    ctx: typer.Context,
    uri: Annotated[
        str | None, typer.Option("--uri", envvar=ENV["uri"], show_envvar=True, help="The server, bolt://HOST:7687.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", envvar=ENV["user"], show_envvar=True, help="User name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            envvar=ENV["password"],
            show_envvar=True,
            show_default=False,
            help="Password (best in the environment).",
        ),
    ] = None,
    database: Annotated[
        str | None,
        typer.Option("--database", envvar=ENV["database"], show_envvar=True, help="Database; default: the server's."),
    ] = None,
) -> None:
    """Keep the graph in Neo4j."""
    given = {"uri": uri, "user": user, "password": password, "database": database}
    ctx.obj = replace(state(ctx), neo4j={k: v for k, v in given.items() if v})


@app.command()
def push(
    ctx: typer.Context,
    province: Annotated[
        str | None, typer.Option("--province", help='Only this new province\'s lineage, e.g. "Hưng Yên".')
    ] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Rows per transaction.")] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON for programs.")] = False,
    keep_extra: Annotated[
        bool, typer.Option("--keep-extra", help="Keep what an earlier push wrote that the graph no longer holds.")
    ] = False,
) -> None:
    """Make Neo4j hold the graph (units, events, bodies, tasks): a sync that also removes what
    the graph no longer holds (unless --keep-extra). Pushing again changes nothing; an
    interrupted push, run again, ends as a clean push would."""
    import signal

    from ..queries.neo4j import push as push_graph

    st = state(ctx)
    bar: _Bar | None = None
    old_handler: Any = None
    try:
        G = st.graph(full=True)  # national data, bodies and plans, plus any --data files
        with ExitStack() as stack:
            bar = _Bar(stack)
            ng = stack.enter_context(open_backend(**st.neo4j))
            try:  # only the main thread may set a handler; elsewhere Ctrl-C stops at once
                old_handler = signal.signal(signal.SIGINT, bar.on_sigint)
            except ValueError:
                old_handler = None
            try:
                summary = push_graph(G, ng, province=province, batch=batch, progress=bar, keep_extra=keep_extra)
            finally:
                if old_handler is not None:
                    signal.signal(signal.SIGINT, old_handler)
    except (KeyboardInterrupt, OrgraphError) as e:
        if isinstance(e, KeyboardInterrupt) or (bar is not None and bar.interrupted):
            typer.echo("\ninterrupted; run push again to finish", err=True)
            raise typer.Exit(130) from None
        raise
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(summary.lines()))
