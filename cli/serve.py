"""``orgraph serve``: the same answers over HTTP, with a web page."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from ..graph.i18n import Message
from ._common import Backend, BackendName, state, sub_app

__all__ = ["app"]

app = sub_app()


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    backend: Backend = BackendName.networkx,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Rows per POST /convert.")] = 100_000,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1024, help="Bytes per request body.")] = 16 * 1024 * 1024,
    workers: Annotated[int, typer.Option("--threads", min=1, max=64, help="Threads answering lookups.")] = 8,
) -> None:
    """Serve the JSON API (OpenAPI at /docs) and the web page at / (needs the serve extra).

    The graph is read once at start-up; the server never writes anywhere."""
    import uvicorn

    from ..server import Backend as ServerBackend
    from ..server import Limits, create_app

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise typer.BadParameter(
            Message(
                "cannot listen on {host}:{port}: {reason}; choose another", host=host, port=port, reason=e.strerror
            ),
            param_hint="--port",
        ) from None
    st = state(ctx)
    try:
        if backend is BackendName.neo4j:
            from ._connect import open_backend

            be = ServerBackend.neo4j(open_backend(**st.neo4j), st.data)
        else:
            be = ServerBackend.embedded(st.data)
    except BaseException:
        sock.close()
        raise
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
