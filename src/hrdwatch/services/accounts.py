"""Accounts: users, logins (password, then TOTP when enrolled), sessions with timeouts, API tokens.

Every login, failure, refusal and account change is written to the audit log. Five failed logins
for one user name within :data:`FAILURE_WINDOW` slow that account down: further attempts are
refused with E502 (HTTP 429) until the window has passed, and each refusal is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, Errors
from hrdwatch.security import passwords, tokens, totp
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record, record_now
from hrdwatch.store.accounts import Account, TokenRow
from hrdwatch.store.tables import utcnow
from hrdwatch.store.uow import UnitOfWork

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
TOUCH_EVERY = timedelta(seconds=30)  # write last_seen_at at most this often
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,62}")
_FAILURES = (AuditAction.LOGIN_FAILED, AuditAction.TOTP_FAILED)


@dataclass(frozen=True, slots=True)
class UserPublic:
    id: str
    username: str
    role: str
    totp_enrolled: bool
    totp_required: bool
    disabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LoginResult:
    session_secret: str  # the cookie value; only its SHA-256 is stored
    user: UserPublic
    pending_totp: bool  # the password was right; a one-time code (or enrolment) is still due


@dataclass(frozen=True, slots=True)
class NewToken:
    secret: str  # shown once
    id: str
    name: str


def cli_principal(os_user: str) -> Principal:
    """The operator at the command line: whoever can open the database file is its administrator."""
    return Principal(id="cli", username=f"cli:{os_user}", role=Role.ADMIN, via="cli")


def _public(account: Account) -> UserPublic:
    return UserPublic(
        account.id,
        account.username,
        account.role,
        account.totp_secret is not None,
        account.totp_required,
        account.disabled,
        account.created_at,
    )


def _principal(account: Account, via: str) -> Principal:
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
    return _public(account)


def list_users(engine: Engine, actor: Principal | None) -> list[UserPublic]:
    require(actor, Action.USER_MANAGE)
    with UnitOfWork(engine) as uow:
        return [_public(a) for a in uow.accounts.users()]


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
    return _public(account)


def _throttle(uow: UnitOfWork, username: str, now: datetime, ip: str | None) -> None:
    since = now - FAILURE_WINDOW
    failures = sum(uow.audit.count_since(action, username, since) for action in _FAILURES)
    if failures >= MAX_FAILURES:
        record(uow, AuditRecord(AuditAction.LOGIN_THROTTLED, None, subject=username, ip=ip), at=now)
        uow.commit()
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise AccessError(Errors.E502, username=username, minutes=minutes)


def login(
    engine: Engine,
    settings: Settings,
    *,
    username: str,
    password: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check the password; E502 when throttled, E501 for any wrong name, password or disabled user."""
    now = now or utcnow()
    with UnitOfWork(engine) as uow:
        _throttle(uow, username, now, ip)
        account = uow.accounts.user_by_name(username)
        ok = passwords.verify_password(account.password_hash if account else None, password)
        if account is None or not ok or account.disabled:
            record(uow, AuditRecord(AuditAction.LOGIN_FAILED, None, subject=username, ip=ip), at=now)
            uow.commit()
            raise AccessError(Errors.E501)
        if passwords.needs_rehash(account.password_hash):
            account = uow.accounts.update_user(account.id, password_hash=passwords.hash_password(password))
        pending = account.totp_secret is not None or account.totp_required
        secret = tokens.new_secret()
        uow.accounts.add_session(
            session_id=tokens.fingerprint(secret),
            user_id=account.id,
            expires_at=now + timedelta(hours=settings.session_max_hours),
            pending_totp=pending,
            now=now,
        )
        if not pending:
            record(
                uow, AuditRecord(AuditAction.LOGIN, account.username, subject=account.username, ip=ip), at=now
            )
        uow.commit()
    return LoginResult(secret, _public(account), pending)


def session_user(
    engine: Engine,
    settings: Settings,
    session_secret: str,
    *,
    allow_pending: bool = False,
    ip: str | None = None,
    now: datetime | None = None,
) -> Principal:
    """The user a session cookie belongs to. E504 when it is unknown, ended, idle or too old."""
    now = now or utcnow()
    session_id = tokens.fingerprint(session_secret)
    with UnitOfWork(engine) as uow:
        row = uow.accounts.session(session_id)
        account = uow.accounts.user(row.user_id) if row else None
        if row is None or account is None or row.ended_at is not None or account.disabled:
            raise AccessError(Errors.E504)
        idle = now - row.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        if idle or now >= row.expires_at:
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
        if now - row.last_seen_at >= TOUCH_EVERY:
            uow.accounts.update_session(session_id, last_seen_at=now)
            uow.commit()
        return _principal(account, "session")


def session_pending(engine: Engine, session_secret: str) -> bool:
    with UnitOfWork(engine) as uow:
        row = uow.accounts.session(tokens.fingerprint(session_secret))
        return bool(row and row.pending_totp)


