"""The case record: who was targeted, by whom, what was done, when, where, on which legal basis.

Its JSON form (:meth:`CaseRecord.to_dict`) is the shape of ../shared/corpus/SCHEMA.md plus an
``evidence`` list, so extraction output can be scored as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.evidence import Evidence


@dataclass(slots=True)
class Place:
    city: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    site: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"city": self.city, "country": self.country, "site": self.site}


@dataclass(slots=True)
class Charge:
    offence: str | None = None
    law: str | None = None
    article: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"offence": self.offence, "law": self.law, "article": self.article}


@dataclass(slots=True)
class Sanction:
    """A penalty: ``fine`` (amount, range, ISO 4217 currency), ``prison`` (months) or ``other``."""

    type: str
    amount: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    months: float | None = None
    description: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        if self.type == "fine":
            return {
                "type": "fine",
                "amount": _num(self.amount),
                "amount_max": _num(self.amount_max),
                "currency": self.currency,
            }
        if self.type == "prison":
            return {"type": "prison", "months": _num(self.months)}
        return {"type": self.type, "description": self.description}

    def key(self) -> tuple[Any, ...]:
        return (self.type, self.amount, self.amount_max, self.currency, self.months, self.description)


@dataclass(slots=True)
class Victim:
    name: str
    kind: str = "person"  # person | organisation
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    affiliations: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "description": self.description,
            "affiliations": list(self.affiliations),
        }


@dataclass(slots=True)
class Perpetrator:
    """An actor said to have carried out or ordered an act. ``name`` is None for a generic one."""

    name: str | None
    kind: str  # state | non_state | unknown
    description: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or self.description or "unknown"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "description": self.description}


@dataclass(slots=True)
class Event:
    """One incident: a date and place, a set of acts, done to the same victims by the same actors."""

    acts: list[str]
    victims: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    date: PartialDate | None = None
    end_date: PartialDate | None = None
    place: Place = field(default_factory=Place)
    charges: list[Charge] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    detention_place: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.iso if self.date else None,
            "end_date": self.end_date.iso if self.end_date else None,
            "date_precision": self.date.precision.value if self.date else None,
            "place": self.place.to_dict(),
            "acts": list(self.acts),
            "victims": list(self.victims),
            "perpetrators": list(self.perpetrators),
            "charges": [c.to_dict() for c in self.charges],
            "sanctions": [s.to_dict() for s in self.sanctions],
            "detention_place": self.detention_place,
        }


@dataclass(slots=True)
class Demand:
    text: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class CaseRecord:
    """Everything extracted from one report."""

    id: str
    language: str | None = None
    countries: list[str] = field(default_factory=list)
    victims: list[Victim] = field(default_factory=list)
    perpetrators: list[Perpetrator] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    legal_articles: list[str] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # facts with no narrower home (countries...)
    warnings: list[str] = field(default_factory=list)

    def all_evidence(self) -> list[tuple[str, Evidence]]:
        """Every piece of evidence with the JSON path of the fact it supports."""
        out: list[tuple[str, Evidence]] = [("", ev) for ev in self.evidence]
        for i, v in enumerate(self.victims):
            out += [(f"victims[{i}]", ev) for ev in v.evidence]
        for i, p in enumerate(self.perpetrators):
            out += [(f"perpetrators[{i}]", ev) for ev in p.evidence]
        for i, e in enumerate(self.events):
            out += [(f"events[{i}]", ev) for ev in e.evidence]
            for j, c in enumerate(e.charges):
                out += [(f"events[{i}].charges[{j}]", ev) for ev in c.evidence]
            for j, s in enumerate(e.sanctions):
                out += [(f"events[{i}].sanctions[{j}]", ev) for ev in s.evidence]
        for i, s in enumerate(self.sanctions):
            out += [(f"sanctions[{i}]", ev) for ev in s.evidence]
        for i, d in enumerate(self.demands):
            out += [(f"demands[{i}]", ev) for ev in d.evidence]
        return out

    def to_dict(self, *, with_evidence: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "language": self.language,
            "countries": list(self.countries),
            "victims": [v.to_dict() for v in self.victims],
            "perpetrators": [p.to_dict() for p in self.perpetrators],
            "organisations": list(self.organisations),
            "events": [e.to_dict() for e in self.events],
            "legal_articles": list(self.legal_articles),
            "sanctions": [s.to_dict() for s in self.sanctions],
            "demands": [d.text for d in self.demands],
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if with_evidence:
            data["evidence"] = [{"path": path, **ev.to_dict()} for path, ev in self.all_evidence()]
        return data


def _num(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
