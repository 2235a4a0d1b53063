"""What the store returns about entities, cases, chains of events and merges (issue 9): plain
frozen dataclasses, never ORM objects. Decisions, situations and relations are the plain strings
stored; :mod:`hrdwatch.domain.cases` gives them meaning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class EntityView:
    """A canonical person (``kind`` ``person``) or organisation."""

    id: str
    kind: str
    name: str
    country: str | None
    merged_into: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class MentionView:
    """A ``people`` or ``organisations`` row: how one report names an entity."""

    table: str  # people | organisations
    id: str
    name: str
    aliases: tuple[str, ...]
    source_id: str
    source_title: str | None
    review_status: str
    confidential: bool  # organisations are never confidential
    entity_id: str | None


@dataclass(frozen=True, slots=True)
class EntityLinkView:
    """One decision about a mention and a candidate entity."""

    id: str
    mention_table: str
    mention_id: str
    entity_id: str
    score: float
    reasons: tuple[str, ...]
    decision: str  # auto | suggested | confirmed | rejected
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class CaseView:
    id: str
    ref: str
    country: str  # ISO 3166-1 alpha-3
    number: int
    opened: str  # YYYY-MM
    title: str | None
    status: str
    situation: str
    confidential: bool
    merged_into: str | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A line of the case list."""

    id: str
    ref: str
    status: str
    situation: str
    confidential: bool
    entity_names: tuple[str, ...]
    incidents: int  # not counting suggested or rejected follow-ups
    last_date: str | None  # the newest incident date


@dataclass(frozen=True, slots=True)
class TimelineAct:
    id: str
    act_type: str
    date: str | None
    victim: str | None
    review_status: str


@dataclass(frozen=True, slots=True)
class CaseIncidentView:
    """One incident of a case, with its acts, for the timeline and the lineage."""

    incident_id: str
    followup: int
    decision: str
    score: float | None
    reasons: tuple[str, ...]
    date: str | None
    end_date: str | None
    city: str | None
    country: str | None
    status: str
    confidential: bool
    same_as_id: str | None
    source_id: str
    source_title: str | None
    acts: tuple[TimelineAct, ...]


@dataclass(frozen=True, slots=True)
class ChainLinkView:
    id: str
    from_incident_id: str
    to_incident_id: str
    relation: str  # follow_up_of | caused_by | same_as
    created_at: datetime
    created_by: str | None


@dataclass(frozen=True, slots=True)
class ColumnChange:
    """One value a merge changed: ``table`` row ``id`` (a dict of key columns for tables keyed by
    several, such as ``case_incidents``), ``column`` from ``before`` to ``after``."""

    table: str
    id: str | dict[str, str]
    column: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class MergeView:
    id: str
    kind: str  # entity | incident | case
    survivor_id: str
    absorbed_id: str
    changes: tuple[ColumnChange, ...]
    created_at: datetime
    created_by: str | None
    undone_at: datetime | None
    undone_by: str | None
