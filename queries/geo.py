"""Points on a map: the units live on a date as GeoJSON (RFC 7946) features.

Each unit's point comes from the dataset (vietnamadminunits' ``wardLat``/``wardLon``, geocoded
and so approximate; the source is in each feature's properties). A unit with no point is
still a feature, with ``"geometry": null``, so the file holds exactly the units a snapshot
counts.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from ..graph.build import event_inputs, in_events, parent_on, units
from ..graph.errors import ArgumentError
from ..graph.model import TERRITORY_KINDS, Attr, Kind, Portion

__all__ = ["geojson", "write_geojson", "point_of", "point_from"]


def point_of(G: nx.MultiDiGraph, uid: str) -> tuple[float, float] | None:
    """The unit's (lat, lon), or None.

    >>> from orgraph import load_national
    >>> lat, lon = point_of(load_national(), "commune:12658")
    >>> 20 < lat < 21 and 106 < lon < 107
    True
    """
    return point_from(G.nodes[uid].get(Attr.POINT))


def point_from(p: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """(lat, lon) from a unit's ``point`` attribute, or None if it has none or no finite one."""
    if not p:
        return None
    lat, lon = float(p["lat"]), float(p["lon"])
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return lat, lon


def _feature(G: nx.MultiDiGraph, n: str, on: date) -> dict[str, Any]:
    a = G.nodes[n]
    pt = point_of(G, n)
    preds = []
    for ev in in_events(G, n):
        e = G.nodes[ev]
        if e.get(Attr.DERIVED):
            continue  # modelled links (a district's end) are not predecessors, as in `predecessors`
        for src, d in event_inputs(G, ev):
            b = G.nodes[src]
            preds.append(
                {
                    "id": src,
                    "name": b[Attr.NAME],
                    "code": b.get(Attr.CODE),
                    "portion": str(d.get(Attr.PORTION, Portion.WHOLE)),
                    "event": str(e[Attr.TYPE]),
                    "date": e[Attr.DATE].isoformat(),
                    "basis": e.get(Attr.BASIS),
                }
            )
    parent = parent_on(G, n, on)
    props = {
        "id": n,
        "name": a[Attr.NAME],
        "kind": str(a[Attr.KIND]),
        "type": str(a[Attr.TYPE]),
        "code": a.get(Attr.CODE),
        "parent": G.nodes[parent][Attr.NAME] if parent else None,
        "parent_id": parent,
        "valid_from": a[Attr.VALID_FROM].isoformat() if a.get(Attr.VALID_FROM) else None,
        "valid_to": a[Attr.VALID_TO].isoformat() if a.get(Attr.VALID_TO) else None,
        "predecessors": preds,
        "point_source": (a.get(Attr.POINT) or {}).get("source") if pt else None,
    }
    geometry = {"type": "Point", "coordinates": [round(pt[1], 6), round(pt[0], 6)]} if pt else None
    return {"type": "Feature", "id": n, "geometry": geometry, "properties": props}


def geojson(G: nx.MultiDiGraph, *, on: date, kind: Kind | str | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the territorial units live on ``on`` (of one kind if
    given), each with its predecessors (the units it was made from, with portion, event and
    legal basis; not the modelled ones, as in :func:`~orgraph.queries.predecessors`) in its properties.

    >>> from orgraph import load_national
    >>> fc = geojson(load_national(), on=date(2025, 7, 1), kind="commune")
    >>> len(fc["features"]), {f["geometry"]["type"] for f in fc["features"]}
    (3321, {'Point'})
    >>> provinces = geojson(load_national(), on=date(2025, 7, 1), kind="province")["features"]
    >>> len(provinces), {f["geometry"] is None for f in provinces}  # the data has no province points
    (34, {True})
    """
    if kind is not None and str(kind) not in {k.value for k in TERRITORY_KINDS}:
        raise ArgumentError("kind", f"{kind!r} is not a territorial kind; choose province, district or commune")
    feats = []
    for n in sorted(units(G, on=on)):
        a = G.nodes[n]
        if a[Attr.KIND] not in TERRITORY_KINDS or (kind is not None and str(a[Attr.KIND]) != str(kind)):
            continue
        feats.append(_feature(G, n, on))
    return {
        "type": "FeatureCollection",
        "name": f"orgraph units on {on.isoformat()}",
        "features": feats,
    }


def write_geojson(G: nx.MultiDiGraph, path: str | Path, *, on: date, kind: Kind | str | None = None) -> int:
    """Write :func:`geojson` to ``path`` (atomically, with the user's umask); returns the
    number of features."""
    fc = geojson(G, on=on, kind=kind)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".orgraph-", suffix=".geojson", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(fc, f, ensure_ascii=False)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(fc["features"])
