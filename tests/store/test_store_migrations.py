"""The schema is made by Alembic migrations and matches tables.py exactly."""

from __future__ import annotations

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
