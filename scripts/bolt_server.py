#!/usr/bin/env python3
"""Start, stop and inspect a local ArcadeDB server speaking Neo4j's Bolt protocol.

Used to test orgraph's Neo4j backend against a real Bolt server without a
Neo4j installation. The server comes from the PyPI package
``arcadedb-embedded`` (server jars, Bolt plugin jar and a JRE 25 bundled);
queries go through the official ``neo4j`` Python driver.

    pip install arcadedb-embedded==26.10.2.post1 'neo4j>=5.28'
    eval "$(python scripts/bolt_server.py start)"   # exports NEO4J_* variables
    python scripts/bolt_server.py status
    python scripts/bolt_server.py stop

Everything the server writes (config, databases, logs, pid file) lives in
--workdir (default /tmp/orgraph-bolt). Both listeners bind 127.0.0.1 only.
The root password is (re)set from --password on every start.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import json
import logging
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ARCADEDB_PACKAGE = "arcadedb_embedded"
ARCADEDB_PIN = "arcadedb-embedded==26.10.2.post1"
NEO4J_PIN = "neo4j>=5.28"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
HOST = "127.0.0.1"
USER = "root"

DEFAULT_WORKDIR = "/tmp/orgraph-bolt"
DEFAULT_PASSWORD = "orgraph-test-pw"
DEFAULT_DATABASE = "orgraph"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 2480
DEFAULT_TIMEOUT = 60.0
DEFAULT_HEAP = "2g"
STOP_GRACE_SECONDS = 20.0
LOG_TAIL_LINES = 30

# JVM flags the package's own launcher (arcadedb_embedded/jvm.py) also uses.
JVM_FLAGS = [
    "--add-modules=jdk.incubator.vector",
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dfile.encoding=UTF8",
    "-Djava.awt.headless=true",
    "-Dpolyglot.engine.WarnInterpreterOnly=false",
]


class Fail(Exception):
    """A one-line error for the user; exit code 1 unless given."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- paths


def arcadedb_paths() -> tuple[Path, Path]:
    """Return (java binary, jars dir) of the installed arcadedb-embedded package."""
    try:
        spec = importlib.util.find_spec(ARCADEDB_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise Fail(f"arcadedb-embedded is not installed; install with: pip install {ARCADEDB_PIN}", 2)
    pkg = Path(list(spec.submodule_search_locations)[0])
    java = pkg / "jre" / "bin" / ("java.exe" if os.name == "nt" else "java")
    jars = pkg / "jars"
    if not java.is_file() or not os.access(java, os.X_OK):
        raise Fail(f"bundled java not found at {java}; reinstall with: pip install {ARCADEDB_PIN}", 2)
    if not any(jars.glob("arcadedb-server-*.jar")) or not any(jars.glob("arcadedb-bolt-*.jar")):
        raise Fail(f"ArcadeDB server/bolt jars not found in {jars}; reinstall with: pip install {ARCADEDB_PIN}", 2)
    return java, jars


class Workdir:
    def __init__(self, path: str):
        self.root = Path(path).expanduser().resolve()
        self.pid_file = self.root / "server.pid"
        self.log_file = self.root / "server.log"
        self.state_file = self.root / "server.json"  # connection settings of the running server

    def read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def read_state(self) -> dict | None:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None

    def clear(self) -> None:
        for f in (self.pid_file, self.state_file):
            try:
                f.unlink()
            except FileNotFoundError:
                pass


# ----------------------------------------------------------------------- processes


def pid_alive(pid: int) -> bool:
    """True if pid exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_our_server(pid: int) -> bool:
    """Guard against a recycled pid: the process must be an ArcadeDB server JVM."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid_alive(pid)  # no /proc: trust the pid file
    return MAIN_CLASS.encode() in cmdline


def running_pid(wd: Workdir) -> int | None:
    pid = wd.read_pid()
    if pid is not None and pid_alive(pid) and is_our_server(pid):
        return pid
    return None


def signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # started with start_new_session, so pgid == pid
    except ProcessLookupError:
        pass
    except PermissionError:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def terminate(pid: int, grace: float = STOP_GRACE_SECONDS) -> bool:
    """SIGTERM the process group, wait up to grace seconds, then SIGKILL. True if SIGKILL was needed."""
    signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return False
        time.sleep(0.2)
    signal_group(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return True


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError as e:
            if e.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def log_tail(wd: Workdir, n: int = LOG_TAIL_LINES) -> str:
    try:
        lines = wd.log_file.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {wd.log_file})"
    return "\n".join(lines[-n:])


# --------------------------------------------------------------------------- bolt


def _neo4j():
    try:
        import neo4j
    except ImportError:
        raise Fail(f"the neo4j driver is not installed; install with: pip install '{NEO4J_PIN}'", 2) from None
    # Keep the driver's retry chatter out of our output.
    lg = logging.getLogger("neo4j")
    lg.addHandler(logging.NullHandler())
    lg.propagate = False
    return neo4j


def bolt_uri(port: int) -> str:
    return f"bolt://{HOST}:{port}"


def bolt_ping(port: int, password: str, database: str, timeout: float = 3.0) -> BaseException | None:
    """Run RETURN 1 over Bolt. None on success, else the exception."""
    neo4j = _neo4j()
    try:
        with neo4j.GraphDatabase.driver(
            bolt_uri(port),
            auth=(USER, password),
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            max_transaction_retry_time=0,
        ) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS ok", database_=database)
            if records and records[0]["ok"] == 1:
                return None
            return RuntimeError(f"unexpected answer to RETURN 1: {records!r}")
    except Exception as e:  # noqa: BLE001 - any failure means "not ready"
        return e


def export_lines(port: int, password: str, database: str) -> str:
    return "\n".join(
        [
            f"export NEO4J_URI={bolt_uri(port)}",
            f"export NEO4J_USER={USER}",
            f"export NEO4J_PASSWORD={shlex.quote(password)}",
            f"export NEO4J_DATABASE={shlex.quote(database)}",
        ]
    )


def one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__module__}.{type(e).__name__}: {text}"[:400]


