"""Open a database: SQLite (optionally encrypted with SQLCipher) or PostgreSQL.

SQLite connections run with ``journal_mode=WAL``, ``synchronous=FULL`` and ``foreign_keys=ON``.
With a key, connections come from ``sqlcipher3``: the key is first tried on a read-only
connection, so a wrong key fails loudly (E303) and leaves every file byte-identical, and each
connection then issues ``PRAGMA key`` before anything else. Transactions take the write lock when
they begin (``BEGIN IMMEDIATE``) unless marked :data:`READ_ONLY`, and wait for a busy database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from hrdwatch.config import Secret
from hrdwatch.errors import Errors, StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 30.0
#: execution option: a SQLite transaction on this connection only reads (``BEGIN DEFERRED``)
READ_ONLY = "hrdwatch_read_only"
_PG_DRIVERS = {"postgresql", "postgres"}


def make_engine(url: str, *, key: Secret | None = None, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """An engine on ``url``, checked by opening one connection. Raises :class:`StoreError`.

    On SQLite a writer that finds the database locked waits up to ``busy_timeout`` seconds.
    """
    parsed = _parse(url)
    secret = key if key else None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed, key=secret, busy_timeout=busy_timeout)
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


def _sqlite_engine(url: URL, *, key: Secret | None, busy_timeout: float) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(Errors.E301, url=_shown(url), reason=str(e)) from e
    driver = _sqlcipher() if key is not None else sqlite3
    _probe(path, driver, url, key=key)
    cargs, cparams = url.get_dialect()().create_connect_args(url)

    def connect() -> Any:
        conn = driver.connect(*cargs, **cparams)
        try:
            _prepare(conn, driver, url, key=key, busy_timeout=busy_timeout)
        except BaseException:
            conn.close()
            raise
        conn.isolation_level = None  # the driver begins nothing: _begin does, below
        return conn

    engine = create_engine(url, module=driver, creator=connect)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Connection) -> None:
    """Start every SQLite transaction ourselves: ``BEGIN IMMEDIATE`` (take the write lock now,
    waiting up to the busy timeout) unless the connection was marked read-only.

    A deferred transaction that reads and then writes fails at once with ``SQLITE_BUSY`` when
    another connection committed in between; taking the lock first makes writers queue instead.
    DDL runs inside the transaction too, so two processes migrating one new file serialise.
    """
    mode = "DEFERRED" if conn.get_execution_options().get(READ_ONLY) else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def _read_only_uri(path: Path) -> str:
    """A URI that reads the main file only: no locks, no WAL index, nothing written."""
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def _readable(driver: ModuleType, path: Path, key: Secret | None) -> bool | None:
    """Whether ``key`` (or no key) decrypts the first page of ``path``.

    Asked on an immutable read-only connection, so that a refused key leaves every file
    byte-identical: a read-write connection would rebuild the WAL index, checkpoint the WAL into
    the file and delete it on close. None when SQLite cannot open the file at all: the caller's
    own check then decides.
    """
    try:
        conn = driver.connect(_read_only_uri(path), uri=True)
    except driver.Error:
        return None
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = {_quote(key.reveal())}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return True
    except driver.DatabaseError as e:
        if "not a database" in str(e):
            return False
        return None
    finally:
        conn.close()


def _probe(path: Path | None, driver: ModuleType, url: URL, *, key: Secret | None) -> None:
    """Refuse a file that the key (or no key) does not open, before any read-write connection.

    Done once per engine, through SQLite itself: opening and closing the file from Python would
    drop the POSIX locks that this process's SQLite connections hold on it (closing any
    descriptor of a file releases all of a process's locks on it), and another process would
    then checkpoint and delete the WAL that this one is still writing to.
    """
    if path is None or not path.exists() or path.stat().st_size == 0:
        return
    if _readable(driver, path, key) is not False:
        return
    if key is None:
        raise StoreError(Errors.E302)
    if _readable(driver, path, None):
        raise StoreError(Errors.E307, url=_shown(url))
    raise StoreError(Errors.E303)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _prepare(conn: Any, driver: ModuleType, url: URL, *, key: Secret | None, busy_timeout: float) -> None:
    cursor = conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
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
