"""The pages, one module per area, gathered in ``web_router``."""

from __future__ import annotations

from fastapi import APIRouter

web_router = APIRouter()
