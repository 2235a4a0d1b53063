"""Review on the store side: what a reviewer may edit, a fact row's values and review state, the
facts that belong to one incident, and the queue of reports still to review.

No permission logic here (the services check who may do what) and no commit (the unit of work
does). A *fact* is a row of one of the tables in :data:`EDITABLE`, addressed by (table, id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.review import IncidentStatus, ReviewStatus
from hrdwatch.errors import Errors, ReviewError, StoreError
from hrdwatch.store import tables as t
from hrdwatch.store.review_views import QueueItem

#: fields a reviewer may edit, per fact table
EDITABLE: dict[str, tuple[str, ...]] = {
    "incidents": ("date", "end_date", "city", "country", "site", "detention_place"),
    "acts": ("act_type", "date"),
    "people": ("name", "description"),
    "organisations": ("name",),
    "perpetrators": ("name", "kind", "description"),
    "charges": ("offence", "law", "article"),
    "sanctions": ("type", "amount", "currency", "months", "description"),
    "demands": ("text",),
}
MODELS: dict[str, Any] = {
    "incidents": t.Incident,
    "acts": t.Act,
    "people": t.Person,
    "organisations": t.Organisation,
    "perpetrators": t.Perpetrator,
    "charges": t.Charge,
    "sanctions": t.Sanction,
    "demands": t.Demand,
}
KINDS = {
    "incidents": "incident",
    "acts": "act",
    "people": "person",
    "organisations": "organisation",
    "perpetrators": "perpetrator",
    "charges": "charge",
    "sanctions": "sanction",
    "demands": "demand",
}
STATUS = "review_status"


@dataclass(slots=True)
class IncidentRows:
    """The rows of one incident's facts (ORM objects: for use inside the store only)."""

    incident: t.Incident
    acts: list[t.Act] = field(default_factory=list)
    people: list[t.Person] = field(default_factory=list)
    organisations: list[t.Organisation] = field(default_factory=list)
    perpetrators: list[t.Perpetrator] = field(default_factory=list)
    involvements: list[t.Involvement] = field(default_factory=list)
    charges: list[t.Charge] = field(default_factory=list)
    sanctions: list[t.Sanction] = field(default_factory=list)
    demands: list[t.Demand] = field(default_factory=list)

    def addresses(self) -> list[tuple[str, str, str]]:
        """(table, id, review_status) of every fact, the incident row first."""
        tables: list[tuple[str, Sequence[Any]]] = [
            ("incidents", [self.incident]),
            ("acts", self.acts),
            ("people", self.people),
            ("organisations", self.organisations),
            ("perpetrators", self.perpetrators),
            ("charges", self.charges),
            ("sanctions", self.sanctions),
            ("demands", self.demands),
        ]
        return [(name, row.id, row.review_status) for name, rows in tables for row in rows]

    def pending(self) -> int:
        return sum(1 for *_, status in self.addresses() if status == ReviewStatus.EXTRACTED.value)


def get_incident_row(session: Session, incident_id: str) -> t.Incident:
    row = session.get(t.Incident, incident_id)
    if row is None:
        raise StoreError(Errors.E305, ident=incident_id)
    return row


def fact_row(session: Session, table: str, fact_id: str) -> Any:
    """The row of fact (``table``, ``fact_id``); E511 if there is none."""
    model = MODELS.get(table)
    row = session.get(model, fact_id) if model is not None else None
    if row is None:
        raise ReviewError(Errors.E511, kind=KINDS.get(table, table), ident=fact_id)
    return row


def fact_values(session: Session, table: str, fact_id: str) -> dict[str, Any]:
    """The editable fields of a fact with their current values."""
    row = fact_row(session, table, fact_id)
    return {name: getattr(row, name) for name in EDITABLE[table]}


def fact_state(session: Session, table: str, fact_id: str) -> dict[str, Any]:
    """:func:`fact_values` plus ``review_status``: what an audit event's before and after hold."""
    return {**fact_values(session, table, fact_id), STATUS: fact_row(session, table, fact_id).review_status}


def set_fact(session: Session, table: str, fact_id: str, state: Mapping[str, Any]) -> None:
    """Write ``state`` (editable fields and/or ``review_status``) to the fact; dates keep their
    precision in step. E512 for any other key."""
    row = fact_row(session, table, fact_id)
    for name, value in state.items():
        if name != STATUS and name not in EDITABLE[table]:
            raise ReviewError(Errors.E512, table=table, field=name, editable=", ".join(EDITABLE[table]))
        setattr(row, name, value)
        if name == "date" and table in ("incidents", "acts"):
            row.date_precision = PartialDate.from_iso(value).precision.value if value else None
    session.flush()


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


def incidents_of_fact(session: Session, table: str, fact_id: str) -> list[str]:
    """The ids of the incidents fact (``table``, ``fact_id``) belongs to."""
    row = fact_row(session, table, fact_id)
    if table == "incidents":
        return [row.id]
    if table in ("acts", "charges") or (table == "sanctions" and row.incident_id):
        return [row.incident_id]
    if table in ("sanctions", "demands"):
        stmt = select(t.Incident.id).where(t.Incident.source_id == row.source_id)
    elif table == "perpetrators":
        involved = select(t.Involvement.act_id).where(t.Involvement.perpetrator_id == row.id)
        stmt = select(t.Act.incident_id).where(t.Act.id.in_(involved))
    else:
        column = t.Act.victim_person_id if table == "people" else t.Act.victim_organisation_id
        stmt = select(t.Act.incident_id).where(column == row.id)
    return sorted(set(session.scalars(stmt)))


def start_review(session: Session, incident_ids: Iterable[str]) -> None:
    """Move the given incidents from ``extracted`` to ``in_review`` (others are left alone)."""
    stmt = (
        update(t.Incident)
        .where(t.Incident.id.in_(list(incident_ids)))
        .where(t.Incident.status == IncidentStatus.EXTRACTED.value)
        .values(status=IncidentStatus.IN_REVIEW.value)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(stmt)
    session.flush()


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
