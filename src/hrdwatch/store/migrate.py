"""Create or bring a database schema up to date with Alembic, run programmatically.

A fresh database is made by the migrations, never by ``metadata.create_all``, so every database
has a revision Alembic can upgrade from.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from hrdwatch.errors import Errors, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
#: made by migration 0003 with raw SQL (an FTS5 table and its shadow tables, a GIN expression
#: index) and not described in ``tables.py``: comparisons with the metadata leave them out
UNMODELLED = ("sources_fts", "ix_sources_fulltext")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's ``include_name``: skip the objects of :data:`UNMODELLED`."""
    return not (name and name.startswith(UNMODELLED))


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations, with ``connection`` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this hrdwatch knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the migrations folder has no revision")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: key of the PostgreSQL advisory lock held while migrating (any fixed 64-bit number)
MIGRATION_LOCK = 0x68726477_61746368


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision, in one transaction. E306 if the database is newer.

    Safe to race: on SQLite the transaction holds the write lock from its start (``BEGIN
    IMMEDIATE``, see :mod:`hrdwatch.store.engine`), on PostgreSQL an advisory lock; a second
    process waits, then finds the schema already at the head and does nothing.
    """
    script = ScriptDirectory.from_config(alembic_config())
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        found = MigrationContext.configure(conn).get_current_revision()
        if found is not None and found not in {rev.revision for rev in script.walk_revisions()}:
            raise StoreError(Errors.E306, found=found, known=script.get_current_head())
        command.upgrade(alembic_config(conn), "head")
