"""The names withheld from viewers: each confidential name, its aliases and their longer parts.
Every name is invented."""

from __future__ import annotations

from hrdwatch.services.redaction import withheld_names


def test_names_aliases_and_parts_longest_first() -> None:
    names = withheld_names([("Eklund, Tomas", ("T. Eklund",)), ("Li Bo", ())])
    assert set(names) == {"Eklund, Tomas", "T. Eklund", "Eklund", "Li Bo", "Tomas"}  # "Li", "Bo": too short
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)
    assert withheld_names([]) == ()
