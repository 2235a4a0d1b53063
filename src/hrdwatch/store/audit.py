"""The audit repository: append events, read them back; never update or delete (triggers refuse)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrdwatch.domain.audit import AuditAction, AuditEntry, AuditRecord
from hrdwatch.store import tables as t


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, record: AuditRecord, *, at: datetime | None = None) -> int:
        row = t.AuditEvent(
            at=at or t.utcnow(),
            actor=record.actor,
            action=record.action.value,
            subject=record.subject,
            target_table=record.target_table,
            target_id=record.target_id,
            before=record.before,
            after=record.after,
            ip=record.ip,
            detail=record.detail,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, event_id: int) -> AuditEntry | None:
        row = self._session.get(t.AuditEvent, event_id)
        return _entry(row) if row is not None else None

    def count_since(self, action: AuditAction, subject: str, since: datetime) -> int:
        stmt = (
            select(func.count())
            .select_from(t.AuditEvent)
            .where(t.AuditEvent.action == action.value)
            .where(t.AuditEvent.subject == subject)
            .where(t.AuditEvent.at >= since)
        )
        return int(self._session.scalar(stmt) or 0)

    def last_at(self, actions: tuple[AuditAction, ...], subject: str) -> datetime | None:
        stmt = select(func.max(t.AuditEvent.at)).where(
            t.AuditEvent.action.in_([a.value for a in actions]), t.AuditEvent.subject == subject
        )
        value = self._session.scalar(stmt)
        if value is not None and value.tzinfo is None:  # func.max bypasses the column type
            value = t.UTCDateTime().process_result_value(value, self._session.get_bind().dialect)
        return value

    def list(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target_id: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Newest first."""
        stmt = select(t.AuditEvent).order_by(t.AuditEvent.id.desc()).limit(limit).offset(offset)
        if actor is not None:
            stmt = stmt.where(t.AuditEvent.actor == actor)
        if action is not None:
            stmt = stmt.where(t.AuditEvent.action.like(action.replace("*", "%")))
        if target_id is not None:
            stmt = stmt.where(t.AuditEvent.target_id == target_id)
        if since is not None:
            stmt = stmt.where(t.AuditEvent.at >= since)
        return [_entry(row) for row in self._session.scalars(stmt)]


def _entry(row: t.AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        action=row.action,
        actor=row.actor,
        subject=row.subject,
        target_table=row.target_table,
        target_id=row.target_id,
        before=row.before,
        after=row.after,
        ip=row.ip,
        detail=row.detail,
    )
