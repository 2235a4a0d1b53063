"""Rule files: one loader for all of them, parsed once, with a coded error when one cannot be used."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from hrdwatch.errors import ExtractionError
from hrdwatch.extract import rules
from hrdwatch.extract.rules import load_rule_file, load_rules


def test_a_rule_file_is_parsed_once() -> None:
    assert load_rule_file("places.json") is load_rule_file("places.json")
    assert load_rules("en", "acts") is load_rule_file("en/acts.json")


def test_a_missing_rule_file_is_e203() -> None:
    with pytest.raises(ExtractionError, match=r"\[E203\] rule file en/nowhere.json .*no such file"):
        load_rule_file("en/nowhere.json")


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "Expecting property name"), ('["a", "list"]', "a JSON object expected, not list")],
)
def test_a_malformed_rule_file_is_e203(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, reason: str
) -> None:
    (tmp_path / "broken.json").write_text(content, encoding="utf-8")
    monkeypatch.setattr(rules, "resources", SimpleNamespace(files=lambda _package: tmp_path))
    with pytest.raises(ExtractionError, match=rf"\[E203\] rule file broken.json cannot be used: {reason}"):
        load_rule_file("broken.json")


def test_every_verb_that_makes_a_demand_also_hedges_an_act() -> None:
    calls = load_rules("en", "calls")
    assert set(calls["demanding"]) < set(calls["hedging"])
