"""The read side: incidents as lists and as full detail with every piece of evidence.

Every function takes a :class:`Session` and returns plain frozen dataclasses (see
:mod:`hrdwatch.store.views`), so callers never hold ORM objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from hrdwatch.errors import Errors, StoreError
from hrdwatch.store import tables as t
from hrdwatch.store.export import export_all
from hrdwatch.store.sentences import sentence_around
from hrdwatch.store.views import (
    ActView,
    ChargeView,
    DemandView,
    EvidenceView,
    IncidentDetail,
    IncidentSummary,
    OrganisationView,
    PerpetratorView,
    PersonView,
    SanctionView,
    SourceInfo,
)

__all__ = ["export_all", "get_incident", "latest_incident_id", "list_incidents", "resolve_incident_id"]

_R = TypeVar("_R", t.Person, t.Organisation)
_VICTIM_NAME = func.coalesce(t.Person.name, t.Organisation.name)


def list_incidents(session: Session, *, limit: int | None = None) -> list[IncidentSummary]:
    """Incidents, newest date first (undated last)."""
    stmt = (
        select(t.Incident, t.Source.name, t.Source.title)
        .join(t.Source, t.Source.id == t.Incident.source_id)
        .order_by(
            t.Incident.date.is_(None), t.Incident.date.desc(), t.Incident.created_at.desc(), t.Incident.id
        )
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    acts: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    act_rows = session.execute(
        _acts_with_victims().where(t.Act.incident_id.in_([inc.id for inc, _, _ in rows]))
    ).all()
    for act, victim in act_rows:
        acts[act.incident_id].append((act.act_type, victim))
    return [
        IncidentSummary(
            id=inc.id,
            date=inc.date,
            country=inc.country,
            city=inc.city,
            victims=tuple(dict.fromkeys(v for _, v in acts[inc.id] if v)),
            acts=tuple(dict.fromkeys(code for code, _ in acts[inc.id])),
            source_name=name,
            source_title=title,
            status=inc.status,
        )
        for inc, name, title in rows
    ]


def latest_incident_id(session: Session) -> str | None:
    """The id of the incident stored last, or None in an empty database."""
    stmt = select(t.Incident.id).order_by(t.Incident.created_at.desc(), t.Incident.id.desc()).limit(1)
    return session.scalars(stmt).first()


def resolve_incident_id(session: Session, ident: str) -> str:
    """The full id for ``ident``, an id or a unique prefix of one. E305 if none, E310 if several."""
    ident = ident.strip().lower()
    if ident and session.get(t.Incident, ident) is not None:
        return ident
    escaped = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    where = t.Incident.id.like(escaped + "%", escape="\\")
    found = session.scalars(select(t.Incident.id).where(where).limit(2)).all()
    if not ident or not found:
        raise StoreError(Errors.E305, ident=ident)
    if len(found) > 1:
        count = session.scalar(select(func.count()).select_from(t.Incident).where(where))
        raise StoreError(Errors.E310, ident=ident, count=count)
    return found[0]


def get_incident(session: Session, ident: str) -> IncidentDetail:
    """One incident with its source, acts, actors, legal facts and evidence (with sentences)."""
    inc = session.get_one(t.Incident, resolve_incident_id(session, ident))
    source = session.get_one(t.Source, inc.source_id)
    acts = _act_views(session, inc.id)
    people = _people(session, [a.victim_id for a in acts if a.victim_kind == "person" and a.victim_id])
    orgs = tuple(
        OrganisationView(o.id, o.name, o.review_status)
        for o in _rows(
            session, t.Organisation, [a.victim_id for a in acts if a.victim_kind == "organisation"]
        )
    )
    perpetrators = _perpetrators(session, [a.id for a in acts])
    charges = _charges(session, inc.id)
    sanctions = _sanctions(session, inc)
    demands = _demands(session, source.id)
    facts: dict[str, Iterable[str]] = {
        "sources": [source.id],
        "incidents": [inc.id],
        "acts": [a.id for a in acts],
        "people": [p.id for p in people],
        "organisations": [o.id for o in orgs],
        "perpetrators": [p.id for p in perpetrators],
        "charges": [c.id for c in charges],
        "sanctions": [s.id for s in sanctions],
        "demands": [d.id for d in demands],
    }
    return IncidentDetail(
        id=inc.id,
        date=inc.date,
        date_precision=inc.date_precision,
        end_date=inc.end_date,
        city=inc.city,
        country=inc.country,
        site=inc.site,
        detention_place=inc.detention_place,
        status=inc.status,
        review_status=inc.review_status,
        created_at=inc.created_at.isoformat(),
        source=_source_info(source),
        acts=acts,
        people=people,
        organisations=orgs,
        perpetrators=perpetrators,
        charges=charges,
        sanctions=sanctions,
        demands=demands,
        evidence=_evidence(session, source, facts),
    )


def _charges(session: Session, incident_id: str) -> tuple[ChargeView, ...]:
    stmt = (
        select(t.Charge).where(t.Charge.incident_id == incident_id).order_by(t.Charge.position, t.Charge.id)
    )
    return tuple(
        ChargeView(c.id, c.offence, c.law, c.article, c.review_status) for c in session.scalars(stmt)
    )


def _sanctions(session: Session, inc: t.Incident) -> tuple[SanctionView, ...]:
    """The incident's sanctions, then those its report gives without tying them to an incident."""
    stmt = (
        select(t.Sanction)
        .where(t.Sanction.source_id == inc.source_id)
        .where(or_(t.Sanction.incident_id == inc.id, t.Sanction.incident_id.is_(None)))
        .order_by(t.Sanction.incident_id.is_(None), t.Sanction.position, t.Sanction.id)
    )
    return tuple(_sanction_view(s) for s in session.scalars(stmt))


