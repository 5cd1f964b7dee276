"""Read a dataset in orgraph's compact format and build the graph.

The format (``orgraph-dataset/1``) is one JSON document, gzip-compressed or not, holding
column-named tables: ``units``, ``parents``, ``events``, ``inputs``, ``outputs`` and a
``sources`` table that unit and event ``sources`` refer to by id. The embedded national
dataset (``orgraph/data/national.json.gz``) is in this format, and so can be a user's own
file of later waves (``orgraph --data extra.json ...``).

Every row passes through a frozen pydantic model. A bad row raises :class:`DataError`
naming the file, the table and the row (1-based); nothing half-loaded is kept.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import TypeAdapter, ValidationError

from ..graph.build import add_name_keys, build_graph
from ..graph.errors import DataError
from ..graph.model import Attr, Event, EventInput, ParentLink, Unit, UnitType
from ..graph.names import body_key

__all__ = [
    "load_national",
    "load_graph",
    "load_dataset",
    "read_dataset",
    "may_name_body",
    "full_inputs",
    "NATIONAL",
    "FORMAT",
]

FORMAT = "orgraph-dataset/1"
_CODE_VERSION = "graph-2"  # bump when build_graph's output changes
NATIONAL = "national.json.gz"


def _national_path() -> Path:
    return Path(str(resources.files("orgraph.data").joinpath(NATIONAL)))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(str(path), None, f"cannot read: {e.strerror}") from None
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = json.loads(raw)
    except (OSError, ValueError) as e:
        raise DataError(str(path), None, f"not a JSON dataset: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataError(str(path), None, f"not an {FORMAT} file (missing or wrong 'format')")
    return doc


def _table(doc: dict, name: str, path: Path, required: Sequence[str]) -> list[dict[str, Any]]:
    t = doc.get(name, {"columns": list(required), "rows": []})
    cols = t.get("columns")
    if not isinstance(cols, list) or any(c not in cols for c in required):
        raise DataError(f"{path} [{name}]", None, f"columns must include {list(required)}")
    out = []
    for i, row in enumerate(t.get("rows", []), start=1):
        if not isinstance(row, list) or len(row) != len(cols):
            raise DataError(f"{path} [{name}]", i, f"expected {len(cols)} values, got {row!r:.80}")
        out.append(dict(zip(cols, row, strict=True)))
    return out


def _fail(path: Path, table: str, row: int, e: ValidationError) -> DataError:
    err = e.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return DataError(f"{path} [{table}]", row, f"{loc}: {err['msg']}")


_UNITS = TypeAdapter(list[Unit])
_PARENTS = TypeAdapter(list[ParentLink])
_INPUTS = TypeAdapter(list[EventInput])
_EVENTS = TypeAdapter(list[Event])


def _fail_list(path: Path, table: str, e: ValidationError) -> DataError:
    err = e.errors()[0]
    row = int(err["loc"][0]) + 1 if err["loc"] and isinstance(err["loc"][0], int) else None
    loc = ".".join(str(x) for x in err["loc"][1:])
    return DataError(f"{path} [{table}]", row, f"{loc}: {err['msg']}" if loc else err["msg"])


def read_dataset(path: str | Path) -> tuple[list[Unit], list[Event], dict[str, dict]]:
    """Parse and validate one dataset file into models. Raises DataError on the first bad row."""
    path = Path(path)
    doc = _read_json(path)
    sources = doc.get("sources", {})
    if not isinstance(sources, dict):
        raise DataError(str(path), None, "'sources' must be an object")

    prow = _table(doc, "parents", path, ["unit", "parent"])
    try:
        links = _PARENTS.validate_python(
            [{"parent": r["parent"], "valid_from": r.get("valid_from"), "valid_to": r.get("valid_to")} for r in prow]
        )
    except ValidationError as e:
        raise _fail_list(path, "parents", e) from None
    parents: dict[str, list[ParentLink]] = defaultdict(list)
    for r, link in zip(prow, links, strict=True):
        parents[r["unit"]].append(link)

    rows = _table(doc, "units", path, ["uid", "kind", "type", "name"])
    for i, r in enumerate(rows, start=1):
        r.setdefault("short", r["name"])
        for s in r.get("sources") or ():
            if s not in sources:
                raise DataError(f"{path} [units]", i, f"source {s!r} is not in the sources table")
        r["parents"] = tuple(parents.pop(r["uid"], ()))
    try:  # one call validates every row (pydantic's core loops, not Python)
        units: list[Unit] = _UNITS.validate_python(rows)
    except ValidationError as e:
        raise _fail_list(path, "units", e) from None

    irow = _table(doc, "inputs", path, ["event", "unit"])
    events_of = [r.pop("event") for r in irow]
    try:
        inputs = _INPUTS.validate_python(irow)
    except ValidationError as e:
        raise _fail_list(path, "inputs", e) from None
    ins: dict[str, list[EventInput]] = defaultdict(list)
    for ev, inp in zip(events_of, inputs, strict=True):
        ins[ev].append(inp)
    outs: dict[str, list[str]] = defaultdict(list)
    for r in _table(doc, "outputs", path, ["event", "unit"]):
        outs[r["event"]].append(r["unit"])

    erow = _table(doc, "events", path, ["id", "type", "date"])
    for r in erow:
        number, bdate, clause = r.pop("basis", None), r.pop("basis_date", None), r.pop("clause", None)
        r["basis"] = {"number": number, "date": bdate, "clause": clause} if number else None
        r["inputs"] = tuple(ins.pop(r["id"], ()))
        r["outputs"] = tuple(outs.pop(r["id"], ()))
    try:
        events: list[Event] = _EVENTS.validate_python(erow)
    except ValidationError as e:
        raise _fail_list(path, "events", e) from None
    if ins or outs:
        orphan = next(iter(ins or outs))
        raise DataError(f"{path} [inputs/outputs]", None, f"event {orphan!r} is not in the events table")
    return units, events, sources


def load_dataset(paths: Iterable[str | Path]) -> nx.MultiDiGraph:
    """Build one graph from several dataset files (the national data, then later waves).

    Units in a later file may refer to units and events of earlier ones; a unit id given
    again replaces the earlier unit (a later wave may end a unit that was open).
    """
    with _no_gc():
        return _load_dataset(paths)


def _load_dataset(paths: Iterable[str | Path]) -> nx.MultiDiGraph:
    all_units: dict[str, Unit] = {}
    all_events: dict[str, Event] = {}
    all_sources: dict[str, dict] = {}
    origin = []
    for p in paths:
        units, events, sources = read_dataset(p)
        origin.append(str(p))
        all_sources.update(sources)
        for u in units:
            all_units[u.uid] = u
        for ev in events:
            all_events[ev.id] = ev
    return build_graph(all_units.values(), all_events.values(), sources=all_sources, origin=" + ".join(origin))


def _cache_dir() -> Path | None:
    if os.environ.get("ORGRAPH_CACHE", "1") in ("0", "", "off"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "orgraph"


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of dicts are made: the
    graph holds no garbage cycles, and collecting during the build costs more than the build."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _entry(tag: str, paths: Sequence[Path]) -> Path | None:
    """The cache file for a graph built by ``tag`` from ``paths`` (None: no cache)."""
    cache = _cache_dir()
    entry = None
    if cache is not None:
        h = hashlib.sha256(f"{FORMAT}|{_CODE_VERSION}|{tag}".encode())
        here = Path(__file__).resolve().parent.parent
        code = [
            here / "graph" / "names.py",
            here / "graph" / "build.py",
            here / "graph" / "model.py",
            here / "loaders" / "dataset.py",
            here / "loaders" / "bodies.py",
            here / "loaders" / "plans.py",
        ]
        for p in [*code, *paths]:  # the code that builds it is part of the key too
            try:
                h.update(Path(p).read_bytes())
            except OSError:
                cache = None  # let the builder report the unreadable file
                break
        entry = cache / f"{tag}-{h.hexdigest()[:32]}.pickle" if cache is not None else None
    return entry


def _read(entry: Path | None) -> Any:
    if entry is not None and entry.exists():
        try:
            with entry.open("rb") as f, _no_gc():
                return pickle.load(f)  # noqa: S301 - written by orgraph itself, keyed by content
        except Exception:  # noqa: BLE001 - a bad cache entry is rebuilt
            pass
    return None


def _write(entry: Path | None, tag: str, value: Any) -> None:
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        # keep the few most recent entries of this kind; older ones are stale builds
        old = sorted(entry.parent.glob(f"{tag}-*.pickle"), key=lambda q: q.stat().st_mtime)
        for stale in old[:-4]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: no cache, same answers


def cached_build(
    tag: str,
    paths: Sequence[Path],
    build: Callable[[], nx.MultiDiGraph],
    *,
    index: Callable[[nx.MultiDiGraph], Any] | None = None,
) -> nx.MultiDiGraph:
    """``build()``, or the graph it built before from the very same input bytes, read back
    from the per-user cache (so every row was validated when the entry was written).

    With ``index``, ``index(G)`` is cached beside the graph (as ``<tag>index``), for
    :func:`cached_index` to read without loading the graph."""
    entry = _entry(tag, paths)
    G = _read(entry)
    built = G is None
    if G is None:
        with _no_gc():
            G = build()
        _write(entry, tag, G)
    if index is not None and entry is not None:
        side = _entry(tag + "index", paths)
        if built or (side is not None and not side.exists()):
            _write(side, tag + "index", index(G))
    return G


def cached_index(tag: str, paths: Sequence[Path]) -> Any:
    """What ``index`` made of the graph ``cached_build(tag, paths, ...)`` built, or None."""
    return _read(_entry(tag + "index", paths))


@lru_cache(maxsize=4)
def _cached(extra: tuple[str, ...]) -> nx.MultiDiGraph:
    paths = [_national_path(), *map(Path, extra)]
    return cached_build("graph", paths, lambda: add_name_keys(load_dataset(paths)))


SEED_PLANS = "plans/seed_plans.yaml"
STANDARD_BODIES = "bodies/standard_bodies.yaml"


def full_inputs(extra: Sequence[str | Path] = (), plans: Sequence[str | Path] = ()) -> list[Path]:
    """The files the full graph (territories, bodies, tasks) is built from."""
    data = resources.files("orgraph.data")
    return [
        _national_path(),
        *map(Path, extra),
        *map(Path, plans),
        Path(str(data.joinpath(SEED_PLANS))),
        Path(str(data.joinpath(STANDARD_BODIES))),
    ]


def body_heads(G: nx.MultiDiGraph) -> frozenset[str]:
    """The first two words of every body's name and role keys: what a name must start with
    to be a body's (the index :func:`may_name_body` reads from the cache)."""
    k_type, body, keys = Attr.TYPE, UnitType.BODY, (Attr.KEY, Attr.KEY_FULL)
    out = set()
    for a in G._node.values():
        if a.get(k_type) == body:
            for k in keys:
                out.add(" ".join(a[k].split()[:2]))
    return frozenset(out)


