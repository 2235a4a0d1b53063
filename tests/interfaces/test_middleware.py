"""The one middleware: cross-site writes refused and logged, security headers on every response."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hrdwatch.config import Settings
from hrdwatch.interfaces.app import create_app
from hrdwatch.interfaces.http.middleware import cross_site
from hrdwatch.services import accounts
from hrdwatch.services.audit import read_log


def scope(method: str = "POST", **headers: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }


@pytest.mark.parametrize(
    ("request_scope", "refused"),
    [
        (scope("GET", origin="https://evil.example"), False),  # reads are never refused
        (scope(host="127.0.0.1:8000", origin="http://127.0.0.1:8000"), False),
        (scope(host="127.0.0.1:8000", sec_fetch_site="same-origin"), False),
        (scope(host="127.0.0.1:8000", sec_fetch_site="none"), False),  # typed into the address bar
        (scope(host="127.0.0.1:8000", sec_fetch_site="same-origin", origin="null"), False),
        (scope(host="127.0.0.1:8000", origin="https://evil.example"), True),
        (scope(host="127.0.0.1:8000", origin="null"), True),  # sandboxed frames, data: URLs
        (scope(host="127.0.0.1:8000", sec_fetch_site="cross-site"), True),
        (scope(host="127.0.0.1:8000", sec_fetch_site="same-site", origin="http://sub.127.0.0.1:8000"), True),
        (scope(host="127.0.0.1:8000", origin="http://127.0.0.1:8001"), True),
        (scope(host="127.0.0.1:8000", cookie="hrdwatch_session=abc"), True),  # a cookie but no origin
        (scope(host="127.0.0.1:8000", authorization="Bearer hrdw_x"), False),  # a script with a token
        (scope(host="example.org", origin="https://example.org:443"), True),  # scheme differs (http)
    ],
)
def test_cross_site_decision(request_scope: dict[str, Any], refused: bool) -> None:
    assert (cross_site(request_scope) is not None) is refused


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'mw.db'}"))
    with TestClient(app) as c:
        yield c


def test_forged_post_is_refused_with_a_coded_body_and_logged(client: TestClient) -> None:
    response = client.post("/logout", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "E510"
    engine = client.app.state.engine  # type: ignore[attr-defined]
    logged = read_log(engine, accounts.cli_principal("t"), action="request.csrf_refused")
    assert logged and logged[0].subject == "/logout" and "evil.example" in (logged[0].detail or "")


@pytest.mark.parametrize("path", ["/healthz", "/no-such-page", "/api/v1/no-such-thing"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert headers["referrer-policy"] == "same-origin"


def test_static_files_may_be_cached_but_keep_the_other_headers(client: TestClient) -> None:
    response = client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_errors_show_no_stack_trace(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Traceback" not in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert set(api.json()["error"]) == {"code", "message", "status"}


@pytest.fixture
def small_client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'mw.db'}", max_bytes=1000))
    with TestClient(app) as c:
        yield c


def test_a_declared_oversized_body_is_refused_before_it_is_read(small_client: TestClient) -> None:
    too_big = 1000 * 20 + (1 << 20) + 1
    response = small_client.post(
        "/api/v1/sources",
        headers={"Content-Length": str(too_big), "Content-Type": "multipart/form-data; boundary=x"},
        content=b"",
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "E102"


def test_a_streamed_oversized_form_is_refused(small_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"q=" + b"x" * 65536

    response = small_client.post(
        "/login",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://testserver"},
        content=chunks(),
    )
    assert response.status_code == 413


def test_small_posts_pass_the_size_check(small_client: TestClient) -> None:
    response = small_client.post(
        "/login", data={"username": "nobody", "password": "x"}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code != 413
