"""Open the configured database, migrated to the current schema."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade


def open_database(settings: Settings) -> Engine:
    """The engine for ``settings.db`` (SQLCipher when a key is set), schema upgraded."""
    engine = make_engine(settings.db, key=settings.key, busy_timeout=settings.busy_timeout)
    upgrade(engine)
    return engine
