"""The dashboard, the incidents list (search, filters, sorting, pages, htmx fragments), one incident,
and the pages of a person and an organisation; what a viewer may and may not see."""

from __future__ import annotations

import re

import pytest

from hrdwatch.domain.queries import IncidentQuery
from hrdwatch.services import accounts, browse
from hrdwatch.services.ingest import IngestResult

from .conftest import APPEAL, SECOND_APPEAL, Web

ROW = re.compile(r'<tr>\s*<td class="nowrap"><a href="/incidents/([0-9a-f]{32})">')


def _rows(html: str) -> list[str]:
    return ROW.findall(html)


def _by_act(web: Web, act: str) -> str:
    everything = browse.search(web.engine, accounts.cli_principal("test"), IncidentQuery())
    return next(i.id for i in everything.items if act in i.acts)


def _person_id(web: Web, name: str) -> str:
    incident = browse.incident(web.engine, accounts.cli_principal("test"), _by_act(web, "arrest"))
    return next(p.id for p in incident.people if p.name == name)


@pytest.fixture
def seeded(web: Web) -> IngestResult:
    result = web.seed()
    assert len(result.incident_ids) >= 4
    return result


def test_dashboard_needs_a_login(web: Web) -> None:
    response = web.client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2F"


def test_dashboard_counts_and_links_for_an_editor(web: Web, seeded: IngestResult) -> None:
    page = web.as_role("editor").get("/")
    assert page.status_code == 200
    total = len(seeded.incident_ids)
    assert f'<span class="big">{total}</span> incidents' in page.text
    assert f'<span class="big">{total}</span> extracted' in page.text
    assert 'href="/upload"' in page.text and 'href="/review"' in page.text
    assert "Zambia" in page.text and 'href="/incidents?country=ZM"' in page.text


