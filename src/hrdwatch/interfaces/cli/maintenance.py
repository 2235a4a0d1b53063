"""``hrdwatch audit verify``, ``hrdwatch backup``, ``hrdwatch restore`` and ``hrdwatch decrypt``:
keeping the database and its history whole."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from hrdwatch.config import Secret, Settings
from hrdwatch.errors import Errors, SettingsError, StoreError
from hrdwatch.interfaces.cli import accounts
from hrdwatch.interfaces.cli.common import (
    AskKey,
    DbOption,
    JsonFlag,
    err,
    load_settings,
    open_engine,
    operator,
    out,
    print_json,
)

audit_app = typer.Typer(callback=accounts.audit, invoke_without_command=True)

AskPassphrase = Annotated[
    bool,
    typer.Option("--ask-passphrase", help="Prompt for the export passphrase (default: the database key)."),
]


@audit_app.command("verify")
def audit_verify(
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="The audit key file (default: HRDWATCH_AUDIT_KEY_FILE)."),
    ] = None,
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Check the audit log: every row's hash and link, the seals, the head, the append-only triggers."""
    from hrdwatch.services.audit import verify_log

    settings = load_settings(db, ask_key)
    report = verify_log(open_engine(settings), operator(), key_file=key_file or settings.audit_key_file)
    if as_json:
        print_json(
            {
                "ok": report.ok,
                "rows": report.rows,
                "head_id": report.head_id,
                "head_hash": report.head_hash,
                "sealed": report.sealed,
                "key_id": report.key_id,
                "bad_row": report.bad_row,
                "reason": report.reason,
            }
        )
    if not report.ok:
        where = f"row {report.bad_row}: " if report.bad_row is not None else ""
        raise StoreError(Errors.E312, reason=f"{where}{report.reason}")
    if not as_json:
        out.print(f"audit log OK: {report.rows} rows, head row {report.head_id} {report.head_hash}")
        err.print(f"sealed with key {report.key_id}", markup=False)


def backup(
    destination: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    db: DbOption = None,
    ask_key: AskKey = False,
) -> None:
    """Copy the whole database to a new file (SQLite: VACUUM INTO, still encrypted; PostgreSQL: pg_dump)."""
    from hrdwatch.services.backup import backup as run_backup

    settings = load_settings(db, ask_key)
    done = run_backup(open_engine(settings), settings, operator(), destination)
    shown = "encrypted with the database key" if done.encrypted else "not encrypted"
    err.print(f"wrote {done.path} ({done.size} bytes, {done.method}, {shown})", markup=False)


def restore(
    source: Annotated[Path, typer.Argument(help="A file written by hrdwatch backup.")],
    db: DbOption = None,
    ask_key: AskKey = False,
) -> None:
    """Restore a backup into a new, empty database (--db); its audit chain must verify."""
    from hrdwatch.services.backup import restore as run_restore

    settings = load_settings(db, ask_key)
    done = run_restore(settings, operator(), source)
    err.print(
        f"restored {done.source}: audit log OK, {done.chain.rows} rows, head row {done.chain.head_id}",
        markup=False,
    )


def decrypt(
    path: Annotated[Path, typer.Argument(help="An encrypted export (from hrdwatch export).")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the JSON to this file instead of stdout.")
    ] = None,
    ask_passphrase: AskPassphrase = False,
) -> None:
    """Decrypt an export; the passphrase is HRDWATCH_KEY unless --ask-passphrase."""
    from hrdwatch.services.exports import decrypt_export

    passphrase = ask_for_passphrase() if ask_passphrase else Settings.from_env().key
    if passphrase is None:
        reason = "set HRDWATCH_KEY or pass --ask-passphrase"
        raise SettingsError(Errors.E401, name="passphrase", reason=reason)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SettingsError(Errors.E401, name=str(path), reason=e.strerror or str(e)) from e
    write_private(decrypt_export(data, passphrase, name=path.name), out_file)
    if out_file is not None:
        err.print(f"wrote {out_file} (plain text)", markup=False)


def ask_for_passphrase() -> Secret:
    return Secret(typer.prompt("Passphrase", hide_input=True, err=True))


def write_private(data: bytes, out_file: Path | None) -> None:
    """``data`` to ``out_file`` (created 0600: exports hold everything) or to stdout."""
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
