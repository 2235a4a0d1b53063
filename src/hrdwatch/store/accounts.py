"""Users, login sessions and API tokens. Rows in, frozen :class:`Account` views out; no commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hrdwatch.store import tables as t

_Row = TypeVar("_Row", t.User, t.LoginSession, t.ApiToken)


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    username: str
    role: str
    password_hash: str
    totp_secret: str | None
    totp_required: bool
    disabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    user_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    pending_totp: bool


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: str
    user_id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # users
    def add_user(self, *, username: str, password_hash: str, role: str) -> Account:
        row = t.User(id=t.new_id(), username=username, password_hash=password_hash, role=role)
        row.created_at = t.utcnow()
        row.totp_required = False
        row.disabled = False
        self._session.add(row)
        self._session.flush()
        return _account(row)

    def user_by_name(self, username: str) -> Account | None:
        row = self._session.scalars(select(t.User).where(t.User.username == username)).first()
        return _account(row) if row else None

    def user(self, user_id: str) -> Account | None:
        row = self._session.get(t.User, user_id)
        return _account(row) if row else None

    def users(self) -> list[Account]:
        return [_account(r) for r in self._session.scalars(select(t.User).order_by(t.User.username))]

    def update_user(self, user_id: str, **values: object) -> Account:
        return _account(self._update(t.User, user_id, values))

    def use_totp_step(self, user_id: str, step: int) -> bool:
        """Record ``step`` as the user's last accepted one-time code; False (nothing changed) when a
        code of that step or a later one was accepted before: a replay. One conditional UPDATE."""
        last = t.User.totp_last_step
        stmt = (
            update(t.User)
            .where(t.User.id == user_id, last.is_(None) | (last < step))
            .values(totp_last_step=step)
        )
        return self._changed(stmt)

    # failed-login counters
    def reserve_attempt(self, key: str, *, limit: int, since: datetime, now: datetime) -> bool:
        """Take one of ``limit`` slots of ``key`` in the window that started after ``since``.

        Atomic on SQLite and PostgreSQL (conditional UPDATEs on one row), so concurrent callers
        never get more than ``limit`` slots between them. A window older than ``since`` restarts.
        """
        counter = t.LoginCounter
        self._insert_counter(key, now)
        restart = update(counter).where(counter.key == key, counter.window_start < since)
        if self._changed(restart.values(count=1, window_start=now)):
            return True
        take = update(counter).where(counter.key == key, counter.count < limit)
        return self._changed(take.values(count=counter.count + 1))

    def release_attempt(self, key: str) -> None:
        """Give back a slot taken by :meth:`reserve_attempt` (the attempt succeeded)."""
        counter = t.LoginCounter
        self._session.execute(
            update(counter).where(counter.key == key, counter.count > 0).values(count=counter.count - 1)
        )

    def _insert_counter(self, key: str, now: datetime) -> None:
        values = {"key": key, "window_start": now, "count": 0}
        if self._session.get_bind().dialect.name == "postgresql":
            pg = postgresql.insert(t.LoginCounter).values(**values).on_conflict_do_nothing()
            self._session.execute(pg)
        else:
            lite = sqlite.insert(t.LoginCounter).values(**values).on_conflict_do_nothing()
            self._session.execute(lite)

    def _changed(self, stmt: Update) -> bool:
        result = self._session.execute(stmt, execution_options={"synchronize_session": False})
        return isinstance(result, CursorResult) and result.rowcount == 1

    # sessions
    def add_session(
        self, *, session_id: str, user_id: str, expires_at: datetime, pending_totp: bool, now: datetime
    ) -> None:
        self._session.add(
            t.LoginSession(
                id=session_id,
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=expires_at,
                pending_totp=pending_totp,
            )
        )
        self._session.flush()

    def session(self, session_id: str) -> SessionRow | None:
        row = self._session.get(t.LoginSession, session_id)
        return _session_row(row) if row else None

    def update_session(self, session_id: str, **values: object) -> None:
        self._update(t.LoginSession, session_id, values)

    def end_sessions_of(self, user_id: str, *, at: datetime) -> None:
        stmt = select(t.LoginSession).where(
            t.LoginSession.user_id == user_id, t.LoginSession.ended_at.is_(None)
        )
        for row in self._session.scalars(stmt):
            row.ended_at = at
        self._session.flush()

    # API tokens
    def add_token(self, *, user_id: str, name: str, token_hash: str) -> TokenRow:
        row = t.ApiToken(id=t.new_id(), user_id=user_id, name=name, token_hash=token_hash)
        row.created_at = t.utcnow()
        self._session.add(row)
        self._session.flush()
        return _token(row)

    def token_by_hash(self, token_hash: str) -> TokenRow | None:
        row = self._session.scalars(select(t.ApiToken).where(t.ApiToken.token_hash == token_hash)).first()
        return _token(row) if row else None

    def tokens_of(self, user_id: str) -> list[TokenRow]:
        stmt = select(t.ApiToken).where(t.ApiToken.user_id == user_id).order_by(t.ApiToken.created_at)
        return [_token(r) for r in self._session.scalars(stmt)]

    def update_token(self, token_id: str, **values: object) -> None:
        self._update(t.ApiToken, token_id, values)

    def _update(self, table: type[_Row], ident: str, values: dict[str, object]) -> _Row:
        row = self._session.get_one(table, ident)
        for name, value in values.items():
            setattr(row, name, value)
        self._session.flush()
        return row


def _account(row: t.User) -> Account:
    return Account(
        row.id,
        row.username,
        row.role,
        row.password_hash,
        row.totp_secret,
        bool(row.totp_required),
        bool(row.disabled),
        row.created_at,
    )


def _session_row(row: t.LoginSession) -> SessionRow:
    return SessionRow(
        row.id,
        row.user_id,
        row.created_at,
        row.last_seen_at,
        row.expires_at,
        row.ended_at,
        bool(row.pending_totp),
    )


def _token(row: t.ApiToken) -> TokenRow:
    return TokenRow(row.id, row.user_id, row.name, row.created_at, row.last_used_at, row.revoked_at)
