"""The app factory: one FastAPI app serving the pages, the API under ``/api/v1`` and static files.

    app = create_app(Settings.from_env())

The API (:mod:`hrdwatch.interfaces.api`) and the pages (:mod:`hrdwatch.interfaces.web`) are
mounted side by side, with what they share (:mod:`hrdwatch.interfaces.http`) around them: the
security middleware and the exception handlers, which answer the API with its coded body and the
browser with the web's error page. The spaCy pipeline is loaded on the first upload, not at
start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.interfaces.api.router import api_router
from hrdwatch.interfaces.http.deps import requires
from hrdwatch.interfaces.http.handlers import ErrorResponses, install_error_handlers
from hrdwatch.interfaces.http.middleware import SecurityMiddleware
from hrdwatch.interfaces.web.error_page import error_page
from hrdwatch.interfaces.web.pages import web_router
from hrdwatch.interfaces.web.templating import STATIC_DIR, templates
from hrdwatch.security.permissions import Action
from hrdwatch.services.database import open_database
from hrdwatch.services.extraction import RecordExtractor, start_extractor

API_PREFIX = "/api/v1"


class ExtractorHolder:
    """The app's extractor: a worker process (started on the first upload, so start-up stays fast)
    with a time limit per report and a memory cap, so a hostile upload cannot exhaust the server."""

    def __init__(self, settings: Settings) -> None:
        self._extractor = start_extractor(settings)

    def get(self) -> RecordExtractor:
        return self._extractor

    def close(self) -> None:
        self._extractor.close()


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The whole web app on ``engine`` (default: the configured database, migrated)."""
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
    install_error_handlers(app, ErrorResponses(API_PREFIX, error_page))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", dependencies=[requires(Action.PUBLIC)], include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(web_router)
    return app


def app_from_env() -> FastAPI:
    """The app for one of ``hrdwatch serve --workers N``'s processes, configured from the environment."""
    return create_app(Settings.from_env())
