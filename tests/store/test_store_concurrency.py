"""Several connections, threads and processes on one SQLite file: every write is kept.

The first test reproduces a data-loss bug: opening the database file in Python on each new
connection dropped the POSIX locks that the process's other SQLite connections held, so another
process believed it was alone, checkpointed the WAL and deleted it under the server's feet.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from hrdwatch.config import Secret
from hrdwatch.store.engine import make_engine

WRITER = """
import sys
if sys.argv[2] == "-":  # only read, then close: the last connection out checkpoints the WAL
    from sqlalchemy import text
    from hrdwatch.config import Secret
    from hrdwatch.store.engine import make_engine
    key = Secret(sys.argv[3]) if len(sys.argv) > 3 else None
    engine = make_engine(sys.argv[1], key=key)
    with engine.connect() as conn:
        print(",".join(conn.execute(text("SELECT body FROM notes ORDER BY id")).scalars()))
    engine.dispose()
    sys.exit(0)
from sqlalchemy import text
from hrdwatch.config import Secret
from hrdwatch.store.engine import make_engine
key = Secret(sys.argv[3]) if len(sys.argv) > 3 else None
engine = make_engine(sys.argv[1], key=key)
with engine.begin() as conn:
    conn.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": sys.argv[2]})
engine.dispose()
"""


def _write_in_other_process(url: str, body: str, key: str | None = None) -> str:
    """Write ``body`` from another process, or with ``-`` read every body there (returned)."""
    args = [sys.executable, "-c", WRITER, url, body, *([key] if key else [])]
    return subprocess.run(args, check=True, timeout=60, capture_output=True, text=True).stdout.strip()


def _bodies(url: str, key: Secret | None = None) -> list[str]:
    engine = make_engine(url, key=key)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT body FROM notes ORDER BY id")).scalars())
    finally:
        engine.dispose()


@pytest.mark.parametrize("key", [None, "fictional passphrase"])
def test_new_connection_keeps_the_locks_of_the_others(tmp_path: Path, key: str | None) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    secret = Secret(key) if key else None
    engine = make_engine(url, key=secret)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("INSERT INTO notes (body) VALUES ('server-1')"))
    held = [engine.connect() for _ in range(3)]  # a server's pool under parallel page loads
    for conn in held:
        conn.execute(text("SELECT count(*) FROM notes")).scalar_one()
        conn.commit()
    with engine.connect() as fresh:  # one more pooled connection opens
        fresh.execute(text("SELECT 1")).scalar_one()
    _write_in_other_process(url, "-", key)  # another process reads and closes (hrdwatch user list)
    wal = tmp_path / "shared.db-wal"
    assert wal.exists(), "the WAL was checkpointed and deleted while this process still had it open"
    _write_in_other_process(url, "cli-1", key)  # then writes and closes (hrdwatch user add)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO notes (body) VALUES ('server-2')"))
        seen = list(conn.execute(text("SELECT body FROM notes ORDER BY id")).scalars())
    assert "cli-1" in seen, "the server no longer sees what the CLI wrote"
    assert _write_in_other_process(url, "-", key) == "server-1,cli-1,server-2"
    for conn in held:
        conn.close()
    engine.dispose()
    assert _bodies(url, secret) == ["server-1", "cli-1", "server-2"]


def test_concurrent_writers_wait_instead_of_failing(tmp_path: Path) -> None:
    """Read-then-write transactions in many threads: each waits for the lock, none fails."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(25):
                with engine.begin() as conn:
                    count = conn.execute(text("SELECT count(*) FROM notes")).scalar_one()
                    body = hashlib.sha256(f"{worker}-{i}-{count}".encode()).hexdigest()
                    conn.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": body})
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 6 * 25
    engine.dispose()


KILL_SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "kill_ingest.py"


@pytest.mark.slow
def test_ingest_killed_at_random_moments_leaves_a_whole_database() -> None:
    """A few rounds of benchmarks/kill_ingest.py (50 rounds there): SIGKILL during the writes
    leaves integrity_check ok and no report half-stored."""
    done = subprocess.run(
        [sys.executable, str(KILL_SCRIPT), "--kills", "4", "--seed", "11"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no half-stored report" in done.stdout
