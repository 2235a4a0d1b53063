"""``hrdwatch merge`` and ``hrdwatch split`` (issue 9), run through Typer's CliRunner on a SQLite
file filled through the store: what moved, the merge id, the split that restores the database,
confirmation for confidential records, refusals as coded errors. Every name is invented."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord, Event, Place, Victim
from hrdwatch.domain.source import Source
from hrdwatch.errors import HrdwatchError
from hrdwatch.interfaces.cli import merging
from hrdwatch.store import cases as c
from hrdwatch.store import entities as e
from hrdwatch.store import tables as t
from hrdwatch.store.engine import make_engine
from hrdwatch.store.marks import set_confidential
from hrdwatch.store.migrate import upgrade
from hrdwatch.store.uow import UnitOfWork

#: the two commands as the lead registers them in cli/app.py
CLI = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
CLI.command()(merging.merge)
CLI.command()(merging.split)
HISTORY = frozenset({"audit_log", "audit_head", "merges"})


def _report(day: int) -> tuple[Source, CaseRecord]:
    body = f"Journalist Ilsa Morvane was arrested by police in Nairobi, Kenya, on {day} March 2025."
    source = Source(
        name=f"morvane-{day}.txt",
        text=body,
        sha256=hashlib.sha256(body.encode()).hexdigest(),
        size=len(body.encode()),
        media_type="text/plain",
        reader="text",
        title=f"Kenya: journalist arrested on {day} March",
    )
    arrest = Event(
        acts=["arrest"],
        victims=["Ilsa Morvane"],
        date=PartialDate(2025, 3, day),
        place=Place(city="Nairobi", country="KE"),
    )
    return source, CaseRecord(id=f"m{day}", victims=[Victim("Ilsa Morvane")], events=[arrest])


class Db:
    """Two reports about one journalist, each with its own entity and its own case."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        upgrade(self.engine)
        self.people: list[str] = []
        self.entities: list[str] = []
        self.incidents: list[str] = []
        with UnitOfWork(self.engine) as uow:
            for day in (3, 9):
                self._add(uow, *_report(day))
            uow.commit()

    def _add(self, uow: UnitOfWork, source: Source, record: CaseRecord) -> None:
        source_id = uow.sources.add(source)
        (incident,) = uow.records.save(source_id, record)
        (person,) = uow.session.scalars(select(t.Person.id).where(t.Person.source_id == source_id))
        entity = e.add_entity(uow.session, kind="person", name="Ilsa Morvane", country="KE")
        e.set_mention_entity(uow.session, "people", person, entity)
        number = c.next_case_number(uow.session, "KEN")
        ref = f"KEN {number:03d} / 0325"
        case = c.add_case(
            uow.session, ref=ref, country="KEN", number=number, opened="2025-03", situation="detained"
        )
        c.add_case_incident(uow.session, case, incident, decision="auto")
        c.add_case_entity(uow.session, case, entity)
        self.people.append(person)
        self.entities.append(entity)
        self.incidents.append(incident)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.engine.connect() as conn:
            return {
                name: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {name}"))), key=repr)
                for name in t.Base.metadata.tables
                if name not in HISTORY
            }


@pytest.fixture
def db(tmp_path: Path) -> Db:
    return Db(f"sqlite:///{tmp_path / 't.db'}")


def run(db: Db, *args: str) -> Any:
    return CliRunner().invoke(CLI, [*args, "--db", db.url])


def _merge_id(stdout: str) -> str:
    return stdout.split("merge ", 1)[1].split()[0]


def test_merge_people_prints_what_moved_and_split_restores(db: Db) -> None:
    before = db.dump()
    survivor, absorbed = db.entities
    done = run(db, "merge", "person", survivor, absorbed)
    assert done.exit_code == 0, done.output
    merge_id = _merge_id(done.stderr)
    assert done.stdout == ""  # messages on stderr; --json puts the merge on stdout
    assert done.stderr.splitlines() == [
        f"merged person {absorbed} into {survivor}: merge {merge_id}",
        "moved: 1 case_entities, 1 people",
        f"undo with: hrdwatch split {merge_id}",
    ]
    assert db.dump() != before
    undone = run(db, "split", merge_id)
    assert undone.exit_code == 0, undone.output
    assert undone.stderr.splitlines() == [
        f"split merge {merge_id}: entity {absorbed} is apart from {survivor}",
        "moved back: 1 case_entities, 1 people",
    ]
    assert db.dump() == before


def test_merge_incidents_and_cases_as_json(db: Db) -> None:
    before = db.dump()
    incidents = run(db, "merge", "incident", *db.incidents, "--json")
    assert incidents.exit_code == 0, incidents.output
    merged = json.loads(incidents.stdout)
    assert (merged["kind"], merged["moved"], merged["added"]) == (
        "incident",
        {"case_incidents": 1},
        {"chain_links": 1},
    )
    assert merged["created_by"].startswith("cli:") and merged["undone_at"] is None
    split = json.loads(run(db, "split", merged["id"], "--json").stdout)
    assert split["undone_at"] is not None
    cases = run(db, "merge", "case", "KEN 001 / 0325", "ken 002/0325")
    assert cases.exit_code == 0, cases.output
    assert "moved: 1 case_entities, 1 case_incidents" in cases.stderr
    assert run(db, "split", _merge_id(cases.stderr)).exit_code == 0
    assert db.dump() == before


def test_a_confidential_side_needs_confirm(db: Db) -> None:
    with UnitOfWork(db.engine) as uow:
        set_confidential(uow.session, "people", db.people[1], confidential=True, fields=None)
        uow.commit()
    before = db.dump()
    refused = run(db, "merge", "person", *db.entities)
    assert isinstance(refused.exception, HrdwatchError) and refused.exception.code == "E533"
    assert db.dump() == before
    confirmed = run(db, "merge", "person", *db.entities, "--confirm")
    assert confirmed.exit_code == 0, confirmed.output


def test_refusals_are_coded(db: Db) -> None:
    cases = {
        ("merge", "organisation", *db.entities): "E511",  # they are people
        ("merge", "person", db.entities[0], db.entities[0]): "E530",
        ("merge", "case", "KEN 001 / 0325", "KEN 009 / 0325"): "E522",
        ("split", "0" * 32): "E511",
    }
    for args, code in cases.items():
        result = run(db, *args)
        assert isinstance(result.exception, HrdwatchError), args
        assert result.exception.code == code, (args, result.exception.detail)
    unknown = run(db, "merge", "planet", *db.entities)
    assert unknown.exit_code == 2 and "planet" in unknown.output
