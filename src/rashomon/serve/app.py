"""The ASGI application: API routes, pages, static files, and the security rules.

* Every response carries a Content-Security-Policy allowing scripts, styles, images
  and requests from this server only, and no inline script: even if some article
  text were ever written unescaped, a script in it would not run.
* Writes (``POST /api/documents``) need the token when one is set; ``serve`` sets
  one whenever the server listens beyond loopback. Read-only mode has no write
  route and no writer at all.
* Files are served from the package's ``static`` folder only (Starlette's
  ``StaticFiles`` refuses paths leaving it); uploads are written under names the
  server chooses, in the upload folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..outlines import countries_geojson
from . import api, pages
from .jobs import Writer
from .openapi import openapi_document
from .queries import ApiError
from .snapshot import SnapshotHolder

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeaders:
    """Adds the CSP and companion headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(db: Path, *, read_only: bool = False, token: str | None = None,
               upload_dir: Path | None = None) -> Starlette:
    """The server for one store file. ``upload_dir`` defaults to ``DB.uploads`` beside it."""
    db = Path(db)
    holder = SnapshotHolder(db)
    writer = None if read_only else Writer(
        holder, upload_dir or db.with_name(db.name + ".uploads"))

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(read_only=read_only))

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return HTMLResponse(pages.error_page(exc.status, exc.message, read_only),
                            status_code=exc.status)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        detail = str(getattr(exc, "detail", "error"))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": detail}, status_code=status)
        return HTMLResponse(pages.error_page(status, detail, read_only), status_code=status)

    app = Starlette(
        routes=[
            *api.routes(read_only),
            Route("/openapi.json", openapi),
            *pages.routes(read_only),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders),
                    Middleware(GZipMiddleware, minimum_size=2000, compresslevel=5)],
        exception_handlers={ApiError: api_error, 404: http_error, 405: http_error},
    )
    # The outlines take a second or two to simplify: done now, not on the first map view.
    threading.Thread(target=countries_geojson, name="rashomon-geo", daemon=True).start()
    app.state.holder = holder
    app.state.writer = writer
    app.state.read_only = read_only
    app.state.token = token
    return app
