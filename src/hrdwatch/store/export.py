"""A lossless, JSON-ready dump of every table: sources with their text, all facts, all evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hrdwatch.store.tables import Base

FORMAT = "hrdwatch-store"
VERSION = 1


def export_all(session: Session) -> dict[str, Any]:
    """``{"format", "version", "tables": {table name: [row dicts ordered by id]}}``."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
