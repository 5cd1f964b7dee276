"""Every command: one CliRunner test each, help text for all, one-line errors."""

from __future__ import annotations

import json

import pytest
from orgraph.cli import app, main
from typer.main import get_command
from typer.testing import CliRunner

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_find_text_and_json():
    r = run("find", "dien bien")
    assert r.exit_code == 0 and "Phường Điện Biên, Quận Ba Đình" in r.output
    j = json.loads(run("find", "dien bien", "--json").output)
    assert {"province:11", "commune:00019"} <= {u["id"] for u in j}


def test_successors_command():
    r = run("successors", "Phường Điện Biên, Quận Ba Đình, Hà Nội", "--on", "2025-07-01")
    assert r.exit_code == 0 and "Phường Ba Đình" in r.output and "default" in r.output
    j = json.loads(run("successors", "commune:00019", "--on", "2025-07-01", "--json").output)
    assert j["status"] == "succeeded" and any(u["default"] for u in j["units"])


def test_predecessors_command():
    r = run("predecessors", "Xã Hưng Hà, Hưng Yên")
    assert r.exit_code == 0 and "Xã Minh Khai" in r.output


def test_lineage_command():
    r = run("lineage", "00019")
    assert r.exit_code == 0 and "fusion on 2025-07-01" in r.output and "NQ-UBTVQH15" in r.output


def test_convert_command():
    r = run("convert", "--province", "Thái Bình", "--district", "Hưng Hà", "--commune", "Minh Khai")
    assert r.exit_code == 0 and "Xã Hưng Hà, Tỉnh Hưng Yên" in r.output
    j = json.loads(run("convert", "--code", "12658", "--json").output)
    assert j["new_commune"] == "Xã Hưng Hà"


def test_convert_bulk_command(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("province,district,commune\nThái Bình,Hưng Hà,Minh Khai\n", encoding="utf-8")
    r = run("convert", "--input", str(src), "--output", str(dst))
    assert r.exit_code == 0 and "wrote 1 rows" in r.output
    assert "Xã Hưng Hà" in dst.read_text(encoding="utf-8")


def test_snapshot_command():
    r = run("snapshot", "--on", "2025-07-01")
    assert r.exit_code == 0 and "3,321" in r.output
    assert json.loads(run("snapshot", "--on", "2025-06-30", "--json").output)["by_kind"]["district"] == 696


def test_snapshot_on_each_side_of_the_2026_changes():
    def types(on):
        j = json.loads(run("snapshot", "--on", on, "--json").output)
        return j["by_type"]["province"], j["by_type"]["commune"]["phường"]

    tp = "thành phố trực thuộc trung ương"
    # Đồng Nai (30/2026/QH16) and 10 phường (237/NQ-UBTVQH16) from 2026-04-30
    assert types("2026-04-29") == ({tp: 6, "tỉnh": 28}, 687)
    assert types("2026-04-30") == ({tp: 7, "tỉnh": 27}, 697)
    # Quảng Ninh (36/2026/QH16) from 2026-09-01
    assert types("2026-08-31")[0] == {tp: 7, "tỉnh": 27}
    assert types("2026-09-01")[0] == {tp: 8, "tỉnh": 26}
    # Bắc Ninh (39/2026/QH16) and 12 phường (388/NQ-UBTVQH16) from 2026-09-20
    assert types("2026-09-19") == ({tp: 8, "tỉnh": 26}, 697)
    assert types("2026-09-20") == ({tp: 9, "tỉnh": 25}, 709)
    assert types("2026-11-28") == ({tp: 9, "tỉnh": 25}, 709)


def test_diff_command():
    r = run("diff", "2025-06-30", "2025-07-01")
    assert r.exit_code == 0 and "district 696" in r.output


def test_export_command(tmp_path):
    out = tmp_path / "cw.csv"
    r = run("export", "crosswalk", "-o", str(out))
    assert r.exit_code == 0 and out.exists()


def test_tour_command():
    r = run("tour")
    assert r.exit_code == 0
    assert "Tỉnh Thái Bình" in r.output and "104 communes" in r.output and "2,514.81 km²" in r.output


@pytest.mark.parametrize("name", sorted(get_command(app).commands))  # every command and group
def test_every_command_has_help(name):
    r = run(name, "--help")
    assert r.exit_code == 0 and len(r.output.strip()) > 40


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["successors", "Xã Minh Khai"], 4, "matches"),
        (["successors", "Phường Điện Bin Phuuuu"], 3, "did you mean"),
        (["snapshot", "--on", "2025-13-01"], 2, "expected a date"),
        (["snapshot"], 2, "Missing option"),
        (["--data", "/nonexistent.json", "find", "x"], 2, "cannot read"),
        (["convert", "--input", "/nonexistent.csv", "--output", "/tmp/o.csv"], 2, "cannot read"),
        # the honest horizon: never the 2025 picture presented as an earlier date's
        (["snapshot", "--on", "2024-06-01"], 2, "complete only from 2025-03-01"),
        (["diff", "2024-06-01", "2025-07-01"], 2, "complete only from 2025-03-01"),
        (["successors", "commune:00019", "--on", "2020-01-01"], 2, "before the data's horizon"),
        (["snapshot", "--on", "2019-01-01", "--kind", "province"], 2, "province units are complete only from"),
    ],
)
def test_bad_input_gives_one_line_error_and_nonzero_exit(capsys, args, code, needle):
    assert main(args) == code
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_neo4j_settings_show_their_environment_variables():
    out = " ".join(run("neo4j", "--help").output.split())
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        assert f"env var: {var}" in out


def test_choices_show_in_help():
    out = run("snapshot", "--help").output
    assert "networkx|neo4j" in out and "province|district|commune" in out
