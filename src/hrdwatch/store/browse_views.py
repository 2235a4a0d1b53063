"""What the browsing side returns besides incidents: people and organisation pages, filter facets.

Plain frozen dataclasses. Pages carry the confidentiality marks (``confidential``, ``hidden``,
``via_people``) so the service can redact them for viewers in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Facets:
    """The values present, for filter drop-downs."""

    countries: tuple[str, ...]
    act_types: tuple[str, ...]
    perpetrator_kinds: tuple[str, ...]
    statuses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: str
    name: str
    source_id: str
    source_title: str | None
    review_status: str
    confidential: bool


@dataclass(frozen=True, slots=True)
class OrganisationRef:
    id: str
    name: str
    source_id: str
    source_title: str | None
    review_status: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One incident in the life of a person or organisation."""

    date: str | None
    incident_id: str
    acts: tuple[str, ...]
    country: str | None
    city: str | None
    source_title: str | None
    status: str
    confidential: bool
    hidden: tuple[str, ...] = ()  # the incident's confidential fields
    via_people: tuple[str, ...] = ()  # the people (ids) through whom the incident was found
    via_organisations: tuple[str, ...] = ()  # the organisations (ids) found as victims themselves


@dataclass(frozen=True, slots=True)
class PersonPage:
    """A person as one report names them, the same defender in other reports, and a timeline."""

    id: str
    name: str
    aliases: tuple[str, ...]
    description: str | None
    review_status: str
    confidential: bool
    source_id: str
    source_title: str | None
    affiliations: tuple[OrganisationRef, ...]
    same: tuple[PersonRef, ...]  # other people rows whose names normalise to the same key
    timeline: tuple[TimelineEntry, ...]  # ordered by date, undated last


@dataclass(frozen=True, slots=True)
class OrganisationPage:
    id: str
    name: str
    review_status: str
    source_id: str
    source_title: str | None
    same: tuple[OrganisationRef, ...]
    members: tuple[PersonRef, ...]  # people affiliated with it (in any report)
    timeline: tuple[TimelineEntry, ...]
