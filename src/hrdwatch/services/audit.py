"""The one way events reach the audit log, and the admin's way of reading it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditEntry, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.store.audit import ChainReport, audit_key, verify_chain
from hrdwatch.store.damage import translate_damage
from hrdwatch.store.uow import UnitOfWork

__all__ = ["AuditEntry", "AuditRecord", "ChainReport", "read_log", "record", "record_now", "verify_log"]


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
    with translate_damage(), UnitOfWork(engine, read_only=True) as uow:
        return uow.audit.list(
            actor=actor, action=action, target_id=target_id, since=since, limit=limit, offset=offset
        )


def verify_log(engine: Engine, user: Principal | None, *, key_file: Path | None = None) -> ChainReport:
    """Check the whole chain, its seals (key from ``key_file``, default the setting) and the
    append-only triggers (admins only). Reads only: verifying a suspect database leaves it as is."""
    require(user, Action.AUDIT_READ)
    key = audit_key(key_file, create=False)
    if engine.dialect.name == "postgresql":  # rows and head from one snapshot, as SQLite gives
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with translate_damage(), UnitOfWork(engine, read_only=True) as uow:  # no write lock taken
        return verify_chain(uow.session, key)
