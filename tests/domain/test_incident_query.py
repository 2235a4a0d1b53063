"""The incident query is checked and put in one form when it is made, so every layer can trust it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hrdwatch.domain.queries import MAX_PER_PAGE, IncidentQuery, IncidentSort, InvalidQuery
from hrdwatch.domain.review import IncidentStatus


def test_defaults() -> None:
    query = IncidentQuery()
    assert (query.sort, query.descending, query.page, query.per_page) == (IncidentSort.DATE, True, 1, 25)
    assert query.status is None and query.date_from is None


def test_values_become_members_dates_iso_and_pages_clamped() -> None:
    query = IncidentQuery(sort="place", status="in_review", date_from="2024-03")
    assert query.sort is IncidentSort.PLACE and query.status is IncidentStatus.IN_REVIEW
    assert query.date_from == "2024-03"
    assert IncidentQuery(date_to=" 2025-01-02 ", status="").date_to == "2025-01-02"
    assert IncidentQuery(date_from="  ", status="").date_from is None
    clamped = IncidentQuery(page=0, per_page=1000)
    assert (clamped.page, clamped.per_page) == (1, MAX_PER_PAGE)
    assert IncidentQuery(per_page=0).per_page == 1


def test_a_narrowed_query_is_checked_again() -> None:
    query = IncidentQuery(sort="created", per_page=5)
    assert replace(query, verified_only=True) == IncidentQuery(sort="created", per_page=5, verified_only=True)


@pytest.mark.parametrize(
    ("filters", "field", "reason"),
    [
        ({"sort": "victim"}, "sort", "give one of date, place, country, status, created"),
        ({"status": "closed"}, "status", "give one of extracted, in_review, verified"),
        ({"date_from": "March 2025"}, "date_from", "give a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"date_to": "2025-02-30"}, "date_to", "give a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_values_are_refused(filters: dict[str, str], field: str, reason: str) -> None:
    with pytest.raises(InvalidQuery) as info:
        IncidentQuery(**filters)  # type: ignore[arg-type]
    assert (info.value.field, info.value.reason) == (field, reason)
