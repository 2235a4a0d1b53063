"""Backup and restore as services, on SQLite and PostgreSQL (pg_dump / pg_restore): the restored
database holds the same rows, its audit chain verifies, and the restore is audited in it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine, make_url

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.errors import AccessError, StoreError
from hrdwatch.services.accounts import cli_principal
from hrdwatch.services.audit import record_now, verify_log
from hrdwatch.services.backup import backup, restore
from hrdwatch.services.exports import export_file
from hrdwatch.store.engine import make_engine

ADMIN = cli_principal("tester")


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "audit.key"
    monkeypatch.setenv("HRDWATCH_AUDIT_KEY_FILE", str(path))
    return path


@pytest.fixture
def empty_db_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as ``db_url``."""
    if make_url(db_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'r.db'}"
        return
    with sys.modules["hrdwatch_tests_store_conftest"].fresh_pg_database("hrdwatch_restore") as url:
        yield url


def _settings(url: str, key_file: Path) -> Settings:
    return Settings(db=url, audit_key_file=key_file)


def _tables(engine: Engine, settings: Settings) -> dict[str, list[object]]:
    data = export_file(engine, settings, ADMIN, plaintext=True).data
    tables: dict[str, list[object]] = json.loads(data)["tables"]
    return tables


def test_backup_and_restore_keep_rows_and_chain(
    engine: Engine, db_url: str, empty_db_url: str, tmp_path: Path, key_file: Path
) -> None:
    for i in range(3):
        record_now(engine, AuditRecord(AuditAction.LOGIN, f"user{i}", subject=f"user{i}", ip="127.0.0.1"))
    source = _settings(db_url, key_file)
    done = backup(engine, source, ADMIN, tmp_path / "b" / "backup.bin")
    assert done.path.stat().st_size == done.size > 0
    before = _tables(engine, source)
    restored = restore(_settings(empty_db_url, key_file), ADMIN, done.path)
    assert restored.chain.ok and restored.chain.rows == 4  # three logins and the backup
    other = make_engine(empty_db_url)
    after = _tables(other, _settings(empty_db_url, key_file))
    assert [e["action"] for e in after["audit_log"][-1:]] == ["database.restore"]  # type: ignore[index]
    assert after["audit_log"][:-1] == before["audit_log"]
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    assert verify_log(other, ADMIN, key_file=key_file).ok
    other.dispose()


def test_restore_into_a_database_with_tables_is_refused(
    engine: Engine, db_url: str, tmp_path: Path, key_file: Path
) -> None:
    done = backup(engine, _settings(db_url, key_file), ADMIN, tmp_path / "backup.bin")
    with pytest.raises(StoreError) as info:
        restore(_settings(db_url, key_file), ADMIN, done.path)
    assert info.value.code == "E316"


def test_only_admins_back_up(engine: Engine, db_url: str, tmp_path: Path, key_file: Path) -> None:
    from hrdwatch.domain.users import Principal, Role

    editor = Principal(id="e", username="ed", role=Role.EDITOR, via="session")
    with pytest.raises(AccessError):
        backup(engine, _settings(db_url, key_file), editor, tmp_path / "backup.bin")
    assert not (tmp_path / "backup.bin").exists()
