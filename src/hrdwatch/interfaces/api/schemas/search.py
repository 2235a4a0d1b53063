"""One search box across incidents, people and organisations."""

from __future__ import annotations

from hrdwatch.interfaces.api.schemas.common import Page, Schema
from hrdwatch.interfaces.api.schemas.records import (
    IncidentSummaryPublic,
    OrganisationSummaryPublic,
    PersonSummaryPublic,
)


class SearchResults(Schema):
    """Matching incidents (paged), and the people and organisations named in the incidents of this
    page whose names match."""

    q: str
    incidents: Page[IncidentSummaryPublic]
    people: list[PersonSummaryPublic]
    organisations: list[OrganisationSummaryPublic]
