"""The legal stage: articles, laws and offences, from text alone."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from hrdwatch.extract import extensions
from hrdwatch.extract.components.legal import find_articles, legal_component, normalise_article
from hrdwatch.extract.pipeline import add_stages
from hrdwatch.extract.registry import LEGAL


def _one(text: str) -> tuple[str | None, str | None, str | None, str]:
    found = [m for m in find_articles(text) if m.article or m.law]
    assert len(found) == 1, found
    m = found[0]
    return m.article, m.law, m.offence, m.rule


@pytest.mark.parametrize(
    ("text", "article", "law"),
    [
        (
            "Mira Tolen was charged under Article 434 (1) of the Administrative Code.",
            "434(1)",
            "Administrative Code",
        ),
        ("The judge cited Article 434(1).", "434(1)", None),
        (
            "The charges under Part 2 of Article 342 of the Criminal Code were dropped.",
            "342(2)",
            "Criminal Code",
        ),
        (
            "A file was opened under Art. 54.1.a. of Immigration Law 4/2000, alleging fraud.",
            "54.1.a",
            "Immigration Law 4/2000",
        ),
        ("He was booked under Section 124A of the Penal Code.", "124A", "Penal Code"),
        ("She was prosecuted under article 318-2.", "318-2", None),
        ("This breaches paragraph 2 of Article 5 of the Constitution.", "5(2)", "Constitution"),
        ("Article 342, Part 2 of the Criminal Code applies.", "342(2)", "Criminal Code"),
        ("Il est poursuivi sur le fondement de l'article 222-33 du Code pénal.", "222-33", "Code pénal"),
        ("Fue acusado en virtud del artículo 5 de la Ley.", "5", "Ley"),
        (
            "The law is Article 12 of the Law on Mass Media of the Republic of Zandor.",
            "12",
            "Law on Mass Media of the Republic of Zandor",
        ),
    ],
)
def test_article_and_law(text: str, article: str, law: str | None) -> None:
    got_article, got_law, _, _ = _one(text)
    assert (got_article, got_law) == (article, law)


def test_a_list_of_articles_gives_one_mention_each() -> None:
    found = find_articles("Ilan Varo was charged under Articles 130 and 131 of the Criminal Code.")
    assert [(m.article, m.law) for m in found] == [("130", "Criminal Code"), ("131", "Criminal Code")]
    assert found[0].text == found[1].text == "Articles 130 and 131 of the Criminal Code"


def test_offsets_point_at_the_quote() -> None:
    text = "Yes. Ilan Varo was charged under Article 7 of the Press Act."
    (m,) = find_articles(text)
    assert text[m.start : m.end] == m.text == "Article 7 of the Press Act"


@pytest.mark.parametrize(
    ("text", "law"),
    [
        (
            "The case filed against him under the Digital Security Act (DSA)-2018 must be dropped.",
            "Digital Security Act (DSA)-2018",
        ),
        (
            "He is held under anti-terror legislation — the Public Order Prevention Act (POPA) — since May.",
            "Public Order Prevention Act (POPA)",
        ),
    ],
)
def test_a_named_law_without_article(text: str, law: str) -> None:
    assert _one(text)[:2] == (None, law)
    assert _one(text)[3] == "law_only"


def test_a_law_named_without_a_legal_cue_is_not_a_charge() -> None:
    assert find_articles("The Press Act was adopted by parliament last year.") == []


@pytest.mark.parametrize(
    ("text", "offence", "rule"),
    [
        (
            "Ardo Kemal was arrested for swearing, which falls under the charge of “petty hooliganism” "
            "as written in Article 434 (1) of the Administrative Code.",
            "petty hooliganism",
            "article+charge_of",
        ),
        (
            "She was charged with incitement to hatred under Article 174 of the Criminal Code.",
            "incitement to hatred",
            "article+charged_with",
        ),
        (
            "The court found Lev Osk guilty of “petty hooliganism” (Article 434(1) of the Admin Code).",
            "petty hooliganism",
            "article+guilty_of",
        ),
        (
            "They were convicted under Article 342 (“organisation of actions violating public order”).",
            "organisation of actions violating public order",
            "article+gloss",
        ),
        (
            "He was detained on charges related to rioting under the Public Safety Act (PSA).",
            "rioting",
            "law_only+charges_related_to",
        ),
    ],
)
def test_offence_near_a_reference(text: str, offence: str, rule: str) -> None:
    assert _one(text)[2:] == (offence, rule)


def test_a_charge_with_no_law_is_an_offence_mention() -> None:
    (m,) = find_articles('The activists were arrested on charges of "obstructing traffic" in the capital.')
    assert (m.article, m.law, m.offence, m.rule) == (None, None, "obstructing traffic", "offence:charge_of")


def test_no_offence_when_charges_were_not_brought() -> None:
    assert find_articles("They were released without being charged with any offence.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Read the article published in 2019 about the protest.",
        "The decision cited Article 2021 of nothing.",
        "A section of the population protested.",
    ],
)
def test_no_article_without_an_article_number(text: str) -> None:
    assert [m.article for m in find_articles(text) if m.article] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("434 (1)", "434(1)"),
        ("Part 4 of Article 228", "228(4)"),
        ("Art. 54.1.a.", "54.1.a"),
        ("318-2", "318-2"),
        ("Article 5, paragraph 2", "5(2)"),
        ("article 222‑33", "222-33"),
    ],
)
def test_normalise_article(raw: str, expected: str) -> None:
    assert normalise_article(raw) == expected


def test_component_on_a_blank_french_pipeline() -> None:
    nlp = spacy.blank("fr")
    add_stages(nlp, [LEGAL])
    doc = extensions.init_doc(
        nlp.make_doc("Elle est poursuivie en vertu de l'article 222-33 du Code pénal."), {}
    )
    doc = nlp(doc)
    assert [(m.article, m.law) for m in doc._.hrd_articles] == [("222-33", "Code pénal")]


def test_component_after_the_english_model(nlp: Language) -> None:
    doc = nlp("Tomas Rell was fined under Article 434(1) of the Administrative Code.")
    extensions.init_doc(doc, {})
    doc = legal_component(doc)
    assert [m.article for m in doc._.hrd_articles] == ["434(1)"]
