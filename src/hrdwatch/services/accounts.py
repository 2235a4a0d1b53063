"""Logins (password, then TOTP when enrolled) and browser sessions with idle and absolute timeouts.

User management lives in :mod:`hrdwatch.services.users` and API tokens in
:mod:`hrdwatch.services.tokens`; both are re-exported here, so callers have one module for
accounts. Every login, failure, refusal and account change is written to the audit log.

Failed logins are limited per user name (5 in :data:`FAILURE_WINDOW`, then E502), per client
address and over the whole server (E520, E521; see :mod:`hrdwatch.services.throttle`), counted
atomically before the password is checked. A one-time code works once: the time step of the last
accepted code is stored and an older or equal one is refused. The session id changes when the
second factor completes, so a cookie seen before it opens nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.errors import AccessError, Errors
from hrdwatch.security import passwords, tokens, totp
from hrdwatch.security.permissions import Action
from hrdwatch.services import throttle
from hrdwatch.services.access import require
from hrdwatch.services.audit import record, record_now
from hrdwatch.services.throttle import FAILURE_WINDOW, MAX_FAILURES
from hrdwatch.services.tokens import NewToken, create_token, list_tokens, revoke_token, token_user
from hrdwatch.services.users import (
    TOUCH_EVERY,
    UserPublic,
    cli_principal,
    create_user,
    has_users,
    list_users,
    parse_role,
    principal_of,
    public_of,
    update_user,
)
from hrdwatch.store.tables import utcnow
from hrdwatch.store.uow import UnitOfWork

__all__ = [
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "LoginResult",
    "NewToken",
    "UserPublic",
    "cli_principal",
    "complete_totp",
    "create_token",
    "create_user",
    "enrol_totp",
    "has_users",
    "list_tokens",
    "list_users",
    "login",
    "logout",
    "parse_role",
    "revoke_token",
    "session_pending",
    "session_user",
    "token_user",
    "totp_status",
    "update_user",
]


@dataclass(frozen=True, slots=True)
class LoginResult:
    session_secret: str  # the cookie value; only its SHA-256 is stored
    user: UserPublic
    pending_totp: bool  # the password was right; a one-time code (or enrolment) is still due


def login(
    engine: Engine,
    settings: Settings,
    *,
    username: str,
    password: str,
    ip: str | None = None,
    previous_session: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check the password; E502/E520/E521 when throttled, E501 for any wrong name, password or
    disabled user. The session the browser held before (``previous_session``) is ended."""
    now = now or utcnow()
    slots = throttle.reserve(engine, settings, username=username, ip=ip, now=now)
    with UnitOfWork(engine) as uow:
        account = uow.accounts.user_by_name(username)
        ok = passwords.verify_password(account.password_hash if account else None, password)
        if account is None or not ok or account.disabled:
            record(uow, AuditRecord(AuditAction.LOGIN_FAILED, None, subject=username, ip=ip), at=now)
            uow.commit()
            raise AccessError(Errors.E501)
        throttle.release(uow, slots)
        if passwords.needs_rehash(account.password_hash):
            account = uow.accounts.update_user(account.id, password_hash=passwords.hash_password(password))
        if previous_session:
            _end_session(uow, previous_session, now)
        pending = account.totp_secret is not None or account.totp_required
        secret = _new_session(uow, settings, account.id, pending=pending, now=now)
        if not pending:
            record(
                uow, AuditRecord(AuditAction.LOGIN, account.username, subject=account.username, ip=ip), at=now
            )
        uow.commit()
    return LoginResult(secret, public_of(account), pending)


def _new_session(uow: UnitOfWork, settings: Settings, user_id: str, *, pending: bool, now: datetime) -> str:
    """A new session row; its secret (for the cookie) is returned, only its SHA-256 is stored."""
    secret = tokens.new_secret()
    uow.accounts.add_session(
        session_id=tokens.fingerprint(secret),
        user_id=user_id,
        expires_at=now + timedelta(hours=settings.session_max_hours),
        pending_totp=pending,
        now=now,
    )
    return secret


def _end_session(uow: UnitOfWork, session_secret: str, now: datetime) -> None:
    session_id = tokens.fingerprint(session_secret)
    row = uow.accounts.session(session_id)
    if row is not None and row.ended_at is None:
        uow.accounts.update_session(session_id, ended_at=now)


