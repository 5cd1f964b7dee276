"""``python -m orgraph``: the same command line as ``orgraph``."""

from __future__ import annotations

from .cli import run

if __name__ == "__main__":
    run()
