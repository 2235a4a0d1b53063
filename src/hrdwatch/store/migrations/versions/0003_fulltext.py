"""Full-text search over reports: FTS5 on SQLite (kept in step by triggers), GIN on PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    """CREATE VIRTUAL TABLE sources_fts USING fts5(
        source_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')""",
    "INSERT INTO sources_fts (source_id, title, text) SELECT id, coalesce(title, ''), text FROM sources",
    """CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
        INSERT INTO sources_fts (source_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
    END""",
    """CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
        DELETE FROM sources_fts WHERE source_id = old.id;
    END""",
    """CREATE TRIGGER sources_fts_update AFTER UPDATE OF id, title, text ON sources BEGIN
        DELETE FROM sources_fts WHERE source_id = old.id;
        INSERT INTO sources_fts (source_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
    END""",
]
_SQLITE_DOWN = [
    "DROP TRIGGER sources_fts_update",
    "DROP TRIGGER sources_fts_delete",
    "DROP TRIGGER sources_fts_insert",
    "DROP TABLE sources_fts",
]
_PG_UP = [
    """CREATE INDEX ix_sources_fulltext ON sources
    USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || text))""",
]
_PG_DOWN = ["DROP INDEX ix_sources_fulltext"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(_PG_UP if op.get_bind().dialect.name == "postgresql" else _SQLITE_UP)


def downgrade() -> None:
    _run(_PG_DOWN if op.get_bind().dialect.name == "postgresql" else _SQLITE_DOWN)
