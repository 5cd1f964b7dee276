"""``orgraph neo4j ...``: keep the graph in Neo4j, and the connection ``--backend neo4j`` uses.

The connection comes from the environment, as Neo4j's own tools read it::

    export NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=... NEO4J_DATABASE=neo4j
    orgraph neo4j push
    orgraph successors "Xã Minh Khai, Hưng Hà, Thái Bình" --backend neo4j

This is the only place that opens a driver; the queries take the :class:`Neo4jGraph` it
returns.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .graph.errors import BackendError, OrgraphError

if TYPE_CHECKING:
    from .queries.neo4j import Neo4jGraph

__all__ = ["app", "open_backend", "settings"]

app = typer.Typer(
    name="neo4j",
    help="Keep the graph in Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE); "
    "then ask any query with --backend neo4j.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def settings() -> dict[str, str | None]:
    """The connection settings from the environment (the password left out)."""
    return {
        "uri": os.environ.get("NEO4J_URI") or None,
        "user": os.environ.get("NEO4J_USER") or "neo4j",
        "database": os.environ.get("NEO4J_DATABASE") or None,
    }


_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def open_backend() -> Neo4jGraph:
    """Open a driver from ``NEO4J_*`` and check that the database answers.

    Raises :class:`BackendError` with one line when ``NEO4J_URI`` is unset or malformed,
    the server is unreachable, the credentials are refused, or the database is missing.
    The caller closes it (``with open_backend() as ng: ...``, or ``ng.close()``).
    """
    from .queries.neo4j import Neo4jGraph, backend_error

    s = settings()
    uri, user, database = s["uri"], s["user"], s["database"]
    if not uri:
        raise BackendError(
            "NEO4J_URI is not set; export NEO4J_URI=bolt://localhost:7687 "
            "(and NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)"
        )
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in _SCHEMES:  # http(s) would reach the driver's preview HTTP client
        raise BackendError(
            f"NEO4J_URI={uri!r} is not a Neo4j address (scheme {scheme or 'missing'!r}); "
            "use bolt://HOST:7687 or neo4j://HOST:7687"
        )
    try:
        import neo4j
    except ImportError:
        raise BackendError("the Neo4j driver is not installed; pip install 'orgraph[neo4j]'") from None
    # The driver logs what it then raises; the raised error is all the user needs.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    password = os.environ.get("NEO4J_PASSWORD")
    auth = (user or "neo4j", password) if password is not None else None
    where = f"Neo4j at {uri}"
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=10.0, max_transaction_retry_time=10.0)
    except (ValueError, neo4j.exceptions.ConfigurationError) as e:
        raise BackendError(
            f"NEO4J_URI={uri!r} is not a Neo4j address ({' '.join(str(e).split())}); "
            "use bolt://HOST:7687 or neo4j://HOST:7687"
        ) from None
    ng = Neo4jGraph(driver, database, uri=uri)
    try:
        driver.verify_connectivity()
        ng.ping()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as e:
        driver.close()
        raise backend_error(e, where=where, database=database) from None
    except BackendError as e:
        driver.close()
        raise BackendError(str(e).replace("Neo4j", where, 1)) from None
    return ng


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
def _group() -> None:
    """Keep the graph in Neo4j."""


@app.command()
def push(
    province: str | None = typer.Option(None, "--province", help='Only this new province\'s lineage, e.g. "Hưng Yên".'),
    batch: int = typer.Option(2000, "--batch", min=1, help="Rows per transaction."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON for programs."),
    keep_extra: bool = typer.Option(
        False, "--keep-extra", help="Keep what an earlier push wrote that the graph no longer holds."
    ),
) -> None:
    """Make Neo4j hold the graph (units, events, bodies, tasks): a sync that also removes what
    the graph no longer holds (unless --keep-extra). Pushing again changes nothing; an
    interrupted push, run again, ends as a clean push would."""
    import signal

    from .queries.neo4j import push as push_graph

    bar: _Bar | None = None
    old_handler: Any = None
    try:
        G = _graph()
        with ExitStack() as stack:
            bar = _Bar(stack)
            ng = stack.enter_context(open_backend())
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
        assert isinstance(e, OrgraphError)
        typer.echo(f"error: {e.one_line()}", err=True)
        raise typer.Exit(e.exit_code) from None
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(summary.lines()))


def _graph() -> Any:
    """The graph the other commands answer from: national data, bodies and plans, plus any
    ``orgraph --data`` files."""
    from .loaders.plans import load_full

    try:
        from .cli import _state

        extra = tuple(_state.get("data") or ())
    except ImportError:  # pragma: no cover - the sub-app on its own
        extra = ()
    return load_full(tuple(Path(p) for p in extra))
