"""``hrdwatch cases``, ``case show REF`` and ``link --rebuild`` on a database holding the fictional
reports of tests/services/fixtures/cases (the real extractor, through the ingest service)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hrdwatch.config import Settings
from hrdwatch.domain.lineage import Step, StepKind
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.ingest.registry import read_path
from hrdwatch.interfaces.cli import cases as cli_cases
from hrdwatch.services.filing import linker_from
from hrdwatch.services.ingest import Outcome, ingest_one
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade

FIXTURES = Path(__file__).parents[1] / "services" / "fixtures" / "cases"

#: the lines the lead adds to cli/app.py, here on an app of their own
app = typer.Typer()
app.command("cases")(cli_cases.cases)
app.add_typer(cli_cases.case_app, name="case")
app.command("link")(cli_cases.link)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-cases') / 'cases.db'}"
    engine = make_engine(url)
    upgrade(engine)
    settings, extractor = Settings(), Extractor()
    for name in ("1-arrest.txt", "2-hearing.txt", "4-namesake.txt"):
        source = read_path(FIXTURES / name, settings=settings)
        result = ingest_one(source, engine=engine, extractor=extractor, linker=linker_from(settings))
        assert result.outcome is Outcome.INGESTED
    engine.dispose()
    return url


def run(*args: str) -> list | dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if "--json" in args else {"text": result.stdout}


def test_cases_json(db: str) -> None:
    found = run("cases", "--db", db, "--json")
    assert isinstance(found, list)
    assert [c["ref"][:7] for c in found] == ["KAZ 001", "KGZ 001"]
    assert found[0]["entity_names"] == ["Aigerim Dzhaksybekova", "Nurlan Temirkhanov"]
    assert run("cases", "--db", db, "--status", "closed", "--json") == []


def test_case_show_json_and_text(db: str) -> None:
    ref = run("cases", "--db", db, "--json")[0]["ref"]  # type: ignore[index]
    file = run("case", "show", ref, "--db", db, "--json")
    assert isinstance(file, dict)
    assert file["case"]["ref"] == ref and file["case"]["situation"] == "detained"
    assert file["lineage"][0]["step"] == "arrest" and file["lineage"][0]["evidence_ids"]
    assert file["pending"] and all("defenders: " in p["reasons"][0] for p in file["pending"])
    text = run("case", "show", ref, "--db", db)["text"]  # type: ignore[call-overload]
    assert re.search(r"lineage: arrest \(2025-01-10\) \[\S*1-arrest.txt\] -> detention \(2025-01-10\)", text)


def test_unknown_case_is_a_coded_error(db: str) -> None:
    result = CliRunner().invoke(app, ["case", "show", "KAZ 999 / 0125", "--db", db])
    assert result.exit_code != 0 and "E522" in str(result.exception)


def test_link_rebuild_twice(db: str) -> None:
    first = run("link", "--rebuild", "--db", db, "--json")
    again = run("link", "--rebuild", "--db", db, "--json")
    assert isinstance(first, dict) and isinstance(again, dict)
    assert again["links_added"] == again["suggestions_added"] == 0 and again["cases_opened"] == []
    assert again["entities_before"] == again["entities_after"] == first["entities_after"]


def test_chain_draws_steps_with_their_sources() -> None:
    steps = (
        Step(StepKind.ARREST, "2025-01-10", ("arrest",), ("i1",), ("e1",)),
        Step(StepKind.DETENTION, None, ("detention",), ("i2",), ()),
    )
    assert cli_cases.chain(steps, {"i1": "Report A"}) == "arrest (2025-01-10) [Report A] -> detention"