def _demands(session: Session, source_id: str) -> tuple[DemandView, ...]:
    stmt = select(t.Demand).where(t.Demand.source_id == source_id).order_by(t.Demand.position, t.Demand.id)
    return tuple(DemandView(d.id, d.text, d.review_status) for d in session.scalars(stmt))


def _acts_with_victims() -> Select[t.Act, str | None]:
    return (
        select(t.Act, _VICTIM_NAME)
        .outerjoin(t.Person, t.Person.id == t.Act.victim_person_id)
        .outerjoin(t.Organisation, t.Organisation.id == t.Act.victim_organisation_id)
        .order_by(_VICTIM_NAME, t.Act.act_type, t.Act.id)
    )


def _act_views(session: Session, incident_id: str) -> tuple[ActView, ...]:
    rows = session.execute(_acts_with_victims().where(t.Act.incident_id == incident_id)).all()
    by_act: dict[str, list[str]] = defaultdict(list)
    involved = select(t.Involvement.act_id, t.Perpetrator).join(
        t.Perpetrator, t.Perpetrator.id == t.Involvement.perpetrator_id
    )
    for act_id, perp in session.execute(involved.where(t.Involvement.act_id.in_([a.id for a, _ in rows]))):
        by_act[act_id].append(perp.name or perp.description or "unknown")
    return tuple(
        ActView(
            id=act.id,
            act_type=act.act_type,
            date=act.date,
            victim=victim,
            victim_kind="person"
            if act.victim_person_id
            else "organisation"
            if act.victim_organisation_id
            else None,
            victim_id=act.victim_person_id or act.victim_organisation_id,
            perpetrators=tuple(sorted(by_act[act.id])),
            review_status=act.review_status,
        )
        for act, victim in rows
    )


def _rows(session: Session, table: type[_R], ids: Iterable[str | None]) -> Sequence[_R]:
    wanted = sorted({i for i in ids if i})
    return session.scalars(select(table).where(table.id.in_(wanted)).order_by(table.name)).all()


def _people(session: Session, ids: list[str]) -> tuple[PersonView, ...]:
    affiliations: dict[str, list[str]] = defaultdict(list)
    stmt = (
        select(t.Affiliation.person_id, t.Organisation.name)
        .join(t.Organisation, t.Organisation.id == t.Affiliation.organisation_id)
        .where(t.Affiliation.person_id.in_(ids))
        .order_by(t.Organisation.name)
    )
    for person_id, name in session.execute(stmt):
        affiliations[person_id].append(name)
    return tuple(
        PersonView(
            p.id, p.name, tuple(p.aliases or ()), p.description, tuple(affiliations[p.id]), p.review_status
        )
        for p in _rows(session, t.Person, ids)
    )


def _perpetrators(session: Session, act_ids: list[str]) -> tuple[PerpetratorView, ...]:
    stmt = (
        select(t.Perpetrator)
        .where(
            t.Perpetrator.id.in_(
                select(t.Involvement.perpetrator_id).where(t.Involvement.act_id.in_(act_ids))
            )
        )
        .order_by(t.Perpetrator.id)
    )
    return tuple(
        PerpetratorView(p.id, p.name, p.kind, p.description, p.review_status) for p in session.scalars(stmt)
    )


def _source_info(row: t.Source) -> SourceInfo:
    return SourceInfo(
        row.id, row.name, row.title, row.url, row.publisher, row.published, row.language, row.sha256
    )


def _sanction_view(s: t.Sanction) -> SanctionView:
    return SanctionView(
        s.id,
        s.type,
        s.amount,
        s.amount_max,
        s.currency,
        s.months,
        s.description,
        s.incident_id,
        s.review_status,
    )


def _evidence(
    session: Session, source: t.Source, facts: dict[str, Iterable[str]]
) -> tuple[EvidenceView, ...]:
    match = or_(
        *(
            and_(t.Evidence.fact_table == table, t.Evidence.fact_id.in_(list(ids)))
            for table, ids in facts.items()
        )
    )
    stmt = (
        select(t.Evidence)
        .where(t.Evidence.source_id == source.id, match)
        .order_by(t.Evidence.start, t.Evidence.id)
    )
    return tuple(
        EvidenceView(
            id=e.id,
            fact_table=e.fact_table,
            fact_id=e.fact_id,
            field=e.field,
            start=e.start,
            end=e.end,
            quote=e.quote,
            stage=e.stage,
            rule=e.rule,
            sentence=sentence_around(source.text, e.start, e.end),
        )
        for e in session.scalars(stmt)
    )
