"""The unit of work: one session, one transaction; the only place that commits.

    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        uow.records.save(source_id, record)
        uow.commit()

Leaving the block without :meth:`UnitOfWork.commit` (or through an exception) rolls back
everything done since the last commit. Repositories only add and flush.

On SQLite a unit of work takes the write lock when its transaction begins, so concurrent writers
queue (up to the busy timeout) instead of failing. ``UnitOfWork(engine, read_only=True)`` is for
pages and reports that only read: it does not wait for writers, and refuses to flush a change.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.store.accounts import AccountRepository
from hrdwatch.store.audit import AuditRepository
from hrdwatch.store.engine import READ_ONLY
from hrdwatch.store.records import RecordRepository
from hrdwatch.store.repositories import SourceRepository


class UnitOfWork:
    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
        self._read_only = read_only
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("this UnitOfWork is already open")
        self._session = Session(self._engine, expire_on_commit=False)
        if self._read_only:
            event.listen(self._session, "before_flush", _refuse_writes)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()
        finally:
            session.close()

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use UnitOfWork in a with block")
        return self._session

    @property
    def sources(self) -> SourceRepository:
        return SourceRepository(self.session)

    @property
    def records(self) -> RecordRepository:
        return RecordRepository(self.session)

    @property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session)

    @property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.session)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def _refuse_writes(session: Session, flush_context: Any, instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only UnitOfWork cannot write: open UnitOfWork(engine)")
