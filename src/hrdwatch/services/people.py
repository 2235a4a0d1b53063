"""People and organisation pages: the same defender across reports, and a timeline of incidents.

Each report stores its own people rows; two rows name the same person (or organisation) when their
names have the same :func:`~hrdwatch.domain.names.any_order_key` ("Valk, Teodor", "Teodor Valk" and
"Téodor Valk" do). The store reads the rows; which of them are one defender is decided here. The
pages keep every confidentiality mark, for :mod:`hrdwatch.services.redaction`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hrdwatch.domain.names import any_order_key
from hrdwatch.errors import Errors, ReviewError
from hrdwatch.store import people as rows
from hrdwatch.store.browse_views import OrganisationRef, PersonRef, TimelineEntry


@dataclass(frozen=True, slots=True)
class PersonPage:
    """A person as one report names them, the same defender in other reports, and a timeline."""

    id: str
    name: str
    aliases: tuple[str, ...]
    description: str | None
    review_status: str
    confidential: bool
    source_id: str
    source_title: str | None
    affiliations: tuple[OrganisationRef, ...]
    same: tuple[PersonRef, ...]  # other people rows whose names have the same key
    timeline: tuple[TimelineEntry, ...]  # ordered by date, undated last


@dataclass(frozen=True, slots=True)
class OrganisationPage:
    id: str
    name: str
    review_status: str
    source_id: str
    source_title: str | None
    same: tuple[OrganisationRef, ...]
    members: tuple[PersonRef, ...]  # people affiliated with it (in any report)
    timeline: tuple[TimelineEntry, ...]


def namesakes(row_id: str, name: str, named: Iterable[tuple[str, str]]) -> list[str]:
    """The ids of the other (id, name) rows in ``named`` that give ``name`` in another spelling or
    word order (none for a name without letters or digits)."""
    key = any_order_key(name)
    if not key:
        return []
    return [i for i, other in named if i != row_id and any_order_key(other) == key]


def person_page(session: Session, person_id: str) -> PersonPage:
    """One person row, its namesakes in other rows, and all their incidents; E511 if no such person."""
    row = rows.person_row(session, person_id)
    if row is None:
        raise ReviewError(Errors.E511, kind="person", ident=person_id)
    same = namesakes(row.id, row.name, rows.person_names(session))
    return PersonPage(
        id=row.id,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        description=row.description,
        review_status=row.review_status,
        confidential=row.confidential,
        source_id=row.source_id,
        source_title=rows.source_title(session, row.source_id),
        affiliations=rows.affiliations(session, row.id),
        same=rows.people(session, same),
        timeline=rows.timeline(session, person_ids=[row.id, *same]),
    )


def organisation_page(session: Session, org_id: str) -> OrganisationPage:
    """One organisation row, its namesakes, its members, and the incidents where it or a member was
    a victim; E511 if no such organisation."""
    row = rows.organisation_row(session, org_id)
    if row is None:
        raise ReviewError(Errors.E511, kind="organisation", ident=org_id)
    same = namesakes(row.id, row.name, rows.organisation_names(session))
    members = rows.members(session, [row.id, *same])
    return OrganisationPage(
        id=row.id,
        name=row.name,
        review_status=row.review_status,
        source_id=row.source_id,
        source_title=rows.source_title(session, row.source_id),
        same=rows.organisations(session, same),
        members=members,
        timeline=rows.timeline(session, person_ids=[m.id for m in members], org_ids=[row.id, *same]),
    )
