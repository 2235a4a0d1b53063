"""One report, one transaction: the unit of work commits, repositories never do."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import StoreError
from hrdwatch.store import tables as t
from hrdwatch.store.export import export_all
from hrdwatch.store.uow import UnitOfWork


class Crash(Exception):
    pass


def _row_counts(engine: Engine) -> dict[str, int]:
    with UnitOfWork(engine) as uow:
        tables = export_all(uow.session)["tables"]
    return {name: len(rows) for name, rows in tables.items()}


def test_commit_stores_the_report(engine: Engine, source: Source, record: CaseRecord) -> None:
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        uow.records.save(source_id, record)
        uow.commit()
    counts = _row_counts(engine)
    assert counts["sources"] == 1
    assert counts["incidents"] == 3


def test_leaving_without_commit_rolls_back(engine: Engine, source: Source, record: CaseRecord) -> None:
    with UnitOfWork(engine) as uow:
        uow.records.save(uow.sources.add(source), record)
    assert set(_row_counts(engine).values()) == {0}


def test_crash_mid_save_writes_nothing(
    engine: Engine, source: Source, record: CaseRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrdwatch.store import records as module

    original = module._Writer.event
    calls = []

    def crash_on_second_event(self: module._Writer, event: object) -> str:
        calls.append(event)
        if len(calls) == 2:
            raise Crash("power cut")
        return original(self, event)  # type: ignore[arg-type]

    monkeypatch.setattr(module._Writer, "event", crash_on_second_event)
    with pytest.raises(Crash), UnitOfWork(engine) as uow:
        uow.records.save(uow.sources.add(source), record)
        uow.commit()
    assert set(_row_counts(engine).values()) == {0}


def test_same_sha256_cannot_be_stored_twice(engine: Engine, source: Source) -> None:
    with UnitOfWork(engine) as uow:
        first = uow.sources.add(source)
        uow.commit()
    with UnitOfWork(engine) as uow:
        found = uow.sources.get_by_sha256(source.sha256)
        assert found is not None
        assert found.id == first
        assert found.source == source
        assert found.ingested_at.tzinfo is not None
        with pytest.raises(StoreError) as info:
            uow.sources.add(dataclasses.replace(source, name="copy.txt"))
        assert info.value.code == "E309"
    assert _row_counts(engine)["sources"] == 1


def test_sha256_is_unique_in_the_database_itself(engine: Engine, source: Source) -> None:
    with UnitOfWork(engine) as uow:
        uow.sources.add(source)
        uow.commit()
    row = {
        "id": t.new_id(),
        "name": "other.txt",
        "sha256": source.sha256,
        "size": 1,
        "media_type": "text/plain",
        "reader": "text",
        "metadata": {},
        "text": "x",
        "ingested_at": t.utcnow(),
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(t.Source.__table__), row)


def test_unknown_sha256_is_none(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        assert uow.sources.get_by_sha256("0" * 64) is None


def test_session_outside_the_block_is_refused(engine: Engine) -> None:
    uow = UnitOfWork(engine)
    with pytest.raises(RuntimeError):
        uow.session  # noqa: B018
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(t.Source)) == 0
    with pytest.raises(RuntimeError):
        uow.sources  # noqa: B018


def test_read_only_unit_of_work_reads_and_refuses_to_write(engine: Engine, source: Source) -> None:
    with UnitOfWork(engine) as uow:
        uow.sources.add(source)
        uow.commit()
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.sources.get_by_sha256(source.sha256) is not None
        with pytest.raises(RuntimeError, match="read-only"):
            uow.sources.add(dataclasses.replace(source, sha256="0" * 64, name="other.txt"))
