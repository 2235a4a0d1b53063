"""Copy a whole database out and back in: ``VACUUM INTO`` for SQLite (a consistent snapshot,
encrypted with the same key under SQLCipher), ``pg_dump`` / ``pg_restore`` for PostgreSQL.

Every file is written beside its destination under a ``.partial`` name, flushed, and renamed
into place, so a crash never leaves a half-written backup under the real name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Engine

from hrdwatch.errors import Errors, StoreError
from hrdwatch.store.damage import translate_damage

PG_TIMEOUT = 3600.0


def vacuum_into(engine: Engine, destination: Path) -> None:
    """A compact, consistent copy of the SQLite database behind ``engine`` (same key, if any)."""
    partial = _partial(destination)
    raw = engine.raw_connection()
    try:
        with translate_damage():
            raw.driver_connection.execute("VACUUM INTO ?", (str(partial),))  # type: ignore[union-attr]
    except Exception as e:
        partial.unlink(missing_ok=True)
        if isinstance(e, StoreError):
            raise
        raise StoreError(Errors.E317, operation="backup", reason=str(e)) from e
    finally:
        raw.close()
    _settle(partial, destination)


def copy_file(source: Path, destination: Path) -> None:
    """``source`` copied byte for byte to ``destination`` (mode 0600), flushed, then renamed."""
    partial = _partial(destination)
    try:
        shutil.copyfile(source, partial)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise StoreError(Errors.E317, operation="restore", reason=e.strerror or str(e)) from e
    _settle(partial, destination)


def _partial(destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    return partial


def _settle(partial: Path, destination: Path) -> None:
    os.chmod(partial, 0o600)
    with partial.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(partial, destination)
    directory = os.open(destination.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def is_empty(engine: Engine) -> bool:
    """No table at all (a new PostgreSQL database, a new SQLite file)."""
    with translate_damage():
        return not inspect(engine).get_table_names()


def _pg_env(url: URL) -> dict[str, str]:
    """libpq settings for ``url``: the password goes through the environment, never argv."""
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[name] = str(value)
    return env


def _run(operation: str, argv: list[str], url: URL) -> None:
    if shutil.which(argv[0]) is None:
        raise StoreError(Errors.E317, operation=operation, reason=f"{argv[0]} is not installed")
    try:
        done = subprocess.run(
            argv, env=_pg_env(url), capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise StoreError(Errors.E317, operation=operation, reason=str(e)) from e
    if done.returncode != 0:
        lines = (done.stderr or done.stdout or f"exit status {done.returncode}").strip().splitlines()
        raise StoreError(Errors.E317, operation=operation, reason=lines[0] if lines else "unknown")


def pg_dump(url: URL, destination: Path) -> None:
    """``pg_dump --format=custom`` of the database at ``url`` into ``destination``."""
    partial = _partial(destination)
    try:
        _run("backup", ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], url)
    except StoreError:
        partial.unlink(missing_ok=True)
        raise
    _settle(partial, destination)


def pg_restore(source: Path, url: URL) -> None:
    """``pg_restore`` of a :func:`pg_dump` file into the (empty) database at ``url``, in one
    transaction: it all arrives or nothing does."""
    argv = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    _run("restore", [*argv, f"--dbname={url.database}", str(source)], url)
