"""The checkout works whatever its folder is called (GitHub's "Download ZIP" unpacks into
``orgraph-main``), and ``python -m orgraph`` is the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode == 0 and out.stdout.strip():
        return out.stdout.splitlines()
    # not a git checkout (a ZIP download): copy what is there, without environments
    return [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*")
        if p.is_file() and not {".venv", ".git", "__pycache__", ".ci"} & set(p.relative_to(ROOT).parts)
    ]


def test_tests_collect_in_a_checkout_named_orgraph_main(tmp_path):
    dst = tmp_path / "orgraph-main"
    for rel in _tracked_files():
        if rel.startswith(("docs/img/", "tests/golden/")):
            continue  # large and unused by collection
        src = ROOT / rel
        if src.is_file():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / rel)
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/test_architecture.py", "tests/test_layout.py"],
        cwd=dst,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "error" not in res.stdout.lower()


def test_python_dash_m_orgraph_is_the_command_line():
    res = subprocess.run([sys.executable, "-m", "orgraph", "--help"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "successors" in res.stdout and "convert" in res.stdout


def test_every_package_ships_and_says_it_is_typed():
    """Each folder with an ``__init__.py`` is a package the wheel lists (``cli/`` too), and
    the ``py.typed`` marker ships, so type checkers read orgraph's hints."""
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {
        "orgraph." + ".".join(p.parent.relative_to(ROOT).parts)
        for p in ROOT.glob("*/**/__init__.py")
        if not {".venv", "build", "tests", ".ci", ".git"} & set(p.relative_to(ROOT).parts)
    }
    assert on_disk <= set(cfg["packages"]), on_disk - set(cfg["packages"])
    assert (ROOT / "py.typed").is_file() and "py.typed" in cfg["package-data"]["orgraph"]
