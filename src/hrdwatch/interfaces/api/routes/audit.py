"""The audit log, newest first, for administrators."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from hrdwatch.interfaces.api.routes.common import Auditor, Db, Paging
from hrdwatch.interfaces.api.schemas import AuditEventPublic, AuditPage
from hrdwatch.services.audit import read_log

router = APIRouter(prefix="/audit", tags=["audit"])
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def _rfc3339_text(value: object) -> object:
    """An instant only as RFC 3339 text (not a number read as a Unix time)."""
    if not isinstance(value, str) or not _RFC3339.fullmatch(value.strip()):
        raise ValueError("give an RFC 3339 date-time")
    return value.strip().upper()


Instant = Annotated[datetime, BeforeValidator(_rfc3339_text)]


@router.get("", response_model=AuditPage)
def audit_log(
    paging: Paging,
    db: Db,
    user: Auditor,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=50, description="e.g. fact.* or login")] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[Instant | None, Query(description="Events at or after this instant (RFC 3339)")] = None,
) -> AuditPage:
    entries = read_log(
        db,
        user,
        actor=actor,
        action=action,
        target_id=target_id,
        since=since if since is None or since.tzinfo else since.replace(tzinfo=UTC),
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
