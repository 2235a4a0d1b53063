"""Provenance as data: where in the source text a fact was read, and which rule read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the source text that supports one fact.

    ``start``/``end`` are character offsets into ``Source.text`` (the report body), ``quote`` is
    ``text[start:end]``; ``stage`` is the pipeline component and ``rule`` the pattern that fired.
    ``field`` says which fact it supports, e.g. ``act:arrest``, ``date``, ``victim``, ``city``.
    """

    field: str
    start: int
    end: int
    quote: str
    stage: str
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "stage": self.stage,
            "rule": self.rule,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            field=str(data["field"]),
            start=int(data["start"]),
            end=int(data["end"]),
            quote=str(data["quote"]),
            stage=str(data["stage"]),
            rule=str(data.get("rule") or ""),
        )
