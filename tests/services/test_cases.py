"""Issue 9 end to end: fictional reports about the same two invented defenders under different
spellings (romanised two ways, in Cyrillic, "Mr SURNAME"), through the real spaCy extractor and
the ingest service, become one person each and one case whose lineage runs from the arrest to the
release; a namesake in another country stays apart; a report ingested twice changes nothing.
Then the case use cases: list, case file (editor and viewer), decisions, status, rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.cases import CaseStatus, Situation
from hrdwatch.domain.lineage import StepKind
from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, ReviewError
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.ingest.registry import read_path
from hrdwatch.services import cases
from hrdwatch.services.filing import linker_from
from hrdwatch.services.ingest import Outcome, ingest_one
from hrdwatch.store import tables as t
from hrdwatch.store.uow import UnitOfWork

FIXTURES = Path(__file__).parent / "fixtures" / "cases"
REPORTS = ["1-arrest.txt", "2-hearing.txt", "3-release.txt"]
NAMESAKE = "4-namesake.txt"
EDITOR = Principal("u1", "ilse.marrow", Role.EDITOR)
VIEWER = Principal("u4", "noor.vale", Role.VIEWER)
SETTINGS = Settings()
COUNTED = (t.Entity, t.EntityLink, t.Case, t.CaseIncident, t.CaseEntity, t.AuditEvent)


@dataclass
class CachedExtractor:
    """The real pipeline, run once per report for the whole module."""

    extractor: Extractor = field(default_factory=Extractor)
    done: dict[str, CaseRecord] = field(default_factory=dict)

    def extract(self, source: Source) -> CaseRecord:
        if source.sha256 not in self.done:
            self.done[source.sha256] = self.extractor.extract(source)
        return self.done[source.sha256]


@pytest.fixture(scope="module")
def extractor() -> Iterator[CachedExtractor]:
    yield CachedExtractor()


def ingest(engine: Engine, extractor: CachedExtractor, name: str) -> Outcome:
    source = read_path(FIXTURES / name, settings=SETTINGS)
    linker = linker_from(SETTINGS)
    return ingest_one(source, engine=engine, extractor=extractor, actor="cli:tester", linker=linker).outcome


def counts(engine: Engine) -> dict[str, int]:
    with UnitOfWork(engine, read_only=True) as uow:
        return {
            m.__tablename__: uow.session.scalar(select(func.count()).select_from(m)) or 0 for m in COUNTED
        }


def only_case(engine: Engine) -> cases.CaseFile:
    (summary,) = cases.list_cases(engine, EDITOR)
    return cases.case_file(engine, EDITOR, summary.ref)


def confirm_everything(engine: Engine) -> None:
    """What the analyst does: accept every proposed follow-up and "this person may be X"."""
    file = only_case(engine)
    for pending in file.pending:
        cases.decide_followup(engine, EDITOR, file.case.ref, pending.incident_id, accept=True)
    with UnitOfWork(engine, read_only=True) as uow:
        waiting = uow.session.scalars(
            select(t.EntityLink.id).where(t.EntityLink.decision == "suggested")
        ).all()
    for link_id in waiting:
        cases.decide_link(engine, EDITOR, link_id, accept=True)


@pytest.fixture
def three(engine: Engine, extractor: CachedExtractor) -> Engine:
    for name in REPORTS:
        assert ingest(engine, extractor, name) is Outcome.INGESTED
    return engine


def test_three_reports_make_one_case_with_its_lineage(three: Engine) -> None:
    file = only_case(three)
    assert file.case.ref.startswith("KAZ 001 / ")
    assert file.pending, "later reports are proposed to the case, not added silently"
    assert any("situation: Detained -> Released" in r for p in file.pending for r in p.reasons)
    confirm_everything(three)
    file = only_case(three)
    assert not file.pending
    assert file.case.situation == Situation.RELEASED.value
    people = {d.entity.name: set(d.spellings) for d in file.defenders}
    assert people == {
        "Aigerim Dzhaksybekova": {"Aigerim Dzhaksybekova", "Aigerim Jaksybekova", "Айгерим Джаксыбекова"},
        "Nurlan Temirkhanov": {"Nurlan Temirkhanov", "Temirkhanov"},
    }
    kinds = [step.kind for step in file.lineage]
    order = [StepKind.ARREST, StepKind.CHARGE, StepKind.HEARING, StepKind.CONVICTION, StepKind.RELEASE]
    assert [k for k in kinds if k in order] == [k for k in order for _ in range(kinds.count(k))]
    assert kinds[-1] is StepKind.RELEASE
    assert all(step.incident_ids and step.evidence_ids for step in file.lineage if step.kind in order)


def test_a_namesake_in_another_country_stays_apart(three: Engine, extractor: CachedExtractor) -> None:
    assert ingest(three, extractor, NAMESAKE) is Outcome.INGESTED
    refs = [c.ref for c in cases.list_cases(three, EDITOR)]
    assert len(refs) == 2 and any(r.startswith("KGZ 001 / ") for r in refs)
    with UnitOfWork(three, read_only=True) as uow:
        daniyar = uow.session.scalars(select(t.Person).where(t.Person.name == "Daniyar Temirkhanov")).one()
        stmt = select(t.EntityLink.entity_id, t.EntityLink.decision).where(
            t.EntityLink.mention_id == daniyar.id
        )
        links = [tuple(row) for row in uow.session.execute(stmt)]
        assert links == [(daniyar.entity_id, "auto")]


def test_ingesting_a_report_twice_changes_nothing(three: Engine, extractor: CachedExtractor) -> None:
    before = counts(three)
    assert ingest(three, extractor, REPORTS[1]) is Outcome.DUPLICATE
    assert counts(three) == before


def test_rebuild_is_idempotent_and_keeps_decisions(three: Engine) -> None:
    confirm_everything(three)
    linker = linker_from(SETTINGS)
    first = cases.rebuild_links(three, EDITOR, linker=linker)
    before = counts(three)
    second = cases.rebuild_links(three, EDITOR, linker=linker)
    assert counts(three) == before
    assert not second.changed
    assert second.entities_before == second.entities_after == first.entities_after


def test_viewer_sees_only_verified_incidents(three: Engine) -> None:
    confirm_everything(three)
    assert cases.list_cases(three, VIEWER) == []
    ref = only_case(three).case.ref
    with pytest.raises(ReviewError, match="E522"):
        cases.case_file(three, VIEWER, ref)
    first = only_case(three).timeline[0].incident_id
    with UnitOfWork(three) as uow:
        uow.session.get(t.Incident, first).status = "verified"  # type: ignore[union-attr]
        uow.commit()
    (summary,) = cases.list_cases(three, VIEWER)
    assert summary.incidents == 1
    file = cases.case_file(three, VIEWER, ref)
    assert [i.incident_id for i in file.timeline] == [first] and not file.pending


def test_decisions_need_an_editor_and_are_audited(three: Engine) -> None:
    file = only_case(three)
    pending = file.pending[0].incident_id
    with pytest.raises(AccessError, match="E503"):
        cases.decide_followup(three, VIEWER, file.case.ref, pending, accept=True)
    cases.decide_followup(three, EDITOR, file.case.ref, pending, accept=False)
    with pytest.raises(ReviewError, match="E523"):
        cases.decide_followup(three, EDITOR, file.case.ref, pending, accept=True)
    closed = cases.set_case_status(three, EDITOR, file.case.ref, CaseStatus.CLOSED)
    assert closed.status == "closed" and closed.closed_at is not None
    assert [c.ref for c in cases.list_cases(three, EDITOR, status=CaseStatus.OPEN)] == []
    with UnitOfWork(three, read_only=True) as uow:
        actions = uow.session.scalars(
            select(t.AuditEvent.action).where(t.AuditEvent.target_id == file.case.id)
        )
        assert sorted(actions) == ["case.followup_decided", "case.opened", "case.updated"]
    with pytest.raises(ReviewError, match="E522"):
        cases.case_file(three, EDITOR, "KAZ 999 / 0125")


def test_rejecting_a_link_keeps_the_people_apart(three: Engine) -> None:
    with UnitOfWork(three, read_only=True) as uow:
        (link_id,) = uow.session.scalars(select(t.EntityLink.id).where(t.EntityLink.decision == "suggested"))
    cases.decide_link(three, EDITOR, link_id, accept=False)
    with pytest.raises(ReviewError, match="E524"):
        cases.decide_link(three, EDITOR, link_id, accept=False)
    names = {d.entity.name for d in only_case(three).defenders}
    assert "Temirkhanov" not in names  # the follow-up naming him is still to be confirmed
    assert cases.rebuild_links(three, EDITOR, linker=linker_from(SETTINGS)).suggestions_added == 0
