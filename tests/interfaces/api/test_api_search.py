"""One search across incidents, people and organisations."""

from __future__ import annotations

from .fixtures import API, Api
from .seed import CONFIDENTIAL_PERSON


def test_search_finds_incidents_and_people(api: Api) -> None:
    body = api.client("editor").get(f"{API}/search", params={"q": "orenka"}).json()
    assert body["q"] == "orenka"
    assert api.marks.verified_id in {i["id"] for i in body["incidents"]["items"]}
    assert [p["id"] for p in body["people"]] == [api.marks.person_id]
    assert body["organisations"] == []


def test_search_finds_organisations(api: Api) -> None:
    body = api.client("viewer").get(f"{API}/search", params={"q": "Cedar Valley"}).json()
    assert body["incidents"]["total"] >= 1


def test_viewer_search_leaves_out_the_confidential_person(api: Api) -> None:
    viewer = api.client("viewer").get(f"{API}/search", params={"q": "Quintaval"})
    assert viewer.status_code == 200
    assert viewer.json()["incidents"]["total"] == 0 and CONFIDENTIAL_PERSON not in viewer.text
    editor = api.client("editor").get(f"{API}/search", params={"q": "Quintaval"}).json()
    assert [p["name"] for p in editor["people"]] == [CONFIDENTIAL_PERSON]


def test_search_pages(api: Api) -> None:
    body = api.client("editor").get(f"{API}/search", params={"q": "Honduras", "per_page": 1}).json()
    page = body["incidents"]
    assert page["per_page"] == 1 and len(page["items"]) == 1 and page["pages"] == page["total"]


def test_search_needs_a_query(api: Api) -> None:
    response = api.client("viewer").get(f"{API}/search")
    assert response.status_code == 422 and response.json()["error"]["code"] == "E400"
