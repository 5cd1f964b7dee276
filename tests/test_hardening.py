"""Issue 11's findings, each reproduction a test: the graph cache cannot lie, bad ``--data``
files are one-line errors naming the file and row, nothing hangs, outputs always parse."""

from __future__ import annotations

import csv
import gzip
import json
import os
import pickle
import signal
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from orgraph.cli import main
from orgraph.graph.errors import DataError
from orgraph.loaders import dataset
from orgraph.loaders.dataset import load_dataset, read_dataset
from orgraph.queries import successors, write_crosswalk, write_graphml, write_node_link

WAVE = Path(__file__).parent / "data" / "wave_2026.json"
UNIT_COLS = ["uid", "kind", "type", "name", "valid_from", "valid_to", "sources"]


def doc(units=(), events=(), inputs=(), outputs=(), parents=(), unit_cols=UNIT_COLS) -> dict:
    """A dataset in orgraph's format from plain row lists."""
    return {
        "format": "orgraph-dataset/1",
        "sources": {"t": {"kind": "modelling", "ref": "test"}},
        "units": {"columns": list(unit_cols), "rows": [list(r) for r in units]},
        "parents": {"columns": ["unit", "parent", "valid_from", "valid_to"], "rows": [list(r) for r in parents]},
        "events": {"columns": ["id", "type", "date", "sources"], "rows": [list(r) for r in events]},
        "inputs": {"columns": ["event", "unit", "portion", "default"], "rows": [list(r) for r in inputs]},
        "outputs": {"columns": ["event", "unit"], "rows": [list(r) for r in outputs]},
    }


def commune(uid: str, start: str | None = None, end: str | None = None, name: str | None = None) -> list:
    return [uid, "commune", "xã", name or f"Xã {uid}", start, end, ["t"]]


