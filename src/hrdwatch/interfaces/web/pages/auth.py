"""Logging in and out, the second factor, and a user's own account (TOTP enrolment, API tokens).

The session cookie is HttpOnly and SameSite=Strict, Secure on https; it holds a random secret whose
SHA-256 is the stored session id. A wrong password or code re-shows the form with the coded message
and the matching status (401, or 429 once the account is throttled).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hrdwatch.domain.users import Principal
from hrdwatch.errors import AccessError
from hrdwatch.interfaces.http.deps import (
    SESSION_COOKIE,
    client_ip,
    current_user,
    engine_of,
    requires,
    settings_of,
)
from hrdwatch.interfaces.http.errors import RETRY_AFTER_SECONDS, status_of
from hrdwatch.interfaces.web.templating import templates
from hrdwatch.security import totp
from hrdwatch.security.permissions import Action
from hrdwatch.services import accounts

router = APIRouter()
Me = Annotated[Principal, requires(Action.SELF)]


def safe_next(value: str | None) -> str:
    """``value`` when it is a path on this site, else ``/``: never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value):
        return "/"
    return value


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _set_session(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def _refused(request: Request, name: str, error: AccessError, context: dict[str, Any]) -> Response:
    status = status_of(error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 429 else None
    context = {"user": None, "error": error.detail, **context}
    return templates.TemplateResponse(request, name, context, status_code=status, headers=headers)


@router.get("/login", dependencies=[requires(Action.PUBLIC)])
def login_form(request: Request, next: str | None = None) -> Response:
    if current_user(request) is not None:  # already logged in: go on
        return _redirect(safe_next(next))
    return templates.TemplateResponse(request, "login.html", {"user": None, "next": safe_next(next)})


@router.post("/login", dependencies=[requires(Action.PUBLIC)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    target = safe_next(next)
    try:
        result = accounts.login(
            engine_of(request),
            settings_of(request),
            username=username,
            password=password,
            ip=client_ip(request),
            previous_session=request.cookies.get(SESSION_COOKIE),
        )
    except AccessError as e:
        return _refused(request, "login.html", e, {"username": username, "next": target})
    url = f"/login/totp?next={quote(target, safe='')}" if result.pending_totp else target
    response = _redirect(url)
    _set_session(request, response, result.session_secret)
    return response


def _pending_user(request: Request) -> Principal | None:
    """Who is half-way through logging in (password right, code still due), or None."""
    secret = request.cookies.get(SESSION_COOKIE)
    engine = engine_of(request)
    if not secret or not accounts.session_pending(engine, secret):
        return None
    try:
        return accounts.session_user(
            engine, settings_of(request), secret, allow_pending=True, ip=client_ip(request)
        )
    except AccessError:
        return None


def _enrolment(username: str) -> dict[str, str]:
    secret = totp.new_secret()
    return {"enrol_secret": secret, "enrol_uri": totp.provisioning_uri(secret, username)}


@router.get("/login/totp", dependencies=[requires(Action.PUBLIC)])
def totp_form(request: Request, next: str | None = None) -> Response:
    pending = _pending_user(request)
    if pending is None:
        return _redirect("/login")
    enrolled = accounts.totp_status(engine_of(request), pending).totp_enrolled
    context = {"user": None, "next": safe_next(next), **({} if enrolled else _enrolment(pending.username))}
    return templates.TemplateResponse(request, "totp.html", context)


@router.post("/login/totp", dependencies=[requires(Action.PUBLIC)])
def totp_check(
    request: Request,
    code: str = Form(""),
    enrol_secret: str | None = Form(None),
    next: str = Form("/"),
) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return _redirect("/login")
    target = safe_next(next)
    try:
        done = accounts.complete_totp(
            engine_of(request),
            settings_of(request),
            session_secret=secret,
            code=code,
            enrol_secret=enrol_secret or None,
            ip=client_ip(request),
        )
    except AccessError as e:
        if e.code == "E504":  # the half-open session expired or was never there
            return _redirect("/login")
        enrol = _enrol_context(request, enrol_secret)
        return _refused(request, "totp.html", e, {"next": target, **enrol})
    response = _redirect(target)
    _set_session(request, response, done.session_secret)  # a new session id once both factors are in
    return response


def _enrol_context(request: Request, enrol_secret: str | None) -> dict[str, str]:
    pending = _pending_user(request)
    if not enrol_secret or pending is None:
        return {}
    return {"enrol_secret": enrol_secret, "enrol_uri": totp.provisioning_uri(enrol_secret, pending.username)}


@router.post("/logout", dependencies=[requires(Action.PUBLIC)])
def logout(request: Request) -> Response:
    """Ends the session named by the cookie (if any) and clears the cookie; works after expiry too."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        accounts.logout(engine_of(request), secret, ip=client_ip(request))
    response = _redirect("/login")
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


def _account_page(request: Request, user: Principal, *, status: int = 200, **extra: Any) -> Response:
    engine = engine_of(request)
    me = accounts.totp_status(engine, user)
    context: dict[str, Any] = {"user": user, "me": me, "tokens": accounts.list_tokens(engine, user)}
    if not me.totp_enrolled and "enrol_secret" not in extra:
        context.update(_enrolment(user.username))
    context.update(extra)
    return templates.TemplateResponse(request, "account.html", context, status_code=status)


@router.get("/account")
def account(request: Request, user: Me) -> Response:
    return _account_page(request, user)


@router.post("/account/totp")
def account_totp(request: Request, user: Me, secret: str = Form(""), code: str = Form("")) -> Response:
    try:
        accounts.enrol_totp(engine_of(request), user, secret=secret, code=code, ip=client_ip(request))
    except AccessError as e:
        uri = totp.provisioning_uri(secret, user.username)  # "" when the form's secret was malformed
        enrol = {"enrol_secret": secret, "enrol_uri": uri} if uri else _enrolment(user.username)
        return _account_page(request, user, status=status_of(e), error=e.detail, **enrol)
    return _account_page(request, user, flashes=["Two-factor login is on for your account."])


@router.post("/account/tokens")
def account_token_create(request: Request, user: Me, name: str = Form("")) -> Response:
    new = accounts.create_token(engine_of(request), user, name=name, ip=client_ip(request))
    return _account_page(request, user, new_token=new)


@router.post("/account/tokens/{token_id}/revoke")
def account_token_revoke(request: Request, token_id: str, user: Me) -> Response:
    accounts.revoke_token(engine_of(request), user, token_id=token_id, ip=client_ip(request))
    return _account_page(request, user, flashes=["The token is revoked."])
