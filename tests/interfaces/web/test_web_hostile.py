"""What an attacker tries: script in every text field, forged cross-site posts, stolen or stale
sessions, guessing codes, framing and sniffing; and pages that keep to the strict CSP."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute

from hrdwatch.errors import AccessError
from hrdwatch.interfaces.http.deps import SESSION_COOKIE, declared_action
from hrdwatch.interfaces.web.pages import PAGES
from hrdwatch.security.totp import code_at
from hrdwatch.services import accounts
from hrdwatch.store.tables import utcnow

from .conftest import APPEAL, PASSWORD, XSS, Web

EVIL = "https://evil.example"
IMG_XSS = "<img src=x onerror=alert(2)>"
TAG = re.compile(r"<[a-zA-Z][^>]*>")
INLINE_HANDLER = re.compile(r"\s(?:hx-)?on[a-z:.-]*\s*=", re.IGNORECASE)


def _assert_escaped(html: str) -> None:
    assert XSS not in html and IMG_XSS not in html
    assert "<script>alert" not in html and "<img src=x" not in html


def _assert_csp_clean(html: str, url: str) -> None:
    """No inline script or style, no style= or on*= attribute: the CSP would block them anyway."""
    for tag in TAG.findall(html):
        assert not re.match(r"<script\b", tag) or "src=" in tag, (url, tag)
        assert not re.match(r"<style\b", tag), (url, tag)
        assert not re.search(r"\sstyle\s*=", tag), (url, tag)
        assert not INLINE_HANDLER.search(tag), (url, tag)


def test_every_web_route_declares_its_action() -> None:
    routes = [r for page in PAGES for r in page.router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 18
    assert [r.path for r in routes if declared_action(r) is None] == []


def test_pages_send_the_security_headers(web: Web) -> None:
    for url in ("/login", "/no-such-page"):
        headers = web.client.get(url).headers
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
    static = web.client.get("/static/app.js")
    assert static.status_code == 200 and static.headers["x-content-type-options"] == "nosniff"


def test_every_page_keeps_to_the_strict_csp(web: Web) -> None:
    result = web.seed()
    web.user("kit-orlo", "viewer")
    login_page = web.client.get("/login").text
    client = web.as_role("admin", "root-mabel")
    urls = ["/", "/incidents", "/incidents?q=Lusaka&sort=status", "/upload", "/account", "/admin/users"]
    urls += ["/admin/audit", "/no-such-page", *(f"/incidents/{i}" for i in result.incident_ids)]
    pages = {url: client.get(url).text for url in urls}
    links = set(re.findall(r'href="(/(?:people|organisations)/[0-9a-f]{32})"', "".join(pages.values())))
    assert any(link.startswith("/people/") for link in links)
    pages |= {url: client.get(url).text for url in links}
    pages["/login"] = login_page
    pages["POST /upload"] = web.post("/upload", files=[("files", ("a.txt", b"", "text/plain"))]).text
    for url, html in pages.items():
        _assert_csp_clean(html, url)


def test_script_in_the_login_name_is_escaped(web: Web) -> None:
    response = web.login(XSS, "wrong")
    assert response.status_code == 401
    _assert_escaped(response.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    web.as_role("admin")
    audit = web.client.get("/admin/audit", params={"action": "login.failed"})
    assert "&lt;script&gt;" in audit.text
    _assert_escaped(audit.text)


def test_script_in_the_search_box_is_escaped(web: Web) -> None:
    web.seed()
    client = web.as_role("editor")
    for headers in ({}, {"HX-Request": "true"}):
        for params in ({"q": XSS}, {"q": IMG_XSS, "sort": "date"}, {"date_from": XSS}, {"act_type": XSS}):
            _assert_escaped(client.get("/incidents", params=params, headers=headers).text)
    _assert_escaped(client.get("/admin/audit", params={"actor": XSS, "action": IMG_XSS}).text)


def test_script_in_a_file_name_and_report_text_is_escaped(web: Web) -> None:
    client = web.as_role("editor")
    report = APPEAL.replace("title: Zambia:", f"title: {XSS} Zambia:").replace(
        "This urgent appeal is fictional", f"{IMG_XSS} {XSS} This urgent appeal is fictional"
    )
    files = [
        ("files", (f"{IMG_XSS}.txt", report.encode(), "text/plain")),
        ("files", (f"{XSS}.exe", b"MZ\x90\x00", "application/octet-stream")),
    ]
    responses = [
        web.post("/upload", files=files, headers=headers) for headers in ({}, {"HX-Request": "true"})
    ]
    for response in responses:
        assert "&lt;img src=x onerror=alert(2)&gt;.txt" in response.text
        _assert_escaped(response.text)
    ids = re.findall(r'href="/incidents/([0-9a-f]{32})"', responses[0].text)
    assert ids
    for url in ["/", "/incidents", "/incidents?q=Lusaka", *(f"/incidents/{i}" for i in set(ids))]:
        html = client.get(url).text
        _assert_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Zambia" in client.get("/incidents").text


def test_script_in_admin_and_account_forms_is_escaped(web: Web) -> None:
    web.as_role("admin")
    created = web.post("/admin/users", data={"username": XSS, "password": PASSWORD, "role": "viewer"})
    assert created.status_code == 422 and "E518" in created.text
    _assert_escaped(created.text)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in created.text
    bad_role = web.post("/admin/users", data={"username": "kit-orlo", "password": PASSWORD, "role": XSS})
    _assert_escaped(bad_role.text)
    token = web.post("/account/tokens", data={"name": IMG_XSS})
    _assert_escaped(token.text)
    _assert_escaped(web.client.get("/account").text)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://testserver.evil"},
    ],
)
def test_forged_cross_site_posts_are_refused_and_logged(web: Web, headers: dict[str, str]) -> None:
    web.as_role("admin", "root-mabel")
    form = {"username": "sly-fenn", "password": PASSWORD, "role": "admin"}
    forged = web.client.post("/admin/users", data=form, headers=headers)
    assert forged.status_code == 403 and "E510" in forged.text
    assert web.client.post("/logout", headers=headers).status_code == 403
    assert web.client.get("/admin/users").status_code == 200  # still logged in
    assert "sly-fenn" not in {
        u.username for u in accounts.list_users(web.engine, accounts.cli_principal("t"))
    }
    refused = web.audit("request.csrf_refused")
    assert [e.subject for e in refused] == ["/logout", "/admin/users"]


def test_a_cookie_post_without_origin_headers_is_refused(web: Web) -> None:
    web.as_role("editor")
    response = web.client.post("/account/tokens", data={"name": "sneaky"})
    assert response.status_code == 403
    assert len(web.audit("request.csrf_refused")) == 1


def test_stolen_cookie_of_an_ended_session_is_useless(web: Web) -> None:
    web.as_role("editor", "ada-renwick")
    cookie = web.client.cookies[SESSION_COOKIE]
    web.post("/logout")
    thief = web.other_client()
    thief.cookies.set(SESSION_COOKIE, cookie)
    assert thief.get("/incidents").headers["location"] == "/login?next=%2Fincidents"
    thief.cookies.set(SESSION_COOKIE, "made-up-value")
    assert thief.get("/").status_code == 303


def test_an_expired_session_redirects_to_login(make_web: Callable[..., Web]) -> None:
    web = make_web(session_max_hours=1, session_idle_minutes=600)
    web.as_role("viewer")
    cookie = web.client.cookies[SESSION_COOKIE]
    with pytest.raises(AccessError):
        accounts.session_user(web.engine, web.settings, cookie, now=utcnow() + timedelta(hours=2))
    response = web.client.get("/incidents?q=x")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fincidents%3Fq%3Dx"
    assert web.audit("session.expired")[0].detail == "absolute timeout"


def test_guessing_one_time_codes_is_throttled(web: Web) -> None:
    web.as_role("editor", "ada-renwick")
    page = web.client.get("/account")
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page.text)
    assert secret is not None
    web.post("/account/totp", data={"secret": secret.group(1), "code": code_at(secret.group(1))})
    web.post("/logout")
    web.login("ada-renwick")
    near = {code_at(secret.group(1), utcnow().timestamp() + step) for step in (-30, 0, 30)}
    wrong = [code for code in (f"{n:06d}" for n in range(10)) if code not in near][:6]
    guesses = [web.post("/login/totp", data={"code": code}).status_code for code in wrong]
    assert guesses[:5] == [401] * 5 and guesses[5] == 429
    assert web.audit("login.throttled")


def test_pages_are_not_served_to_strangers(web: Web) -> None:
    for url in ("/admin/users", "/admin/audit", "/upload", "/incidents", "/people/x", "/account"):
        response = web.client.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    assert web.post("/upload", files=[("files", ("a.txt", b"text", "text/plain"))]).status_code == 401
    assert web.post("/admin/users", data={"username": "x1", "password": PASSWORD}).status_code == 401