def write(tmp_path: Path, name: str, content: dict | bytes | str) -> Path:
    p = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run the real entry point in process; (exit code, stdout, stderr)."""
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ 1. the cache
@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ORGRAPH_CACHE", raising=False)
    return tmp_path / "xdg" / "orgraph"


def tiny_graph(label: str) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(sources={})
    G.add_node(label)
    return G


def counting(label: str, calls: list[str]):
    def build() -> nx.MultiDiGraph:
        calls.append(label)
        return tiny_graph(label)

    return build


def test_cache_key_tells_files_apart_by_name_and_boundary(cache_dir, tmp_path):
    whole = WAVE.read_bytes()
    a, b = write(tmp_path, "a.json", whole[:300]), write(tmp_path, "b.json", whole[300:])
    w = write(tmp_path, "whole.json", whole)
    empty = write(tmp_path, "empty.json", b"")
    calls: list[str] = []
    assert list(dataset.cached_build("t", [w], counting("whole", calls)).nodes) == ["whole"]
    assert list(dataset.cached_build("t", [w], counting("again", calls)).nodes) == ["whole"]  # a hit
    # two halves of the same bytes, the file plus an empty file, another name: all rebuilt
    dataset.cached_build("t", [a, b], counting("halves", calls))
    dataset.cached_build("t", [w, empty], counting("plus-empty", calls))
    w2 = write(tmp_path, "renamed.json", whole)
    dataset.cached_build("t", [w2], counting("renamed", calls))
    assert calls == ["whole", "halves", "plus-empty", "renamed"]


def test_empty_data_file_is_read_even_with_a_warm_cache(capsys):
    rc, _, _ = cli(capsys, "find", "Hưng Yên")  # warms the cache of the national graph
    assert rc == 0
    rc, _, err = cli(capsys, "--data", os.devnull, "find", "Hưng Yên")
    assert rc == 2 and os.devnull in one_line_error(err)


def _entry(cache_dir: Path, tag: str, paths) -> Path:
    return cache_dir / f"{tag}-{dataset._input_key(tag, paths)[:32]}.signed"


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path(os.environ["BOOM_MARKER"]),))


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed-with-a-wrong-key"])
def test_a_crafted_cache_entry_never_runs(cache_dir, tmp_path, monkeypatch, signed):
    marker = tmp_path / "ran"
    monkeypatch.setenv("BOOM_MARKER", str(marker))
    w = write(tmp_path, "w.json", WAVE.read_bytes())
    calls: list[str] = []
    dataset.cached_build("t", [w], counting("first", calls))  # makes the key and the entry
    entry = _entry(cache_dir, "t", [w])
    payload = pickle.dumps(_Boom())
    mac = dataset._mac(b"\0" * 32, payload) if signed else b""
    entry.write_bytes((dataset._MAGIC + mac if signed else b"") + payload)
    G = dataset.cached_build("t", [w], counting("rebuilt", calls))
    assert not marker.exists()
    assert list(G.nodes) == ["rebuilt"] and calls == ["first", "rebuilt"]


@pytest.mark.parametrize(
    "content",
    [None, ("wrong key", 1, 0, nx.MultiDiGraph()), "a string", ("k", 5, 0, nx.MultiDiGraph(sources={}))],
    ids=["None", "other-inputs", "not-a-tuple", "wrong-size"],
)
def test_a_signed_entry_of_the_wrong_shape_is_rebuilt(cache_dir, tmp_path, content):
    w = write(tmp_path, "w.json", WAVE.read_bytes())
    calls: list[str] = []
    dataset.cached_build("t", [w], counting("first", calls))
    key = dataset._mac_key(cache_dir)
    assert key is not None
    payload = pickle.dumps(content)
    _entry(cache_dir, "t", [w]).write_bytes(dataset._MAGIC + dataset._mac(key, payload) + payload)
    assert list(dataset.cached_build("t", [w], counting("rebuilt", calls)).nodes) == ["rebuilt"]


def test_an_edited_cache_entry_is_not_served(cache_dir, tmp_path):
    w = write(tmp_path, "w.json", WAVE.read_bytes())
    calls: list[str] = []
    dataset.cached_build("t", [w], counting("Tỉnh Hưng Yên", calls))
    entry = _entry(cache_dir, "t", [w])
    raw = entry.read_bytes()
    edited = raw.replace("Hưng Yên".encode(), "Hưng Yêm".encode())
    assert edited != raw
    entry.write_bytes(edited)
    assert list(dataset.cached_build("t", [w], counting("rebuilt", calls)).nodes) == ["rebuilt"]


def test_cache_key_is_private_and_a_shared_folder_is_not_used(cache_dir, tmp_path):
    w = write(tmp_path, "w.json", WAVE.read_bytes())
    calls: list[str] = []
    dataset.cached_build("t", [w], counting("first", calls))
    assert stat.S_IMODE((cache_dir / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir.stat().st_mode) & 0o077 == 0
    os.chmod(cache_dir, 0o777)  # anyone could now plant an entry and a key: no cache at all
    dataset.cached_build("t", [w], counting("second", calls))
    dataset.cached_build("t", [w], counting("third", calls))
    assert calls == ["first", "second", "third"]


# ------------------------------------------------------------------ 3./4./5. bad --data files
def _gz(raw: bytes) -> bytes:
    return gzip.compress(raw)


BAD_FILES = {
    "empty": b"",
    "truncated-gzip": _gz(WAVE.read_bytes())[:200],
    "corrupt-deflate": (lambda g: g[:20] + bytes(255 - x for x in g[20:40]) + g[40:])(_gz(WAVE.read_bytes())),
    "gzip-bomb": _gz(b" " * (dataset.MAX_BYTES + 1024)),
    "nested-100000": b'{"format": "orgraph-dataset/1", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "units-a-list": json.dumps({"format": "orgraph-dataset/1", "units": []}).encode(),
    "rows-5": json.dumps({"format": "orgraph-dataset/1", "units": {"columns": UNIT_COLS, "rows": 5}}).encode(),
    "uid-not-a-string": json.dumps(doc(units=[[["x"], "commune", "xã", "X", None, None, ["t"]]])).encode(),
    "sources-not-a-list": json.dumps(doc(units=[["commune:x", "commune", "xã", "X", None, None, 5]])).encode(),
    "not-utf8": b'{"format": "orgraph-dataset/1", "note": "\xff"}',
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_dataset_file_is_a_data_error_naming_it(tmp_path, name):
    p = write(tmp_path, f"{name}.json", BAD_FILES[name])
    with pytest.raises(DataError) as e:
        read_dataset(p)
    assert str(p) in str(e.value) and "\n" not in e.value.one_line()


@pytest.mark.parametrize("name", ["truncated-gzip", "corrupt-deflate", "units-a-list", "nested-100000"])
def test_bad_dataset_file_on_the_command_line(tmp_path, capsys, name):
    p = write(tmp_path, f"{name}.json", BAD_FILES[name])
    rc, out, err = cli(capsys, "--data", str(p), "find", "Hưng Yên")
    assert rc == 2 and str(p) in one_line_error(err) and out == ""


# ------------------------------------------------------------------ 6. silent overwrites
EV = [["ev:1", "fusion", "2026-01-01", ["t"]]]


@pytest.mark.parametrize(
    "bad, where, words",
    [
        (doc(units=[commune("commune:x"), commune("commune:x")]), "[units], row 2", "defined twice"),
        (
            doc(units=[commune("commune:x")], parents=[["commune:x", "commune:x", "2026-01-01", "2025-01-01"]]),
            "[parents], row 1",
            "on or before it starts",
        ),
        (
            doc(
                units=[commune("commune:x", None, "2026-01-01")],
                events=EV,
                inputs=[["ev:1", "commune:x", "whole", False]],
                outputs=[["ev:1", "commune:x"]],
            ),
            "[events], row 1",
            "own successor",
        ),
        (
            doc(units=[commune("commune:x")], events=EV + EV, inputs=[["ev:1", "commune:x", "whole", False]]),
            "[events], row 2",
            "defined twice",
        ),
        (doc(parents=[["commune:nowhere", "province:01", None, None]]), "[parents], row 1", "not in this file"),
    ],
    ids=["unit-twice", "parent-link-backwards", "own-successor", "event-twice", "orphan-parent-row"],
)
def test_silent_overwrites_in_one_file_are_errors(tmp_path, bad, where, words):
    p = write(tmp_path, "bad.json", bad)
    with pytest.raises(DataError) as e:
        load_dataset([p])
    assert f"{p} {where}" in str(e.value) and words in str(e.value)


def test_an_event_cycle_is_an_error_naming_the_file_and_row(tmp_path):
    units = [commune("commune:a", None, "2026-01-01"), commune("commune:b", "2026-01-01", "2026-02-01")]
    base = write(tmp_path, "base.json", doc(units=units, events=EV, inputs=[["ev:1", "commune:a", "whole", False]],
                                            outputs=[["ev:1", "commune:b"]]))  # fmt: skip
    back = write(
        tmp_path,
        "back.json",
        doc(
            events=[["ev:2", "fusion", "2026-02-01", ["t"]]],
            inputs=[["ev:2", "commune:b", "whole", False]],
            outputs=[["ev:2", "commune:a"]],
        ),
    )
    load_dataset([base])
    with pytest.raises(DataError) as e:
        load_dataset([base, back])
    assert f"{back} [events], row 1" in str(e.value) and "cycle" in str(e.value)


def test_a_later_file_redefines_a_unit_only_when_it_says_replaces(tmp_path):
    base = write(tmp_path, "base.json", doc(units=[commune("commune:x")]))
    again = write(tmp_path, "again.json", doc(units=[commune("commune:x", None, "2026-01-01")]))
    with pytest.raises(DataError) as e:
        load_dataset([base, again])
    assert f"{again} [units], row 1" in str(e.value) and "replaces" in str(e.value) and f"{base}" in str(e.value)
    cols = [*UNIT_COLS, "replaces"]
    fixed = write(
        tmp_path, "fixed.json", doc(units=[[*commune("commune:x", None, "2026-01-01"), True]], unit_cols=cols)
    )
    G = load_dataset([base, fixed])
    assert G.nodes["commune:x"]["valid_to"] == date(2026, 1, 1)
    stray = write(tmp_path, "stray.json", doc(units=[[*commune("commune:y"), True]], unit_cols=cols))
    with pytest.raises(DataError, match="replaces nothing"):
        load_dataset([base, stray])


def test_a_national_unit_cannot_become_another_kind(tmp_path, capsys):
    cols = [*UNIT_COLS, "replaces"]
    bad = doc(units=[["province:33", "commune", "xã", "Xã Hưng Yên", None, None, ["t"], True]], unit_cols=cols)
    p = write(tmp_path, "kind.json", bad)
    rc, _, err = cli(capsys, "--data", str(p), "find", "Hưng Yên")
    line = one_line_error(err)
    assert rc == 2 and f"{p} [units], row 1" in line and "cannot become a commune" in line


def test_the_wave_fixture_says_what_it_replaces():
    from orgraph.loaders.dataset import _read

    units, _, _ = read_dataset(WAVE)
    assert {u.uid for u in units} == {"province:24@2026-09-20", "province:24@2027-01-01"}
    # it ends a unit of the embedded data, and says so; the new unit replaces nothing
    assert _read(WAVE).replaces == {"province:24@2026-09-20"}


# ------------------------------------------------------------------ 3. layered splits
def test_successors_of_layered_splits_is_not_exponential(tmp_path):
    """24 layers of two units, each layer split into both units of the next: 2**24 paths.
    The walk is memoised, so this answers at once (it took minutes before)."""
    layers = 24
    units, events, inputs, outputs = [], [], [], []
    for i in range(layers + 1):
        start = None if i == 0 else f"{2030 + i}-01-01"
        end = None if i == layers else f"{2031 + i}-01-01"
        units += [commune(f"commune:{i}a", start, end), commune(f"commune:{i}b", start, end)]
        if i < layers:
            ev = f"ev:{i}"
            events.append([ev, "split", f"{2031 + i}-01-01", ["t"]])
            inputs += [[ev, f"commune:{i}a", "part", True], [ev, f"commune:{i}b", "part", False]]
            outputs += [[ev, f"commune:{i + 1}a"], [ev, f"commune:{i + 1}b"]]
    p = write(tmp_path, "layers.json", doc(units=units, events=events, inputs=inputs, outputs=outputs))
    G = dataset.load_dataset([p])
    s = successors(G, "commune:0a", on=date(2100, 1, 1))
    assert {x.unit.id for x in s.units} == {f"commune:{layers}a", f"commune:{layers}b"}
    assert all(len(x.path) == layers for x in s.units)
    assert [x.default for x in s.units].count(True) >= 1


# ------------------------------------------------------------------ 4./5./7. command line
@pytest.mark.parametrize(
    "args, words",
    [
        (["find", "Hà Nội", "--kind", "foo"], "unknown kind 'foo'"),
        (["snapshot", "--on", "2025-07-01", "--kind", "foo"], "unknown kind 'foo'"),
        (["diff", "2025-06-30", "2025-07-01", "--kind", "foo"], "unknown kind 'foo'"),
        (["export", "node-link", "--on", "2025-07-32", "-o", "x.json"], "expected a date"),
        (["export", "graphml", "--on", "2025-07-01", "-o", "x.xml"], "--on is for crosswalk"),
        (["export", "crosswalk", "-o", "/etc/passwd/x.csv"], "/etc/passwd is a file, not a folder"),
        (["viz", "country", "-o", "/proc/x.html"], "/proc/x.html"),
    ],
)
def test_bad_arguments_are_one_line_errors_with_exit_2(tmp_path, capsys, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    rc, _, err = cli(capsys, *args)
    assert rc == 2 and words in one_line_error(err)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_kind_takes_any_case(capsys):
    rc, out, _ = cli(capsys, "find", "Hà Nội", "--kind", "Province")
    assert rc == 0 and "Thành phố Hà Nội" in out


@pytest.fixture
def control_graph(tmp_path) -> nx.MultiDiGraph:
    """A graph read from a --data file whose id and name hold what XML cannot."""
    units = [commune("commune:\x01bad", name="Xã \x00A\x1fB\ufffe"), commune("commune:ok")]
    return load_dataset([write(tmp_path, "ctl.json", json.dumps(doc(units=units)))])


def test_every_export_parses_even_with_control_characters(tmp_path, control_graph):
    xml, js, cw = tmp_path / "g.graphml", tmp_path / "g.json", tmp_path / "c.csv"
    write_graphml(control_graph, xml)
    ET.parse(xml)  # raises if not well-formed
    H = nx.read_graphml(xml)
    assert H.nodes["commune:\\u0001bad"]["name"] == "Xã \\u0000A\\u001fB\\ufffe"
    write_node_link(control_graph, js)
    nodes = {n["id"]: n for n in json.loads(js.read_text(encoding="utf-8"))["nodes"]}
    assert nodes["commune:\x01bad"]["name"] == "Xã \x00A\x1fB\ufffe"  # JSON holds them all
    write_crosswalk(control_graph, cw)
    assert cw.read_text(encoding="utf-8").startswith("old_id,")


def test_exported_files_keep_the_users_umask_and_mode(tmp_path, control_graph):
    old = os.umask(0o022)
    try:
        out = tmp_path / "g.json"
        write_node_link(control_graph, out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        os.chmod(out, 0o640)
        write_node_link(control_graph, out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


# ------------------------------------------------------------------ 8. Neo4j digests
def test_a_small_data_file_changes_no_other_nodes_digest(tmp_path, G):
    """A 5-unit --data file used to shift every later node's ``seq``, so a push rewrote the
    digest of every node; now only the new nodes differ."""
    from orgraph.queries.neo4j.push import _plan

    five = write(tmp_path, "five.json", doc(units=[commune(f"commune:extra{i}", "2026-01-01") for i in range(5)]))

    def digests(G: nx.MultiDiGraph) -> dict[str, str]:
        return {r["uid"]: r["digest"] for _, _, rows in _plan(G, None) for r in rows if "uid" in r}

    before, after = digests(G), digests(dataset.load_national([five]))
    assert set(after) - set(before) == {f"commune:extra{i}" for i in range(5)}
    assert [u for u in before if before[u] != after[u]] == []


# ------------------------------------------------------------------ 2. bulk convert
STRAY = (  # the reproduction: an opening quote that never closes
    'province,district,commune\n"Thái Bình,Hưng Hà,Minh Khai\nHà Nội,Ba Đình,Điện Biên\nHồ Chí Minh,Quận 1,Bến Nghé\n'
)


def test_a_stray_quote_is_an_error_not_lost_rows(tmp_path, capsys):
    src, dst = write(tmp_path, "s.csv", STRAY), tmp_path / "out.csv"
    rc, _, err = cli(capsys, "convert", "--input", str(src), "--output", str(dst))
    line = one_line_error(err.replace("converting", ""))
    assert rc == 2 and f"{src}, row 2" in line and "lines 2–4" in line and "quote" in line
    assert not dst.exists() and [p.name for p in tmp_path.iterdir()] == ["s.csv"]


def test_output_equal_to_input_is_refused(tmp_path, capsys):
    src = write(tmp_path, "in.csv", "province,district,commune\nThái Bình,Hưng Hà,Minh Khai\n")
    before = src.read_bytes()
    rc, _, err = cli(capsys, "convert", "--input", str(src), "--output", str(tmp_path / "." / "in.csv"))
    assert (
        rc == 2 and "is the input file" in one_line_error(err.replace("converting", "")) and src.read_bytes() == before
    )


@pytest.mark.parametrize("where", ["a-directory", "under-a-file", "name-too-long"])
def test_unwritable_output_is_one_line(tmp_path, capsys, where):
    src = write(tmp_path, "in.csv", "province,district,commune\nThái Bình,Hưng Hà,Minh Khai\n")
    (tmp_path / "dir").mkdir()
    out = {"a-directory": tmp_path / "dir", "under-a-file": src / "x.csv", "name-too-long": tmp_path / ("x" * 300)}
    rc, _, err = cli(capsys, "convert", "--input", str(src), "--output", str(out[where]))
    line = one_line_error(err.replace("converting", ""))
    why = {
        "a-directory": "Is a directory",
        "under-a-file": f"{src} is a file, not a folder",
        "name-too-long": "too long",
    }
    assert rc == 2 and f"{out[where]}: cannot write: " in line and why[where] in line
    assert not [p for p in tmp_path.rglob(".orgraph-*")]


def test_converted_file_keeps_umask_and_mode_and_stale_temps_go(tmp_path, capsys):
    src = write(tmp_path, "in.csv", "province,district,commune\nThái Bình,Hưng Hà,Minh Khai\n")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = write(tmp_path, f".orgraph-convert-{int(dead.stdout)}-abc.csv", b"half")
    live = write(tmp_path, f".orgraph-convert-{os.getpid()}-abc.csv", b"in progress")
    old = os.umask(0o022)
    try:
        out = tmp_path / "out.csv"
        assert cli(capsys, "convert", "--input", str(src), "--output", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        os.chmod(out, 0o640)
        assert cli(capsys, "convert", "--input", str(src), "--output", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    assert not stale.exists() and live.exists()


def test_sigterm_during_bulk_convert_leaves_no_temp_file(tmp_path):
    src = tmp_path / "big.csv"
    src.write_text("code\n" + "12658\n00019\n" * 1_000_000, encoding="utf-8")
    out = tmp_path / "out.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "orgraph", "convert", "--input", str(src), "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        while proc.poll() is None and not list(tmp_path.glob(".orgraph-convert-*")):
            try:  # until the conversion has made its temporary file
                proc.wait(0.05)
            except subprocess.TimeoutExpired:
                pass
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 143 or (rc == 0 and out.exists())  # it may have finished first
    assert not list(tmp_path.glob(".orgraph-convert-*"))


def test_memos_are_bounded_and_answers_unchanged(G, tmp_path, monkeypatch):
    import importlib

    conv_mod = importlib.import_module("orgraph.queries.convert")  # the module, not the function

    rows = "code\n" + "".join(f"{c}\n" for c in ["12658", "00019", "99999", "12586"] * 5)
    src = write(tmp_path, "in.csv", rows)
    full, small = tmp_path / "full.csv", tmp_path / "small.csv"
    conv_mod.convert_csv(G, src, full)
    monkeypatch.setattr(conv_mod, "MEMO_LIMIT", 2)
    conv_mod.convert_csv(G, src, small)
    assert full.read_bytes() == small.read_bytes()
    memo: dict = {}
    for i in range(7):
        conv_mod._remember(memo, i, i)
    assert len(memo) <= 2


def test_a_quoted_field_over_two_lines_is_one_record(tmp_path, capsys):
    text = 'province,district,commune\n"Thái\nBình",Hưng Hà,Minh Khai\nHà Nội,Ba Đình,Điện Biên\n'
    src = write(tmp_path, "q.csv", text)
    out = tmp_path / "out.csv"
    assert cli(capsys, "convert", "--input", str(src), "--output", str(out))[0] == 0
    with open(out, encoding="utf-8", newline="") as f:
        assert len(list(csv.reader(f))) == 3  # the header and two records


# ------------------------------------------------------------------ names that begin like a type prefix
# The type prefixes people abbreviate; the others are words ("phuong", "quan", "tinh", …)
ABBREVIATIONS = {"tp", "tt", "tx", "dk", "p", "f", "q", "h", "x", "t"}
OLD = date(2025, 6, 30)


def _fold(s: str) -> str:
    from orgraph.graph.names import fold

    return fold(s)


@pytest.fixture(scope="module")
def prefix_like(G):
    """(id, commune, district, province) of every old commune whose name, after its type,
    begins with a word that folds to a type prefix ("Xã Phương Thiện", "Phường Quán Thánh",
    "Xã Tịnh Khê", "Xã Quân Hà"), with its names on 30 June 2025; unique in its district."""
    from collections import Counter

    from orgraph.graph.build import parent_on
    from orgraph.graph.model import Attr, Kind
    from orgraph.graph.names import PREFIXES

    words = [p for p, _ in PREFIXES if p not in ABBREVIATIONS]
    rows = []
    for n, a in G.nodes(data=True):
        if a.get(Attr.KIND) != Kind.COMMUNE or a.get(Attr.VALID_FROM) is not None:
            continue
        short = _fold(a[Attr.SHORT])
        if not any(short.startswith(w + " ") for w in words):
            continue
        d = parent_on(G, n, OLD)
        p = parent_on(G, d, OLD) if d else None
        if d is not None and p is not None:
            rows.append((n, a[Attr.NAME], G.nodes[d][Attr.NAME], G.nodes[p][Attr.NAME]))
    same = Counter((_fold(G.nodes[n][Attr.SHORT]), d) for n, _, d, _ in rows)
    rows = [r for r in rows if same[(_fold(G.nodes[r[0]][Attr.SHORT]), r[2])] == 1]
    assert len(rows) > 80  # Phương …, Tịnh …, Phượng …, Quan …, Quán …, Quân …, Huyền …, Xà …
    return rows


def _short(name: str) -> str:
    from orgraph.graph.names import PREFIXES

    f = _fold(name)
    for p, _ in PREFIXES:
        if f.startswith(p + " "):
            return " ".join(name.split()[len(p.split()) :])
    return name


NAME_SPELLINGS = {
    "as written": lambda c: c,
    "without its type": _short,
    "no diacritics": lambda c: _fold(_short(c)),
    "no diacritics, with its type": _fold,
    "capitals": lambda c: _short(c).upper(),
}


@pytest.mark.parametrize("spelling", list(NAME_SPELLINGS))
def test_a_name_that_begins_like_a_type_prefix_is_found(G, prefix_like, spelling):
    """ "Phương Thiện" is not "Phường Thiện": a type prefix is a whole word as written, and
    without diacritics the whole name is tried when the prefix reading finds nothing."""
    from orgraph.queries import convert, find

    f = NAME_SPELLINGS[spelling]
    missed = []
    for uid, c, d, p in prefix_like:
        for district, province in ((d, p), (_fold(d), _fold(p))):
            got = convert(G, province=province, district=district, commune=f(c), on=date(2025, 7, 1))
            ids = [u.id for u in find(G, f"{f(c)}, {district}, {province}")]
            if got.old_commune != c or uid not in ids:
                missed.append(f"{f(c)!r}, {district}, {province}: convert {got.status} {got.old_commune!r}; find {ids}")
    assert not missed, f"{len(missed)} of {2 * len(prefix_like)}: " + "; ".join(missed[:5])


def test_the_convert_reproduction_matches(capsys):
    rc = main(
        ["convert", "--province", "Tỉnh Hà Giang", "--district", "Thành phố Hà Giang", "--commune", "Phương Thiện"]
    )
    out = capsys.readouterr().out
    assert rc == 0 and out.startswith("Xã Phương Thiện, Thành phố Hà Giang")


@pytest.mark.parametrize("name", ["phuong dien bien, ba dinh", "phuong thien", "Phường 1, Quận 3, Hồ Chí Minh"])
def test_type_prefixes_still_read_without_diacritics(G, name):
    from orgraph.queries import find

    want = {
        "phuong dien bien, ba dinh": "Phường Điện Biên",
        "phuong thien": "Xã Phương Thiện",
        "Phường 1, Quận 3, Hồ Chí Minh": "Phường 1",
    }[name]
    assert [u.name for u in find(G, name)] == [want]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_a_device_is_never_replaced(tmp_path, capsys):
    """``--output /dev/full`` (every write: no space left) is exit 2 naming the output; the
    device is written into, not replaced by a renamed temporary file."""
    src = write(tmp_path, "in.csv", "province,district,commune\nThái Bình,Hưng Hà,Minh Khai\n")
    rc, _, err = cli(capsys, "convert", "--input", str(src), "--output", "/dev/full")
    line = one_line_error(err.replace("converting\n", ""))
    assert rc == 2 and "/dev/full: cannot write" in line
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dates_past_the_calendars_end_are_one_line(capsys):
    for args in (["validate", "--on", "9999-12-31"], ["tasks", "--on", "9999-12-28"]):
        rc, out, err = cli(capsys, *args)
        assert rc == 2 and "after 2999-12-31" in one_line_error(err) and not out


def test_single_convert_exit_codes_and_candidates(capsys):
    rc, out, err = cli(capsys, "convert", "--province", "Thái Bình", "--district", "Hưng Hà", "--commune", "Không Có")
    assert rc == 3 and one_line_error(err).startswith("error: unmatched")
    rc, out, err = cli(capsys, "convert", "--commune", "Minh Khai")
    assert rc == 4 and one_line_error(err).startswith("error: ambiguous") and "[]" not in out
    # every candidate with its district and province
    assert "Xã Minh Khai, Huyện Hưng Hà, Tỉnh Thái Bình [12658]" in out
