"""``hrdwatch backup`` and ``hrdwatch restore``: the restore drill (back up, restore into an empty
place, export both: byte-identical but for the restore event), encrypted backups, refusals."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hrdwatch.store.engine import SQLITE_MAGIC

if TYPE_CHECKING:
    from conftest import Cli

KEY = "a database key for the drill 42"
PASSWORD = "a long enough password\n"


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "audit.key"
    monkeypatch.setenv("HRDWATCH_AUDIT_KEY_FILE", str(path))
    return path


def _filled(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report)).exit_code == 0
    assert (
        cli("user", "add", "ada.admin", "--role", "admin", "--password-stdin", input=PASSWORD).exit_code == 0
    )


def _export(cli: Cli, path: Path) -> bytes:
    run = cli("export", "--plaintext", "--out", str(path))
    assert run.exit_code == 0, run.stderr
    return path.read_bytes()


def _without_last_audit_row(export: bytes) -> tuple[bytes, dict[str, object]]:
    data = json.loads(export)
    last = data["tables"]["audit_log"].pop()
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(), last


def _drill(cli: Cli, tmp_path: Path) -> tuple[bytes, bytes, dict[str, object]]:
    backup = tmp_path / "backups" / "drill.db"
    run = cli("backup", str(backup), "--db", cli.db_url)
    assert run.exit_code == 0, run.stderr
    restored = replace(cli, db_url=f"sqlite:///{tmp_path / 'restored' / 'r.db'}")
    run = restored("restore", str(backup), "--db", restored.db_url)
    assert run.exit_code == 0, run.stderr
    assert "audit log OK" in run.stderr
    original = _export(cli, tmp_path / "a.json")
    again = _export(restored, tmp_path / "b.json")
    trimmed, restore_event = _without_last_audit_row(again)
    assert json.dumps(json.loads(original), ensure_ascii=False, indent=2).encode() + b"\n" == original
    return original, trimmed, restore_event


def test_restore_drill_exports_are_byte_identical(cli: Cli, report: Path, tmp_path: Path) -> None:
    _filled(cli, report)
    original, restored, event = _drill(cli, tmp_path)
    assert original == restored
    assert event["action"] == "database.restore" and str(event["subject"]).endswith("drill.db")
    actions = [row["action"] for row in json.loads(original)["tables"]["audit_log"]]
    assert actions[-1] == "database.backup"  # the backup holds its own event
    assert json.loads(original)["tables"]["sources"]


def test_restore_drill_on_an_encrypted_database(
    cli: Cli, report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HRDWATCH_KEY", KEY)
    _filled(cli, report)
    original, restored, _ = _drill(cli, tmp_path)
    assert original == restored
    backup = (tmp_path / "backups" / "drill.db").read_bytes()
    assert not backup.startswith(SQLITE_MAGIC) and b"Morvane" not in backup
    assert (tmp_path / "backups" / "drill.db").stat().st_mode & 0o777 == 0o600
    restored_db = replace(cli, db_url=f"sqlite:///{tmp_path / 'restored' / 'r.db'}")
    assert restored_db("audit", "verify").exit_code == 0


def test_restore_refuses_a_database_that_is_not_empty(cli: Cli, tmp_path: Path) -> None:
    assert cli("user", "add", "ada.admin", "--password-stdin", input=PASSWORD).exit_code == 0
    backup = tmp_path / "b.db"
    assert cli("backup", str(backup), "--db", cli.db_url).exit_code == 0
    target = Path(cli.db_url.removeprefix("sqlite:///"))
    before = target.read_bytes()
    run = cli.script("restore", str(backup), "--db", cli.db_url)
    assert run.exit_code == 2 and "error: [E316]" in run.stderr
    assert target.read_bytes() == before


def test_backup_refuses_an_existing_destination(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "there.db").write_bytes(b"keep me")
    run = cli.script("backup", str(tmp_path / "there.db"), "--db", cli.db_url)
    assert run.exit_code == 2 and "error: [E317]" in run.stderr
    assert (tmp_path / "there.db").read_bytes() == b"keep me"


def test_a_tampered_backup_is_not_restored(cli: Cli, tmp_path: Path, key_file: Path) -> None:
    for name in ("ada.admin", "bo.editor"):
        assert cli("user", "add", name, "--password-stdin", input=PASSWORD).exit_code == 0
    backup = tmp_path / "b.db"
    assert cli("backup", str(backup), "--db", cli.db_url).exit_code == 0
    conn = sqlite3.connect(backup)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 1")
    conn.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.commit()
    conn.close()
    target = tmp_path / "restored.db"
    run = cli.script(
        "restore", str(backup), "--db", f"sqlite:///{target}", env={"HRDWATCH_AUDIT_KEY_FILE": str(key_file)}
    )
    assert run.exit_code == 2
    assert "error: [E312]" in run.stderr and "row 2" in run.stderr
    assert not target.exists()


def test_restore_of_a_missing_file_is_coded(cli: Cli, tmp_path: Path) -> None:
    run = cli.script("restore", str(tmp_path / "nothing.db"), "--db", f"sqlite:///{tmp_path / 'new.db'}")
    assert run.exit_code == 2 and "error: [E317]" in run.stderr


def test_restore_of_a_file_that_is_no_backup_is_coded(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"PGDMP" + bytes(range(256)) * 4)
    target = tmp_path / "new.db"
    run = cli.script("restore", str(junk), "--db", f"sqlite:///{target}")
    assert run.exit_code == 2 and "error: [E317]" in run.stderr and "not a SQLite backup" in run.stderr
    assert not target.exists()
    run = cli.script("restore", str(junk), "--db", f"sqlite:///{target}", env={"HRDWATCH_KEY": "some key"})
    assert run.exit_code == 2 and "error: [E3" in run.stderr and "Traceback" not in run.stderr
    assert not target.exists()
