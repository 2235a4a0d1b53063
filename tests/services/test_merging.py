"""Merge and split (issue 9) on real databases: a split restores every table exactly, a wrong merge
loses no fact or source, confidential records ask for confirmation and stay hidden from viewers,
a circular chain of events is refused. Every name and place is invented."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord, Event, Place, Victim
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, HrdwatchError, ReviewError
from hrdwatch.services import browse, merging, review
from hrdwatch.services.audit import read_log
from hrdwatch.store import cases as c
from hrdwatch.store import entities as e
from hrdwatch.store import tables as t
from hrdwatch.store.marks import mark_verified
from hrdwatch.store.uow import UnitOfWork

#: tests/store/conftest.py (its fictional report and record builders), loaded by our conftest.py
STORE = sys.modules["hrdwatch_tests_store_conftest"]
ADMIN = Principal("u0", "ada.quill", Role.ADMIN)
EDITOR = Principal("u1", "ilse.marrow", Role.EDITOR)
VIEWER = Principal("u4", "noor.vale", Role.VIEWER)
#: what a merge and its split are allowed to leave behind: their own history
HISTORY = frozenset({"audit_log", "audit_head", "merges"})
#: the pointers a merge moves; every other column of these tables stays as it was
POINTERS = {"people": "entity_id", "organisations": "entity_id", "incidents": "same_as_id"}
FACTS = (*t.FACT_TABLES, "evidence")

THIRD = "Journalist Tomasz Eklundas was detained on 5 May 2025 in Valdora by police."


@dataclass(frozen=True, slots=True)
class World:
    """Two reports of the Valdora events, each person an entity of its own, and two cases."""

    sources: tuple[str, str]
    incidents: tuple[list[str], list[str]]  # [arrest, trial, raid] of each report
    people: dict[tuple[int, str], str]  # (report 0 or 1, name) -> mention id
    eklund: tuple[str, str]  # the two entities of Tomas Eklund
    mira: str  # one entity for Mira Solvang, both mentions
    centre: str  # the organisation entity
    cases: tuple[str, str]  # LTU 001 and LTU 002


def _new_case(uow: UnitOfWork, incidents: list[str], entities: list[str]) -> str:
    number = c.next_case_number(uow.session, "LTU")
    case = c.add_case(
        uow.session,
        ref=f"LTU {number:03d} / 0325",
        country="LTU",
        number=number,
        opened="2025-03",
        situation="detained",
    )
    for incident in incidents:
        c.add_case_incident(uow.session, case, incident, decision="auto", score=0.9, reasons=["same victim"])
    for entity in entities:
        c.add_case_entity(uow.session, case, entity)
    return case


def _link(uow: UnitOfWork, mention: str, entity: str, decision: str, score: float = 0.9) -> None:
    e.save_link(
        uow.session,
        mention=("people", mention),
        entity_id=entity,
        score=score,
        reasons=["same name"],
        decision=decision,
        decided_by="ilse.marrow" if decision in ("confirmed", "rejected") else None,
        decided_at=t.utcnow() if decision in ("confirmed", "rejected") else None,
    )


@pytest.fixture
def world(engine: Engine) -> World:
    first = STORE.save_report(engine, STORE.make_source(), STORE.make_record())
    second = STORE.save_report(
        engine, STORE.make_source(STORE.REPORT + "\nUpdated.", name="other.txt"), STORE.make_record()
    )
    with UnitOfWork(engine) as uow:
        s = uow.session
        people = {
            (n, p.name): p.id
            for n, source_id in enumerate((first[0], second[0]))
            for p in s.scalars(select(t.Person).where(t.Person.source_id == source_id))
        }
        eklund = (
            e.add_entity(s, kind="person", name="Tomas Eklund", country="LT"),
            e.add_entity(s, kind="person", name="T. Eklund"),
        )
        mira = e.add_entity(s, kind="person", name="Mira Solvang")
        centre = e.add_entity(s, kind="organisation", name="Northwind Rights Centre")
        for n in (0, 1):
            e.set_mention_entity(s, "people", people[n, "Tomas Eklund"], eklund[n])
            e.set_mention_entity(s, "people", people[n, "Mira Solvang"], mira)
        _link(uow, people[0, "Tomas Eklund"], eklund[0], "auto", 0.97)
        _link(uow, people[1, "Tomas Eklund"], eklund[1], "auto", 0.95)
        _link(uow, people[1, "Tomas Eklund"], eklund[0], "suggested", 0.7)  # both: stays with the absorbed
        _link(uow, people[1, "Mira Solvang"], eklund[1], "rejected", 0.3)  # moves to the survivor
        cases = (
            _new_case(uow, first[1][:2], [eklund[0], mira]),
            _new_case(uow, second[1][:2], [eklund[1], mira]),
        )
        c.add_chain_link(s, first[1][1], first[1][0], "follow_up_of", created_by="ilse.marrow")
        uow.commit()
    return World((first[0], second[0]), (first[1], second[1]), people, eklund, mira, centre, cases)


def dump(engine: Engine, *, without: frozenset[str] = HISTORY) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but ``without``), sorted: two equal dumps are equal databases."""
    with engine.connect() as conn:
        return {
            table: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}"))), key=repr)
            for table in t.Base.metadata.tables
            if table not in without
        }


