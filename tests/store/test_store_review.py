"""Review storage: fact rows by their typed address (state, writes, incidents), an incident's facts,
and the queue. The review page and added facts are use cases: tests/services/test_review.py; people
linked across reports by their names: tests/services/test_people.py."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hrdwatch.domain.facts import FactRef, FactTable
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import ReviewError
from hrdwatch.store import tables as t
from hrdwatch.store.facts import FactRow, start_review
from hrdwatch.store.incident_facts import load_incident
from hrdwatch.store.review_queue import list_sources, review_queue
from hrdwatch.store.uow import UnitOfWork


def _save(engine: Engine, source: Source, record: CaseRecord) -> tuple[str, list[str]]:
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        ids = uow.records.save(source_id, record)
        uow.commit()
    return source_id, ids


@pytest.fixture
def saved(engine: Engine, source: Source, record: CaseRecord) -> tuple[str, list[str]]:
    return _save(engine, source, record)


def _report(text: str, name: str) -> Source:
    data = text.encode()
    return Source(
        name=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type="text/plain",
        reader="text",
        title=f"Report {name}",
    )


def _fact(uow: UnitOfWork, table: FactTable, fact_id: str) -> FactRow:
    return FactRow(uow.session, FactRef(table, fact_id))


def test_a_fact_state_and_writes_keep_date_precision(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest = saved[1][0]
    with UnitOfWork(engine) as uow:
        fact = _fact(uow, FactTable.INCIDENTS, arrest)
        assert fact.state()["date"] == "2025-03-03"
        fact.write({"date": "2025-03", "review_status": "corrected"})
        uow.commit()
    with UnitOfWork(engine) as uow:
        state = _fact(uow, FactTable.INCIDENTS, arrest).state()
        precision = uow.session.get_one(t.Incident, arrest).date_precision
    assert (state["date"], state["review_status"], precision) == ("2025-03", "corrected", "month")
    assert set(state) == {"date", "end_date", "city", "country", "site", "detention_place", "review_status"}


def test_unknown_fact_and_column_are_refused(engine: Engine, saved: tuple[str, list[str]]) -> None:
    with UnitOfWork(engine) as uow:
        with pytest.raises(ReviewError) as missing:
            _fact(uow, FactTable.PEOPLE, "0" * 32)
        with pytest.raises(ReviewError) as column:
            _fact(uow, FactTable.INCIDENTS, saved[1][0]).write({"status": "verified"})
    assert (missing.value.code, column.value.code) == ("E511", "E512")
    assert "no person with id" in missing.value.detail


def test_an_incidents_facts(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest, trial, raid = saved[1]
    with UnitOfWork(engine) as uow:
        rows = {i: load_incident(uow.session, i) for i in saved[1]}
        addresses = {i: r.addresses() for i, r in rows.items()}
        pending = [rows[i].pending() for i in saved[1]]
    tables = {i: sorted(ref.table for ref, _ in found) for i, found in addresses.items()}
    assert tables[arrest] == sorted(
        ["incidents"] + ["acts"] * 4 + ["people"] * 2 + ["perpetrators"] * 2 + ["sanctions"] + ["demands"] * 2
    )
    assert tables[trial].count(FactTable.SANCTIONS) == 2  # its fine and the report's unattached prison term
    assert tables[raid].count(FactTable.ORGANISATIONS) == 1
    assert pending == [12, 13, 7]
    assert addresses[arrest][0] == (FactRef(FactTable.INCIDENTS, arrest), "extracted")


def test_incidents_of_a_fact(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest, trial, raid = saved[1]
    with UnitOfWork(engine) as uow:
        mira = uow.session.scalars(select(t.Person.id).where(t.Person.name == "Mira Solvang")).one()
        demand = uow.session.scalars(select(t.Demand.id)).first()
        police = uow.session.scalars(
            select(t.Perpetrator.id).where(t.Perpetrator.description == "police")
        ).one()
        assert demand is not None
        assert _fact(uow, FactTable.PEOPLE, mira).incident_ids() == sorted([arrest, trial])
        assert _fact(uow, FactTable.DEMANDS, demand).incident_ids() == sorted(saved[1])
        assert _fact(uow, FactTable.PERPETRATORS, police).incident_ids() == sorted([arrest, raid])


def test_start_review_moves_only_extracted_incidents(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest, trial, _ = saved[1]
    with UnitOfWork(engine) as uow:
        uow.session.get_one(t.Incident, trial).status = "verified"
        start_review(uow.session, [arrest, trial])
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.session.get_one(t.Incident, arrest).status == "in_review"
        assert uow.session.get_one(t.Incident, trial).status == "verified"


def test_queue_counts_each_undecided_fact_once(
    engine: Engine, saved: tuple[str, list[str]], second_report: tuple[Source, CaseRecord]
) -> None:
    second, _ = _save(engine, *second_report)
    with UnitOfWork(engine) as uow:
        queue = review_queue(uow.session)
        union = {a for i in saved[1] for a in load_incident(uow.session, i).addresses()}
    assert [q.source_id for q in queue] == [second, saved[0]]  # newest first
    first = queue[1]
    assert (first.name, first.title, first.incidents) == (
        "valdora.txt",
        "Valdora: lawyer and journalist arrested",
        3,
    )
    assert first.undecided == len(union) == 23
    with UnitOfWork(engine) as uow:
        for incident_id in saved[1]:
            uow.session.get_one(t.Incident, incident_id).status = "verified"
        demand = uow.session.scalars(select(t.Demand.id).where(t.Demand.source_id == saved[0])).first()
        _fact(uow, FactTable.DEMANDS, demand or "").write({"review_status": "accepted"})
        uow.commit()
    with UnitOfWork(engine) as uow:
        queue = review_queue(uow.session)
    assert [q.source_id for q in queue] == [second]
    assert queue[0].undecided == 23


def test_list_sources_all_or_only_those_still_to_review(
    engine: Engine, source: Source, record: CaseRecord, second_report: tuple[Source, CaseRecord]
) -> None:
    with UnitOfWork(engine) as uow:
        first = uow.sources.add(source)
        uow.records.save(first, record)
        second = uow.sources.add(second_report[0])
        uow.records.save(second, CaseRecord(id="empty"))  # a report with no incident at all
        uow.session.execute(
            t.Incident.__table__.update().where(t.Incident.source_id == first).values(status="verified")
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        everything, total = list_sources(uow.session, pending_only=False)
        pending, pending_total = list_sources(uow.session, pending_only=True)
        page, _ = list_sources(uow.session, pending_only=False, limit=1, offset=1)
    assert {i.source_id for i in everything} == {first, second} and total == 2
    assert {i.source_id: i.incidents for i in everything}[second] == 0
    assert pending == [] and pending_total == 0
    assert len(page) == 1