def test_incidents_list_search_and_filters(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("editor")
    everything = client.get("/incidents")
    assert sorted(_rows(everything.text)) == sorted(seeded.incident_ids)
    threat = _by_act(web, "threat")
    other = web.seed(SECOND_APPEAL, name="dalwick.txt").incident_ids
    assert sorted(_rows(client.get("/incidents", params={"q": "dalwick"}).text)) == sorted(other)
    assert sorted(_rows(client.get("/incidents", params={"q": "LUSAKA"}).text)) == sorted(seeded.incident_ids)
    assert _rows(client.get("/incidents", params={"act_type": "arrest"}).text) == [_by_act(web, "arrest")]
    later = client.get("/incidents", params={"date_from": "2025-03-08", "date_to": "2025-03-31"})
    assert _rows(later.text) == [threat]
    zambia = client.get("/incidents", params={"country": "zm"})
    assert sorted(_rows(zambia.text)) == sorted(seeded.incident_ids)
    assert _rows(client.get("/incidents", params={"perpetrator_kind": "unknown"}).text) == [threat]
    nothing = client.get("/incidents", params={"q": "Nobody Atall"})
    assert _rows(nothing.text) == [] and "No incidents match." in nothing.text


def test_incidents_sort_both_ways(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("editor")
    newest = _rows(client.get("/incidents", params={"sort": "date", "order": "desc"}).text)
    oldest = _rows(client.get("/incidents", params={"sort": "date", "order": "asc"}).text)
    assert newest[0] == _by_act(web, "threat") and newest != oldest
    page = client.get("/incidents", params={"sort": "date", "order": "desc", "act_type": "arrest"})
    assert 'aria-sort="descending"' in page.text
    assert "act_type=arrest&amp;sort=date&amp;order=asc" in page.text  # the header link keeps the filter


def test_bad_filter_values_are_explained(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("editor")
    bad_date = client.get("/incidents", params={"date_from": "March"})
    assert bad_date.status_code == 422 and "E513" in bad_date.text
    assert client.get("/incidents", params={"sort": "victim"}).status_code == 422
    assert client.get("/incidents", params={"order": "sideways"}).status_code == 422


def test_htmx_gets_only_the_results_and_history_gets_the_page(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("editor")
    fragment = client.get("/incidents", params={"sort": "status"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.headers["vary"] == "HX-Request"
    assert "<html" not in fragment.text and "<table" in fragment.text
    assert 'name="sort" value="status" form="incident-filters"' in fragment.text
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/incidents", headers=restore).text
    full = client.get("/incidents")
    assert 'hx-target="#results"' in full.text and 'hx-push-url="true"' in full.text
    assert full.text.count('name="sort"') == 1  # one sort field, inside the swapped part


def test_incidents_are_paged(web: Web) -> None:
    for number in range(5):
        web.seed(APPEAL.replace("web-001", f"web-00{number + 2}"), name=f"copy-{number}.txt")
    client = web.as_role("editor")
    first = client.get("/incidents")
    assert len(_rows(first.text)) == 25 and "page 1 of 2" in first.text
    second = client.get("/incidents", params={"page": 2})
    assert len(_rows(second.text)) == 5 and 'rel="prev"' in second.text
    assert not set(_rows(first.text)) & set(_rows(second.text))


def test_incident_page_shows_acts_people_and_evidence(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("editor")
    page = client.get(f"/incidents/{_by_act(web, 'arrest')}")
    assert page.status_code == 200
    assert f'href="/people/{_person_id(web, "Talia Brennock")}">Talia Brennock</a>' in page.text
    assert '<mark class="hl">' in page.text and "police officers" in page.text
    assert "Zambia" in page.text and "drop all charges against Talia Brennock" in page.text
    assert client.get("/incidents/" + "0" * 32).status_code == 404


def test_person_and_organisation_pages(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("editor")
    person = client.get(f"/people/{_person_id(web, 'Talia Brennock')}")
    assert person.status_code == 200 and "<h1>Talia Brennock</h1>" in person.text
    assert f'href="/incidents/{_by_act(web, "arrest")}"' in person.text
    org_link = re.search(r'href="/organisations/([0-9a-f]{32})">([^<]+)</a>', person.text)
    assert org_link is not None and "Copperleaf" in org_link.group(2)
    organisation = client.get(f"/organisations/{org_link.group(1)}")
    assert organisation.status_code == 200 and "Talia Brennock" in organisation.text
    assert client.get("/people/" + "0" * 32).status_code == 404


def test_viewer_sees_only_verified_incidents(web: Web, seeded: IngestResult) -> None:
    arrest, threat = _by_act(web, "arrest"), _by_act(web, "threat")
    web.verify(arrest)
    client = web.as_role("viewer")
    assert _rows(client.get("/incidents").text) == [arrest]
    assert _rows(client.get("/incidents", params={"status": "extracted"}).text) == []
    assert client.get(f"/incidents/{arrest}").status_code == 200
    assert client.get(f"/incidents/{threat}").status_code == 404
    assert client.get(f"/people/{_person_id(web, 'Talia Brennock')}").status_code == 200
    orin = browse.incident(web.engine, accounts.cli_principal("test"), threat).people[0].id
    assert client.get(f"/people/{orin}").status_code == 404
    dashboard = client.get("/")
    assert '<span class="big">1</span> incidents' in dashboard.text and "extracted" not in dashboard.text


def test_viewer_never_sees_links_to_upload_review_or_admin(web: Web, seeded: IngestResult) -> None:
    client = web.as_role("viewer")
    for url in ("/", "/incidents", "/account"):
        html = client.get(url).text
        for link in ('href="/upload"', 'href="/review"', 'href="/admin/users"', 'href="/admin/audit"'):
            assert link not in html, (url, link)
    assert client.get("/upload").status_code == 403


def _add_fine(web: Web, incident_id: str, amount: float) -> None:
    source_id = browse.incident(web.engine, accounts.cli_principal("test"), incident_id).source.id
    web.sql(
        "INSERT INTO sanctions (id, incident_id, source_id, type, amount, currency, position, review_status)"
        " VALUES (:id, :incident, :source, 'fine', :amount, 'ZMW', 0, 'extracted')",
        id="f" * 32,
        incident=incident_id,
        source=source_id,
        amount=amount,
    )


def test_amounts_are_shown_as_people_write_them(web: Web, seeded: IngestResult) -> None:
    incident_id = _by_act(web, "arrest")
    _add_fine(web, incident_id, 78000.0)
    client = web.as_role("editor")
    page = client.get(f"/incidents/{incident_id}").text
    assert "78,000 ZMW" in page and "78000.0" not in page
    source_id = browse.incident(web.engine, accounts.cli_principal("test"), incident_id).source.id
    review = client.get(f"/review/{source_id}").text
    assert "78,000" in review and "<dd>78000.0</dd>" not in review


def test_place_sorts_by_country_then_city(web: Web) -> None:
    web.seed()
    web.seed(SECOND_APPEAL, name="dalwick.txt")
    client = web.as_role("editor")
    everything = browse.search(web.engine, accounts.cli_principal("test"), IncidentQuery(per_page=100))
    place = {i.id: (i.country or "~", i.city or "~") for i in everything.items}
    web.sql("UPDATE incidents SET city = 'Kabwe' WHERE id = :id", id=_by_act(web, "threat"))
    place[_by_act(web, "threat")] = ("ZM", "Kabwe")
    page = client.get("/incidents", params={"sort": "place", "order": "asc", "per_page": 100})
    assert page.status_code == 200 and 'aria-sort="ascending"' in page.text
    rows = _rows(page.text)
    assert [place[i] for i in rows] == sorted(place[i] for i in rows)
    assert "sort=place" in page.text  # the Place header sorts by place


def test_an_editor_sets_confidentiality_on_the_incident_page(web: Web, seeded: IngestResult) -> None:
    arrest = _by_act(web, "arrest")
    web.verify(arrest)
    editor = web.as_role("editor", "ines-marker")
    page = editor.get(f"/incidents/{arrest}").text
    assert f'action="/incidents/{arrest}/confidential"' in page and 'name="fields" value="city"' in page
    hidden = web.post(f"/incidents/{arrest}/confidential", data={"fields": ["city", "detention_place"]})
    assert hidden.status_code == 303 and hidden.headers["location"] == f"/incidents/{arrest}"
    assert 'value="city" checked' in editor.get(f"/incidents/{arrest}").text
    (event,) = web.audit("confidential.set")
    assert event.actor == "ines-marker" and event.after == {
        "confidential": False,
        "confidential_fields": ["city", "detention_place"],
    }
    viewer = web.other_client()
    web.user("olek-viewer", "viewer")
    web.login("olek-viewer", client=viewer)
    assert "Lusaka" not in viewer.get(f"/incidents/{arrest}").text
    assert 'class="confidential-form"' not in viewer.get(f"/incidents/{arrest}").text
    assert (
        web.post(f"/incidents/{arrest}/confidential", client=viewer, data={"confidential": "on"}).status_code
        == 403
    )
    whole = web.post(f"/incidents/{arrest}/confidential", data={"confidential": "on"})
    assert whole.status_code == 303
    assert viewer.get(f"/incidents/{arrest}").status_code == 404


def test_confidentiality_forms_refuse_cross_site_posts(web: Web, seeded: IngestResult) -> None:
    arrest = _by_act(web, "arrest")
    web.as_role("editor")
    forged = web.post(
        f"/incidents/{arrest}/confidential",
        data={"confidential": "on"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "E510"
    assert web.audit("confidential.set") == []


def test_an_editor_hides_a_person_on_their_page(web: Web, seeded: IngestResult) -> None:
    person_id = _person_id(web, "Talia Brennock")
    editor = web.as_role("editor")
    assert f'action="/people/{person_id}/confidential"' in editor.get(f"/people/{person_id}").text
    done = web.post(f"/people/{person_id}/confidential", data={"confidential": "on"})
    assert done.status_code == 303 and done.headers["location"] == f"/people/{person_id}"
    assert 'name="confidential" value="on" checked' in editor.get(f"/people/{person_id}").text
    assert web.audit("confidential.set")[0].after == {"confidential": True}
    shown = web.post(f"/people/{person_id}/confidential", data={})
    assert shown.status_code == 303 and len(web.audit("confidential.set")) == 2
