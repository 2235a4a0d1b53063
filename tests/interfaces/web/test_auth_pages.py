"""Logging in and out, the second factor, timeouts, and a user's own account page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from hrdwatch.errors import AccessError
from hrdwatch.interfaces.http.deps import SESSION_COOKIE
from hrdwatch.security.tokens import API_TOKEN_PREFIX
from hrdwatch.security.totp import code_at
from hrdwatch.services import accounts
from hrdwatch.store.tables import utcnow

from .conftest import PASSWORD, Web

SECRET_FIELD = re.compile(r'name="(?:secret|enrol_secret)" value="([A-Z2-7]+)"')


def _cookie_header(response: object) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    return next(v for v in headers.get_list("set-cookie") if v.startswith(SESSION_COOKIE))


def test_login_form_is_public(web: Web) -> None:
    page = web.client.get("/login")
    assert page.status_code == 200
    assert 'action="/login"' in page.text and 'type="password"' in page.text


def test_login_form_sends_a_logged_in_user_on(web: Web) -> None:
    web.as_role("editor")
    response = web.client.get("/login", params={"next": "/incidents"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/incidents"


def test_login_sets_a_strict_httponly_cookie_and_opens_the_account(web: Web) -> None:
    web.user("ada-renwick", "editor")
    response = web.login("ada-renwick")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = _cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    account = web.client.get("/account")
    assert account.status_code == 200 and "ada-renwick" in account.text
    assert [e.subject for e in web.audit("login")] == ["ada-renwick"]


def test_cookie_is_secure_on_https(make_web: Callable[..., Web]) -> None:
    web = make_web(base_url="https://testserver")
    web.user("ada-renwick", "viewer")
    response = web.client.post(
        "/login",
        data={"username": "ada-renwick", "password": PASSWORD},
        headers={"Origin": "https://testserver"},
    )
    assert response.status_code == 303
    assert "secure" in _cookie_header(response).lower()


def test_wrong_password_shows_the_form_again_without_a_session(web: Web) -> None:
    web.user("ada-renwick", "viewer")
    response = web.login("ada-renwick", "not the password")
    assert response.status_code == 401
    assert "E501" in response.text and 'value="ada-renwick"' in response.text
    assert SESSION_COOKIE not in response.cookies
    assert web.client.get("/account").status_code == 303
    assert len(web.audit("login.failed")) == 1


def test_sixth_failed_login_is_throttled_and_logged(web: Web) -> None:
    web.user("ada-renwick", "viewer")
    for _ in range(5):
        assert web.login("ada-renwick", "guess").status_code == 401
    throttled = web.login("ada-renwick")  # even the right password waits now
    assert throttled.status_code == 429
    assert "E502" in throttled.text and throttled.headers["retry-after"] == str(15 * 60)
    assert [e.subject for e in web.audit("login.throttled")] == ["ada-renwick"]


@pytest.mark.parametrize(
    ("next_", "landing"),
    [
        ("/incidents?q=Lusaka", "/incidents?q=Lusaka"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_login_goes_back_only_to_pages_of_this_site(web: Web, next_: str, landing: str) -> None:
    web.user("ada-renwick", "viewer")
    form = {"username": "ada-renwick", "password": PASSWORD, "next": next_}
    response = web.post("/login", data=form)
    assert response.headers["location"] == landing


def test_a_page_without_login_redirects_to_the_form_and_back(web: Web) -> None:
    response = web.client.get("/account")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Faccount"
    form = web.client.get(response.headers["location"])
    assert 'name="next" value="/account"' in form.text


def _enrol_on_account_page(web: Web) -> tuple[str, str]:
    """The TOTP secret shown on the account page, and the code that enrolled it."""
    page = web.client.get("/account")
    match = SECRET_FIELD.search(page.text)
    assert match is not None and "otpauth://totp/" in page.text
    secret = match.group(1)
    code = code_at(secret)
    done = web.post("/account/totp", data={"secret": secret, "code": code})
    assert done.status_code == 200 and "Two-factor login is on" in done.text
    return secret, code


def test_totp_login_asks_for_the_code_after_the_password(web: Web) -> None:
    web.as_role("editor", "ada-renwick")
    secret, enrol_code = _enrol_on_account_page(web)
    web.post("/logout")

    first = web.login("ada-renwick")
    assert first.status_code == 303 and first.headers["location"] == "/login/totp?next=%2F"
    assert web.client.get("/account").status_code == 303  # half logged in is not logged in
    assert "authenticator" in web.client.get("/login/totp").text

    wrong = web.post("/login/totp", data={"code": "000000" if code_at(secret) != "000000" else "111111"})
    assert wrong.status_code == 401 and "E505" in wrong.text
    half_open = web.client.cookies[SESSION_COOKIE]
    replay = web.post(  # the code used at enrolment: a code works once
        "/login/totp", data={"code": enrol_code, "next": "/account"}
    )
    assert replay.status_code == 401 and "E505" in replay.text
    next_code = code_at(secret, time.time() + 30)
    right = web.post("/login/totp", data={"code": next_code, "next": "/account"})
    assert right.status_code == 303 and right.headers["location"] == "/account"
    assert web.client.cookies[SESSION_COOKIE] != half_open  # a new session id after the second factor
    assert web.client.get("/account").status_code == 200
    assert web.audit("totp.failed") and web.audit("totp.enrolled")
    stale = web.other_client()
    stale.cookies.set(SESSION_COOKIE, half_open)
    assert stale.get("/account").status_code == 303


def test_required_totp_is_enrolled_at_login(web: Web) -> None:
    web.user("ada-renwick", "viewer")
    accounts.update_user(
        web.engine, accounts.cli_principal("test"), username="ada-renwick", totp_required=True
    )
    web.login("ada-renwick")
    page = web.client.get("/login/totp")
    match = SECRET_FIELD.search(page.text)
    assert match is not None and "otpauth://totp/hrdwatch:ada-renwick" in page.text
    secret = match.group(1)
    response = web.post("/login/totp", data={"code": code_at(secret), "enrol_secret": secret})
    assert response.status_code == 303
    me = accounts.list_users(web.engine, accounts.cli_principal("test"))[0]
    assert me.totp_enrolled


def test_totp_page_without_a_pending_login_goes_to_the_form(web: Web) -> None:
    assert web.client.get("/login/totp").headers["location"] == "/login"
    assert web.post("/login/totp", data={"code": "123456"}).headers["location"] == "/login"


def test_logout_ends_the_session_for_good(web: Web) -> None:
    web.as_role("viewer", "ada-renwick")
    old_cookie = web.client.cookies[SESSION_COOKIE]
    response = web.post("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert web.client.get("/account").status_code == 303
    thief = web.other_client()
    thief.cookies.set(SESSION_COOKIE, old_cookie)
    assert thief.get("/account").headers["location"] == "/login?next=%2Faccount"
    assert [e.subject for e in web.audit("logout")] == ["ada-renwick"]


def test_idle_session_expires_and_redirects_to_login(make_web: Callable[..., Web]) -> None:
    web = make_web(session_idle_minutes=5)
    web.as_role("editor", "ada-renwick")
    cookie = web.client.cookies[SESSION_COOKIE]
    assert web.client.get("/account").status_code == 200
    later = utcnow() + timedelta(minutes=6)
    with pytest.raises(AccessError):
        accounts.session_user(web.engine, web.settings, cookie, now=later)
    response = web.client.get("/upload")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fupload"
    assert web.audit("session.expired")[0].detail == "idle timeout"


def test_api_token_secret_is_shown_once_and_can_be_revoked(web: Web) -> None:
    web.as_role("editor", "ada-renwick")
    created = web.post("/account/tokens", data={"name": "nightly export"})
    secret = re.search(re.escape(API_TOKEN_PREFIX) + r"[A-Za-z0-9_\-]+", created.text)
    assert created.status_code == 200 and secret is not None
    assert accounts.token_user(web.engine, secret.group(0)).username == "ada-renwick"
    again = web.client.get("/account")
    assert secret.group(0) not in again.text and "nightly export" in again.text
    token_id = accounts.list_tokens(web.engine, accounts.token_user(web.engine, secret.group(0)))[0].id
    revoked = web.post(f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 200 and "revoked" in revoked.text
    with pytest.raises(AccessError):
        accounts.token_user(web.engine, secret.group(0))


def test_cannot_revoke_someone_elses_token(web: Web) -> None:
    web.user("bo-tallis", "editor")
    owner = accounts.login(web.engine, web.settings, username="bo-tallis", password=PASSWORD)
    principal = accounts.session_user(web.engine, web.settings, owner.session_secret)
    token = accounts.create_token(web.engine, principal, name="theirs")
    web.as_role("editor", "ada-renwick")
    assert web.post(f"/account/tokens/{token.id}/revoke").status_code == 404
