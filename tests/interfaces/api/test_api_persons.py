"""People through the API: a person's page and timeline, and marking a person confidential."""

from __future__ import annotations

from .fixtures import API, Api
from .seed import CONFIDENTIAL_PERSON


def test_person_with_timeline(api: Api) -> None:
    body = api.client("editor").get(f"{API}/persons/{api.marks.person_id}").json()
    assert body["name"] == "Tavi Orenka"
    assert [o["name"] for o in body["affiliations"]] == ["Cedar Valley Rights Centre"]
    incidents = {entry["incident_id"] for entry in body["timeline"]}
    assert {api.marks.verified_id, api.marks.confidential_id} <= incidents


def test_viewer_sees_only_verified_visible_incidents_in_the_timeline(api: Api) -> None:
    body = api.client("viewer").get(f"{API}/persons/{api.marks.person_id}").json()
    assert {e["incident_id"] for e in body["timeline"]} == {api.marks.verified_id}
    assert all(e["status"] == "verified" and not e["confidential"] for e in body["timeline"])


def test_confidential_person_is_404_for_a_viewer(api: Api) -> None:
    url = f"{API}/persons/{api.marks.confidential_person_id}"
    response = api.client("viewer").get(url)
    assert response.status_code == 404 and response.json()["error"]["code"] == "E511"
    assert CONFIDENTIAL_PERSON not in response.text
    assert api.client("editor").get(url).json()["name"] == CONFIDENTIAL_PERSON


def test_mark_a_person_confidential(api: Api) -> None:
    url = f"{API}/persons/{api.marks.person_id}"
    marked = api.client("editor").put(f"{url}/confidential", json={"confidential": True})
    assert marked.status_code == 200 and marked.json()["table"] == "people"
    assert api.client("viewer").get(url).status_code == 404
    incident = api.client("viewer").get(f"{API}/incidents/{api.marks.verified_id}").json()
    assert api.marks.person_id not in {p["id"] for p in incident["people"]}
    assert all(a["victim"] != "Tavi Orenka" and a["victim_id"] is None for a in incident["acts"])
    assert all("Tavi Orenka" not in e["quote"] + e["sentence"] for e in incident["evidence"])


def test_confidential_name_is_nowhere_in_the_incident(api: Api) -> None:
    api.client("editor").put(f"{API}/persons/{api.marks.person_id}/confidential", json={"confidential": True})
    incident = api.client("viewer").get(f"{API}/incidents/{api.marks.verified_id}")
    assert "Tavi Orenka" not in incident.text


def test_person_has_no_confidential_fields(api: Api) -> None:
    url = f"{API}/persons/{api.marks.person_id}/confidential"
    response = api.client("editor").put(url, json={"confidential": True, "fields": ["city"]})
    assert response.status_code == 422 and response.json()["error"]["code"] == "E400"  # no such property


def test_unknown_person_is_404(api: Api) -> None:
    response = api.client("editor").get(f"{API}/persons/nobody")
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "status"}
