"""What review returns: the queue (:class:`QueueItem`, as the store reads it), the review page of
one report, and the result of a change.

Plain frozen dataclasses, never ORM objects. ``FactItem.values`` is a dict, so fact items are
compared by value but cannot be hashed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hrdwatch.store.review_queue import QueueItem as QueueItem  # the queue, as the store reads it

#: the order of the groups on the review page
GROUPS = ("victims", "perpetrators", "acts", "dates", "places", "charges", "sanctions", "demands")


@dataclass(frozen=True, slots=True)
class FactItem:
    """One fact as a reviewer sees it. The incident row appears twice: as ``dates`` and ``places``."""

    table: str
    id: str
    group: str
    label: str
    values: dict[str, object]
    review_status: str
    spans: tuple[tuple[int, int], ...]  # (start, end) into the source text
    editable: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactGroup:
    name: str  # one of GROUPS
    items: tuple[FactItem, ...]


@dataclass(frozen=True, slots=True)
class ReviewIncident:
    id: str
    status: str
    confidential: bool
    confidential_fields: tuple[str, ...]
    groups: tuple[FactGroup, ...]  # every name of GROUPS, in that order, empty groups included
    pending: int  # facts still ``extracted``


@dataclass(frozen=True, slots=True)
class ReviewSource:
    id: str
    name: str
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ReviewPage:
    source: ReviewSource
    incidents: tuple[ReviewIncident, ...]
    all_spans: tuple[tuple[int, int, str, str], ...]  # (start, end, table, id), sorted by start


@dataclass(frozen=True, slots=True)
class Decision:
    """A fact decided, edited, added or undone, and the audit event that records it."""

    event_id: int
    table: str
    fact_id: str
    review_status: str
    incident_ids: tuple[str, ...]  # the incidents the fact belongs to


@dataclass(frozen=True, slots=True)
class Verification:
    event_id: int
    incident_id: str
    status: str
    verified_at: datetime
    verified_by: str


@dataclass(frozen=True, slots=True)
class ConfidentialMark:
    event_id: int
    table: str  # incidents | people
    id: str
    confidential: bool
    fields: tuple[str, ...]  # incident fields hidden from viewers (always empty for people)
