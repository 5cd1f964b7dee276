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
import hashlib
import hmac
import json
import os
import pickle
import secrets
import tempfile
import zlib
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
from ..graph.model import Attr, Event, EventInput, Horizon, ParentLink, Unit, UnitType
from ..graph.names import body_key

__all__ = [
    "load_national",
    "load_graph",
    "national_path",
    "load_dataset",
    "read_dataset",
    "read_horizon",
    "may_name_body",
    "full_inputs",
    "NATIONAL",
    "FORMAT",
]

FORMAT = "orgraph-dataset/1"
_CODE_VERSION = "graph-3"  # bump when build_graph's output changes
NATIONAL = "national.json.gz"


def national_path() -> Path:
    """The embedded national dataset's file (``orgraph/data/national.json.gz``).

    >>> national_path().name
    'national.json.gz'
    """
    return Path(str(resources.files("orgraph.data").joinpath(NATIONAL)))


MAX_BYTES = 256 * 2**20  # a dataset, decompressed, may be this big (the national one is 4 MB)


def _inflate(raw: bytes, path: Path) -> bytes:
    """gzip's members, decompressed, never more than MAX_BYTES (a small file of zeros or
    spaces can expand a thousandfold)."""
    out = bytearray()
    while raw:
        d = zlib.decompressobj(wbits=31)
        try:
            out += d.decompress(raw, MAX_BYTES + 1 - len(out))
        except zlib.error as e:
            raise DataError(str(path), None, f"not a valid gzip file ({e})") from None
        if len(out) > MAX_BYTES:
            raise DataError(str(path), None, f"expands to more than {MAX_BYTES // 2**20} MB; not a dataset")
        if not d.eof:
            raise DataError(str(path), None, "truncated gzip file (it ends mid-stream)")
        raw = d.unused_data.lstrip(b"\0")  # members may follow; trailing zero padding is allowed
    return bytes(out)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(str(path), None, f"larger than {MAX_BYTES // 2**20} MB; not a dataset")
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(str(path), None, f"cannot read: {e.strerror or e}") from None
    if raw[:2] == b"\x1f\x8b":
        raw = _inflate(raw, path)
    try:
        doc = json.loads(raw)
    except RecursionError:  # json's C scanner counts its depth: no crash, no hang
        raise DataError(str(path), None, "JSON nested too deeply; not a dataset") from None
    except ValueError as e:  # bad JSON, bad UTF-8
        raise DataError(str(path), None, f"not a JSON dataset: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataError(str(path), None, f"not an {FORMAT} file (missing or wrong 'format')")
    return doc


def _table(doc: dict, name: str, path: Path, required: Sequence[str]) -> list[dict[str, Any]]:
    """The table's rows as dicts. The table must be ``{"columns": [...], "rows": [[...], ...]}``
    and its required columns (ids, kinds, types, dates) strings."""
    where = f"{path} [{name}]"
    t = doc.get(name, {"columns": list(required), "rows": []})
    if not isinstance(t, dict):
        raise DataError(where, None, 'a table must be an object {"columns": [...], "rows": [...]}')
    cols, rows = t.get("columns"), t.get("rows", [])
    if not isinstance(cols, list) or not all(isinstance(c, str) for c in cols) or len(set(cols)) != len(cols):
        raise DataError(where, None, "'columns' must be a list of distinct names")
    if any(c not in cols for c in required):
        raise DataError(where, None, f"columns must include {list(required)}")
    if not isinstance(rows, list):
        raise DataError(where, None, "'rows' must be a list of rows")
    out = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(cols):
            raise DataError(where, i, f"expected a list of {len(cols)} values, got {row!r:.80}")
        r = dict(zip(cols, row, strict=True))
        for c in required:
            if not isinstance(r[c], str) or not r[c]:
                raise DataError(where, i, f"{c}: expected a non-empty string, got {r[c]!r:.80}")
        out.append(r)
    return out


def _fail(path: Path, table: str, row: int, e: ValidationError) -> DataError:
    err = e.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return DataError(f"{path} [{table}]", row, f"{loc}: {err['msg']}")


_UNITS = TypeAdapter(list[Unit])
_PARENTS = TypeAdapter(list[ParentLink])
_INPUTS = TypeAdapter(list[EventInput])
_EVENTS = TypeAdapter(list[Event])
_HORIZON = TypeAdapter(dict[str, Horizon])


def _horizon(doc: dict, path: Path) -> dict[str, Horizon]:
    try:
        return _HORIZON.validate_python(doc.get("horizon") or {})
    except ValidationError as e:
        raise _fail_list(path, "horizon", e) from None


def _merge_horizons(found: Iterable[dict[str, Horizon]]) -> dict[str, Horizon]:
    """Per kind, the earliest date any file declares (a file of earlier waves extends it)."""
    out: dict[str, Horizon] = {}
    for h in found:
        for k, v in h.items():
            if k not in out or v.start < out[k].start:
                out[k] = v
    return out


def read_horizon(paths: Iterable[str | Path]) -> dict[str, Horizon]:
    """Per kind, the date from which the data of these files is complete.

    >>> read_horizon([national_path()])["commune"].start
    datetime.date(2025, 3, 1)
    """
    return _merge_horizons(_horizon(_read_json(Path(p)), Path(p)) for p in paths)


def _fail_list(path: Path, table: str, e: ValidationError) -> DataError:
    err = e.errors()[0]
    row = int(err["loc"][0]) + 1 if err["loc"] and isinstance(err["loc"][0], int) else None
    loc = ".".join(str(x) for x in err["loc"][1:])
    return DataError(f"{path} [{table}]", row, f"{loc}: {err['msg']}" if loc else err["msg"])


class _Read:
    """One file's models, with each unit's and event's row (for errors naming them) and the
    units the file says it replaces."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.units: list[Unit] = []
        self.events: list[Event] = []
        self.sources: dict[str, dict] = {}
        self.unit_row: dict[str, int] = {}
        self.event_row: dict[str, int] = {}
        self.replaces: set[str] = set()
        self.horizon: dict[str, Horizon] = {}


def read_dataset(path: str | Path) -> tuple[list[Unit], list[Event], dict[str, dict]]:
    """Parse and validate one dataset file into models. Raises DataError on the first bad row."""
    r = _read(Path(path))
    return r.units, r.events, r.sources


def _sources_of(r: dict[str, Any], sources: dict, where: str, row: int) -> None:
    srcs = r.get("sources")
    for s in srcs if isinstance(srcs, list) else ():  # a wrong type is the model's to report
        if isinstance(s, str) and s not in sources:
            raise DataError(where, row, f"source {s!r} is not in the sources table")


def _read(path: Path) -> _Read:
    out = _Read(path)
    doc = _read_json(path)
    horizon = _horizon(doc, path)
    sources = doc.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, dict) for v in sources.values()):
        raise DataError(str(path), None, "'sources' must be an object of id: {kind, ref, ...}")
    out.sources = sources

    prow = _table(doc, "parents", path, ["unit", "parent"])
    try:
        links = _PARENTS.validate_python(
            [{"parent": r["parent"], "valid_from": r.get("valid_from"), "valid_to": r.get("valid_to")} for r in prow]
        )
    except ValidationError as e:
        raise _fail_list(path, "parents", e) from None
    parents: dict[str, list[ParentLink]] = defaultdict(list)
    parent_row: dict[str, int] = {}
    for i, (r, link) in enumerate(zip(prow, links, strict=True), start=1):
        parents[r["unit"]].append(link)
        parent_row.setdefault(r["unit"], i)

    rows = _table(doc, "units", path, ["uid", "kind", "type", "name"])
    for i, r in enumerate(rows, start=1):
        if r["uid"] in out.unit_row:
            raise DataError(
                f"{path} [units]", i, f"unit {r['uid']!r} is defined twice (first in row {out.unit_row[r['uid']]})"
            )
        out.unit_row[r["uid"]] = i
        replaces = r.pop("replaces", False)
        if replaces not in (True, False, None):
            raise DataError(f"{path} [units]", i, f"replaces: expected true or false, got {replaces!r:.40}")
        if replaces:
            out.replaces.add(r["uid"])
        r.setdefault("short", r["name"])
        _sources_of(r, sources, f"{path} [units]", i)
        r["parents"] = tuple(parents.pop(r["uid"], ()))
    if parents:
        orphan = next(iter(parents))
        raise DataError(f"{path} [parents]", parent_row[orphan], f"unit {orphan!r} is not in this file's units table")
    try:  # one call validates every row (pydantic's core loops, not Python)
        out.units = _UNITS.validate_python(rows)
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
    for i, r in enumerate(erow, start=1):
        if r["id"] in out.event_row:
            raise DataError(
                f"{path} [events]", i, f"event {r['id']!r} is defined twice (first in row {out.event_row[r['id']]})"
            )
        out.event_row[r["id"]] = i
        _sources_of(r, sources, f"{path} [events]", i)
        number, bdate, clause = r.pop("basis", None), r.pop("basis_date", None), r.pop("clause", None)
        r["basis"] = {"number": number, "date": bdate, "clause": clause} if number else None
        r["inputs"] = tuple(ins.pop(r["id"], ()))
        r["outputs"] = tuple(outs.pop(r["id"], ()))
    try:
        out.events = _EVENTS.validate_python(erow)
    except ValidationError as e:
        raise _fail_list(path, "events", e) from None
    if ins or outs:
        orphan = next(iter(ins or outs))
        raise DataError(f"{path} [inputs/outputs]", None, f"event {orphan!r} is not in the events table")
    out.horizon = horizon
    return out


def load_dataset(paths: Iterable[str | Path]) -> nx.MultiDiGraph:
    """Build one graph from several dataset files (the national data, then later waves).

    Units and events in a later file may refer to those of earlier ones. A later file may
    redefine an earlier unit (to end a unit that was open, or to correct it) only on a row that
    says so, with ``replaces`` true, and never as another kind. A unit or event defined twice
    without it, a unit that is its own successor, and a cycle of events are errors that name
    the file and the row.
    """
    with _no_gc():
        return _load_dataset(paths)


def _load_dataset(paths: Iterable[str | Path]) -> nx.MultiDiGraph:
    all_units: dict[str, Unit] = {}
    all_events: dict[str, Event] = {}
    all_sources: dict[str, dict] = {}
    where: dict[str, tuple[str, int]] = {}  # unit or event id -> (file [table], row)
    files = [Path(p) for p in paths]
    reads = [_read(p) for p in reversed(files)][::-1]  # a bad later file fails before the big first one is read
    origin = [str(p) for p in files]
    for p, r in zip(files, reads, strict=True):
        all_sources.update(r.sources)
        for u in r.units:
            row = r.unit_row[u.uid]
            old = all_units.get(u.uid)
            if old is None and u.uid in r.replaces:
                raise DataError(f"{p} [units]", row, f"unit {u.uid!r} replaces nothing: no earlier file defines it")
            if old is not None:
                first = "{} row {}".format(*where[u.uid])
                if old.kind != u.kind:
                    raise DataError(
                        f"{p} [units]",
                        row,
                        f"unit {u.uid!r} is a {old.kind.value} ({first}); it cannot become a {u.kind.value}",
                    )
                if u.uid not in r.replaces:
                    raise DataError(
                        f"{p} [units]",
                        row,
                        f"unit {u.uid!r} is already defined ({first}); to correct or end it here, "
                        "add a 'replaces' column set to true on this row",
                    )
            all_units[u.uid] = u
            where[u.uid] = (f"{p} [units]", row)
        for ev in r.events:
            row = r.event_row[ev.id]
            if ev.id in all_events:
                first = "{} row {}".format(*where[ev.id])
                raise DataError(f"{p} [events]", row, f"event {ev.id!r} is already defined ({first})")
            all_events[ev.id] = ev
            where[ev.id] = (f"{p} [events]", row)
    _no_event_cycle(all_events.values(), where)
    return build_graph(
        all_units.values(),
        all_events.values(),
        sources=all_sources,
        origin=" + ".join(origin),
        horizon=_merge_horizons([r.horizon for r in reads]),
    )


def _no_event_cycle(events: Iterable[Event], where: dict[str, tuple[str, int]]) -> None:
    """Raise DataError, naming an event's file and row, if following events from a unit can
    lead back to it (a unit cannot be its own successor, directly or in a chain)."""
    nxt: dict[str, list[tuple[str, str]]] = defaultdict(list)  # unit -> [(event, output)]
    for ev in events:
        for inp in ev.inputs:
            nxt[inp.unit].extend((ev.id, o) for o in ev.outputs)
    state: dict[str, int] = {}  # 1 on the walk's stack, 2 done
    for start in list(nxt):
        if start in state:
            continue
        stack = [(start, iter(nxt[start]))]
        state[start] = 1
        while stack:
            u, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[u] = 2
                stack.pop()
                continue
            ev_id, o = step
            if state.get(o) == 1:
                file, row = where.get(ev_id, ("<dataset>", 0))
                what = "its own successor" if o == u else "its own successor through a cycle of events"
                raise DataError(file, row or None, f"event {ev_id!r} makes unit {o!r} {what}")
            if o not in state:
                state[o] = 1
                stack.append((o, iter(nxt.get(o, ()))))


def _cache_dir() -> Path | None:
    """The per-user cache folder, where the platform keeps caches (``~/.cache/orgraph`` or
    ``$XDG_CACHE_HOME/orgraph`` on Linux, ``~/Library/Caches/orgraph`` on macOS,
    ``%LOCALAPPDATA%\\orgraph\\Cache`` on Windows); None when ``ORGRAPH_CACHE=0``."""
    if os.environ.get("ORGRAPH_CACHE", "1") in ("0", "", "off"):
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("orgraph", appauthor=False))


def _code_files() -> list[Path]:
    """The code that builds the graphs: every module of ``graph/`` and ``loaders/``, found
    rather than listed, so a change to any of them rebuilds the cached graphs."""
    here = Path(__file__).resolve().parent.parent
    return sorted(p for d in ("graph", "loaders") for p in (here / d).glob("*.py"))


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


_MAGIC = b"orgraph-cache/2\n"  # then a 32-byte MAC, then the pickled (key, nodes, edges, graph)
_MAC_SIZE = 32


def _input_key(tag: str, paths: Sequence[Path]) -> str | None:
    """A digest over the code that builds the graph and over each input file's name, size and
    bytes (length-prefixed, so no two different lists of files can run together into one key).
    None if a file cannot be read: the builder then reports it."""
    h = hashlib.sha256(f"{FORMAT}|{_CODE_VERSION}|{tag}".encode())
    for p in [*_code_files(), *paths]:
        try:
            raw = Path(p).read_bytes()
        except OSError:
            return None
        name = str(p).encode("utf-8", "surrogateescape")
        h.update(len(name).to_bytes(8, "big") + name + len(raw).to_bytes(8, "big"))
        h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()


def _private(st: os.stat_result, others: int) -> bool:
    """The file is this user's and no one else may do ``others`` (a mode mask) to it."""
    uid = getattr(os, "getuid", None)
    return (uid is None or st.st_uid == uid()) and not st.st_mode & others


def _mac_key(cache: Path) -> bytes | None:
    """The per-user secret that signs cache entries (``key``, mode 0600, in a directory only this
    user may write), made on first use. None, and so no cache, if either is not private."""
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(cache.stat(), 0o022):
            return None
        path = cache / "key"
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(_MAC_SIZE))
        with open(os.open(path, os.O_RDONLY | nofollow), "rb") as f:
            if not _private(os.fstat(f.fileno()), 0o077):
                return None
            key = f.read()
    except OSError:
        return None
    return key if len(key) == _MAC_SIZE else None


