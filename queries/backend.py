"""One query interface, two backends: the embedded networkx graph and a Neo4j database.

A :class:`Backend` answers every question the command line and the server ask, with the
same names, keyword options and result records whichever store holds the graph::

    b = networkx_backend(G)          # or neo4j_backend(ng)
    b.successors("Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name

The answers are built once (:mod:`orgraph.queries.answers`) over the few primitives a
store answers (:class:`~orgraph.queries.store.Store`); a backend only picks the store.

>>> from orgraph import load_national
>>> b = networkx_backend(load_national())
>>> b.name, b.successors("Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name
('networkx', 'Xã Hưng Hà')
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import networkx as nx

from ..graph.model import REFORM_DATE, Kind
from . import answers
from .results import Succession, UnitRef
from .snapshot import Diff, Snapshot
from .store import NetworkxStore, Store
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


class _Answers:
    """Every answer over a store: those of :mod:`orgraph.queries.answers`, built once, and
    the store's own primitives (find, suggestions, bodies); each question gets a fresh
    store from ``store`` (Neo4j's keeps what it fetched for one answer only)."""

    name: str

    def __init__(self, name: str, graph: Any, store: Callable[[], Store]) -> None:
        self.name, self.graph, self.store = name, graph, store

    def __repr__(self) -> str:
        return f"<{self.name} backend>"

    def find(self, text: str, *, on: date | None = None, kind: Kind | str | None = None) -> list[UnitRef]:
        return self.store().find(text, on=on, kind=kind)

    def suggestions(self, text: str, *, n: int = 5) -> list[str]:
        return self.store().suggestions(text, n=n)

    def successors(self, unit: str, *, on: date | None = None, kind: Kind | str | None = None) -> Succession:
        return answers.successors(self.store(), unit, on=on, kind=kind)

    def predecessors(
        self,
        unit: str,
        *,
        on: date | None = None,
        include_derived: bool = False,
        kind: Kind | str | None = None,
    ) -> Succession:
        return answers.predecessors(self.store(), unit, on=on, include_derived=include_derived, kind=kind)

    def lineage(self, unit: str, *, kind: Kind | str | None = None) -> Lineage:
        return answers.lineage(self.store(), unit, kind=kind)

    def convert(self, **kw: Any) -> Any:
        return answers.convert(self.store(), **kw)

    def snapshot(self, *, on: date, kind: str | None = None, listing: bool = False) -> Snapshot:
        return answers.snapshot(self.store(), on=on, kind=kind, listing=listing)

    def diff(self, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Diff:
        return answers.diff(self.store(), start, end, kind=kind, listing=listing)

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]:
        return self.store().bodies(territory, on=on)

    def tasks(self, *, plan: str | None = None, on: date = REFORM_DATE) -> list[TaskStatus]:
        return answers.tasks(self.store(), plan=plan, on=on)

    def responsibilities(self, task: str, *, on: date) -> TaskStatus:
        return answers.responsibilities(self.store(), task, on=on)

    def inherited(self, body: str, *, on: date) -> list[Inheritance]:
        return answers.inherited(self.store(), body, on=on)

    def validate(self, *, on: date, max_findings: int = 200) -> Validation:
        return answers.validate(self.store(), on=on, max_findings=max_findings)

    def close(self) -> None:
        close = getattr(self.graph, "close", None)
        if close is not None and self.name != "networkx":
            close()


def networkx_backend(G: nx.MultiDiGraph) -> Backend:
    """The backend that answers from an embedded graph (``load_national()`` or
    ``load_full()``); :meth:`Backend.close` does nothing."""
    return _Answers("networkx", G, lambda: NetworkxStore(G))


def neo4j_backend(ng: Neo4jGraph) -> Backend:
    """The backend that answers from a Neo4j database; :meth:`Backend.close` closes the
    driver."""
    return _Answers("neo4j", ng, ng.store)