def may_name_body(text: str, extra: Sequence[str | Path] = ()) -> bool:
    """Whether ``text`` is a body's id, or starts as some body's name does. Reads a small
    index cached with the full graph (building the full graph once if it is missing), so
    that a question about a territory need not load every body.

    >>> may_name_body("Ban Tổ chức Tỉnh ủy Thái Bình"), may_name_body("Xã Minh Khai, Hưng Hà")
    (True, False)
    """
    t = text.strip()
    if t.startswith("body:"):
        return True
    words = body_key(t.split(",", 1)[0]).split()
    if len(words) < 2:
        return False
    heads = cached_index("full", full_inputs(extra))
    if heads is None:
        from .plans import load_full

        heads = body_heads(load_full(extra))
    return " ".join(words[:2]) in heads


def load_graph(extra: Sequence[str | Path] = (), *, names: Iterable[str] = (), full: bool = False) -> nx.MultiDiGraph:
    """The graph a question needs: the full graph (with every body and the seeds' tasks,
    :func:`orgraph.loaders.plans.load_full`) if ``full`` or if one of ``names`` may name a
    body, else the national graph, which is the full graph's territorial part and answers a
    question about a territory exactly as the full graph does, without loading the bodies.

    >>> load_graph(names=["Tỉnh ủy Hà Giang"]).number_of_nodes() > load_graph().number_of_nodes()
    True
    """
    if full or any(may_name_body(n, extra) for n in names):
        from .plans import load_full

        return load_full(extra)
    return load_national(extra)


def load_national(extra: Sequence[str | Path] = ()) -> nx.MultiDiGraph:
    """The embedded national graph (plus any extra dataset files), built once per process
    and cached per user (``~/.cache/orgraph``; ``ORGRAPH_CACHE=0`` turns the cache off).

    Do not mutate the returned graph; ``nx.MultiDiGraph.copy()`` it first.

    >>> G = load_national()
    >>> G.nodes["province:33"]["name"]
    'Tỉnh Hưng Yên'
    """
    return _cached(tuple(str(Path(p).resolve()) for p in extra))