def _mac(key: bytes, payload: bytes | memoryview) -> bytes:
    return hashlib.blake2b(payload, key=key, digest_size=_MAC_SIZE).digest()


def _read_signed(entry: Path, key: bytes) -> Any:
    """The object in a cache entry, only if this user's key signed it; else None."""
    try:
        raw = memoryview(entry.read_bytes())
    except OSError:
        return None
    head, mac, payload = raw[: len(_MAGIC)], raw[len(_MAGIC) : len(_MAGIC) + _MAC_SIZE], raw[len(_MAGIC) + _MAC_SIZE :]
    if head != _MAGIC or not hmac.compare_digest(mac, _mac(key, payload)):
        return None  # not ours, or edited: never unpickled
    try:
        with _no_gc():
            return pickle.loads(payload)  # noqa: S301 - signed with this user's key, checked by the callers
    except Exception:  # noqa: BLE001 - a bad entry is rebuilt
        return None


def _read_entry(entry: Path, key: bytes, input_key: str) -> nx.MultiDiGraph | None:
    """The graph in a cache entry, only if this user's key signed it, it was built from exactly
    these inputs, and it has the shape of one; else None (and the entry is rebuilt)."""
    obj = _read_signed(entry, key)
    if not (isinstance(obj, tuple) and len(obj) == 4 and obj[0] == input_key):
        return None
    _, n_nodes, n_edges, G = obj
    if not isinstance(G, nx.MultiDiGraph) or (G.number_of_nodes(), G.number_of_edges()) != (n_nodes, n_edges):
        return None
    if not isinstance(G.graph.get(Attr.SOURCES), dict):
        return None
    return G


