"""Case references in the Observatory's style, the defender's situation, and the chain of events
between incidents. Every case and incident here is invented."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrdwatch.domain.cases import (
    UNKNOWN_COUNTRY,
    CaseRef,
    CaseStatus,
    ChainLink,
    ChainRelation,
    Situation,
    alpha3,
    would_cycle,
)

COUNTRIES = sorted(c.alpha_3 for c in pycountry.countries) + [UNKNOWN_COUNTRY]

refs = st.builds(
    CaseRef,
    country=st.sampled_from(COUNTRIES),
    number=st.integers(1, 99_999),
    year=st.integers(2000, 2099),
    month=st.integers(1, 12),
    followup_number=st.integers(0, 40),
)


@given(refs)
def test_a_reference_reads_back_as_written(ref: CaseRef) -> None:
    assert CaseRef.parse(str(ref)) == ref


@given(refs)
def test_spacing_and_case_do_not_matter(ref: CaseRef) -> None:
    squeezed = str(ref).replace(" ", "").lower()
    spread = "  " + str(ref).replace("/", "  /   ").replace(".", " . ") + " "
    assert CaseRef.parse(squeezed) == CaseRef.parse(spread) == ref


def test_the_observatory_style() -> None:
    ref = CaseRef.parse("KAZ 001 / 1125")
    assert (ref.country, ref.number, ref.year, ref.month, ref.followup_number) == ("KAZ", 1, 2025, 11, 0)
    assert ref.opened == "2025-11"
    assert str(ref.followup(2)) == "KAZ 001 / 1125.2"
    assert ref.followup(2).case == ref
    assert str(CaseRef("UZB", 1204, 2026, 1)) == "UZB 1204 / 0126"
    assert CaseRef.opened_on("KAZ", 7, "2025-11") == CaseRef.parse("kaz 007/1125")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("KAZ 001 1125", "no '/'"),
        ("KZ 001 / 1125", "three-letter country code"),
        ("KAZ / 1125", "three-letter country code"),
        ("KAZ 01 / 1125", "three digits"),
        ("KAZ 0001 / 1125", "three digits"),
        ("KAZ 001 / 112025", "four digits"),
        ("KAZ 001 / 11-25", "four digits"),
        ("KAZ 001 / 1325", "month out of range"),
        ("KAZ 000 / 1125", "1 or more"),
        ("KAZ 001 / 1125.0", "numbered 1, 2"),
        ("KAZ 001 / 1125.", "optional '.N'"),
        ("ZZZ 001 / 1125", "alpha-3"),
        ("", "no '/'"),
    ],
)
def test_a_malformed_reference_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match="case reference") as caught:
        CaseRef.parse(text)
    assert reason in str(caught.value)


def test_references_sort_by_country_number_and_follow_up() -> None:
    texts = ["KAZ 010 / 0126", "KAZ 002 / 1125.2", "BLR 005 / 0324", "KAZ 002 / 1125", "KAZ 002 / 1125.10"]
    ordered = [str(r) for r in sorted(CaseRef.parse(t) for t in texts)]
    assert ordered == [
        "BLR 005 / 0324",
        "KAZ 002 / 1125",
        "KAZ 002 / 1125.2",
        "KAZ 002 / 1125.10",
        "KAZ 010 / 0126",
    ]


def test_a_reference_refuses_impossible_parts() -> None:
    for bad in ({"country": "kaz"}, {"country": "KZ"}, {"number": 0}, {"month": 13}, {"year": 1999}):
        with pytest.raises(ValueError):
            CaseRef(**{"country": "KAZ", "number": 1, "year": 2025, "month": 11, **bad})
    with pytest.raises(ValueError, match="from 1"):
        CaseRef("KAZ", 1, 2025, 11).followup(0)


def test_alpha3_from_what_incidents_store() -> None:
    assert alpha3("kz") == alpha3("KAZ") == "KAZ"
    assert alpha3(None) == alpha3("") == alpha3("Q1") == alpha3("Kazakhstan") == UNKNOWN_COUNTRY


def test_statuses_and_situations() -> None:
    assert [s.value for s in CaseStatus] == ["open", "closed"]
    assert Situation.DETAINED.needs_action and Situation.DISAPPEARED.needs_action
    assert not Situation.RELEASED.needs_action and not Situation.AT_LARGE.needs_action
    assert Situation.KILLED.final and not Situation.DETAINED.final
    assert Situation.DISAPPEARED.severity > Situation.DETAINED.severity > Situation.AT_LARGE.severity
    assert Situation.UNDER_INVESTIGATION.label == "Under investigation"
    held_or_worse = sorted(Situation, key=lambda s: s.severity)[-4:]
    assert all(s.needs_action for s in held_or_worse)


def link(a: str, b: str, relation: ChainRelation = ChainRelation.FOLLOW_UP_OF) -> ChainLink:
    return ChainLink(a, b, relation)


def test_a_circular_chain_is_refused() -> None:
    chain = [link("sentence", "hearing"), link("hearing", "arrest", ChainRelation.CAUSED_BY)]
    assert would_cycle(chain, link("arrest", "sentence"))
    assert would_cycle(chain, link("arrest", "hearing", ChainRelation.CAUSED_BY))
    assert not would_cycle(chain, link("release", "sentence"))
    assert not would_cycle(chain, link("sentence", "arrest"))  # a shortcut, not a circle


def test_same_as_has_no_direction() -> None:
    assert not would_cycle([link("a", "b", ChainRelation.SAME_AS)], link("b", "a", ChainRelation.SAME_AS))
    same = [link("a", "b", ChainRelation.SAME_AS), link("b", "c", ChainRelation.SAME_AS)]
    assert not would_cycle(same, link("c", "a", ChainRelation.SAME_AS))


def test_same_as_joins_incidents_into_one_event() -> None:
    chain = [link("later", "earlier"), link("earlier", "earlier-told-again", ChainRelation.SAME_AS)]
    assert would_cycle(chain, link("earlier-told-again", "later"))
    assert would_cycle([link("later", "earlier")], link("earlier", "later", ChainRelation.SAME_AS))
    assert would_cycle([link("a", "b", ChainRelation.SAME_AS)], link("a", "b"))
    assert not would_cycle(chain, link("other", "earlier-told-again"))


def test_a_link_to_itself_is_refused() -> None:
    assert all(would_cycle([], link("a", "a", relation)) for relation in ChainRelation)
