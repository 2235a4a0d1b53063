"""Organisations through the API: members and the incidents they suffered."""

from __future__ import annotations

from .fixtures import API, Api


def test_organisation_with_members_and_timeline(api: Api) -> None:
    body = api.client("viewer").get(f"{API}/organisations/{api.marks.organisation_id}").json()
    assert body["name"] == "Cedar Valley Rights Centre"
    assert [m["name"] for m in body["members"]] == ["Tavi Orenka"]
    assert {e["incident_id"] for e in body["timeline"]} == {api.marks.verified_id}


def test_editor_sees_every_incident_of_the_members(api: Api) -> None:
    body = api.client("editor").get(f"{API}/organisations/{api.marks.organisation_id}").json()
    assert {api.marks.verified_id, api.marks.confidential_id} <= {e["incident_id"] for e in body["timeline"]}


def test_unknown_organisation_is_404(api: Api) -> None:
    response = api.client("viewer").get(f"{API}/organisations/unknown")
    assert response.status_code == 404 and response.json()["error"]["code"] == "E511"


def test_anonymous_is_401(api: Api) -> None:
    response = api.client().get(f"{API}/organisations/{api.marks.organisation_id}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "E504"
