"""The audit repository: append events to a hash chain, read them back; never update or delete.

Each row's ``hash`` is the SHA-256 of its canonical form (:func:`row_hash`: sorted-key JSON of
every column, the time in ISO 8601 UTC, and ``prev_hash``, the hash of the row before), and its
``seal`` an HMAC of id and hash under a key kept outside the database
(:mod:`hrdwatch.security.crypto`). An append first locks the one-row ``audit_head`` (an UPDATE:
the SQLite write lock, a PostgreSQL row lock), so two writers never chain onto the same row.
:func:`verify_chain` walks the log and names the first row that does not hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditEntry, AuditRecord
from hrdwatch.errors import Errors, StoreError
from hrdwatch.security.crypto import AuditKey, load_audit_key
from hrdwatch.store import tables as t
from hrdwatch.store.damage import translate_damage

GENESIS = "0" * 64
#: the columns a row's hash covers (format v1; a new column needs a new format)
HASHED = (
    "id",
    "at",
    "actor",
    "action",
    "subject",
    "target_table",
    "target_id",
    "before",
    "after",
    "ip",
    "detail",
    "prev_hash",
)
_KEYS: dict[Path, AuditKey] = {}


def row_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical form of one row: :data:`HASHED`, sorted-key compact JSON."""
    doc = {name: fields[name] for name in HASHED}
    doc["at"] = fields["at"].astimezone(UTC).isoformat(timespec="microseconds")
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def audit_key(path: Path | None = None, *, create: bool = True) -> AuditKey:
    """The seal key from ``path`` (default: ``HRDWATCH_AUDIT_KEY_FILE``), read once per process;
    made on first use unless ``create`` is false (checking must never invent a key)."""
    path = (path or Settings.from_env().audit_key_file).expanduser().resolve()
    if path not in _KEYS:
        _KEYS[path] = load_audit_key(path, create=create)
    return _KEYS[path]


