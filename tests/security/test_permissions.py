"""The one decision function: named actions per role, narrowed by the resource for viewers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hrdwatch.domain.users import Principal, Role
from hrdwatch.security.permissions import ROLE_ACTIONS, Action, can, sees_confidential


def user(role: Role) -> Principal:
    return Principal(id="u1", username="tess.amaro", role=role)


@dataclass(frozen=True)
class Record:
    status: str
    confidential: bool = False


def test_nobody_may_do_only_public_things() -> None:
    assert can(None, Action.PUBLIC)
    assert not any(can(None, action) for action in Action if action is not Action.PUBLIC)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.RECORD_READ, {Role.VIEWER, Role.EDITOR, Role.ADMIN}),
        (Action.SOURCE_READ, {Role.EDITOR, Role.ADMIN}),
        (Action.SOURCE_UPLOAD, {Role.EDITOR, Role.ADMIN}),
        (Action.REVIEW, {Role.EDITOR, Role.ADMIN}),
        (Action.CASE_MANAGE, {Role.EDITOR, Role.ADMIN}),
        (Action.EXPORT, {Role.EDITOR, Role.ADMIN}),
        (Action.AUDIT_READ, {Role.ADMIN}),
        (Action.USER_MANAGE, {Role.ADMIN}),
    ],
)
def test_roles_get_exactly_their_actions(action: Action, allowed: set[Role]) -> None:
    assert {role for role in Role if can(user(role), action)} == allowed


def test_each_role_includes_the_one_below() -> None:
    assert ROLE_ACTIONS[Role.VIEWER] < ROLE_ACTIONS[Role.EDITOR] < ROLE_ACTIONS[Role.ADMIN]


@pytest.mark.parametrize(
    ("record", "viewer_may"),
    [
        (Record("verified"), True),
        (Record("verified", confidential=True), False),
        (Record("in_review"), False),
        (Record("extracted"), False),
    ],
)
def test_viewer_reads_only_verified_open_records(record: Record, viewer_may: bool) -> None:
    assert can(user(Role.VIEWER), Action.RECORD_READ, record) is viewer_may
    assert can(user(Role.EDITOR), Action.RECORD_READ, record)


def test_only_editors_and_admins_see_confidential() -> None:
    assert not sees_confidential(None)
    assert not sees_confidential(user(Role.VIEWER))
    assert sees_confidential(user(Role.EDITOR)) and sees_confidential(user(Role.ADMIN))
