"""The schema is made by Alembic migrations and matches tables.py exactly."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from hrdwatch.errors import StoreError
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import current_revision, head_revision, include_name, upgrade
from hrdwatch.store.tables import Base


def test_migrations_match_the_table_metadata(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []


def test_every_table_is_created_and_revision_is_head(engine: Engine) -> None:
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_fresh_database_has_no_revision(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    assert current_revision(engine) is None
    engine.dispose()


def test_database_newer_than_code_is_e306(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as info:
        upgrade(engine)
    assert info.value.code == "E306"


_MIGRATE_AT = """
import sys, time
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade
engine = make_engine(sys.argv[1])
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
upgrade(engine)
engine.dispose()
"""


def _race_upgrades(url: str, processes: int) -> list[subprocess.CompletedProcess[str]]:
    start = time.time() + 3.0  # every process has imported and connected by then
    running = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE_AT, url, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    done = []
    for proc in running:
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


@pytest.mark.parametrize("attempt", range(3))
def test_processes_migrating_one_new_sqlite_file_at_once_all_succeed(tmp_path: Path, attempt: int) -> None:
    url = f"sqlite:///{tmp_path / f'race{attempt}.db'}"
    for result in _race_upgrades(url, 3):
        assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


@pytest.mark.postgres
def test_processes_migrating_one_new_postgres_database_at_once_all_succeed(pg_url: str) -> None:
    for result in _race_upgrades(pg_url, 3):  # pg_url: a new database, never migrated
        assert result.returncode == 0, result.stderr
    engine = make_engine(pg_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()
