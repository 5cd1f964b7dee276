"""The graph in Neo4j: push it, and ask it the same questions as the embedded graph.

Every query here has the name, keyword options and result type of its networkx twin in
:mod:`orgraph.queries`, with a :class:`Neo4jGraph` in place of ``G``::

    orgraph.queries.successors(G, "Xã Minh Khai, Hưng Hà, Thái Bình")
    orgraph.queries.neo4j.successors(ng, "Xã Minh Khai, Hưng Hà, Thái Bình")

and answers the same, ``to_dict()`` for ``to_dict()``. The matching and the walks run in
Cypher (:mod:`orgraph.queries.cypher`); what comes back is put into the same result
records by the same helpers the networkx queries use.

The driver is passed in; only the command line opens one (``orgraph.cli_neo4j``).

One case could answer differently: a unit that is both an input and an output of one event
(none in the data). A Cypher path never uses one relationship twice, so a successor walk
that goes round such an event and out of it again is not found; the networkx walk can
record it as the path to a successor.
"""

from .connection import Neo4jGraph, backend_error
from .push import PushSummary, clear, counts, delete, ensure_schema, fingerprint, push
from .reads import (
    Neo4jStore,
    address_index,
    bodies,
    convert,
    diff,
    find,
    generic_units,
    holder,
    inherited,
    lineage,
    predecessors,
    reports_to_edges,
    resolve,
    resolve_unit,
    responsibilities,
    snapshot,
    successors,
    suggestions,
    tasks,
    validate,
)

__all__ = [
    "Neo4jGraph",
    "Neo4jStore",
    "backend_error",
    "PushSummary",
    "ensure_schema",
    "push",
    "clear",
    "delete",
    "counts",
    "fingerprint",
    "find",
    "resolve",
    "suggestions",
    "successors",
    "predecessors",
    "lineage",
    "snapshot",
    "diff",
    "convert",
    "bodies",
    "tasks",
    "responsibilities",
    "inherited",
    "validate",
    "resolve_unit",
    "address_index",
    "reports_to_edges",
    "holder",
    "generic_units",
]
