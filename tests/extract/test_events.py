"""Event assembly through the whole pipeline: ``Extractor().extract_text`` -> CaseRecord."""

from __future__ import annotations

import re

import pytest

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord
from hrdwatch.extract.pipeline import Extractor
from hrdwatch.extract.registry import ACTS, STAGE_NAMES

REPORT = (
    "On 3 March 2023, police officers arrested the journalist Amara Velt in Almaty, Kazakhstan. "
    "She was detained for two days.\n\n"
    "Her colleague Tomas Reyne, a lawyer, later moved to Bishkek in Kyrgyzstan. On 12 April, a court "
    "in Bishkek fined him 40,000 soms for taking part in a peaceful rally. The Lantern Rights Centre "
    "calls on the authorities to release Amara Velt and to drop all charges against Tomas Reyne."
)

FRENCH = (
    "Le 5 mai 2024, la défenseure Amara Velt a été arrêtée à Dakar, au Sénégal, puis condamnée "
    "à une amende de 200 000 francs CFA."
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def meta(language: str = "en") -> dict[str, object]:
    return {"published": PartialDate.from_iso("2025-06-10"), "language": language, "doc_id": "t1"}


@pytest.fixture(scope="module")
def record(extractor: Extractor) -> CaseRecord:
    return extractor.extract_text(REPORT, meta=meta())


def acts_of(record: CaseRecord, victim: str) -> set[str]:
    return {act for e in record.events if victim in e.victims for act in e.acts}


def test_record_carries_the_metadata(record: CaseRecord) -> None:
    assert record.id == "t1"
    assert record.language == "en"
    assert record.warnings == []


def test_both_victims_are_found(record: CaseRecord) -> None:
    assert [v.name for v in record.victims] == ["Amara Velt", "Tomas Reyne"]
    assert all(v.kind == "person" for v in record.victims)


def test_each_victim_is_linked_only_to_their_own_acts(record: CaseRecord) -> None:
    assert acts_of(record, "Amara Velt") == {"arrest", "detention"}
    assert acts_of(record, "Tomas Reyne") == {"fine"}
    assert all(len(e.victims) == 1 for e in record.events)


def test_only_the_fined_victims_event_has_the_sanction(record: CaseRecord) -> None:
    fined = [e for e in record.events if e.sanctions]
    assert [e.victims for e in fined] == [["Tomas Reyne"]]
    assert fined[0].acts == ["fine"]


def test_fine_sanction_has_amount_and_currency(record: CaseRecord) -> None:
    assert [s.to_dict() for s in record.sanctions] == [
        {"type": "fine", "amount": 40000, "amount_max": None, "currency": "KGS"}
    ]


def test_date_without_year_takes_the_previous_dates_year(record: CaseRecord) -> None:
    dates = {e.victims[0]: e.date.iso for e in record.events if e.date}
    assert dates == {"Amara Velt": "2023-03-03", "Tomas Reyne": "2023-04-12"}


def test_events_are_in_text_order(record: CaseRecord) -> None:
    assert [e.victims for e in record.events] == [["Amara Velt"], ["Tomas Reyne"]]


def test_places_and_countries_are_iso_codes(record: CaseRecord) -> None:
    assert record.countries == ["KZ", "KG"]
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in record.countries)
    places = [(e.place.city, e.place.country) for e in record.events]
    assert places == [("Almaty", "KZ"), ("Bishkek", "KG")]


def test_generic_perpetrators_are_attached_to_their_events(record: CaseRecord) -> None:
    first = record.events[0]
    assert first.perpetrators == ["police officers"]
    police = [p for p in record.perpetrators if p.description == "police officers"]
    assert len(police) == 1 and police[0].kind == "state" and police[0].name is None


def test_demands_reach_the_record(record: CaseRecord) -> None:
    assert [d.text for d in record.demands] == [
        "release Amara Velt",
        "drop all charges against Tomas Reyne",
    ]


def test_every_event_act_has_evidence_quoting_the_text(record: CaseRecord) -> None:
    for event in record.events:
        fields = [ev.field for ev in event.evidence]
        for act in event.acts:
            assert f"act:{act}" in fields
    for _path, ev in record.all_evidence():
        assert REPORT[ev.start : ev.end] == ev.quote
        assert ev.stage in STAGE_NAMES


def test_act_evidence_names_the_acts_stage_and_rule(record: CaseRecord) -> None:
    act_evidence = [ev for e in record.events for ev in e.evidence if ev.field.startswith("act:")]
    assert {ev.quote for ev in act_evidence} == {"arrested", "detained", "fined"}
    assert all(ev.stage == ACTS.name and ev.rule for ev in act_evidence)


def test_called_for_release_is_not_an_event(record: CaseRecord) -> None:
    assert all("release" not in e.acts for e in record.events)


def test_french_report_warns_and_keeps_its_country(extractor: Extractor) -> None:
    rec = extractor.extract_text(FRENCH, meta=meta("fr"))
    assert rec.language == "fr"
    assert rec.warnings and "'fr' is not supported" in rec.warnings[0]
    assert rec.countries == ["SN"]
    assert rec.victims == [] and rec.events == []


def test_text_without_acts_gives_an_empty_record(extractor: Extractor) -> None:
    rec = extractor.extract_text("Amara Velt teaches history at a school in Almaty.", meta=meta())
    assert rec.events == [] and rec.victims == []
    assert rec.countries == ["KZ"]
