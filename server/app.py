"""The HTTP server: a read-only JSON API mirroring the library, its OpenAPI page, the
pictures, and a web page for people.

Every answer is the result dataclass's ``to_dict()``, the same JSON as the command line's
``--json``; every error is JSON with the same one-line message (:mod:`.errors`). Blocking
work runs in bounded thread pools (one for lookups, a smaller one for bulk conversions and
pictures), so a slow or huge request cannot stall the others. No request value ever names
a file: static files and the Swagger UI assets are read into memory at start-up.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import anyio
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..graph.errors import OrgraphError, UnknownUnitError
from ..graph.model import OLD_MAP_DATE, REFORM_DATE, Kind
from ..queries.results import jsonable
from . import bulk
from .backend import Backend
from .errors import BadInput, Busy, TooLarge, error_answer, plain_error
from .page import index_html, words_js

__all__ = ["create_app", "Limits"]

VERSION = "0.1.0"
OLD_DATE = OLD_MAP_DATE
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Limits:
    """What one request may ask for. ``max_body_bytes`` and ``max_rows`` bound POST /convert;
    ``workers`` threads answer lookups, ``bulk_workers`` threads convert files and draw
    pictures, and at most ``bulk_queue`` such requests wait for one (then 429)."""

    max_body_bytes: int = 16 * 1024 * 1024
    max_rows: int = 100_000
    max_param_chars: int = 500
    workers: int = 8
    bulk_workers: int = 2
    bulk_queue: int = 8
    picture_cache: int = 32


def _json(result: Any) -> Any:
    if hasattr(result, "to_dict"):
        return result.to_dict()
    if isinstance(result, list | tuple):
        return [_json(x) for x in result]
    return jsonable(result)


class JSONAnswer(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error_response(status: int, body: dict[str, Any]) -> JSONAnswer:
    headers = {"Retry-After": "2"} if status in (429, 503) else None
    return JSONAnswer(body, status_code=status, headers=headers)


# ---------------------------------------------------------------------- ASGI guard
class _Guard:
    """Refuses bodies over the limit before they are read (413) and adds the security
    headers every answer carries."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    n = -1
                if n < 0 or n > self.max_body:
                    msg = f"the request body is {v.decode('latin-1')} bytes; at most {self.max_body:,} are accepted"
                    status, kind = (413, "too_large") if n > self.max_body else (400, "bad_input")
                    resp = _error_response(status, plain_error(status, msg, kind))
                    await resp(scope, receive, send)
                    return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"cross-origin-resource-policy": b"same-origin",
                    b"content-security-policy": API_CSP.encode(),
                }
                headers.extend((k, v) for k, v in extra.items() if k not in have)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------- helpers
FIRST, LAST = date(1900, 1, 1), date(2999, 12, 31)  # dates asked about; far ones overflow date arithmetic


def _date(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"{name}: expected a date like 2025-07-01, got {value[:40]!r}") from None
    if not FIRST <= d <= LAST:
        raise BadInput(
            f"{name}: expected a date between {FIRST.isoformat()} and {LAST.isoformat()}, got {value[:40]!r}"
        )
    return d


def _need_date(value: str | None, name: str) -> date:
    d = _date(value, name)
    if d is None:
        raise BadInput(f"{name} is required: a date like 2025-07-01")
    return d


def _kind(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value not in {k.value for k in Kind}:
        raise BadInput(f"kind: expected one of {', '.join(k.value for k in Kind)}; got {value[:40]!r}")
    return value


class _Pictures:
    """A small LRU of drawn pages: the same question gives the same page."""

    def __init__(self, size: int) -> None:
        self.size, self.pages, self.lock = size, OrderedDict[tuple[Any, ...], str](), threading.Lock()

    def get(self, key: tuple[Any, ...], draw: Callable[[], str]) -> str:
        with self.lock:
            if key in self.pages:
                self.pages.move_to_end(key)
                return self.pages[key]
        html = draw()
        with self.lock:
            self.pages[key] = html
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)
        return html


