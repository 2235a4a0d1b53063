"""Save a case record, read it back: incident detail with evidence sentences, lists, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from hrdwatch.config import Secret
from hrdwatch.domain.records import CaseRecord, Event
from hrdwatch.domain.source import Source
from hrdwatch.errors import StoreError
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade
from hrdwatch.store.queries import export_all, get_incident, latest_incident_id, list_incidents
from hrdwatch.store.uow import UnitOfWork


def _save(engine: Engine, source: Source, record: CaseRecord) -> list[str]:
    with UnitOfWork(engine) as uow:
        ids = uow.records.save(uow.sources.add(source), record)
        uow.commit()
    return ids


@pytest.fixture
def saved(engine: Engine, source: Source, record: CaseRecord) -> list[str]:
    return _save(engine, source, record)


def test_arrest_incident_round_trip(engine: Engine, saved: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        detail = get_incident(uow.session, saved[0])
    assert (detail.date, detail.date_precision, detail.city, detail.country) == (
        "2025-03-03",
        "day",
        "Valdora",
        "LT",
    )
    assert (detail.status, detail.review_status) == ("extracted", "extracted")
    assert detail.source.title == "Valdora: lawyer and journalist arrested"
    pairs = {(a.victim, a.act_type) for a in detail.acts}
    assert pairs == {
        ("Mira Solvang", "arrest"),
        ("Mira Solvang", "physical_attack"),
        ("Tomas Eklund", "arrest"),
        ("Tomas Eklund", "physical_attack"),
    }
    assert all(a.perpetrators == ("Harlan Vex", "police") for a in detail.acts)
    assert {(p.label, p.kind) for p in detail.perpetrators} == {("police", "state"), ("Harlan Vex", "state")}
    mira = next(p for p in detail.people if p.name == "Mira Solvang")
    assert (mira.aliases, mira.description, mira.affiliations) == (
        ("Solvang",),
        "human rights lawyer",
        ("Northwind Rights Centre",),
    )
    assert [d.text for d in detail.demands][0] == "release Tomas Eklund"


def test_evidence_comes_with_its_sentence(engine: Engine, saved: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        detail = get_incident(uow.session, saved[0])
    by_field = {(e.fact_table, e.field): e for e in detail.evidence}
    arrest = by_field[("incidents", "act:arrest")]
    assert arrest.quote == "arrested"
    assert arrest.sentence == (
        "Human rights lawyer Mira Solvang and journalist Tomas Eklund were arrested on 3 March 2025 "
        "in Valdora by police officers."
    )
    assert by_field[("perpetrators", "perpetrator")].fact_table == "perpetrators"
    assert ("people", "victim") in by_field
    assert by_field[("sources", "country")].quote == "Valdora"
    assert by_field[("demands", "demand")].sentence.endswith("release Tomas Eklund immediately!")


def test_trial_incident_links_alias_charges_and_sanctions(engine: Engine, saved: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        detail = get_incident(uow.session, saved[1])
    assert {a.victim for a in detail.acts} == {"Mira Solvang", "Tomas Eklund"}  # "Solvang" is an alias
    assert [(c.offence, c.law, c.article) for c in detail.charges] == [
        ("disturbing public order", "Administrative Code", "212(3)")
    ]
    kinds = {
        (s.type, s.amount, s.amount_max, s.currency, s.months, s.incident_id is None)
        for s in detail.sanctions
    }
    assert kinds == {("fine", 5000, 6000, "EUR", None, False), ("prison", None, None, None, 6, True)}
    assert any(e.fact_table == "charges" and e.quote == "212(3)" for e in detail.evidence)
    assert [p.label for p in detail.perpetrators] == ["court in Valdora"]


def test_organisation_victim(engine: Engine, saved: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        detail = get_incident(uow.session, saved[2])
    assert detail.date is None
    assert [(a.victim, a.victim_kind, a.act_type) for a in detail.acts] == [
        ("Northwind Rights Centre", "organisation", "raid_search")
    ]
    assert [o.name for o in detail.organisations] == ["Northwind Rights Centre"]


def test_event_without_named_victims_gives_one_act_per_code(engine: Engine, source: Source) -> None:
    record = CaseRecord(
        id="t002", events=[Event(acts=["threat", "surveillance"], perpetrators=["unknown men"])]
    )
    [incident_id] = _save(engine, source, record)
    with UnitOfWork(engine) as uow:
        detail = get_incident(uow.session, incident_id)
    assert sorted((a.act_type, a.victim) for a in detail.acts) == [("surveillance", None), ("threat", None)]
    assert [(p.description, p.kind) for p in detail.perpetrators] == [("unknown men", "unknown")]


def test_unique_prefix_finds_the_incident(engine: Engine, saved: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        prefixes = {
            i: next(n for n in range(1, 33) if sum(j.startswith(i[:n]) for j in saved) == 1) for i in saved
        }
        for incident_id, n in prefixes.items():
            assert get_incident(uow.session, incident_id[: max(n, 4)].upper()).id == incident_id


def test_unknown_id_is_e305(engine: Engine, saved: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        for ident in ("", "  ", "zz", "0" * 32, "%", "_"):  # LIKE wildcards are matched literally
            with pytest.raises(StoreError) as info:
                get_incident(uow.session, ident)
            assert info.value.code == "E305"


def test_ambiguous_prefix_is_e310(engine: Engine, source: Source) -> None:
    record = CaseRecord(id="t003", events=[Event(acts=["threat"]) for _ in range(40)])
    ids = _save(engine, source, record)
    first_chars = [i[0] for i in ids]
    shared = max(set(first_chars), key=first_chars.count)  # 40 ids over 16 hex digits: some share
    with UnitOfWork(engine) as uow, pytest.raises(StoreError) as info:
        get_incident(uow.session, shared)
    assert info.value.code == "E310"


def test_list_incidents_and_latest(
    engine: Engine, saved: list[str], second_report: tuple[Source, CaseRecord]
) -> None:
    later = _save(engine, *second_report)
    with UnitOfWork(engine) as uow:
        summaries = list_incidents(uow.session)
        latest = latest_incident_id(uow.session)
        assert len(list_incidents(uow.session, limit=2)) == 2
    assert len(summaries) == 6
    assert [s.date for s in summaries] == ["2025-04-12"] * 2 + ["2025-03-03"] * 2 + [None] * 2
    first = next(s for s in summaries if s.id == saved[0])
    assert set(first.victims) == {"Mira Solvang", "Tomas Eklund"}
    assert set(first.acts) == {"arrest", "physical_attack"}
    assert (first.source_name, first.country, first.city, first.status) == (
        "valdora.txt",
        "LT",
        "Valdora",
        "extracted",
    )
    assert latest in later


def test_empty_database(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        assert list_incidents(uow.session) == []
        assert latest_incident_id(uow.session) is None


def test_export_all_is_lossless_json(
    engine: Engine, saved: list[str], source: Source, record: CaseRecord
) -> None:
    with UnitOfWork(engine) as uow:
        dump = export_all(uow.session)
    assert json.loads(json.dumps(dump)) == dump
    tables = dump["tables"]
    assert tables["sources"][0]["text"] == source.text
    assert tables["sources"][0]["metadata"] == source.metadata
    stored = sorted(
        (e["field"], e["start"], e["end"], e["quote"], e["stage"], e["rule"]) for e in tables["evidence"]
    )
    expected = sorted((e.field, e.start, e.end, e.quote, e.stage, e.rule) for _, e in record.all_evidence())
    assert stored == expected
    assert {i["id"] for i in tables["incidents"]} == set(saved)
    assert all(
        row["review_status"] == "extracted" for name in ("acts", "people", "charges") for row in tables[name]
    )
    assert len(tables["acts"]) == 4 + 4 + 1
    assert len(tables["involvements"]) == 4 * 2 + 4 + 1


def test_encrypted_database_keeps_reports_unreadable_on_disk(
    sqlite_url: str, tmp_path: Path, source: Source, record: CaseRecord
) -> None:
    key = Secret("fictional passphrase")
    engine = make_engine(sqlite_url, key=key)
    upgrade(engine)
    [first, *_] = _save(engine, source, record)
    engine.dispose()
    reopened = make_engine(sqlite_url, key=key)
    with UnitOfWork(reopened) as uow:
        assert get_incident(uow.session, first).city == "Valdora"
    reopened.dispose()
    for path in (tmp_path / "data").iterdir():
        content = path.read_bytes()
        assert b"Mira Solvang" not in content
        assert b"Valdora" not in content
