"""The places stage: countries, adjectives, cities, regions, sites, datelines, and non-places."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from hrdwatch.extract.components.places import document_countries, find_places, places_component
from hrdwatch.extract.extensions import init_doc
from hrdwatch.extract.facts import PlaceMention
from hrdwatch.extract.gazetteer import country_code, country_name, resolve_city
from hrdwatch.extract.pipeline import add_stages
from hrdwatch.extract.registry import PLACES


def places(
    text: str, *, lang: str = "en", ents: list[tuple[int, int, str]] | None = None
) -> list[PlaceMention]:
    found = find_places(text, lang=lang, ents=ents or [])
    for m in found:
        assert text[m.start : m.end] == m.text
    return found


def kinds(text: str, kind: str, *, lang: str = "en") -> list[tuple[str, str | None]]:
    return [(m.text, m.country) for m in places(text, lang=lang) if m.kind == kind]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russian Federation", "RU"),
        ("Russia", "RU"),
        ("DR Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("République Démocratique du Congo", "CD"),
        ("RDC", "CD"),
        ("Congo (DRC)", "CD"),
        ("Venezuela", "VE"),
        ("Syria", "SY"),
        ("The Gambia", "GM"),
        ("Côte d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Burma", "MM"),
        ("Estados Unidos", "US"),
        ("Kazakhstani", "KZ"),
        ("congolaises", "CD"),
        ("venezolano", "VE"),
        ("KZ", "KZ"),
    ],
)
def test_country_code_knows_names_aliases_and_adjectives(name: str, code: str) -> None:
    assert country_code(name) == code


def test_country_code_unknown_and_acronym_case() -> None:
    assert country_code("Atlantis") is None
    assert country_code("rdc") is None  # an acronym must keep its case


def test_country_name_is_short_and_readable() -> None:
    assert country_name("SY") == "Syria"
    assert country_name("CD") == "Democratic Republic of the Congo"
    assert country_name("XX") == "XX"


def test_countries_by_name_and_alias_in_text() -> None:
    text = "Activists from Rwanda, the DRC and Côte d'Ivoire met in Russia."
    assert kinds(text, "country") == [
        ("Rwanda", "RW"),
        ("DRC", "CD"),
        ("Côte d'Ivoire", "CI"),
        ("Russia", "RU"),
    ]


def test_all_caps_country_with_alias() -> None:
    assert kinds("Lina Okafor in CONGO (DRC) threatened", "country") == [("CONGO (DRC)", "CD")]


def test_adjectives_with_country() -> None:
    text = "The Ugandan police detained Angolan and Cambodian activists and two Algerians."
    assert kinds(text, "adjective") == [
        ("Ugandan", "UG"),
        ("Angolan", "AO"),
        ("Cambodian", "KH"),
        ("Algerians", "DZ"),
    ]


def test_language_adjectives_are_not_countries() -> None:
    text = (
        "The English-speaking region; the report is only in French; Spanish language media; an Indian court."
    )
    assert kinds(text, "adjective") == [("Indian", "IN")]


def test_indian_administered_is_india_but_american_indian_is_not() -> None:
    assert kinds("in Indian-administered territory", "adjective") == [("Indian", "IN")]
    assert kinds("an American Indian leader", "adjective") == [("American", "US")]


def test_lowercase_words_are_not_countries() -> None:
    assert places("They ate turkey from a china plate.") == []


def test_name_like_country_followed_by_surname_is_a_person() -> None:
    assert kinds("The lawyer Chad Mbeki was arrested in Chad.", "country") == [("Chad", "TD")]


def test_french_names_and_adjectives() -> None:
    text = "L'armée congolaise a arrêté M. Kabeya à Goma, en République démocratique du Congo."
    found = places(text, lang="fr")
    assert [(m.kind, m.text, m.country) for m in found if m.kind != "site"] == [
        ("adjective", "congolaise", "CD"),
        ("city", "Goma", "CD"),
        ("country", "République démocratique du Congo", "CD"),
    ]


def test_spanish_names_adjectives_and_cities() -> None:
    text = "El gobierno venezolano detuvo a la defensora en Maracaibo, Venezuela."
    found = [(m.kind, m.text, m.country) for m in places(text, lang="es")]
    assert found == [
        ("adjective", "venezolano", "VE"),
        ("city", "Maracaibo", "VE"),
        ("country", "Venezuela", "VE"),
    ]


def test_city_needs_location_context() -> None:
    assert kinds("Florence Adeyemi was arrested in Lagos.", "city") == [("Lagos", "NG")]
    assert kinds("She was arrested in Florence.", "city") == [("Florence", "IT")]
    assert kinds("He met Florence Adeyemi in March 2021.", "city") == []


def test_city_resolved_with_document_countries() -> None:
    assert kinds("Tariq Ali was detained in Hyderabad, Pakistan.", "city") == [("Hyderabad", "PK")]
    assert kinds("Ravi Kumar was detained in Hyderabad.", "city") == [("Hyderabad", "IN")]


def test_resolve_city() -> None:
    assert resolve_city("Hyderabad", countries={"PK"}) == "PK"
    assert resolve_city("Hyderabad", countries=()) == "IN"
    assert resolve_city("Yaounde", countries=()) == "CM"
    assert resolve_city("Nowhereville", countries=()) is None


def test_city_as_modifier_of_a_site() -> None:
    found = places("He died at Yaoundé Military Hospital.")
    assert [(m.kind, m.text, m.country) for m in found] == [
        ("site", "Yaoundé Military Hospital", None),
        ("city", "Yaoundé", "CM"),
    ]


def test_common_word_cities_are_skipped() -> None:
    assert kinds("He was taken to Police Station No. 12 in March.", "city") == []


def test_regions() -> None:
    text = (
        "She lives in Sindh Province, works in the province of Ifugao and the Southwest region of Cameroon."
    )
    regions = [(m.text, m.country) for m in places(text) if m.kind == "region"]
    assert regions == [("Sindh Province", None), ("province of Ifugao", None), ("Southwest region", "CM")]


def test_french_region_after_region_word() -> None:
    regions = kinds("enlevé dans la province du Nord-Kivu", "region", lang="fr")
    assert regions == [("province du Nord-Kivu", None)]


def test_sites() -> None:
    text = (
        "She was taken to Police Station No. 80 and later to the Rohini Jail Complex. "
        "The Court of Appeal upheld it. Men raided the office of the Lantern Collective and a café."
    )
    sites = [m.name for m in places(text) if m.kind == "site"]
    assert sites == [
        "Police Station No. 80",
        "Rohini Jail Complex",
        "Court of Appeal",
        "office of the Lantern Collective",
        "café",
    ]


def test_site_owner_and_non_sites() -> None:
    text = "As he left Omar Haddad's office, he was placed under house arrest. They tried to court him."
    assert [m.name for m in places(text) if m.kind == "site"] == ["Omar Haddad's office"]


def test_datelines_are_flagged() -> None:
    found = places("Geneva-Paris, 19 December 2025. On 21 November 2025, police raided an office in Astana.")
    cities = [(m.text, m.country, m.rule) for m in found if m.kind == "city"]
    assert cities == [("Geneva", "CH", "dateline"), ("Paris", "FR", "dateline"), ("Astana", "KZ", "context")]


def test_all_caps_dateline() -> None:
    found = places("Title line\n\nGENEVA (22 December 2021) – Experts urged India to act.")
    assert [(m.text, m.name, m.rule) for m in found if m.kind == "city"] == [("GENEVA", "Geneva", "dateline")]


def test_document_countries_skip_datelines() -> None:
    found = places("KAMPALA, Uganda, June 19 2012 - Police in Kenya detained two Tanzanian activists.")
    assert document_countries(found) == ["KE", "TZ"]


def test_ambiguous_adjective_follows_document() -> None:
    text = "Congolese soldiers detained him in the Republic of the Congo."
    adjective = next(m for m in places(text) if m.kind == "adjective")
    assert adjective.country == "CG"
    assert next(m for m in places("Congolese soldiers came.") if m.kind == "adjective").country == "CD"


def test_component_on_a_real_doc(nlp: Language) -> None:
    text = "Police arrested Kazakhstani activist Dana Serikova at a café in Astana, Kazakhstan, on 3 May."
    doc = init_doc(nlp(text), {"language": "en"})
    places_component(doc)
    found = [(m.kind, m.text, m.country) for m in doc._.hrd_places]
    assert ("adjective", "Kazakhstani", "KZ") in found
    assert ("city", "Astana", "KZ") in found
    assert ("country", "Kazakhstan", "KZ") in found
    assert ("site", "café", None) in found


def test_component_runs_in_a_blank_french_pipeline() -> None:
    nlp = spacy.blank("fr")
    add_stages(nlp, [PLACES])
    doc = nlp.make_doc("Il a été enlevé à Goma, dans l'est de la RDC.")
    init_doc(doc, {"language": "fr"})
    doc = nlp.get_pipe(PLACES.name)(doc)
    assert [(m.kind, m.text, m.country) for m in doc._.hrd_places] == [
        ("city", "Goma", "CD"),
        ("country", "RDC", "CD"),
    ]


def test_city_named_after_its_country_and_us_states() -> None:
    found = places("Police in Mexico City detained him; his family lives in New Mexico.")
    assert [(m.kind, m.text, m.country) for m in found] == [
        ("city", "Mexico City", "MX"),
        ("region", "New Mexico", "US"),
    ]


def test_common_site_takes_a_capitalised_modifier_but_not_an_article() -> None:
    text = "He was moved to Qarchak prison. The Kotwoali police station refused."
    assert [m.name for m in places(text) if m.kind == "site"] == ["Qarchak prison", "Kotwoali police station"]


def test_unknown_place_entity_in_location_context() -> None:
    text = "Police arrested Omar Haddad in Kristopur, near the Sheikh Tarek network."
    start = text.index("Kristopur")
    ents = [(start, start + 9, "GPE"), (text.index("Sheikh"), text.index(" network"), "GPE")]
    cities = [(m.text, m.country, m.rule) for m in places(text, ents=ents) if m.kind == "city"]
    assert cities == [("Kristopur", None, "ner_unknown")]
