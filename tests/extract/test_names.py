"""The names stage: people and organisations, variants merged, roles, affiliations and flags."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.extract.components.names import find_entities, names_component
from hrdwatch.extract.components.places import places_component
from hrdwatch.extract.extensions import init_doc
from hrdwatch.extract.facts import Entity


def parsed(nlp: Language, text: str, **meta: Any) -> Doc:
    """The Doc as the names stage sees it in the pipeline: parsed, with metadata and places."""
    return places_component(init_doc(nlp(text), {"language": "en", **meta}))


def entities(nlp: Language, text: str, **meta: Any) -> list[Entity]:
    found = find_entities(parsed(nlp, text, **meta))
    for e in found:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
    return found


def named(found: list[Entity], name: str) -> Entity:
    hits = [e for e in found if e.name == name]
    assert len(hits) == 1, [(e.name, e.kind) for e in found]
    return hits[0]


def test_full_name_surname_and_title_merge_into_one_person(nlp: Language) -> None:
    text = (
        "Amara Velt was arrested in Almaty on 3 March. Velt had organised a protest. "
        "Police questioned Ms Velt for six hours."
    )
    found = entities(nlp, text)
    velt = named(found, "Amara Velt")
    assert velt.kind == "person"
    assert velt.aliases == ["Velt"]
    assert [m.text for m in velt.mentions] == ["Amara Velt", "Velt", "Velt"]
    assert [m.start for m in velt.mentions] == sorted(m.start for m in velt.mentions)
    assert not any("Velt" in e.name for e in found if e is not velt)


def test_titled_first_mention_is_renamed_to_the_full_name(nlp: Language) -> None:
    text = "Police questioned Ms Amara Velt for six hours. Later that day, Velt was released."
    velt = named(entities(nlp, text), "Amara Velt")
    assert velt.aliases == ["Velt"]
    assert len(velt.mentions) == 2


def test_honorifics_are_stripped(nlp: Language) -> None:
    found = entities(nlp, "Dr. Tomas Reyne was detained on Monday. Mr Reyne is a lawyer.")
    reyne = named(found, "Tomas Reyne")
    assert reyne.aliases == ["Reyne"]
    assert all(not a.lower().startswith(("mr", "dr")) for a in reyne.aliases)
    assert not reyne.state


def test_also_known_as_merges_the_other_name(nlp: Language) -> None:
    found = entities(nlp, "Tomas Reyne, also known as Tom Rey, was detained in Tbilisi.")
    reyne = named(found, "Tomas Reyne")
    assert "Tom Rey" in reyne.aliases
    assert len(found) == 1


def test_appositive_gives_role_and_affiliation(nlp: Language) -> None:
    text = "Amara Velt, director of the Lantern Rights Centre, was detained in Tbilisi."
    found = entities(nlp, text)
    velt = named(found, "Amara Velt")
    assert velt.roles == ["director of the Lantern Rights Centre"]
    assert velt.affiliations == ["Lantern Rights Centre"]
    centre = named(found, "Lantern Rights Centre")
    assert centre.kind == "organisation"
    assert not centre.state and not centre.publisher


def test_role_before_the_name(nlp: Language) -> None:
    reyne = named(
        entities(nlp, "Human rights defender Tomas Reyne was beaten by police in Almaty."), "Tomas Reyne"
    )
    assert reyne.roles == ["Human rights defender"]


def test_organisation_acronym_joins_the_full_name(nlp: Language) -> None:
    text = "Tomas Reyne, a member of the Lantern Rights Centre (LRC), was detained."
    found = entities(nlp, text)
    centre = named(found, "Lantern Rights Centre (LRC)")
    assert centre.kind == "organisation"
    assert named(found, "Tomas Reyne").affiliations == ["Lantern Rights Centre (LRC)"]


def test_reporting_organisation_is_flagged_publisher(nlp: Language) -> None:
    found = entities(nlp, "The Harbour Watch Foundation condemns the detention of journalist Tomas Reyne.")
    watch = named(found, "Harbour Watch Foundation")
    assert watch.publisher
    assert "source" in watch.roles
    assert not named(found, "Tomas Reyne").publisher


def test_known_reporter_is_flagged_publisher(nlp: Language) -> None:
    found = entities(nlp, "Front Line Defenders condemns the arrest of human rights defender Amara Velt.")
    assert named(found, "Front Line Defenders").publisher
    velt = named(found, "Amara Velt")
    assert velt.kind == "person" and not velt.publisher


def test_publisher_from_metadata_is_flagged(nlp: Language) -> None:
    text = "Tomas Reyne, a member of the Lantern Rights Centre, was detained in Almaty."
    found = entities(nlp, text, publisher="Lantern Rights Centre")
    assert named(found, "Lantern Rights Centre").publisher
    assert not named(found, "Tomas Reyne").publisher


def test_judge_is_a_state_person_without_the_title(nlp: Language) -> None:
    found = entities(nlp, "Judge Horvane sentenced Tomas Reyne to two years in prison.")
    judge = named(found, "Horvane")
    assert judge.kind == "person"
    assert judge.state
    assert "judge" in judge.roles
    assert not named(found, "Tomas Reyne").state


def test_state_body_is_flagged_state(nlp: Language) -> None:
    found = entities(nlp, "Amara Velt was arrested by the National Security Committee on 2 May.")
    assert named(found, "National Security Committee").state


def test_places_are_not_people(nlp: Language) -> None:
    found = entities(nlp, "Tomas Reyne was detained in Almaty, Kazakhstan.")
    assert [e.name for e in found] == ["Tomas Reyne"]


def test_component_writes_entities_and_ids_match_positions(nlp: Language) -> None:
    doc = names_component(
        parsed(nlp, "Judge Horvane sentenced Tomas Reyne. Amara Velt was in the courtroom.")
    )
    assert [e.name for e in doc._.hrd_entities] == ["Horvane", "Tomas Reyne", "Amara Velt"]
    assert [e.id for e in doc._.hrd_entities] == [0, 1, 2]
