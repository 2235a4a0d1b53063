"""The lineage of proceedings derived from acts and sanctions, and the defender's situation after
it. Every incident and piece of evidence here is invented."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrdwatch.domain.cases import Situation
from hrdwatch.domain.lineage import (
    Occurrence,
    Step,
    StepKind,
    lineage,
    sanction_code,
    situation,
    status_changes,
    step_codes,
)
from hrdwatch.domain.taxonomy import act_codes

PRISON, FINE = sanction_code("prison"), sanction_code("fine")


def kinds(occurrences: list[Occurrence]) -> list[str]:
    return [step.kind.value for step in lineage(occurrences)]


def after(*codes: str) -> Situation:
    """The situation after these codes, each on its own day in the order given."""
    return situation(
        lineage(Occurrence(f"i{n}", code, f"2025-01-{n + 1:02d}") for n, code in enumerate(codes))
    )


def test_the_data_speaks_of_real_codes() -> None:
    sanctions = {sanction_code(t) for t in ("prison", "fine", "other")}
    assert set(step_codes()) - set(act_codes()) - sanctions == {"appeal"}  # no appeal act code yet
    assert [kind.rank for kind in StepKind] == sorted(kind.rank for kind in StepKind)
    assert StepKind.PRISON_SENTENCE.label == "Prison sentence"


def test_steps_follow_the_dates_whatever_order_they_come_in() -> None:
    occurrences = [
        Occurrence("i3", "release", "2025-09-30"),
        Occurrence("i1", "arrest", "2025-01-10"),
        Occurrence("i2", "hearing", "2025-04-02"),
        Occurrence("i2", "judicial_harassment", "2025-02-01"),
    ]
    assert kinds(occurrences) == ["arrest", "charge", "hearing", "release"]


def test_the_same_day_follows_the_natural_order() -> None:
    codes = ["release", PRISON, "conviction", "hearing", "judicial_harassment", "detention", "arrest"]
    occurrences = [Occurrence("i1", code, "2025-03-04") for code in codes]
    assert kinds(occurrences) == [
        "arrest",
        "detention",
        "charge",
        "hearing",
        "conviction",
        "prison_sentence",
        "release",
    ]


def test_partial_dates_are_placed_among_the_dates_they_cover() -> None:
    occurrences = [
        Occurrence("i1", "conviction", "2025"),
        Occurrence("i1", "arrest", "2025-03-04"),
        Occurrence("i2", "hearing", "2025-03"),
        Occurrence("i3", "release", "2025-02"),
        Occurrence("i4", "judicial_harassment", "2024-12-30"),
    ]
    assert kinds(occurrences) == ["charge", "release", "arrest", "hearing", "conviction"]
    assert [s.date for s in lineage(occurrences)] == [
        "2024-12-30",
        "2025-02",
        "2025-03-04",
        "2025-03",
        "2025",
    ]


def test_undated_steps_go_where_they_naturally_come() -> None:
    occurrences = [
        Occurrence("i1", "arrest", "2025-01-10"),
        Occurrence("i2", "hearing", None),
        Occurrence("i3", PRISON, "2025-06"),
        Occurrence("i4", "appeal", None),
        Occurrence("i5", "killing", None),
    ]
    assert kinds(occurrences) == ["arrest", "hearing", "prison_sentence", "appeal", "killing"]


def test_a_step_keeps_its_incidents_and_evidence() -> None:
    occurrences = [
        Occurrence("i1", "arrest", "2025-03-04", ("e1",)),
        Occurrence("i2", "arrest", "2025-03-04", ("e2", "e1")),
        Occurrence("i1", "detention", "2025-03-04", ("e3",)),
        Occurrence("i1", "incommunicado_detention", "2025-03-04", ("e4",)),
        Occurrence("i1", "torture_ill_treatment", "2025-03-04", ("e5",)),
    ]
    arrest, detention = lineage(occurrences)
    assert (arrest.incident_ids, arrest.evidence_ids) == (("i1", "i2"), ("e1", "e2"))
    assert detention.codes == ("detention", "incommunicado_detention")
    assert detention.evidence_ids == ("e3", "e4")


def test_a_vaguer_mention_is_the_one_step_it_can_mean() -> None:
    occurrences = [
        Occurrence("i1", "arrest", "2025-03-04", ("e1",)),
        Occurrence("i2", "arrest", "2025-03", ("e2",)),
        Occurrence("i3", "arrest", None, ("e3",)),
        Occurrence("i4", "hearing", "2025-05-01"),
        Occurrence("i5", "hearing", "2025-05-20"),
        Occurrence("i6", "hearing", "2025-05"),
    ]
    steps = lineage(occurrences)
    assert [s.kind.value for s in steps] == ["arrest", "hearing", "hearing", "hearing"]
    assert steps[0].date == "2025-03-04" and steps[0].incident_ids == ("i1", "i2", "i3")
    assert [s.date for s in steps[1:]] == ["2025-05-01", "2025-05-20", "2025-05"]  # two it could mean


def day(y: int, m: int, d: int) -> str:
    return f"{y}-{m:02d}-{d:02d}"


years, months = st.integers(2024, 2025), st.integers(1, 12)
dates = st.one_of(
    st.none(),
    st.builds(day, years, months, st.integers(1, 28)),
    st.builds(lambda y, m: f"{y}-{m:02d}", years, months),
    st.builds(str, years),
)
occurrence_lists = st.lists(
    st.builds(Occurrence, st.sampled_from(["i1", "i2", "i3"]), st.sampled_from(sorted(step_codes())), dates),
    max_size=12,
)


def shape(steps: list[Step]) -> list[tuple[StepKind, str | None, set[str]]]:
    return [(s.kind, s.date, set(s.incident_ids)) for s in steps]


@given(occurrence_lists, st.randoms())
def test_the_order_reports_came_in_does_not_matter(occurrences: list[Occurrence], rnd: Random) -> None:
    shuffled = list(occurrences)
    rnd.shuffle(shuffled)
    steps = lineage(occurrences)
    assert shape(steps) == shape(lineage(shuffled))
    stated = {(step_codes()[o.code], o.incident_id) for o in occurrences}
    assert {(s.kind, i) for s in steps for i in s.incident_ids} == stated


def test_a_malformed_date_is_refused() -> None:
    with pytest.raises(ValueError, match="ISO"):
        lineage([Occurrence("i1", "arrest", "March 2025")])


def test_the_whole_way_from_arrest_to_release() -> None:
    codes = ["arrest", "detention", "judicial_harassment", "hearing", "conviction", PRISON]
    assert after(*codes) is Situation.SENTENCED
    assert after(*codes, "release") is Situation.RELEASED
    assert [after(*codes[:n]) for n in range(1, 5)] == [Situation.DETAINED] * 4


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((), Situation.UNKNOWN),
        (("fine",), Situation.AT_LARGE),
        (("judicial_harassment", "hearing", "conviction", FINE), Situation.AT_LARGE),
        (("fine", "judicial_harassment"), Situation.UNDER_INVESTIGATION),
        (("arrest", "hearing", "conviction", "fine"), Situation.DETAINED),  # no release is assumed
        (("judicial_harassment",), Situation.UNDER_INVESTIGATION),
        (("judicial_harassment", "conviction"), Situation.UNDER_INVESTIGATION),
        (("arrest", "judicial_harassment", "hearing", "acquittal"), Situation.ACQUITTED),
        (("arrest", "enforced_disappearance"), Situation.DISAPPEARED),
        (("enforced_disappearance", "release"), Situation.RELEASED),
        (("arrest", "killing", "release", "acquittal"), Situation.KILLED),
        (("deportation", "judicial_harassment", PRISON), Situation.IN_EXILE),
        (("travel_ban",), Situation.AT_LARGE),
        (("arrest", "travel_ban"), Situation.DETAINED),
        (("arrest", "conviction", PRISON, "detention"), Situation.SENTENCED),
        (("threat", "smear_campaign"), Situation.UNKNOWN),
    ],
)
def test_situation_after_typical_sequences(codes: tuple[str, ...], expected: Situation) -> None:
    assert after(*codes) is expected


def test_a_fine_and_prison_on_the_same_day_is_prison() -> None:
    same_day = [Occurrence("i1", code, "2025-05-05") for code in (PRISON, "conviction", FINE)]
    assert situation(lineage(same_day)) is Situation.SENTENCED


def test_what_a_new_report_adds() -> None:
    known = [Occurrence("i1", "arrest", "2025-01-10", ("e1",)), Occurrence("i1", "detention", "2025-01-10")]
    report = [
        Occurrence("i2", "arrest", "2025-01", ("e2",)),
        Occurrence("i2", "conviction", "2025-06-01", ("e3",)),
        Occurrence("i2", PRISON, "2025-06-01", ("e4",)),
    ]
    news = status_changes(lineage(known), lineage(known + report))
    assert [s.kind for s in news.new_steps] == [StepKind.CONVICTION, StepKind.PRISON_SENTENCE]
    assert [s.incident_ids for s in news.corroborated] == [("i1", "i2")]
    assert (news.situation_before, news.situation_after) == (Situation.DETAINED, Situation.SENTENCED)
    assert news.situation_changed and news


def test_the_same_report_twice_adds_nothing() -> None:
    occurrences = [Occurrence("i1", "arrest", "2025-01-10", ("e1",)), Occurrence("i1", "release", "2025-02")]
    steps = lineage(occurrences)
    assert lineage(occurrences + occurrences) == steps
    assert not status_changes(steps, steps)
