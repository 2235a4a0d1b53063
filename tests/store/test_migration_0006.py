"""Migration 0006 (issue 9): up and down on an empty database, and on a database filled under the
old schema, which becomes canonical entities and cases without a single old value changing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord, Event, Place, Victim
from hrdwatch.domain.source import Source
from hrdwatch.store import tables as t
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import alembic_config, current_revision, head_revision, upgrade
from hrdwatch.store.uow import UnitOfWork

NEW_TABLES = {
    "entities",
    "entity_links",
    "cases",
    "case_counters",
    "case_incidents",
    "case_entities",
    "chain_links",
    "merges",
}
NEW_COLUMNS = {"people": {"entity_id"}, "organisations": {"entity_id"}, "incidents": {"same_as_id"}}
RECORD_TABLES = frozenset({*t.FACT_TABLES, "evidence"})
REF = re.compile(r"^[A-Z]{3} \d{3} / \d{4}$")


def _valk_report(base: Source, name: str, act: str, day: PartialDate) -> tuple[Source, CaseRecord]:
    """A fictional report about the invented defender Teodor Valk, under the spelling ``name``."""
    body = f"{name}, a human rights defender in Qostanay, faced {act} on {day.iso}."
    digest = hashlib.sha256(body.encode()).hexdigest()
    source = replace(base, name=f"valk-{act}.txt", text=body, sha256=digest, size=len(body.encode()))
    event = Event(acts=[act], victims=[name], date=day, place=Place(city="Qostanay", country="KZ"))
    return source, CaseRecord(id=act, victims=[Victim(name)], events=[event])


@pytest.fixture
def old_db(db_url: str, source: Source, record: CaseRecord) -> Iterator[Engine]:
    """A database at revision 0005 holding two reports on Teodor Valk under two name orders (an
    arrest, then a conviction) and the Valdora report, which names no namesake of his."""
    engine = make_engine(db_url)
    _at(engine, "0005")
    valk = [
        _valk_report(source, "Teodor Valk", "arrest", PartialDate(2025, 3, 3)),
        _valk_report(source, "Valk, Teodor", "conviction", PartialDate(2025, 6, 5)),
    ]
    _fill(engine, [*valk, (source, record)])
    yield engine
    engine.dispose()


def _at(engine: Engine, revision: str, *, down: bool = False) -> None:
    with engine.begin() as conn:
        (command.downgrade if down else command.upgrade)(alembic_config(conn), revision)


def _fill(engine: Engine, reports: list[tuple[Source, CaseRecord]]) -> None:
    """Store ``reports`` in ``engine``'s old schema: written by today's record writer into a scratch
    database, then copied column by column into the tables and columns the old schema has."""
    scratch = create_engine("sqlite://")
    t.Base.metadata.create_all(scratch)
    for source, record in reports:
        with UnitOfWork(scratch) as uow:
            uow.records.save(uow.sources.add(source), record)
            uow.commit()
    old = _old_schema(engine)
    with scratch.connect() as src, engine.begin() as dst:
        for table in t.Base.metadata.sorted_tables:
            if table.name in RECORD_TABLES:
                columns = [c for c in table.columns if c.name in old[table.name]]
                rows = [dict(r) for r in src.execute(select(*columns)).mappings()]
                if rows:
                    dst.execute(table.insert(), rows)
    scratch.dispose()


def _dump(conn: Connection, tables: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` (only the listed columns), as the driver reads them, in key order."""
    dump = {}
    for table, columns in tables.items():
        names = ", ".join(f'"{c}"' for c in columns)
        rows = conn.execute(text(f"SELECT {names} FROM {table}")).all()
        dump[table] = sorted((tuple(r) for r in rows), key=repr)
    return dump


def _old_schema(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine)
    return {
        name: [c["name"] for c in found.get_columns(name)]
        for name in found.get_table_names()
        if name != "alembic_version" and not name.startswith("sources_fts")
    }


