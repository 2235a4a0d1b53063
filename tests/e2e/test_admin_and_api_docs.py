"""The admin pages and the API docs page in a real browser: they render under the strict CSP with
no violation and no script error, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import PASSWORD, USERS, Console, LiveServer


def _log_in_as_admin(page: Page) -> None:
    page.goto("/login")
    page.fill("input[name=username]", USERS["admin"])
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(USERS["admin"])


def test_admin_pages_and_api_docs_render_cleanly(
    page: Page, live_server: LiveServer, artifacts: Path, console: Console
) -> None:
    _log_in_as_admin(page)
    pages = (("/admin/users", "admin-users"), ("/admin/audit", "audit-log"), ("/account", "account"))
    for path, name in pages:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    expect(page.locator("main")).to_contain_text(USERS["admin"])  # the account page names its owner

    page.goto("/admin/audit")
    expect(page.locator("main")).to_contain_text("login")  # this very login is in the log

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("hrdwatch", timeout=20_000)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.screenshot(path=str(artifacts / "api-docs.png"), full_page=False)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/users")
    page.screenshot(path=str(artifacts / "admin-users-phone.png"), full_page=True)
    assert console.csp_violations() == []
    assert console.errors == []


def test_api_docs_need_a_login(page: Page, live_server: LiveServer) -> None:
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui")).to_have_count(0)
    response = page.request.get("/api/v1/openapi.json")
    assert response.status == 401
