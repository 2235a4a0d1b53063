"""Browsing by role: a viewer only ever gets verified, non-confidential incidents, never a
confidential person or field; editors see everything. Every name is invented."""

from __future__ import annotations

import hashlib
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.queries import IncidentQuery, InvalidQuery
from hrdwatch.domain.records import CaseRecord, Event, Place, Victim
from hrdwatch.domain.source import Source
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, ReviewError, StoreError
from hrdwatch.services import browse, review
from hrdwatch.services.review.views import FactItem
from hrdwatch.store.uow import UnitOfWork

#: tests/store/conftest.py (its fictional report and record builders), loaded by our conftest.py
STORE = sys.modules["hrdwatch_tests_store_conftest"]
EDITOR = Principal("u1", "ilse.marrow", Role.EDITOR)
VIEWER = Principal("u4", "noor.vale", Role.VIEWER)


@pytest.fixture
def valdora(engine: Engine) -> tuple[str, list[str]]:
    """The fictional Valdora report: (source id, [arrest, trial, raid] incident ids)."""
    return STORE.save_report(engine, STORE.make_source(), STORE.make_record())


def _facts(engine: Engine, source_id: str, incident_id: str | None = None) -> list[FactItem]:
    page = review.review_page(engine, EDITOR, source_id)
    return [
        item
        for inc in page.incidents
        if incident_id in (None, inc.id)
        for group in inc.groups
        for item in group.items
    ]


def _id_of(engine: Engine, source_id: str, table: str, name: str) -> str:
    return next(f.id for f in _facts(engine, source_id) if f.table == table and f.values.get("name") == name)


def verify(engine: Engine, source_id: str, incident_id: str) -> None:
    for table, fact_id in dict.fromkeys((f.table, f.id) for f in _facts(engine, source_id, incident_id)):
        review.decide(engine, EDITOR, table=table, fact_id=fact_id, decision="accept")
    review.verify(engine, EDITOR, incident_id=incident_id)


def _confidential(engine: Engine, table: str, ident: str, fields: list[str] | None = None) -> None:
    review.set_confidential(engine, EDITOR, table=table, ident=ident, confidential=True, fields=fields)


def _ids(engine: Engine, user: Principal, **filters: object) -> list[str]:
    return [i.id for i in browse.search(engine, user, IncidentQuery(**filters)).items]  # type: ignore[arg-type]


def test_viewer_search_sees_only_verified_non_confidential(
    engine: Engine, valdora: tuple[str, list[str]]
) -> None:
    source_id, (arrest, trial, raid) = valdora
    assert browse.search(engine, VIEWER, IncidentQuery()).total == 0
    assert set(_ids(engine, EDITOR)) == {arrest, trial, raid}
    verify(engine, source_id, arrest)
    assert _ids(engine, VIEWER) == [arrest]
    assert _ids(engine, VIEWER, status="extracted") == []  # a viewer cannot ask for more
    assert _ids(engine, EDITOR, verified_only=True) == [arrest]
    _confidential(engine, "incidents", arrest)
    assert _ids(engine, VIEWER) == []
    assert len(_ids(engine, EDITOR)) == 3
    with pytest.raises(AccessError):
        browse.search(engine, None, IncidentQuery())