def _json(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """The value as it will read back from the JSON column (so the hash matches on reading)."""
    return None if value is None else dict(json.loads(json.dumps(value, allow_nan=False)))


class AuditRepository:
    def __init__(self, session: Session, *, key: AuditKey | None = None) -> None:
        self._session = session
        self._key = key

    def append(self, record: AuditRecord, *, at: datetime | None = None) -> int:
        key = self._key or audit_key()
        with translate_damage():
            last_id, last_hash = self._lock_head()
            fields: dict[str, Any] = {
                "id": last_id + 1,
                "at": (at or t.utcnow()).astimezone(UTC),
                "actor": record.actor,
                "action": record.action.value,
                "subject": record.subject,
                "target_table": record.target_table,
                "target_id": record.target_id,
                "before": _json(record.before),
                "after": _json(record.after),
                "ip": record.ip,
                "detail": record.detail,
                "prev_hash": last_hash,
            }
            digest = row_hash(fields)
            self._session.add(t.AuditEvent(**fields, hash=digest, seal=key.seal(fields["id"], digest)))
            self._session.flush()
            self._session.execute(
                update(t.AuditHead).where(t.AuditHead.id == 1).values(last_id=fields["id"], last_hash=digest)
            )
        return int(fields["id"])

    def _lock_head(self) -> tuple[int, str]:
        """Take the write lock (SQLite) or the head's row lock (PostgreSQL) and read the head."""
        head = self._session.execute(
            update(t.AuditHead)
            .where(t.AuditHead.id == 1)
            .values(last_id=t.AuditHead.last_id)
            .returning(t.AuditHead.last_id, t.AuditHead.last_hash)
        ).first()
        if head is None:
            raise StoreError(Errors.E312, reason="the audit head row is missing")
        return int(head.last_id), str(head.last_hash)

    def get(self, event_id: int) -> AuditEntry | None:
        with translate_damage():
            row = self._session.get(t.AuditEvent, event_id)
            return _entry(row) if row is not None else None

    def count_since(self, action: AuditAction, subject: str, since: datetime) -> int:
        stmt = (
            select(func.count())
            .select_from(t.AuditEvent)
            .where(t.AuditEvent.action == action.value)
            .where(t.AuditEvent.subject == subject)
            .where(t.AuditEvent.at >= since)
        )
        with translate_damage():
            return int(self._session.scalar(stmt) or 0)

    def last_at(self, actions: tuple[AuditAction, ...], subject: str) -> datetime | None:
        stmt = select(func.max(t.AuditEvent.at)).where(
            t.AuditEvent.action.in_([a.value for a in actions]), t.AuditEvent.subject == subject
        )
        with translate_damage():
            value = self._session.scalar(stmt)
        if value is not None and value.tzinfo is None:  # func.max bypasses the column type
            value = t.UTCDateTime().process_result_value(value, self._session.get_bind().dialect)
        return value

    def list(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target_id: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Newest first."""
        stmt = select(t.AuditEvent).order_by(t.AuditEvent.id.desc()).limit(limit).offset(offset)
        if actor is not None:
            stmt = stmt.where(t.AuditEvent.actor == actor)
        if action is not None:
            stmt = stmt.where(t.AuditEvent.action.like(action.replace("*", "%")))
        if target_id is not None:
            stmt = stmt.where(t.AuditEvent.target_id == target_id)
        if since is not None:
            stmt = stmt.where(t.AuditEvent.at >= since)
        with translate_damage():
            return [_entry(row) for row in self._session.scalars(stmt)]


def _entry(row: t.AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        action=row.action,
        actor=row.actor,
        subject=row.subject,
        target_table=row.target_table,
        target_id=row.target_id,
        before=row.before,
        after=row.after,
        ip=row.ip,
        detail=row.detail,
    )


# -- verification -------------------------------------------------------------------------------

#: the append-only guards as created by migration 0004 (compared whitespace-insensitively)
SQLITE_GUARDS = {
    f"audit_log_no_{verb.lower()}": f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
}
PG_GUARD_FUNCTION = "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END"
PG_GUARDS = [
    f"CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"{PG_GUARD_FUNCTION} $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]
_PG_TRIGGER = (
    "CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON public.audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of :func:`verify_chain`: ``ok``, or the first bad row (``None``: not a row) and why."""

    ok: bool
    rows: int
    head_id: int
    head_hash: str
    sealed: int  # rows with a valid seal under this key
    key_id: str
    bad_row: int | None = None
    reason: str | None = None


def _normal(sql: str) -> str:
    return " ".join(sql.split()).rstrip(";").lower()


def missing_guards(session: Session) -> str | None:
    """Why the append-only triggers do not stand as created, or None when they do."""
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(
            text(
                "SELECT pg_get_triggerdef(t.oid), t.tgenabled FROM pg_trigger t "
                "WHERE t.tgrelid = 'audit_log'::regclass AND NOT t.tgisinternal"
            )
        ).all()
        body = session.scalar(text("SELECT prosrc FROM pg_proc WHERE proname = 'audit_log_append_only'"))
        if [(_normal(d), e) for d, e in found] != [(_normal(_PG_TRIGGER), "O")]:
            return "the append-only trigger on audit_log was dropped, disabled or changed"
        if body is None or _normal(body) != _normal(PG_GUARD_FUNCTION):
            return "the append-only trigger function was replaced"
        return None
    rows = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
    ).all()
    if {name: _normal(sql) for name, sql in rows} != {n: _normal(s) for n, s in SQLITE_GUARDS.items()}:
        return "the append-only triggers on audit_log were dropped or changed"
    return None


def verify_chain(session: Session, key: AuditKey) -> ChainReport:
    """Check the guards, every link, hash and seal, and that the log ends at its head."""
    with translate_damage():
        return _verify(session, key)


def _verify(session: Session, key: AuditKey) -> ChainReport:
    rows = sealed = 0
    prev_id, prev_hash = 0, GENESIS

    def report(bad_row: int | None = None, reason: str | None = None) -> ChainReport:
        ok = reason is None
        return ChainReport(ok, rows, prev_id, prev_hash, sealed, key.key_id, bad_row, reason)

    problem = missing_guards(session)
    if problem is not None:
        return report(None, problem)
    columns = [t.AuditEvent.__table__.c[name] for name in (*HASHED, "hash", "seal")]
    result = session.execute(select(*columns).order_by(t.AuditEvent.id).execution_options(yield_per=1000))
    for mapping in result.mappings():
        row = dict(mapping)
        rows += 1
        problem = _link_problem(row, prev_id, prev_hash) or _row_problem(row, key, sealed)
        if problem is not None:
            return report(row["id"], problem)
        sealed += row["seal"] is not None
        prev_id, prev_hash = row["id"], row["hash"]
    head = session.get(t.AuditHead, 1)
    if head is None or (head.last_id, head.last_hash) != (prev_id, prev_hash):
        shown = f"row {head.last_id}" if head is not None else "no row (the head is missing)"
        return report(prev_id + 1, f"the log ends at row {prev_id} but its head names {shown}: rows deleted?")
    if rows and not sealed:
        return report(prev_id, "no row is sealed with this key: the log may have been rebuilt without it")
    return report()


def _link_problem(row: Mapping[str, Any], prev_id: int, prev_hash: str) -> str | None:
    if row["prev_hash"] == prev_hash:
        return None
    if prev_id == 0:
        return "the first row does not start the chain: earlier rows were deleted"
    if row["id"] > prev_id + 1:
        return f"it does not link to row {prev_id}: rows {prev_id + 1}-{row['id'] - 1} were deleted"
    return f"it does not link to row {prev_id}: a row was changed, removed or inserted before it"


def _row_problem(row: Mapping[str, Any], key: AuditKey, sealed_before: int) -> str | None:
    if row_hash(row) != row["hash"]:
        return "its content does not match its hash: the row was changed"
    seal = row["seal"]
    if seal is None:
        return "it is not sealed: written without the audit key (forged?)" if sealed_before else None
    if not seal.startswith(key.key_id + ":"):
        return f"it is sealed with another key ({seal.partition(':')[0]}), not this one ({key.key_id})"
    if not key.check(row["id"], row["hash"], seal):
        return "its seal does not match: the row was forged or its hash recomputed"
    return None
