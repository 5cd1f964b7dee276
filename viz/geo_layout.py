"""A picture's nodes placed by their points on the map instead of in columns
(``orgraph viz province … --layout map``).

Each unit stands at its own point (vietnamadminunits' ``wardLat``/``wardLon``, approximate),
projected equirectangularly about the picture's middle latitude, north up. A unit with no
point of its own (most provinces and districts) stands at the middle of the units it is
joined to, so an old district sits among its communes and a new commune among the old ones
it was made of. The columns' frames and headers do not apply and are dropped; the edges,
labels, tooltips and legend are the picture's own.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict

import networkx as nx

from ..graph.i18n import t as tr
from ..queries.geo import point_of
from .model import Picture

__all__ = ["map_layout"]

WIDTH = 2400.0  # canvas units across the widest of the picture's points


def map_layout(G: nx.MultiDiGraph, picture: Picture, *, width: float = WIDTH) -> Picture:
    """The same picture with its nodes at their points.

    >>> from orgraph import load_national
    >>> from orgraph.viz.model import province_picture
    >>> G = load_national()
    >>> pic = map_layout(G, province_picture(G, "province:33@2025-07-01"))
    >>> pic.frames, "placed by their points" in pic.subtitle
    ([], True)
    """
    ids = [n["id"] for n in picture.nodes]
    pts: dict[str, tuple[float, float]] = {}
    for u in ids:
        p = point_of(G, u) if u in G else None
        if p is not None:
            pts[u] = p
    own = len(pts)
    nbrs: dict[str, set[str]] = defaultdict(set)
    for e in picture.edges:
        nbrs[e["from"]].add(e["to"])
        nbrs[e["to"]].add(e["from"])
    for _ in range(4):  # spread points to the units without one, from their neighbours
        placed = {}
        for u in ids:
            if u not in pts:
                near = [pts[v] for v in nbrs[u] if v in pts]
                if near:
                    placed[u] = (sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near))
        if not placed:
            break
        pts.update(placed)
    if not pts:
        return dataclasses.replace(picture, notes=[*picture.notes, tr("no unit here has a point: shown in columns")])
    lat0 = sum(p[0] for p in pts.values()) / len(pts)
    for u in ids:  # anything still unplaced (nothing joined to it has a point) goes to the middle
        pts.setdefault(u, (lat0, sum(p[1] for p in pts.values()) / len(pts)))
    k = math.cos(math.radians(lat0))
    xs = [p[1] * k for p in pts.values()]
    ys = [-p[0] for p in pts.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = width / span
    x0, y0 = min(xs), min(ys)
    nodes = []
    for n in picture.nodes:
        lat, lon = pts[n["id"]]
        nodes.append({**n, "x": round((lon * k - x0) * scale, 1), "y": round((-lat - y0) * scale, 1)})
    note = tr(
        "placed by their points (approximate; {own:,} of {n:,} units have one of their own, "
        "the rest stand among the units they are joined to)",
        own=own,
        n=len(ids),
    )
    return dataclasses.replace(
        picture,
        subtitle=tr("{subtitle}; {note}", subtitle=picture.subtitle, note=note),
        nodes=nodes,
        legend=[x for x in picture.legend if x.get("what") != "frame"],  # the frames are gone
        frames=[],
        headers=[],
    )
