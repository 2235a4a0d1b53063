"""The audit log keeps every event and refuses changes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.store.uow import UnitOfWork


def _append(engine: Engine, record: AuditRecord, at: datetime | None = None) -> int:
    with UnitOfWork(engine) as uow:
        event_id = uow.audit.append(record, at=at)
        uow.commit()
    return event_id


def test_events_read_back_newest_first_with_values(engine: Engine) -> None:
    _append(engine, AuditRecord(AuditAction.LOGIN, "mira.oss", subject="mira.oss", ip="127.0.0.1"))
    second = _append(
        engine,
        AuditRecord(
            AuditAction.FACT_EDITED,
            "mira.oss",
            target_table="acts",
            target_id="a" * 32,
            before={"act_type": "arrest"},
            after={"act_type": "detention"},
        ),
    )
    with UnitOfWork(engine) as uow:
        entries = uow.audit.list()
        edited = uow.audit.list(action="fact.*")
    assert [e.action for e in entries] == ["fact.edited", "login"]
    assert entries[0].id == second
    assert edited[0].before == {"act_type": "arrest"} and edited[0].after == {"act_type": "detention"}
    assert entries[0].at.tzinfo is not None


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
)
def test_audit_rows_cannot_be_changed_or_deleted(engine: Engine, statement: str) -> None:
    _append(engine, AuditRecord(AuditAction.LOGIN, "mira.oss", subject="mira.oss"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with UnitOfWork(engine) as uow:
        assert [e.actor for e in uow.audit.list()] == ["mira.oss"]


def test_failures_are_counted_in_a_time_window(engine: Engine) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    for minutes in (20, 10, 1):
        _append(
            engine,
            AuditRecord(AuditAction.LOGIN_FAILED, None, subject="mira.oss"),
            at=now - timedelta(minutes=minutes),
        )
    _append(engine, AuditRecord(AuditAction.LOGIN_FAILED, None, subject="other.user"), at=now)
    with UnitOfWork(engine) as uow:
        assert uow.audit.count_since(AuditAction.LOGIN_FAILED, "mira.oss", now - timedelta(minutes=15)) == 2
