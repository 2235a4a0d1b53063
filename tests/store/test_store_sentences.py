from __future__ import annotations

from hrdwatch.store.sentences import sentence_around

TEXT = "First one. The lawyer was arrested on Monday! Was she charged?\nA heading line\nLast"


def _around(quote: str) -> str:
    start = TEXT.index(quote)
    return sentence_around(TEXT, start, start + len(quote))


def test_widens_to_sentence_boundaries() -> None:
    assert _around("arrested") == "The lawyer was arrested on Monday!"
    assert _around("charged") == "Was she charged?"


def test_stops_at_line_breaks_and_text_edges() -> None:
    assert _around("heading") == "A heading line"
    assert _around("Last") == "Last"
    assert _around("First") == "First one."


def test_quote_ending_a_sentence_does_not_run_on() -> None:
    assert _around("Monday!") == "The lawyer was arrested on Monday!"


def test_offsets_out_of_range_are_clamped() -> None:
    assert sentence_around(TEXT, -5, 3) == "First one."
    assert sentence_around(TEXT, 500, 900) == "Last"
