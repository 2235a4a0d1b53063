"""Uploading reports: one or many files in one form; each is read, extracted and stored on its own.

A refused file (too big, binary, wrong type, empty) is a row in the results with its coded reason;
the other files still go in. With ``HX-Request`` (htmx, or app.js showing progress) the answer is
the results table alone, else the whole page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from hrdwatch.config import Settings
from hrdwatch.domain.users import Principal
from hrdwatch.interfaces.api.deps import client_ip, engine_of, requires, settings_of
from hrdwatch.interfaces.api.memory_form import MemoryUploadRoute
from hrdwatch.interfaces.web.app import templates
from hrdwatch.security.permissions import Action
from hrdwatch.services import uploads

router = APIRouter(route_class=MemoryUploadRoute)  # uploads stay in memory, never on disk
Uploader = Annotated[Principal, requires(Action.SOURCE_UPLOAD)]


def _read(file: UploadFile, settings: Settings) -> bytes:
    """At most one byte over the limit: enough for the service to refuse it, never the whole file."""
    data: bytes = file.file.read(settings.max_bytes + 1)
    return data


def _upload_all(request: Request, user: Principal, files: list[UploadFile]) -> list[uploads.IngestResult]:
    engine, settings = engine_of(request), settings_of(request)
    extractor = request.app.state.extractor.get()
    return [
        uploads.upload(
            engine,
            settings,
            extractor,
            user,
            name=file.filename or "upload",
            data=_read(file, settings),
            size=file.size,
            ip=client_ip(request),
        )
        for file in files
        if file.filename or file.size
    ]


@router.get("/upload")
def upload_form(request: Request, user: Uploader) -> Response:
    context = {"user": user, "max_bytes": settings_of(request).max_bytes, "results": None}
    return templates.TemplateResponse(request, "upload.html", context)


@router.post("/upload")
def upload(
    request: Request, user: Uploader, files: Annotated[list[UploadFile] | None, File()] = None
) -> Response:
    results = _upload_all(request, user, files or [])
    context: dict[str, Any] = {"user": user, "results": results, "max_bytes": settings_of(request).max_bytes}
    fragment = request.headers.get("hx-request") == "true"
    return templates.TemplateResponse(request, "upload_results.html" if fragment else "upload.html", context)
