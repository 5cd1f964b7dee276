"""The tour of the main job on the embedded national data (``orgraph tour``): the country
before and after 1 July 2025, what new Hưng Yên was made of, what a few old communes became."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..graph.model import OLD_MAP_DATE, REFORM_DATE, Attr, Kind
from .find import resolve
from .snapshot import Snapshot, snapshot
from .succession import Succession, predecessors, successors

__all__ = ["Tour", "tour"]

BEFORE, AFTER = OLD_MAP_DATE, REFORM_DATE
PROVINCE = "Hưng Yên"
OLD_COMMUNES = (
    "Xã Minh Khai, Hưng Hà, Thái Bình",
    "Phường Điện Biên, Ba Đình, Hà Nội",
    "Phường Bến Nghé, Quận 1, Hồ Chí Minh",
)


@dataclass(frozen=True)
class Tour:
    """The tour's answers: the country on the eve and on the day, one new province (its
    figures, its number of communes, what it was made of) and what old communes became."""

    snapshots: tuple[Snapshot, ...]
    province: str
    area_km2: float | None
    population: int | None
    communes: int
    made_of: Succession
    became: tuple[Succession, ...]


def tour(G: nx.MultiDiGraph) -> Tour:
    """The tour over ``G``.

    >>> from orgraph.loaders import load_national
    >>> t = tour(load_national())
    >>> t.province, t.communes
    ('Tỉnh Hưng Yên', 104)
    >>> t.became[0].units[0].unit.name
    'Xã Hưng Hà'
    """
    hy = resolve(G, PROVINCE, on=AFTER, kind=Kind.PROVINCE)
    communes = sum(
        1
        for c in snapshot(G, on=AFTER, kind=Kind.COMMUNE, listing=True).units
        if c.parents and PROVINCE in c.parents[-1]
    )
    a = G.nodes[hy]
    return Tour(
        snapshots=tuple(snapshot(G, on=d) for d in (BEFORE, AFTER)),
        province=a[Attr.NAME],
        area_km2=a.get(Attr.AREA) or None,
        population=a.get(Attr.POPULATION) or None,
        communes=communes,
        made_of=predecessors(G, hy),
        became=tuple(successors(G, old, on=AFTER) for old in OLD_COMMUNES),
    )
