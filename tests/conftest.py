from __future__ import annotations

import pytest
from orgraph import load_national


@pytest.fixture(scope="session")
def G():
    """The embedded national graph (built once per test session; never mutated)."""
    return load_national()


@pytest.fixture(scope="session")
def served():
    """A running ``orgraph serve``: the one ``.ci/run`` started (ORGRAPH_SERVE_URL), or our own."""
    pytest.importorskip("fastapi")
    import os

    from serve_helpers import Served, start, wait_ready

    url = os.environ.get("ORGRAPH_SERVE_URL")
    if url:
        wait_ready(url.rstrip("/"))
        pid = os.environ.get("ORGRAPH_SERVE_PID")
        yield Served(url.rstrip("/"), int(pid) if pid else None)
        return
    s = start()
    yield s
    s.stop()