def session_user(
    engine: Engine,
    settings: Settings,
    session_secret: str,
    *,
    allow_pending: bool = False,
    ip: str | None = None,
    now: datetime | None = None,
    _write: bool = False,
) -> Principal:
    """The user a session cookie belongs to. E504 when it is unknown, ended, idle or too old.

    Asked on every request, so it reads without waiting for writers; only when the session must
    be ended or touched does it look again in a writing unit of work (``_write``) and change it.
    """
    now = now or utcnow()
    session_id = tokens.fingerprint(session_secret)
    with UnitOfWork(engine, read_only=not _write) as uow:
        row = uow.accounts.session(session_id)
        account = uow.accounts.user(row.user_id) if row else None
        if row is None or account is None or row.ended_at is not None or account.disabled:
            raise AccessError(Errors.E504)
        idle = now - row.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        expired = idle or now >= row.expires_at
        stale = now - row.last_seen_at >= TOUCH_EVERY and not (row.pending_totp and not allow_pending)
        if (expired or stale) and not _write:
            return session_user(
                engine, settings, session_secret, allow_pending=allow_pending, ip=ip, now=now, _write=True
            )
        if expired:
            uow.accounts.update_session(session_id, ended_at=now)
            reason = "idle timeout" if idle else "absolute timeout"
            record(
                uow,
                AuditRecord(
                    AuditAction.SESSION_EXPIRED,
                    account.username,
                    subject=account.username,
                    ip=ip,
                    detail=reason,
                ),
                at=now,
            )
            uow.commit()
            raise AccessError(Errors.E504)
        if row.pending_totp and not allow_pending:
            raise AccessError(Errors.E504)
        if stale:
            uow.accounts.update_session(session_id, last_seen_at=now)
            uow.commit()
        return principal_of(account, "session")


def session_pending(engine: Engine, session_secret: str) -> bool:
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.accounts.session(tokens.fingerprint(session_secret))
        return bool(row and row.pending_totp)


def totp_status(engine: Engine, user: Principal) -> UserPublic:
    with UnitOfWork(engine) as uow:
        account = uow.accounts.user(user.id)
        if account is None:
            raise AccessError(Errors.E504)
        return public_of(account)


def complete_totp(
    engine: Engine,
    settings: Settings,
    *,
    session_secret: str,
    code: str,
    enrol_secret: str | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """The second step of a login: check the code (against ``enrol_secret`` when enrolling now).

    The half-open session ends and a new one is returned: its secret replaces the cookie. A code
    already used (its time step or an earlier one) is refused like a wrong one (E505).
    """
    now = now or utcnow()
    user = session_user(engine, settings, session_secret, allow_pending=True, ip=ip, now=now)
    slots = throttle.reserve(engine, settings, username=user.username, ip=ip, now=now, per_user_only=True)
    with UnitOfWork(engine) as uow:
        account = uow.accounts.user(user.id)
        if account is None:
            raise AccessError(Errors.E504)
        secret = account.totp_secret or enrol_secret
        step = totp.matching_step(secret, code, when=now.timestamp()) if secret else None
        if step is None or not uow.accounts.use_totp_step(account.id, step):
            uow.rollback()
            record(uow, AuditRecord(AuditAction.TOTP_FAILED, None, subject=user.username, ip=ip), at=now)
            uow.commit()
            raise AccessError(Errors.E505)
        throttle.release(uow, slots)
        if account.totp_secret is None:
            uow.accounts.update_user(account.id, totp_secret=secret)
            record(uow, AuditRecord(AuditAction.TOTP_ENROLLED, user.username, subject=user.username, ip=ip))
        _end_session(uow, session_secret, now)
        new_secret = _new_session(uow, settings, account.id, pending=False, now=now)
        record(
            uow, AuditRecord(AuditAction.LOGIN, user.username, subject=user.username, ip=ip, detail="totp")
        )
        uow.commit()
        account = uow.accounts.user(user.id) or account
    return LoginResult(new_secret, public_of(account), pending_totp=False)


def enrol_totp(
    engine: Engine,
    user: Principal | None,
    *,
    secret: str,
    code: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> UserPublic:
    """A logged-in user adds a second factor: ``secret`` was shown to them, ``code`` proves it works.

    Only once: a stolen session must not be able to swap the owner's authenticator (E519). The
    code's time step is stored, so the same code cannot then complete a login.
    """
    me = require(user, Action.SELF)
    now = now or utcnow()
    with UnitOfWork(engine) as uow:
        current = uow.accounts.user(me.id)
        if current is not None and current.totp_secret is not None:
            raise AccessError(Errors.E519, username=me.username)
    step = totp.matching_step(secret, code, when=now.timestamp())
    if step is None:
        record_now(engine, AuditRecord(AuditAction.TOTP_FAILED, None, subject=me.username, ip=ip))
        raise AccessError(Errors.E505)
    with UnitOfWork(engine) as uow:
        account = uow.accounts.update_user(me.id, totp_secret=secret, totp_last_step=step)
        record(uow, AuditRecord(AuditAction.TOTP_ENROLLED, me.username, subject=me.username, ip=ip))
        uow.commit()
    return public_of(account)


def logout(engine: Engine, session_secret: str, *, ip: str | None = None) -> None:
    session_id = tokens.fingerprint(session_secret)
    with UnitOfWork(engine) as uow:
        row = uow.accounts.session(session_id)
        if row is None or row.ended_at is not None:
            return
        account = uow.accounts.user(row.user_id)
        uow.accounts.update_session(session_id, ended_at=utcnow())
        name = account.username if account else None
        record(uow, AuditRecord(AuditAction.LOGOUT, name, subject=name, ip=ip))
        uow.commit()
