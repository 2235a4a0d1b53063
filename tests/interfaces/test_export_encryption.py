"""Exports of an encrypted database are encrypted unless ``--plaintext`` is given, the command says
which it wrote, and ``hrdwatch decrypt`` turns them back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

SCRIPT = Path(sys.executable).parent / "hrdwatch"
KEY = "export key of the test database 9"
PASSWORD = "a long enough password\n"
SECRET_NAME = "ada.admin"


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "audit.key"
    monkeypatch.setenv("HRDWATCH_AUDIT_KEY_FILE", str(path))
    return path


@pytest.fixture
def encrypted(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("HRDWATCH_KEY", KEY)
    assert cli("user", "add", SECRET_NAME, "--password-stdin", input=PASSWORD).exit_code == 0
    return cli


def test_an_encrypted_database_exports_encrypted_and_says_so(encrypted: Cli, tmp_path: Path) -> None:
    target = tmp_path / "all.json.enc"
    run = encrypted("export", "--out", str(target))
    assert run.exit_code == 0, run.stderr
    assert "wrote an encrypted export" in run.stderr and "passphrase: database key" in run.stderr
    data = target.read_bytes()
    assert data.startswith(b"HRDWENC1")
    assert SECRET_NAME.encode() not in data and b"hrdwatch-store" not in data
    assert target.stat().st_mode & 0o777 == 0o600
    plain = tmp_path / "all.json"
    run = encrypted("decrypt", str(target), "--out", str(plain))
    assert run.exit_code == 0, run.stderr
    tables = json.loads(plain.read_text("utf-8"))["tables"]
    assert [u["username"] for u in tables["users"]] == [SECRET_NAME]


def test_standard_output_gets_the_encrypted_bytes_too(encrypted: Cli, key_file: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
    env.update(HRDWATCH_KEY=KEY, HRDWATCH_AUDIT_KEY_FILE=str(key_file))
    done = subprocess.run(
        [str(SCRIPT), "export", "--db", encrypted.db_url],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"wrote an encrypted export to stdout" in done.stderr
    assert done.stdout.startswith(b"HRDWENC1") and SECRET_NAME.encode() not in done.stdout


def test_plaintext_only_when_asked_and_said(encrypted: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plain.json"
    run = encrypted("export", "--plaintext", "--out", str(target))
    assert run.exit_code == 0, run.stderr
    assert "wrote a PLAIN-TEXT export of an encrypted database" in run.stderr
    assert json.loads(target.read_text("utf-8"))["format"] == "hrdwatch-store"
    logged = encrypted("audit", "--action", "export", "--json")
    assert logged.exit_code == 0, logged.stderr
    assert logged.json()[0]["after"] == {"format": "json", "encrypted": False}


def test_a_plain_database_exports_plain_and_says_so(cli: Cli) -> None:
    assert cli("user", "add", SECRET_NAME, "--password-stdin", input=PASSWORD).exit_code == 0
    run = cli("export")
    assert run.exit_code == 0
    assert "wrote a plain-text export to stdout" in run.stderr
    assert run.json()["format"] == "hrdwatch-store"


def test_a_passphrase_of_ones_own(cli: Cli, tmp_path: Path) -> None:
    assert cli("user", "add", SECRET_NAME, "--password-stdin", input=PASSWORD).exit_code == 0
    target = tmp_path / "x.enc"
    run = cli("export", "--ask-passphrase", "--out", str(target), input="my own passphrase\n")
    assert run.exit_code == 0, run.stderr
    assert "passphrase: given" in run.stderr and target.read_bytes().startswith(b"HRDWENC1")
    wrong = cli.script("decrypt", str(target), env={"HRDWATCH_KEY": "not it"})
    assert wrong.exit_code == 2 and "error: [E314]" in wrong.stderr and "Traceback" not in wrong.stderr
    right = cli("decrypt", str(target), "--ask-passphrase", input="my own passphrase\n")
    assert right.exit_code == 0
    assert '"hrdwatch-store"' in right.stdout


def test_plaintext_and_a_passphrase_together_are_refused(cli: Cli) -> None:
    run = cli.script("export", "--plaintext", "--ask-passphrase")
    assert run.exit_code == 2 and "error: [E401] setting --plaintext is invalid" in run.stderr


def test_decrypting_a_file_that_is_no_export_is_coded(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("just text")
    run = cli.script("decrypt", str(other), env={"HRDWATCH_KEY": KEY})
    assert run.exit_code == 2 and "error: [E315]" in run.stderr
    run = cli.script("decrypt", str(other))
    assert run.exit_code == 2 and "error: [E401]" in run.stderr
