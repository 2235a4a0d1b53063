"""Ingest use case: read each report, extract its record, store both in one transaction.

A failing file is reported with its coded reason and the batch goes on; a file already stored
(same SHA-256) is skipped, also when another process stored it while this one was extracting it;
nothing stored before is ever changed by a later failure. When an ``actor`` is given (the CLI
passes the operator's name), each stored report writes a ``source.ingest`` audit event in the
same transaction as the report. With a ``linker`` (the CLI and uploads build one from the
settings) the report is also filed in that transaction: its people and organisations linked to
canonical entities, its incidents put in cases (:mod:`hrdwatch.services.filing`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import HrdwatchError, StoreError
from hrdwatch.extract.worker import RecordExtractor
from hrdwatch.ingest.files import FoundFile, display_name
from hrdwatch.ingest.registry import read_bytes, read_path
from hrdwatch.services.audit import record as record_event
from hrdwatch.services.filing import file_source, linker_from
from hrdwatch.services.linking.matcher import Linker
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


Input = str | Path | FoundFile


def read_input(item: Input, *, settings: Settings, stdin: Callable[[], bytes] | None = None) -> Source:
    if str(item) == STDIN:
        data = stdin() if stdin else b""
        return read_bytes(data, name="<stdin>", settings=settings)
    return read_path(item if isinstance(item, FoundFile) else Path(item), settings=settings)


def _stored(source: Source, *, engine: Engine) -> IngestResult | None:
    """The DUPLICATE result when a report with ``source``'s SHA-256 is stored already."""
    with UnitOfWork(engine) as uow:
        existing = uow.sources.get_by_sha256(source.sha256)
    if existing is None:
        return None
    return IngestResult(
        source.name, Outcome.DUPLICATE, f"already stored as {existing.source.name}", source_id=existing.id
    )


def _ingest_event(source: Source, source_id: str, incident_ids: list[str], actor: str) -> AuditRecord:
    return AuditRecord(
        AuditAction.INGEST,
        actor,
        subject=source.name,
        target_table="sources",
        target_id=source_id,
        after={"sha256": source.sha256, "size": source.size, "incidents": len(incident_ids)},
    )


def ingest_one(
    source: Source,
    *,
    engine: Engine,
    extractor: RecordExtractor,
    actor: str | None = None,
    linker: Linker | None = None,
) -> IngestResult:
    """Extract and store ``source``; DUPLICATE when it is stored already, before or meanwhile."""
    stored = _stored(source, engine=engine)
    if stored is not None:
        return stored
    record: CaseRecord = extractor.extract(source)
    try:
        with UnitOfWork(engine) as uow:
            source_id = uow.sources.add(source)
            incident_ids = uow.records.save(source_id, record)
            if actor is not None:
                record_event(uow, _ingest_event(source, source_id, incident_ids, actor))
            if linker is not None:
                file_source(uow, source_id, linker, actor=actor)
            uow.commit()
    except (StoreError, IntegrityError) as e:
        if isinstance(e, StoreError) and e.code != "E309":
            raise
        stored = _stored(source, engine=engine)  # another ingest committed it first
        if stored is None:
            raise
        return stored
    return IngestResult(
        source.name,
        Outcome.INGESTED,
        source_id=source_id,
        incident_ids=incident_ids,
        warnings=list(record.warnings),
    )


def ingest_many(
    items: Sequence[Input],
    *,
    settings: Settings,
    engine: Engine,
    extractor: RecordExtractor,
    stdin: Callable[[], bytes] | None = None,
    progress: Callable[[IngestResult], None] | None = None,
    actor: str | None = None,
) -> list[IngestResult]:
    results = []
    linker = linker_from(settings)
    for item in items:
        try:
            source = read_input(item, settings=settings, stdin=stdin)
            result = ingest_one(source, engine=engine, extractor=extractor, actor=actor, linker=linker)
        except HrdwatchError as e:
            result = IngestResult(display_name(str(item)), Outcome.FAILED, e.detail)
        results.append(result)
        if progress:
            progress(result)
    return results
