"""One query interface, two backends: the embedded networkx graph and a Neo4j database.

A :class:`Backend` answers every question the command line and the server ask, with the
same names, keyword options and result records whichever store holds the graph::

    b = networkx_backend(G)          # or neo4j_backend(ng)
    b.successors("Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name

The answers are built once, in the query modules, over the few primitives each store
answers; a backend only picks the store.

>>> from orgraph import load_national
>>> b = networkx_backend(load_national())
>>> b.name, b.successors("Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name
('networkx', 'Xã Hưng Hà')
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import networkx as nx

from ..graph.model import REFORM_DATE, Kind
from .results import Succession, UnitRef
from .snapshot import Diff, Snapshot
from .succession import Lineage
from .tasks import Inheritance, TaskStatus, Validation

if TYPE_CHECKING:
    from .neo4j import Neo4jGraph

__all__ = ["Backend", "networkx_backend", "neo4j_backend"]


@runtime_checkable
class Backend(Protocol):
    """What every backend answers; see the functions of :mod:`orgraph.queries` and
    :mod:`orgraph.queries.tasks` for each one's meaning."""

    name: str  # "networkx" | "neo4j"

    def find(self, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]: ...

    def suggestions(self, text: str, *, n: int = 5) -> list[str]: ...

    def successors(self, unit: str, *, on: date | None = None, kind: Kind | str | None = None) -> Succession: ...

    def predecessors(
        self,
        unit: str,
        *,
        on: date | None = None,
        include_derived: bool = False,
        kind: Kind | str | None = None,
    ) -> Succession: ...

    def lineage(self, unit: str, *, kind: Kind | str | None = None) -> Lineage: ...

    def convert(self, **kw: Any) -> Any: ...

    def snapshot(self, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot: ...

    def diff(self, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff: ...

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]: ...

    def tasks(self, *, plan: str | None = None, on: date = REFORM_DATE) -> list[TaskStatus]: ...

    def responsibilities(self, task: str, *, on: date) -> TaskStatus: ...

    def inherited(self, body: str, *, on: date) -> list[Inheritance]: ...

    def validate(self, *, on: date, max_findings: int = 200) -> Validation: ...

    def close(self) -> None: ...


class _Functions:
    """A backend from a module of query functions and the graph handle they take first."""

    name: str

    def __init__(self, name: str, units: Any, tasks: Any, graph: Any) -> None:
        self.name, self._q, self._t, self.graph = name, units, tasks, graph

    def __repr__(self) -> str:
        return f"<{self.name} backend>"

    def find(self, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]:
        return self._q.find(self.graph, text, on=on, kind=kind)  # type: ignore[no-any-return]

    def suggestions(self, text: str, *, n: int = 5) -> list[str]:
        return self._q.suggestions(self.graph, text, n=n)  # type: ignore[no-any-return]

    def successors(self, unit: str, *, on: date | None = None, kind: Kind | str | None = None) -> Succession:
        return self._q.successors(self.graph, unit, on=on, kind=kind)  # type: ignore[no-any-return]

    def predecessors(
        self,
        unit: str,
        *,
        on: date | None = None,
        include_derived: bool = False,
        kind: Kind | str | None = None,
    ) -> Succession:
        return self._q.predecessors(  # type: ignore[no-any-return]
            self.graph, unit, on=on, include_derived=include_derived, kind=kind
        )

    def lineage(self, unit: str, *, kind: Kind | str | None = None) -> Lineage:
        return self._q.lineage(self.graph, unit, kind=kind)  # type: ignore[no-any-return]

    def convert(self, **kw: Any) -> Any:
        return self._q.convert(self.graph, **kw)

    def snapshot(self, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot:
        return self._q.snapshot(self.graph, on=on, kind=kind, listing=listing)  # type: ignore[no-any-return]

    def diff(self, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff:
        return self._q.diff(self.graph, start, end, kind=kind, listing=listing)  # type: ignore[no-any-return]

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]:
        return self._t.bodies(self.graph, territory, on=on)  # type: ignore[no-any-return]

    def tasks(self, *, plan: str | None = None, on: date = REFORM_DATE) -> list[TaskStatus]:
        return self._t.tasks(self.graph, plan=plan, on=on)  # type: ignore[no-any-return]

    def responsibilities(self, task: str, *, on: date) -> TaskStatus:
        return self._t.responsibilities(self.graph, task, on=on)  # type: ignore[no-any-return]

    def inherited(self, body: str, *, on: date) -> list[Inheritance]:
        return self._t.inherited(self.graph, body, on=on)  # type: ignore[no-any-return]

    def validate(self, *, on: date, max_findings: int = 200) -> Validation:
        return self._t.validate(self.graph, on=on, max_findings=max_findings)  # type: ignore[no-any-return]

    def close(self) -> None:
        close = getattr(self.graph, "close", None)
        if close is not None and self.name != "networkx":
            close()


def networkx_backend(G: nx.MultiDiGraph) -> Backend:
    """The backend that answers from an embedded graph (``load_national()`` or
    ``load_full()``); :meth:`Backend.close` does nothing."""
    from .. import queries as q
    from . import tasks

    return _Functions("networkx", q, tasks, G)


def neo4j_backend(ng: Neo4jGraph) -> Backend:
    """The backend that answers from a Neo4j database; :meth:`Backend.close` closes the
    driver."""
    from . import neo4j

    return _Functions("neo4j", neo4j, neo4j, ng)
