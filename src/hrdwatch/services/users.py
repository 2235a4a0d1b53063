"""User accounts: create them, list them, change a role, require or reset TOTP, disable.

Every change is one audit event with the values before and after. Only admins (the
``user.manage`` action) may do any of it; at the command line the operator is the admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, Errors
from hrdwatch.security import passwords
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record
from hrdwatch.store.accounts import Account
from hrdwatch.store.tables import utcnow
from hrdwatch.store.uow import UnitOfWork

_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,62}")
TOUCH_EVERY = timedelta(seconds=30)  # write a session's or token's last use at most this often


@dataclass(frozen=True, slots=True)
class UserPublic:
    id: str
    username: str
    role: str
    totp_enrolled: bool
    totp_required: bool
    disabled: bool
    created_at: datetime


def cli_principal(os_user: str) -> Principal:
    """The operator at the command line: whoever can open the database file is its administrator."""
    return Principal(id="cli", username=f"cli:{os_user}", role=Role.ADMIN, via="cli")


def public_of(account: Account) -> UserPublic:
    return UserPublic(
        account.id,
        account.username,
        account.role,
        account.totp_secret is not None,
        account.totp_required,
        account.disabled,
        account.created_at,
    )


def principal_of(account: Account, via: str) -> Principal:
    return Principal(id=account.id, username=account.username, role=Role(account.role), via=via)


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError as e:
        raise AccessError(Errors.E509, role=value, roles=", ".join(r.value for r in Role)) from e


def create_user(
    engine: Engine, actor: Principal | None, *, username: str, password: str, role: str, ip: str | None = None
) -> UserPublic:
    """A new account. E506 if the name is taken, E508 for a short password, E518 for a bad name."""
    admin = require(actor, Action.USER_MANAGE)
    if not _USERNAME.fullmatch(username):
        raise AccessError(Errors.E518, username=username, reason="use 2-63 letters, digits, . _ @ -")
    chosen = parse_role(role)
    hashed = passwords.hash_password(password)
    with UnitOfWork(engine) as uow:
        if uow.accounts.user_by_name(username) is not None:
            raise AccessError(Errors.E506, username=username)
        account = uow.accounts.add_user(username=username, password_hash=hashed, role=chosen.value)
        record(
            uow,
            AuditRecord(
                AuditAction.USER_CREATED,
                admin.username,
                subject=username,
                target_table="users",
                target_id=account.id,
                after={"username": username, "role": chosen.value},
                ip=ip,
            ),
        )
        uow.commit()
    return public_of(account)


def list_users(engine: Engine, actor: Principal | None) -> list[UserPublic]:
    require(actor, Action.USER_MANAGE)
    with UnitOfWork(engine, read_only=True) as uow:
        return [public_of(a) for a in uow.accounts.users()]


def update_user(
    engine: Engine,
    actor: Principal | None,
    *,
    username: str,
    role: str | None = None,
    totp_required: bool | None = None,
    disabled: bool | None = None,
    reset_totp: bool = False,
    ip: str | None = None,
) -> UserPublic:
    """Change a user's role, TOTP requirement or disabled flag, or remove their enrolled
    authenticator (``reset_totp``: they enrol a new one at their next login if TOTP is required);
    each change is one audit event, and all but the TOTP requirement end the user's sessions."""
    admin = require(actor, Action.USER_MANAGE)
    changes: list[tuple[AuditAction, str, object]] = []
    if role is not None:
        changes.append((AuditAction.ROLE_CHANGED, "role", parse_role(role).value))
    if totp_required is not None:
        changes.append((AuditAction.TOTP_REQUIRED, "totp_required", totp_required))
    if disabled is not None:
        changes.append((AuditAction.USER_DISABLED, "disabled", disabled))
    if reset_totp:
        changes.append((AuditAction.TOTP_RESET, "totp_secret", None))
    with UnitOfWork(engine) as uow:
        account = uow.accounts.user_by_name(username)
        if account is None:
            raise AccessError(Errors.E507, username=username)
        for action, name, value in changes:
            before = getattr(account, name)
            account = uow.accounts.update_user(account.id, **{name: value})
            if name == "totp_secret":  # never write a secret into the log: say whether there was one
                before, value = before is not None, False
            record(
                uow,
                AuditRecord(
                    action,
                    admin.username,
                    subject=username,
                    target_table="users",
                    target_id=account.id,
                    before={name: before},
                    after={name: value},
                    ip=ip,
                ),
            )
        if disabled or role is not None or reset_totp:
            uow.accounts.end_sessions_of(account.id, at=utcnow())
        uow.commit()
    return public_of(account)


def has_users(engine: Engine) -> bool:
    """Whether any account exists (``serve`` says how to make the first admin when none does)."""
    with UnitOfWork(engine, read_only=True) as uow:
        return bool(uow.accounts.users())
