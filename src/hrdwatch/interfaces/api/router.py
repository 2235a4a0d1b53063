"""All API routers under one ``api_router`` (mounted at ``/api/v1`` by the app factory).

Every route declares its action with :func:`~hrdwatch.interfaces.http.deps.requires`; every
failure has the body ``{"error": {"code", "message", "status"}}`` (listed for each route in the
OpenAPI document served at ``/api/v1/openapi.json``).
"""

from __future__ import annotations

from fastapi import APIRouter

from hrdwatch.interfaces.api.routes import (
    audit,
    docs,
    incidents,
    organisations,
    persons,
    review,
    search,
    sources,
    tokens,
)
from hrdwatch.interfaces.api.schemas import ERRORS

api_router = APIRouter()
for module in (sources, incidents, persons, organisations, search, review, tokens, audit, docs):
    api_router.include_router(module.router, responses=ERRORS)
