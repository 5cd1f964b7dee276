"""The layout shows the architecture: dependencies point one way (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "graph": set(),
    "loaders": {"graph"},
    "queries": {"graph"},
    "viz": {"graph", "queries", "loaders"},
    # the server sits on top, like the command line: nothing below may import it
    "server": {"graph", "queries", "loaders", "viz"},
    # the command line sits on top of them all; nothing imports it
    "cli": {"graph", "queries", "loaders", "viz", "server"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level >= 2 and node.module:
                out.add(node.module.split(".")[0])
            elif node.module and node.module.startswith("orgraph."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("orgraph."):
                    out.add(a.name.split(".")[1])
    return out


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependencies_point_one_way(package):
    for f in (ROOT / package).rglob("*.py"):
        bad = _imports(f) & (set(ALLOWED) - ALLOWED[package] - {package})
        assert not bad, f"{f.relative_to(ROOT)} imports {bad}"


def _siblings(path: Path) -> set[str]:
    """The modules of the same package that ``path`` imports (``from . import x``, ``from .x import``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    return out


def test_command_groups_do_not_import_each_other():
    """cli/: each group (units, convert, tasks, viz, neo4j, serve) builds only on the shared
    private modules (_common, _errors, _connect), which import no group; only cli/__init__
    puts the groups together. So no import cycle, and no state read through another module."""
    cli = ROOT / "cli"
    groups = {f.stem for f in cli.glob("*.py") if not f.stem.startswith("_")}
    assert {"units", "convert", "tasks", "viz", "neo4j", "serve"} <= groups
    for f in cli.glob("*.py"):
        if f.name == "__init__.py":
            continue
        got = _siblings(f) & groups
        assert not got, f"cli/{f.name} imports the command group(s) {got}; share through cli/_common.py"
        assert "sys.modules" not in f.read_text(encoding="utf-8"), f"cli/{f.name} reads sys.modules"


def test_only_one_module_imports_pyvis():
    users = [
        f
        for f in ROOT.rglob("*.py")
        if not any(x.startswith(".venv") or x in ("tests", "benchmarks", ".ci") for x in f.parts)
        and "pyvis" in _imports_raw(f)
    ]
    assert len(users) <= 1, users


def _shipped() -> list[Path]:
    """The modules the wheel ships: the package's own files, not the maintainer's scripts,
    tests or benchmarks."""
    skip = ("tests", "benchmarks", "scripts", ".ci", "build", "docs", "examples")
    return [
        f
        for f in ROOT.rglob("*.py")
        if not any(x.startswith(".") or x.endswith(".egg-info") or x in skip for x in f.relative_to(ROOT).parts)
    ]


def test_vietnamadminunits_is_never_imported_at_run_time():
    assert any(f.parts[-2:] == ("loaders", "dataset.py") for f in _shipped())
    for f in _shipped():
        assert "vietnamadminunits" not in _imports_raw(f), f


def test_nothing_shipped_runs_pip():
    """Downloading packages (the dataset's regeneration) is a maintainer's job, in scripts/."""
    assert (ROOT / "scripts" / "regenerate.py").is_file()
    for f in _shipped():
        text = f.read_text(encoding="utf-8")
        assert '"pip", "download"' not in text and "pip download" not in text, f


def _imports_raw(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out