def facts(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every fact, evidence and source row, without the pointers a merge moves."""
    with engine.connect() as conn:
        found = {}
        for name in FACTS:
            table = t.Base.metadata.tables[name]
            stmt = select(*(col for col in table.c if col.name != POINTERS.get(name)))
            found[name] = sorted((tuple(r) for r in conn.execute(stmt)), key=repr)
        return found


def _code(error: pytest.ExceptionInfo[HrdwatchError]) -> str:
    return error.value.code


# -- merge then split restores exactly -------------------------------------------------------------


def test_merge_people_then_split_restores_every_table(engine: Engine, world: World) -> None:
    before, kept = dump(engine), facts(engine)
    survivor, absorbed = world.eklund
    result = merging.merge_entities(engine, EDITOR, survivor, absorbed, kind="person")
    assert (result.kind, result.survivor_id, result.absorbed_id) == ("entity", survivor, absorbed)
    assert result.moved == {"people": 1, "case_entities": 1, "entity_links": 1}
    assert result.dropped == {} and result.added == {}
    with UnitOfWork(engine, read_only=True) as uow:
        assert {m.id for m in e.mentions(uow.session, "people", entity_ids=[survivor])} == {
            world.people[0, "Tomas Eklund"],
            world.people[1, "Tomas Eklund"],
        }
        (gone,) = e.entities(uow.session, [absorbed])
        assert gone.merged_into == survivor
        assert {x.id for x in c.case_entities(uow.session, world.cases[1])} == {survivor, world.mira}
        moved = e.mention_links(uow.session, "people", world.people[1, "Mira Solvang"])
        assert [(x.entity_id, x.decision) for x in moved] == [(survivor, "rejected")]
        both = e.mention_links(uow.session, "people", world.people[1, "Tomas Eklund"])
        assert {(x.entity_id, x.decision) for x in both} == {(absorbed, "auto"), (survivor, "suggested")}
    assert facts(engine) == kept  # no fact, evidence or source lost or changed
    assert [m.id for m in merging.merges(engine, EDITOR, absorbed)] == [result.id]

    undone = merging.split(engine, EDITOR, result.id)
    assert undone.undone_by == EDITOR.username and undone.undone_at is not None
    assert dump(engine) == before
    with pytest.raises(ReviewError) as twice:
        merging.split(engine, EDITOR, result.id)
    assert _code(twice) == "E535"


def test_merge_cases_then_split_restores_every_table(engine: Engine, world: World) -> None:
    before, kept = dump(engine), facts(engine)
    (arrest, trial, _), (arrest2, trial2, _) = world.incidents
    result = merging.merge_cases(engine, EDITOR, "ltu 001/0325", "LTU 002 / 0325")
    assert result.moved == {"case_incidents": 2, "case_entities": 1}
    assert result.dropped == {"case_entities": 1}  # Mira Solvang was named by both
    with UnitOfWork(engine, read_only=True) as uow:
        first, second = world.cases
        timeline = c.case_incidents(uow.session, first)
        assert [(i.incident_id, i.followup) for i in timeline] == [
            (arrest, 0),
            (trial, 1),
            (arrest2, 2),
            (trial2, 3),
        ]
        assert {x.id for x in c.case_entities(uow.session, first)} == {*world.eklund, world.mira}
        gone = c.case_by_id(uow.session, second)
        assert gone is not None and (gone.ref, gone.merged_into) == ("LTU 002 / 0325", first)
        assert [s.ref for s in c.list_cases(uow.session)] == ["LTU 001 / 0325"]
        assert c.next_case_number(uow.session, "LTU") == 3  # the absorbed number is never given again
    assert facts(engine) == kept

    merging.split(engine, EDITOR, result.id)
    assert dump(engine) == before


def test_merge_incidents_then_split_restores_every_table(engine: Engine, world: World) -> None:
    (arrest, _, _), (arrest2, trial2, _) = world.incidents
    before, kept = dump(engine), facts(engine)
    result = merging.merge_incidents(engine, EDITOR, arrest, arrest2)
    assert result.moved == {"case_incidents": 1} and result.added == {"chain_links": 1}
    with UnitOfWork(engine, read_only=True) as uow:
        first, second = world.cases
        timeline = c.case_incidents(uow.session, first)
        assert [(i.incident_id, i.followup, i.same_as_id) for i in timeline][-1] == (arrest2, 2, arrest)
        assert [i.incident_id for i in c.case_incidents(uow.session, second)] == [trial2]
        (link,) = [x for x in c.chain_links(uow.session, [arrest2]) if x.relation == "same_as"]
        assert (link.from_incident_id, link.to_incident_id, link.created_by) == (
            arrest2,
            arrest,
            EDITOR.username,
        )
        told = {i.id: (i.date, i.city) for i in uow.session.scalars(select(t.Incident))}
        assert told[arrest] == told[arrest2] == ("2025-03-03", "Valdora")  # each row keeps its own values
    assert facts(engine) == kept
    with pytest.raises(ReviewError) as again:
        merging.merge_incidents(engine, EDITOR, trial2, arrest2)
    assert _code(again) == "E532"

    merging.split(engine, EDITOR, result.id)
    assert dump(engine) == before


def test_a_twin_row_is_dropped_and_put_back(engine: Engine, world: World) -> None:
    """An incident both cases hold: the absorbed case's row goes (with its score and reasons)
    and comes back as it was."""
    (arrest, _, _), (_, trial2, _) = world.incidents
    with UnitOfWork(engine) as uow:
        c.add_case_incident(uow.session, world.cases[0], trial2, decision="suggested", score=0.6)
        uow.commit()
    before = dump(engine)
    cases = merging.merge_cases(engine, EDITOR, world.cases[0], world.cases[1])
    assert cases.dropped == {"case_incidents": 1, "case_entities": 1}
    merging.split(engine, EDITOR, cases.id)
    assert dump(engine) == before
    incidents = merging.merge_incidents(engine, EDITOR, arrest, trial2)
    assert incidents.dropped == {"case_incidents": 1}  # trial2 was in the survivor's case already
    merging.split(engine, EDITOR, incidents.id)
    assert dump(engine) == before


def test_every_merge_at_once_loses_no_fact_or_source(engine: Engine, world: World) -> None:
    before, kept = dump(engine), facts(engine)
    (arrest, trial, raid), (arrest2, trial2, raid2) = world.incidents
    done = [
        merging.merge_entities(engine, EDITOR, *world.eklund),
        merging.merge_incidents(engine, EDITOR, arrest, arrest2),
        merging.merge_incidents(engine, EDITOR, raid, raid2),
        merging.merge_cases(engine, EDITOR, *world.cases),
    ]
    assert facts(engine) == kept
    with UnitOfWork(engine, read_only=True) as uow:
        assert [i.incident_id for i in c.case_incidents(uow.session, world.cases[0])] == [
            arrest,
            trial,
            arrest2,
            trial2,
        ]
    with pytest.raises(ReviewError) as blocked:  # the case merge dropped a case entry it moved
        merging.split(engine, EDITOR, done[0].id)
    assert _code(blocked) == "E536"
    for merge in reversed(done):
        merging.split(engine, EDITOR, merge.id)
    assert dump(engine) == before
    actions = [x.action for x in read_log(engine, ADMIN, action="record.*", limit=20)]
    assert actions == ["record.split"] * 4 + ["record.merged"] * 4


def test_split_refuses_a_row_changed_since(engine: Engine, world: World) -> None:
    result = merging.merge_entities(engine, EDITOR, *world.eklund)
    with UnitOfWork(engine) as uow:  # an analyst moves the mention on meanwhile
        other = e.add_entity(uow.session, kind="person", name="Tomas Eklund (Oslo)")
        e.set_mention_entity(uow.session, "people", world.people[1, "Tomas Eklund"], other)
        uow.commit()
    kept = dump(engine)
    with pytest.raises(ReviewError) as info:
        merging.split(engine, EDITOR, result.id)
    assert _code(info) == "E536" and "changed since" in info.value.detail
    assert dump(engine) == kept  # nothing half-undone
    with pytest.raises(ReviewError) as unknown:
        merging.split(engine, EDITOR, "0" * 32)
    assert _code(unknown) == "E511"


# -- refusals --------------------------------------------------------------------------------------


def test_kinds_must_match(engine: Engine, world: World) -> None:
    with pytest.raises(ReviewError) as mixed:
        merging.merge_entities(engine, EDITOR, world.centre, world.mira)
    assert _code(mixed) == "E531"
    with pytest.raises(ReviewError) as named:
        merging.merge_entities(engine, EDITOR, world.centre, world.mira, kind="organisation")
    assert _code(named) == "E511" and "organisation" in named.value.detail
    with pytest.raises(ReviewError) as itself:
        merging.merge_entities(engine, EDITOR, world.mira, world.mira)
    assert _code(itself) == "E530"


def test_merging_into_or_from_a_merged_away_entity_is_refused(engine: Engine, world: World) -> None:
    survivor, absorbed = world.eklund
    merging.merge_entities(engine, EDITOR, survivor, absorbed)
    before = dump(engine)
    for pair in ((absorbed, world.mira), (world.mira, absorbed)):
        with pytest.raises(ReviewError) as info:
            merging.merge_entities(engine, EDITOR, *pair)
        assert _code(info) == "E532" and survivor in info.value.detail
    merging.merge_cases(engine, EDITOR, *world.cases)
    with pytest.raises(ReviewError) as case:
        merging.merge_cases(engine, EDITOR, world.cases[1], world.cases[0])
    assert _code(case) == "E532" and "LTU 001 / 0325" in case.value.detail
    assert dump(engine)["entities"] == before["entities"]


def test_only_editors_merge(engine: Engine, world: World) -> None:
    with pytest.raises(AccessError) as viewer:
        merging.merge_entities(engine, VIEWER, *world.eklund)
    assert _code(viewer) == "E503"
    with pytest.raises(AccessError):
        merging.split(engine, None, "x")


def test_a_circular_chain_of_events_is_refused(engine: Engine, world: World) -> None:
    (arrest, trial, raid), _ = world.incidents
    link = merging.add_chain_link(engine, EDITOR, raid, trial, "caused_by")
    assert merging.add_chain_link(engine, EDITOR, raid, trial, "caused_by") == link  # stored once
    before = dump(engine)
    for source, target, relation in ((arrest, raid, "follow_up_of"), (arrest, arrest, "caused_by")):
        with pytest.raises(ReviewError) as info:
            merging.add_chain_link(engine, EDITOR, source, target, relation)
        assert _code(info) == "E534"
    with pytest.raises(ReviewError) as same:  # trial follows arrest: they are not one event
        merging.merge_incidents(engine, EDITOR, arrest, trial)
    assert _code(same) == "E534"
    with pytest.raises(ReviewError) as bad:
        merging.add_chain_link(engine, EDITOR, raid, arrest, "sibling_of")
    assert _code(bad) == "E513"
    assert dump(engine) == before
    (event,) = read_log(engine, ADMIN, action="chain.linked")
    assert (event.target_id, event.after) == (
        link,
        {"from_incident_id": raid, "to_incident_id": trial, "relation": "caused_by"},
    )


# -- confidentiality -------------------------------------------------------------------------------


def _third_report(engine: Engine) -> tuple[str, str, str]:
    """A third report naming a defender the analyst will mark confidential: (source, incident, person)."""
    source = STORE.make_source(THIRD, name="third.txt")
    record = CaseRecord(
        id="t003",
        victims=[Victim("Tomasz Eklundas", description="journalist")],
        events=[
            Event(
                acts=["detention"],
                victims=["Tomasz Eklundas"],
                date=PartialDate(2025, 5, 5),
                place=Place(city="Valdora", country="LT"),
            )
        ],
    )
    source_id, (incident,) = STORE.save_report(engine, source, record)
    with UnitOfWork(engine, read_only=True) as uow:
        (person,) = uow.session.scalars(select(t.Person.id).where(t.Person.source_id == source_id))
    return source_id, incident, person


def test_joining_different_visibility_asks_for_confirmation(engine: Engine, world: World) -> None:
    survivor, absorbed = world.eklund
    review.set_confidential(
        engine, EDITOR, table="people", ident=world.people[1, "Tomas Eklund"], confidential=True
    )
    before = dump(engine)
    with pytest.raises(ReviewError) as info:
        merging.merge_entities(engine, EDITOR, survivor, absorbed)
    assert _code(info) == "E533" and "confidential" in info.value.detail
    assert dump(engine) == before
    done = merging.merge_entities(engine, EDITOR, survivor, absorbed, confirm=True)
    (event,) = read_log(engine, ADMIN, action="record.merged")
    assert event.after is not None and event.after["confirmed"] is True and event.after["merge_id"] == done.id
    assert (event.actor, event.target_table, event.target_id) == (EDITOR.username, "entities", absorbed)
    review.set_confidential(engine, EDITOR, table="incidents", ident=world.incidents[0][2], confidential=True)
    with pytest.raises(ReviewError) as incident:
        merging.merge_incidents(engine, EDITOR, world.incidents[0][2], world.incidents[1][2])
    assert _code(incident) == "E533"


def test_a_viewer_never_sees_a_confidential_person_through_the_merged_entity(
    engine: Engine, world: World
) -> None:
    _, incident, hidden = _third_report(engine)
    visible = world.people[0, "Tomas Eklund"]
    review.set_confidential(engine, EDITOR, table="people", ident=hidden, confidential=True)
    with UnitOfWork(engine) as uow:
        entity = e.add_entity(uow.session, kind="person", name="Tomasz Eklundas")
        e.set_mention_entity(uow.session, "people", hidden, entity)
        for verified in (world.incidents[0][0], incident):
            mark_verified(uow.session, verified, by=EDITOR.username)
        uow.commit()
    merging.merge_entities(engine, EDITOR, world.eklund[0], entity, confirm=True)
    page = browse.person(engine, VIEWER, visible)
    assert page.name == "Tomas Eklund"
    assert "Eklundas" not in repr(page) and hidden not in repr(page) and incident not in repr(page)
    with pytest.raises(ReviewError) as info:
        browse.person(engine, VIEWER, hidden)
    assert _code(info) == "E511"
    assert "Eklundas" in repr(browse.person(engine, EDITOR, hidden))  # editors still see it
