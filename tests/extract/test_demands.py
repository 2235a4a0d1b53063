"""The demands stage: the calls on the authorities, one demand per coordinated clause."""

from __future__ import annotations

from spacy.language import Language

from hrdwatch.extract.components.demands import demands_component, find_demands
from hrdwatch.extract.extensions import init_doc
from hrdwatch.extract.facts import DemandMention


def demands(nlp: Language, text: str) -> list[DemandMention]:
    found = find_demands(nlp(text))
    for d in found:
        assert text[d.start : d.end] == d.text
    return found


def summaries(nlp: Language, text: str) -> list[str]:
    return [d.summary for d in demands(nlp, text)]


def test_two_coordinated_calls_give_two_demands(nlp: Language) -> None:
    text = (
        "The Lantern Rights Centre calls on the authorities to release Amara Velt "
        "and to drop all charges against her."
    )
    found = demands(nlp, text)
    assert [d.summary for d in found] == ["release Amara Velt", "drop all charges against her"]
    assert all(d.rule == "call:call" for d in found)


def test_urge_gives_a_demand(nlp: Language) -> None:
    text = "We urge the authorities to guarantee the safety of Tomas Reyne."
    assert summaries(nlp, text) == ["guarantee the safety of Tomas Reyne"]


def test_authorities_must_gives_a_demand(nlp: Language) -> None:
    found = demands(nlp, "The authorities must release Amara Velt.")
    assert [d.summary for d in found] == ["release Amara Velt"]
    assert found[0].rule == "call:must"


def test_call_for_a_noun_gives_a_demand(nlp: Language) -> None:
    found = summaries(nlp, "The Lantern Rights Centre calls for the immediate release of Tomas Reyne.")
    assert found == ["the immediate release of Tomas Reyne"]


def test_must_without_authorities_is_not_a_demand(nlp: Language) -> None:
    assert demands(nlp, "Amara Velt must report to the police every week.") == []


def test_narrative_sentence_has_no_demands(nlp: Language) -> None:
    assert demands(nlp, "Police arrested Tomas Reyne in Almaty on 3 March.") == []


def test_component_writes_demands(nlp: Language) -> None:
    doc = init_doc(nlp("The authorities must release Amara Velt."), {"language": "en"})
    assert [d.summary for d in demands_component(doc)._.hrd_demands] == ["release Amara Velt"]


def test_component_without_a_parse_finds_nothing(nlp: Language) -> None:
    doc = init_doc(nlp.make_doc("The authorities must release Amara Velt."), {"language": "en"})
    assert demands_component(doc)._.hrd_demands == []
