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
    ng = Neo4jGraph(driver, database)
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
    """``progress(done, total)`` as a progress bar on stderr."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack, self.done = stack, 0
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
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
) -> None:
    """Push the graph (units, events, bodies, tasks) into Neo4j. Pushing again changes
    nothing; an interrupted push, run again, ends as a clean push would."""
    from .queries.neo4j import push as push_graph

    try:
        G = _graph()
        with ExitStack() as stack:
            ng = stack.enter_context(open_backend())
            summary = push_graph(G, ng, province=province, batch=batch, progress=_Bar(stack))
    except OrgraphError as e:
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
