"""The model (units, change events, dated parents) and the graph built from it."""

from .build import build_graph, is_live
from .errors import (
    AmbiguousUnitError,
    ArgumentError,
    BackendError,
    BeyondHorizonError,
    DataError,
    NotLiveError,
    OrgraphError,
    UnknownUnitError,
)
from .model import (
    Attr,
    EdgeKind,
    Event,
    EventInput,
    EventType,
    Kind,
    LegalBasis,
    NodeKind,
    ParentLink,
    Portion,
    Source,
    Unit,
    UnitType,
)

__all__ = [
    "AmbiguousUnitError",
    "ArgumentError",
    "Attr",
    "BackendError",
    "BeyondHorizonError",
    "DataError",
    "EdgeKind",
    "Event",
    "EventInput",
    "EventType",
    "Kind",
    "LegalBasis",
    "NodeKind",
    "NotLiveError",
    "OrgraphError",
    "ParentLink",
    "Portion",
    "Source",
    "Unit",
    "UnitType",
    "UnknownUnitError",
    "build_graph",
    "is_live",
]
