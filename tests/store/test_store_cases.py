"""The issue-9 store: entities and their links, case numbers, cases and follow-ups, the case list
and timeline, chain links, and merges undone exactly (SQLite, and PostgreSQL when available)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import StoreError
from hrdwatch.store import cases as c
from hrdwatch.store import entities as e
from hrdwatch.store import merges as m
from hrdwatch.store import tables as t
from hrdwatch.store.case_views import ColumnChange
from hrdwatch.store.uow import UnitOfWork


@pytest.fixture
def incidents(engine: Engine, source: Source, record: CaseRecord) -> list[str]:
    """The fictional Valdora report stored: its incidents (arrest, trial, raid)."""
    with UnitOfWork(engine) as uow:
        ids = uow.records.save(uow.sources.add(source), record)
        uow.commit()
    return ids


def _person_ids(uow: UnitOfWork) -> dict[str, str]:
    return {p.name: p.id for p in uow.session.scalars(select(t.Person))}


def _new_case(uow: UnitOfWork, country: str = "KAZ") -> str:
    number = c.next_case_number(uow.session, country)
    ref = f"{country} {number:03d} / 1125"
    return c.add_case(
        uow.session, ref=ref, country=country, number=number, opened="2025-11", situation="unknown"
    )


# -- entities --------------------------------------------------------------------------------------


def test_entities_mentions_and_names(engine: Engine, incidents: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        people = _person_ids(uow)
        mira = e.add_entity(uow.session, kind="person", name="Mira Solvang", country="LT")
        other = e.add_entity(uow.session, kind="person", name="Someone Else")
        e.set_mention_entity(uow.session, "people", people["Mira Solvang"], mira)
        e.update_entity(uow.session, other, name="Someone Else", country=None)
        uow.commit()
    with UnitOfWork(engine, read_only=True) as uow:
        (found,) = e.mentions(uow.session, "people", entity_ids=[mira])
        assert (found.name, found.source_title, found.entity_id) == (
            "Mira Solvang",
            "Valdora: lawyer and journalist arrested",
            mira,
        )
        unlinked = {p.name for p in e.mentions(uow.session, "people")}
        assert unlinked == {"Tomas Eklund"}
        names = {eid: (names, country) for eid, names, country in e.entity_names(uow.session, "person")}
        assert names[mira] == (("Mira Solvang", "Solvang"), "LT")  # the display name, then aliases
        assert names[other] == (("Someone Else",), None)
        assert [v.name for v in e.entities(uow.session, [other, mira])] == ["Mira Solvang", "Someone Else"]


def test_merged_entities_are_no_candidates(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        kept = e.add_entity(uow.session, kind="organisation", name="Northwind Rights Centre")
        gone = e.add_entity(uow.session, kind="organisation", name="Northwind Centre")
        m.apply_changes(uow.session, [ColumnChange("entities", gone, "merged_into", None, kept)])
        assert [eid for eid, _, _ in e.entity_names(uow.session, "organisation")] == [kept]
        assert e.entity_names(uow.session, "person") == []


def test_a_link_is_stored_once_and_updated(engine: Engine, incidents: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        mention = ("people", _person_ids(uow)["Tomas Eklund"])
        entity = e.add_entity(uow.session, kind="person", name="Tomas Eklund")
        first = e.save_link(
            uow.session,
            mention=mention,
            entity_id=entity,
            score=0.7,
            reasons=["similar name"],
            decision="suggested",
        )
        again = e.save_link(
            uow.session,
            mention=mention,
            entity_id=entity,
            score=0.7,
            reasons=["similar name"],
            decision="confirmed",
            decided_by="ana",
            decided_at=t.utcnow(),
        )
        uow.commit()
    assert first == again
    with UnitOfWork(engine, read_only=True) as uow:
        (link,) = e.mention_links(uow.session, *mention)
        assert (link.decision, link.decided_by, link.reasons) == ("confirmed", "ana", ("similar name",))
        assert e.links_with_decision(uow.session, "suggested") == ()


# -- case numbers ----------------------------------------------------------------------------------


def test_case_numbers_go_up_per_country_and_are_never_reused(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        first, second = _new_case(uow), _new_case(uow)
        c.update_case(uow.session, second, {"merged_into": first})  # merged away: its number stays spent
        assert c.next_case_number(uow.session, "KAZ") == 3
        assert c.next_case_number(uow.session, "BLR") == 1
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert c.next_case_number(uow.session, "KAZ") == 4
        uow.rollback()
    with UnitOfWork(engine) as uow:  # a rolled-back number is given again: nothing holds it
        assert c.next_case_number(uow.session, "KAZ") == 4


def test_a_reference_or_number_is_refused_twice(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        _new_case(uow)
        uow.commit()
    for ref, number in (("KAZ 001 / 1125", 9), ("KAZ 009 / 1125", 1)):
        with UnitOfWork(engine) as uow, pytest.raises(IntegrityError):
            c.add_case(
                uow.session, ref=ref, country="KAZ", number=number, opened="2025-11", situation="unknown"
            )


def _take_number(engine: Engine, taken: list[int]) -> None:
    with UnitOfWork(engine) as uow:
        taken.append(c.next_case_number(uow.session, "KAZ"))
        uow.commit()


def test_concurrent_writers_never_share_a_number(engine: Engine) -> None:
    taken: list[int] = []
    threads = [threading.Thread(target=_take_number, args=(engine, taken)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 9))


# -- cases, follow-ups, the list and the timeline --------------------------------------------------


def test_a_case_with_follow_ups_lists_and_reads_back(engine: Engine, incidents: list[str]) -> None:
    arrest, trial, raid = incidents
    with UnitOfWork(engine) as uow:
        case = _new_case(uow, "LTU")
        entity = e.add_entity(uow.session, kind="person", name="Tomas Eklund")
        followups = [
            c.add_case_incident(uow.session, case, arrest, decision="auto"),
            c.add_case_incident(
                uow.session, case, trial, decision="suggested", score=0.8, reasons=["same victim"]
            ),
            c.add_case_incident(uow.session, case, raid, decision="auto"),
        ]
        c.add_case_entity(uow.session, case, entity)
        c.add_case_entity(uow.session, case, entity)  # said twice: stored once
        c.decide_case_incident(uow.session, case, raid, decision="rejected", decided_by="ana")
        uow.commit()
    assert followups == [0, 1, 2]
    with UnitOfWork(engine, read_only=True) as uow:
        (summary,) = c.list_cases(uow.session)
        assert (summary.ref, summary.entity_names, summary.incidents, summary.last_date) == (
            "LTU 001 / 1125",
            ("Tomas Eklund",),
            1,
            "2025-03-03",  # suggested and rejected not counted
        )
        view = c.case_by_ref(uow.session, "LTU 001 / 1125")
        assert view is not None and view == c.case_by_id(uow.session, case) and view.status == "open"
        timeline = c.case_incidents(uow.session, case)
        assert [(i.incident_id, i.followup, i.decision) for i in timeline] == [
            (arrest, 0, "auto"),
            (trial, 1, "suggested"),
            (raid, 2, "rejected"),
        ]
        assert {(a.act_type, a.victim) for a in timeline[0].acts} >= {
            ("arrest", "Mira Solvang"),
            ("arrest", "Tomas Eklund"),
        }
        assert [i.incident_id for i in c.case_incidents(uow.session, case, pending=False)] == [arrest]
        assert [v.id for v in c.cases_of(uow.session, incident_ids=[trial])] == [case]
        assert [v.id for v in c.cases_of(uow.session, entity_ids=[entity])] == [case]
        assert [v.name for v in c.case_entities(uow.session, case)] == ["Tomas Eklund"]


def test_update_case_sets_only_case_fields(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        case = _new_case(uow)
        c.update_case(
            uow.session, case, {"status": "closed", "situation": "released", "closed_at": t.utcnow()}
        )
        view = c.case_by_id(uow.session, case)
        assert view is not None and (view.status, view.situation) == ("closed", "released")
        assert c.list_cases(uow.session, status="open") == ()
        with pytest.raises(ValueError, match="ref"):
            c.update_case(uow.session, case, {"ref": "KAZ 002 / 1125"})


def test_chain_links(engine: Engine, incidents: list[str]) -> None:
    arrest, trial, raid = incidents
    with UnitOfWork(engine) as uow:
        link = c.add_chain_link(uow.session, trial, arrest, "follow_up_of", created_by="ana")
        c.add_chain_link(uow.session, raid, arrest, "caused_by", created_by=None)
        assert [(x.from_incident_id, x.relation) for x in c.chain_links(uow.session, [trial])] == [
            (trial, "follow_up_of")
        ]
        assert len(c.chain_links(uow.session)) == 2
        c.remove_chain_link(uow.session, link)
        assert [x.relation for x in c.chain_links(uow.session, [arrest])] == ["caused_by"]
        uow.commit()
    with UnitOfWork(engine) as uow, pytest.raises(IntegrityError):
        c.add_chain_link(uow.session, raid, arrest, "caused_by", created_by=None)


# -- merges ----------------------------------------------------------------------------------------

TABLES = ("entities", "people", "cases", "case_incidents", "case_entities", "incidents")


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            table: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}"))), key=repr)
            for table in TABLES
        }


def _two_cases(engine: Engine, incidents: list[str]) -> tuple[str, str, str, str]:
    """Two cases about one defender told twice, each with its entity: (case a, case b, entity a, b)."""
    arrest, trial, _ = incidents
    with UnitOfWork(engine) as uow:
        people = _person_ids(uow)
        ent_a = e.add_entity(uow.session, kind="person", name="Tomas Eklund")
        ent_b = e.add_entity(uow.session, kind="person", name="T. Eklund")
        e.set_mention_entity(uow.session, "people", people["Tomas Eklund"], ent_b)
        case_a, case_b = _new_case(uow, "LTU"), _new_case(uow, "LTU")
        c.add_case_incident(uow.session, case_a, arrest, decision="auto")
        c.add_case_incident(uow.session, case_b, trial, decision="auto")
        c.add_case_entity(uow.session, case_a, ent_a)
        c.add_case_entity(uow.session, case_b, ent_b)
        uow.commit()
    return case_a, case_b, ent_a, ent_b


def test_merge_then_undo_restores_every_row_exactly(engine: Engine, incidents: list[str]) -> None:
    case_a, case_b, ent_a, ent_b = _two_cases(engine, incidents)
    arrest, trial, _ = incidents
    before = _dump(engine)
    with UnitOfWork(engine) as uow:
        mention = _person_ids(uow)["Tomas Eklund"]
        changes = [
            ColumnChange("people", mention, "entity_id", ent_b, ent_a),
            ColumnChange("entities", ent_b, "merged_into", None, ent_a),
            ColumnChange("case_incidents", {"case_id": case_b, "incident_id": trial}, "followup", 0, 1),
            ColumnChange(
                "case_incidents", {"case_id": case_b, "incident_id": trial}, "case_id", case_b, case_a
            ),
            ColumnChange(
                "case_entities",
                {"case_id": case_b, "entity_id": ent_b},
                m.ROW,
                {"case_id": case_b, "entity_id": ent_b},
                None,
            ),
            ColumnChange("cases", case_b, "merged_into", None, case_a),
            ColumnChange("incidents", trial, "same_as_id", None, arrest),
        ]
        m.apply_changes(uow.session, changes)
        merge = m.record_merge(
            uow.session,
            kind="case",
            survivor_id=case_a,
            absorbed_id=case_b,
            changes=changes,
            created_by="ana",
        )
        uow.commit()
    with UnitOfWork(engine, read_only=True) as uow:
        assert [i.incident_id for i in c.case_incidents(uow.session, case_a)] == [arrest, trial]
        assert [x.id for x in m.merges_of(uow.session, case_b)] == [merge]
    assert _dump(engine) != before
    with UnitOfWork(engine) as uow:
        undone = m.undo_merge(uow.session, merge, undone_by="ana")
        uow.commit()
    assert _dump(engine) == before
    assert undone.undone_by == "ana" and undone.undone_at is not None and undone.changes == tuple(changes)
    with UnitOfWork(engine) as uow, pytest.raises(StoreError) as info:
        m.undo_merge(uow.session, merge, undone_by="ana")  # split twice
    assert info.value.code == "E318"


def test_a_change_to_a_row_changed_since_is_refused(engine: Engine, incidents: list[str]) -> None:
    _, case_b, ent_a, ent_b = _two_cases(engine, incidents)
    with UnitOfWork(engine) as uow:
        changes = [ColumnChange("entities", ent_b, "merged_into", None, ent_a)]
        m.apply_changes(uow.session, changes)
        merge = m.record_merge(
            uow.session, kind="entity", survivor_id=ent_a, absorbed_id=ent_b, changes=changes, created_by=None
        )
        uow.commit()
    with UnitOfWork(engine) as uow:  # someone merged it elsewhere meanwhile
        m.apply_changes(uow.session, [ColumnChange("entities", ent_b, "merged_into", ent_a, None)])
        uow.commit()
    with UnitOfWork(engine) as uow, pytest.raises(StoreError) as info:
        m.undo_merge(uow.session, merge, undone_by=None)
    assert info.value.code == "E318"
    view = None
    with UnitOfWork(engine, read_only=True) as uow:
        view = m.merge_by_id(uow.session, merge)
    assert view is not None and view.undone_at is None


def test_timestamps_in_changes_round_trip(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        case = _new_case(uow)
        closed = t.utcnow()
        changes = [ColumnChange("cases", case, "closed_at", None, closed)]
        m.apply_changes(uow.session, changes)
        merge = m.record_merge(
            uow.session, kind="case", survivor_id=case, absorbed_id=case, changes=changes, created_by=None
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        view = c.case_by_id(uow.session, case)
        assert view is not None and view.closed_at == closed
        m.undo_merge(uow.session, merge, undone_by=None)
        view = c.case_by_id(uow.session, case)
        assert view is not None and view.closed_at is None
