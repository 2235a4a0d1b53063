"""One middleware for every request: refuse cross-site writes (CSRF), add the security headers.

A state-changing request (anything but GET, HEAD, OPTIONS) is refused with E510 when the browser
says it comes from another site: ``Sec-Fetch-Site`` other than ``same-origin``/``none`` (browsers
that send it are trusted on it alone), else an ``Origin`` that is not this server's. A request
carrying the session cookie must show one of those headers (every current browser sends them);
scripts authenticate with a bearer token and send no cookie. Because it wraps the whole app, no
route can forget it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.errors import Errors
from hrdwatch.interfaces.http.deps import SESSION_COOKIE
from hrdwatch.interfaces.http.errors import error_body
from hrdwatch.services.audit import record_now

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
NO_STORE = (b"cache-control", b"no-store")
STATIC_PREFIX = "/static/"
UPLOAD_MAX_FILES = 20  # files in one upload request, web or API
FORM_LIMIT = 1 << 20  # any other request body: forms and JSON are small


class BodyTooLarge(Exception):
    """A request body went over :func:`body_limit` while it was being received."""


def body_limit(scope: Scope, headers: dict[str, str] | None = None) -> int:
    """The most bytes a request body may have: uploads up to 20 files of ``max_bytes``, else 1 MiB.

    Checked before anything reads the body, so a huge upload is refused before it is held in
    memory (uploads are parsed in memory, see :mod:`hrdwatch.interfaces.http.memory_form`; the
    readers' own limit then applies per file).
    """
    content_type = (headers if headers is not None else _headers(scope)).get("content-type", "")
    settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
    if content_type.startswith("multipart/form-data") and settings is not None:
        return int(settings.max_bytes) * UPLOAD_MAX_FILES + FORM_LIMIT
    return FORM_LIMIT


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _own_origin(scope: Scope, headers: dict[str, str]) -> str:
    scheme = scope.get("scheme", "http")
    host = headers.get("host")
    if host is None:
        server = scope.get("server") or ("localhost", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}".lower()


def cross_site(scope: Scope, headers: dict[str, str] | None = None) -> str | None:
    """Why a state-changing request looks cross-site (the origin it claims), or None when it is fine."""
    if scope.get("method", "GET") in SAFE_METHODS:
        return None
    headers = headers if headers is not None else _headers(scope)
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:  # set by the browser itself; pages cannot forge it
        if fetch_site in ("same-origin", "none"):
            return None
        return headers.get("origin") or f"sec-fetch-site: {fetch_site}"
    origin = headers.get("origin")
    if origin is not None:
        if origin == "null" or _normal(origin) != _own_origin(scope, headers):
            return origin
        return None
    if fetch_site is None and SESSION_COOKIE in headers.get("cookie", ""):
        return "(no Origin or Sec-Fetch-Site header on a cookie request)"
    return None


def _normal(origin: str) -> str:
    """``scheme://host[:port]`` with a default port dropped; a malformed origin comes back as it is
    (it then matches no server, so the request is refused)."""
    try:
        parts = urlsplit(origin.lower())
        port = parts.port  # ValueError for "http://host:abc" or a port out of range
    except ValueError:
        return origin
    default = {"http": 80, "https": 443}.get(parts.scheme)
    netloc = parts.netloc
    if port is not None and port == default:
        netloc = parts.hostname or netloc
    return f"{parts.scheme}://{netloc}"


class SecurityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = list(HEADERS)
        if not path.startswith(STATIC_PREFIX):
            extra.append(NO_STORE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in extra if k not in names
                ]
            await send(message)

        headers = _headers(scope)  # decoded once per request
        origin = cross_site(scope, headers)
        if origin is not None:
            await self._refuse(scope, origin, send_with_headers)
            return
        limit = body_limit(scope, headers)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit, send_with_headers)
            return
        state = {"started": False, "over": False}

        async def send_tracking(message: Message) -> None:
            if state["over"]:  # the framework turned our BodyTooLarge into its own error: say 413
                if not state["started"]:
                    state["started"] = True
                    await _too_large(limit, send_with_headers)
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, _capped(receive, limit, state), send_tracking)
        except BodyTooLarge:
            if not state["started"]:
                await _too_large(limit, send_with_headers)

    async def _refuse(self, scope: Scope, origin: str, send: Send) -> None:
        message = Errors.E510.format(origin=origin)
        app = scope.get("app")
        engine = getattr(getattr(app, "state", None), "engine", None)
        if engine is not None:
            client = scope.get("client")
            record_now(
                engine,
                AuditRecord(
                    AuditAction.CSRF_REFUSED,
                    None,
                    subject=scope.get("path"),
                    ip=client[0] if client else None,
                    detail=message,
                ),
            )
        body = json.dumps(error_body("E510", message, 403)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _capped(receive: Receive, limit: int, state: dict[str, bool]) -> Receive:
    """``receive`` that raises :class:`BodyTooLarge` (and notes it in ``state["over"]``) once more
    than ``limit`` bytes have come."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                state["over"] = True
                raise BodyTooLarge
        return message

    return wrapped


async def _too_large(limit: int, send: Send) -> None:
    message = f"the request body is over the limit of {limit} bytes"
    body = json.dumps(error_body("E102", f"[E102] {message}", 413)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
