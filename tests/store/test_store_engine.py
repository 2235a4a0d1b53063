"""Opening databases: SQLite pragmas, encryption at rest, coded errors instead of driver tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from hrdwatch.config import Secret
from hrdwatch.errors import StoreError
from hrdwatch.store.engine import make_engine

MARKER = "Fictional-Plaintext-Marker-7731"


def _pragmas(url: str) -> tuple[str, int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            mode = conn.execute(text("PRAGMA journal_mode")).scalar_one()
            sync = conn.execute(text("PRAGMA synchronous")).scalar_one()
            fks = conn.execute(text("PRAGMA foreign_keys")).scalar_one()
    finally:
        engine.dispose()
    return mode, sync, fks


def test_sqlite_pragmas_on_every_connection(sqlite_url: str) -> None:
    assert _pragmas(sqlite_url) == ("wal", 2, 1)  # synchronous 2 is FULL


def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/a/b/c.db")
    engine.dispose()
    assert (tmp_path / "a" / "b" / "c.db").exists()


def test_foreign_keys_are_enforced(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE p (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE c (p_id INTEGER REFERENCES p(id))"))
    with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as conn:
        conn.execute(text("INSERT INTO c VALUES (42)"))
    engine.dispose()


def _write_encrypted(url: str, key: str) -> None:
    engine = make_engine(url, key=Secret(key))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (body TEXT)"))
        conn.execute(text("INSERT INTO notes VALUES (:b)"), {"b": MARKER})
    engine.dispose()


def test_encrypted_round_trip(sqlite_url: str, tmp_path: Path) -> None:
    _write_encrypted(sqlite_url, "correct horse 'battery'")
    engine = make_engine(sqlite_url, key=Secret("correct horse 'battery'"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body FROM notes")).scalar_one() == MARKER
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    engine.dispose()
    for path in (tmp_path / "data").iterdir():
        assert MARKER.encode() not in path.read_bytes()
        assert b"notes" not in path.read_bytes()


def test_encrypted_without_key_is_e302(sqlite_url: str) -> None:
    _write_encrypted(sqlite_url, "k1")
    with pytest.raises(StoreError) as info:
        make_engine(sqlite_url)
    assert info.value.code == "E302"


def test_encrypted_with_wrong_key_is_e303_and_leaves_the_file_alone(sqlite_url: str, tmp_path: Path) -> None:
    _write_encrypted(sqlite_url, "k1")
    before = (tmp_path / "data" / "hrdwatch.db").read_bytes()
    with pytest.raises(StoreError) as info:
        make_engine(sqlite_url, key=Secret("k2"))
    assert info.value.code == "E303"
    assert "k2" not in str(info.value)
    assert (tmp_path / "data" / "hrdwatch.db").read_bytes() == before
    reopened = make_engine(sqlite_url, key=Secret("k1"))
    with reopened.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 1
    reopened.dispose()


def test_key_for_a_plain_database_is_e307(sqlite_url: str) -> None:
    plain = make_engine(sqlite_url)
    with plain.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    plain.dispose()
    with pytest.raises(StoreError) as info:
        make_engine(sqlite_url, key=Secret("k"))
    assert info.value.code == "E307"


def test_key_with_postgres_is_e308() -> None:
    with pytest.raises(StoreError) as info:
        make_engine("postgresql://someone:pw@127.0.0.1:1/none", key=Secret("k"))
    assert info.value.code == "E308"
    assert "pw" not in str(info.value)


def test_unreachable_server_is_e301_without_password() -> None:
    with pytest.raises(StoreError) as info:
        make_engine("postgresql://someone:hunter2@127.0.0.1:1/none")
    assert info.value.code == "E301"
    assert "hunter2" not in str(info.value)


def test_not_a_url_is_e301() -> None:
    with pytest.raises(StoreError) as info:
        make_engine("not a url")
    assert info.value.code == "E301"


@pytest.mark.postgres
def test_postgres_opens(pg_url: str) -> None:
    engine = make_engine(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    assert engine.dialect.driver == "psycopg"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()


_LEAVE_WAL = """
import os, sys
from sqlalchemy import text
from hrdwatch.config import Secret
from hrdwatch.store.engine import make_engine
engine = make_engine(sys.argv[1], key=Secret(sys.argv[2]) if len(sys.argv) > 2 else None)
with engine.begin() as conn:
    conn.execute(text("CREATE TABLE notes (body TEXT)"))
    conn.execute(text("PRAGMA wal_autocheckpoint = 0"))
with engine.begin() as conn:
    for i in range(50):
        conn.execute(text("INSERT INTO notes VALUES (:b)"), {"b": f"row {i}"})
os._exit(0)  # no close: the WAL stays beside the file, as after a crash or while a server runs
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("written_with", "opened_with", "code"),
    [("k1", "k2", "E303"), ("k1", None, "E302"), (None, "k1", "E307")],
)
def test_a_refused_key_leaves_database_and_wal_byte_identical(
    tmp_path: Path, written_with: str | None, opened_with: str | None, code: str
) -> None:
    folder = tmp_path / "data"
    url = f"sqlite:///{folder / 'hrdwatch.db'}"
    args = [sys.executable, "-c", _LEAVE_WAL, url, *([written_with] if written_with else [])]
    subprocess.run(args, check=True, timeout=60)
    before = _files(folder)
    assert "hrdwatch.db-wal" in before
    with pytest.raises(StoreError) as info:
        make_engine(url, key=Secret(opened_with) if opened_with else None)
    assert info.value.code == code
    assert _files(folder) == before
