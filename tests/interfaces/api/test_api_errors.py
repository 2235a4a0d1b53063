"""Every failure under /api has the same body: ``{"error": {"code", "message", "status"}}``."""

from __future__ import annotations

from typing import Any

import pytest

from .fixtures import API, Api


def assert_error(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == status and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/no-such-thing", 404),
        ("DELETE", "/incidents", 405),
        ("GET", "/incidents?per_page=abc", 422),
        ("GET", "/audit", 403),
        ("GET", "/sources/none", 403),
    ],
)
def test_error_bodies(api: Api, method: str, path: str, status: int) -> None:
    assert_error(api.client("viewer").request(method, API + path), status)


def test_malformed_json_is_422(api: Api) -> None:
    response = api.client("editor").post(
        f"{API}/review/decisions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(response, 422, "E400")


def test_validation_error_names_the_field(api: Api) -> None:
    response = api.client("editor").post(f"{API}/review/undo", json={"event_id": "first"})
    assert_error(response, 422, "E400")
    assert "event_id" in response.json()["error"]["message"]


def test_cross_site_write_with_a_cookie_is_refused(api: Api) -> None:
    client = api.client("editor", via="session")
    response = client.post(
        f"{API}/tokens", json={"name": "x"}, headers={"Origin": "https://elsewhere.example"}
    )
    assert_error(response, 403, "E510")


def test_cookie_write_without_origin_is_refused(api: Api) -> None:
    client = api.client("editor", via="session")
    del client.headers["Origin"]
    assert_error(client.post(f"{API}/tokens", json={"name": "x"}), 403, "E510")


def test_bearer_write_needs_no_origin(api: Api) -> None:
    client = api.client("editor")
    del client.headers["Origin"]
    assert client.post(f"{API}/tokens", json={"name": "cron"}).status_code == 201


def test_expired_session_is_401(api: Api) -> None:
    client = api.client("viewer", via="session")
    client.cookies.set("hrdwatch_session", "not-a-session")
    assert_error(client.get(f"{API}/incidents"), 401, "E504")


def test_security_headers_on_api_answers(api: Api) -> None:
    response = api.client("viewer").get(f"{API}/incidents")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
