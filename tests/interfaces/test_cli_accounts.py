"""``hrdwatch user``, ``audit`` and the audited ``export``, on a temporary SQLite database."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from hrdwatch.errors import AccessError

if TYPE_CHECKING:
    from conftest import Cli

PASSWORD = "quiet lantern harbour"


def test_first_admin_is_made_at_the_command_line(cli: Cli) -> None:
    made = cli("user", "add", "noor.adel", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert made.exit_code == 0, made.stderr
    listed = cli("user", "list", "--json")
    assert [(u["username"], u["role"]) for u in listed.json()] == [("noor.adel", "admin")]
    assert "password" not in listed.stdout and "argon2" not in listed.stdout


def test_password_prompt_asks_twice_and_refuses_a_mismatch(cli: Cli) -> None:
    with pytest.raises(AccessError, match="E513"):
        cli("user", "add", "kai.brand", "--role", "editor", input="first passphrase!!\nsecond passphrase\n")
    assert cli("user", "list", "--json").json() == []


def test_bad_input_gives_a_coded_error_and_exit_2(cli: Cli) -> None:
    short = cli.script("user", "add", "kai.brand", "--role", "editor", "--password-stdin")
    assert short.exit_code == 2 and "E508" in short.stderr
    role = cli.script("user", "add", "kai.brand", "--role", "chief")
    assert role.exit_code == 2 and "E509" in role.stderr
    nobody = cli.script("user", "set", "nobody.here", "--role", "viewer")
    assert nobody.exit_code == 2 and "E507" in nobody.stderr


def test_role_change_and_export_show_in_the_audit_log(cli: Cli) -> None:
    cli("user", "add", "kai.brand", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    assert cli("user", "set", "kai.brand", "--role", "viewer", "--require-totp").exit_code == 0
    assert cli("export").exit_code == 0
    events = cli("audit", "--json").json()
    assert [e["action"] for e in events] == ["export", "user.totp_required", "user.role", "user.created"]
    role = events[2]
    assert role["before"] == {"role": "editor"} and role["after"] == {"role": "viewer"}
    assert role["actor"].startswith("cli:")
    only = cli("audit", "--action", "user.*", "--json").json()
    assert len(only) == 3
    table = cli("audit")
    assert "user.role" in table.stdout


def test_audit_since_must_be_a_date(cli: Cli) -> None:
    run = cli.script("audit", "--since", "last tuesday")
    assert run.exit_code == 2 and "E401" in run.stderr


def test_export_keeps_accounts_but_never_credentials(cli: Cli) -> None:
    cli("user", "add", "kai.brand", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    dump = cli("export")
    tables = dump.json()["tables"]
    assert [u["username"] for u in tables["users"]] == ["kai.brand"]
    assert "login_sessions" not in tables and "api_tokens" not in tables
    assert "argon2" not in dump.stdout and "password_hash" not in dump.stdout
