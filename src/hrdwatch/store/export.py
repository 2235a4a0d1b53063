"""A lossless, JSON-ready dump of every table: sources with their text, all facts, all evidence,
accounts (without credentials) and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hrdwatch.store.tables import Base

FORMAT = "hrdwatch-store"
VERSION = 1
#: credentials never leave the database: sessions and tokens are left out, users lose these columns;
#: ``audit_head`` only repeats the newest audit row (it is the lock appends take)
SKIPPED_TABLES = frozenset({"login_sessions", "api_tokens", "audit_head"})
SECRET_COLUMNS = frozenset({"password_hash", "totp_secret"})


def export_all(session: Session) -> dict[str, Any]:
    """``{"format", "version", "tables": {table name: [row dicts ordered by id]}}``."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        columns = [c for c in table.columns if c.name not in SECRET_COLUMNS]
        rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