# ----------------------------------------------------------------------- commands


def server_command(java: Path, jars: Path, wd: Workdir, args: argparse.Namespace) -> list[str]:
    root = wd.root
    props = {
        "arcadedb.server.rootPath": root,
        "arcadedb.server.databaseDirectory": root / "databases",
        "arcadedb.server.configDirectory": root / "config",
        "arcadedb.server.backupDirectory": root / "backups",
        "arcadedb.server.logsDirectory": root / "log",
        "arcadedb.server.plugins": BOLT_PLUGIN,
        "arcadedb.bolt.host": HOST,
        "arcadedb.bolt.port": args.port,
        "arcadedb.server.httpIncomingHost": HOST,
        "arcadedb.server.httpIncomingPort": args.http_port,
        "arcadedb.server.rootPassword": args.password,
        "arcadedb.server.defaultDatabases": f"{args.database}[{USER}]",
    }
    extra = shlex.split(os.environ.get("ORGRAPH_BOLT_JAVA_OPTS", ""))
    return [
        str(java),
        f"-Xmx{args.heap}",
        f"-XX:ErrorFile={root / 'log' / 'hs_err_pid%p.log'}",
        *JVM_FLAGS,
        *[f"-D{k}={v}" for k, v in props.items()],
        *extra,
        "-cp",
        str(jars / "*"),
        MAIN_CLASS,
    ]


def wait_ready(pid: int, proc: subprocess.Popen | None, port: int, password: str, database: str, timeout: float):
    """Poll until RETURN 1 succeeds. Returns (ok, last_error, reason)."""
    neo4j = _neo4j()
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        if proc is not None and proc.poll() is not None:
            return False, last, f"server process exited with code {proc.returncode}"
        if proc is None and not pid_alive(pid):
            return False, last, "server process exited"
        last = bolt_ping(port, password, database, timeout=min(3.0, max(0.5, deadline - time.monotonic())))
        if last is None:
            return True, None, ""
        if isinstance(last, neo4j.exceptions.AuthError):
            return False, last, "server is up but rejected the credentials"
        if time.monotonic() >= deadline:
            return False, last, f"not answering on {bolt_uri(port)} after {timeout:g}s"
        time.sleep(0.25)


