"""The one way events reach the audit log, and the admin's way of reading it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditEntry, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.store.uow import UnitOfWork

__all__ = ["AuditEntry", "AuditRecord", "read_log", "record", "record_now"]


def record(uow: UnitOfWork, event: AuditRecord, *, at: datetime | None = None) -> int:
    """Append ``event`` inside ``uow``: it is kept exactly when the change it describes is committed.

    ``at`` defaults to now; only the clock-driven account code passes its own ``now``.
    """
    return uow.audit.append(event, at=at)


def record_now(engine: Engine, event: AuditRecord) -> int:
    """Append ``event`` in a transaction of its own (logins, refusals: nothing else changes)."""
    with UnitOfWork(engine) as uow:
        event_id = record(uow, event)
        uow.commit()
    return event_id


def read_log(
    engine: Engine,
    user: Principal | None,
    *,
    actor: str | None = None,
    action: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Events newest first; ``action`` may end in ``*`` (``fact.*``). Admins only."""
    require(user, Action.AUDIT_READ)
    with UnitOfWork(engine) as uow:
        return uow.audit.list(
            actor=actor, action=action, target_id=target_id, since=since, limit=limit, offset=offset
        )
