"""The pages, one module per area, each with its ``router``, gathered in ``web_router``."""

from __future__ import annotations

from types import ModuleType

from fastapi import APIRouter

from hrdwatch.interfaces.web.pages import admin, auth, browse, review, upload

PAGES: tuple[ModuleType, ...] = (
    auth,
    admin,
    upload,
    browse,
    review,  # review router: added by the review page
)

web_router = APIRouter()
for page in PAGES:
    web_router.include_router(page.router)
