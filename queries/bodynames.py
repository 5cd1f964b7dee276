"""Bodies by name: the hook :func:`orgraph.queries.find.find` calls so that party committees,
councils and agencies are found like territories.

A body is looked up on :func:`~orgraph.graph.names.body_key` of what was written before the
first comma, which keeps the words a territory's name would lose as a type prefix (the
"Tỉnh" of "Tỉnh ủy Hà Giang") and writes out "UBND", "HĐND". Each body is indexed under its
whole name ("Ban Tổ chức Tỉnh ủy Thái Bình") and its role ("Ban Tổ chức Tỉnh ủy"); the
qualifiers after the commas name its territory or the territory's parents
("Đảng ủy xã Minh Khai, Hưng Hà, Thái Bình", "Ban Tổ chức Tỉnh ủy, Thái Bình"). The same key
is how plan files name their bodies (:func:`orgraph.loaders.plans.resolve_body`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import networkx as nx

from ..graph.model import Attr, UnitType
from ..graph.names import body_key

__all__ = ["body_matches", "body_level", "names_body"]


def body_matches(
    G: nx.MultiDiGraph,
    by_key: Mapping[str, Sequence[str]],
    text: str,
    qualifies: Callable[[str], bool],
) -> list[str]:
    """Ids of the bodies whose name or role is ``text`` (before its first comma) and that
    pass ``qualifies`` (the qualifiers after the commas).

    >>> from orgraph.loaders.plans import load_full
    >>> from orgraph.queries.find import find
    >>> [b.name for b in find(load_full(), "Dang uy xa Minh Khai, Hung Ha, Thai Binh")]
    ['Đảng ủy xã Minh Khai']
    """
    k = body_key(text.split(",", 1)[0])
    nodes = G.nodes
    return [n for n in by_key.get(k, ()) if nodes[n].get(Attr.TYPE) == UnitType.BODY and qualifies(n)]


def names_body(text: str) -> bool:
    """Whether ``text`` is a body's id (``body:…``); names are told apart by
    :func:`orgraph.loaders.dataset.may_name_body`."""
    return text.strip().startswith("body:")


def body_level(uid: str) -> str:
    """The level a body serves, read from its id (``body:<territory id>:<slug>``): province,
    district, commune, or central.

    >>> body_level("body:commune:12586@2025-07-01:dang-uy"), body_level("body:central:bo-chinh-tri")
    ('commune', 'central')
    """
    return uid.split(":", 2)[1]
