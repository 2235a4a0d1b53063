"""People and organisation pages: rows that give one name in other spellings or word orders are the
same defender, across reports. Every name and report is invented."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord, Event, Place, Victim
from hrdwatch.errors import ReviewError
from hrdwatch.services.people import namesakes, organisation_page, person_page
from hrdwatch.store import tables as t
from hrdwatch.store.uow import UnitOfWork

#: tests/store/conftest.py (its report builder), loaded by our conftest.py
STORE = sys.modules["hrdwatch_tests_store_conftest"]


def _valk_reports(engine: Engine) -> list[str]:
    """Three fictional reports naming the same defender three ways; returns the people ids."""
    texts = [
        ("Valk, Teodor was detained in Tallinn on 5 May 2024.", "Valk, Teodor", "2024-05-05", "detention"),
        ("Téodor Valk was threatened in Tartu in 2023.", "Téodor Valk", "2023", "threat"),
        ("Teodor Valk was fined in Narva on 1 June 2025.", "Teodor Valk", None, "fine"),
    ]
    ids = []
    for i, (text, name, date, act) in enumerate(texts):
        event = Event(
            acts=[act],
            victims=[name],
            date=PartialDate.from_iso(date) if date else None,
            place=Place(country="EE"),
        )
        record = CaseRecord(
            id=f"v{i}", victims=[Victim(name, affiliations=["Harbour Watch"])], events=[event]
        )
        with UnitOfWork(engine) as uow:
            uow.records.save(uow.sources.add(STORE.make_source(text, name=f"valk{i}.txt")), record)
            uow.commit()
        with UnitOfWork(engine) as uow:
            ids.append(uow.session.scalars(select(t.Person.id).where(t.Person.name == name)).one())
    return ids


def test_namesakes_are_the_other_rows_with_the_same_words() -> None:
    named = [("a", "Valk, Teodor"), ("b", "Téodor  VALK"), ("c", "Teodora Valk"), ("d", "Teodor Valk")]
    assert namesakes("d", "Teodor Valk", named) == ["a", "b"]
    assert namesakes("x", "—", [("y", "?")]) == []  # no letters: no namesake


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
        with pytest.raises(ReviewError) as missing:
            person_page(uow.session, "missing")
        assert missing.value.code == "E511"
    assert len(page.same) == 2  # "Harbour Watch" in the other two reports
    assert {m.id for m in page.members} == set(ids)
    assert len(page.timeline) == 3 and not any(e.via_organisations for e in page.timeline)
