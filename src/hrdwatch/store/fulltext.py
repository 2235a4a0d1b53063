"""Full-text search over reports: SQLite FTS5, PostgreSQL ``tsvector`` with a GIN index.

Migration ``0003`` creates the index (and, on SQLite, the ``sources_fts`` table kept in step with
``sources`` by triggers). A query is cut into words; a report is a candidate when each word
starts a word of its title or text, in any case. Everything else of the user's text is dropped,
so the search syntax of neither database can be injected. The caller then checks the exact
substring on the few candidates (:func:`hrdwatch.store.search.search_incidents` does).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    MetaData,
    Select,
    String,
    Table,
    Text,
    func,
    literal_column,
    select,
)
from sqlalchemy.engine import Dialect

from hrdwatch.store import tables as t

FTS_TABLE = "sources_fts"
PG_CONFIG = "simple"  # no stemming: names and places must match as written
_WORD = re.compile(r"[^\W_]+")

#: the SQLite index, outside ``Base.metadata`` (Alembic must not try to manage a virtual table)
sources_fts = Table(
    FTS_TABLE,
    MetaData(),
    Column("source_id", String(32)),
    Column("title", Text),
    Column("text", Text),
)


def words(q: str) -> list[str]:
    return _WORD.findall(q)


def pg_document() -> ColumnElement[object]:
    """The indexed expression (the GIN index in migration 0003 is on exactly this)."""
    body = func.coalesce(t.Source.title, "").op("||")(" ").op("||")(t.Source.text)
    return func.to_tsvector(PG_CONFIG, body)


def matching_sources(q: str, dialect: Dialect) -> Select[Any] | None:
    """The ids of sources whose title or text has every word of ``q``; None when ``q`` has none."""
    found = words(q)
    if not found:
        return None
    if dialect.name == "postgresql":
        query = " & ".join(f"{w}:*" for w in found)
        return select(t.Source.id).where(pg_document().op("@@")(func.to_tsquery(PG_CONFIG, query)))
    query = " ".join(f'"{w}"*' for w in found)
    return select(sources_fts.c.source_id).where(literal_column(FTS_TABLE).op("MATCH")(query))
