"""The OpenAPI document and Swagger UI: logged-in users only, every asset served from here."""

from __future__ import annotations

import re

import pytest

from .fixtures import API, Api

URL = re.compile(r"""https?://[^\s"'<>)]+""")


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/docs/static/init.js"])
def test_anonymous_gets_401(api: Api, path: str) -> None:
    response = api.client().get(API + path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "E504"


def test_openapi_lists_the_api_and_only_the_api(api: Api) -> None:
    response = api.client("viewer").get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = set(schema["paths"])
    assert paths and all(p.startswith(API + "/") for p in paths)
    assert f"{API}/tokens" in paths
    assert f"{API}/openapi.json" not in paths and f"{API}/docs" not in paths
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "ErrorPublic" in schema["components"]["schemas"]


def test_openapi_works_with_a_session_too(api: Api) -> None:
    assert api.client("editor", via="session").get(f"{API}/openapi.json").status_code == 200


def test_docs_page_loads_only_local_assets(api: Api) -> None:
    client = api.client("viewer", via="session")
    page = client.get(f"{API}/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    init = client.get(f"{API}/docs/static/init.js")
    assert init.status_code == 200 and init.headers["content-type"].startswith("text/javascript")
    for text in (page.text, init.text):
        assert [u for u in URL.findall(text) if not u.startswith("http://testserver")] == []
    assert "<style" not in page.text and "style=" not in page.text
    assert not re.search(r"<script>[^<]", page.text), "inline script: the CSP would block it"
    assert f'url: "{API}/openapi.json"' in init.text
    assert 'dom_id: "#swagger-ui"' in init.text
    for src in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert src.startswith(f"{API}/docs/static/")
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 10


def test_docs_assets_are_a_fixed_list(api: Api) -> None:
    client = api.client("viewer")
    assert client.get(f"{API}/docs/static/swagger-ui.css").headers["content-type"].startswith("text/css")
    for name in ("index.html", "..%2F..%2Ffastapi_offline%2F__init__.py", "swagger-ui.js.map"):
        response = client.get(f"{API}/docs/static/{name}")
        assert response.status_code == 404
        assert set(response.json()["error"]) == {"code", "message", "status"}


def test_csp_stays_strict_on_the_docs_page(api: Api) -> None:
    csp = api.client("viewer").get(f"{API}/docs").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
