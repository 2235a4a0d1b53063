"""The audit log, newest first, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from hrdwatch.interfaces.api.routes.common import Auditor, Db, Paging
from hrdwatch.interfaces.api.schemas import AuditEventPublic, AuditPage
from hrdwatch.services.audit import read_log

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditPage)
def audit_log(
    paging: Paging,
    db: Db,
    user: Auditor,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=50, description="e.g. fact.* or login")] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
) -> AuditPage:
    entries = read_log(
        db,
        user,
        actor=actor,
        action=action,
        target_id=target_id,
        since=since,
        limit=paging.per_page + 1,
        offset=paging.offset,
    )
    more = len(entries) > paging.per_page
    return AuditPage(
        items=[AuditEventPublic.model_validate(e) for e in entries[: paging.per_page]],
        page=paging.page,
        per_page=paging.per_page,
        next_page=paging.page + 1 if more else None,
    )
