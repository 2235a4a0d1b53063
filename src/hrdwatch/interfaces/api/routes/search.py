"""One search box: incidents matching ``q`` (with the incident filters), and the people and
organisations named in this page's incidents whose names match ``q``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hrdwatch.domain.queries import IncidentQuery
from hrdwatch.interfaces.api.routes.common import Db, Paging, RecordReader
from hrdwatch.interfaces.api.routes.incidents import summaries
from hrdwatch.interfaces.api.schemas import OrganisationSummaryPublic, PersonSummaryPublic, SearchResults
from hrdwatch.services import browse

router = APIRouter(prefix="/search", tags=["search"])


def _named(
    details: list[browse.IncidentDetail], q: str
) -> tuple[list[PersonSummaryPublic], list[OrganisationSummaryPublic]]:
    """People and organisations of ``details`` whose name (or an alias) contains ``q``, each once."""
    needle = q.casefold()
    people: dict[str, PersonSummaryPublic] = {}
    organisations: dict[str, OrganisationSummaryPublic] = {}
    for detail in details:
        for person in detail.people:
            if any(needle in name.casefold() for name in (person.name, *person.aliases)):
                people.setdefault(person.id, PersonSummaryPublic.model_validate(person))
        for org in detail.organisations:
            if needle in org.name.casefold():
                organisations.setdefault(org.id, OrganisationSummaryPublic.model_validate(org))
    return list(people.values()), list(organisations.values())


@router.get("", response_model=SearchResults)
def search(
    q: Annotated[str, Query(min_length=1, max_length=200, description="A name, a place, words of a title")],
    paging: Paging,
    db: Db,
    user: RecordReader,
) -> SearchResults:
    query = IncidentQuery(q=q, page=paging.page, per_page=paging.per_page)
    found = browse.search(db, user, query)
    people, organisations = _named([browse.incident(db, user, item.id) for item in found.items], q.strip())
    return SearchResults(q=q, incidents=summaries(found), people=people, organisations=organisations)
