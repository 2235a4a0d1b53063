"""One name key decides when two names are the same name: for extraction, the record writer and
the person pages. Every name is invented."""

from __future__ import annotations

import pytest

from hrdwatch.domain.names import any_order_key, name_key, name_words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Valk, Teodor", "Teodor Valk"),
        ("Téodor Valk", "teodor  VALK"),
        ("Lerato Mbeki-Fotso", "Mbeki Fotso, Lerato"),
    ],
)
def test_any_order_key_matches_variants(a: str, b: str) -> None:
    assert any_order_key(a) == any_order_key(b)


def test_keys_keep_different_people_apart() -> None:
    assert any_order_key("Teodor Valk") != any_order_key("Teodora Valk")
    assert any_order_key("") == name_key("") == ""


def test_name_key_keeps_the_order_and_only_letters_and_digits() -> None:
    assert name_key("  Téodor   VALK-Ross (2nd) ") == "teodor valk ross 2nd"
    assert name_key("Valk, Teodor") != name_key("Teodor Valk")
    assert name_words("Valk, Teodor") == name_words("teodor valk") == frozenset({"teodor", "valk"})
