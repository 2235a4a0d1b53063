"""Who is asking, and may they: the dependencies every route declares.

A route names its action with ``dependencies=[requires(Action.X)]`` or takes the principal as a
parameter, ``user: Principal = requires(Action.X)``. :func:`declared_action` reads that back, so a
test can refuse a route that declares none. The user comes from an ``Authorization: Bearer`` API
token, else from the session cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.users import Principal
from hrdwatch.errors import AccessError, Errors
from hrdwatch.security.permissions import Action, can
from hrdwatch.services import accounts
from hrdwatch.services.extraction import RecordExtractor

SESSION_COOKIE = "hrdwatch_session"
_ACTION_ATTR = "__hrdwatch_action__"


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def extractor_of(request: Request) -> RecordExtractor:
    """The app's extractor: spaCy loads on the first upload, not at start-up."""
    extractor: RecordExtractor = request.app.state.extractor.get()
    return extractor


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_user(request: Request) -> Principal | None:
    """The principal for this request, or None. A bad token is an error; a bad cookie is nobody."""
    if getattr(request.state, "principal_known", False):
        cached: Principal | None = request.state.principal
        return cached
    user: Principal | None = None
    token = bearer_token(request)
    if token is not None:
        user = accounts.token_user(engine_of(request), token)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        try:
            user = accounts.session_user(
                engine_of(request), settings_of(request), cookie, ip=client_ip(request)
            )
        except AccessError:
            user = None
    request.state.principal = user
    request.state.principal_known = True
    return user


def requires(action: Action) -> Any:
    """A dependency that lets the request through only if ``can(user, action)``; yields the user.

    Nobody logged in gets E504 (401, or the login page), a refusal E503 (403).
    """

    def check(request: Request) -> Principal | None:
        if action is Action.PUBLIC:
            return None  # no lookup (health checks stay cheap): a public route that cares calls current_user
        user = current_user(request)
        if can(user, action):
            return user
        if user is None:
            raise AccessError(Errors.E504)
        raise AccessError(Errors.E503, role=user.role.value, action=action.value)

    setattr(check, _ACTION_ATTR, action)
    check.__name__ = f"requires_{action.name.lower()}"
    return Depends(check)


def declared_action(route: APIRoute) -> Action | None:
    """The action a route declared through :func:`requires` (None: it declared none)."""
    for dependency in route.dependant.dependencies:
        call: Callable[..., Any] | None = dependency.call
        action = getattr(call, _ACTION_ATTR, None)
        if action is not None:
            return action  # type: ignore[no-any-return]
    return None
