"""Read use cases: search incidents, one incident, people and organisation pages, filter facets.

Editors and admins see everything. A viewer (anyone not :func:`sees_confidential`) only ever
gets verified, non-confidential incidents; never a confidential person, a rejected fact, or a
field an incident lists in ``confidential_fields`` (those read as None), and no confidential
name in any string. The redaction is done in :mod:`hrdwatch.services.redaction`, after the store
has read everything.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.domain import queries
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, StoreError
from hrdwatch.security.permissions import Action, sees_confidential
from hrdwatch.services import people as pages
from hrdwatch.services.access import require
from hrdwatch.services.people import OrganisationPage, PersonPage
from hrdwatch.services.redaction import (
    WITHHELD,
    overlapping,
    redact_incident,
    redact_organisation,
    redact_person,
    withheld_names,
    withhold,
)
from hrdwatch.store import search as finder
from hrdwatch.store import tables
from hrdwatch.store.browse_views import Facets, OrganisationRef, PersonRef, TimelineEntry
from hrdwatch.store.marks import confidential_person_names, incident_marks
from hrdwatch.store.queries import get_incident
from hrdwatch.store.uow import UnitOfWork
from hrdwatch.store.views import IncidentDetail, IncidentSummary

__all__ = [
    "Facets",
    "IncidentDetail",
    "IncidentSummary",
    "OrganisationPage",
    "OrganisationRef",
    "Page",
    "PersonPage",
    "PersonRef",
    "TimelineEntry",
    "WITHHELD",
    "confidentiality",
    "facets",
    "incident",
    "organisation",
    "person",
    "search",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    total: int
    page: int
    per_page: int
    pages: int  # at least 1


def search(engine: Engine, user: Principal | None, query: queries.IncidentQuery) -> Page[IncidentSummary]:
    """One page of incidents matching ``query``; a viewer's only ever verified ones."""
    require(user, Action.RECORD_READ)
    full = sees_confidential(user)
    seen = query if full else replace(query, verified_only=True)
    with UnitOfWork(engine, read_only=True) as uow:
        names = () if full else _confidential_names(uow.session)
        withheld = overlapping(names, query.q)
        items, total = finder.search_incidents(
            uow.session, seen, include_confidential=full, withheld=withheld
        )
        pages = max(1, math.ceil(total / query.per_page))
        found = Page(tuple(items), total, query.page, query.per_page, pages)
        return found if full else withhold(found, names)


def _confidential_names(session: Session) -> tuple[str, ...]:
    return withheld_names(confidential_person_names(session))


def incident(engine: Engine, user: Principal | None, ident: str) -> IncidentDetail:
    """One incident by id or unique id prefix (E305 if none, or none the user may see).

    Viewers must give the whole id: a prefix error (E310, "matches 3 incidents") would tell them
    that hidden incidents exist.
    """
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        if not sees_confidential(user) and uow.session.get(tables.Incident, ident.strip().lower()) is None:
            raise StoreError(Errors.E305, ident=ident)
        detail = get_incident(uow.session, ident)
        if sees_confidential(user):
            return detail
        redacted = redact_incident(detail, incident_marks(uow.session, detail.id))
        return withhold(redacted, _confidential_names(uow.session))


def confidentiality(engine: Engine, user: Principal | None, incident_id: str) -> tuple[bool, tuple[str, ...]]:
    """Whether the incident is confidential and which of its fields are, for those who may change it."""
    require(user, Action.CONFIDENTIAL_SET)
    with UnitOfWork(engine, read_only=True) as uow:
        marks = incident_marks(uow.session, incident_id)
        return marks.confidential, marks.hidden


def person(engine: Engine, user: Principal | None, person_id: str) -> PersonPage:
    """A person, the same person in other reports, and their incidents (E511 if none to show)."""
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        page = pages.person_page(uow.session, person_id)
        if sees_confidential(user):
            return page
        return withhold(redact_person(page), _confidential_names(uow.session))


def organisation(engine: Engine, user: Principal | None, org_id: str) -> OrganisationPage:
    """An organisation, its members, and the incidents it or they suffered (E511 if none to show)."""
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        page = pages.organisation_page(uow.session, org_id)
        if sees_confidential(user):
            return page
        return withhold(redact_organisation(page), _confidential_names(uow.session))


_FACETS: weakref.WeakKeyDictionary[Engine, dict[bool, tuple[float, Facets]]] = weakref.WeakKeyDictionary()


def facets(engine: Engine, user: Principal | None, *, max_age: float = 0.0) -> Facets:
    """The countries, act types, perpetrator kinds and statuses of the incidents the user may see.

    With ``max_age`` (seconds) an answer that recent for the same database and the same view
    (viewers' or editors') is reused: the filter drop-downs need not be exact to the second.
    """
    require(user, Action.RECORD_READ)
    full = sees_confidential(user)
    cached = _FACETS.setdefault(engine, {})
    known = cached.get(full)
    if known is not None and time.monotonic() - known[0] < max_age:
        return known[1]
    with UnitOfWork(engine, read_only=True) as uow:
        found = finder.facets(uow.session, include_confidential=full, verified_only=not full)
    cached[full] = (time.monotonic(), found)
    return found
