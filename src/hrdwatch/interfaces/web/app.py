"""The app factory: one FastAPI app serving the pages, the API under ``/api/v1`` and static files.

    app = create_app(Settings.from_env())

Errors become the same coded body for the API (``{"error": {...}}``) and a generic page for the
browser; nothing shows a stack trace. A missing or expired login on a page redirects to the login
form. The spaCy pipeline is loaded on the first upload, not at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from hrdwatch.config import Settings
from hrdwatch.errors import HrdwatchError
from hrdwatch.interfaces.api.deps import requires
from hrdwatch.interfaces.api.errors import RETRY_AFTER_SECONDS, error_body, status_of
from hrdwatch.interfaces.web.middleware import SecurityMiddleware
from hrdwatch.security.permissions import Action, can
from hrdwatch.services.database import open_database
from hrdwatch.services.extraction import RecordExtractor, start_extractor

HERE = Path(__file__).parent
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
API_PREFIX = "/api/v1"
log = logging.getLogger("hrdwatch.web")
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["can"] = lambda user, action: can(user, Action(action))


def amount(value: float | int | str | None) -> str:
    """A sum of money as people write it: ``78,000`` (not ``78000.0``), ``1,250.50``."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"


templates.env.filters["amount"] = amount
_GENERIC = {
    400: "The request could not be understood.",
    401: "Please log in.",
    403: "You may not do this.",
    404: "Nothing is here.",
    405: "This method is not allowed here.",
    409: "This conflicts with the current state; reload and try again.",
    413: "The upload is too large.",
    422: "Some of what was sent is not valid.",
    429: "Too many attempts; wait and try again.",
    500: "Something went wrong on our side. It has been logged.",
}


class ExtractorHolder:
    """The app's extractor: a worker process (started on the first upload, so start-up stays fast)
    with a time limit per report and a memory cap, so a hostile upload cannot exhaust the server."""

    def __init__(self, settings: Settings) -> None:
        self._extractor = start_extractor(settings)

    def get(self) -> RecordExtractor:
        return self._extractor

    def close(self) -> None:
        self._extractor.close()


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_response(
    request: Request, status: int, code: str, message: str, *, extra: dict[str, str] | None = None
) -> Response:
    """The API's JSON body or a generic page; a page that needs a login redirects to it.

    ``extra`` headers go with it (``Allow`` on a 405, as RFC 9110 requires)."""
    headers = dict(extra or {})
    if status == 429:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if _is_api(request):
        return JSONResponse(error_body(code, message, status), status_code=status, headers=headers)
    if status == 401 and request.method in ("GET", "HEAD"):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    shown = message if code.startswith("E") else _GENERIC.get(status, _GENERIC[400])
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": shown, "user": getattr(request.state, "principal", None)},
        status_code=status,
        headers=headers,
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HrdwatchError)
    async def coded(request: Request, exc: HrdwatchError) -> Response:
        return error_response(request, status_of(exc), exc.code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in err.get("loc", ())) for err in exc.errors()[:5])
        return error_response(request, 422, "E400", f"invalid request: check {fields}")

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        extra = dict(exc.headers or {})
        if exc.status_code == 405:  # every method this path takes, not just those of one route
            extra["Allow"] = _allowed(request) or extra.get("Allow", "")
        code = f"HTTP{exc.status_code}"
        return error_response(request, exc.status_code, code, str(exc.detail), extra=extra)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "E500", _GENERIC[500])


def _allowed(request: Request) -> str:
    """The methods some route of this request's path answers, for a 405's ``Allow`` header."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]
    return ", ".join(allowed)


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The whole web app on ``engine`` (default: the configured database, migrated)."""
    from hrdwatch.interfaces.api.router import api_router
    from hrdwatch.interfaces.web.pages import web_router

    extractor = ExtractorHolder(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        extractor.close()  # the worker process stops with the server

    app = FastAPI(title="hrdwatch", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine if engine is not None else open_database(settings)
    app.state.extractor = extractor
    app.state.templates = templates
    app.add_middleware(SecurityMiddleware)
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/healthz", dependencies=[requires(Action.PUBLIC)], include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(web_router)
    return app


def app_from_env() -> FastAPI:
    """The app for one of ``hrdwatch serve --workers N``'s processes, configured from the environment."""
    return create_app(Settings.from_env())
