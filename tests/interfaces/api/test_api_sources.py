"""Reports through the API: the list, one report's text (editors only), and uploads."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from .fixtures import API, Api
from .seed import REPORT

NEW_REPORT = b"""\
Honduras: radio host Pell Ardent arrested in La Ceiba

This appeal is fictional: every person in it is invented for the hrdwatch tests.

On 14 June 2025, police officers arrested the radio host Pell Ardent in La Ceiba, Honduras.
"""


def errors_of(body: dict[str, object]) -> dict[str, object]:
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"code", "message", "status"}
    return error


def test_editor_lists_reports_with_pagination(api: Api) -> None:
    client = api.client("editor")
    first = client.get(f"{API}/sources", params={"per_page": 1}).json()
    assert (first["total"], first["page"], first["per_page"], first["pages"]) == (2, 1, 1, 2)
    second = client.get(f"{API}/sources", params={"per_page": 1, "page": 2}).json()
    names = {first["items"][0]["name"], second["items"][0]["name"]}
    assert names == {"orenka-appeal.txt", "marrick-appeal.md"}
    beyond = client.get(f"{API}/sources", params={"page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 2


def test_listing_can_keep_to_the_reports_still_to_review(api: Api) -> None:
    with api.engine.begin() as conn:  # every incident of one report verified
        conn.execute(
            text("UPDATE incidents SET status = 'verified' WHERE source_id = :s"), {"s": api.marks.source_id}
        )
    client = api.client("editor")
    everything = client.get(f"{API}/sources").json()
    pending = client.get(f"{API}/sources", params={"pending_only": "true"}).json()
    assert api.marks.source_id in {s["source_id"] for s in everything["items"]}
    assert api.marks.source_id not in {s["source_id"] for s in pending["items"]}
    assert pending["total"] == everything["total"] - 1


@pytest.mark.parametrize("path", ["/sources", "/sources/{id}"])
def test_viewer_may_not_read_reports(api: Api, path: str) -> None:
    response = api.client("viewer").get(API + path.format(id=api.marks.source_id))
    assert response.status_code == 403
    assert errors_of(response.json())["code"] == "E503"


def test_editor_reads_the_report_text(api: Api) -> None:
    body = api.client("editor").get(f"{API}/sources/{api.marks.source_id}").json()
    assert body["name"] == "orenka-appeal.txt"
    assert "Article 378 of the Penal Code" in body["text"]
    assert body["text"] in REPORT


def test_unknown_report_is_404(api: Api) -> None:
    response = api.client("admin").get(f"{API}/sources/0123456789abcdef")
    assert response.status_code == 404
    assert errors_of(response.json())["code"] == "E511"


def test_upload_stores_a_report_and_extracts_it(api: Api) -> None:
    files = [("files", ("ardent.txt", NEW_REPORT, "text/plain"))]
    response = api.client("editor").post(f"{API}/sources", files=files)
    assert response.status_code == 200
    [result] = response.json()
    assert result["outcome"] == "ingested" and result["reason"] is None
    assert result["incident_ids"]
    incident = api.client("editor").get(f"{API}/incidents/{result['incident_ids'][0]}").json()
    assert incident["source"]["id"] == result["source_id"]
    assert incident["country"] == "HN"


def test_refused_files_are_results_not_errors(api: Api) -> None:
    big = b"a" * (api.settings.max_bytes + 10)
    files = [
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("huge.txt", big, "text/plain")),
        ("files", ("again.txt", REPORT.encode(), "text/plain")),
        ("files", ("ardent.txt", NEW_REPORT, "text/plain")),
    ]
    response = api.client("editor").post(f"{API}/sources", files=files)
    assert response.status_code == 200
    results = {r["name"]: r for r in response.json()}
    assert results["empty.txt"]["outcome"] == "failed" and "[E101]" in results["empty.txt"]["reason"]
    assert results["huge.txt"]["outcome"] == "failed" and "[E102]" in results["huge.txt"]["reason"]
    assert results["again.txt"]["outcome"] == "duplicate"
    assert results["again.txt"]["source_id"] == api.marks.source_id
    assert results["ardent.txt"]["outcome"] == "ingested"


def test_upload_is_audited(api: Api) -> None:
    api.client("editor").post(f"{API}/sources", files=[("files", ("empty.txt", b"", "text/plain"))])
    log = api.client("admin").get(f"{API}/audit", params={"action": "source.*"}).json()["items"]
    assert log[0]["action"] == "source.upload_failed" and log[0]["actor"] == "elda.editor"


def test_upload_path_in_the_file_name_is_dropped(api: Api) -> None:
    files = [("files", ("../../etc/ardent.txt", NEW_REPORT, "text/plain"))]
    [result] = api.client("editor").post(f"{API}/sources", files=files).json()
    assert result["name"] == "ardent.txt"


@pytest.mark.parametrize("role, status", [(None, 401), ("viewer", 403)])
def test_upload_needs_an_editor(api: Api, role: str | None, status: int) -> None:
    files = [("files", ("ardent.txt", NEW_REPORT, "text/plain"))]
    response = api.client(role).post(f"{API}/sources", files=files)
    assert response.status_code == status
    assert errors_of(response.json())["status"] == status


def test_upload_without_files_is_422(api: Api) -> None:
    response = api.client("editor").post(f"{API}/sources", data={"other": "x"})
    assert response.status_code in (400, 422)
    assert errors_of(response.json())["status"] == response.status_code


def test_upload_with_a_session_needs_a_same_site_origin(api: Api) -> None:
    client = api.client("editor", via="session")
    files = [("files", ("ardent.txt", NEW_REPORT, "text/plain"))]
    refused = client.post(f"{API}/sources", files=files, headers={"Origin": "https://elsewhere.example"})
    assert refused.status_code == 403
    assert errors_of(refused.json())["code"] == "E510"
    assert client.post(f"{API}/sources", files=files).status_code == 200


@pytest.mark.parametrize("path", ["/sources", "/incidents", "/audit"])
def test_lists_page_by_25_by_default_as_documented(api: Api, path: str) -> None:
    body = api.client("admin").get(f"{API}{path}").json()
    assert body["per_page"] == 25
