"""People and organisations as the pages show them: rows by id, every (id, name) pair, who belongs
to which organisation, and a timeline of the incidents where they were victims.

Plain reads. Which rows name the same defender is decided by :mod:`hrdwatch.services.people`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hrdwatch.store import tables as t
from hrdwatch.store.browse_views import OrganisationRef, PersonRef, TimelineEntry
from hrdwatch.store.search import REJECTED


def person_row(session: Session, person_id: str) -> t.Person | None:
    return session.get(t.Person, person_id)


def organisation_row(session: Session, org_id: str) -> t.Organisation | None:
    return session.get(t.Organisation, org_id)


def person_names(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every person row."""
    return [(i, name) for i, name in session.execute(select(t.Person.id, t.Person.name))]


def organisation_names(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every organisation row."""
    return [(i, name) for i, name in session.execute(select(t.Organisation.id, t.Organisation.name))]


def source_title(session: Session, source_id: str) -> str | None:
    return session.scalar(select(t.Source.title).where(t.Source.id == source_id))


def people(session: Session, person_ids: Iterable[str]) -> tuple[PersonRef, ...]:
    """These people, in the order their reports came in."""
    return _person_refs(session, select(t.Person).where(t.Person.id.in_(list(person_ids))))


def organisations(session: Session, org_ids: Iterable[str]) -> tuple[OrganisationRef, ...]:
    """These organisations, in the order their reports came in."""
    return _org_refs(session, select(t.Organisation).where(t.Organisation.id.in_(list(org_ids))))


def affiliations(session: Session, person_id: str) -> tuple[OrganisationRef, ...]:
    """The organisations this person row belongs to."""
    of_person = select(t.Affiliation.organisation_id).where(t.Affiliation.person_id == person_id)
    return _org_refs(session, select(t.Organisation).where(t.Organisation.id.in_(of_person)))


def members(session: Session, org_ids: Iterable[str]) -> tuple[PersonRef, ...]:
    """The people affiliated with any of these organisations (in any report)."""
    of_orgs = select(t.Affiliation.person_id).where(t.Affiliation.organisation_id.in_(list(org_ids)))
    return _person_refs(session, select(t.Person).where(t.Person.id.in_(of_orgs)))


def _person_refs(session: Session, stmt: Any) -> tuple[PersonRef, ...]:
    rows = session.execute(
        stmt.add_columns(t.Source.title)
        .join(t.Source, t.Source.id == t.Person.source_id)
        .order_by(t.Source.ingested_at, t.Person.id)
    ).all()
    return tuple(
        PersonRef(p.id, p.name, p.source_id, title, p.review_status, p.confidential) for p, title in rows
    )


def _org_refs(session: Session, stmt: Any) -> tuple[OrganisationRef, ...]:
    rows = session.execute(
        stmt.add_columns(t.Source.title)
        .join(t.Source, t.Source.id == t.Organisation.source_id)
        .order_by(t.Source.ingested_at, t.Organisation.id)
    ).all()
    return tuple(OrganisationRef(o.id, o.name, o.source_id, title, o.review_status) for o, title in rows)


def timeline(
    session: Session, *, person_ids: Iterable[str] = (), org_ids: Iterable[str] = ()
) -> tuple[TimelineEntry, ...]:
    """The incidents where one of these people or organisations is the victim of an act that is not
    rejected, by date (undated last), with the types of those acts."""
    people, orgs = list(person_ids), list(org_ids)
    stmt = (
        select(t.Act, t.Incident, t.Source.title)
        .join(t.Incident, t.Incident.id == t.Act.incident_id)
        .join(t.Source, t.Source.id == t.Incident.source_id)
        .where(or_(t.Act.victim_person_id.in_(people), t.Act.victim_organisation_id.in_(orgs)))
        .where(t.Act.review_status != REJECTED)
        .order_by(t.Act.act_type, t.Act.id)
    )
    grouped: dict[str, list[Any]] = defaultdict(list)
    for act, incident, title in session.execute(stmt):
        grouped[incident.id].append((act, incident, title))
    entries = [_entry(rows) for rows in grouped.values()]
    return tuple(entry for entry, _ in sorted(entries, key=_when))


def _entry(rows: list[Any]) -> tuple[TimelineEntry, Any]:
    _, inc, title = rows[0]
    acts = [act for act, _, _ in rows]
    entry = TimelineEntry(
        date=inc.date,
        incident_id=inc.id,
        acts=tuple(dict.fromkeys(a.act_type for a in acts)),
        country=inc.country,
        city=inc.city,
        source_title=title,
        status=inc.status,
        confidential=inc.confidential,
        hidden=tuple(inc.confidential_fields or ()),
        via_people=tuple(dict.fromkeys(a.victim_person_id for a in acts if a.victim_person_id)),
        via_organisations=tuple(
            dict.fromkeys(a.victim_organisation_id for a in acts if a.victim_organisation_id)
        ),
    )
    return entry, inc.created_at


def _when(pair: tuple[TimelineEntry, Any]) -> tuple[bool, str, Any, str]:
    entry, created = pair
    return entry.date is None, entry.date or "", created, entry.incident_id