def cmd_start(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", args.database):
        raise Fail(f"invalid --database {args.database!r}: use letters, digits, '_' or '-'")
    if not re.fullmatch(r"\d+[kKmMgG]?", args.heap):
        raise Fail(f"invalid --heap {args.heap!r}: e.g. 512m, 2g")
    java, jars = arcadedb_paths()
    _neo4j()
    wd = Workdir(args.workdir)
    wd.root.mkdir(parents=True, exist_ok=True)

    pid = running_pid(wd)
    if pid is not None:
        state = wd.read_state() or {}
        port = state.get("port", args.port)
        password = state.get("password", args.password)
        database = state.get("database", args.database)
        ok, err, reason = wait_ready(pid, None, port, password, database, args.timeout)
        if not ok:
            raise Fail(
                f"a server from {wd.root} is already running (pid {pid}) but {reason}"
                + (f": {one_line(err)}" if err else "")
                + f"; run: {sys.argv[0]} stop --workdir {wd.root}"
            )
        print(f"ArcadeDB Bolt server already running from {wd.root} (pid {pid}) on {bolt_uri(port)}", file=sys.stderr)
        wanted = (args.port, args.password, args.database)
        if wanted != (port, password, database):
            print(
                "warning: it was started with other --port/--password/--database; printing its settings",
                file=sys.stderr,
            )
        print(export_lines(port, password, database))
        return 0
    wd.clear()  # stale pid/state files

    for name, port in (("--port", args.port), ("--http-port", args.http_port)):
        if not port_free(port):
            raise Fail(f"{HOST}:{port} ({name}) is already in use; choose another port or stop whatever holds it")
    if args.port == args.http_port:
        raise Fail("--port and --http-port must differ")

    # The server only applies rootPassword when it creates the root user, so drop
    # the users file of a previous run: the password then always follows --password.
    users = wd.root / "config" / "server-users.jsonl"
    if users.exists():
        users.unlink()

    cmd = server_command(java, jars, wd, args)
    t0 = time.monotonic()
    with open(wd.log_file, "ab") as log:
        log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} bolt_server.py start\n".encode())
        log.flush()
        proc = subprocess.Popen(
            cmd,
            cwd=wd.root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    wd.pid_file.write_text(f"{proc.pid}\n")
    state = {
        "pid": proc.pid,
        "port": args.port,
        "http_port": args.http_port,
        "password": args.password,
        "database": args.database,
    }
    wd.state_file.write_text(json.dumps(state) + "\n")
    os.chmod(wd.state_file, 0o600)

    try:
        ok, err, reason = wait_ready(proc.pid, proc, args.port, args.password, args.database, args.timeout)
    except KeyboardInterrupt:
        terminate(proc.pid, grace=5)
        wd.clear()
        raise
    if not ok:
        print(f"error: ArcadeDB Bolt server did not come up: {reason}", file=sys.stderr)
        if err is not None:
            print(f"last error: {one_line(err)}", file=sys.stderr)
        print(f"---- last {LOG_TAIL_LINES} lines of {wd.log_file} ----", file=sys.stderr)
        print(log_tail(wd), file=sys.stderr)
        terminate(proc.pid, grace=5)
        proc.poll()
        wd.clear()
        return 1
    elapsed = time.monotonic() - t0
    print(
        f"ArcadeDB Bolt server ready on {bolt_uri(args.port)} (pid {proc.pid}, {elapsed:.1f}s, "
        f"HTTP {HOST}:{args.http_port}, workdir {wd.root})",
        file=sys.stderr,
    )
    print(export_lines(args.port, args.password, args.database))
    sys.stdout.flush()
    proc.returncode = 0  # detached on purpose: silence Popen's "still running" warning
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    wd = Workdir(args.workdir)
    pid = wd.read_pid()
    if pid is None:
        print(f"no server running from {wd.root} (no pid file)", file=sys.stderr)
        wd.clear()
        return 0
    if not pid_alive(pid):
        print(f"no server running from {wd.root} (stale pid {pid})", file=sys.stderr)
        wd.clear()
        return 0
    if not is_our_server(pid):
        print(f"pid {pid} from {wd.pid_file} is not an ArcadeDB server; not touching it", file=sys.stderr)
        wd.clear()
        return 0
    t0 = time.monotonic()
    killed = terminate(pid)
    if pid_alive(pid):
        raise Fail(f"server pid {pid} is still alive after SIGKILL")
    wd.clear()
    how = "SIGKILL after SIGTERM timed out" if killed else "SIGTERM"
    print(f"stopped ArcadeDB server pid {pid} ({how}, {time.monotonic() - t0:.1f}s)", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    wd = Workdir(args.workdir)
    pid = running_pid(wd)
    if pid is None:
        print(f"not running (workdir {wd.root})")
        return 3
    state = wd.read_state() or {}
    port = state.get("port", DEFAULT_BOLT_PORT)
    err = bolt_ping(port, state.get("password", DEFAULT_PASSWORD), state.get("database", DEFAULT_DATABASE))
    if err is None:
        print(
            f"running: pid {pid}, {bolt_uri(port)} answering, database {state.get('database')}, "
            f"HTTP {HOST}:{state.get('http_port')}, workdir {wd.root}"
        )
        return 0
    print(f"running: pid {pid} but {bolt_uri(port)} not answering: {one_line(err)}")
    return 1


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add_workdir(p):
        p.add_argument("--workdir", default=DEFAULT_WORKDIR, help=f"server files and logs (default {DEFAULT_WORKDIR})")

    p = sub.add_parser("start", help="start the server detached and print NEO4J_* export lines")
    add_workdir(p)
    p.add_argument("--port", type=int, default=DEFAULT_BOLT_PORT, help="Bolt port (default %(default)s)")
    p.add_argument("--http-port", type=int, default=DEFAULT_HTTP_PORT, help="HTTP port (default %(default)s)")
    p.add_argument("--password", default=DEFAULT_PASSWORD, help="root password (default %(default)s)")
    p.add_argument("--database", default=DEFAULT_DATABASE, help="database to create/use (default %(default)s)")
    p.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for readiness (default %(default)s)"
    )
    p.add_argument(
        "--heap",
        default=DEFAULT_HEAP,
        help="JVM max heap, e.g. 1g (default %(default)s); ORGRAPH_BOLT_JAVA_OPTS adds further JVM options",
    )
    p.set_defaults(func=cmd_start)

    p = sub.add_parser("stop", help="stop the server (SIGTERM, then SIGKILL after 20s)")
    add_workdir(p)
    p.set_defaults(func=cmd_stop)

    p = sub.add_parser("status", help="exit 0 if running and answering, 1 if running but not answering, 3 if stopped")
    add_workdir(p)
    p.set_defaults(func=cmd_status)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except Fail as e:
        print(f"error: {e}", file=sys.stderr)
        return e.code


if __name__ == "__main__":
    sys.exit(main())
