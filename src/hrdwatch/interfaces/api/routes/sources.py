"""Reports: all of them or those awaiting review, one report's text, and uploads (one or more files).

An upload answers 200 with one result per file: a refused file (empty, too large, unreadable) is
a ``failed`` result with its coded reason, and the others are still stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from hrdwatch.interfaces.api.routes.common import ClientIp, Db, Paging, SourceReader, Uploader
from hrdwatch.interfaces.api.schemas import (
    NOT_FOUND,
    TOO_LARGE,
    Page,
    SourcePublic,
    SourceTextPublic,
    SourceUploadResult,
)
from hrdwatch.interfaces.http.deps import extractor_of, settings_of
from hrdwatch.interfaces.http.memory_form import MemoryUploadRoute, read_capped
from hrdwatch.interfaces.http.middleware import UPLOAD_MAX_FILES
from hrdwatch.services import review, uploads

router = APIRouter(prefix="/sources", tags=["sources"], route_class=MemoryUploadRoute)
MAX_FILES = UPLOAD_MAX_FILES  # as many as the security middleware sizes the body limit for


@router.get("", response_model=Page[SourcePublic])
def list_sources(
    paging: Paging, db: Db, user: SourceReader, pending_only: bool = False
) -> Page[SourcePublic]:
    """Every report, newest first, with its incident and undecided-fact counts (``pending_only``:
    only those with an incident not yet verified)."""
    items, total = review.list_sources(
        db, user, pending_only=pending_only, page=paging.page, per_page=paging.per_page
    )
    rows = [SourcePublic.model_validate(item) for item in items]
    return Page[SourcePublic].of(rows, total=total, page=paging.page, per_page=paging.per_page)


@router.get("/{source_id}", response_model=SourceTextPublic, responses=NOT_FOUND)
def read_source(source_id: str, db: Db, user: SourceReader) -> SourceTextPublic:
    """A report's text, as stored: the offsets of every piece of evidence point into it."""
    return SourceTextPublic.model_validate(review.review_page(db, user, source_id).source)


@router.post(
    "",
    response_model=list[SourceUploadResult],
    form_limits={"max_files": MAX_FILES, "max_fields": 0},
    responses=TOO_LARGE,
)
def upload_sources(
    request: Request,
    files: Annotated[
        list[UploadFile],
        File(
            description=f"Reports: text, Markdown, HTML or PDF (1 to {MAX_FILES})",
            min_length=1,
            max_length=MAX_FILES,
        ),
    ],
    db: Db,
    ip: ClientIp,
    user: Uploader,
) -> list[SourceUploadResult]:
    settings = settings_of(request)
    extractor = extractor_of(request)
    results = []
    for upload in files:
        data = read_capped(upload, settings.max_bytes)
        name = upload.filename or "upload"
        result = uploads.upload(db, settings, extractor, user, name=name, data=data, size=upload.size, ip=ip)
        results.append(SourceUploadResult.model_validate(result.to_dict()))
    return results