def test_viewer_search_hides_confidential_victims(engine: Engine, valdora: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = valdora
    verify(engine, source_id, arrest)
    _confidential(engine, "people", _id_of(engine, source_id, "people", "Tomas Eklund"))
    [summary] = browse.search(engine, VIEWER, IncidentQuery()).items
    assert summary.victims == ("Mira Solvang",)
    assert _ids(engine, VIEWER, q="eklund") == []
    assert arrest in _ids(engine, EDITOR, q="eklund")


def test_query_checks_and_pages(engine: Engine, valdora: tuple[str, list[str]]) -> None:
    for bad in ({"sort": "victim"}, {"date_from": "March 2025"}, {"status": "closed"}):
        with pytest.raises(InvalidQuery) as info:
            IncidentQuery(**bad)  # type: ignore[arg-type]
        assert info.value.field == next(iter(bad))
    page = browse.search(engine, EDITOR, IncidentQuery(per_page=2, page=2, sort="created", descending=False))
    assert (page.total, page.page, page.per_page, page.pages) == (3, 2, 2, 2)
    assert [i.id for i in page.items] == valdora[1][2:]
    clamped = browse.search(engine, EDITOR, IncidentQuery(per_page=1000, page=0))
    assert (clamped.per_page, clamped.page, clamped.pages, len(clamped.items)) == (100, 1, 1, 3)


def test_viewer_incident_is_redacted(engine: Engine, valdora: tuple[str, list[str]]) -> None:
    source_id, (arrest, trial, _) = valdora
    with pytest.raises(StoreError) as unverified:
        browse.incident(engine, VIEWER, arrest)
    assert unverified.value.code == "E305"
    verify(engine, source_id, arrest)
    prison = next(f for f in _facts(engine, source_id, arrest) if f.table == "sanctions")
    review.decide(engine, EDITOR, table="sanctions", fact_id=prison.id, decision="reject")
    _confidential(engine, "people", _id_of(engine, source_id, "people", "Tomas Eklund"))
    _confidential(engine, "incidents", arrest, fields=["city"])
    review.set_confidential(engine, EDITOR, table="incidents", ident=arrest, confidential=False)

    seen = browse.incident(engine, VIEWER, arrest)
    assert [p.name for p in seen.people] == ["Mira Solvang"]
    assert sorted((a.victim, a.act_type) for a in seen.acts if a.victim) == [
        ("Mira Solvang", "arrest"),
        ("Mira Solvang", "physical_attack"),
    ]
    assert sum(a.victim is None and a.victim_id is None for a in seen.acts) == 2  # Eklund's acts, unnamed
    assert (seen.city, seen.country, seen.sanctions) == (None, "LT", ())
    assert seen.evidence and any(e.quote == "Harlan Vex" for e in seen.evidence)
    for e in seen.evidence:
        assert "Eklund" not in e.quote + e.sentence and "Valdora" not in e.quote + e.sentence
    full = browse.incident(engine, EDITOR, arrest)
    assert {p.name for p in full.people} == {"Mira Solvang", "Tomas Eklund"} and full.city == "Valdora"
    assert len(full.sanctions) == 1
    _confidential(engine, "incidents", arrest)
    with pytest.raises(StoreError):
        browse.incident(engine, VIEWER, arrest)
    with pytest.raises(StoreError):
        browse.incident(engine, VIEWER, trial)


def _valk(engine: Engine) -> list[tuple[str, str]]:
    """Three fictional reports naming one defender three ways: [(source id, incident id)]."""
    reports = [
        ("Valk, Teodor was detained in Tallinn on 5 May 2024.", "Valk, Teodor", "2024-05-05", "detention"),
        ("Téodor Valk was threatened in Tartu in 2023.", "Téodor Valk", "2023", "threat"),
        ("Teodor Valk was fined in Narva on 1 June 2025.", "Teodor Valk", "2025-06-01", "fine"),
    ]
    saved = []
    for n, (body, name, date, act) in enumerate(reports):
        data = body.encode()
        source = Source(
            f"valk{n}.txt", body, hashlib.sha256(data).hexdigest(), len(data), "text/plain", "text"
        )
        event = Event(acts=[act], victims=[name], date=PartialDate.from_iso(date), place=Place(country="EE"))
        source_id, [incident_id] = STORE.save_report(
            engine, source, CaseRecord(id=f"v{n}", victims=[Victim(name)], events=[event])
        )
        saved.append((source_id, incident_id))
    return saved


def test_person_page_by_role(engine: Engine) -> None:
    (s0, i0), (s1, i1), (s2, i2) = _valk(engine)
    comma, accented, plain = (
        _id_of(engine, s0, "people", "Valk, Teodor"),
        _id_of(engine, s1, "people", "Téodor Valk"),
        _id_of(engine, s2, "people", "Teodor Valk"),
    )
    with pytest.raises(ReviewError) as nothing:
        browse.person(engine, VIEWER, comma)
    assert nothing.value.code == "E511"
    editor_page = browse.person(engine, EDITOR, comma)
    assert {p.id for p in editor_page.same} == {accented, plain}
    assert [e.incident_id for e in editor_page.timeline] == [i1, i0, i2]
    verify(engine, s0, i0)
    first = browse.person(engine, VIEWER, comma)
    assert ([e.incident_id for e in first.timeline], first.same) == ([i0], ())  # nothing else verified yet
    with pytest.raises(ReviewError):
        browse.person(engine, VIEWER, plain)  # its own report is not verified
    verify(engine, s2, i2)
    assert [e.incident_id for e in browse.person(engine, VIEWER, plain).timeline] == [i0, i2]
    _confidential(engine, "people", accented)
    verify(engine, s1, i1)
    page = browse.person(engine, VIEWER, comma)
    assert [p.id for p in page.same] == [plain]
    assert [e.incident_id for e in page.timeline] == [i0, i2]  # 2023 is known only through a confidential row
    assert all(e.via_people in ((comma,), (plain,)) for e in page.timeline)
    with pytest.raises(ReviewError):
        browse.person(engine, VIEWER, accented)
    assert len(browse.person(engine, EDITOR, accented).timeline) == 3


def test_organisation_page_by_role(engine: Engine, valdora: tuple[str, list[str]]) -> None:
    source_id, (arrest, trial, raid) = valdora
    northwind = _id_of(engine, source_id, "organisations", "Northwind Rights Centre")
    with pytest.raises(ReviewError):
        browse.organisation(engine, VIEWER, northwind)
    full = browse.organisation(engine, EDITOR, northwind)
    assert [m.name for m in full.members] == ["Mira Solvang"]
    assert {e.incident_id for e in full.timeline} == {arrest, trial, raid}
    verify(engine, source_id, raid)
    _confidential(engine, "people", _id_of(engine, source_id, "people", "Mira Solvang"))
    verify(engine, source_id, arrest)
    seen = browse.organisation(engine, VIEWER, northwind)
    assert [e.incident_id for e in seen.timeline] == [raid]  # the arrest reaches it only through Mira
    assert (seen.members, seen.timeline[0].via_organisations) == ((), (northwind,))


def test_facets_by_role(engine: Engine, valdora: tuple[str, list[str]]) -> None:
    source_id, (_, _, raid) = valdora
    everything = browse.facets(engine, EDITOR)
    assert everything.act_types == ("arrest", "conviction", "fine", "physical_attack", "raid_search")
    assert everything.statuses == ("extracted",)
    assert browse.facets(engine, VIEWER).countries == ()
    verify(engine, source_id, raid)
    seen = browse.facets(engine, VIEWER)
    assert (seen.countries, seen.act_types, seen.perpetrator_kinds, seen.statuses) == (
        ("LT",),
        ("raid_search",),
        ("state",),
        ("verified",),
    )


def test_confidential_name_is_withheld_from_titles_for_viewers(
    engine: Engine, valdora: tuple[str, list[str]]
) -> None:
    source_id, (arrest, _, _) = valdora
    verify(engine, source_id, arrest)
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            text("UPDATE sources SET title = :title WHERE id = :i"),
            {"title": "Valdora: Tomas Eklund and Mira Solvang arrested", "i": source_id},
        )
        uow.commit()
    _confidential(engine, "people", _id_of(engine, source_id, "people", "Tomas Eklund"))
    [summary] = browse.search(engine, VIEWER, IncidentQuery()).items
    assert summary.source_title == "Valdora: [withheld] and Mira Solvang arrested"
    detail = browse.incident(engine, VIEWER, arrest)
    assert "eklund" not in repr(detail).casefold()
    assert "Tomas Eklund" in repr(browse.incident(engine, EDITOR, arrest))


