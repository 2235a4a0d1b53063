"""Read side of review: the fact rows of one incident, a report's incidents, and the evidence
spans of a report's facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hrdwatch.domain.facts import FactRef, FactTable
from hrdwatch.domain.review import ReviewStatus
from hrdwatch.errors import Errors, ReviewError
from hrdwatch.store import tables as t
from hrdwatch.store.facts import get_incident_row

#: evidence rows of one source: (table, id) -> [(field, start, end)]
Spans = dict[tuple[str, str], list[tuple[str, int, int]]]


@dataclass(slots=True)
class IncidentRows:
    """The rows of one incident's facts (ORM objects, read only)."""

    incident: t.Incident
    acts: list[t.Act] = field(default_factory=list)
    people: list[t.Person] = field(default_factory=list)
    organisations: list[t.Organisation] = field(default_factory=list)
    perpetrators: list[t.Perpetrator] = field(default_factory=list)
    involvements: list[t.Involvement] = field(default_factory=list)
    charges: list[t.Charge] = field(default_factory=list)
    sanctions: list[t.Sanction] = field(default_factory=list)
    demands: list[t.Demand] = field(default_factory=list)

    def addresses(self) -> list[tuple[FactRef, str]]:
        """The address and review status of every fact, the incident row first."""
        tables: list[tuple[FactTable, Sequence[Any]]] = [
            (FactTable.INCIDENTS, [self.incident]),
            (FactTable.ACTS, self.acts),
            (FactTable.PEOPLE, self.people),
            (FactTable.ORGANISATIONS, self.organisations),
            (FactTable.PERPETRATORS, self.perpetrators),
            (FactTable.CHARGES, self.charges),
            (FactTable.SANCTIONS, self.sanctions),
            (FactTable.DEMANDS, self.demands),
        ]
        return [(FactRef(table, row.id), row.review_status) for table, rows in tables for row in rows]

    def pending(self) -> int:
        return sum(1 for _, status in self.addresses() if status == ReviewStatus.EXTRACTED.value)


def load_incident(session: Session, incident_id: str) -> IncidentRows:
    """Every fact row of one incident: its acts, their victims and perpetrators, its charges, its
    sanctions and its source's unattached ones, its source's demands."""
    inc = get_incident_row(session, incident_id)
    rows = IncidentRows(inc)
    rows.acts = list(session.scalars(select(t.Act).where(t.Act.incident_id == inc.id).order_by(t.Act.id)))
    act_ids = [a.id for a in rows.acts]
    rows.people = _by_id(session, t.Person, (a.victim_person_id for a in rows.acts))
    rows.organisations = _by_id(session, t.Organisation, (a.victim_organisation_id for a in rows.acts))
    rows.involvements = list(session.scalars(select(t.Involvement).where(t.Involvement.act_id.in_(act_ids))))
    rows.perpetrators = _by_id(session, t.Perpetrator, (i.perpetrator_id for i in rows.involvements))
    rows.charges = list(
        session.scalars(
            select(t.Charge).where(t.Charge.incident_id == inc.id).order_by(t.Charge.position, t.Charge.id)
        )
    )
    sanctions = (
        select(t.Sanction)
        .where(t.Sanction.source_id == inc.source_id)
        .where(or_(t.Sanction.incident_id == inc.id, t.Sanction.incident_id.is_(None)))
        .order_by(t.Sanction.incident_id.is_(None), t.Sanction.position, t.Sanction.id)
    )
    rows.sanctions = list(session.scalars(sanctions))
    demands = select(t.Demand).where(t.Demand.source_id == inc.source_id)
    rows.demands = list(session.scalars(demands.order_by(t.Demand.position, t.Demand.id)))
    return rows


def _by_id(session: Session, model: Any, ids: Iterable[str | None]) -> list[Any]:
    wanted = sorted({i for i in ids if i})
    return list(session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id)))


def source_row(session: Session, source_id: str) -> t.Source:
    """The report ``source_id``; E511 if there is none."""
    source = session.get(t.Source, source_id)
    if source is None:
        raise ReviewError(Errors.E511, kind="source", ident=source_id)
    return source


def incident_ids(session: Session, source_id: str) -> list[str]:
    """The ids of a report's incidents, oldest first."""
    stmt = select(t.Incident.id).where(t.Incident.source_id == source_id)
    return list(session.scalars(stmt.order_by(t.Incident.created_at, t.Incident.id)))


def evidence_spans(session: Session, source_id: str) -> Spans:
    """Every evidence span of a report's facts, by fact address, in text order."""
    found: Spans = defaultdict(list)
    stmt = (
        select(t.Evidence).where(t.Evidence.source_id == source_id).order_by(t.Evidence.start, t.Evidence.id)
    )
    for ev in session.scalars(stmt):
        found[(ev.fact_table, ev.fact_id)].append((ev.field, ev.start, ev.end))
    return found
