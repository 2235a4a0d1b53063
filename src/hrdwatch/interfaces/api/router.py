"""All API routers under one ``api_router`` (mounted at ``/api/v1`` by the app factory)."""

from __future__ import annotations

from fastapi import APIRouter

api_router = APIRouter()