def _write_signed(entry: Path, key: bytes, tag: str, obj: Any) -> None:
    """Sign and write ``obj`` to ``entry``, keeping the few most recent entries of ``tag``."""
    try:
        payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + _mac(key, payload))
                f.write(payload)
            os.replace(tmp, entry)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        # keep the few most recent entries of this kind; older ones are stale builds
        old = sorted(entry.parent.glob(f"{tag}-*.signed"), key=lambda q: q.stat().st_mtime)
        for stale in old[:-4]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: no cache, same answers


def _entry(tag: str, paths: Sequence[Path]) -> tuple[Path, bytes, str] | None:
    """The cache file for what ``tag`` builds from ``paths``, this user's signing key and the
    inputs' digest; None if there is no (private) cache or a file cannot be read."""
    cache = _cache_dir()
    if cache is None:
        return None
    input_key = _input_key(tag, paths)
    key = _mac_key(cache) if input_key is not None else None
    if input_key is None or key is None:
        return None
    return cache / f"{tag}-{input_key[:32]}.signed", key, input_key


def cached_build(
    tag: str,
    paths: Sequence[Path],
    build: Callable[[], nx.MultiDiGraph],
    *,
    index: Callable[[nx.MultiDiGraph], Any] | None = None,
) -> nx.MultiDiGraph:
    """``build()``, or the graph it built before from exactly these input files, read back from
    the per-user cache.

    An entry's name is a digest over each file's name, size and bytes and over the code that
    builds the graph; its content is signed with a per-user key (``key`` in the cache folder,
    mode 0600), checked before anything is unpickled, and the graph's type and size are checked
    after. Anything else (an unreadable, foreign, edited or mis-shaped entry) is rebuilt, so
    every row served was validated when the entry was written.

    With ``index``, ``index(G)`` is cached beside the graph (as ``<tag>index``, signed the same
    way), for :func:`cached_index` to read without loading the graph.
    """
    found = _entry(tag, paths)
    G = _read_entry(found[0], found[1], found[2]) if found is not None and found[0].exists() else None
    built = G is None
    if G is None:
        with _no_gc():
            G = build()
        if found is not None:
            entry, key, input_key = found
            _write_signed(entry, key, tag, (input_key, G.number_of_nodes(), G.number_of_edges(), G))
    if index is not None and found is not None:
        side = _entry(tag + "index", paths)
        if side is not None and (built or not side[0].exists()):
            _write_signed(side[0], side[1], tag + "index", (side[2], index(G)))
    return G


