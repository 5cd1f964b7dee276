"""Datasets: every row validated; bad rows name the file and row; nothing half-loaded."""

from __future__ import annotations

import copy
import gzip
import json
from importlib import resources

import pytest
from orgraph import DataError, load_dataset
from orgraph.loaders.dataset import read_dataset


@pytest.fixture(scope="module")
def national_doc():
    raw = resources.files("orgraph.data").joinpath("national.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _write(tmp_path, doc, name="d.json"):
    p = tmp_path / name
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def _small(doc, n=50):
    d = copy.deepcopy(doc)
    d["units"]["rows"] = [r for r in d["units"]["rows"] if r[1] == "province"][:n]
    keep = {r[0] for r in d["units"]["rows"]}
    d["parents"]["rows"] = [r for r in d["parents"]["rows"] if r[0] in keep and r[1] in keep]
    for t in ("events", "inputs", "outputs"):
        d[t]["rows"] = []
    return d


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.__setitem__(1, "galaxy"), "kind"),
        (lambda r: r.__setitem__(6, "2025-02-30"), "valid_from"),
        (lambda r: r.__setitem__(3, ""), "name"),
        (lambda r: r.__setitem__(8, ["nowhere"]), "source 'nowhere'"),
    ],
)
def test_bad_unit_row_names_file_table_and_row(tmp_path, national_doc, mutate, message):
    d = _small(national_doc)
    mutate(d["units"]["rows"][6])
    p = _write(tmp_path, d)
    with pytest.raises(DataError) as e:
        read_dataset(p)
    assert str(p) in str(e.value) and "[units], row 7" in str(e.value) and message in str(e.value)


def test_validity_that_ends_before_it_starts_is_refused(tmp_path, national_doc):
    d = _small(national_doc)
    d["units"]["rows"][0][6], d["units"]["rows"][0][7] = "2025-07-01", "2025-01-01"
    with pytest.raises(DataError, match="row 1: .*ends"):
        read_dataset(_write(tmp_path, d))


def test_event_with_unknown_input_is_refused_and_nothing_is_returned(tmp_path, national_doc):
    d = _small(national_doc)
    d["events"]["rows"] = [["ev:x", "fusion", "2025-07-01", None, None, None, ["vau"], False, None]]
    d["inputs"]["rows"] = [["ev:x", "province:99", "whole", False]]
    d["outputs"]["rows"] = [["ev:x", d["units"]["rows"][0][0]]]
    with pytest.raises(DataError, match="unknown input 'province:99'"):
        load_dataset([_write(tmp_path, d)])


def test_not_a_dataset(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("[1, 2]")
    with pytest.raises(DataError, match="not an orgraph-dataset/1 file"):
        read_dataset(p)
    with pytest.raises(DataError, match="cannot read"):
        read_dataset(tmp_path / "missing.json")


def test_national_dataset_round_trips_through_the_models(national_doc):
    units, events, sources = read_dataset(resources.files("orgraph.data").joinpath("national.json.gz"))
    assert len(units) == len(national_doc["units"]["rows"])
    assert len(events) == len(national_doc["events"]["rows"])
    assert set(sources) == set(national_doc["sources"])


def test_cached_graph_is_the_same_graph(tmp_path, monkeypatch):
    from orgraph.loaders import dataset

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dataset._cached.cache_clear()
    first = dataset.load_national()  # builds and writes the cache
    assert list((tmp_path / "orgraph").glob("graph-*.signed"))
    dataset._cached.cache_clear()
    second = dataset.load_national()  # reads it back
    dataset._cached.cache_clear()
    assert first is not second
    assert dict(first.nodes(data=True)) == dict(second.nodes(data=True))
    assert sorted(first.edges(keys=True)) == sorted(second.edges(keys=True))