def totp_status(engine: Engine, user: Principal) -> UserPublic:
    with UnitOfWork(engine) as uow:
        account = uow.accounts.user(user.id)
        if account is None:
            raise AccessError(Errors.E504)
        return _public(account)


def complete_totp(
    engine: Engine,
    settings: Settings,
    *,
    session_secret: str,
    code: str,
    enrol_secret: str | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Principal:
    """The second step of a login: check the code (against ``enrol_secret`` when enrolling now)."""
    now = now or utcnow()
    user = session_user(engine, settings, session_secret, allow_pending=True, ip=ip, now=now)
    with UnitOfWork(engine) as uow:
        _throttle(uow, user.username, now, ip)
        account = uow.accounts.user(user.id)
        if account is None:
            raise AccessError(Errors.E504)
        secret = account.totp_secret or enrol_secret
        if not secret or not totp.verify(secret, code, when=now.timestamp()):
            record(uow, AuditRecord(AuditAction.TOTP_FAILED, None, subject=user.username, ip=ip), at=now)
            uow.commit()
            raise AccessError(Errors.E505)
        if account.totp_secret is None:
            uow.accounts.update_user(account.id, totp_secret=secret)
            record(uow, AuditRecord(AuditAction.TOTP_ENROLLED, user.username, subject=user.username, ip=ip))
        uow.accounts.update_session(tokens.fingerprint(session_secret), pending_totp=False, last_seen_at=now)
        record(
            uow, AuditRecord(AuditAction.LOGIN, user.username, subject=user.username, ip=ip, detail="totp")
        )
        uow.commit()
    return user


def enrol_totp(
    engine: Engine, user: Principal | None, *, secret: str, code: str, ip: str | None = None
) -> UserPublic:
    """A logged-in user adds a second factor: ``secret`` was shown to them, ``code`` proves it works.

    Only once: a stolen session must not be able to swap the owner's authenticator (E519).
    """
    me = require(user, Action.SELF)
    with UnitOfWork(engine) as uow:
        current = uow.accounts.user(me.id)
        if current is not None and current.totp_secret is not None:
            raise AccessError(Errors.E519, username=me.username)
    if not totp.verify(secret, code):
        record_now(engine, AuditRecord(AuditAction.TOTP_FAILED, None, subject=me.username, ip=ip))
        raise AccessError(Errors.E505)
    with UnitOfWork(engine) as uow:
        account = uow.accounts.update_user(me.id, totp_secret=secret)
        record(uow, AuditRecord(AuditAction.TOTP_ENROLLED, me.username, subject=me.username, ip=ip))
        uow.commit()
    return _public(account)


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


def create_token(engine: Engine, user: Principal | None, *, name: str, ip: str | None = None) -> NewToken:
    """An API token for scripts, acting as ``user`` with ``user``'s role. The secret is shown once."""
    me = require(user, Action.SELF)
    secret = tokens.new_secret(tokens.API_TOKEN_PREFIX)
    with UnitOfWork(engine) as uow:
        row = uow.accounts.add_token(
            user_id=me.id, name=name.strip()[:100] or "token", token_hash=tokens.fingerprint(secret)
        )
        record(
            uow,
            AuditRecord(
                AuditAction.TOKEN_CREATED, me.username, target_table="api_tokens", target_id=row.id, ip=ip
            ),
        )
        uow.commit()
    return NewToken(secret, row.id, row.name)


def list_tokens(engine: Engine, user: Principal | None) -> list[TokenRow]:
    me = require(user, Action.SELF)
    with UnitOfWork(engine) as uow:
        return uow.accounts.tokens_of(me.id)


def revoke_token(engine: Engine, user: Principal | None, *, token_id: str, ip: str | None = None) -> None:
    me = require(user, Action.SELF)
    with UnitOfWork(engine) as uow:
        owned = {row.id for row in uow.accounts.tokens_of(me.id)}
        if token_id not in owned:
            raise AccessError(Errors.E511, kind="token", ident=token_id)
        uow.accounts.update_token(token_id, revoked_at=utcnow())
        record(
            uow,
            AuditRecord(
                AuditAction.TOKEN_REVOKED, me.username, target_table="api_tokens", target_id=token_id, ip=ip
            ),
        )
        uow.commit()


def token_user(engine: Engine, secret: str, *, now: datetime | None = None) -> Principal:
    """The user behind an API token. E517 when it is unknown or revoked (or its user disabled)."""
    with UnitOfWork(engine) as uow:
        row = uow.accounts.token_by_hash(tokens.fingerprint(secret))
        account = uow.accounts.user(row.user_id) if row else None
        if row is None or row.revoked_at is not None or account is None or account.disabled:
            raise AccessError(Errors.E517)
        now = now or utcnow()
        if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
            uow.accounts.update_token(row.id, last_used_at=now)
            uow.commit()
        return _principal(account, "token")


def has_users(engine: Engine) -> bool:
    """Whether any account exists (``serve`` says how to make the first admin when none does)."""
    with UnitOfWork(engine) as uow:
        return bool(uow.accounts.users())
