"""People and organisation pages: the same defender across reports, and a timeline of incidents.

Each report stores its own people rows; two rows are taken for the same person when their names
have the same :func:`name_key` ("Valk, Teodor", "Teodor Valk" and "Téodor Valk" do). The pages
keep every confidentiality mark, for the service to redact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from unidecode import unidecode

from hrdwatch.errors import Errors, ReviewError
from hrdwatch.store import tables as t
from hrdwatch.store.browse_views import (
    OrganisationPage,
    OrganisationRef,
    PersonPage,
    PersonRef,
    TimelineEntry,
)
from hrdwatch.store.search import REJECTED

_WORD = re.compile(r"\w+")


def name_key(name: str) -> str:
    """Transliterated, case-folded, punctuation dropped, words sorted: ``"teodor valk"``."""
    return " ".join(sorted(_WORD.findall(str(unidecode(name)).casefold())))


def _same_ids(session: Session, model: Any, row_id: str, name: str) -> list[str]:
    key = name_key(name)
    if not key:
        return []
    rows = session.execute(select(model.id, model.name).where(model.id != row_id)).all()
    return [i for i, other in rows if name_key(other) == key]


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


def _source_title(session: Session, source_id: str) -> str | None:
    return session.scalar(select(t.Source.title).where(t.Source.id == source_id))


def person_page(session: Session, person_id: str) -> PersonPage:
    """One person row, its namesakes in other rows, and all their incidents; E511 if no such person."""
    row = session.get(t.Person, person_id)
    if row is None:
        raise ReviewError(Errors.E511, kind="person", ident=person_id)
    same = _same_ids(session, t.Person, row.id, row.name)
    orgs = select(t.Organisation).where(
        t.Organisation.id.in_(select(t.Affiliation.organisation_id).where(t.Affiliation.person_id == row.id))
    )
    return PersonPage(
        id=row.id,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        description=row.description,
        review_status=row.review_status,
        confidential=row.confidential,
        source_id=row.source_id,
        source_title=_source_title(session, row.source_id),
        affiliations=_org_refs(session, orgs),
        same=_person_refs(session, select(t.Person).where(t.Person.id.in_(same))),
        timeline=timeline(session, person_ids=[row.id, *same]),
    )


def organisation_page(session: Session, org_id: str) -> OrganisationPage:
    """One organisation row, its namesakes, its members, and the incidents where it or a member was
    a victim; E511 if no such organisation."""
    row = session.get(t.Organisation, org_id)
    if row is None:
        raise ReviewError(Errors.E511, kind="organisation", ident=org_id)
    org_ids = [row.id, *_same_ids(session, t.Organisation, row.id, row.name)]
    members = _person_refs(
        session,
        select(t.Person).where(
            t.Person.id.in_(select(t.Affiliation.person_id).where(t.Affiliation.organisation_id.in_(org_ids)))
        ),
    )
    return OrganisationPage(
        id=row.id,
        name=row.name,
        review_status=row.review_status,
        source_id=row.source_id,
        source_title=_source_title(session, row.source_id),
        same=_org_refs(session, select(t.Organisation).where(t.Organisation.id.in_(org_ids[1:]))),
        members=members,
        timeline=timeline(session, person_ids=[m.id for m in members], org_ids=org_ids),
    )


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
