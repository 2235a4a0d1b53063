"""``hrdwatch audit verify`` on a real file: OK with count and head, or the first bad row and a
non-zero exit; a damaged encrypted file gives a coded error, never a traceback."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hrdwatch.config import Secret
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.services.audit import record_now
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade

if TYPE_CHECKING:
    from conftest import Cli

KEY = "correct horse battery staple 7"
PASSWORD = "a long enough password\n"


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "audit.key"
    monkeypatch.setenv("HRDWATCH_AUDIT_KEY_FILE", str(path))
    return path


def _db_path(cli: Cli) -> Path:
    return Path(cli.db_url.removeprefix("sqlite:///"))


def test_verify_reports_ok_with_count_and_head(cli: Cli) -> None:
    assert (
        cli("user", "add", "ada.admin", "--role", "admin", "--password-stdin", input=PASSWORD).exit_code == 0
    )
    assert cli("user", "set", "ada.admin", "--role", "editor").exit_code == 0
    run = cli("audit", "verify")
    assert run.exit_code == 0, run.stderr
    assert "audit log OK: 2 rows, head row 2 " in run.stdout
    report = cli("audit", "verify", "--json").json()
    assert report["ok"] is True and report["rows"] == 2 and len(report["head_hash"]) == 64


def test_a_changed_row_fails_verify_with_its_row_and_exit_status(cli: Cli, key_file: Path) -> None:
    for name in ("ada.admin", "bo.editor", "cy.viewer"):
        assert cli("user", "add", name, "--password-stdin", input=PASSWORD).exit_code == 0
    conn = sqlite3.connect(_db_path(cli))
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET subject = 'mallory' WHERE id = 2")
    conn.commit()
    conn.close()
    env = {"HRDWATCH_AUDIT_KEY_FILE": str(key_file)}
    run = cli.script("audit", "verify", env=env)
    assert run.exit_code == 2
    assert "error: [E312]" in run.stderr and "triggers" in run.stderr
    assert "Traceback" not in run.stderr
    conn = sqlite3.connect(_db_path(cli))
    conn.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.commit()
    conn.close()
    run = cli.script("audit", "verify", "--json", env=env)
    assert run.exit_code == 2
    assert "[E312] the audit log does not verify: row 2: its content does not match its hash" in run.stderr
    assert json.loads(run.stdout)["bad_row"] == 2


def test_verify_with_another_key_file_fails(cli: Cli, tmp_path: Path) -> None:
    assert cli("user", "add", "ada.admin", "--password-stdin", input=PASSWORD).exit_code == 0
    other = tmp_path / "other.key"
    other.write_text("ab" * 32 + "\n")
    run = cli.script("audit", "verify", "--key-file", str(other))
    assert run.exit_code == 2 and "another key" in run.stderr


def test_verify_never_makes_a_key_file(cli: Cli, tmp_path: Path) -> None:
    assert cli("user", "add", "ada.admin", "--password-stdin", input=PASSWORD).exit_code == 0
    run = cli.script("audit", "verify", "--key-file", str(tmp_path / "missing.key"))
    assert run.exit_code == 2 and "error: [E313]" in run.stderr and "no such file" in run.stderr
    assert not (tmp_path / "missing.key").exists()


def _encrypted_db_with_many_events(path: Path, key_file: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url, key=Secret(KEY))
    upgrade(engine)
    for i in range(400):
        record_now(engine, AuditRecord(AuditAction.LOGIN_FAILED, None, subject=f"user{i}", detail="x" * 200))
    engine.dispose()
    return url


def _flip(path: Path, offset: int) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x01]))


def _only_the_log_fails(path: Path) -> bool:
    """The schema and the migrations' table read, but a scan of audit_log hits a bad page."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = '{KEY}'")
        conn.execute("SELECT * FROM sqlite_master").fetchall()
        conn.execute("SELECT * FROM alembic_version").fetchall()
    except sqlcipher3.DatabaseError:
        conn.close()
        return False
    try:
        conn.execute("SELECT count(*), sum(length(detail)) FROM audit_log NOT INDEXED").fetchall()
        return False
    except sqlcipher3.DatabaseError:
        return True
    finally:
        conn.close()


def _flip_a_byte_in_the_middle_of_the_log(path: Path, tmp_path: Path) -> None:
    """One byte changed in the middle of the file, in the audit_log page nearest to the middle
    (found by trying each page on a copy: SQLCipher has no dbstat to ask)."""
    page, pages = 4096, path.stat().st_size // 4096
    middle = pages // 2
    for candidate in sorted(range(1, pages), key=lambda p: abs(p - middle)):
        trial = tmp_path / "trial.db"
        trial.write_bytes(path.read_bytes())
        _flip(trial, candidate * page + page // 2)
        if _only_the_log_fails(trial):
            _flip(path, candidate * page + page // 2)
            return
    raise AssertionError("no page of audit_log found")


@pytest.mark.parametrize(
    ("command", "status"),
    [
        (["audit"], None),  # the newest 50 rows may or may not reach the damaged page
        (["audit", "--limit", "1000"], 2),
        (["audit", "verify"], 2),
    ],
)
def test_a_page_failing_sqlciphers_hmac_is_a_coded_error(
    cli: Cli, tmp_path: Path, key_file: Path, command: list[str], status: int | None
) -> None:
    path = tmp_path / "secret.db"
    url = _encrypted_db_with_many_events(path, key_file)
    _flip_a_byte_in_the_middle_of_the_log(path, tmp_path)
    cli = replace(cli, db_url=url)
    env = {"HRDWATCH_KEY": KEY, "HRDWATCH_AUDIT_KEY_FILE": str(key_file)}
    run = cli.script(*command, env=env)
    assert "Traceback" not in run.stderr, run.stderr
    if status is None and run.exit_code == 0:
        return
    assert run.exit_code == 2, run.stderr
    assert "error: [E311] the database file is damaged" in run.stderr
