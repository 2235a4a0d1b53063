"""Review through the API: the queue, a report's facts, decide, edit, add, undo, verify."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .fixtures import API, Api


def review_page(client: TestClient, source_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/review/sources/{source_id}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def facts_of(client: TestClient, source_id: str, incident_id: str) -> list[dict[str, Any]]:
    page = review_page(client, source_id)
    [incident] = [i for i in page["incidents"] if i["id"] == incident_id]
    return [item for group in incident["groups"] for item in group["items"]]


def fact(client: TestClient, api: Api, table: str, fact_id: str) -> dict[str, Any]:
    found = facts_of(client, api.marks.source_id, api.marks.unverified_id)
    return next(f for f in found if f["table"] == table and f["id"] == fact_id)


def test_queue_lists_reports_to_review(api: Api) -> None:
    body = api.client("editor").get(f"{API}/review/queue", params={"per_page": 1}).json()
    assert (body["total"], body["pages"], len(body["items"])) == (2, 2, 1)
    assert api.client("viewer").get(f"{API}/review/queue").status_code == 403


def test_review_page_has_text_facts_and_spans(api: Api) -> None:
    page = review_page(api.client("editor"), api.marks.source_id)
    text = page["source"]["text"]
    assert {i["id"] for i in page["incidents"]} >= {api.marks.verified_id, api.marks.unverified_id}
    for span in page["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text)
    people = [s for s in page["spans"] if s["table"] == "people"]
    assert any(text[s["start"] : s["end"]] == "Tavi Orenka" for s in people)


def test_decide_edit_undo_round_trip(api: Api) -> None:
    editor = api.client("editor")
    incident_id = api.marks.unverified_id
    act = next(f for f in facts_of(editor, api.marks.source_id, incident_id) if f["table"] == "acts")
    decided = editor.post(
        f"{API}/review/decisions", json={"table": "acts", "fact_id": act["id"], "decision": "reject"}
    )
    assert decided.status_code == 201
    assert decided.json()["review_status"] == "rejected" and incident_id in decided.json()["incident_ids"]
    assert editor.get(f"{API}/incidents/{incident_id}").json()["status"] == "in_review"

    url = f"{API}/review/facts/incidents/{incident_id}"
    bad = editor.patch(url, json={"values": {"date": "2025-13-45"}})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "E513" and bad.json()["error"]["status"] == 422
    unknown = editor.patch(url, json={"values": {"password": "x"}})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "E512"

    edited = editor.patch(url, json={"values": {"date": "2025-03-11", "site": "river ford"}})
    assert edited.status_code == 200 and edited.json()["review_status"] == "corrected"
    shown = editor.get(f"{API}/incidents/{incident_id}").json()
    assert (shown["date"], shown["site"]) == ("2025-03-11", "river ford")

    undone = editor.post(f"{API}/review/undo", json={"event_id": edited.json()["event_id"]})
    assert undone.status_code == 200 and undone.json()["review_status"] == "extracted"
    assert editor.get(f"{API}/incidents/{incident_id}").json()["date"] == "2025-03-10"
    again = editor.post(f"{API}/review/undo", json={"event_id": decided.json()["event_id"]})
    assert again.json()["review_status"] == "extracted"
    assert fact(editor, api, "acts", act["id"])["review_status"] == "extracted"


def test_undo_refused_when_the_fact_changed_since(api: Api) -> None:
    editor = api.client("editor")
    url = f"{API}/review/facts/incidents/{api.marks.unverified_id}"
    first = editor.patch(url, json={"values": {"site": "river ford"}}).json()
    editor.patch(url, json={"values": {"site": "old mill"}})
    response = editor.post(f"{API}/review/undo", json={"event_id": first["event_id"]})
    assert response.status_code == 409 and response.json()["error"]["code"] == "E515"


def test_undo_of_a_non_review_event_is_404(api: Api) -> None:
    response = api.client("editor").post(f"{API}/review/undo", json={"event_id": 1})
    assert response.status_code == 404 and response.json()["error"]["code"] == "E511"


def test_decision_on_an_unknown_fact_is_404(api: Api) -> None:
    body = {"table": "acts", "fact_id": "0" * 32, "decision": "accept"}
    response = api.client("editor").post(f"{API}/review/decisions", json=body)
    assert response.status_code == 404 and response.json()["error"]["code"] == "E511"


@pytest.mark.parametrize("body", [{}, {"table": "acts", "fact_id": "x", "decision": "maybe"}])
def test_malformed_decision_is_422(api: Api, body: dict[str, str]) -> None:
    response = api.client("editor").post(f"{API}/review/decisions", json=body)
    assert response.status_code == 422 and response.json()["error"]["code"] == "E400"


def test_add_a_fact_from_a_span(api: Api) -> None:
    editor = api.client("editor")
    text = review_page(editor, api.marks.source_id)["source"]["text"]
    start = text.index("Third Police Station")
    body = {
        "source_id": api.marks.source_id,
        "incident_id": api.marks.unverified_id,
        "kind": "place",
        "start": start,
        "end": start + len("Third Police Station"),
        "values": {"detention_place": "Third Police Station"},
    }
    added = editor.post(f"{API}/review/facts", json=body)
    assert added.status_code == 201
    detail = editor.get(f"{API}/incidents/{api.marks.unverified_id}").json()
    assert detail["detention_place"] == "Third Police Station"
    outside = editor.post(f"{API}/review/facts", json={**body, "start": len(text), "end": len(text) + 5})
    assert outside.status_code == 422 and outside.json()["error"]["code"] == "E516"


def test_verify_waits_for_every_fact(api: Api) -> None:
    editor, viewer = api.client("editor"), api.client("viewer")
    incident_id = api.marks.unverified_id
    early = editor.post(f"{API}/incidents/{incident_id}/verify")
    assert early.status_code == 409 and early.json()["error"]["code"] == "E514"
    for item in facts_of(editor, api.marks.source_id, incident_id):
        body = {"table": item["table"], "fact_id": item["id"], "decision": "accept"}
        assert editor.post(f"{API}/review/decisions", json=body).status_code == 201
    assert viewer.get(f"{API}/incidents/{incident_id}").status_code == 404
    verified = editor.post(f"{API}/incidents/{incident_id}/verify")
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified" and verified.json()["verified_by"] == "elda.editor"
    assert viewer.get(f"{API}/incidents/{incident_id}").json()["status"] == "verified"


@pytest.mark.parametrize("role", [None, "viewer"])
def test_only_reviewers_change_facts(api: Api, role: str | None) -> None:
    client = api.client(role)
    status = 401 if role is None else 403
    body = {"table": "acts", "fact_id": "x", "decision": "accept"}
    assert client.post(f"{API}/review/decisions", json=body).status_code == status
    assert client.post(f"{API}/review/undo", json={"event_id": 1}).status_code == status
    assert client.post(f"{API}/incidents/{api.marks.unverified_id}/verify").status_code == status