_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _assets() -> dict[str, tuple[bytes, str]]:
    """The page's files and the Swagger UI's, read once into memory."""
    out: dict[str, tuple[bytes, str]] = {}
    root = resources.files("orgraph.server").joinpath("static")
    for f in root.iterdir():
        if f.is_file():
            ext = "." + f.name.rsplit(".", 1)[-1]
            if ext in _TYPES:
                out[f.name] = (f.read_bytes(), _TYPES[ext])
    try:
        docs = resources.files("fastapi_offline").joinpath("static")
        for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"):
            out["docs/" + name] = (docs.joinpath(name).read_bytes(), _TYPES["." + name.rsplit(".", 1)[-1]])
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - the extra installs it
        pass
    return out


def _docs_page(assets: dict[str, tuple[bytes, str]]) -> tuple[bytes, str]:
    """Swagger UI from the local copy, with a policy that allows only this server."""
    if "docs/swagger-ui-bundle.js" not in assets:  # pragma: no cover
        html = "<!doctype html><title>orgraph API</title><p>The API: <a href=/openapi.json>/openapi.json</a>."
        return html.encode(), PAGE_CSP
    from fastapi.openapi.docs import get_swagger_ui_html

    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="orgraph API",
        swagger_js_url="/static/docs/swagger-ui-bundle.js",
        swagger_css_url="/static/docs/swagger-ui.css",
        swagger_favicon_url="/static/docs/favicon.png",
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
    ).body
    html = bytes(page).decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in re.findall(r"<script>(.*?)</script>", html, re.S)
    )
    csp = (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html.encode("utf-8"), csp


# ---------------------------------------------------------------------- the app
def create_app(backend: Backend, *, limits: Limits | None = None) -> FastAPI:  # noqa: C901 - one place for routes
    """The ASGI app answering from ``backend``.

    >>> from orgraph.server import Backend, create_app
    >>> app = create_app(Backend.embedded())
    >>> sorted(r.path for r in app.routes if r.path.startswith("/units"))[:2]
    ['/units', '/units/{unit}']
    """
    lim = limits or Limits()
    assets = _assets()
    assets["index.html"] = (index_html(assets["index.html"][0]), assets["index.html"][1])
    assets["words.js"] = (words_js(), _TYPES[".js"])  # the page's words, from the one catalogue
    docs_html, docs_csp = _docs_page(assets)
    pictures = _Pictures(lim.picture_cache)
    state: dict[str, Any] = {"waiting": 0}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state["lookups"] = anyio.CapacityLimiter(lim.workers)
        state["bulk"] = anyio.CapacityLimiter(lim.bulk_workers)
        await anyio.to_thread.run_sync(backend.warm)
        yield

    app = FastAPI(
        title="orgraph",
        version=VERSION,
        summary="Vietnam's 2025 local-government reorganisation as one graph over time, read-only.",
        description=(
            "The same answers as the `orgraph` command line's `--json`, over HTTP. Errors are JSON "
            '`{"error": "<one line>", "status": n, "kind": ...}`: 400 bad input, 404 unknown unit (with '
            "`suggestions`), 409 ambiguous (with `candidates`), 413 too large, 429 busy, 503 backend down. "
            f"POST /convert takes at most {lim.max_rows:,} rows and {lim.max_body_bytes:,} bytes."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )

    # ------------------------------------------------------------------ errors, one place
    @app.exception_handler(OrgraphError)
    async def _orgraph_error(_: Request, e: OrgraphError) -> Response:
        return _error_response(*error_answer(e))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, e: RequestValidationError) -> Response:
        errs = e.errors()
        first = errs[0] if errs else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body"))
        msg = f"{where}: {first.get('msg', 'bad value')}" if where else str(first.get("msg", "bad request"))
        return _error_response(400, plain_error(400, msg))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, e: StarletteHTTPException) -> Response:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(e.status_code, "bad_input")
        return _error_response(e.status_code, plain_error(e.status_code, str(e.detail), kind))

    @app.exception_handler(Exception)
    async def _internal(_: Request, e: Exception) -> Response:  # pragma: no cover - a bug
        return _error_response(500, plain_error(500, f"internal error: {type(e).__name__}", "internal"))

    async def run(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kw), limiter=state["lookups"])

    async def answer(fn: Callable[..., Any], *args: Any, **kw: Any) -> Response:
        return JSONAnswer(_json(await run(fn, *args, **kw)))

    def text(value: str | None, name: str, *, required: bool = False) -> str:
        value = (value or "").strip()
        if required and not value:
            raise BadInput(f"{name} is required")
        if len(value) > lim.max_param_chars:
            raise BadInput(f"{name} is {len(value):,} characters long; at most {lim.max_param_chars} are accepted")
        if "\x00" in value:
            raise BadInput(f"{name} contains a NUL character")
        return value

    async def heavy(fn: Callable[..., Any]) -> Any:
        """Run in the bulk pool; past ``bulk_queue`` waiting, answer 429 at once."""
        if state["waiting"] >= lim.bulk_queue:
            raise Busy(f"{state['waiting']} large requests are already waiting; try again in a few seconds")
        state["waiting"] += 1
        try:
            return await anyio.to_thread.run_sync(fn, limiter=state["bulk"])
        finally:
            state["waiting"] -= 1

    q, G = backend.q, backend.G
    ON = Query(None, description="Date, YYYY-MM-DD.")
    UNIT = Path(..., description="A unit's id, code or name (with qualifiers).")
    KIND = Query(None, description="Only units of this kind: province, district, commune, …")

    def _kind_kw(kind: str | None) -> dict[str, str]:
        k = _kind(kind)
        return {"kind": k} if k else {}

    # ------------------------------------------------------------------ units
    @app.get("/units", tags=["units"], summary="Every unit of that name, at any date (orgraph find)")
    async def units(
        name: str = Query(..., description='A name, code or id, e.g. "dien bien" or "P. Điện Biên, Q. Ba Đình".'),
        on: str | None = ON,
        kind: str | None = Query(None, description="province, district, commune, …"),
    ) -> Response:
        nm, d, k = text(name, "name", required=True), _date(on, "on"), _kind(kind)

        def go() -> Any:
            g = backend.graph_for(nm)
            hits = q.find(g, nm, on=d, kind=k)
            if not hits:
                raise UnknownUnitError(nm, q.suggestions(g, nm))
            return hits

        return await answer(go)

    @app.get("/units/{unit}", tags=["units"], summary="One unit")
    async def unit(unit: str = UNIT, on: str | None = ON) -> Response:
        u, d = text(unit, "unit", required=True), _date(on, "on")

        def go() -> Any:
            g = backend.graph_for(u)
            uid = q.resolve(g, u, on=d)
            return q.find(g, uid)[0]

        return await answer(go)

    @app.get("/units/{unit}/successors", tags=["units"], summary="What a unit had become by a date")
    async def successors(unit: str = UNIT, on: str | None = ON, kind: str | None = KIND) -> Response:
        u = text(unit, "unit", required=True)
        return await answer(q.successors, backend.graph_for(u), u, on=_date(on, "on"), **_kind_kw(kind))

    @app.get("/units/{unit}/predecessors", tags=["units"], summary="What a unit was made of")
    async def predecessors(unit: str = UNIT, on: str | None = ON, kind: str | None = KIND) -> Response:
        u = text(unit, "unit", required=True)
        return await answer(q.predecessors, backend.graph_for(u), u, on=_date(on, "on"), **_kind_kw(kind))

    @app.get("/units/{unit}/lineage", tags=["units"], summary="The whole chain both ways, with events and basis")
    async def lineage(unit: str = UNIT, kind: str | None = KIND) -> Response:
        u = text(unit, "unit", required=True)
        return await answer(q.lineage, backend.graph_for(u), u, **_kind_kw(kind))

    # ------------------------------------------------------------------ convert
    @app.get("/convert", tags=["convert"], summary="Convert one old address (names, code or free text)")
    async def convert(
        province: str | None = Query(None, description="Old province name."),
        district: str | None = Query(None, description="Old district name."),
        commune: str | None = Query(None, description="Old commune (xã/phường/thị trấn) name."),
        code: str | None = Query(None, description="Old commune GSO code."),
        address: str | None = Query(None, description="A whole old address in one string."),
        on: str | None = Query(None, description="Convert to the units live on this date (default today)."),
        as_of: str | None = Query(None, description="Date the old address was valid (default 2025-06-30)."),
    ) -> Response:
        p, dd, c = text(province, "province"), text(district, "district"), text(commune, "commune")
        k = text(code, "code")
        a = text(address, "address")
        d, old = _date(on, "on"), _date(as_of, "as_of") or OLD_DATE
        if a:
            if p or dd or c or k:
                raise BadInput("give either address, or province/district/commune, or code")
            if not backend.takes_address:
                raise BadInput("this version cannot read free-text addresses; give province, district and commune")
            res = await run(q.convert, G, address=a, on=d, as_of=old)
        else:
            if not (c or k):
                raise BadInput("give commune (with district and province), code, or address")
            res = await run(q.convert, G, province=p, district=dd, commune=c, code=k, on=d, as_of=old)
        body = res.to_dict()
        status = {"unmatched": 404, "ambiguous": 409}.get(res.status)
        if status is not None:
            body = {**body, "error": " ".join((res.note or res.status).split()), "kind": res.status}
            return JSONAnswer(body, status_code=status)
        return JSONAnswer(body)

    @app.post(
        "/convert",
        tags=["convert"],
        summary="Convert a CSV or JSON list of old addresses",
        description=(
            "The body is a CSV (`text/csv`, or a `multipart/form-data` upload in a field named `file`) with "
            "columns province, district, commune (also tinh, huyen, xa, …) or code, as `orgraph convert "
            '--input` reads; or JSON: a list of objects with those keys (or `{"rows": [...]}`). The answer '
            "is streamed in order, one output row per input row: a CSV as `orgraph convert --output` writes "
            'it, or JSON `{"rows": [<conversion>, …], "counts": {status: n}}`. At most '
            f"{lim.max_rows:,} rows and {lim.max_body_bytes:,} bytes (413 past either)."
        ),
        openapi_extra={
            "requestBody": {
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                    "multipart/form-data": {
                        "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                    },
                },
                "required": True,
            }
        },
    )
    async def convert_bulk(
        request: Request,
        on: str | None = Query(None, description="Convert to the units live on this date (default today)."),
        as_of: str | None = Query(None, description="Date the old addresses were valid (default 2025-06-30)."),
    ) -> Response:
        d, old = _date(on, "on"), _date(as_of, "as_of") or OLD_DATE
        raw = await _read_body(request, lim.max_body_bytes)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        as_json = ctype in ("application/json", "text/json")
        if ctype == "multipart/form-data":
            raw = await _multipart_file(request, raw, lim.max_body_bytes)
        elif not raw.strip():
            raise BadInput("the body is empty: send a CSV or a JSON list of rows")
        up = await heavy(
            functools.partial(
                bulk.parse_json if as_json else bulk.parse_csv,
                raw,
                max_rows=lim.max_rows,
            )
        )
        del raw
        gen = (bulk.json_chunks if as_json else bulk.csv_chunks)(backend.nx_national, up, on=d, as_of=old)
        limiter = state["bulk"]

        async def stream() -> AsyncIterator[bytes]:
            def step(it: Iterator[bytes] = gen) -> bytes | None:
                return next(it, None)

            while True:
                chunk = await anyio.to_thread.run_sync(step, limiter=limiter)
                if chunk is None:
                    return
                yield chunk

        if as_json:
            return StreamingResponse(stream(), media_type="application/json")
        return StreamingResponse(
            stream(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="converted.csv"'},
        )

    # ------------------------------------------------------------------ whole-graph answers
    @app.get("/snapshot", tags=["graph"], summary="Counts (and the units) by kind and type on a date")
    async def snapshot(
        on: str = Query(..., description="Date, YYYY-MM-DD."),
        kind: str | None = Query(None, description="Only this kind."),
        list: bool = Query(False, description="List the units too."),
    ) -> Response:
        return await answer(q.snapshot, G, on=_need_date(on, "on"), kind=_kind(kind), listing=list)

    @app.get("/diff", tags=["graph"], summary="What changed between two dates")
    async def diff(
        from_: str = Query(..., alias="from", description="First date."),
        to: str = Query(..., description="Second date."),
        kind: str | None = Query(None, description="Only this kind."),
        list: bool = Query(False, description="List the units too."),
    ) -> Response:
        a, b = _need_date(from_, "from"), _need_date(to, "to")
        return await answer(q.diff, G, a, b, kind=_kind(kind), listing=list)

    @app.get("/bodies", tags=["tasks"], summary="The party and state bodies of a province or commune on a date")
    async def bodies(
        territory: str = Query(..., description='A province or commune, e.g. "Hưng Yên".'),
        on: str = Query(..., description="Date, YYYY-MM-DD."),
    ) -> Response:
        t, d = text(territory, "territory", required=True), _need_date(on, "on")
        tq, H = backend.tq, backend.H
        return await answer(lambda: tq.bodies(H, tq.resolve(H, t, on=d), on=d))

    @app.get("/tasks", tags=["tasks"], summary="The plans' tasks with lead, coordinators, deadline and status")
    async def tasks(
        plan: str | None = Query(None, description="Plan id, e.g. 47-KH/BCĐ."),
        on: str | None = Query(None, description="Status on this date (default 2025-07-01)."),
    ) -> Response:
        p = text(plan, "plan") or None
        return await answer(backend.tq.tasks, backend.H, plan=p, on=_date(on, "on") or REFORM_DATE)

    @app.get("/validate", tags=["tasks"], summary="Every open task has one live lead; integrity rules hold")
    async def validate(on: str = Query(..., description="Date, YYYY-MM-DD.")) -> Response:
        return await answer(backend.tq.validate, backend.H, on=_need_date(on, "on"))

    # ------------------------------------------------------------------ pictures
    async def picture(key: tuple[Any, ...], build: Callable[[], Any]) -> Response:
        from ..viz.render import to_html

        html = await heavy(lambda: pictures.get(key, lambda: to_html(build())))
        m = _META_CSP.search(html)
        policy = (m.group(1) if m else "default-src 'none'") + "; frame-ancestors 'self'"
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})

    N, F = backend.nx_national, backend.nx_full

    @app.get("/viz/unit", tags=["pictures"], response_class=HTMLResponse, summary="One unit's lineage picture")
    async def viz_unit(unit: str = Query(..., description="A unit's id, code or name.")) -> Response:
        from ..queries import resolve
        from ..viz.model import unit_picture

        u = text(unit, "unit", required=True)
        uid = await run(resolve, N, u, chain_ok=True)
        return await picture(("unit", uid), lambda: unit_picture(N, uid))

    @app.get("/viz/province", tags=["pictures"], response_class=HTMLResponse, summary="A province from its old units")
    async def viz_province(
        name: str = Query(..., description='A province, e.g. "Hưng Yên".'),
        on: str | None = Query(None, description="The change in force on this date; default the latest."),
    ) -> Response:
        from ..queries import resolve
        from ..viz.model import province_picture

        n, d = text(name, "name", required=True), _date(on, "on")
        uid = await run(resolve, N, n, on=d or date.today(), kind=Kind.PROVINCE)
        return await picture(("province", uid, d), lambda: province_picture(N, uid, on=d))

    @app.get("/viz/country", tags=["pictures"], response_class=HTMLResponse, summary="The provinces before and after")
    async def viz_country(on: str | None = Query(None, description="Date; default the latest.")) -> Response:
        from ..viz.model import country_picture

        d = _date(on, "on")
        return await picture(("country", d), lambda: country_picture(N, on=d))

    @app.get("/viz/tasks", tags=["pictures"], response_class=HTMLResponse, summary="A plan's tasks over their bodies")
    async def viz_tasks(
        plan: str = Query(..., description="Plan id, e.g. 47-KH/BCĐ."),
        on: str = Query(..., description="Date, YYYY-MM-DD."),
    ) -> Response:
        from ..viz.model import tasks_picture

        p, d = text(plan, "plan", required=True), _need_date(on, "on")
        return await picture(("tasks", p, d), lambda: tasks_picture(F, plan=p, on=d))

    @app.get("/viz/diff", tags=["pictures"], response_class=HTMLResponse, summary="What changed in a province")
    async def viz_diff(
        from_: str = Query(..., alias="from", description="First date."),
        to: str = Query(..., description="Second date."),
        province: str = Query(..., description='A province, e.g. "Hưng Yên".'),
    ) -> Response:
        from ..queries import resolve
        from ..viz.model import diff_picture

        a, b = _need_date(from_, "from"), _need_date(to, "to")
        pv = text(province, "province", required=True)
        uid = await run(resolve, N, pv, on=max(a, b), kind=Kind.PROVINCE)
        return await picture(("diff", a, b, uid), lambda: diff_picture(N, a, b, province=uid))

    # ------------------------------------------------------------------ the page, docs, health
    @app.get("/healthz", tags=["server"], summary="The server is up; which backend it answers from")
    async def healthz() -> Response:
        return JSONAnswer({"status": "ok", "backend": backend.name, "version": VERSION, "limits": lim.__dict__})

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        body, ctype = assets["index.html"]
        return Response(body, media_type=ctype, headers={"Content-Security-Policy": PAGE_CSP})

    @app.get("/static/{name:path}", include_in_schema=False)
    async def static(name: str) -> Response:
        got = assets.get(name)  # a key of an in-memory table, never a path on disk
        if got is None:
            return _error_response(404, plain_error(404, "no such file", "not_found"))
        body, ctype = got
        return Response(body, media_type=ctype, headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return Response(docs_html, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": docs_csp})

    app.add_middleware(_Guard, max_body=lim.max_body_bytes)
    return app


async def _read_body(request: Request, limit: int) -> bytes:
    buf = bytearray()
    async for chunk in request.stream():
        buf += chunk
        if len(buf) > limit:
            raise TooLarge(f"the request body is over {limit:,} bytes; split the file (the server's --max-bytes)")
    return bytes(buf)


async def _multipart_file(request: Request, raw: bytes, limit: int) -> bytes:
    """The ``file`` field of a multipart body already read into memory (it never spools to
    disk: the spool is larger than the body can be)."""
    from starlette.formparsers import MultiPartException, MultiPartParser

    async def once() -> AsyncGenerator[bytes, None]:
        yield raw

    parser = MultiPartParser(request.headers, once(), max_files=1, max_fields=8, max_part_size=limit)
    parser.spool_max_size = limit + 1
    try:
        form = await parser.parse()
    except MultiPartException as e:
        raise BadInput(f"malformed upload: {e.message}") from None
    f = form.get("file")
    if f is None or isinstance(f, str):
        raise BadInput('the upload needs a file field named "file"')
    data = await f.read()
    await f.close()
    if not data.strip():
        raise BadInput("the uploaded file is empty")
    return bytes(data)
