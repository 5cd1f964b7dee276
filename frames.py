"""pandas DataFrames for analysts (a top-level module: it loads the embedded graphs when none
is given, so it sits above ``queries`` and ``loaders``): conversion of a frame's old addresses, the crosswalk, the
units live on a date, and the tasks. pandas is an extra (``pip install 'orgraph[pandas]'``);
nothing else in orgraph imports it.

Every function takes the graph as the keyword ``G`` and loads the embedded national graph
(or, for tasks, the graph with bodies and the seeds' plans) when it is not given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import networkx as nx

from .graph.errors import DataError
from .graph.model import REFORM_DATE
from .queries.convert import ADDRESS_COLUMNS, OLD_DATE, OUTPUT_COLUMNS, Converter, row_point
from .queries.export import CROSSWALK_COLUMNS, crosswalk_rows

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["convert_frame", "crosswalk_frame", "snapshot_frame", "tasks_frame", "SNAPSHOT_COLUMNS", "TASK_COLUMNS"]

SNAPSHOT_COLUMNS = ["id", "kind", "type", "name", "code", "valid_from", "valid_to", "parent"]
TASK_COLUMNS = ["id", "plan", "number", "text", "deadline", "due", "status", "lead", "lead_status", "coordinators"]


def _pd() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised without the extra
        raise DataError("pandas", None, "pandas is not installed; pip install 'orgraph[pandas]'") from None
    return pd


def _national(G: nx.MultiDiGraph | None) -> nx.MultiDiGraph:
    if G is not None:
        return G
    from .loaders import load_national

    return load_national()


def _column(df: pd.DataFrame, name: str | None, what: str) -> Iterable[str]:
    if name is None:
        return [""] * len(df)
    if name not in df.columns:
        raise DataError("DataFrame", None, f"no column {name!r} for {what}; the frame has {list(df.columns)}")
    return ("" if v is None or v != v else str(v) for v in df[name])  # NaN != NaN


def convert_frame(
    df: pd.DataFrame,
    *,
    address: str | None = None,
    province: str | None = None,
    district: str | None = None,
    commune: str | None = None,
    code: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    G: nx.MultiDiGraph | None = None,
    on: date | None = None,
    as_of: date = OLD_DATE,
) -> pd.DataFrame:
    """The frame with the conversion columns added after its own, row for row, in order
    (the same columns and values as ``orgraph convert --input``). Name the frame's columns:
    ``address=`` for free text, or ``province=``/``district=``/``commune=``, or ``code=``;
    and ``lat=``/``lon=`` for the addresses' own points (a split commune's nearest successor).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"tinh": ["Thái Bình"], "huyen": ["Hưng Hà"], "xa": ["Minh Khai"]})
    >>> out = convert_frame(df, province="tinh", district="huyen", commune="xa")
    >>> out.loc[0, ["status", "new_commune", "new_province"]].tolist()
    ['ok', 'Xã Hưng Hà', 'Tỉnh Hưng Yên']
    """
    pd = _pd()
    G = _national(G)
    # the converter the CSV path uses (name suggestions for unmatched rows included), so a
    # frame converts exactly as `orgraph convert --input` does
    conv = Converter(G, on=on or date.today(), as_of=as_of)
    if (lat is None) != (lon is None):
        raise DataError("DataFrame", None, "give both lat= and lon= columns, or neither")
    points = (
        [row_point([a, b], 0, 1) for a, b in zip(_column(df, lat, "lat"), _column(df, lon, "lon"), strict=True)]
        if lat is not None
        else [None] * len(df)
    )

    def pt(i: int) -> tuple[float, float] | None:
        p = points[i]
        return p if isinstance(p, tuple) else None

    if address is not None:
        if any(x is not None for x in (province, district, commune, code)):
            raise DataError("DataFrame", None, "give address= alone, or province=/district=/commune=, or code=")
        results = [conv.convert_address(a, point=pt(i)) for i, a in enumerate(_column(df, address, "address"))]
        columns = OUTPUT_COLUMNS + ADDRESS_COLUMNS
    else:
        if commune is None and code is None:
            raise DataError("DataFrame", None, "name a commune= column (with district=, province=) or a code= column")
        rows = zip(
            _column(df, province, "province"),
            _column(df, district, "district"),
            _column(df, commune, "commune"),
            _column(df, code, "code"),
            strict=True,
        )
        results = [conv.convert(*r, point=pt(i)) for i, r in enumerate(rows)]
        columns = OUTPUT_COLUMNS
    results = [
        replace(r, note="; ".join(x for x in (r.note, p) if x)) if isinstance(p, str) else r
        for r, p in zip(results, points, strict=True)
    ]  # as the CSV path: a lat/lon that is not a point is said, not used
    names = [c if c not in df.columns else f"new_{c}" for c in columns]
    added = pd.DataFrame([r.row(columns) for r in results], columns=names, index=df.index, dtype=object)
    return pd.concat([df, added], axis=1)


def crosswalk_frame(*, G: nx.MultiDiGraph | None = None, on: date = REFORM_DATE) -> pd.DataFrame:
    """The old → new commune crosswalk (one row per old commune and successor), as
    ``orgraph export crosswalk`` writes it.

    >>> crosswalk_frame().query("old_code == '12658'")[["new_name", "new_province"]].values.tolist()
    [['Xã Hưng Hà', 'Tỉnh Hưng Yên']]
    """
    pd = _pd()
    return pd.DataFrame(list(crosswalk_rows(_national(G), on=on)), columns=CROSSWALK_COLUMNS, dtype=object)


def _snapshot_rows(G: nx.MultiDiGraph, on: date, kind: str | None) -> Iterator[list[Any]]:
    from .queries.snapshot import snapshot

    for u in snapshot(G, on=on, kind=kind, listing=True).units:
        yield [u.id, u.kind, u.type, u.name, u.code, u.valid_from, u.valid_to, u.parents[-1] if u.parents else None]


def snapshot_frame(*, on: date, kind: str | None = None, G: nx.MultiDiGraph | None = None) -> pd.DataFrame:
    """The units live on ``on`` (one row each), optionally of one kind.

    >>> f = snapshot_frame(on=date(2025, 7, 1))
    >>> f["kind"].value_counts().to_dict()["province"]
    34
    """
    pd = _pd()
    return pd.DataFrame(list(_snapshot_rows(_national(G), on, kind)), columns=SNAPSHOT_COLUMNS)


def tasks_frame(*, on: date, plan: str | None = None, G: nx.MultiDiGraph | None = None) -> pd.DataFrame:
    """The plans' tasks on ``on``: deadline, status, who leads (after inheritance) and who
    coordinates. ``G`` defaults to the national graph with its bodies and the seeds' plans.

    >>> f = tasks_frame(on=date(2025, 7, 1), plan="47-KH/BCĐ")
    >>> bool((f["plan"] == "47-KH/BCĐ").all()) and len(f) > 0
    True
    """
    pd = _pd()
    from .queries.tasks import tasks

    if G is None:
        from .loaders.plans import load_full

        G = load_full()
    rows = []
    for t in tasks(G, plan=plan, on=on):
        leads = [h.name for x in t.lead for h in x.holders]
        rows.append(
            [
                t.id,
                t.plan,
                t.number,
                t.text,
                t.deadline,
                t.due,
                t.status,
                "; ".join(leads),
                "; ".join(x.status for x in t.lead),
                "; ".join(h.name for x in t.coordinators for h in x.holders),
            ]
        )
    return pd.DataFrame(rows, columns=TASK_COLUMNS)
