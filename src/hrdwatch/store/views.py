"""What the read side returns: plain frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: str
    name: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    language: str | None
    sha256: str


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    id: str
    date: str | None
    country: str | None
    city: str | None
    victims: tuple[str, ...]
    acts: tuple[str, ...]
    source_name: str
    source_title: str | None
    status: str


@dataclass(frozen=True, slots=True)
class ActView:
    id: str
    act_type: str
    date: str | None
    victim: str | None  # the victim's name; None when no victim is named
    victim_kind: str | None  # person | organisation
    victim_id: str | None
    perpetrators: tuple[str, ...]
    review_status: str


@dataclass(frozen=True, slots=True)
class PersonView:
    id: str
    name: str
    aliases: tuple[str, ...]
    description: str | None
    affiliations: tuple[str, ...]
    review_status: str


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: str
    name: str
    review_status: str


@dataclass(frozen=True, slots=True)
class PerpetratorView:
    id: str
    name: str | None
    kind: str
    description: str | None
    review_status: str

    @property
    def label(self) -> str:
        return self.name or self.description or "unknown"


@dataclass(frozen=True, slots=True)
class ChargeView:
    id: str
    offence: str | None
    law: str | None
    article: str | None
    review_status: str


@dataclass(frozen=True, slots=True)
class SanctionView:
    id: str
    type: str
    amount: float | None
    amount_max: float | None
    currency: str | None
    months: float | None
    description: str | None
    incident_id: str | None  # None: the report does not tie it to one incident
    review_status: str


@dataclass(frozen=True, slots=True)
class DemandView:
    id: str
    text: str
    review_status: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    id: str
    fact_table: str
    fact_id: str
    field: str
    start: int
    end: int
    quote: str
    stage: str
    rule: str
    sentence: str  # the whole source sentence around the quote


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    id: str
    date: str | None
    date_precision: str | None
    end_date: str | None
    city: str | None
    country: str | None
    site: str | None
    detention_place: str | None
    status: str
    review_status: str
    created_at: str
    source: SourceInfo
    acts: tuple[ActView, ...]
    people: tuple[PersonView, ...]
    organisations: tuple[OrganisationView, ...]
    perpetrators: tuple[PerpetratorView, ...]
    charges: tuple[ChargeView, ...]
    sanctions: tuple[SanctionView, ...]
    demands: tuple[DemandView, ...]
    evidence: tuple[EvidenceView, ...]
