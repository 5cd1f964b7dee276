"""The connection to Neo4j: a driver the caller opened, one round trip per read, and driver
errors as one-line :class:`BackendError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...graph.errors import BackendError
from .. import cypher as C

if TYPE_CHECKING:
    from .reads import Neo4jStore

# --------------------------------------------------------------------------- connection


def _one_line(text: object, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _native(value: Any) -> Any:
    """Driver values to Python ones: ``neo4j.time.Date`` -> ``datetime.date``, recursively."""
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value


def backend_error(exc: Exception, *, where: str = "Neo4j", database: str | None = None) -> BackendError:
    """Turn a driver exception into a one-line :class:`BackendError` that says what to do."""
    from neo4j import exceptions as x

    db = f"database {database!r}" if database else "the default database"
    if isinstance(exc, x.AuthError):
        msg = (
            f"{where} refused the credentials "
            f"({_one_line(getattr(exc, 'message', None) or exc, 120)}); "
            "check NEO4J_USER and NEO4J_PASSWORD"
        )
    elif isinstance(exc, x.ServiceUnavailable | x.SessionExpired):
        reasons = [_one_line(exc, 10_000)]  # the whole text: the OS reason comes last
        cause = exc.__cause__ or exc.__context__
        while cause is not None and len(reasons) < 4:
            if str(cause) and str(cause) not in " ".join(reasons):
                reasons.append(_one_line(cause, 10_000))
            cause = cause.__cause__ or cause.__context__
        msg = f"cannot reach {where} ({'; '.join(reasons)}); is the server running? Check NEO4J_URI"
    elif isinstance(exc, x.Neo4jError) and exc.code == "Neo.ClientError.Database.DatabaseNotFound":
        msg = f"{where} has no {db}; create it, or set NEO4J_DATABASE to one that exists"
    elif isinstance(exc, x.Neo4jError):
        msg = f"{where} refused the request: {exc.code}: {_one_line(exc.message or '', 200)}"
    else:
        msg = f"{where}: {type(exc).__name__}: {_one_line(exc, 200)}"
    return BackendError(msg)


class Neo4jGraph:
    """A Neo4j database holding orgraph's graph, reached through a driver the caller opened.

    ``database`` None means the server's default database. :meth:`close` closes the driver.

    >>> from neo4j import GraphDatabase                     # doctest: +SKIP
    >>> driver = GraphDatabase.driver("bolt://localhost:7687", auth=("neo4j", "secret"))  # doctest: +SKIP
    >>> ng = Neo4jGraph(driver, database="neo4j")           # doctest: +SKIP
    >>> successors(ng, "Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name  # doctest: +SKIP
    'Xã Hưng Hà'
    """

    def __init__(self, driver: Any, database: str | None = None, *, uri: str | None = None) -> None:
        self.driver = driver
        self.database = database
        self.queries = 0  # statements sent, each in one round trip (reads) or its own transaction
        self.where = f"Neo4j at {uri}" if uri else "Neo4j"  # errors name the server
        self.tables: dict[str, Any] = {}  # read-only tables built once (name keys, address index)

    def __repr__(self) -> str:
        return f"Neo4jGraph(database={self.database!r})"

    def __enter__(self) -> Neo4jGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def store(self) -> Neo4jStore:
        """The primitives the answers are built from, read from this database (a new store
        each time: what it fetches is kept for one answer, never across pushes)."""
        from .reads import Neo4jStore

        return Neo4jStore(self)

    def _run(self, query: str, params: Mapping[str, Any], *, write: bool) -> list[dict[str, Any]]:
        from neo4j import READ_ACCESS, RoutingControl
        from neo4j.exceptions import DriverError, Neo4jError

        self.queries += 1
        try:
            if write:
                records, _, _ = self.driver.execute_query(
                    query,
                    parameters_={**C.VALUES, **params},
                    database_=self.database,
                    routing_=RoutingControl.WRITE,
                )
            else:  # one auto-commit query: its RUN and PULL go in one round trip
                with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                    records = list(session.run(query, {**C.VALUES, **params}))
        except (Neo4jError, DriverError) as e:
            raise backend_error(e, where=self.where, database=self.database) from None
        return [_native(dict(r.items())) for r in records]

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read query (a constant of :mod:`orgraph.queries.cypher`) as an auto-commit
        query, in one Bolt round trip; rows as dicts."""
        return self._run(query, params, write=False)

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one write query in its own transaction; rows as dicts."""
        self.tables.clear()  # the data may change
        return self._run(query, params, write=True)

    def ping(self) -> None:
        """Raise :class:`BackendError` unless the database answers a query."""
        self.read(C.PING)
