"""Start ``orgraph serve`` the way a user would, for the tests that talk real HTTP.

``.ci/run`` starts one server for the whole run and exports ``ORGRAPH_SERVE_URL`` (and
``ORGRAPH_SERVE_PID``); without them the tests start their own on a free port.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def orgraph_command() -> list[str]:
    exe = Path(sys.executable).parent / "orgraph"
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from orgraph.cli import run; run()"]


@dataclass
class Served:
    url: str
    pid: int | None
    proc: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
                return json.loads(r.read())
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"orgraph serve exited with {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer /healthz in {timeout} s") from None
            time.sleep(0.2)


def start(*serve_args: str, env: dict[str, str] | None = None) -> Served:
    """``orgraph serve [serve_args] --port <free>``, waited for until it answers."""
    port = free_port()
    cmd = orgraph_command() + ["serve", *serve_args, "--port", str(port)]
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return Served(url, proc.pid, proc)


def rss_kib(pid: int) -> int:
    """The process's resident memory now (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")
