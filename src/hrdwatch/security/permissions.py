"""Named actions and the one function that decides who may do them: :func:`can`.

Every route and command names the :class:`Action` it needs; nothing else grants access. A
resource, when given, narrows the answer: a viewer may read an incident only once it is verified
and not marked confidential.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from hrdwatch.domain.review import IncidentStatus
from hrdwatch.domain.users import Principal, Role


class Action(StrEnum):
    PUBLIC = "public"  # no login needed: the login page, /healthz, static files
    SELF = "self"  # any logged-in user, about themselves: logout, own TOTP, own tokens
    RECORD_READ = "record.read"  # incidents, people, organisations (viewers: verified only)
    SOURCE_READ = "source.read"  # report text and unverified extraction
    SOURCE_UPLOAD = "source.upload"
    REVIEW = "review.decide"  # accept, reject, edit, add, undo, verify
    CASE_MANAGE = "case.manage"  # link, merge and split people and incidents; open, follow and close cases
    CONFIDENTIAL_READ = "confidential.read"
    CONFIDENTIAL_SET = "confidential.set"
    EXPORT = "export"
    AUDIT_READ = "audit.read"
    USER_MANAGE = "user.manage"  # create users, change roles, require TOTP
    SETTINGS_READ = "settings.read"  # the running configuration (secrets masked)
    API_DOCS = "api.docs"
    DATABASE_BACKUP = "database.backup"  # back up and restore the whole database (credentials too)


_VIEWER = frozenset({Action.SELF, Action.RECORD_READ, Action.API_DOCS})
_EDITOR = _VIEWER | {
    Action.SOURCE_READ,
    Action.SOURCE_UPLOAD,
    Action.REVIEW,
    Action.CASE_MANAGE,
    Action.CONFIDENTIAL_READ,
    Action.CONFIDENTIAL_SET,
    Action.EXPORT,
}
_ADMIN = _EDITOR | {Action.AUDIT_READ, Action.USER_MANAGE, Action.SETTINGS_READ, Action.DATABASE_BACKUP}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: _VIEWER,
    Role.EDITOR: frozenset(_EDITOR),
    Role.ADMIN: frozenset(_ADMIN),
}


class Guarded(Protocol):
    """A record with a verification status and a confidentiality mark."""

    @property
    def status(self) -> str: ...

    @property
    def confidential(self) -> bool: ...


def can(user: Principal | None, action: Action, resource: Guarded | None = None) -> bool:
    """Whether ``user`` (None: nobody logged in) may do ``action``, on ``resource`` if given."""
    if action is Action.PUBLIC:
        return True
    if user is None:
        return False
    if action not in ROLE_ACTIONS[user.role]:
        return False
    if resource is not None and not can(user, Action.CONFIDENTIAL_READ):
        return resource.status == IncidentStatus.VERIFIED.value and not resource.confidential
    return True


def sees_confidential(user: Principal | None) -> bool:
    """Whether confidential records and fields are shown to ``user`` (editors and admins)."""
    return can(user, Action.CONFIDENTIAL_READ)