def test_a_viewer_cannot_find_an_incident_through_a_withheld_name_in_its_title(
    engine: Engine, valdora: tuple[str, list[str]]
) -> None:
    """Issue 7, item 11, on SQLite and PostgreSQL: the title is matched as the viewer reads it."""
    source_id, (arrest, _, _) = valdora
    verify(engine, source_id, arrest)
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            text("UPDATE sources SET title = :title WHERE id = :i"),
            {"title": "Valdora: TOMAS EKLUND and Mira Solvang arrested", "i": source_id},
        )
        uow.commit()
    _confidential(engine, "people", _id_of(engine, source_id, "people", "Tomas Eklund"))
    for q in ("Tomas Eklund", "eklund", "Tomas", "s Ekl", "Eklund and Mira", "EKLUND AND"):
        assert _ids(engine, VIEWER, q=q) == [], q
        assert arrest in _ids(engine, EDITOR, q=q), q
    for q in ("Mira Solvang", "and Mira", "arrested"):  # what the viewer can read still matches
        assert _ids(engine, VIEWER, q=q) == [arrest], q


def test_viewer_must_give_the_whole_incident_id(engine: Engine, valdora: tuple[str, list[str]]) -> None:
    source_id, (arrest, _, _) = valdora
    verify(engine, source_id, arrest)
    assert browse.incident(engine, VIEWER, arrest).id == arrest
    with pytest.raises(StoreError) as prefix:
        browse.incident(engine, VIEWER, arrest[:8])
    assert prefix.value.code == "E305"
    assert browse.incident(engine, EDITOR, arrest[:8]).id == arrest
