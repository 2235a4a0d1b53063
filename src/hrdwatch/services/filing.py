"""Filing a report (issue 9): inside the ingest unit of work, link the people and organisations
it names to canonical entities, then put each of its incidents in a case.

An incident whose victims are in an open case is proposed to that case as a follow-up
(``suggested``, with the defenders it shares and what it adds to the lineage), unless the case was
opened by this very report a moment ago (then ``auto``: one report tying its own incidents). When
several open cases share its victims, the one sharing the most is proposed first, the others
after. An incident that may be one already in the case (same victim, overlapping dates, same
country, an act in common) says so among the reasons; merging the two is the merge service's.
Otherwise the incident opens a new case. Incidents without a named victim are filed in no case
(as the data migration does), and an incident already in a case is left alone: filing the same
report twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.cases import CaseRef, CaseStatus, alpha3
from hrdwatch.domain.lineage import situation
from hrdwatch.services.audit import record as record_event
from hrdwatch.services.case_steps import case_situation, describe, members, news_of, steps_of
from hrdwatch.services.linking.matcher import Linker, Thresholds
from hrdwatch.services.mention_links import link_organisations, link_people
from hrdwatch.store.case_queries import IncidentFacts, incident_facts, source_incidents
from hrdwatch.store.case_views import CaseView
from hrdwatch.store.cases import (
    add_case,
    add_case_entity,
    add_case_incident,
    case_entities,
    cases_of,
    next_case_number,
    update_case,
)
from hrdwatch.store.entities import entities
from hrdwatch.store.uow import UnitOfWork


@dataclass(slots=True)
class FilingReport:
    """What filing one report (or a rebuild) did, in numbers and case references."""

    entities: int = 0
    links_auto: int = 0
    links_suggested: int = 0
    cases_opened: list[str] = field(default_factory=list)
    followups: int = 0


def linker_from(settings: Settings) -> Linker:
    return Linker(Thresholds(auto=settings.link_auto, suggest=settings.link_suggest))


def file_source(uow: UnitOfWork, source_id: str, linker: Linker, *, actor: str | None) -> FilingReport:
    """Link the report's mentions and file its incidents, in ``uow`` (committed by the caller)."""
    report = FilingReport()
    for counts in (link_people(uow.session, source_id, linker), link_organisations(uow.session, source_id)):
        report.entities += counts.entities
        report.links_auto += counts.auto
        report.links_suggested += counts.suggested
    file_incidents(uow, source_incidents(uow.session, source_id), actor=actor, report=report)
    return report


def file_incidents(
    uow: UnitOfWork, incident_ids: Sequence[str], *, actor: str | None, report: FilingReport
) -> None:
    """Put each incident not in a case yet into one (module docstring)."""
    session = uow.session
    opened_here: set[str] = set()
    for fact in incident_facts(session, incident_ids):
        if not fact.victims or cases_of(session, incident_ids=[fact.id]):
            continue
        open_cases = _ranked(session, fact)
        if not open_cases:
            opened_here.add(_open_case(uow, fact, actor=actor, report=report))
            continue
        for rank, (case, shared) in enumerate(open_cases):
            auto = rank == 0 and case.id in opened_here
            _propose(session, case, fact, shared, auto=auto)
            report.followups += 1


def _ranked(session: Session, fact: IncidentFacts) -> list[tuple[CaseView, list[str]]]:
    """The open cases concerning the incident's victims, most shared defenders first, then oldest."""
    found = []
    for case in cases_of(session, entity_ids=fact.victims):
        if case.status != CaseStatus.OPEN.value or case.merged_into is not None:
            continue
        shared = sorted(e.name for e in case_entities(session, case.id) if e.id in fact.victims)
        found.append((case, shared))
    return sorted(found, key=lambda pair: -len(pair[1]))


def _propose(session: Session, case: CaseView, fact: IncidentFacts, shared: list[str], *, auto: bool) -> None:
    known = members(session, case.id)
    reasons = [f"defenders: {', '.join(shared)}", *describe(news_of(session, known, fact.id))]
    reasons += [
        f"may be the incident already reported by {same}" for same in _same_events(session, known, fact)
    ]
    score = len(shared) / max(1, len(fact.victims))
    decision = "auto" if auto else "suggested"
    add_case_incident(session, case.id, fact.id, decision=decision, score=score, reasons=reasons)
    if auto:
        for entity_id in fact.victims:
            add_case_entity(session, case.id, entity_id)
        update_case(session, case.id, {"situation": case_situation(session, case.id).value})


def _same_events(session: Session, known: Sequence[str], fact: IncidentFacts) -> list[str]:
    """The reports (titles) of the case's incidents that may be this same event."""
    return [
        other.source_title or other.source_id
        for other in incident_facts(session, known)
        if other.source_id != fact.source_id and same_event(other, fact)
    ]


def same_event(a: IncidentFacts, b: IncidentFacts) -> bool:
    """Same victim, overlapping dates (a vaguer date covers the precise ones in it), same country,
    an act type in common."""
    dates = (
        a.date is not None and b.date is not None and (a.date.startswith(b.date) or b.date.startswith(a.date))
    )
    return (
        bool(a.victims & b.victims) and dates and a.country == b.country and bool(a.act_types & b.act_types)
    )


def _open_case(uow: UnitOfWork, fact: IncidentFacts, *, actor: str | None, report: FilingReport) -> str:
    session = uow.session
    country = alpha3(fact.country)
    number = next_case_number(session, country)
    ref = CaseRef.opened_on(country, number, datetime.now(UTC).strftime("%Y-%m"))
    now = situation(steps_of(session, [fact.id])).value
    case_id = add_case(
        session, ref=str(ref), country=country, number=number, opened=ref.opened, situation=now
    )
    add_case_incident(session, case_id, fact.id, decision="auto", reasons=["opened the case"])
    for entity_id in sorted(fact.victims):
        add_case_entity(session, case_id, entity_id)
    names = [e.name for e in entities(session, fact.victims)]
    event = AuditRecord(
        AuditAction.CASE_OPENED,
        actor,
        subject=str(ref),
        target_table="cases",
        target_id=case_id,
        after={"ref": str(ref), "incident": fact.id, "defenders": names, "situation": now},
    )
    record_event(uow, event)
    report.cases_opened.append(str(ref))
    return case_id
