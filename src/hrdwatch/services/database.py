"""Open the configured database, migrated to the current schema."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from hrdwatch.config import Settings
from hrdwatch.errors import Errors, StoreError
from hrdwatch.store.damage import is_damage, translate_damage
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade


def open_database(settings: Settings) -> Engine:
    """The engine for ``settings.db`` (SQLCipher when a key is set), schema upgraded."""
    engine = make_engine(settings.db, key=settings.key, busy_timeout=settings.busy_timeout)
    with translate_damage():
        upgrade(engine)
    return engine


def coded_failure(error: SQLAlchemyError) -> StoreError:
    """The coded error for a database failure no service expected: E311 for a damaged page
    (SQLCipher's HMAC, a malformed file), else E318 with the driver's first line."""
    if isinstance(error, DatabaseError) and is_damage(error):
        return StoreError(Errors.E311, reason=_first_line(error))
    return StoreError(Errors.E318, reason=_first_line(error))


def _first_line(error: SQLAlchemyError) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
