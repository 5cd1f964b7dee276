"""Successor sets of every old commune against VietnamProvinces' code-keyed tables."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from helpers import require

ROOT = Path(__file__).resolve().parent.parent
VP_DIR = os.environ.get("ORGRAPH_VP_DIR", str(ROOT / ".ci" / "vendor" / "vp"))


@pytest.fixture(scope="module")
def vp():
    if VP_DIR not in sys.path:
        sys.path.insert(0, VP_DIR)
    if importlib.util.find_spec("vietnam_provinces") is None:
        if require("ORGRAPH_REQUIRE_VP"):
            pytest.fail(f"vietnam_provinces not found in {VP_DIR}; .ci/run fetches it")
        pytest.skip("vietnam_provinces (test-only, GPL) not installed; see scripts/crosscheck.py")
    return importlib.import_module("vietnam_provinces._ward_conversion_2025")


@pytest.fixture(scope="module")
def result(G, vp):
    sys.path.insert(0, str(ROOT / "scripts"))
    import crosscheck

    return crosscheck.compare(G, vp)


def test_agreement_is_at_least_99_6_percent(result):
    agree, diffs = result
    assert agree / (agree + len(diffs)) >= 0.996


def test_every_difference_is_explained_in_the_report(result):
    _, diffs = result
    report = (ROOT / "DATA_QUALITY.md").read_text(encoding="utf-8")
    for d in diffs:
        line = next((ln for ln in report.splitlines() if ln.startswith(f"| {d['code']} |")), None)
        assert line is not None, f"{d['code']} {d['name']} is not in DATA_QUALITY.md"
        assert d["why"] in line