def test_up_and_down_on_an_empty_database(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    assert NEW_TABLES <= set(inspect(engine).get_table_names())
    _at(engine, "0005", down=True)
    found = inspect(engine)
    assert not NEW_TABLES & set(found.get_table_names())
    for table, columns in NEW_COLUMNS.items():
        assert not columns & {c["name"] for c in found.get_columns(table)}
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_filled_database_becomes_entities_and_cases(old_db: Engine) -> None:
    old = _old_schema(old_db)
    with old_db.connect() as conn:
        before = _dump(conn, old)
    upgrade(old_db)
    with old_db.connect() as conn:
        assert _dump(conn, old) == before  # not one old value changed
        valk = conn.execute(
            text("SELECT DISTINCT entity_id FROM people WHERE name IN ('Teodor Valk', 'Valk, Teodor')")
        ).all()
        assert len(valk) == 1
        entity = conn.execute(
            text("SELECT name, country, kind FROM entities WHERE id = :e"), {"e": valk[0][0]}
        )
        assert tuple(entity.one()) == ("Valk, Teodor", "KZ", "person")  # the longest name
        cases = conn.execute(
            text(
                "SELECT c.id, c.ref, c.country, c.number, c.status, c.situation FROM cases c "
                "JOIN case_entities e ON e.case_id = c.id WHERE e.entity_id = :e"
            ),
            {"e": valk[0][0]},
        ).all()
        assert len(cases) == 1
        case_id, ref, country, number, status, situation = cases[0]
        assert REF.match(ref) and ref.startswith("KAZ 001 / ")
        assert (country, number, status, situation) == ("KAZ", 1, "open", "unknown")
        followups = conn.execute(
            text(
                "SELECT ci.followup, i.date FROM case_incidents ci JOIN incidents i ON i.id = ci.incident_id "
                "WHERE ci.case_id = :c ORDER BY ci.followup"
            ),
            {"c": case_id},
        ).all()
        assert [tuple(f) for f in followups] == [(0, "2025-03-03"), (1, "2025-06-05")]


def test_every_mention_gets_an_entity_and_a_link(old_db: Engine) -> None:
    with old_db.begin() as conn:  # a rejected mention still goes to its own name's entity
        conn.execute(text("UPDATE people SET review_status = 'rejected' WHERE name = 'Valk, Teodor'"))
    upgrade(old_db)
    with old_db.connect() as conn:
        for table in ("people", "organisations"):
            assert conn.execute(text(f"SELECT count(*) FROM {table} WHERE entity_id IS NULL")).scalar() == 0
            links = conn.execute(
                text(
                    f"SELECT count(*) FROM entity_links l JOIN {table} m ON m.id = l.mention_id "
                    "AND m.entity_id = l.entity_id WHERE l.decision = 'auto' AND l.score = 1.0"
                )
            ).scalar()
            assert links == conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
        names = conn.execute(
            text("SELECT e.name FROM entities e JOIN people p ON p.entity_id = e.id")
        ).scalars()
        assert "Teodor Valk" in set(names)  # named after the mention that is not rejected


def test_cases_are_numbered_per_country_and_counted(old_db: Engine) -> None:
    with old_db.begin() as conn:
        conn.execute(text("UPDATE incidents SET confidential = true WHERE date IS NULL"))  # the raid
        month = conn.execute(text("SELECT min(ingested_at) FROM sources")).scalar()
    upgrade(old_db)
    with old_db.connect() as conn:
        refs = conn.execute(text("SELECT country, number, ref, confidential FROM cases ORDER BY ref")).all()
        counters = dict(conn.execute(text("SELECT country, last_number FROM case_counters")).all())
    # Valdora: the arrest and the trial share their victims; the raid is on the centre alone
    mmyy = f"{str(month)[5:7]}{str(month)[2:4]}"
    assert [tuple(r) for r in refs] == [
        ("KAZ", 1, f"KAZ 001 / {mmyy}", False),
        ("LTU", 1, f"LTU 001 / {mmyy}", False),
        ("LTU", 2, f"LTU 002 / {mmyy}", True),
    ]
    assert counters == {"KAZ": 1, "LTU": 2}


def test_downgrade_gives_back_the_old_rows(old_db: Engine) -> None:
    old = _old_schema(old_db)
    with old_db.connect() as conn:
        before = _dump(conn, old)
    upgrade(old_db)
    _at(old_db, "0005", down=True)
    assert _old_schema(old_db) == old
    with old_db.connect() as conn:
        assert _dump(conn, old) == before
