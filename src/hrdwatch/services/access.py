"""The check every service runs first: :func:`require` raises E503 (or E504) when ``can`` says no."""

from __future__ import annotations

from hrdwatch.domain.users import Principal
from hrdwatch.errors import AccessError, Errors
from hrdwatch.security.permissions import Action, Guarded, can


def require(user: Principal | None, action: Action, resource: Guarded | None = None) -> Principal:
    """The user, if they may do ``action`` (on ``resource``); E504 for nobody, E503 for a refusal."""
    if user is None:
        raise AccessError(Errors.E504)
    if not can(user, action, resource):
        raise AccessError(Errors.E503, role=user.role.value, action=action.value)
    return user
