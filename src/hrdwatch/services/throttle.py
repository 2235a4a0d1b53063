"""Login throttling: failed logins counted per user name, per client address and overall.

A login (or one-time code) takes a slot on each of its counters *before* the password is
checked, in one transaction that is committed at once; a success gives the slots back. The
counters are rows changed by conditional UPDATEs (see
:meth:`~hrdwatch.store.accounts.AccountRepository.reserve_attempt`), so however many requests
arrive together, no more than the limit are ever checked: the old count of audit rows let a
concurrent burst of 19 through a limit of 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.errors import AccessError, Errors, Message
from hrdwatch.services.audit import record
from hrdwatch.store.uow import UnitOfWork

MAX_FAILURES = 5  # per user name
FAILURE_WINDOW = timedelta(minutes=15)
TOTAL_KEY = "all"


@dataclass(frozen=True, slots=True)
class Slots:
    """The counters one attempt holds; :func:`release` gives them back when it succeeds."""

    keys: tuple[str, ...]


def _limits(settings: Settings, username: str, ip: str | None) -> list[tuple[str, int, Message]]:
    limits = [(f"user:{username}", MAX_FAILURES, Errors.E502)]
    if ip:
        limits.append((f"ip:{ip}", settings.login_max_failures_per_ip, Errors.E520))
    limits.append((TOTAL_KEY, settings.login_max_failures_total, Errors.E521))
    return limits


def reserve(
    engine: Engine,
    settings: Settings,
    *,
    username: str,
    ip: str | None,
    now: datetime,
    per_user_only: bool = False,
) -> Slots:
    """Take a slot on each counter, or none: E502/E520/E521 (logged) when one is full."""
    limits = _limits(settings, username, ip)[:1] if per_user_only else _limits(settings, username, ip)
    since = now - FAILURE_WINDOW
    with UnitOfWork(engine) as uow:
        for key, limit, message in limits:
            if not uow.accounts.reserve_attempt(key, limit=limit, since=since, now=now):
                uow.rollback()
                detail = message.format(username=username, minutes=_minutes())
                throttled = AuditRecord(
                    AuditAction.LOGIN_THROTTLED, None, subject=username, ip=ip, detail=detail
                )
                record(uow, throttled, at=now)
                uow.commit()
                raise AccessError(message, username=username, minutes=_minutes())
        uow.commit()
    return Slots(tuple(key for key, _, _ in limits))


def release(uow: UnitOfWork, slots: Slots) -> None:
    """The attempt succeeded: it is not a failure (in ``uow``'s transaction)."""
    for key in slots.keys:
        uow.accounts.release_attempt(key)


def _minutes() -> int:
    return int(FAILURE_WINDOW.total_seconds() // 60)
