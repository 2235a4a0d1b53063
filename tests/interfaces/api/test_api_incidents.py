"""Incidents through the API: search with filters and pages, one incident, its acts, confidentiality."""

from __future__ import annotations

from typing import Any

import pytest

from .fixtures import API, Api
from .seed import HIDDEN_PLACE


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


def test_page_fields(api: Api) -> None:
    client = api.client("editor")
    everything = client.get(f"{API}/incidents", params={"per_page": 100}).json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 6
    first = client.get(f"{API}/incidents", params={"per_page": 2}).json()
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 2, total, -(-total // 2))
    second = client.get(f"{API}/incidents", params={"per_page": 2, "page": 2}).json()
    assert ids(first) + ids(second) == ids(everything)[:4]


@pytest.mark.parametrize("params", [{"page": 0}, {"per_page": 101}, {"sort": "colour"}, {"status": "lost"}])
def test_bad_query_is_422_with_the_error_body(api: Api, params: dict[str, Any]) -> None:
    response = api.client("viewer").get(f"{API}/incidents", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "E400"


def test_bad_date_filter_is_422(api: Api) -> None:
    for bad in ("2025-13", "2025-02-30", "0", "1700000000", "03/04/2025"):
        response = api.client("viewer").get(f"{API}/incidents", params={"date_from": bad})
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] in ("E400", "E513"), bad  # the schema's pattern, or the date
    for good in ("2025", "2025-03", "2025-03-04"):
        assert api.client("viewer").get(f"{API}/incidents", params={"date_from": good}).status_code == 200


def test_viewer_finds_only_verified_non_confidential_incidents(api: Api) -> None:
    found = ids(api.client("viewer").get(f"{API}/incidents").json())
    assert set(found) == {api.marks.verified_id, api.marks.threat_id}


def test_filters(api: Api) -> None:
    client = api.client("editor")

    def search(**params: Any) -> set[str]:
        return set(ids(client.get(f"{API}/incidents", params={"per_page": 100, **params}).json()))

    marks = api.marks
    assert marks.verified_id in search(act_type="incommunicado_detention")
    assert search(act_type="threat") == {marks.threat_id}
    assert search(status="verified") == {marks.verified_id, marks.threat_id, marks.confidential_id}
    assert search(verified_only=True) == search(status="verified")
    assert marks.unverified_id in search(date_from="2025-03-10", date_to="2025-03-10")
    assert marks.verified_id not in search(date_from="2025-03-04")
    assert search(country="hn") == search()
    assert search(country="KE") == set()
    march = search(date_from="2025-03", date_to="2025-03")
    assert marks.verified_id in march and all(i in search() for i in march)
    assert search(q="San Pedro Sula") and marks.verified_id not in search(q="San Pedro Sula")


def test_sort_by_date_both_ways(api: Api) -> None:
    client = api.client("editor")
    newest = client.get(f"{API}/incidents", params={"per_page": 100}).json()["items"]
    oldest = client.get(f"{API}/incidents", params={"per_page": 100, "order": "asc"}).json()["items"]
    dates = [i["date"] for i in newest if i["date"]]
    assert dates == sorted(dates, reverse=True)
    assert [i["date"] for i in oldest if i["date"]] == sorted(dates)


def test_one_incident_with_its_evidence(api: Api) -> None:
    body = api.client("editor").get(f"{API}/incidents/{api.marks.verified_id}").json()
    assert body["status"] == "verified" and body["detention_place"] == HIDDEN_PLACE
    assert {a["act_type"] for a in body["acts"]} >= {"arrest", "detention"}
    assert any(p["name"] == "Tavi Orenka" for p in body["people"])
    quotes = {e["quote"] for e in body["evidence"]}
    assert "arrested" in quotes
    for evidence in body["evidence"]:
        assert evidence["quote"] in evidence["sentence"]


def test_incident_by_unique_prefix(api: Api) -> None:
    prefix = api.marks.verified_id[:10]
    assert api.client("editor").get(f"{API}/incidents/{prefix}").json()["id"] == api.marks.verified_id


def test_viewer_gets_the_incident_without_its_confidential_field(api: Api) -> None:
    body = api.client("viewer").get(f"{API}/incidents/{api.marks.verified_id}").json()
    assert body["detention_place"] is None and HIDDEN_PLACE not in str(body)


@pytest.mark.parametrize("which", ["confidential_id", "unverified_id"])
def test_viewer_gets_404_for_hidden_incidents(api: Api, which: str) -> None:
    ident = getattr(api.marks, which)
    for path in (f"/incidents/{ident}", f"/incidents/{ident}/acts"):
        response = api.client("viewer").get(API + path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "E305"


def test_acts_of_an_incident(api: Api) -> None:
    acts = api.client("viewer").get(f"{API}/incidents/{api.marks.verified_id}/acts").json()
    assert {"arrest", "detention"} <= {a["act_type"] for a in acts}
    arrest = next(a for a in acts if a["act_type"] == "arrest")
    assert arrest["victim"] == "Tavi Orenka" and arrest["victim_kind"] == "person"


def test_facets(api: Api) -> None:
    viewer = api.client("viewer").get(f"{API}/incidents/facets").json()
    editor = api.client("editor").get(f"{API}/incidents/facets").json()
    assert viewer["statuses"] == ["verified"] and "judicial_harassment" not in viewer["act_types"]
    assert "judicial_harassment" in editor["act_types"] and viewer["countries"] == ["HN"]


def test_mark_an_incident_confidential_and_back(api: Api) -> None:
    editor, viewer = api.client("editor"), api.client("viewer")
    url = f"{API}/incidents/{api.marks.threat_id}/confidential"
    marked = editor.put(url, json={"confidential": True})
    assert marked.status_code == 200
    assert marked.json()["confidential"] is True and marked.json()["table"] == "incidents"
    assert viewer.get(f"{API}/incidents/{api.marks.threat_id}").status_code == 404
    cleared = editor.put(url, json={"confidential": False, "fields": ["city"]}).json()
    assert cleared["fields"] == ["city"]
    shown = viewer.get(f"{API}/incidents/{api.marks.threat_id}").json()
    assert shown["city"] is None and shown["country"] == "HN"


def test_confidential_fields_must_be_incident_fields(api: Api) -> None:
    url = f"{API}/incidents/{api.marks.threat_id}/confidential"
    response = api.client("editor").put(url, json={"confidential": False, "fields": ["password"]})
    assert response.status_code == 422 and response.json()["error"]["code"] == "E400"  # not in the enum
    typed = api.client("editor").put(url, json={"confidential": 0})  # a boolean, not a number
    assert typed.status_code == 422 and typed.json()["error"]["code"] == "E400"


def test_viewer_may_not_mark_confidential(api: Api) -> None:
    url = f"{API}/incidents/{api.marks.threat_id}/confidential"
    response = api.client("viewer").put(url, json={"confidential": False})
    assert response.status_code == 403 and response.json()["error"]["code"] == "E503"


def test_unknown_incident_is_404(api: Api) -> None:
    response = api.client("admin").get(f"{API}/incidents/ffffffffffffffff")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "E305",
        "message": "[E305] no incident with id 'ffffffffffffffff'",
        "status": 404,
    }
