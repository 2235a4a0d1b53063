"""Review use cases on a real database: decisions, edits, additions, undo, verification,
confidentiality, each with its audit event in the same transaction. Every name is invented."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditEntry
from hrdwatch.domain.records import CaseRecord, Event
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, HrdwatchError, ReviewError, StoreError
from hrdwatch.services import review
from hrdwatch.services.audit import read_log
from hrdwatch.services.review import decisions
from hrdwatch.services.review.views import FactItem, ReviewPage
from hrdwatch.store import tables as t
from hrdwatch.store.uow import UnitOfWork

#: tests/store/conftest.py (its fictional report and record builders), loaded by our conftest.py
STORE = sys.modules["hrdwatch_tests_store_conftest"]
EDITOR = Principal("u1", "ilse.marrow", Role.EDITOR)
OTHER_EDITOR = Principal("u2", "pavel.sundqvist", Role.EDITOR)
ADMIN = Principal("u3", "ada.korhonen", Role.ADMIN)
VIEWER = Principal("u4", "noor.vale", Role.VIEWER)


@pytest.fixture
def saved(engine: Engine) -> tuple[str, list[str]]:
    """The fictional Valdora report: (source id, [arrest, trial, raid] incident ids)."""
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(STORE.make_source())
        ids = uow.records.save(source_id, STORE.make_record())
        uow.commit()
    return source_id, ids


def _page(engine: Engine, source_id: str) -> ReviewPage:
    return review.review_page(engine, EDITOR, source_id)


def _facts(engine: Engine, source_id: str, incident_id: str | None = None) -> list[FactItem]:
    return [
        item
        for inc in _page(engine, source_id).incidents
        if incident_id in (None, inc.id)
        for group in inc.groups
        for item in group.items
    ]


def _fact(engine: Engine, source_id: str, table: str, **values: object) -> FactItem:
    return next(
        f
        for f in _facts(engine, source_id)
        if f.table == table and all(f.values.get(k) == v for k, v in values.items())
    )


def accept_all(engine: Engine, source_id: str, incident_id: str) -> None:
    for table, fact_id in dict.fromkeys((f.table, f.id) for f in _facts(engine, source_id, incident_id)):
        review.decide(engine, EDITOR, table=table, fact_id=fact_id, decision="accept")


def _statuses(engine: Engine, source_id: str) -> dict[str, str]:
    return {i.id: i.status for i in _page(engine, source_id).incidents}


def test_decide_changes_status_and_writes_audit(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, trial, raid) = saved
    mira = _fact(engine, source_id, "people", name="Mira Solvang")
    decision = review.decide(
        engine, EDITOR, table="people", fact_id=mira.id, decision="accept", ip="10.0.0.7"
    )
    assert (decision.review_status, set(decision.incident_ids)) == ("accepted", {arrest, trial})
    assert _fact(engine, source_id, "people", name="Mira Solvang").review_status == "accepted"
    assert _statuses(engine, source_id) == {arrest: "in_review", trial: "in_review", raid: "extracted"}
    [event] = read_log(engine, ADMIN, action="fact.*")
    assert (event.id, event.actor, event.target_table, event.target_id, event.ip) == (
        decision.event_id,
        "ilse.marrow",
        "people",
        mira.id,
        "10.0.0.7",
    )
    assert (event.before, event.after) == ({"review_status": "extracted"}, {"review_status": "accepted"})
    rejected = review.decide(engine, EDITOR, table="people", fact_id=mira.id, decision="reject")
    assert rejected.review_status == "rejected"


def test_change_and_audit_are_one_transaction(
    engine: Engine, saved: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    source_id, _ = saved
    demand = _fact(engine, source_id, "demands")

    def broken(uow: UnitOfWork, event: object) -> int:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(decisions, "record", broken)
    with pytest.raises(RuntimeError):
        review.decide(engine, EDITOR, table="demands", fact_id=demand.id, decision="reject")
    assert _fact(engine, source_id, "demands", text=demand.values["text"]).review_status == "extracted"
    assert set(_statuses(engine, source_id).values()) == {"extracted"}


def test_who_may_review(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = saved
    demand = _fact(engine, source_id, "demands")
    calls = [
        lambda u: review.decide(engine, u, table="demands", fact_id=demand.id, decision="accept"),
        lambda u: review.edit(engine, u, table="demands", fact_id=demand.id, changes={"text": "x"}),
        lambda u: review.verify(engine, u, incident_id=arrest),
        lambda u: review.review_queue(engine, u),
        lambda u: review.review_page(engine, u, source_id),
        lambda u: review.set_confidential(engine, u, table="incidents", ident=arrest, confidential=True),
    ]
    for call in calls:
        for user, code in ((VIEWER, "E503"), (None, "E504")):
            with pytest.raises(AccessError) as info:
                call(user)
            assert info.value.code == code
    assert read_log(engine, ADMIN) == []


def test_bad_decision_and_unknown_fact(engine: Engine, saved: tuple[str, list[str]]) -> None:
    with pytest.raises(ReviewError) as bad:
        review.decide(engine, EDITOR, table="demands", fact_id="x", decision="maybe")
    with pytest.raises(ReviewError) as missing:
        review.decide(engine, EDITOR, table="demands", fact_id="0" * 32, decision="accept")
    assert (bad.value.code, missing.value.code) == ("E513", "E511")


@pytest.mark.parametrize(
    ("table", "changes", "code"),
    [
        ("incidents", {"status": "verified"}, "E512"),
        ("people", {"aliases": "Solvang"}, "E512"),
        ("users", {"name": "x"}, "E512"),
        ("incidents", {}, "E513"),
        ("incidents", {"date": "3 March 2025"}, "E513"),
        ("incidents", {"date": "2025-02-30"}, "E513"),
        ("incidents", {"country": "XX"}, "E513"),
        ("incidents", {"country": "LTU"}, "E513"),
        ("acts", {"act_type": "tickling"}, "E513"),
        ("perpetrators", {"kind": "police"}, "E513"),
        ("sanctions", {"amount": "lots"}, "E513"),
        ("sanctions", {"months": "-3"}, "E513"),
        ("sanctions", {"currency": "EURO"}, "E513"),
        ("sanctions", {"type": "flogging"}, "E513"),
        ("people", {"name": "   "}, "E513"),
        ("demands", {"text": "x" * 2001}, "E513"),
    ],
)
def test_edit_validation(
    engine: Engine, saved: tuple[str, list[str]], table: str, changes: dict[str, str], code: str
) -> None:
    source_id, (arrest, _, _) = saved
    fact_id = arrest if table in ("incidents", "users") else _fact(engine, source_id, table).id
    with pytest.raises(ReviewError) as info:
        review.edit(engine, EDITOR, table=table, fact_id=fact_id, changes=changes)
    assert info.value.code == code
    assert _statuses(engine, source_id)[arrest] == "extracted"


def test_edit_cleans_values_and_marks_corrected(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = saved
    changes = {"date": " 2025-03 ", "country": "ee", "site": ""}
    decision = review.edit(engine, EDITOR, table="incidents", fact_id=arrest, changes=changes)
    dates = next(f for f in _facts(engine, source_id, arrest) if f.group == "dates")
    places = next(f for f in _facts(engine, source_id, arrest) if f.group == "places")
    assert (dates.values["date"], places.values["country"], places.values["site"]) == ("2025-03", "EE", None)
    assert dates.review_status == decision.review_status == "corrected"
    [event] = read_log(engine, ADMIN, action="fact.edited")
    assert event.before == {"date": "2025-03-03", "country": "LT", "site": None, "review_status": "extracted"}
    assert event.after == {"date": "2025-03", "country": "EE", "site": None, "review_status": "corrected"}
    fine = _fact(engine, source_id, "sanctions", type="fine")
    review.edit(
        engine, EDITOR, table="sanctions", fact_id=fine.id, changes={"amount": "7,500", "currency": "usd"}
    )
    fine = _fact(engine, source_id, "sanctions", type="fine")
    assert (fine.values["amount"], fine.values["currency"]) == (7500.0, "USD")


def test_add_fact(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, trial, _) = saved
    body = STORE.REPORT
    start = body.index("end all harassment")
    end = start + len("end all harassment")
    for bad in ((-1, 5), (5, 5), (len(body) - 2, len(body) + 1)):
        with pytest.raises(ReviewError) as info:
            review.add_fact(
                engine,
                EDITOR,
                source_id=source_id,
                incident_id=arrest,
                kind="demand",
                start=bad[0],
                end=bad[1],
                values={},
            )
        assert info.value.code == "E516"
    decision = review.add_fact(
        engine,
        EDITOR,
        source_id=source_id,
        incident_id=arrest,
        kind="demand",
        start=start,
        end=end,
        values={},
        ip="::1",
    )
    added = _fact(engine, source_id, "demands", text="end all harassment")
    assert (added.id, added.review_status, added.spans) == (decision.fact_id, "added", ((start, end),))
    assert set(decision.incident_ids) == set(saved[1])
    [event] = read_log(engine, ADMIN, action="fact.added")
    assert event.before is None and event.after is not None and event.after["text"] == "end all harassment"
    for kind, values, code in (
        ("rumour", {}, "E513"),
        ("demand", {"colour": "red"}, "E512"),
        ("perpetrator", {"name": "Harlan Vex"}, "E513"),  # a perpetrator needs its kind
        ("act", {"act_type": "arrest", "person_id": "0" * 32}, "E511"),
    ):
        with pytest.raises(ReviewError) as info:
            review.add_fact(
                engine,
                EDITOR,
                source_id=source_id,
                incident_id=trial,
                kind=kind,
                start=0,
                end=5,
                values=values,
            )
        assert info.value.code == code
    space = body.index(" ")
    with pytest.raises(ReviewError) as blank:
        review.add_fact(
            engine,
            EDITOR,
            source_id=source_id,
            incident_id=trial,
            kind="demand",
            start=space,
            end=space + 1,
            values={},
        )
    assert blank.value.code == "E513" and "white space" in blank.value.detail


def test_add_to_an_incident_of_another_report_is_refused(
    engine: Engine, saved: tuple[str, list[str]]
) -> None:
    with UnitOfWork(engine) as uow:
        other = uow.sources.add(STORE.make_source(STORE.REPORT + " Later.", name="later.txt"))
        uow.commit()
    with pytest.raises(ReviewError) as info:
        review.add_fact(
            engine, EDITOR, source_id=other, incident_id=saved[1][0], kind="demand", start=0, end=4, values={}
        )
    assert info.value.code == "E513"
    with pytest.raises(StoreError) as missing:
        review.add_fact(
            engine, EDITOR, source_id=saved[0], incident_id="ffff", kind="demand", start=0, end=4, values={}
        )
    assert missing.value.code == "E305"


def test_undo_restores_the_state_before(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = saved
    edited = review.edit(engine, EDITOR, table="incidents", fact_id=arrest, changes={"city": "Kesvik"})
    undone = review.undo(engine, EDITOR, event_id=edited.event_id, ip="10.0.0.9")
    places = next(f for f in _facts(engine, source_id, arrest) if f.group == "places")
    assert (places.values["city"], places.review_status, undone.review_status) == (
        "Valdora",
        "extracted",
        "extracted",
    )
    [event] = read_log(engine, ADMIN, action="fact.undone")
    assert event.before == {"city": "Kesvik", "review_status": "corrected"}
    assert event.after == {"city": "Valdora", "review_status": "extracted"}
    assert event.detail == f"undo of event {edited.event_id}"
    with pytest.raises(ReviewError) as again:
        review.undo(engine, EDITOR, event_id=edited.event_id)
    assert again.value.code == "E515"


def test_undo_refuses_when_the_fact_changed_since(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, _ = saved
    demand = _fact(engine, source_id, "demands")
    first = review.decide(engine, EDITOR, table="demands", fact_id=demand.id, decision="accept")
    review.edit(engine, EDITOR, table="demands", fact_id=demand.id, changes={"text": "free Tomas Eklund"})
    with pytest.raises(ReviewError) as info:
        review.undo(engine, EDITOR, event_id=first.event_id)
    assert info.value.code == "E515"
    assert _fact(engine, source_id, "demands", text="free Tomas Eklund").review_status == "corrected"


def test_undo_of_an_addition_rejects_what_it_added(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = saved
    start = STORE.REPORT.index("Harlan Vex")
    added = review.add_fact(
        engine,
        EDITOR,
        source_id=source_id,
        incident_id=arrest,
        kind="person",
        start=start,
        end=start + len("Harlan Vex"),
        values={"act_type": "physical_attack", "description": "police inspector"},
    )
    acts = [f for f in _facts(engine, source_id, arrest) if f.table == "acts" and "Harlan Vex" in f.label]
    assert [a.review_status for a in acts] == ["added"]
    review.undo(engine, EDITOR, event_id=added.event_id)
    facts = _facts(engine, source_id, arrest)
    assert {f.review_status for f in facts if f.id in {added.fact_id, acts[0].id}} == {"rejected"}


def test_only_ones_own_changes_unless_admin(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = saved
    decision = review.decide(engine, EDITOR, table="incidents", fact_id=arrest, decision="reject")
    with pytest.raises(AccessError) as info:
        review.undo(engine, OTHER_EDITOR, event_id=decision.event_id)
    assert info.value.code == "E503"
    assert review.undo(engine, ADMIN, event_id=decision.event_id).review_status == "extracted"
    mark = review.set_confidential(engine, EDITOR, table="incidents", ident=arrest, confidential=True)
    for event_id in (mark.event_id, 9999):
        with pytest.raises(ReviewError) as refused:
            review.undo(engine, ADMIN, event_id=event_id)
        assert refused.value.code == "E511"


def test_verify_needs_every_fact_decided(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, trial, _) = saved
    with pytest.raises(ReviewError) as info:
        review.verify(engine, EDITOR, incident_id=arrest)
    assert info.value.code == "E514" and info.value.fields["count"] == 12
    accept_all(engine, source_id, arrest)
    done = review.verify(engine, EDITOR, incident_id=arrest[:10], ip="10.1.1.1")
    assert (done.incident_id, done.status, done.verified_by) == (arrest, "verified", "ilse.marrow")
    assert _statuses(engine, source_id)[arrest] == "verified"
    [event] = read_log(engine, ADMIN, action="incident.verified")
    assert event.before is not None and event.before["status"] == "in_review"
    assert event.after is not None and event.after["verified_by"] == "ilse.marrow"
    with pytest.raises(ReviewError) as shared:  # the trial still has its charge, its fine...
        review.verify(engine, EDITOR, incident_id=trial)
    assert 0 < shared.value.fields["count"] < 13  # ...but its people and demands were decided
    with pytest.raises(StoreError):
        review.verify(engine, EDITOR, incident_id="ffffffff")


def test_set_confidential(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = saved
    mark = review.set_confidential(
        engine, EDITOR, table="incidents", ident=arrest, confidential=True, fields=["detention_place", "city"]
    )
    assert (mark.confidential, mark.fields) == (True, ("city", "detention_place"))
    page = _page(engine, source_id).incidents[0]
    assert (page.confidential, page.confidential_fields) == (True, ("city", "detention_place"))
    kept = review.set_confidential(engine, EDITOR, table="incidents", ident=arrest, confidential=False)
    assert kept.fields == ("city", "detention_place")  # fields=None leaves them as they are
    mira = _fact(engine, source_id, "people", name="Mira Solvang")
    review.set_confidential(engine, EDITOR, table="people", ident=mira.id, confidential=True)
    events = read_log(engine, ADMIN, action="confidential.set")
    assert events[0].target_table == "people" and events[0].after == {"confidential": True}
    assert events[-1].before == {"confidential": False, "confidential_fields": []}
    for kwargs, code in (
        ({"table": "incidents", "ident": arrest, "fields": ["status"]}, "E512"),
        ({"table": "people", "ident": mira.id, "fields": ["name"]}, "E513"),
        ({"table": "acts", "ident": arrest}, "E513"),
        ({"table": "people", "ident": "nobody"}, "E511"),
    ):
        with pytest.raises(HrdwatchError) as info:
            review.set_confidential(engine, EDITOR, confidential=True, **kwargs)  # type: ignore[arg-type]
        assert info.value.code == code


def test_queue_empties_as_incidents_are_verified(engine: Engine, saved: tuple[str, list[str]]) -> None:
    source_id, ids = saved
    [item] = review.review_queue(engine, EDITOR)
    assert (item.source_id, item.incidents, item.undecided) == (source_id, 3, 23)
    for incident_id in ids:
        accept_all(engine, source_id, incident_id)
        review.verify(engine, EDITOR, incident_id=incident_id)
    assert review.review_queue(engine, EDITOR) == []


def test_review_page_groups_and_spans(engine: Engine, saved: tuple[str, list[str]]) -> None:
    text = STORE.make_source().text
    page = _page(engine, saved[0])
    assert page.source.text == text
    assert [i.id for i in page.incidents] == saved[1]
    arrest = page.incidents[0]
    assert [g.name for g in arrest.groups] == list(review.GROUPS)
    groups = {g.name: g.items for g in arrest.groups}
    [dates], [places] = groups["dates"], groups["places"]
    assert (dates.table, dates.id) == (places.table, places.id) == ("incidents", arrest.id)
    assert dates.values == {"date": "2025-03-03", "end_date": None}
    assert places.values["city"] == "Valdora" and "city" in places.editable
    assert [text[s:e] for s, e in dates.spans] == ["3 March 2025"]
    assert [text[s:e] for s, e in places.spans] == ["Valdora"]
    arrests = [a for a in groups["acts"] if a.values["act_type"] == "arrest"]
    assert len(arrests) == 2 and all(text[s:e] == "arrested" for a in arrests for s, e in a.spans)
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
    with pytest.raises(ReviewError) as info:
        _page(engine, "nope")
    assert info.value.code == "E511"


def _add(
    engine: Engine, ids: tuple[str, str], kind: str, span: tuple[int, int], values: dict[str, str | None]
) -> AuditEntry:
    """Add a fact to incident ``ids[1]`` of report ``ids[0]`` as EDITOR; the audit event of it."""
    (source_id, incident_id), (start, end) = ids, span
    decision = review.add_fact(
        engine,
        EDITOR,
        source_id=source_id,
        incident_id=incident_id,
        kind=kind,
        start=start,
        end=end,
        values=values,
    )
    with UnitOfWork(engine, read_only=True) as uow:
        event = uow.audit.get(decision.event_id)
    assert event is not None and (event.target_table, event.target_id) == (decision.table, decision.fact_id)
    return event


def test_add_person_creates_victim_acts_with_evidence(engine: Engine, saved: tuple[str, list[str]]) -> None:
    start = STORE.make_source().text.index("Harlan Vex")
    added = _add(engine, (saved[0], saved[1][0]), "person", (start, start + 10), {})
    assert added.before is None and added.target_table == "people" and added.after is not None
    assert added.after["name"] == "Harlan Vex" and added.after["review_status"] == "added"
    with UnitOfWork(engine) as uow:
        acts = uow.session.execute(
            select(t.Act.id, t.Act.act_type, t.Act.review_status).where(
                t.Act.victim_person_id == added.target_id
            )
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
    assert set(evidence) >= {("people", "Harlan Vex", "ilse.marrow"), ("acts", "Harlan Vex", "ilse.marrow")}


def test_add_perpetrator_and_date(engine: Engine, saved: tuple[str, list[str]]) -> None:
    raid = saved[1][2]
    start = STORE.make_source().text.index("Police raided")
    perp = _add(engine, (saved[0], raid), "perpetrator", (start, start + 6), {"kind": "state"})
    date = _add(engine, (saved[0], raid), "date", (start, start + 6), {"date": "2025-05"})
    with UnitOfWork(engine) as uow:
        stored = uow.session.execute(
            select(t.Incident.date, t.Incident.date_precision).where(t.Incident.id == raid)
        ).one()
        links = uow.session.scalars(
            select(t.Involvement.review_status).where(t.Involvement.perpetrator_id == perp.target_id)
        ).all()
    assert perp.after is not None and (perp.after["description"], perp.after["kind"]) == ("Police", "state")
    assert links == ["added"]  # the raid has one act
    assert date.before == {"date": None, "review_status": "extracted"}
    assert date.after == {"date": "2025-05", "review_status": "corrected"}
    assert tuple(stored) == ("2025-05", "month")


def test_add_needs_what_it_cannot_guess(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(STORE.make_source())
        [incident_id] = uow.records.save(source_id, CaseRecord(id="x", events=[Event(acts=[])]))
        uow.commit()
    for kind, values in (("person", {}), ("perpetrator", {"kind": "state"})):
        with pytest.raises(ReviewError) as info:
            review.add_fact(
                engine,
                EDITOR,
                source_id=source_id,
                incident_id=incident_id,
                kind=kind,
                start=0,
                end=5,
                values=values,
            )
        assert info.value.code == "E513" and "no act yet" in info.value.detail
