"""The acts stage: act triggers with their codes, negation and hedging, and the rules file behind them."""

from __future__ import annotations

import re

import pytest
from spacy.language import Language

from hrdwatch.domain.taxonomy import act_codes
from hrdwatch.extract.components.acts import acts_component, find_acts
from hrdwatch.extract.extensions import init_doc
from hrdwatch.extract.facts import ActMention
from hrdwatch.extract.rules import load_rules


def acts(nlp: Language, text: str) -> list[ActMention]:
    found = find_acts(nlp(text))
    for a in found:
        assert text[a.start : a.end] == a.text
        assert a.sent_start <= a.start < a.end <= a.sent_end
    return found


def codes(nlp: Language, text: str) -> set[str]:
    """Codes of the acts reported as done: neither negated nor hedged."""
    return {a.code for a in acts(nlp, text) if not a.negated and not a.hedged}


def only(nlp: Language, text: str, code: str) -> ActMention:
    found = [a for a in acts(nlp, text) if a.code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Police arrested the activist in Almaty on Tuesday.", "arrest"),
        ("She was detained for two days.", "detention"),
        ("Tomas Reyne was sentenced to five years in prison.", "conviction"),
        ("Amara Velt was found guilty of hooliganism.", "conviction"),
        ("The district court fined him 5,000 euros.", "fine"),
        ("Amara Velt received death threats after the broadcast.", "threat"),
        ("Tomas Reyne was deported to Georgia last week.", "deportation"),
        ("Officers searched her apartment in Tbilisi.", "raid_search"),
        ("Unidentified men abducted the journalist Tomas Reyne.", "abduction"),
        ("Amara Velt was acquitted by the appeals court.", "acquittal"),
        ("Tomas Reyne was banned from leaving the country.", "travel_ban"),
        ("Amara Velt was summoned for questioning.", "judicial_harassment"),
    ],
)
def test_reported_act_is_coded(nlp: Language, text: str, code: str) -> None:
    assert code in codes(nlp, text)


def test_trigger_text_and_offsets_point_at_the_verb(nlp: Language) -> None:
    text = "Police arrested the activist Amara Velt in Almaty."
    act = only(nlp, text, "arrest")
    assert act.text == "arrested"
    assert (act.start, act.end) == (7, 15)
    assert act.rule
    assert nlp(text)[act.token_i].text == "arrested"


def test_raid_and_seizure_in_one_sentence_give_two_acts(nlp: Language) -> None:
    found = codes(nlp, "Their office was raided and computers were seized.")
    assert {"raid_search", "confiscation"} <= found


def test_released_without_charge_is_a_release_and_a_negated_charge(nlp: Language) -> None:
    text = "Tomas Reyne was released without being charged."
    release = only(nlp, text, "release")
    assert not release.negated and not release.hedged
    charge = only(nlp, text, "judicial_harassment")
    assert charge.negated
    assert codes(nlp, text) == {"release"}


def test_explicit_negation_is_flagged(nlp: Language) -> None:
    arrest = only(nlp, "Police did not arrest anyone at the rally.", "arrest")
    assert arrest.negated


@pytest.mark.parametrize(
    "text",
    [
        "The Lantern Rights Centre calls for the release of Amara Velt.",
        "The Lantern Rights Centre urges the authorities to release Amara Velt.",
        "The authorities must release Amara Velt immediately.",
    ],
)
def test_called_for_release_is_hedged(nlp: Language, text: str) -> None:
    release = only(nlp, text, "release")
    assert release.hedged and not release.negated


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tomas Reyne could be sentenced to ten years.", "conviction"),
        ("If convicted, Tomas Reyne faces up to seven years in prison.", "conviction"),
        ("We fear that she may be tortured in custody.", "torture_ill_treatment"),
    ],
)
def test_possible_future_act_is_hedged(nlp: Language, text: str, code: str) -> None:
    assert only(nlp, text, code).hedged


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Amara Velt is at risk of torture.", "torture_ill_treatment"),
        ("Amara Velt is at risk of arbitrary detention.", "detention"),
    ],
)
def test_a_risk_is_not_counted_as_done(nlp: Language, text: str, code: str) -> None:
    assert code not in codes(nlp, text)


def test_same_verb_done_is_not_hedged(nlp: Language) -> None:
    torture = only(nlp, "Amara Velt was tortured in custody.", "torture_ill_treatment")
    assert not torture.hedged and not torture.negated


def test_neutral_sentence_has_no_acts(nlp: Language) -> None:
    assert acts(nlp, "Amara Velt teaches history at a school in Almaty.") == []


def test_acts_come_back_in_text_order(nlp: Language) -> None:
    found = acts(nlp, "She was arrested on Monday. Two days later she was released.")
    assert [a.code for a in found] == ["arrest", "release"]
    assert found[0].start < found[1].start


def test_component_appends_to_doc(nlp: Language) -> None:
    doc = init_doc(nlp("Police arrested the activist."), {"language": "en"})
    doc = acts_component(doc)
    assert [a.code for a in doc._.hrd_acts] == ["arrest"]


def test_component_without_a_parse_finds_nothing(nlp: Language) -> None:
    doc = init_doc(nlp.make_doc("Police arrested the activist."), {"language": "en"})
    assert acts_component(doc)._.hrd_acts == []


def test_rules_load_and_every_code_is_in_the_taxonomy() -> None:
    patterns = load_rules("en", "acts")["patterns"]
    assert patterns
    taxonomy = set(act_codes())
    assert {p["code"] for p in patterns} <= taxonomy
    keys = [(p["code"], p["id"]) for p in patterns]
    assert len(keys) == len(set(keys))
    for p in patterns:
        assert isinstance(p["pattern"], list) and p["pattern"]
        for field in ("when", "unless"):
            if p.get(field):
                re.compile(p[field])


def test_every_taxonomy_code_has_at_least_one_pattern() -> None:
    covered = {p["code"] for p in load_rules("en", "acts")["patterns"]}
    assert set(act_codes()) <= covered
