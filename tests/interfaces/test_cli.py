"""The ``hrdwatch`` command line, end to end on a temporary SQLite file per test."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import typer.main

from hrdwatch.config import Settings
from hrdwatch.ingest.registry import read_path
from hrdwatch.interfaces.cli.app import app
from hrdwatch.store.engine import SQLITE_MAGIC

if TYPE_CHECKING:
    from conftest import BadBatch, Cli

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
WIDE = {"COLUMNS": "2000"}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _incidents(cli: Cli) -> list[dict[str, object]]:
    run = cli("list", "--json")
    assert run.exit_code == 0, run.stderr
    rows: list[dict[str, object]] = run.json()
    return rows


# --- help -------------------------------------------------------------------------------------


def test_every_command_is_there() -> None:
    assert COMMANDS == [
        "audit",
        "backup",
        "case",
        "cases",
        "decrypt",
        "export",
        "extract",
        "ingest",
        "link",
        "list",
        "merge",
        "restore",
        "serve",
        "show",
        "split",
        "user",
    ]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_exits_zero(cli: Cli, command: list[str]) -> None:
    run = cli(*command, "--help")
    assert run.exit_code == 0, run.stderr
    assert "Usage" in run.stdout


# --- ingest, list, show, export ---------------------------------------------------------------


def test_ingest_then_list_shows_the_incident(cli: Cli, report: Path) -> None:
    run = cli("ingest", str(report))
    assert run.exit_code == 0, run.stderr
    assert "ingested 1" in run.stderr
    rows = _incidents(cli)
    assert rows
    assert {r["source_name"] for r in rows} == {str(report)}
    assert any("Ilsa Morvane" in r["victims"] for r in rows)  # type: ignore[operator]
    assert any("arrest" in r["acts"] for r in rows)  # type: ignore[operator]


def test_ingest_json_reports_each_outcome(cli: Cli, report: Path) -> None:
    run = cli("ingest", str(report), "--json")
    assert run.exit_code == 0, run.stderr
    [result] = run.json()
    assert result["outcome"] == "ingested"
    assert result["name"] == str(report)
    assert result["incident_ids"]


def test_show_latest_and_prefix_print_the_evidence_quotes(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report)).exit_code == 0
    detail = cli("show", "latest", "--json").json()
    quotes = {_squash(e["quote"]) for e in detail["evidence"]}
    assert quotes
    for ident in ("latest", detail["id"][:8]):
        run = cli.script("show", ident, env=WIDE)
        assert run.exit_code == 0, run.stderr
        shown = _squash(run.stdout)
        assert detail["id"][:8] in shown
        missing = [q for q in quotes if q not in shown]
        assert not missing


def test_show_unknown_id_is_a_coded_error(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report)).exit_code == 0
    run = cli.script("show", "ffffffffffff")
    assert run.exit_code == 2
    assert "E305" in run.stderr
    assert "Traceback" not in run.stderr


def test_extract_json_has_events_victims_and_evidence_quoting_the_text(cli: Cli, report: Path) -> None:
    run = cli("extract", str(report), "--json")
    assert run.exit_code == 0, run.stderr
    record = run.json()
    assert record["events"]
    assert "Ilsa Morvane" in {v["name"] for v in record["victims"]}
    text = read_path(report, settings=Settings(db="sqlite://")).text
    assert record["evidence"]
    for ev in record["evidence"]:
        assert ev["quote"] == text[ev["start"] : ev["end"]]


def test_extract_out_writes_one_file_per_report(
    cli: Cli, report: Path, second_report: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = cli("extract", str(report.parent), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["cli-001.json", "kestrel.json"]


def test_export_json_has_the_source_and_its_evidence(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report)).exit_code == 0
    run = cli("export", "--format", "json")
    assert run.exit_code == 0, run.stderr
    tables = run.json()["tables"]
    [source] = tables["sources"]
    assert source["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert source["name"] == str(report)
    assert tables["evidence"]
    body = read_path(report, settings=Settings(db="sqlite://")).text
    assert all(row["quote"] in body for row in tables["evidence"])


def test_export_to_a_file(cli: Cli, report: Path, tmp_path: Path) -> None:
    assert cli("ingest", str(report)).exit_code == 0
    target = tmp_path / "dump.json"
    run = cli("export", "--out", str(target))
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert '"sources"' in target.read_text("utf-8")


def test_export_unknown_format_is_refused(cli: Cli) -> None:
    run = cli.script("export", "--format", "xml")
    assert run.exit_code == 2
    assert "E401" in run.stderr


def test_same_file_twice_is_skipped_as_duplicate(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report)).exit_code == 0
    before = _incidents(cli)
    run = cli("ingest", str(report))
    assert run.exit_code == 0, run.stderr
    assert "ingested 0, skipped as duplicate 1, failed 0" in run.stderr
    assert _incidents(cli) == before


def test_stdin(cli: Cli, report: Path) -> None:
    run = cli("ingest", "-", input=report.read_bytes())
    assert run.exit_code == 0, run.stderr
    rows = _incidents(cli)
    assert rows
    assert {r["source_name"] for r in rows} == {"<stdin>"}


def test_no_input_is_a_coded_error(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    run = cli.script("ingest", str(empty))
    assert run.exit_code == 2
    assert "E402" in run.stderr


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_no_argument_at_all_is_e402_too(cli: Cli, command: str) -> None:
    run = cli.script(command)
    assert run.exit_code == 2
    assert "error: [E402]" in run.stderr


# --- bad input --------------------------------------------------------------------------------


def test_bad_files_fail_one_by_one_and_the_good_one_is_stored(cli: Cli, bad_batch: BadBatch) -> None:
    folder, docx, codes = bad_batch
    run = cli("ingest", str(folder), str(docx))
    assert run.exit_code == 1
    assert f"ingested 1, skipped as duplicate 0, failed {len(codes)}" in run.stderr
    failed = [line for line in run.stderr.splitlines() if line.strip().startswith("failed:")]
    assert len(failed) == len(codes), run.stderr
    for name, code in codes.items():
        [line] = [f for f in failed if name in f]
        assert re.search(rf"failed: \[{code}\] \S*{re.escape(name)}: \w", line), line
    assert "Traceback" not in run.stderr
    assert {r["source_name"] for r in _incidents(cli)} == {str(folder / "good.txt")}


def test_a_second_run_over_a_bad_batch_changes_nothing(cli: Cli, bad_batch: BadBatch) -> None:
    folder, docx, codes = bad_batch
    assert cli("ingest", str(folder), str(docx)).exit_code == 1
    before = cli("export").stdout
    run = cli("ingest", str(folder), str(docx))
    assert run.exit_code == 1
    assert f"ingested 0, skipped as duplicate 1, failed {len(codes)}" in run.stderr
    after = cli("export").json()["tables"]
    stored = json.loads(before)["tables"]
    # the first run's one stored report and the first export; nothing from the second run
    # (the report opened a case file for its defender, in the same transaction)
    assert [e["action"] for e in after.pop("audit_log")] == ["source.ingest", "case.opened", "export"]
    stored.pop("audit_log")
    assert after == stored


def test_bad_batch_through_the_console_script(cli: Cli, bad_batch: BadBatch) -> None:
    folder, docx, codes = bad_batch
    run = cli.script("ingest", str(folder), str(docx))
    assert run.exit_code == 1
    for name, code in codes.items():
        assert any(code in line and name in line for line in run.stderr.splitlines()), run.stderr
    assert "Traceback" not in run.stderr


def test_a_huge_file_is_refused_by_size(cli: Cli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    run = cli("ingest", str(huge))
    assert run.exit_code == 1
    assert re.search(r"failed: \[E102\] \S*huge\.txt: 209715200 bytes is over the size limit", run.stderr)
    assert _incidents(cli) == []


def test_a_french_report_is_stored_with_a_language_warning(cli: Cli, french_report: Path) -> None:
    path = french_report
    run = cli("ingest", str(path))
    assert run.exit_code == 0, run.stderr
    assert "ingested 1" in run.stderr
    assert re.search(r"warning: \S*varenne\.txt: language 'fr' is not supported", run.stderr), run.stderr
    [source] = cli("export").json()["tables"]["sources"]
    assert source["name"] == str(path)
    assert source["language"] == "fr"


# --- encryption at rest -----------------------------------------------------------------------

KEY = {"HRDWATCH_KEY": "a long fictional passphrase for the tests"}


def test_a_key_makes_an_encrypted_database(cli: Cli, report: Path, tmp_path: Path) -> None:
    run = cli("ingest", str(report), env=KEY)
    assert run.exit_code == 0, run.stderr
    db = tmp_path / "t.db"
    assert db.stat().st_size > 0
    assert not db.read_bytes().startswith(SQLITE_MAGIC)
    assert b"Morvane" not in db.read_bytes()
    assert cli("list", "--json", env=KEY).json()


def test_an_encrypted_database_without_the_key_is_e302(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report), env=KEY).exit_code == 0
    run = cli.script("list")
    assert run.exit_code == 2
    assert "E302" in run.stderr
    assert "HRDWATCH_KEY" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_a_wrong_key_is_e303(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report), env=KEY).exit_code == 0
    run = cli.script("list", env={"HRDWATCH_KEY": "not the passphrase"})
    assert run.exit_code == 2
    assert "E303" in run.stderr
    assert "Traceback" not in run.stderr
    assert KEY["HRDWATCH_KEY"] not in run.stderr


def test_ask_key_prompts_for_the_key(cli: Cli, report: Path) -> None:
    assert cli("ingest", str(report), env=KEY).exit_code == 0
    run = cli("list", "--json", "--ask-key", input=KEY["HRDWATCH_KEY"] + "\n")
    assert run.exit_code == 0, run.stderr
    assert run.json()
