"""One query interface over either store: the embedded networkx graph or a Neo4j database.

A :class:`Backend` answers every question the command line asks, the same way whichever store
holds the graph; :func:`networkx_backend` and :func:`neo4j_backend` make one.

>>> from orgraph.loaders.plans import load_full
>>> be = networkx_backend(load_full())
>>> be.name
'networkx'
>>> be.successors("Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name
'Xã Hưng Hà'
"""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import Any, Protocol

from .results import UnitRef

__all__ = ["Backend", "networkx_backend", "neo4j_backend"]


class Backend(Protocol):
    """What a store answers: names, a unit's successors, predecessors and lineage, address
    conversion, the units on a date, bodies, tasks and validation."""

    name: str

    def find(self, text: str, *, on: date | None = None, kind: str | None = None) -> list[UnitRef]: ...
    def suggestions(self, text: str, *, n: int = 5) -> list[str]: ...
    def successors(self, unit: str, *, on: date | None = None, kind: str | None = None) -> Any: ...
    def predecessors(self, unit: str, *, on: date | None = None, kind: str | None = None) -> Any: ...
    def lineage(self, unit: str, *, kind: str | None = None) -> Any: ...
    def convert(self, **kw: Any) -> Any: ...
    def snapshot(self, *, on: date, kind: str | None = None, listing: bool = False) -> Any: ...
    def diff(self, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Any: ...
    def bodies(self, territory: str, *, on: date) -> list[UnitRef]: ...
    def tasks(self, *, plan: str | None = None, on: date) -> Any: ...
    def responsibilities(self, task: str, *, on: date) -> Any: ...
    def inherited(self, body: str, *, on: date) -> Any: ...
    def validate(self, *, on: date, max_findings: int = 200) -> Any: ...
    def close(self) -> None: ...


class _Bound:
    """The query functions of one module, each bound to a graph or database handle."""

    def __init__(self, name: str, units: ModuleType, tasks: ModuleType, handle: Any) -> None:
        self.name, self._units, self._tasks, self.handle = name, units, tasks, handle

    def find(self, text: str, *, on: date | None = None, kind: str | None = None) -> list[UnitRef]:
        return self._units.find(self.handle, text, on=on, kind=kind)  # type: ignore[no-any-return]

    def suggestions(self, text: str, *, n: int = 5) -> list[str]:
        return self._units.suggestions(self.handle, text, n=n)  # type: ignore[no-any-return]

    def successors(self, unit: str, *, on: date | None = None, kind: str | None = None) -> Any:
        return self._units.successors(self.handle, unit, on=on, kind=kind)

    def predecessors(self, unit: str, *, on: date | None = None, kind: str | None = None) -> Any:
        return self._units.predecessors(self.handle, unit, on=on, kind=kind)

    def lineage(self, unit: str, *, kind: str | None = None) -> Any:
        return self._units.lineage(self.handle, unit, kind=kind)

    def convert(self, **kw: Any) -> Any:
        return self._units.convert(self.handle, **kw)

    def snapshot(self, *, on: date, kind: str | None = None, listing: bool = False) -> Any:
        return self._units.snapshot(self.handle, on=on, kind=kind, listing=listing)

    def diff(self, start: date, end: date, *, kind: str | None = None, listing: bool = False) -> Any:
        return self._units.diff(self.handle, start, end, kind=kind, listing=listing)

    def bodies(self, territory: str, *, on: date) -> list[UnitRef]:
        return self._tasks.bodies(self.handle, territory, on=on)  # type: ignore[no-any-return]

    def tasks(self, *, plan: str | None = None, on: date) -> Any:
        return self._tasks.tasks(self.handle, plan=plan, on=on)

    def responsibilities(self, task: str, *, on: date) -> Any:
        return self._tasks.responsibilities(self.handle, task, on=on)

    def inherited(self, body: str, *, on: date) -> Any:
        return self._tasks.inherited(self.handle, body, on=on)

    def validate(self, *, on: date, max_findings: int = 200) -> Any:
        return self._tasks.validate(self.handle, on=on, max_findings=max_findings)

    def close(self) -> None:
        close = getattr(self.handle, "close", None)
        if close is not None:
            close()


class _Networkx(_Bound):
    def close(self) -> None:  # the graph is shared (built once per process): nothing to close
        pass


def networkx_backend(G: Any) -> Backend:
    """The embedded graph ``G`` (:func:`orgraph.loaders.plans.load_full` for bodies and tasks)."""
    from .. import queries
    from . import tasks

    return _Networkx("networkx", queries, tasks, G)


def neo4j_backend(ng: Any) -> Backend:
    """An open :class:`~orgraph.queries.neo4j.Neo4jGraph`; :meth:`Backend.close` closes it."""
    from . import neo4j

    return _Bound("neo4j", neo4j, neo4j, ng)
