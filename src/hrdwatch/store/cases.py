"""Case files (issue 9): numbers per country, cases, their incidents and entities, the case list
and timeline, and the chain-of-events links between incidents.

Storage only: which incident belongs to which case, a case's situation and whether a chain link
would close a circle are decided by the services (:mod:`hrdwatch.domain.cases` knows the rules).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from hrdwatch.store import tables as t
from hrdwatch.store.case_views import (
    CaseIncidentView,
    CaseSummary,
    CaseView,
    ChainLinkView,
    EntityView,
    TimelineAct,
)
from hrdwatch.store.entities import entities

#: follow-ups that are not (yet) part of the case
PENDING = ("suggested", "rejected")
#: the columns :func:`update_case` may set
CASE_FIELDS = frozenset({"title", "status", "situation", "confidential", "closed_at", "merged_into"})


def next_case_number(session: Session, country: str) -> int:
    """The next number for a case in ``country`` (ISO alpha-3), counted once and for all.

    One atomic upsert: on PostgreSQL it locks the counter row until the transaction ends, on
    SQLite the transaction already holds the write lock (``BEGIN IMMEDIATE``). A number given is
    never given again, even if its case is later merged away or the transaction that took it
    commits without a case.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    counter = t.CaseCounter.__table__
    stmt = dialect.insert(counter).values(country=country, last_number=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[counter.c.country], set_={"last_number": counter.c.last_number + 1}
    )
    return int(session.execute(stmt.returning(counter.c.last_number)).scalar_one())


