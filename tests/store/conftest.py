"""Store fixtures: a migrated database per test (a SQLite file, and PostgreSQL when
HRDWATCH_TEST_PG_URL is set) and a small fictional case record with evidence."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.evidence import Evidence
from hrdwatch.domain.records import CaseRecord, Charge, Demand, Event, Perpetrator, Place, Sanction, Victim
from hrdwatch.domain.source import Source
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade
from hrdwatch.store.uow import UnitOfWork

PG_URL = os.environ.get("HRDWATCH_TEST_PG_URL")

REPORT = (
    "Human rights lawyer Mira Solvang and journalist Tomas Eklund were arrested on 3 March 2025 "
    "in Valdora by police officers. Solvang was pushed to the ground by Inspector Harlan Vex.\n"
    "On 12 April 2025 a court in Valdora convicted both of disturbing public order under "
    "Article 212(3) of the Administrative Code. Solvang was fined 5,000 to 6,000 euros. "
    "Eklund was sentenced to six months in prison.\n"
    "Police raided the office of the Northwind Rights Centre, where Solvang works.\n"
    "The Observatory urges the authorities to release Tomas Eklund immediately! "
    "It calls on them to end all harassment of the Northwind Rights Centre."
)


def ev(field: str, quote: str, *, occurrence: int = 0, stage: str = "test") -> Evidence:
    """Evidence for the ``occurrence``-th appearance of ``quote`` in REPORT."""
    start = -1
    for _ in range(occurrence + 1):
        start = REPORT.index(quote, start + 1)
    return Evidence(field=field, start=start, end=start + len(quote), quote=quote, stage=stage, rule="r1")


def make_source(body: str = REPORT, *, name: str = "valdora.txt") -> Source:
    return Source(
        name=name,
        text=body,
        sha256=hashlib.sha256(body.encode()).hexdigest(),
        size=len(body.encode()),
        media_type="text/plain",
        reader="text",
        language="en",
        title="Valdora: lawyer and journalist arrested",
        published="2025-04-20",
        url="https://example.org/valdora",
        publisher="Example Observatory",
        doc_id="t001",
        metadata={"header": {"id": "t001"}},
    )


def save_report(engine: Engine, source: Source, record: CaseRecord) -> tuple[str, list[str]]:
    """Store one report and its record in one transaction: (source id, incident ids)."""
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        ids = uow.records.save(source_id, record)
        uow.commit()
    return source_id, ids


def make_record() -> CaseRecord:
    victims = [
        Victim(
            "Mira Solvang",
            aliases=["Solvang"],
            description="human rights lawyer",
            affiliations=["Northwind Rights Centre"],
            evidence=[ev("victim", "Mira Solvang")],
        ),
        Victim("Tomas Eklund", description="journalist", evidence=[ev("victim", "Tomas Eklund")]),
        Victim(
            "Northwind Rights Centre", kind="organisation", evidence=[ev("victim", "Northwind Rights Centre")]
        ),
    ]
    perpetrators = [
        Perpetrator(None, "state", "police", evidence=[ev("perpetrator", "police officers")]),
        Perpetrator("Harlan Vex", "state", "police inspector", evidence=[ev("perpetrator", "Harlan Vex")]),
        Perpetrator(None, "state", "court in Valdora", evidence=[ev("perpetrator", "a court in Valdora")]),
    ]
    arrest = Event(
        acts=["arrest", "physical_attack"],
        victims=["Mira Solvang", "Tomas Eklund"],
        perpetrators=["police", "Harlan Vex"],
        date=PartialDate(2025, 3, 3),
        place=Place(city="Valdora", country="LT"),
        evidence=[ev("act:arrest", "arrested"), ev("date", "3 March 2025"), ev("city", "Valdora")],
    )
    trial = Event(
        acts=["conviction", "fine"],
        victims=["Solvang", "Tomas Eklund"],
        perpetrators=["court in Valdora"],
        date=PartialDate(2025, 4, 12),
        place=Place(city="Valdora", country="LT", site="court"),
        charges=[
            Charge(
                "disturbing public order", "Administrative Code", "212(3)", evidence=[ev("article", "212(3)")]
            )
        ],
        sanctions=[
            Sanction("fine", 5000, 6000, "EUR", evidence=[ev("sanction", "fined 5,000 to 6,000 euros")])
        ],
        evidence=[ev("act:conviction", "convicted"), ev("date", "12 April 2025")],
    )
    raid = Event(
        acts=["raid_search"],
        victims=["Northwind Rights Centre"],
        perpetrators=["police"],
        place=Place(country="LT"),
        evidence=[ev("act:raid_search", "raided")],
    )
    return CaseRecord(
        id="t001",
        language="en",
        countries=["LT"],
        victims=victims,
        perpetrators=perpetrators,
        organisations=["Northwind Rights Centre"],
        events=[arrest, trial, raid],
        legal_articles=["212(3)"],
        sanctions=[Sanction("prison", months=6, evidence=[ev("sanction", "six months in prison")])],
        demands=[
            Demand("release Tomas Eklund", evidence=[ev("demand", "release Tomas Eklund immediately")]),
            Demand("end all harassment of the Northwind Rights Centre"),
        ],
        evidence=[ev("country", "Valdora", occurrence=1)],
    )


@pytest.fixture
def source() -> Source:
    return make_source()


@pytest.fixture
def record() -> CaseRecord:
    return make_record()


@pytest.fixture
def second_report() -> tuple[Source, CaseRecord]:
    """Another report (different bytes, so a different sha256) with the same record shape."""
    return make_source(REPORT + "\nUpdated.", name="other.txt"), make_record()


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return f"sqlite:///{tmp_path}/data/hrdwatch.db"


@contextmanager
def fresh_pg_database(prefix: str = "hrdwatch_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the test server, dropped afterwards."""
    assert PG_URL, "HRDWATCH_TEST_PG_URL is not set"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        pytest.skip("HRDWATCH_TEST_PG_URL is not set")
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A database made by the migrations, on SQLite and (when available) PostgreSQL."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()
