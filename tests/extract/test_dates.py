"""The dates stage: forms, year inference, relative dates, ranges, datelines, and what is not a date."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from hrdwatch.domain.dates import PartialDate
from hrdwatch.extract.components.dates import dates_component, find_dates
from hrdwatch.extract.date_resolve import resolve_year
from hrdwatch.extract.extensions import init_doc
from hrdwatch.extract.facts import DateMention
from hrdwatch.extract.pipeline import add_stages
from hrdwatch.extract.registry import DATES

PUB = PartialDate(2024, 5, 2)


def dates(text: str, *, published: PartialDate | None = PUB, lang: str = "en") -> list[DateMention]:
    found = find_dates(text, published=published, lang=lang)
    for m in found:
        assert text[m.start : m.end] == m.text
    return found


def values(text: str, *, published: PartialDate | None = PUB, lang: str = "en") -> list[str]:
    return [m.value.iso for m in dates(text, published=published, lang=lang) if m.value]


def only(text: str) -> DateMention:
    found = dates(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("The office was raided on 21 November 2025 by police.", "21 November 2025"),
        ("The office was raided on November 21, 2025 by police.", "November 21, 2025"),
        ("Ana Lorrel was arrested on November 21st, 2025.", "November 21st, 2025"),
        ("The hearing took place on 2025-11-21 in the capital.", "2025-11-21"),
        ("The hearing took place on 21.11.2025 in the capital.", "21.11.2025"),
        ("The hearing took place on 21/11/2025 in the capital.", "21/11/2025"),
        ("He was detained on the 21st of November 2025.", "21st of November 2025"),
        ("He was detained on Friday, 21 November 2025.", "Friday, 21 November 2025"),
    ],
)
def test_absolute_forms(text: str, quote: str) -> None:
    mention = only(text)
    assert (mention.text, mention.value, mention.rule) == (quote, PartialDate(2025, 11, 21), "absolute")
    assert not mention.publication


def test_day_first_numeric_dates() -> None:
    assert values("Released on 05/06/2020.") == ["2020-06-05"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Ms Dara Venn was arrested in May 2021.", "2021-05"),
        ("In March 2023, the court sentenced him.", "2023-03"),
        ("At the end of November 2025, activists were attacked.", "2025-11"),
        ("Media reported in early June 2020 that he had died.", "2020-06"),
        ("He has been harassed since 2011.", "2011"),
        ("In 2019, the group was banned.", "2019"),
        ("The law was amended by mid-2020.", "2020"),
    ],
)
def test_partial_dates(text: str, iso: str) -> None:
    mention = only(text)
    assert (mention.value.iso if mention.value else None, mention.rule) == (iso, "partial")


@pytest.mark.parametrize(
    "text",
    [
        "He was charged under Article 2019 of the Code.",
        "The decree applies Law 4/2000 to associations.",
        "The agreement was worth BDT 120,000 (USD 1,394).",
        "The raid took place at 14.30 local time.",
        "At 03h00, 3 policemen came to the house.",
        "Police may detain her for 2019 reasons, officials said last week.",
        "He may 3 times appeal.",
    ],
)
def test_non_dates_are_not_matched(text: str) -> None:
    assert dates(text) == []


def test_year_comes_from_the_previous_date() -> None:
    text = (
        "On 3 March 2021 Leo Farrant was arrested. On 22 November he was released. On February 27th, he left."
    )
    found = dates(text)
    assert [(m.value.iso if m.value else None, m.rule) for m in found] == [
        ("2021-03-03", "absolute"),
        ("2021-11-22", "no_year"),
        ("2021-02-27", "no_year"),
    ]


def test_year_comes_from_publication_without_a_previous_date() -> None:
    assert values("On April 25th, her daughter was attacked.", published=PartialDate(2023, 6, 1)) == [
        "2023-04-25"
    ]


def test_year_rolls_back_when_the_date_would_follow_publication() -> None:
    assert values("On 22 November he was released.", published=PartialDate(2024, 1, 10)) == ["2023-11-22"]
    assert values("On 9 January he was released.", published=PartialDate(2024, 1, 5)) == ["2024-01-09"]


def test_resolve_year() -> None:
    assert resolve_year(11, 22, context=PartialDate(2019), published=None) == 2019
    assert resolve_year(11, 22, context=None, published=PartialDate(2024, 1, 10)) == 2023
    assert resolve_year(11, 22, context=None, published=None) is None


def test_no_year_date_without_any_context_is_dropped() -> None:
    assert dates("On 22 November he was released.", published=None) == []


@pytest.mark.parametrize(
    ("phrase", "iso"),
    [
        ("The next day", "2021-05-04"),
        ("The following day", "2021-05-04"),
        ("Two days later", "2021-05-05"),
        ("A week later", "2021-05-10"),
        ("The day before", "2021-05-02"),
    ],
)
def test_relative_to_the_previous_date(phrase: str, iso: str) -> None:
    found = dates(f"Kim Osei was detained on the 3rd of May 2021. {phrase}, she was questioned.")
    assert [(m.value.iso if m.value else None, m.rule) for m in found][-1] == (iso, "relative")
    assert found[-1].text.lower() == phrase.lower()


def test_relative_to_publication() -> None:
    text = "Yesterday, police searched the office. Today the lawyer was summoned. On Monday he fled."
    # 2 May 2024 is a Thursday
    assert values(text) == ["2024-05-01", "2024-05-02", "2024-04-29"]


def test_relative_without_an_anchor_is_dropped() -> None:
    assert dates("The next day, police came back.") == []
    assert dates("Yesterday police came.", published=None) == []


def test_relative_word_restated_by_a_date_keeps_the_date() -> None:
    assert [m.text for m in dates("Today, on 14 December 2023, armed men entered.")] == ["14 December 2023"]


@pytest.mark.parametrize(
    ("text", "quote", "start", "end"),
    [
        ("Tweets appeared from 11 to 19 June 2020.", "11 to 19 June 2020", "2020-06-11", "2020-06-19"),
        (
            "On June 10, 2020 she posted. From June 11 to 19, tweets followed.",
            "June 11 to 19",
            "2020-06-11",
            "2020-06-19",
        ),
        ("The trial ran between 1 and 3 May 2024.", "1 and 3 May 2024", "2024-05-01", "2024-05-03"),
        ("Activists met on 21–22 November 2023.", "21–22 November 2023", "2023-11-21", "2023-11-22"),
        ("She was held from 30 April to 2 May 2024.", "30 April to 2 May 2024", "2024-04-30", "2024-05-02"),
        ("He was jailed from 2015 to 2018.", "2015 to 2018", "2015", "2018"),
    ],
)
def test_ranges(text: str, quote: str, start: str, end: str) -> None:
    mention = dates(text)[-1]
    assert mention.rule == "range"
    assert (mention.text, mention.value, mention.end_value) == (
        quote,
        PartialDate.from_iso(start),
        PartialDate.from_iso(end),
    )


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Geneva-Paris, 19 December 2023. On 21 November 2023, activists met.", "19 December 2023"),
        ("GENEVA (22 December 2021) – UN experts urge the release of Mr Tamsin Rowe.", "22 December 2021"),
        (
            "Shocking case of refoulement\n\nMarch 31, 2022\n\nOn 30 March 2022, groups protested.",
            "March 31, 2022",
        ),
        ("Office burnt in the northposted on: 2014/12/13\n\nOn 13 December 2014, men came.", "2014/12/13"),
    ],
)
def test_datelines_are_flagged(text: str, quote: str) -> None:
    found = dates(text, published=None)
    dateline = found[0]
    assert (dateline.text, dateline.rule, dateline.publication) == (quote, "dateline", True)
    assert all(not m.publication for m in found[1:])


def test_dateline_stands_in_for_a_missing_publication_date() -> None:
    text = "Bern, 10 January 2024.\nYesterday police raided the office. On 28 December, he was summoned."
    assert values(text, published=None) == ["2024-01-10", "2024-01-09", "2023-12-28"]


def test_dated_timeline_items_are_not_datelines() -> None:
    text = (
        "Case history\n- 7 October 2015 : Armed robbery at the home of Luis Ortal\n- 28 August 2015 : Smear"
    )
    assert [m.publication for m in dates(text)] == [False, False]


def test_french_dates() -> None:
    text = (
        "Le 24 août 2010, il aurait été enlevé. Le 1er octobre 2015, elle a été arrêtée. Le lendemain, rien."
    )
    found = dates(text, lang="fr")
    assert [(m.text, m.value.iso if m.value else None) for m in found] == [
        ("24 août 2010", "2010-08-24"),
        ("1er octobre 2015", "2015-10-01"),
        ("Le lendemain", "2015-10-02"),
    ]


def test_french_partial_and_range() -> None:
    assert values("Il est détenu depuis mars 2019, et jugé du 3 au 5 juin 2020.", lang="fr") == [
        "2019-03",
        "2020-06-03",
    ]


def test_spanish_dates() -> None:
    text = (
        "El 21 de agosto de 2015, el Presidente habló.\n"
        "- 7 Octubre 2015 : Robo armado. Fue en agosto de 2015."
    )
    found = dates(text, lang="es")
    assert [(m.text, m.value.iso if m.value else None) for m in found] == [
        ("21 de agosto de 2015", "2015-08-21"),
        ("7 Octubre 2015", "2015-10-07"),
        ("agosto de 2015", "2015-08"),
    ]


def test_mentions_are_sorted_and_do_not_overlap() -> None:
    found = dates("From 11 to 19 June 2020 and on 5 June 2020 and in 2019, then June 21.")
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_component_on_the_english_model(nlp: Language) -> None:
    text = (
        "Dara Venn has been harassed since 2011. On 22 November she was detained, and the next day "
        "she was released. The protests of 2019 continued under Article 2020 of the Code."
    )
    doc = init_doc(
        nlp(text), {"published": PartialDate(2024, 5, 2), "title": "t", "doc_id": "x1", "language": "en"}
    )
    doc = dates_component(doc)
    found = [(m.text, m.value.iso if m.value else None, m.rule) for m in doc._.hrd_dates]
    assert found == [
        ("2011", "2011", "partial"),
        ("22 November", "2023-11-22", "no_year"),
        ("the next day", "2023-11-23", "relative"),
        ("2019", "2019", "partial"),
    ]


def test_component_on_a_blank_french_pipeline() -> None:
    nlp_fr = spacy.blank("fr")
    add_stages(nlp_fr, [DATES])
    doc = init_doc(
        nlp_fr.make_doc("Le 30 juillet 2010, il a rencontré des militaires."),
        {"published": None, "language": "fr"},
    )
    doc = nlp_fr.get_pipe(DATES.name)(doc)
    assert [(m.text, m.value) for m in doc._.hrd_dates] == [("30 juillet 2010", PartialDate(2010, 7, 30))]


def test_month_without_year_takes_context_and_rolls_back() -> None:
    found = dates("He was arrested in May. He was released in December, as Sept. 5, 2021 showed.")
    assert [(m.text, m.value.iso if m.value else None) for m in found] == [
        ("May", "2024-05"),
        ("December", "2023-12"),
        ("Sept. 5, 2021", "2021-09-05"),
    ]


def test_bare_year_spans_are_kept_unless_a_law_word_precedes() -> None:
    text = "The 2019 protests continued under Article 2020 of the Code."
    spans = [(4, 8), (39, 43)]
    found = find_dates(text, published=PUB, year_spans=spans)
    assert [(m.text, m.rule) for m in found] == [("2019", "partial")]