def add_case(
    session: Session,
    *,
    ref: str,
    country: str,
    number: int,
    opened: str,
    situation: str,
    title: str | None = None,
    confidential: bool = False,
) -> str:
    """A new open case; returns its id. The reference must be new (the database refuses a
    second case with the same reference, or the same country and number)."""
    now = t.utcnow()
    row = t.Case(
        id=t.new_id(),
        ref=ref,
        country=country,
        number=number,
        opened=opened,
        title=title,
        status="open",
        situation=situation,
        confidential=confidential,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def update_case(session: Session, case_id: str, values: Mapping[str, Any]) -> None:
    """Set some of :data:`CASE_FIELDS` of a case."""
    unknown = set(values) - CASE_FIELDS
    if unknown:
        raise ValueError(f"not a case field that may be set: {sorted(unknown)}")
    stmt = update(t.Case).where(t.Case.id == case_id).values({**values, "updated_at": t.utcnow()})
    session.execute(stmt)


def add_case_incident(
    session: Session,
    case_id: str,
    incident_id: str,
    *,
    decision: str,
    score: float | None = None,
    reasons: Sequence[str] = (),
    decided_by: str | None = None,
) -> int:
    """Add an incident to a case as its next follow-up; returns the follow-up number (0 for the
    incident that opens the case). The case row is locked first on PostgreSQL, so two writers
    never give out one number."""
    session.execute(select(t.Case.id).where(t.Case.id == case_id).with_for_update())
    last = session.scalar(select(func.max(t.CaseIncident.followup)).where(t.CaseIncident.case_id == case_id))
    followup = 0 if last is None else last + 1
    row = t.CaseIncident(
        case_id=case_id,
        incident_id=incident_id,
        followup=followup,
        score=score,
        reasons=list(reasons),
        decision=decision,
        added_at=t.utcnow(),
        decided_by=decided_by,
    )
    session.add(row)
    session.flush()
    return followup


def decide_case_incident(
    session: Session, case_id: str, incident_id: str, *, decision: str, decided_by: str | None
) -> None:
    """Record a decision on a proposed follow-up (``confirmed``, ``rejected``...)."""
    key = and_(t.CaseIncident.case_id == case_id, t.CaseIncident.incident_id == incident_id)
    session.execute(update(t.CaseIncident).where(key).values(decision=decision, decided_by=decided_by))


def add_case_entity(session: Session, case_id: str, entity_id: str) -> None:
    """Say that the case concerns this entity (nothing happens if it already says so)."""
    if session.get(t.CaseEntity, (case_id, entity_id)) is None:
        session.add(t.CaseEntity(case_id=case_id, entity_id=entity_id))
        session.flush()


def case_by_id(session: Session, case_id: str) -> CaseView | None:
    row = session.get(t.Case, case_id)
    return _case(row) if row is not None else None


def case_by_ref(session: Session, ref: str) -> CaseView | None:
    row = session.scalars(select(t.Case).where(t.Case.ref == ref)).first()
    return _case(row) if row is not None else None


def cases_of(
    session: Session, *, incident_ids: Iterable[str] = (), entity_ids: Iterable[str] = ()
) -> tuple[CaseView, ...]:
    """The cases (merged ones too) holding any of these incidents or concerning any of these
    entities, oldest first."""
    by_incident = select(t.CaseIncident.case_id).where(t.CaseIncident.incident_id.in_(list(incident_ids)))
    by_entity = select(t.CaseEntity.case_id).where(t.CaseEntity.entity_id.in_(list(entity_ids)))
    stmt = select(t.Case).where(t.Case.id.in_(by_incident.union(by_entity)))
    return tuple(_case(row) for row in session.scalars(stmt.order_by(t.Case.created_at, t.Case.id)))


def _case(row: t.Case) -> CaseView:
    return CaseView(
        id=row.id,
        ref=row.ref,
        country=row.country,
        number=row.number,
        opened=row.opened,
        title=row.title,
        status=row.status,
        situation=row.situation,
        confidential=row.confidential,
        merged_into=row.merged_into,
        closed_at=row.closed_at,
    )


def case_entities(session: Session, case_id: str) -> tuple[EntityView, ...]:
    """The entities this case concerns."""
    ids = session.scalars(select(t.CaseEntity.entity_id).where(t.CaseEntity.case_id == case_id))
    return entities(session, ids)


def list_cases(
    session: Session, *, status: str | None = None, merged: bool = False
) -> tuple[CaseSummary, ...]:
    """The case list by country and number: with ``status`` only those; merged cases only if
    ``merged``."""
    stmt = select(t.Case)
    if status is not None:
        stmt = stmt.where(t.Case.status == status)
    if not merged:
        stmt = stmt.where(t.Case.merged_into.is_(None))
    rows = list(session.scalars(stmt.order_by(t.Case.country, t.Case.number)))
    names, counts = _entity_names(session), _incident_counts(session)
    return tuple(
        CaseSummary(
            id=r.id,
            ref=r.ref,
            status=r.status,
            situation=r.situation,
            confidential=r.confidential,
            entity_names=tuple(names.get(r.id, ())),
            incidents=counts.get(r.id, (0, None))[0],
            last_date=counts.get(r.id, (0, None))[1],
        )
        for r in rows
    )


def _entity_names(session: Session) -> dict[str, list[str]]:
    stmt = (
        select(t.CaseEntity.case_id, t.Entity.name)
        .join(t.Entity, t.Entity.id == t.CaseEntity.entity_id)
        .order_by(t.Entity.name)
    )
    names: dict[str, list[str]] = defaultdict(list)
    for case_id, name in session.execute(stmt):
        names[case_id].append(name)
    return names


def _incident_counts(session: Session) -> dict[str, tuple[int, str | None]]:
    """Case id -> (incidents in it, the newest incident date)."""
    stmt = (
        select(t.CaseIncident.case_id, func.count(), func.max(t.Incident.date))
        .join(t.Incident, t.Incident.id == t.CaseIncident.incident_id)
        .where(t.CaseIncident.decision.not_in(PENDING))
        .group_by(t.CaseIncident.case_id)
    )
    return {case_id: (count, last) for case_id, count, last in session.execute(stmt)}


def case_incidents(session: Session, case_id: str, *, pending: bool = True) -> tuple[CaseIncidentView, ...]:
    """A case's incidents by follow-up number, each with its acts (suggested and rejected
    follow-ups too unless ``pending`` is False)."""
    stmt = (
        select(t.CaseIncident, t.Incident, t.Source.title)
        .join(t.Incident, t.Incident.id == t.CaseIncident.incident_id)
        .join(t.Source, t.Source.id == t.Incident.source_id)
        .where(t.CaseIncident.case_id == case_id)
    )
    if not pending:
        stmt = stmt.where(t.CaseIncident.decision.not_in(PENDING))
    rows = session.execute(stmt.order_by(t.CaseIncident.followup, t.Incident.id)).all()
    acts = _acts(session, [inc.id for _, inc, _ in rows])
    return tuple(_case_incident(member, inc, title, acts[inc.id]) for member, inc, title in rows)


def _case_incident(
    member: t.CaseIncident, inc: t.Incident, title: str | None, acts: list[TimelineAct]
) -> Any:
    return CaseIncidentView(
        incident_id=inc.id,
        followup=member.followup,
        decision=member.decision,
        score=member.score,
        reasons=tuple(member.reasons or ()),
        date=inc.date,
        end_date=inc.end_date,
        city=inc.city,
        country=inc.country,
        status=inc.status,
        confidential=inc.confidential,
        same_as_id=inc.same_as_id,
        source_id=inc.source_id,
        source_title=title,
        acts=tuple(acts),
    )


def _acts(session: Session, incident_ids: list[str]) -> dict[str, list[TimelineAct]]:
    """The acts of these incidents, by date (undated last), with the victim's name."""
    person, org = aliased(t.Person), aliased(t.Organisation)
    stmt = (
        select(t.Act, func.coalesce(person.name, org.name))
        .outerjoin(person, person.id == t.Act.victim_person_id)
        .outerjoin(org, org.id == t.Act.victim_organisation_id)
        .where(t.Act.incident_id.in_(incident_ids))
        .order_by(t.Act.date.is_(None), t.Act.date, t.Act.act_type, t.Act.id)
    )
    found: dict[str, list[TimelineAct]] = defaultdict(list)
    for act, victim in session.execute(stmt):
        found[act.incident_id].append(TimelineAct(act.id, act.act_type, act.date, victim, act.review_status))
    return found


def add_chain_link(
    session: Session, from_incident_id: str, to_incident_id: str, relation: str, *, created_by: str | None
) -> str:
    """Store a chain-of-events link (the services have checked it closes no circle)."""
    row = t.ChainLink(
        id=t.new_id(),
        from_incident_id=from_incident_id,
        to_incident_id=to_incident_id,
        relation=relation,
        created_at=t.utcnow(),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row.id


def remove_chain_link(session: Session, link_id: str) -> None:
    row = session.get(t.ChainLink, link_id)
    if row is not None:
        session.delete(row)
        session.flush()


def chain_links(session: Session, incident_ids: Iterable[str] | None = None) -> tuple[ChainLinkView, ...]:
    """The chain links from or to any of these incidents (all of them when None), oldest first."""
    stmt = select(t.ChainLink)
    if incident_ids is not None:
        ids = list(incident_ids)
        stmt = stmt.where(t.ChainLink.from_incident_id.in_(ids) | t.ChainLink.to_incident_id.in_(ids))
    return tuple(
        ChainLinkView(r.id, r.from_incident_id, r.to_incident_id, r.relation, r.created_at, r.created_by)
        for r in session.scalars(stmt.order_by(t.ChainLink.created_at, t.ChainLink.id))
    )
