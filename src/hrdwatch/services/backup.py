"""Back up the whole database and restore it into an empty place, both audited (admins only).

A backup is written under the database's own protection: a SQLCipher database is copied with
``VACUUM INTO`` and stays encrypted with the same key; PostgreSQL goes through ``pg_dump``. The
``database.backup`` event is appended first, so the backup holds its own record and its chain
ends at it. A restore copies the backup into a new database, checks its audit chain, and then
appends ``database.restore`` there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, HrdwatchError, StoreError
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record_now, verify_log
from hrdwatch.services.database import open_database
from hrdwatch.store import backup as copies
from hrdwatch.store.audit import ChainReport
from hrdwatch.store.engine import SQLITE_MAGIC, make_engine, sqlite_path


@dataclass(frozen=True, slots=True)
class BackupDone:
    path: Path
    method: str  # "VACUUM INTO" or "pg_dump"
    encrypted: bool  # a SQLCipher file under the database key
    size: int


@dataclass(frozen=True, slots=True)
class RestoreDone:
    source: Path
    chain: ChainReport  # the restored audit log, checked before the restore event was added


def backup(engine: Engine, settings: Settings, actor: Principal | None, destination: Path) -> BackupDone:
    """Copy the database at ``engine`` (opened from ``settings``) to ``destination``, a new file."""
    me = require(actor, Action.DATABASE_BACKUP)
    if destination.exists():
        raise StoreError(Errors.E317, operation="backup", reason=f"{destination} exists already")
    postgres = engine.dialect.name == "postgresql"
    method = "pg_dump" if postgres else "VACUUM INTO"
    event = AuditRecord(AuditAction.BACKUP, me.username, subject=str(destination), after={"method": method})
    record_now(engine, event)
    try:
        if postgres:
            copies.pg_dump(engine.url, destination)
        else:
            copies.vacuum_into(engine, destination)
    except HrdwatchError as e:
        failed = AuditRecord(AuditAction.BACKUP_FAILED, me.username, subject=str(destination), detail=e.code)
        record_now(engine, failed)
        raise
    encrypted = not postgres and settings.key is not None
    return BackupDone(destination, method, encrypted, destination.stat().st_size)


def restore(settings: Settings, actor: Principal | None, source: Path) -> RestoreDone:
    """Restore the backup ``source`` into ``settings.db``, which must be empty (E316).

    The restored audit chain must verify (E312), or the new database is removed again (SQLite)
    and the restore refused: a backup that was changed is not quietly taken back.
    """
    me = require(actor, Action.DATABASE_BACKUP)
    if not source.is_file():
        raise StoreError(Errors.E317, operation="restore", reason=f"{source}: no such file")
    url = make_url(settings.db)
    target = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if target is not None:
        _require_empty_file(target)
        _require_sqlite_backup(source, encrypted=settings.key is not None)
        copies.copy_file(source, target)
    else:
        probe = make_engine(settings.db, key=settings.key, busy_timeout=settings.busy_timeout)
        try:
            if not copies.is_empty(probe):
                raise StoreError(Errors.E316, target=url.render_as_string(hide_password=True))
        finally:
            probe.dispose()
        copies.pg_restore(source, probe.url)
    try:
        engine = open_database(settings)
        chain = verify_log(engine, me, key_file=settings.audit_key_file)
    except HrdwatchError:
        _discard(target)
        raise
    if not chain.ok:
        engine.dispose()
        _discard(target)
        where = f"row {chain.bad_row}: " if chain.bad_row is not None else ""
        raise StoreError(Errors.E312, reason=f"{where}{chain.reason} (in the backup {source})")
    record_now(
        engine,
        AuditRecord(
            AuditAction.RESTORE,
            me.username,
            subject=str(source),
            after={"head_id": chain.head_id, "head_hash": chain.head_hash},
        ),
    )
    engine.dispose()
    return RestoreDone(source, chain)


def _require_empty_file(target: Path) -> None:
    for path in (target, target.with_name(target.name + "-wal")):
        if path.exists() and path.stat().st_size > 0:
            raise StoreError(Errors.E316, target=target)


def _require_sqlite_backup(source: Path, *, encrypted: bool) -> None:
    """A plain SQLite backup starts with SQLite's header; an encrypted one cannot be told from
    noise until the key opens it, so only the plain case is checked before copying."""
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if not encrypted and head != SQLITE_MAGIC:
        reason = f"{source} is not a SQLite backup (an encrypted one needs HRDWATCH_KEY or --ask-key)"
        raise StoreError(Errors.E317, operation="restore", reason=reason)


def _discard(target: Path | None) -> None:
    if target is None:
        return
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
