"""Ingest use case: read each report, extract its record, store both in one transaction.

A failing file is reported with its coded reason and the batch goes on; a file already stored
(same SHA-256) is skipped; nothing stored before is ever changed by a later failure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import HrdwatchError
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.ingest.registry import read_bytes, read_path
from hrdwatch.store.uow import UnitOfWork

STDIN = "-"


class Outcome(StrEnum):
    INGESTED = "ingested"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(slots=True)
class IngestResult:
    name: str
    outcome: Outcome
    reason: str | None = None
    source_id: str | None = None
    incident_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "source_id": self.source_id,
            "incident_ids": list(self.incident_ids),
            "warnings": list(self.warnings),
        }


def read_input(item: str | Path, *, settings: Settings, stdin: Callable[[], bytes] | None = None) -> Source:
    if str(item) == STDIN:
        data = stdin() if stdin else b""
        return read_bytes(data, name="<stdin>", settings=settings)
    return read_path(Path(item), settings=settings)


def ingest_one(source: Source, *, engine: Engine, extractor: Extractor) -> IngestResult:
    with UnitOfWork(engine) as uow:
        existing = uow.sources.get_by_sha256(source.sha256)
        if existing is not None:
            return IngestResult(
                source.name,
                Outcome.DUPLICATE,
                f"already stored as {existing.source.name}",
                source_id=existing.id,
            )
    record: CaseRecord = extractor.extract(source)
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        incident_ids = uow.records.save(source_id, record)
        uow.commit()
    return IngestResult(
        source.name,
        Outcome.INGESTED,
        source_id=source_id,
        incident_ids=incident_ids,
        warnings=list(record.warnings),
    )


def ingest_many(
    items: Sequence[str | Path],
    *,
    settings: Settings,
    engine: Engine,
    extractor: Extractor,
    stdin: Callable[[], bytes] | None = None,
    progress: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    results = []
    for item in items:
        try:
            source = read_input(item, settings=settings, stdin=stdin)
            result = ingest_one(source, engine=engine, extractor=extractor)
        except HrdwatchError as e:
            result = IngestResult(str(item), Outcome.FAILED, e.detail)
        results.append(result)
        if progress:
            progress(result)
    return results
