"""``hrdwatch user ...``, ``hrdwatch audit`` and ``hrdwatch serve``: accounts and the web app.

Whoever can open the database file at the command line acts as its administrator (the
``cli:<login>`` principal in the audit log); that is how the first admin is made, as no default
account or password exists.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from hrdwatch.config import PREFIX
from hrdwatch.errors import AccessError, Errors, SettingsError
from hrdwatch.interfaces.cli import render
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

user_app = typer.Typer(help="Create and manage user accounts.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True, err=True)
    if typer.prompt("Repeat the password", hide_input=True, err=True) != first:
        raise AccessError(Errors.E513, field="password", reason="the two entries differ")
    return str(first)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="admin, editor or viewer.")] = "viewer",
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
    ask_key: AskKey = False,
) -> None:
    """Create an account (asks for its password twice, at least 12 characters)."""
    from hrdwatch.services.accounts import create_user, parse_role

    parse_role(role)  # refuse a bad role before asking for a password
    settings = load_settings(db, ask_key)
    password = _password(password_stdin)
    user = create_user(open_engine(settings), operator(), username=username, password=password, role=role)
    err.print(f"created {user.role} {user.username!r}")


@user_app.command("list")
def user_list(db: DbOption = None, ask_key: AskKey = False, as_json: JsonFlag = False) -> None:
    """Every account: name, role, TOTP, disabled."""
    from hrdwatch.services.accounts import list_users

    users = list_users(open_engine(load_settings(db, ask_key)), operator())
    if as_json:
        print_json([render.asdict(u) for u in users])
    else:
        out.print(render.users_table(users))


@user_app.command("set")
def user_set(
    username: Annotated[str, typer.Argument(help="The account to change.")],
    role: Annotated[str | None, typer.Option("--role", help="New role: admin, editor or viewer.")] = None,
    require_totp: Annotated[
        bool | None,
        typer.Option("--require-totp/--no-require-totp", help="Require a one-time code at login."),
    ] = None,
    disabled: Annotated[
        bool | None, typer.Option("--disable/--enable", help="Refuse (or allow again) this account's logins.")
    ] = None,
    reset_totp: Annotated[
        bool, typer.Option("--reset-totp", help="Remove the enrolled authenticator (a lost phone).")
    ] = False,
    db: DbOption = None,
    ask_key: AskKey = False,
) -> None:
    """Change an account's role, TOTP requirement or disabled state (its sessions end)."""
    from hrdwatch.services.accounts import update_user

    if role is None and require_totp is None and disabled is None and not reset_totp:
        raise SettingsError(
            Errors.E401, name="user set", reason="give --role, --require-totp, --disable or --reset-totp"
        )
    user = update_user(
        open_engine(load_settings(db, ask_key)),
        operator(),
        username=username,
        role=role,
        totp_required=require_totp,
        disabled=disabled,
        reset_totp=reset_totp,
    )
    err.print(
        f"{user.username}: role {user.role}, TOTP required {user.totp_required}, disabled {user.disabled}"
    )


def audit(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option("--actor", help="Only events by this user.")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action; a trailing * matches a prefix (fact.*).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events at or after this UTC date or time (ISO 8601).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many (newest first).")] = 50,
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Read the append-only audit log: logins, uploads, review decisions, exports, account changes.

    Run 'hrdwatch audit verify' to check its hash chain, seals and triggers."""
    from hrdwatch.services.audit import read_log

    if ctx.invoked_subcommand is not None:
        return
    when = _parse_since(since) if since else None
    entries = read_log(
        open_engine(load_settings(db, ask_key)),
        operator(),
        actor=actor,
        action=action,
        since=when,
        limit=limit,
    )
    if as_json:
        print_json([render.asdict(e) for e in entries])
    else:
        out.print(render.audit_table(entries))


def _parse_since(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError as e:
        raise SettingsError(Errors.E401, name="--since", reason="not an ISO 8601 date or time") from e
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    proxy_headers: Annotated[
        bool,
        typer.Option("--proxy-headers", help="Trust X-Forwarded-Proto/For from a reverse proxy on loopback."),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Worker processes (one per CPU core serves most).")
    ] = 1,
    db: DbOption = None,
    ask_key: AskKey = False,
) -> None:
    """Serve the analyst's web app and the REST API (/api/v1) until interrupted."""
    import uvicorn

    from hrdwatch.interfaces.app import create_app
    from hrdwatch.services.accounts import has_users

    settings = load_settings(db, ask_key)
    app = create_app(settings, engine=open_engine(settings))
    err.print(f"hrdwatch is serving on http://{host}:{port}/ (Ctrl-C stops it)")
    if has_users(app.state.engine):
        err.print(
            "Log in with your account; an admin creates more with: hrdwatch user add NAME --role editor"
        )
    else:
        err.print("No account exists yet. Create the first admin (it asks for a password), then log in:")
        err.print("    hrdwatch user add YOUR-NAME --role admin   (with the same --db / HRDWATCH_DB)")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "proxy_headers": proxy_headers,
        "log_level": "warning",
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    # each worker process builds its own app from the environment: pass the chosen database on
    os.environ[PREFIX + "DB"] = settings.db
    if settings.key is not None:
        os.environ[PREFIX + "KEY"] = settings.key.reveal()
    uvicorn.run("hrdwatch.interfaces.app:app_from_env", factory=True, workers=workers, **options)
