"""``hrdwatch``: ingest reports, extract records, list, show and export incidents; users, audit, serve.

Thin layer: each command parses its options, calls one service, formats the result. Data goes to
stdout, messages and progress to stderr; any failure gives a non-zero exit status.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy.exc import SQLAlchemyError

from hrdwatch.config import Settings
from hrdwatch.errors import Errors, HrdwatchError, SettingsError
from hrdwatch.interfaces.cli import accounts, cases, maintenance, merging, render
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

app = typer.Typer(
    help="Evidence-linked case records of attacks on human rights defenders.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders (searched recursively) or - for stdin.")
    ] = None,
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Read reports, extract their case records and store them (one transaction per report)."""
    from hrdwatch.services.extraction import discover_inputs, start_extractor
    from hrdwatch.services.ingest import Outcome, ingest_many

    settings = load_settings(db, ask_key)
    items = discover_inputs(paths or [])
    if not items:
        raise SettingsError(Errors.E402)
    engine = open_engine(settings)
    with (
        start_extractor(settings) as extractor,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
            disable=len(items) < 2,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=len(items))
        results = ingest_many(
            items,
            settings=settings,
            engine=engine,
            extractor=extractor,
            stdin=sys.stdin.buffer.read,
            progress=lambda r: progress.advance(task),
            actor=operator().username,
        )
    render.summary(err, results)
    if as_json:
        print_json([r.to_dict() for r in results])
    if any(r.outcome is Outcome.FAILED for r in results):
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, folders or - for stdin.")] = None,
    as_json: JsonFlag = False,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write <id>.json per report into this folder.")
    ] = None,
) -> None:
    """Extract case records without a database: the SCHEMA.md shape plus an evidence list."""
    from hrdwatch.services.extraction import discover_inputs, extract_many

    settings = Settings.from_env()
    items = discover_inputs(paths or [])
    if not items:
        raise SettingsError(Errors.E402)
    failed = 0
    records = []
    for _name, source, result in extract_many(items, settings=settings, stdin=sys.stdin.buffer.read):
        if isinstance(result, HrdwatchError) or source is None:
            err.print(f"failed: {getattr(result, 'detail', result)}", markup=False)
            failed += 1
            continue
        record = result.to_dict()
        record["id"] = record["id"] or Path(source.name).stem
        for warning in record.get("warnings", []):
            err.print(f"warning: {source.name}: {warning}", markup=False)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / f"{_file_name(record['id'])}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=2), "utf-8"
            )
        records.append(record)
    if out_dir is None:
        if as_json:
            print_json(records[0] if len(records) == 1 else records)
        else:
            for r in records:
                out.print(
                    f"[bold]{r['id']}[/bold]: {len(r['events'])} event(s), victims: "
                    f"{', '.join(v['name'] for v in r['victims']) or '-'}; acts: "
                    f"{', '.join(sorted({a for e in r['events'] for a in e['acts']})) or '-'}"
                )
    if failed:
        raise typer.Exit(1)


@app.command("list")
def list_(
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
) -> None:
    """Incidents: date, country, victims, acts, source."""
    from hrdwatch.services.incidents import list_incidents

    rows = list_incidents(open_engine(load_settings(db, ask_key)), limit=limit)
    if as_json:
        print_json([_asdict(r) for r in rows])
    else:
        out.print(render.incidents_table(rows))


@app.command()
def show(
    ident: Annotated[str, typer.Argument(help="Incident id, a unique prefix of it, or 'latest'.")],
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """One incident: timeline, people and roles, acts, charges, sanctions, each with its source sentence."""
    from hrdwatch.services.incidents import show_incident

    detail = show_incident(open_engine(load_settings(db, ask_key)), ident)
    if as_json:
        print_json(_asdict(detail))
    else:
        render.show_incident(out, detail)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="Export format (json: everything, lossless).")
    ] = "json",
    db: DbOption = None,
    ask_key: AskKey = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
    plaintext: Annotated[
        bool, typer.Option("--plaintext", help="Write plain JSON even from an encrypted database.")
    ] = False,
    ask_passphrase: maintenance.AskPassphrase = False,
) -> None:
    """Export every source, fact and piece of evidence (encrypted when the database is)."""
    from hrdwatch.services.exports import CIPHER, export_file

    if fmt != "json":
        raise SettingsError(Errors.E401, name="--format", reason=f"unknown format {fmt!r} (supported: json)")
    if plaintext and ask_passphrase:
        raise SettingsError(Errors.E401, name="--plaintext", reason="not with --ask-passphrase")
    settings = load_settings(db, ask_key)
    passphrase = maintenance.ask_for_passphrase() if ask_passphrase else None
    if out_file is None and sys.stdout.isatty() and (passphrase or (settings.key and not plaintext)):
        raise SettingsError(Errors.E401, name="--out", reason="the export is encrypted: give a file")
    done = export_file(
        open_engine(settings),
        settings,
        operator(),
        plaintext=plaintext,
        passphrase=passphrase,
        destination=str(out_file or "stdout"),
    )
    maintenance.write_private(done.data, out_file)
    where = out_file or "stdout"
    if done.encrypted:
        err.print(f"wrote an encrypted export to {where} ({CIPHER}; passphrase: {done.passphrase})")
    elif settings.key:
        err.print(f"wrote a PLAIN-TEXT export of an encrypted database to {where} (--plaintext)")
    else:
        err.print(f"wrote a plain-text export to {where}")


def _file_name(ident: str) -> str:
    """A record id (which a report's header can set to anything) as a name that stays in ``--out``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in ident)[:120]
    return safe or "report"


def _asdict(obj: Any) -> Any:
    return render.asdict(obj)


app.add_typer(accounts.user_app, name="user")
app.add_typer(maintenance.audit_app, name="audit")
app.command()(maintenance.backup)
app.command()(maintenance.restore)
app.command()(maintenance.decrypt)
app.command()(cases.cases)
app.add_typer(cases.case_app, name="case")
app.command()(cases.link)
app.command()(merging.merge)
app.command()(merging.split)
app.command()(accounts.serve)


def main() -> None:
    """Console-script entry point: coded errors become one clear line on stderr and exit status 2."""
    try:
        try:
            app()
        except SQLAlchemyError as e:  # a damaged file or a refusal no service foresaw: coded too
            from hrdwatch.services.database import coded_failure

            raise coded_failure(e) from e
    except HrdwatchError as e:
        err.print(f"error: {e.detail}", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
