"""``orgraph serve``: the same answers over HTTP, with a web page (registered on the main app)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import typer

__all__ = ["register"]


def register(app: typer.Typer, guard: Callable) -> None:
    from .cli import BACKEND

    @app.command()
    @guard
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
        backend: str = BACKEND,
        max_rows: int = typer.Option(100_000, "--max-rows", min=1, help="Rows per POST /convert."),
        max_bytes: int = typer.Option(16 * 1024 * 1024, "--max-bytes", min=1024, help="Bytes per request body."),
        workers: int = typer.Option(8, "--threads", min=1, max=64, help="Threads answering lookups."),
    ) -> None:
        """Serve the JSON API (OpenAPI at /docs) and the web page at / (needs the serve extra).

        The graph is read once at start-up; the server never writes anywhere."""
        import uvicorn

        from .cli import _state
        from .server import Backend, Limits, create_app

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as e:
            sock.close()
            raise typer.BadParameter(
                f"cannot listen on {host}:{port}: {e.strerror}; choose another", param_hint="--port"
            ) from None
        extra = tuple(_state["data"])
        if backend == "networkx":
            be = Backend.embedded(extra)
        elif backend == "neo4j":
            from . import cli_neo4j

            be = Backend.neo4j(cli_neo4j.open_backend(), extra)
        else:
            sock.close()
            raise typer.BadParameter("choose networkx or neo4j", param_hint="--backend")
        limits = Limits(max_body_bytes=max_bytes, max_rows=max_rows, workers=workers)
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        url = f"http://{shown}:{sock.getsockname()[1]}"
        typer.echo(f"orgraph serving {url} (backend {be.name}); Ctrl-C stops", err=True)
        config = uvicorn.Config(
            create_app(be, limits=limits),
            log_level="warning",
            access_log=False,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=5,
        )
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            be.close()
