"""What every command shares: the consoles, the database options, settings and the operator."""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import replace
from typing import Annotated, Any

import typer
from rich.console import Console

from hrdwatch.config import Secret, Settings
from hrdwatch.domain.users import Principal

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # one message per line, never hard-wrapped

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: HRDWATCH_DB, else a SQLite file in your data directory)."
    ),
]
AskKey = Annotated[
    bool, typer.Option("--ask-key", help="Prompt for the encryption key (instead of HRDWATCH_KEY).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


def load_settings(db: str | None, ask_key: bool) -> Settings:
    settings = Settings.from_env()
    if db:
        settings = replace(settings, db=db)
    if ask_key:
        settings = replace(settings, key=Secret(typer.prompt("Encryption key", hide_input=True, err=True)))
    return settings


def open_engine(settings: Settings) -> Any:
    from hrdwatch.services.database import open_database

    return open_database(settings)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def operator() -> Principal:
    """Whoever runs the command: the administrator of the database file they can open."""
    from hrdwatch.services.accounts import cli_principal

    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return cli_principal(name)
