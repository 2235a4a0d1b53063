"""The perpetrators stage: who carried out each act, named or generic, and of which kind."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.extract.components.acts import acts_component
from hrdwatch.extract.components.names import names_component
from hrdwatch.extract.components.perpetrators import perpetrators_component
from hrdwatch.extract.components.places import places_component
from hrdwatch.extract.extensions import init_doc
from hrdwatch.extract.facts import PerpetratorMention


def run(nlp: Language, text: str) -> Doc:
    doc = init_doc(nlp(text), {"language": "en"})
    for stage in (places_component, names_component, acts_component, perpetrators_component):
        doc = stage(doc)
    return doc


def perpetrators(nlp: Language, text: str) -> list[PerpetratorMention]:
    doc = run(nlp, text)
    for p in doc._.hrd_perpetrators:
        assert text[p.start : p.end] == p.text
    return list(doc._.hrd_perpetrators)


def single(nlp: Language, text: str) -> tuple[PerpetratorMention, list[str]]:
    """The one actor found in ``text`` and the codes of the acts it is linked to."""
    doc = run(nlp, text)
    found = doc._.hrd_perpetrators
    assert len(found) == 1, found
    return found[0], [doc._.hrd_acts[i].code for i in found[0].acts]


def test_police_officers_are_a_generic_state_actor(nlp: Language) -> None:
    perp, acts = single(nlp, "Police officers beat him outside his home.")
    assert perp.name is None
    assert perp.kind == "state"
    assert perp.description == "police officers"
    assert perp.text == "Police officers"
    assert acts == ["physical_attack"]


def test_police_as_passive_agent(nlp: Language) -> None:
    perp, acts = single(nlp, "Amara Velt was detained by police in Almaty.")
    assert (perp.name, perp.kind, perp.description) == (None, "state", "police")
    assert acts == ["detention"]


def test_unidentified_men_are_of_unknown_kind(nlp: Language) -> None:
    perp, acts = single(nlp, "Unidentified men attacked her near the courthouse in Bishkek.")
    assert perp.name is None
    assert perp.kind == "unknown"
    assert perp.description == "unidentified men"
    assert acts == ["physical_attack"]


def test_masked_men_are_of_unknown_kind(nlp: Language) -> None:
    perp, acts = single(nlp, "Masked men abducted Tomas Reyne from his car.")
    assert (perp.kind, perp.description) == ("unknown", "masked men")
    assert acts == ["abduction"]


def test_named_state_body_as_passive_agent(nlp: Language) -> None:
    perp, acts = single(nlp, "Amara Velt was arrested by the National Security Committee on 2 May.")
    assert perp.name == "National Security Committee"
    assert perp.kind == "state"
    assert perp.entity_id is not None
    assert perp.rule == "entity"
    assert acts == ["arrest"]


def test_judge_is_named_without_the_title(nlp: Language) -> None:
    perp, acts = single(nlp, "Judge Horvane sentenced Tomas Reyne to two years in prison.")
    assert perp.name == "Horvane"
    assert perp.kind == "state"
    assert acts == ["conviction"]


def test_victim_is_not_taken_for_the_actor(nlp: Language) -> None:
    found = perpetrators(nlp, "Tomas Reyne was beaten by police officers in Almaty.")
    assert [p.name for p in found] == [None]
    assert all("Reyne" not in p.text for p in found)


def test_hedged_and_negated_acts_have_no_perpetrators(nlp: Language) -> None:
    assert perpetrators(nlp, "Police did not arrest anyone at the rally.") == []
    assert perpetrators(nlp, "Police officers could arrest her at any time.") == []


def test_one_actor_for_two_acts(nlp: Language) -> None:
    doc = run(nlp, "Police officers raided the office and seized computers.")
    found = doc._.hrd_perpetrators
    assert len(found) == 1
    assert found[0].kind == "state"
    assert sorted(doc._.hrd_acts[i].code for i in found[0].acts) == ["confiscation", "raid_search"]


def test_no_parse_gives_no_perpetrators(nlp: Language) -> None:
    doc = init_doc(nlp.make_doc("Police officers beat him."), {"language": "en"})
    assert perpetrators_component(doc)._.hrd_perpetrators == []
