"""Review as the API shows it: the queue, a report's facts, and the changes a reviewer sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, StrictBool

from hrdwatch.interfaces.api.schemas.common import Schema
from hrdwatch.interfaces.api.schemas.records import SourceTextPublic

Value = str | None


class FactPublic(Schema):
    """One fact as a reviewer sees it: its values, state, spans in the text, editable fields."""

    table: str
    id: str
    group: str
    label: str
    values: dict[str, Any]
    review_status: str
    spans: list[tuple[int, int]]
    editable: list[str]


class FactGroupPublic(Schema):
    name: str
    items: list[FactPublic]


class ReviewIncidentPublic(Schema):
    id: str
    status: str
    confidential: bool
    confidential_fields: list[str]
    groups: list[FactGroupPublic]
    pending: int


class SpanPublic(Schema):
    start: int
    end: int
    table: str
    id: str


class ReviewPagePublic(Schema):
    source: SourceTextPublic
    incidents: list[ReviewIncidentPublic]
    spans: list[SpanPublic]


#: the tables of :data:`hrdwatch.services.review.EDITABLE` (a test keeps them in step)
FactTable = Literal[
    "incidents", "acts", "people", "organisations", "perpetrators", "charges", "sanctions", "demands"
]


class ReviewDecisionCreate(Schema):
    table: FactTable = Field(examples=["acts"])
    fact_id: str = Field(max_length=64)
    decision: Literal["accept", "reject"]


class FactEdit(Schema):
    """New values for some of a fact's editable fields (empty or null clears an optional one)."""

    values: dict[str, Value] = Field(min_length=1, examples=[{"date": "2025-03-04"}])


class FactCreate(Schema):
    """A fact a reviewer adds to an incident from the span ``start:end`` of its report."""

    source_id: str = Field(max_length=64)
    incident_id: str = Field(max_length=64)
    kind: Literal[
        "person", "organisation", "perpetrator", "act", "charge", "sanction", "demand", "date", "place"
    ] = Field(examples=["person"])
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    values: dict[str, Value] = Field(default_factory=dict, examples=[{"act_type": "arrest"}])


class UndoCreate(Schema):
    event_id: int = Field(ge=1, description="The audit event of the decision, edit or addition")


class DecisionPublic(Schema):
    """A fact decided, edited, added or undone, and the audit event recording it."""

    event_id: int
    table: str
    fact_id: str
    review_status: str
    incident_ids: list[str]


class VerificationPublic(Schema):
    event_id: int
    incident_id: str
    status: str
    verified_at: datetime
    verified_by: str


IncidentField = Literal["date", "end_date", "city", "country", "site", "detention_place"]


class ConfidentialUpdate(Schema):
    confidential: StrictBool
    fields: list[IncidentField] | None = Field(
        default=None, description="Incident fields hidden from viewers (null: leave them as they are)"
    )


class PersonConfidentialUpdate(Schema):
    confidential: StrictBool


class ConfidentialMarkPublic(Schema):
    event_id: int
    table: str
    id: str
    confidential: bool
    fields: list[str]
