"""The incident search as one value: filters, order and page, checked once, when it is made.

Interfaces build an :class:`IncidentQuery` from what the user asked, the browse service narrows it
to what the user may see, and the store reads it into SQL; none of them lists the filters again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.review import IncidentStatus

MAX_PER_PAGE = 100
_E = TypeVar("_E", bound=StrEnum)


class IncidentSort(StrEnum):
    DATE = "date"
    PLACE = "place"  # the country, then the city in it
    COUNTRY = "country"
    STATUS = "status"
    CREATED = "created"


class InvalidQuery(ValueError):
    """A filter the search cannot read; ``field`` and ``reason`` fill the E513 message."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid value for {field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Search filters. Dates are ISO (YYYY, YYYY-MM or YYYY-MM-DD), kept in that form; ``sort`` is
    an :class:`IncidentSort` and ``status`` an :class:`IncidentStatus` (their members once made);
    ``page`` is at least 1 and ``per_page`` between 1 and :data:`MAX_PER_PAGE`, as clamped.
    A bad sort, status or date raises :class:`InvalidQuery`."""

    q: str | None = None
    country: str | None = None
    act_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None
    perpetrator_kind: str | None = None
    verified_only: bool = False
    sort: str = IncidentSort.DATE
    descending: bool = True
    page: int = 1
    per_page: int = 25

    def __post_init__(self) -> None:
        checked = {
            "sort": _member(IncidentSort, "sort", self.sort),
            "status": _member(IncidentStatus, "status", self.status) if self.status else None,
            "date_from": _iso("date_from", self.date_from),
            "date_to": _iso("date_to", self.date_to),
            "page": max(1, self.page),
            "per_page": max(1, min(self.per_page, MAX_PER_PAGE)),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)  # frozen: set once, here


def _member(enum: type[_E], field: str, value: str) -> _E:
    try:
        return enum(value)
    except ValueError as e:
        raise InvalidQuery(field, f"give one of {', '.join(enum)}") from e


def _iso(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return PartialDate.from_iso(value).iso
    except ValueError as e:
        raise InvalidQuery(field, "give a date as YYYY, YYYY-MM or YYYY-MM-DD") from e
