"""Review on the store side: fact values and states, an incident's facts, the queue, the review
page, facts added from a selection, and people linked across reports by their names."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hrdwatch.domain.records import CaseRecord, Event, Place, Victim
from hrdwatch.domain.source import Source
from hrdwatch.errors import ReviewError
from hrdwatch.store import tables as t
from hrdwatch.store.people import name_key, organisation_page, person_page
from hrdwatch.store.review import (
    fact_state,
    fact_values,
    incidents_of_fact,
    load_incident,
    review_queue,
    set_fact,
    start_review,
)
from hrdwatch.store.review_add import add_fact
from hrdwatch.store.review_page import review_page
from hrdwatch.store.review_views import GROUPS
from hrdwatch.store.uow import UnitOfWork


def _save(engine: Engine, source: Source, record: CaseRecord) -> tuple[str, list[str]]:
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        ids = uow.records.save(source_id, record)
        uow.commit()
    return source_id, ids


@pytest.fixture
def saved(engine: Engine, source: Source, record: CaseRecord) -> tuple[str, list[str]]:
    return _save(engine, source, record)


def _report(text: str, name: str) -> Source:
    data = text.encode()
    return Source(
        name=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type="text/plain",
        reader="text",
        title=f"Report {name}",
    )


def test_fact_state_and_set_fact_keep_date_precision(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest = saved[1][0]
    with UnitOfWork(engine) as uow:
        assert fact_values(uow.session, "incidents", arrest)["date"] == "2025-03-03"
        set_fact(uow.session, "incidents", arrest, {"date": "2025-03", "review_status": "corrected"})
        uow.commit()
    with UnitOfWork(engine) as uow:
        state = fact_state(uow.session, "incidents", arrest)
        precision = uow.session.get_one(t.Incident, arrest).date_precision
    assert (state["date"], state["review_status"], precision) == ("2025-03", "corrected", "month")


def test_unknown_fact_and_field_are_refused(engine: Engine, saved: tuple[str, list[str]]) -> None:
    with UnitOfWork(engine) as uow:
        with pytest.raises(ReviewError) as missing:
            fact_values(uow.session, "people", "0" * 32)
        with pytest.raises(ReviewError) as table:
            fact_values(uow.session, "users", saved[1][0])
        with pytest.raises(ReviewError) as field:
            set_fact(uow.session, "incidents", saved[1][0], {"status": "verified"})
    assert (missing.value.code, table.value.code, field.value.code) == ("E511", "E511", "E512")
    assert "no person with id" in missing.value.detail


def test_an_incidents_facts(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest, trial, raid = saved[1]
    with UnitOfWork(engine) as uow:
        rows = {i: load_incident(uow.session, i) for i in saved[1]}
        addresses = {i: r.addresses() for i, r in rows.items()}
        pending = [rows[i].pending() for i in saved[1]]
    tables = {i: sorted(table for table, _, _ in found) for i, found in addresses.items()}
    assert tables[arrest] == sorted(
        ["incidents"] + ["acts"] * 4 + ["people"] * 2 + ["perpetrators"] * 2 + ["sanctions"] + ["demands"] * 2
    )
    assert tables[trial].count("sanctions") == 2  # its fine and the report's unattached prison term
    assert tables[raid].count("organisations") == 1
    assert pending == [12, 13, 7]
    assert addresses[arrest][0] == ("incidents", arrest, "extracted")


def test_incidents_of_a_fact(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest, trial, raid = saved[1]
    with UnitOfWork(engine) as uow:
        mira = uow.session.scalars(select(t.Person.id).where(t.Person.name == "Mira Solvang")).one()
        demand = uow.session.scalars(select(t.Demand.id)).first()
        police = uow.session.scalars(
            select(t.Perpetrator.id).where(t.Perpetrator.description == "police")
        ).one()
        assert demand is not None
        assert incidents_of_fact(uow.session, "people", mira) == sorted([arrest, trial])
        assert incidents_of_fact(uow.session, "demands", demand) == sorted(saved[1])
        assert incidents_of_fact(uow.session, "perpetrators", police) == sorted([arrest, raid])


def test_start_review_moves_only_extracted_incidents(engine: Engine, saved: tuple[str, list[str]]) -> None:
    arrest, trial, _ = saved[1]
    with UnitOfWork(engine) as uow:
        uow.session.get_one(t.Incident, trial).status = "verified"
        start_review(uow.session, [arrest, trial])
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.session.get_one(t.Incident, arrest).status == "in_review"
        assert uow.session.get_one(t.Incident, trial).status == "verified"


def test_queue_counts_each_undecided_fact_once(
    engine: Engine, saved: tuple[str, list[str]], second_report: tuple[Source, CaseRecord]
) -> None:
    second, _ = _save(engine, *second_report)
    with UnitOfWork(engine) as uow:
        queue = review_queue(uow.session)
        union = {a for i in saved[1] for a in load_incident(uow.session, i).addresses()}
    assert [q.source_id for q in queue] == [second, saved[0]]  # newest first
    first = queue[1]
    assert (first.name, first.title, first.incidents) == (
        "valdora.txt",
        "Valdora: lawyer and journalist arrested",
        3,
    )
    assert first.undecided == len(union) == 23
    with UnitOfWork(engine) as uow:
        for incident_id in saved[1]:
            uow.session.get_one(t.Incident, incident_id).status = "verified"
        set_fact(
            uow.session,
            "demands",
            uow.session.scalars(select(t.Demand.id).where(t.Demand.source_id == saved[0])).first() or "",
            {"review_status": "accepted"},
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        queue = review_queue(uow.session)
    assert [q.source_id for q in queue] == [second]
    assert queue[0].undecided == 23


def test_review_page_groups_and_spans(engine: Engine, saved: tuple[str, list[str]], source: Source) -> None:
    with UnitOfWork(engine) as uow:
        page = review_page(uow.session, saved[0])
    assert page.source.text == source.text
    assert [i.id for i in page.incidents] == saved[1]
    arrest = page.incidents[0]
    assert [g.name for g in arrest.groups] == list(GROUPS)
    groups = {g.name: g.items for g in arrest.groups}
    [dates], [places] = groups["dates"], groups["places"]
    assert (dates.table, dates.id) == (places.table, places.id) == ("incidents", arrest.id)
    assert dates.values == {"date": "2025-03-03", "end_date": None}
    assert places.values["city"] == "Valdora" and "city" in places.editable
    assert [source.text[s:e] for s, e in dates.spans] == ["3 March 2025"]
    assert [source.text[s:e] for s, e in places.spans] == ["Valdora"]
    arrests = [a for a in groups["acts"] if a.values["act_type"] == "arrest"]
    assert len(arrests) == 2 and all(source.text[s:e] == "arrested" for a in arrests for s, e in a.spans)
    assert {v.label for v in groups["victims"]} == {
        "Mira Solvang (human rights lawyer)",
        "Tomas Eklund (journalist)",
    }
    assert [s.label for s in groups["sanctions"]] == ["6 months in prison"]
    assert arrest.pending == 12 and arrest.status == "extracted"
    assert list(page.all_spans) == sorted(page.all_spans)
    assert (dates.spans[0][0], dates.spans[0][1], "incidents", arrest.id) in page.all_spans
    fine = next(
        i
        for g in page.incidents[1].groups
        for i in g.items
        if i.table == "sanctions" and i.values["type"] == "fine"
    )
    assert fine.label == "fine of 5,000 to 6,000 EUR"


def test_review_page_of_unknown_source(engine: Engine) -> None:
    with UnitOfWork(engine) as uow, pytest.raises(ReviewError) as info:
        review_page(uow.session, "nope")
    assert info.value.code == "E511"


def test_add_person_creates_victim_acts_with_evidence(
    engine: Engine, saved: tuple[str, list[str]], source: Source
) -> None:
    arrest = saved[1][0]
    start = source.text.index("Harlan Vex")
    with UnitOfWork(engine) as uow:
        inc = uow.session.get_one(t.Incident, arrest)
        added = add_fact(
            uow.session, incident=inc, kind="person", span=(start, start + 10), values={}, actor="ilse.editor"
        )
        uow.commit()
    assert added.before is None and added.table == "people"
    assert added.after["name"] == "Harlan Vex" and added.after["review_status"] == "added"
    with UnitOfWork(engine) as uow:
        acts = uow.session.execute(
            select(t.Act.id, t.Act.act_type, t.Act.review_status).where(t.Act.victim_person_id == added.id)
        ).all()
        evidence = uow.session.execute(
            select(t.Evidence.fact_table, t.Evidence.quote, t.Evidence.rule).where(
                t.Evidence.stage == "review"
            )
        ).all()
        involved = uow.session.scalars(
            select(t.Involvement.act_id).where(t.Involvement.act_id.in_([a.id for a in acts]))
        ).all()
    assert sorted(a.act_type for a in acts) == ["arrest", "physical_attack"]  # each act type of the incident
    assert {a.review_status for a in acts} == {"added"} and len(involved) == 4  # police and Vex, per act
    assert sorted(["acts", a.id] for a in acts) == sorted(added.after["_linked"])
    assert set(evidence) >= {("people", "Harlan Vex", "ilse.editor"), ("acts", "Harlan Vex", "ilse.editor")}


def test_add_perpetrator_and_date(engine: Engine, saved: tuple[str, list[str]], source: Source) -> None:
    raid = saved[1][2]
    start = source.text.index("Police raided")
    with UnitOfWork(engine) as uow:
        inc = uow.session.get_one(t.Incident, raid)
        perp = add_fact(
            uow.session,
            incident=inc,
            kind="perpetrator",
            span=(start, start + 6),
            values={"kind": "state"},
            actor="ilse",
        )
        date = add_fact(
            uow.session,
            incident=inc,
            kind="date",
            span=(start, start + 6),
            values={"date": "2025-05"},
            actor="ilse",
        )
        uow.commit()
        stored = uow.session.execute(
            select(t.Incident.date, t.Incident.date_precision).where(t.Incident.id == raid)
        ).one()
        links = uow.session.scalars(
            select(t.Involvement.review_status).where(t.Involvement.perpetrator_id == perp.id)
        ).all()
    assert perp.after["description"] == "Police" and perp.after["kind"] == "state"
    assert links == ["added"]  # the raid has one act
    assert date.before == {"date": None, "review_status": "extracted"}
    assert date.after == {"date": "2025-05", "review_status": "corrected"}
    assert tuple(stored) == ("2025-05", "month")


def test_add_needs_what_it_cannot_guess(engine: Engine, source: Source) -> None:
    _, [incident_id] = _save(engine, source, CaseRecord(id="x", events=[Event(acts=[])]))
    with UnitOfWork(engine) as uow:
        inc = uow.session.get_one(t.Incident, incident_id)
        for kind in ("person", "perpetrator"):
            with pytest.raises(ReviewError) as info:
                add_fact(
                    uow.session, incident=inc, kind=kind, span=(0, 5), values={"kind": "state"}, actor="a"
                )
            assert info.value.code == "E513"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Valk, Teodor", "Teodor Valk"),
        ("Téodor Valk", "teodor  VALK"),
        ("Lerato Mbeki-Fotso", "Mbeki Fotso, Lerato"),
    ],
)
def test_name_key_matches_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_people_apart() -> None:
    assert name_key("Teodor Valk") != name_key("Teodora Valk")
    assert name_key("") == ""


def _valk_reports(engine: Engine) -> list[str]:
    """Three fictional reports naming the same defender three ways; returns the people ids."""
    texts = [
        ("Valk, Teodor was detained in Tallinn on 5 May 2024.", "Valk, Teodor", "2024-05-05", "detention"),
        ("Téodor Valk was threatened in Tartu in 2023.", "Téodor Valk", "2023", "threat"),
        ("Teodor Valk was fined in Narva on 1 June 2025.", "Teodor Valk", None, "fine"),
    ]
    ids = []
    for i, (text, name, date, act) in enumerate(texts):
        from hrdwatch.domain.dates import PartialDate

        event = Event(
            acts=[act],
            victims=[name],
            date=PartialDate.from_iso(date) if date else None,
            place=Place(country="EE"),
        )
        record = CaseRecord(
            id=f"v{i}", victims=[Victim(name, affiliations=["Harbour Watch"])], events=[event]
        )
        _save(engine, _report(text, f"valk{i}.txt"), record)
        with UnitOfWork(engine) as uow:
            ids.append(uow.session.scalars(select(t.Person.id).where(t.Person.name == name)).one())
    return ids


def test_person_page_links_the_same_defender(engine: Engine) -> None:
    ids = _valk_reports(engine)
    with UnitOfWork(engine) as uow:
        page = person_page(uow.session, ids[0])
    assert page.name == "Valk, Teodor"
    assert {p.id for p in page.same} == set(ids[1:])
    assert [e.date for e in page.timeline] == ["2023", "2024-05-05", None]  # by date, undated last
    assert [e.acts for e in page.timeline] == [("threat",), ("detention",), ("fine",)]
    assert {e.via_people for e in page.timeline} == {(i,) for i in ids}
    assert [o.name for o in page.affiliations] == ["Harbour Watch"]


def test_organisation_page_finds_members_incidents(engine: Engine) -> None:
    ids = _valk_reports(engine)
    with UnitOfWork(engine) as uow:
        org = uow.session.scalars(select(t.Organisation.id).order_by(t.Organisation.id)).first()
        assert org is not None
        page = organisation_page(uow.session, org)
        with pytest.raises(ReviewError):
            person_page(uow.session, "missing")
    assert len(page.same) == 2  # "Harbour Watch" in the other two reports
    assert {m.id for m in page.members} == set(ids)
    assert len(page.timeline) == 3 and not any(e.via_organisations for e in page.timeline)


def test_list_sources_all_or_only_those_still_to_review(
    engine: Engine, source: Source, record: CaseRecord, second_report: tuple[Source, CaseRecord]
) -> None:
    from hrdwatch.store.review import list_sources

    with UnitOfWork(engine) as uow:
        first = uow.sources.add(source)
        uow.records.save(first, record)
        second = uow.sources.add(second_report[0])
        uow.records.save(second, CaseRecord(id="empty"))  # a report with no incident at all
        uow.session.execute(
            t.Incident.__table__.update().where(t.Incident.source_id == first).values(status="verified")
        )
        uow.commit()
    with UnitOfWork(engine) as uow:
        everything, total = list_sources(uow.session, pending_only=False)
        pending, pending_total = list_sources(uow.session, pending_only=True)
        page, _ = list_sources(uow.session, pending_only=False, limit=1, offset=1)
    assert {i.source_id for i in everything} == {first, second} and total == 2
    assert {i.source_id: i.incidents for i in everything}[second] == 0
    assert pending == [] and pending_total == 0
    assert len(page) == 1
