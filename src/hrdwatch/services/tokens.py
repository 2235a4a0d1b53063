"""API tokens for scripts: a token acts as its user, with that user's role, until revoked.

The secret (``hrdw_...``) is shown once; only its SHA-256 is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.errors import AccessError, Errors
from hrdwatch.security import tokens
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record
from hrdwatch.services.users import TOUCH_EVERY, principal_of
from hrdwatch.store.accounts import TokenRow
from hrdwatch.store.tables import utcnow
from hrdwatch.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class NewToken:
    secret: str  # shown once
    id: str
    name: str


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
    with UnitOfWork(engine, read_only=True) as uow:
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


def token_user(
    engine: Engine, secret: str, *, now: datetime | None = None, _write: bool = False
) -> Principal:
    """The user behind an API token. E517 when it is unknown or revoked (or its user disabled)."""
    now = now or utcnow()
    with UnitOfWork(engine, read_only=not _write) as uow:
        row = uow.accounts.token_by_hash(tokens.fingerprint(secret))
        account = uow.accounts.user(row.user_id) if row else None
        if row is None or row.revoked_at is not None or account is None or account.disabled:
            raise AccessError(Errors.E517)
        if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
            if not _write:  # asked on every request: take the write lock only to touch it
                return token_user(engine, secret, now=now, _write=True)
            uow.accounts.update_token(row.id, last_used_at=now)
            uow.commit()
        return principal_of(account, "token")