def cached_index(tag: str, paths: Sequence[Path]) -> Any:
    """What ``index`` made of the graph ``cached_build(tag, paths, ...)`` built, or None."""
    side = _entry(tag + "index", paths)
    if side is None or not side[0].exists():
        return None
    obj = _read_signed(side[0], side[1])
    if not (isinstance(obj, tuple) and len(obj) == 2 and obj[0] == side[2]):
        return None
    return obj[1]


@lru_cache(maxsize=4)
def _cached(extra: tuple[str, ...]) -> nx.MultiDiGraph:
    paths = [national_path(), *map(Path, extra)]
    return cached_build("graph", paths, lambda: add_name_keys(load_dataset(paths)))


SEED_PLANS = "plans/seed_plans.yaml"
SEED_BODIES = "plans/seed_bodies.yaml"  # bodies as the seeds state them, beside the rules
STANDARD_BODIES = "bodies/standard_bodies.yaml"


def full_inputs(extra: Sequence[str | Path] = (), plans: Sequence[str | Path] = ()) -> list[Path]:
    """The files the full graph (territories, bodies, tasks) is built from."""
    data = resources.files("orgraph.data")
    return [
        national_path(),
        *map(Path, extra),
        *map(Path, plans),
        Path(str(data.joinpath(SEED_PLANS))),
        Path(str(data.joinpath(SEED_BODIES))),
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
