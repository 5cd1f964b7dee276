"""orgraph: Vietnam's 2025 local-government reorganisation as one graph over time.

>>> import orgraph
>>> G = orgraph.load_national()
>>> orgraph.successors(G, "Xã Minh Khai, Hưng Hà, Thái Bình").units[0].unit.name
'Xã Hưng Hà'
"""

from __future__ import annotations

from .frames import convert_frame, crosswalk_frame, snapshot_frame, tasks_frame
from .graph import (
    AmbiguousUnitError,
    BeyondHorizonError,
    DataError,
    NotLiveError,
    OrgraphError,
    UnknownUnitError,
)
from .loaders import load_dataset, load_national
from .queries import (
    convert,
    convert_addresses,
    convert_csv,
    diff,
    find,
    lineage,
    parse_address,
    predecessors,
    resolve,
    snapshot,
    successors,
)

__version__ = "0.1.0"

__all__ = [
    "AmbiguousUnitError",
    "BeyondHorizonError",
    "DataError",
    "NotLiveError",
    "OrgraphError",
    "UnknownUnitError",
    "convert",
    "convert_addresses",
    "convert_csv",
    "convert_frame",
    "crosswalk_frame",
    "diff",
    "find",
    "lineage",
    "load_dataset",
    "load_national",
    "parse_address",
    "predecessors",
    "resolve",
    "snapshot",
    "snapshot_frame",
    "successors",
    "tasks_frame",
    "__version__",
]
