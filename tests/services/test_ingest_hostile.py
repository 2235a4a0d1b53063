"""The ingest service under races and odd input: a report stored by another ingest while this one
was extracting it is a duplicate, not a failure; every stored report has its audit event (in the
same transaction); names that are not UTF-8 end nothing. Every name below is invented."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.services.extraction import discover_inputs
from hrdwatch.services.ingest import IngestResult, Outcome, ingest_many, ingest_one
from hrdwatch.store.uow import UnitOfWork

STORE = sys.modules["hrdwatch_tests_store_conftest"]


class MeetingExtractor:
    """Gives the fixture record, but only once every caller has arrived: the callers have all
    passed the "already stored?" check before any of them stores the report."""

    def __init__(self, parties: int) -> None:
        self._barrier = threading.Barrier(parties, timeout=30)

    def extract(self, source: Source) -> CaseRecord:
        self._barrier.wait()
        return STORE.make_record()


class FixedExtractor:
    def extract(self, source: Source) -> CaseRecord:
        return STORE.make_record()


def _ingest_together(engine: Engine, source: Source, parties: int) -> list[IngestResult]:
    extractor = MeetingExtractor(parties)
    results: list[IngestResult] = []

    def run() -> None:
        results.append(ingest_one(source, engine=engine, extractor=extractor, actor="cli:tester"))

    threads = [threading.Thread(target=run) for _ in range(parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_report_stored_meanwhile_is_a_duplicate(engine: Engine) -> None:
    """Was: the slower ingest reported "failed: [E309] this report is already stored"."""
    results = _ingest_together(engine, STORE.make_source(), 2)
    assert sorted(r.outcome for r in results) == [Outcome.DUPLICATE, Outcome.INGESTED]
    stored = next(r for r in results if r.outcome is Outcome.INGESTED)
    duplicate = next(r for r in results if r.outcome is Outcome.DUPLICATE)
    assert duplicate.source_id == stored.source_id
    with UnitOfWork(engine) as uow:
        assert len(uow.audit.list(action="source.ingest")) == 1  # the loser's event rolled back


def test_each_stored_report_has_its_ingest_event(engine: Engine) -> None:
    source = STORE.make_source()
    result = ingest_one(source, engine=engine, extractor=FixedExtractor(), actor="cli:tester")
    with UnitOfWork(engine) as uow:
        (event,) = uow.audit.list(action="source.ingest")
    assert event.actor == "cli:tester"
    assert (event.target_table, event.target_id, event.subject) == ("sources", result.source_id, source.name)
    assert event.after == {
        "sha256": source.sha256,
        "size": source.size,
        "incidents": len(result.incident_ids),
    }


def test_no_event_without_an_actor_and_none_for_a_duplicate(engine: Engine) -> None:
    source = STORE.make_source()
    ingest_one(source, engine=engine, extractor=FixedExtractor())
    again = ingest_one(source, engine=engine, extractor=FixedExtractor(), actor="cli:tester")
    assert again.outcome is Outcome.DUPLICATE
    with UnitOfWork(engine) as uow:
        assert uow.audit.list(action="source.ingest") == []


def test_names_that_are_not_utf8_do_not_end_the_batch(engine: Engine, tmp_path: Path) -> None:
    """Was: UnicodeEncodeError for the whole batch (when printing or storing the name)."""
    folder = os.fsencode(tmp_path)
    for raw, data in [(b"bad-\xff.txt", b""), (b"good-\xe9.txt", STORE.REPORT.encode())]:
        with open(os.path.join(folder, raw), "wb") as handle:
            handle.write(data)
    results = ingest_many(
        discover_inputs([str(tmp_path)]),
        settings=Settings(db="sqlite://"),
        engine=engine,
        extractor=FixedExtractor(),
        actor="cli:tester",
    )
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.INGESTED]
    assert results[0].reason is not None and "bad-\\xff.txt" in results[0].reason
    with UnitOfWork(engine) as uow:
        stored = uow.sources.get(results[1].source_id or "")
    assert stored is not None and stored.source.name.endswith("good-\\xe9.txt")
