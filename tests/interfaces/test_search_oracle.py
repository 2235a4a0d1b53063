"""A viewer's search is no oracle (issue 7, item 11): it matches only what the viewer may read, so
searching a confidential person's name finds nothing that reveals her; not through a report
title that names her, nor through another record of the same name, nor through a match that
straddles her name. Editors find the same incidents (the checks are not vacuous)."""

from __future__ import annotations

import pytest
from api.fixtures import API, Api, api_fixture, extractor_fixture, template_fixture  # noqa: F401
from sqlalchemy import update
from sqlalchemy.orm import Session

from hrdwatch.services.redaction import overlapping
from hrdwatch.store import tables as t

ORENKA_QUERIES = ["Tavi Orenka", "Orenka", "orenka", "TAVI", "avi Oren", "Orenka detained"]


def _mark_orenka_confidential(api: Api) -> None:
    """Tavi Orenka is named in the report title and in verified incidents."""
    with Session(api.engine) as session:
        session.execute(update(t.Person).where(t.Person.id == api.marks.person_id).values(confidential=True))
        session.commit()


def _api_total(api: Api, role: str, q: str) -> int:
    response = api.client(role).get(f"{API}/incidents", params={"q": q, "per_page": 100})
    assert response.status_code == 200
    return int(response.json()["total"])


@pytest.mark.parametrize("q", ORENKA_QUERIES)
def test_a_viewer_finds_nothing_through_a_confidential_name_in_a_title(api: Api, q: str) -> None:
    _mark_orenka_confidential(api)
    assert _api_total(api, "editor", q) >= 1
    assert _api_total(api, "viewer", q) == 0
    search = api.client("viewer").get(f"{API}/search", params={"q": q})
    assert search.status_code == 200 and search.json()["incidents"]["total"] == 0
    page = api.client("viewer", via="session").get("/incidents", params={"q": q})
    assert page.status_code == 200
    assert api.marks.verified_id[:8] not in page.text and api.marks.threat_id[:8] not in page.text


def test_a_viewer_still_finds_what_they_can_read(api: Api) -> None:
    _mark_orenka_confidential(api)
    for q in ("Honduras", "Tegucigalpa", "Urgent appeal", "land rights"):
        assert _api_total(api, "viewer", q) >= 1, q


def test_a_namesake_record_does_not_reveal_the_confidential_person(api: Api) -> None:
    """Another, unmarked record with her name (say, from a second report) must not match either."""
    with Session(api.engine) as session:
        session.execute(
            update(t.Person).where(t.Person.id == api.marks.person_id).values(name="Mirela Quintaval")
        )
        session.commit()
    for q in ("Mirela Quintaval", "Quintaval", "Mirela"):
        assert _api_total(api, "editor", q) >= 1
        assert _api_total(api, "viewer", q) == 0, q


def test_overlapping_names() -> None:
    names = ("Mirela Quintaval", "Quintaval", "Mirela")
    assert overlapping(names, "quintav") == ("Mirela Quintaval", "Quintaval")
    assert overlapping(names, "l detained") == ("Mirela Quintaval", "Quintaval")
    assert overlapping(names, "Honduras") == ()
    assert overlapping(names, "  ") == ()
