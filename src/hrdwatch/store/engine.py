"""Open a database: SQLite (optionally encrypted with SQLCipher) or PostgreSQL.

SQLite connections run with ``journal_mode=WAL``, ``synchronous=FULL`` and ``foreign_keys=ON``.
With a key, connections come from ``sqlcipher3``: ``PRAGMA key`` is issued first and the key is
checked by reading ``sqlite_master`` before anything else can touch the file, so a wrong key
fails loudly (E303) instead of writing a fresh empty database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from hrdwatch.config import Secret
from hrdwatch.errors import Errors, StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_DRIVERS = {"postgresql", "postgres"}


def make_engine(url: str, *, key: Secret | None = None) -> Engine:
    """An engine on ``url``, checked by opening one connection. Raises :class:`StoreError`."""
    parsed = _parse(url)
    secret = key if key else None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed, key=secret)
    elif secret is not None:
        raise StoreError(Errors.E308, url=_shown(parsed))
    else:
        engine = _server_engine(parsed)
    _check_open(engine, parsed)
    return engine


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise StoreError(Errors.E301, url=url, reason="not a database URL") from e
    if parsed.drivername in _PG_DRIVERS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _server_engine(url: URL) -> Engine:
    try:
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError, ArgumentError) as e:
        raise StoreError(Errors.E301, url=_shown(url), reason=str(e)) from e


def _check_open(engine: Engine, url: URL) -> None:
    try:
        with engine.connect():
            pass
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as e:
        engine.dispose()
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise StoreError(Errors.E301, url=_shown(url), reason=reason) from e


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory or ``file:`` URI database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _sqlcipher() -> ModuleType:
    try:
        import sqlcipher3
    except ImportError as e:
        raise StoreError(Errors.E304, reason=str(e)) from e
    module: ModuleType = sqlcipher3
    return module


def _sqlite_engine(url: URL, *, key: Secret | None) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(Errors.E301, url=_shown(url), reason=str(e)) from e
    driver = _sqlcipher() if key is not None else sqlite3
    cargs, cparams = url.get_dialect()().create_connect_args(url)

    def connect() -> Any:
        _check_file(path, url, key=key)
        conn = driver.connect(*cargs, **cparams)
        try:
            _prepare(conn, driver, url, key=key)
        except BaseException:
            conn.close()
            raise
        return conn

    return create_engine(url, module=driver, creator=connect)


def _file_state(path: Path | None) -> str:
    """``new`` (absent or empty), ``plain`` (SQLite header) or ``opaque`` (encrypted, or not SQLite)."""
    if path is None or not path.exists() or path.stat().st_size == 0:
        return "new"
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    return "plain" if head == SQLITE_MAGIC else "opaque"


def _check_file(path: Path | None, url: URL, *, key: Secret | None) -> None:
    state = _file_state(path)
    if key is None and state == "opaque":
        raise StoreError(Errors.E302)
    if key is not None and state == "plain":
        raise StoreError(Errors.E307, url=_shown(url))


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _prepare(conn: Any, driver: ModuleType, url: URL, *, key: Secret | None) -> None:
    cursor = conn.cursor()
    try:
        if key is not None:
            cursor.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not on stderr
            cursor.execute(f"PRAGMA key = {_quote(key.reveal())}")
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL").fetchall()
        cursor.execute("PRAGMA synchronous=FULL")
    except driver.DatabaseError as e:
        if "not a database" in str(e):
            raise StoreError(Errors.E303 if key is not None else Errors.E302) from e
        raise StoreError(Errors.E301, url=_shown(url), reason=str(e)) from e
    finally:
        cursor.close()
