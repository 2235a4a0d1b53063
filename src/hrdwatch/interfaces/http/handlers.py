"""The exception handlers of the one app: every failure is the coded JSON body on the API and an
error page elsewhere; nothing shows a stack trace.

The page comes from the web side, handed in by the app factory, so nothing here needs the web.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from hrdwatch.domain.queries import InvalidQuery
from hrdwatch.errors import HrdwatchError
from hrdwatch.interfaces.http.errors import (
    INTERNAL_ERROR,
    RETRY_AFTER_SECONDS,
    error_body,
    query_error,
    status_of,
)

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
log = logging.getLogger("hrdwatch.web")


class ErrorPage(Protocol):
    def __call__(
        self, request: Request, status: int, code: str, message: str, headers: dict[str, str]
    ) -> Response: ...


@dataclass(frozen=True, slots=True)
class ErrorResponses:
    """How a failure is answered: the JSON error body under ``api_prefix``, else ``page``."""

    api_prefix: str
    page: ErrorPage

    def __call__(
        self, request: Request, status: int, code: str, message: str, *, extra: dict[str, str] | None = None
    ) -> Response:
        """``extra`` headers go with it (``Allow`` on a 405, as RFC 9110 requires)."""
        headers = dict(extra or {})
        if status == 429:
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        if request.url.path.startswith(self.api_prefix):
            return JSONResponse(error_body(code, message, status), status_code=status, headers=headers)
        return self.page(request, status, code, message, headers)


def install_error_handlers(app: FastAPI, respond: ErrorResponses) -> None:
    @app.exception_handler(HrdwatchError)
    async def coded(request: Request, exc: HrdwatchError) -> Response:
        return respond(request, status_of(exc), exc.code, exc.detail)

    @app.exception_handler(InvalidQuery)
    async def bad_query(request: Request, exc: InvalidQuery) -> Response:
        error = query_error(exc)
        return respond(request, status_of(error), error.code, error.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in err.get("loc", ())) for err in exc.errors()[:5])
        return respond(request, 422, "E400", f"invalid request: check {fields}")

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        extra = dict(exc.headers or {})
        if exc.status_code == 405:  # every method this path takes, not just those of one route
            extra["Allow"] = _allowed(request) or extra.get("Allow", "")
        code = f"HTTP{exc.status_code}"
        return respond(request, exc.status_code, code, str(exc.detail), extra=extra)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "E500", INTERNAL_ERROR)


def _allowed(request: Request) -> str:
    """The methods some route of this request's path answers, for a 405's ``Allow`` header."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]
    return ", ".join(allowed)
