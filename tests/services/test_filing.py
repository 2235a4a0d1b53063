"""Filing a stored report: entities for its people and organisations, cases for its incidents,
follow-ups for a later report, the same event told twice, and nothing new the second time.
The fictional Valdora report of tests/store/conftest.py; every name is invented."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.domain.users import Principal, Role
from hrdwatch.services.filing import FilingReport, file_source, linker_from, same_event
from hrdwatch.services.relinking import rebuild_links
from hrdwatch.store import tables as t
from hrdwatch.store.case_queries import IncidentFacts
from hrdwatch.store.cases import case_incidents, list_cases
from hrdwatch.store.uow import UnitOfWork

STORE = sys.modules["hrdwatch_tests_store_conftest"]
LINKER = linker_from(Settings())
COUNTED = (t.Entity, t.EntityLink, t.Case, t.CaseIncident, t.CaseEntity, t.AuditEvent)


def save_and_file(engine: Engine, source: Source, record: CaseRecord) -> FilingReport:
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        uow.records.save(source_id, record)
        report = file_source(uow, source_id, LINKER, actor="cli:tester")
        uow.commit()
    return report


def refile(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        for source_id in uow.session.scalars(select(t.Source.id)):
            file_source(uow, source_id, LINKER, actor="cli:tester")
        uow.commit()


def counts(engine: Engine) -> dict[str, int]:
    with UnitOfWork(engine, read_only=True) as uow:
        return {
            m.__tablename__: uow.session.scalar(select(func.count()).select_from(m)) or 0 for m in COUNTED
        }


def later_report() -> tuple[Source, CaseRecord]:
    """Another source telling the Valdora arrest again, with Eklund's name in another order."""
    body = STORE.REPORT + "\nUpdate: Eklund, Tomas remains in custody."
    source = replace(STORE.make_source(body, name="valdora-2.txt"), title="Valdora update")
    record = STORE.make_record()
    record.victims[1].name = "Eklund, Tomas"
    for event in record.events:
        event.victims = ["Eklund, Tomas" if v == "Tomas Eklund" else v for v in event.victims]
    return source, record


def test_a_report_gets_entities_and_cases(engine: Engine) -> None:
    report = save_and_file(engine, STORE.make_source(), STORE.make_record())
    assert report.entities >= 3 and report.links_suggested == 0
    assert [ref.split(" / ")[0] for ref in report.cases_opened] == ["LTU 001", "LTU 002"]
    with UnitOfWork(engine, read_only=True) as uow:
        names = {s.ref: s.entity_names for s in list_cases(uow.session)}
        people = list(uow.session.scalars(select(t.Person.entity_id)))
        (arrest_case, raid_case) = [s.id for s in list_cases(uow.session)]
        decisions = [i.decision for i in case_incidents(uow.session, arrest_case)]
        audit = list(uow.session.scalars(select(t.AuditEvent.action)))
    assert all(people)
    assert sorted(names.values()) == [("Mira Solvang", "Tomas Eklund"), ("Northwind Rights Centre",)]
    assert decisions == ["auto", "auto"]  # the trial joins the arrest's case: one report ties them
    assert audit == ["case.opened", "case.opened"]
    assert raid_case


def test_filing_twice_changes_nothing(engine: Engine) -> None:
    save_and_file(engine, STORE.make_source(), STORE.make_record())
    before = counts(engine)
    refile(engine)
    assert counts(engine) == before


def test_a_later_report_is_a_follow_up_and_may_be_the_same_event(engine: Engine) -> None:
    save_and_file(engine, STORE.make_source(), STORE.make_record())
    report = save_and_file(engine, *later_report())
    assert report.cases_opened == [] and report.entities == 0 and report.links_auto >= 2
    with UnitOfWork(engine, read_only=True) as uow:
        case_id = list_cases(uow.session)[0].id
        pending = [i for i in case_incidents(uow.session, case_id) if i.decision == "suggested"]
    assert len(pending) == 2
    reasons = [r for p in pending for r in p.reasons]
    assert "defenders: Mira Solvang, Tomas Eklund" in reasons
    assert "may be the incident already reported by Valdora: lawyer and journalist arrested" in reasons


def facts(**values: object) -> IncidentFacts:
    base: dict[str, object] = {
        "id": "i1",
        "source_id": "s1",
        "source_title": None,
        "date": "2025-03-03",
        "country": "LT",
        "act_types": frozenset({"arrest"}),
        "victims": frozenset({"e1"}),
    }
    return IncidentFacts(**{**base, **values})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ({"date": "2025-03"}, True),  # a vaguer date covers it
        ({"date": "2025-04-01"}, False),
        ({"date": None}, False),
        ({"country": "LV"}, False),
        ({"act_types": frozenset({"arrest", "detention"})}, True),
        ({"act_types": frozenset({"hearing"})}, False),
        ({"victims": frozenset({"e2"})}, False),
    ],
)
def test_same_event(other: dict[str, object], same: bool) -> None:
    assert same_event(facts(), facts(id="i2", source_id="s2", **other)) is same


def test_rebuild_links_and_files_what_was_stored_without_filing(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(STORE.make_source())
        uow.records.save(source_id, STORE.make_record())
        uow.commit()
    editor = Principal("u1", "ilse.marrow", Role.EDITOR)
    first = rebuild_links(engine, editor, linker=LINKER)
    assert first.entities_before == 0 and first.entities_after >= 2 and first.links_added >= 2
    assert [ref.split(" / ")[0] for ref in first.cases_opened] == ["LTU 001", "LTU 002"]
    before = counts(engine)
    second = rebuild_links(engine, editor, linker=LINKER)
    assert not second.changed and counts(engine) == before
    with UnitOfWork(engine, read_only=True) as uow:
        for model in (t.Person, t.Organisation):
            assert uow.session.scalar(select(func.count()).where(model.entity_id.is_(None))) == 0
