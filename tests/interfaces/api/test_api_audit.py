"""The audit log: administrators only, newest first, filtered, paged without a total."""

from __future__ import annotations

import pytest

from .fixtures import API, Api


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_admins_read_the_log(api: Api, role: str) -> None:
    response = api.client(role).get(f"{API}/audit")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "E503"


def test_admin_reads_and_filters_the_log(api: Api) -> None:
    client = api.client("admin")
    everything = client.get(f"{API}/audit", params={"per_page": 100}).json()
    ids = [e["id"] for e in everything["items"]]
    assert ids == sorted(ids, reverse=True)
    created = client.get(f"{API}/audit", params={"action": "user.created"}).json()["items"]
    assert {e["subject"] for e in created} == {"vito.viewer", "elda.editor", "imre.admin"}
    assert all(e["action"] == "user.created" for e in created)


def test_log_pages_with_next_page(api: Api) -> None:
    client = api.client("admin")
    first = client.get(f"{API}/audit", params={"per_page": 2}).json()
    assert len(first["items"]) == 2 and first["next_page"] == 2 and first["page"] == 1
    second = client.get(f"{API}/audit", params={"per_page": 2, "page": 2}).json()
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
    last = client.get(f"{API}/audit", params={"per_page": 100, "page": 50}).json()
    assert last["items"] == [] and last["next_page"] is None


@pytest.mark.parametrize("params", [{"page": 0}, {"per_page": 0}, {"per_page": 101}, {"since": "yesterday"}])
def test_bad_paging_is_a_422_error_body(api: Api, params: dict[str, object]) -> None:
    response = api.client("admin").get(f"{API}/audit", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "E400",
        "message": response.json()["error"]["message"],
        "status": 422,
    }
