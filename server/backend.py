"""What the server answers from: the query functions and the graphs they take, opened once.

The command line builds a :class:`Backend` (and opens the Neo4j driver, as everywhere else in
orgraph); the server only reads it. Nothing here writes anywhere.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["Backend"]


@dataclass
class Backend:
    """The graphs and query modules behind every answer.

    ``q`` answers the unit queries (find, resolve, successors, predecessors, lineage,
    convert, snapshot, diff, suggestions) over ``G``; ``tq`` answers bodies, tasks and
    validate over ``H``; pictures and bulk conversion always use the embedded graphs
    ``nx_national`` and ``nx_full``, as the command line does. A unit query about a name that
    may be a body's is answered from the full graph (:meth:`graph_for`), as on the command line.
    """

    name: str
    q: ModuleType
    G: Any
    tq: ModuleType
    H: Any
    nx_national: Any
    nx_full: Any
    closers: list[Any] = field(default_factory=list)
    extra: tuple[str | Path, ...] = ()

    @classmethod
    def embedded(cls, extra: Sequence[str | Path] = ()) -> Backend:
        """The embedded networkx graphs (national data plus ``extra`` dataset files)."""
        from .. import queries
        from ..loaders import load_national
        from ..loaders.plans import load_full
        from ..queries import tasks as tq

        G = load_national(tuple(extra))
        H = load_full(tuple(Path(p) for p in extra))
        return cls("networkx", queries, G, tq, H, G, H, extra=tuple(extra))

    @classmethod
    def neo4j(cls, ng: Any, extra: Sequence[str | Path] = ()) -> Backend:
        """Answer lookups from an open :class:`~orgraph.queries.neo4j.Neo4jGraph`; pictures and
        bulk conversion still come from the embedded graphs."""
        from ..queries import neo4j as neo

        emb = cls.embedded(extra)
        return cls("neo4j", neo, ng, neo, ng, emb.nx_national, emb.nx_full, [ng], tuple(extra))

    def graph_for(self, *names: str) -> Any:
        """The graph ``q`` answers a question about ``names`` from: with the embedded backend,
        the full graph (with every body) when a name may be a body's, else the national graph,
        as :func:`orgraph.loaders.dataset.load_graph` chooses for the command line; Neo4j
        holds both.

        >>> b = Backend.embedded()
        >>> b.graph_for("Tỉnh ủy Hà Giang") is b.nx_full, b.graph_for("Hà Giang") is b.G
        (True, True)
        """
        if self.name != "networkx":
            return self.G
        from ..loaders.dataset import may_name_body

        return self.nx_full if any(may_name_body(n, self.extra) for n in names) else self.G

    @property
    def takes_address(self) -> bool:
        """Whether this version's ``convert`` takes a free-text ``address``."""
        return "address" in inspect.signature(self.q.convert).parameters

    def warm(self) -> None:
        """Build the lazy indexes once, before the first request, so concurrent first
        requests do not build them twice."""
        from ..queries import find, suggestions

        find(self.nx_national, "Hưng Yên")
        suggestions(self.nx_national, "Hung Yen")
        if self.name == "networkx":
            self.q.find(self.G, "Hưng Yên")

    def close(self) -> None:
        for c in self.closers:
            c.close()
