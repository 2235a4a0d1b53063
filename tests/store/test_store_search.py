"""Incident search: filters, full text with escaped wildcards, sorting, pages, what a viewer's
search leaves out, and facets. Every name and report below is invented."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.queries import IncidentQuery
from hrdwatch.domain.records import CaseRecord, Event, Perpetrator, Place, Victim
from hrdwatch.domain.source import Source
from hrdwatch.store import tables as t
from hrdwatch.store.search import facets, like_pattern, search_incidents
from hrdwatch.store.uow import UnitOfWork

#: victim, country, city, date, acts, perpetrator kind, extra text, title
CASES = [
    ("Lerato Mbeki-Fotso", "ZA", "Durban", "2024-05-10", ["arrest"], "state", "100% lawful.", None),
    ("Teodor Valk", "EE", "Tallinn", "2024", ["threat"], "non_state", "", None),
    (
        "Amara Quist",
        "KE",
        "Nairobi",
        "2025-01-03",
        ["detention", "torture_ill_treatment"],
        "state",
        "",
        "Crackdown",
    ),
    ("Bram Okoro", "KE", "Mombasa", None, ["fine"], "unknown", "A rate of 100 percent.", None),
    ("Sofia Lind", "ZA", "Cape Town", "2023-11", ["arrest"], "state", "", None),
]


def _save_case(engine: Engine, n: int) -> str:
    victim, country, city, date, acts, kind, extra, title = CASES[n]
    text = f"{victim} was targeted in {city} by agents. {extra} Case {n}."
    data = text.encode()
    source = Source(
        name=f"case{n}.txt",
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type="text/plain",
        reader="text",
        title=title or f"Case {n}",
    )
    event = Event(
        acts=acts,
        victims=[victim],
        perpetrators=["agents"],
        date=PartialDate.from_iso(date) if date else None,
        place=Place(city=city, country=country),
    )
    record = CaseRecord(
        id=f"c{n}",
        victims=[Victim(victim, affiliations=["Harbour Watch"] if n == 1 else [])],
        perpetrators=[Perpetrator(None, kind, "agents")],
        events=[event],
    )
    with UnitOfWork(engine) as uow:
        [incident_id] = uow.records.save(uow.sources.add(source), record)
        uow.commit()
    return incident_id


@pytest.fixture
def ids(engine: Engine) -> list[str]:
    return [_save_case(engine, n) for n in range(len(CASES))]


def _find(engine: Engine, *, include_confidential: bool = True, **filters: object) -> tuple[list[str], int]:
    query = IncidentQuery(**filters)  # type: ignore[arg-type]
    with UnitOfWork(engine) as uow:
        items, total = search_incidents(uow.session, query, include_confidential=include_confidential)
    return [i.id for i in items], total


def _mark(engine: Engine, stmt: object) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(stmt)  # type: ignore[call-overload]
        uow.commit()


def test_default_order_is_newest_date_first_undated_last(engine: Engine, ids: list[str]) -> None:
    found, total = _find(engine)
    assert total == 5
    assert found == [ids[2], ids[0], ids[1], ids[4], ids[3]]
    ascending, _ = _find(engine, descending=False)
    assert ascending == [ids[4], ids[1], ids[0], ids[2], ids[3]]


def test_summaries(engine: Engine, ids: list[str]) -> None:
    with UnitOfWork(engine) as uow:
        items, _ = search_incidents(uow.session, IncidentQuery(country="KE", sort="date"))
    quist = items[0]
    assert (quist.id, quist.victims, quist.city, quist.source_title) == (
        ids[2],
        ("Amara Quist",),
        "Nairobi",
        "Crackdown",
    )
    assert set(quist.acts) == {"detention", "torture_ill_treatment"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "ke"}, {2, 3}),
        ({"act_type": "arrest"}, {0, 4}),
        ({"perpetrator_kind": "non_state"}, {1}),
        ({"date_from": "2024-03"}, {0, 1, 2}),  # "2024" overlaps the range
        ({"date_to": "2024"}, {0, 1, 4}),
        ({"date_from": "2024-05", "date_to": "2024-05"}, {0, 1}),
        ({"date_from": "2026"}, set()),
        ({"country": "ZA", "act_type": "arrest", "date_from": "2024"}, {0}),
    ],
)
def test_filters(engine: Engine, ids: list[str], filters: dict[str, object], expected: set[int]) -> None:
    found, total = _find(engine, **filters)
    assert set(found) == {ids[n] for n in expected} and total == len(expected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("MBEKI", {0}),  # a victim's name, any case
        ("nairobi", {2}),  # a city
        ("crackdown", {2}),  # a title
        ("harbour", {1}),  # an organisation the victim belongs to
        ("lawful", {0}),  # the report text
        ("100%", {0}),  # % is literal: "100 percent" does not match
        ("o_o", set()),  # _ is literal: "Okoro" does not match
        ("zzz", set()),
    ],
)
def test_full_text(engine: Engine, ids: list[str], q: str, expected: set[int]) -> None:
    found, _ = _find(engine, q=q)
    assert set(found) == {ids[n] for n in expected}


def test_like_pattern_escapes_wildcards() -> None:
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


def test_pages_and_sorts(engine: Engine, ids: list[str]) -> None:
    everything, _ = _find(engine)
    second, total = _find(engine, page=2, per_page=2)
    assert (second, total) == (everything[2:4], 5)
    assert _find(engine, page=4, per_page=2) == ([], 5)
    by_country, _ = _find(engine, sort="country", descending=False)
    assert by_country[0] == ids[1] and set(by_country[3:]) == {ids[0], ids[4]}
    by_created, _ = _find(engine, sort="created", descending=False)
    assert by_created == ids


def test_status_filters(engine: Engine, ids: list[str]) -> None:
    _mark(engine, update(t.Incident).where(t.Incident.id == ids[2]).values(status="verified"))
    assert _find(engine, status="verified")[0] == [ids[2]]
    assert _find(engine, verified_only=True)[0] == [ids[2]]
    assert _find(engine, status="extracted")[1] == 4


def test_rejected_acts_do_not_count(engine: Engine, ids: list[str]) -> None:
    torture = t.Act.act_type == "torture_ill_treatment"
    _mark(engine, update(t.Act).where(torture).values(review_status="rejected"))
    assert _find(engine, act_type="torture_ill_treatment")[0] == []
    with UnitOfWork(engine) as uow:
        items, _ = search_incidents(uow.session, IncidentQuery(country="KE"))
    assert items[0].acts == ("detention",)


def test_a_viewers_search_leaves_out_what_is_confidential(engine: Engine, ids: list[str]) -> None:
    _mark(engine, update(t.Incident).where(t.Incident.id == ids[1]).values(confidential=True))
    _mark(engine, update(t.Person).where(t.Person.name == "Lerato Mbeki-Fotso").values(confidential=True))
    _mark(engine, update(t.Incident).where(t.Incident.id == ids[3]).values(confidential_fields=["city"]))
    _mark(
        engine, update(t.Incident).where(t.Incident.id == ids[4]).values(confidential_fields=["date", "site"])
    )

    def viewer(**filters: object) -> tuple[list[str], int]:
        return _find(engine, include_confidential=False, **filters)

    assert viewer(q="mbeki") == ([], 0)  # a confidential person's name is never matched
    assert viewer(q="lawful") == ([], 0)  # nor the report text
    assert viewer(q="mombasa") == ([], 0)  # nor a hidden city
    assert _find(engine, q="mombasa")[0] == [ids[3]]
    assert viewer(date_to="2024")[0] == [ids[0]]  # the hidden date of ids[4] does not match
    assert viewer()[0] == [ids[2], ids[0], ids[4], ids[3]]  # the hidden date sorts as undated (newer first)
    with UnitOfWork(engine) as uow:
        found, _ = search_incidents(uow.session, IncidentQuery(), include_confidential=False)
    items = {i.id: i for i in found}
    assert items[ids[0]].victims == ()
    assert (items[ids[3]].city, items[ids[3]].country) == (None, "KE")
    assert items[ids[4]].date is None


def test_facets(engine: Engine, ids: list[str]) -> None:
    _mark(engine, update(t.Incident).where(t.Incident.id == ids[1]).values(status="verified"))
    with UnitOfWork(engine) as uow:
        everything = facets(uow.session, include_confidential=True, verified_only=False)
        verified = facets(uow.session, include_confidential=False, verified_only=True)
        agents = uow.session.scalars(select(t.Perpetrator.kind).distinct()).all()
    assert everything.countries == ("EE", "KE", "ZA")
    assert everything.act_types == ("arrest", "detention", "fine", "threat", "torture_ill_treatment")
    assert everything.perpetrator_kinds == tuple(sorted(agents))
    assert everything.statuses == ("extracted", "verified")
    assert (verified.countries, verified.act_types, verified.statuses) == (
        ("EE",),
        ("threat",),
        ("verified",),
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("targeted", {0, 1, 2, 3, 4}),  # a word of every report
        ("percent", {3}),
        ("rate of 100", {3}),  # several words, in order, as written
        ("ercent", set()),  # in the report text a match starts at a word (the index works by words)
        ("%", set()),  # no word at all: the text is not searched
    ],
)
def test_report_text_is_searched_through_the_index(
    engine: Engine, ids: list[str], q: str, expected: set[int]
) -> None:
    found, _ = _find(engine, q=q, include_confidential=True)
    assert set(found) == {ids[n] for n in expected}


def test_the_index_follows_changes_to_a_report(engine: Engine, ids: list[str]) -> None:
    _mark(engine, update(t.Source).where(t.Source.name == "case3.txt").values(text="Nothing about rates."))
    assert _find(engine, q="percent", include_confidential=True)[0] == []
    assert _find(engine, q="rates", include_confidential=True)[0] == [ids[3]]


def test_report_text_is_not_searched_for_viewers(engine: Engine, ids: list[str]) -> None:
    assert _find(engine, q="percent", include_confidential=False)[0] == []
