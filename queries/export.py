"""Take the data elsewhere: node-link JSON and GraphML (networkx's own writers), and the
old → new crosswalk as CSV."""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from enum import Enum
from pathlib import Path

import networkx as nx

from ..graph.build import event_outputs, out_events
from ..graph.errors import DataError
from ..graph.model import REFORM_DATE, Attr, Kind, NodeKind
from .succession import successor_ids

__all__ = ["write_node_link", "write_graphml", "write_crosswalk", "crosswalk_rows", "plain_graph", "CROSSWALK_COLUMNS"]


def _plain(v: object) -> object:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple | list):
        return ";".join(str(_plain(x)) for x in v)
    if isinstance(v, dict):  # a point, a former name
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def plain_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are plain strings and numbers (None dropped), for writers."""
    H = nx.MultiDiGraph()
    H.graph.update({"format": "orgraph-export/1"})
    for n, a in G.nodes(data=True):
        H.add_node(n, **{k: _plain(v) for k, v in a.items() if v is not None})
    for u, v, k, a in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{kk: _plain(vv) for kk, vv in a.items() if vv is not None})
    return H


def new_file_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would give: the existing file's, or 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    """Write through a temporary file beside ``path``, then rename it over ``path``: a reader
    never sees half a file, and a failure leaves no temporary file. An unwritable place is a
    DataError naming the path."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = new_file_mode(path)
        fd, tmp = tempfile.mkstemp(prefix=".orgraph-", dir=path.parent)
        os.close(fd)
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as e:
        raise DataError(str(path), None, f"cannot write: {why_not_written(path, e)}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def why_not_written(path: Path, e: OSError) -> str:
    """The operating system's reason a file could not be written, said of the path the user
    gave: ``/etc/passwd/x.csv`` fails because a file stands where a folder is needed."""
    if isinstance(e, FileExistsError | NotADirectoryError):
        for up in path.parents:
            if up.exists():
                if not up.is_dir():
                    return f"{up} is a file, not a folder"
                break
    return e.strerror or str(e)


def write_node_link(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the whole graph as node-link JSON (``networkx.node_link_data``)."""
    data = nx.node_link_data(plain_graph(G), edges="links")

    def w(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)

    write_atomic(Path(path), w)


# what XML 1.0 cannot hold at all: C0 controls but tab, newline and return; surrogates; U+FFFE/F
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(v: object) -> object:
    """A string with each character XML cannot hold written as a ``\\uXXXX`` escape."""
    if isinstance(v, str) and _NOT_XML.search(v):
        return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", v)
    return v


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the whole graph as GraphML (``networkx.write_graphml``). Characters that XML 1.0
    cannot hold (control characters in a name from a ``--data`` file) are written as
    ``\\uXXXX`` escapes, so the file always parses."""
    P = plain_graph(G)
    H = nx.MultiDiGraph()
    H.graph.update({k: _xml_safe(v) for k, v in P.graph.items()})
    H.add_nodes_from((_xml_safe(n), {k: _xml_safe(v) for k, v in a.items()}) for n, a in P.nodes(data=True))
    H.add_edges_from(
        (_xml_safe(u), _xml_safe(v), _xml_safe(k), {kk: _xml_safe(vv) for kk, vv in a.items()})
        for u, v, k, a in P.edges(keys=True, data=True)
    )
    write_atomic(Path(path), lambda tmp: nx.write_graphml(H, tmp, encoding="utf-8"))


CROSSWALK_COLUMNS = [
    "old_id",
    "old_code",
    "old_name",
    "old_type",
    "new_id",
    "new_code",
    "new_name",
    "new_type",
    "new_province",
    "portion",
    "default",
    "event",
    "event_type",
    "date",
    "legal_basis",
    "clause",
]


def crosswalk_rows(G: nx.MultiDiGraph, *, on: date = REFORM_DATE) -> Iterator[list[str]]:
    """One row per old commune and successor live on ``on``: portion, default flag, event
    and legal basis (of the first hop)."""
    from .succession import province_of

    for n, a in sorted(G.nodes(data=True), key=lambda t: (str(t[1].get(Attr.CODE)), t[0])):
        if a.get(Attr.NODE) != NodeKind.UNIT or a[Attr.KIND] != Kind.COMMUNE:
            continue
        if a.get(Attr.VALID_TO) is None or a[Attr.VALID_TO] > on:
            continue
        if not out_events(G, n):
            continue
        for u, portion, default, path in successor_ids(G, n, on):
            b = G.nodes[u]
            h = path[0] if path else None
            yield [
                n,
                a.get(Attr.CODE) or "",
                a[Attr.NAME],
                str(a[Attr.TYPE]),
                u,
                b.get(Attr.CODE) or "",
                b[Attr.NAME],
                str(b[Attr.TYPE]),
                province_of(G, u, on) or "",
                portion,
                "yes" if default else "no",
                h.event if h else "",
                h.type if h else "",
                h.date.isoformat() if h else "",
                h.basis or "" if h else "",
                h.clause or "" if h else "",
            ]
    _ = event_outputs  # re-exported helpers keep one import path


def write_crosswalk(G: nx.MultiDiGraph, path: str | Path, *, on: date = REFORM_DATE) -> int:
    """Write the old → new commune crosswalk CSV; returns the number of rows."""
    rows = list(crosswalk_rows(G, on=on))

    def w(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            wr = csv.writer(f)
            wr.writerow(CROSSWALK_COLUMNS)
            wr.writerows(rows)

    write_atomic(Path(path), w)
    return len(rows)
