"""Shared constants and helpers for the tests (imported as ``helpers``)."""

from __future__ import annotations

import os
from datetime import date

BEFORE = date(2025, 6, 30)
AFTER = date(2025, 7, 1)


def require(env: str) -> bool:
    """True when CI demands the real thing (so a missing one fails instead of skipping)."""
    return os.environ.get(env) == "1"
