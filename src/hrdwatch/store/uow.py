"""The unit of work: one session, one transaction; the only place that commits.

    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        uow.records.save(source_id, record)
        uow.commit()

Leaving the block without :meth:`UnitOfWork.commit` (or through an exception) rolls back
everything done since the last commit. Repositories only add and flush.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.store.accounts import AccountRepository
from hrdwatch.store.audit import AuditRepository
from hrdwatch.store.records import RecordRepository
from hrdwatch.store.repositories import SourceRepository


class UnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("this UnitOfWork is already open")
        self._session = Session(self._engine, expire_on_commit=False)
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
