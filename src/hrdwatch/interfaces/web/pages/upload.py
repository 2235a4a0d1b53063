"""Uploading reports: one or many files in one form; each is read, extracted and stored on its own.

A refused file (too big, binary, wrong type, empty) is a row in the results with its coded reason;
the other files still go in. With ``HX-Request`` (htmx, or app.js showing progress) the answer is
the results table alone, else the whole page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from hrdwatch.domain.users import Principal
from hrdwatch.interfaces.http.deps import client_ip, engine_of, extractor_of, requires, settings_of
from hrdwatch.interfaces.http.memory_form import MemoryUploadRoute, read_capped
from hrdwatch.interfaces.web.templating import templates
from hrdwatch.security.permissions import Action
from hrdwatch.services import uploads

router = APIRouter(route_class=MemoryUploadRoute)  # uploads stay in memory, never on disk
Uploader = Annotated[Principal, requires(Action.SOURCE_UPLOAD)]


def _upload_all(request: Request, user: Principal, files: list[UploadFile]) -> list[uploads.IngestResult]:
    engine, settings = engine_of(request), settings_of(request)
    extractor = extractor_of(request)
    return [
        uploads.upload(
            engine,
            settings,
            extractor,
            user,
            name=file.filename or "upload",
            data=read_capped(file, settings.max_bytes),
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
