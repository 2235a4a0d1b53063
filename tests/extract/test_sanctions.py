"""The sanctions stage: fines, prison terms and other penalties, from text alone."""

from __future__ import annotations

from typing import Any

import pytest
import spacy

from hrdwatch.extract import extensions
from hrdwatch.extract.components.sanctions import find_sanctions
from hrdwatch.extract.pipeline import add_stages
from hrdwatch.extract.registry import SANCTIONS


def _dicts(text: str) -> list[dict[str, Any]]:
    return [m.sanction.to_dict() for m in find_sanctions(text) if m.sanction]


def _fine(amount: float | None, currency: str | None, amount_max: float | None = None) -> dict[str, Any]:
    return {"type": "fine", "amount": amount, "amount_max": amount_max, "currency": currency}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Both were fined 111,000 Belarusian rubles (almost 32,200 euros).", _fine(111000, "BYN")),
        ("She received a fine of 2 million Cambodian Riel (approximately €400).", _fine(2_000_000, "KHR")),
        (
            "The judge fined him approximately 78,000–80,000 tenge (about 130 euros).",
            _fine(78000, "KZT", 80000),
        ),
        ("Nel Aro was ordered to pay a fine of USD 500.", _fine(500, "USD")),
        ("He was fined €400.", _fine(400, "EUR")),
        ("She was fined 5,000 euros.", _fine(5000, "EUR")),
        ("He was fined 20,000 Russian roubles.", _fine(20000, "RUB")),
        ("He was fined 20,000 rubles.", _fine(20000, "RUB")),
        ("She was given a fine of ten thousand rubles.", _fine(10000, "RUB")),
        ("The company got a fine of 1.5 billion rupiah.", _fine(1_500_000_000, "IDR")),
        ("Dan Ivo paid a €300 fine.", _fine(300, "EUR")),
        ("Elle a été condamnée à une amende de 5 000 euros.", _fine(5000, "EUR")),
        ("Fue multado con 2.000 euros.", _fine(2000, "EUR")),
    ],
)
def test_fines(text: str, expected: dict[str, Any]) -> None:
    assert _dicts(text) == [expected]


def test_a_bare_currency_name_takes_the_country_named_before() -> None:
    text = "Four were fined 5,000 Belarusian rubles each. Their leader was fined 9,000 rubles."
    assert _dicts(text) == [_fine(5000, "BYN"), _fine(9000, "BYN")]


def test_a_fine_without_amount() -> None:
    (m,) = find_sanctions("Later, Oren Lask was fined for not having a registration.")
    assert (m.sanction.to_dict() if m.sanction else None, m.rule) == (_fine(None, None), "fine_no_amount")


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Ivo Marr was sentenced to 10 years in a penal colony.", 120),
        ("They were sentenced in May 2014 to one year's imprisonment.", 12),
        ("He got six months in prison.", 6),
        ("She was sentenced to 3 years and 6 months.", 42),
        ("He was handed a two-year prison sentence.", 24),
        ("The court jailed him for 5 years.", 60),
        ("On 5 May he was sentenced to 4 years in prison.", 48),
        ("Il a été condamné à deux ans de prison.", 24),
        ("Fue condenado a cinco años de prisión.", 60),
    ],
)
def test_prison_terms(text: str, months: int) -> None:
    assert _dicts(text) == [{"type": "prison", "months": months}]


def test_terms_in_a_list_of_sentences() -> None:
    text = "Ana Pell was sentenced to 10 years in prison, Ben Dorr to 9 years, and Cai Wen to 7 years."
    assert [d["months"] for d in _dicts(text)] == [120, 108, 84]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("She was given a 2-year suspended sentence.", "non_custodial:adjective_sentence"),
        ("He was sentenced to life imprisonment.", "life_sentence"),
        ("He was banned from practising journalism for 3 years.", "ban"),
        ("She was sentenced to 200 hours of community service.", "community_service"),
        ("The court sentenced him to two years of house arrest.", "house_arrest"),
        (
            "The court also ordered to collect from the defendants 750,000 rubles 20 kopecks (about $9,000).",
            "order_to_pay",
        ),
    ],
)
def test_other_penalties(text: str, rule: str) -> None:
    (m,) = find_sanctions(text)
    assert m.sanction is not None and m.sanction.type == "other" and m.sanction.description
    assert m.rule == rule


def test_suspended_description_is_the_phrase() -> None:
    (m,) = find_sanctions("She was given a 2-year suspended sentence.")
    assert m.sanction is not None and m.sanction.description == "2-year suspended sentence"


@pytest.mark.parametrize(
    "text",
    [
        "The agreement was worth BDT 120,000 (USD 1,394).",
        "He refused the payment of USD 200 offered to him.",
        "He was detained for two hours.",
        "He was held for 10 months in prison before trial.",
        "It took 10 months to the authorities to acknowledge his death.",
        "He has spent 3 years in jail.",
        "He faces up to 5 years in prison.",
        "She could be sentenced to 7 years in prison.",
        "The prosecutor requested 8 years in a penal colony.",
        "He faces a fine of up to 5,000 euros.",
        "He was placed under house arrest for two months.",
        "He has been jailed for 5 years.",
    ],
)
def test_not_sanctions(text: str) -> None:
    assert find_sanctions(text) == []


def test_offsets_point_at_the_quote() -> None:
    text = "In 2020, Ivo Marr was fined 300 euros."
    (m,) = find_sanctions(text)
    assert text[m.start : m.end] == m.text == "fined 300 euros"


def test_component_on_a_blank_spanish_pipeline() -> None:
    nlp = spacy.blank("es")
    add_stages(nlp, [SANCTIONS])
    doc = nlp(extensions.init_doc(nlp.make_doc("Fue condenado a cinco años de prisión."), {}))
    assert [m.sanction.months for m in doc._.hrd_sanctions if m.sanction] == [60]
