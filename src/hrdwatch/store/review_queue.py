"""Read side of review: the reports still to review, newest first, with their incident and
undecided-fact counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hrdwatch.domain.review import IncidentStatus, ReviewStatus
from hrdwatch.store import tables as t


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A report with at least one incident not yet verified."""

    source_id: str
    name: str
    title: str | None
    ingested_at: datetime
    incidents: int
    undecided: int  # fact rows of its incidents still ``extracted``


def review_queue(session: Session) -> list[QueueItem]:
    """Sources with at least one incident not verified, newest first, with undecided-fact counts."""
    return list_sources(session, pending_only=True)[0]


def list_sources(
    session: Session, *, pending_only: bool, limit: int | None = None, offset: int = 0
) -> tuple[list[QueueItem], int]:
    """Reports newest first with their incident and undecided-fact counts, and how many there are
    in all; ``pending_only``: only those with an incident not yet verified."""
    where = []
    if pending_only:
        open_sources = select(t.Incident.source_id).where(t.Incident.status != IncidentStatus.VERIFIED.value)
        where.append(t.Source.id.in_(open_sources))
    stmt = (
        select(t.Source.id, t.Source.name, t.Source.title, t.Source.ingested_at, func.count(t.Incident.id))
        .outerjoin(t.Incident, t.Incident.source_id == t.Source.id)
        .where(*where)
        .group_by(t.Source.id, t.Source.name, t.Source.title, t.Source.ingested_at)
        .order_by(t.Source.ingested_at.desc(), t.Source.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(stmt).all()
    total = int(session.scalar(select(func.count()).select_from(t.Source).where(*where)) or 0)
    undecided = _undecided_by_source(session, [r[0] for r in rows])
    items = [QueueItem(sid, name, title, at, int(n), undecided[sid]) for sid, name, title, at, n in rows]
    return items, total


def _undecided_by_source(session: Session, source_ids: list[str]) -> Counter[str]:
    """Per source, its incidents' facts still ``extracted`` (each fact row counted once)."""
    counts: Counter[str] = Counter({sid: 0 for sid in source_ids})
    for stmt in _undecided():
        sub = stmt.subquery()
        grouped = select(sub.c.source_id, func.count()).where(sub.c.source_id.in_(source_ids))
        for source_id, n in session.execute(grouped.group_by(sub.c.source_id)):
            counts[source_id] += n
    return counts


def _undecided() -> list[Select[str]]:
    """One statement per fact table: the source id of each of its undecided facts."""
    extracted = ReviewStatus.EXTRACTED.value
    source = t.Incident.source_id.label("source_id")
    return [
        select(source).where(t.Incident.review_status == extracted),
        select(source)
        .join(t.Act, t.Act.incident_id == t.Incident.id)
        .where(t.Act.review_status == extracted),
        select(source)
        .join(t.Charge, t.Charge.incident_id == t.Incident.id)
        .where(t.Charge.review_status == extracted),
        select(t.Person.source_id.label("source_id")).where(
            t.Person.review_status == extracted, t.Person.id.in_(select(t.Act.victim_person_id))
        ),
        select(t.Organisation.source_id.label("source_id")).where(
            t.Organisation.review_status == extracted,
            t.Organisation.id.in_(select(t.Act.victim_organisation_id)),
        ),
        select(t.Perpetrator.source_id.label("source_id")).where(
            t.Perpetrator.review_status == extracted,
            t.Perpetrator.id.in_(select(t.Involvement.perpetrator_id)),
        ),
        select(t.Sanction.source_id.label("source_id")).where(t.Sanction.review_status == extracted),
        select(t.Demand.source_id.label("source_id")).where(t.Demand.review_status == extracted),
    ]
