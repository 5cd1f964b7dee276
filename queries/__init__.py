"""Queries over the graph: plain functions whose first argument is the graph ``G``."""

from .address import ParsedAddress, parse_address
from .convert import Conversion, convert, convert_addresses, convert_csv, convert_rows
from .export import crosswalk_rows, write_crosswalk, write_graphml, write_node_link
from .find import describe, find, resolve, suggestions
from .results import Hop, Succession, Successor, UnitRef
from .snapshot import Diff, Snapshot, diff, snapshot
from .succession import Lineage, lineage, predecessors, successors

__all__ = [
    "Conversion",
    "Diff",
    "Hop",
    "Lineage",
    "Snapshot",
    "Succession",
    "Successor",
    "UnitRef",
    "ParsedAddress",
    "convert",
    "convert_addresses",
    "convert_csv",
    "convert_rows",
    "crosswalk_rows",
    "describe",
    "diff",
    "find",
    "lineage",
    "parse_address",
    "predecessors",
    "resolve",
    "snapshot",
    "successors",
    "suggestions",
    "write_crosswalk",
    "write_graphml",
    "write_node_link",
]
