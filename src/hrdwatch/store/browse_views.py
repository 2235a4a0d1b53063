"""The rows the browsing side reads besides incidents: filter facets, people and organisations
named in reports, and timeline entries (the pages made of them: :mod:`hrdwatch.services.people`).

Plain frozen dataclasses. They carry the confidentiality marks (``confidential``, ``hidden``,
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
