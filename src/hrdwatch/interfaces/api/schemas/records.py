"""Case records as the API shows them: sources, incidents with their facts and evidence, people,
organisations. Viewers get these already redacted by the services."""

from __future__ import annotations

from datetime import datetime

from hrdwatch.interfaces.api.schemas.common import Schema


class SourceInfoPublic(Schema):
    id: str
    name: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    language: str | None
    sha256: str


class SourcePublic(Schema):
    """A report with its number of incidents and of facts still undecided."""

    source_id: str
    name: str
    title: str | None
    ingested_at: datetime
    incidents: int
    undecided: int


class SourceTextPublic(Schema):
    """A report's text: every evidence offset points into ``text``."""

    id: str
    name: str
    title: str | None
    text: str


class SourceUploadResult(Schema):
    """What became of one uploaded file. A refused file is ``failed`` with its coded ``reason``."""

    name: str
    outcome: str  # ingested | duplicate | failed
    reason: str | None
    source_id: str | None
    incident_ids: list[str]
    warnings: list[str]


class IncidentSummaryPublic(Schema):
    id: str
    date: str | None
    country: str | None
    city: str | None
    victims: list[str]
    acts: list[str]
    source_name: str
    source_title: str | None
    status: str


class ActPublic(Schema):
    id: str
    act_type: str
    date: str | None
    victim: str | None
    victim_kind: str | None
    victim_id: str | None
    perpetrators: list[str]
    review_status: str


class PersonSummaryPublic(Schema):
    """A person as one incident names them."""

    id: str
    name: str
    aliases: list[str]
    description: str | None
    affiliations: list[str]
    review_status: str


class OrganisationSummaryPublic(Schema):
    id: str
    name: str
    review_status: str


class PerpetratorPublic(Schema):
    id: str
    name: str | None
    kind: str
    description: str | None
    review_status: str


class ChargePublic(Schema):
    id: str
    offence: str | None
    law: str | None
    article: str | None
    review_status: str


class SanctionPublic(Schema):
    id: str
    type: str
    amount: float | None
    amount_max: float | None
    currency: str | None
    months: float | None
    description: str | None
    incident_id: str | None
    review_status: str


class DemandPublic(Schema):
    id: str
    text: str
    review_status: str


class EvidencePublic(Schema):
    """A span of the report supporting one fact, with the sentence around it."""

    id: str
    fact_table: str
    fact_id: str
    field: str
    start: int
    end: int
    quote: str
    stage: str
    rule: str
    sentence: str


class IncidentPublic(Schema):
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
    source: SourceInfoPublic
    acts: list[ActPublic]
    people: list[PersonSummaryPublic]
    organisations: list[OrganisationSummaryPublic]
    perpetrators: list[PerpetratorPublic]
    charges: list[ChargePublic]
    sanctions: list[SanctionPublic]
    demands: list[DemandPublic]
    evidence: list[EvidencePublic]


class FacetsPublic(Schema):
    countries: list[str]
    act_types: list[str]
    perpetrator_kinds: list[str]
    statuses: list[str]


class PersonRefPublic(Schema):
    id: str
    name: str
    source_id: str
    source_title: str | None
    review_status: str
    confidential: bool


class OrganisationRefPublic(Schema):
    id: str
    name: str
    source_id: str
    source_title: str | None
    review_status: str


class TimelineEntryPublic(Schema):
    """One incident in the life of a person or organisation."""

    date: str | None
    incident_id: str
    acts: list[str]
    country: str | None
    city: str | None
    source_title: str | None
    status: str
    confidential: bool


class PersonPublic(Schema):
    """A person as one report names them, the same name in other reports, and their incidents."""

    id: str
    name: str
    aliases: list[str]
    description: str | None
    review_status: str
    confidential: bool
    source_id: str
    source_title: str | None
    affiliations: list[OrganisationRefPublic]
    same: list[PersonRefPublic]
    timeline: list[TimelineEntryPublic]


class OrganisationPublic(Schema):
    id: str
    name: str
    review_status: str
    source_id: str
    source_title: str | None
    same: list[OrganisationRefPublic]
    members: list[PersonRefPublic]
    timeline: list[TimelineEntryPublic]
