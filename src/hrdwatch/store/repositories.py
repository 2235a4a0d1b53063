"""The source repository: store a read report once, find it by its fingerprint.

Repositories add and flush inside the caller's :class:`~hrdwatch.store.uow.UnitOfWork`; they never
commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, StoreError
from hrdwatch.store import tables as t


@dataclass(frozen=True, slots=True)
class StoredSource:
    """A source as stored: its row id, when it was ingested, and the report itself."""

    id: str
    ingested_at: datetime
    source: Source


class SourceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get_by_sha256(self, sha256: str) -> StoredSource | None:
        row = self._session.scalars(select(t.Source).where(t.Source.sha256 == sha256)).first()
        return _stored(row) if row is not None else None

    def get(self, source_id: str) -> StoredSource | None:
        row = self._session.get(t.Source, source_id)
        return _stored(row) if row is not None else None

    def add(self, source: Source) -> str:
        """Store ``source`` and return its id. E309 if a report with the same sha256 is stored."""
        if self.get_by_sha256(source.sha256) is not None:
            raise StoreError(Errors.E309, sha256=source.sha256)
        row = _row(source)
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as e:  # stored meanwhile by another writer
            raise StoreError(Errors.E309, sha256=source.sha256) from e
        return row.id


def _row(source: Source) -> t.Source:
    return t.Source(
        id=t.new_id(),
        name=source.name,
        sha256=source.sha256,
        size=source.size,
        media_type=source.media_type,
        reader=source.reader,
        language=source.language,
        title=source.title,
        published=source.published,
        url=source.url,
        publisher=source.publisher,
        doc_id=source.doc_id,
        meta=dict(source.metadata),
        text=source.text,
        ingested_at=t.utcnow(),
    )


def _stored(row: t.Source) -> StoredSource:
    source = Source(
        name=row.name,
        text=row.text,
        sha256=row.sha256,
        size=row.size,
        media_type=row.media_type,
        reader=row.reader,
        language=row.language,
        title=row.title,
        published=row.published,
        url=row.url,
        publisher=row.publisher,
        doc_id=row.doc_id,
        metadata=dict(row.meta or {}),
    )
    return StoredSource(id=row.id, ingested_at=row.ingested_at, source=source)
