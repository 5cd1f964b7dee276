"""The one place that opens a Neo4j driver: from ``NEO4J_*`` (or the values given), checked.

The queries take the :class:`~orgraph.queries.neo4j.Neo4jGraph` it returns.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from ..graph.errors import BackendError

if TYPE_CHECKING:
    from ..queries.neo4j import Neo4jGraph

__all__ = ["ENV", "open_backend", "settings"]

# setting -> the environment variable it is read from (Neo4j's own tools read the same)
ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD", "database": "NEO4J_DATABASE"}

_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def settings() -> dict[str, str | None]:
    """The connection settings from the environment (the password left out)."""
    return {
        "uri": os.environ.get(ENV["uri"]) or None,
        "user": os.environ.get(ENV["user"]) or "neo4j",
        "database": os.environ.get(ENV["database"]) or None,
    }


def open_backend(
    uri: str | None = None, user: str | None = None, password: str | None = None, database: str | None = None
) -> Neo4jGraph:
    """Open a driver (each setting not given is read from ``NEO4J_*``) and check that the
    database answers.

    Raises :class:`BackendError` with one line when ``NEO4J_URI`` is unset or malformed,
    the server is unreachable, the credentials are refused, or the database is missing.
    The caller closes it (``with open_backend() as ng: ...``, or ``ng.close()``).
    """
    from ..queries.neo4j import Neo4jGraph, backend_error

    s = settings()
    uri, user, database = uri or s["uri"], user or s["user"], database or s["database"]
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
    if password is None:
        password = os.environ.get(ENV["password"])
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
