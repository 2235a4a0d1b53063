"""Turn date candidates into values: missing years from context, relative dates from an anchor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hrdwatch.domain.dates import PartialDate, Precision
from hrdwatch.extract.date_scan import Candidate

#: a date this many days after publication is still plausible (time zones, embargoed releases)
GRACE_DAYS = 7


def resolve_year(
    month: int, day: int | None, *, context: PartialDate | None, published: PartialDate | None
) -> int | None:
    """The year of a date written without one: the context date's year (else the publication's),
    minus one when that would put the date more than a few days after publication."""
    base = context or published
    if base is None:
        return None
    year = base.year
    if published is not None and published.precision is Precision.DAY:
        try:
            candidate = date(year, month, day or 1)
        except ValueError:  # 29 February in a common year
            return year
        if candidate > published.as_date() + timedelta(days=GRACE_DAYS):
            return year - 1
    return year


def _date(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    if year is None:
        return None
    try:
        return PartialDate(year, month, day if month is not None else None)
    except ValueError:
        return None


@dataclass(slots=True)
class Resolution:
    value: PartialDate
    end_value: PartialDate | None = None


@dataclass(slots=True)
class Resolver:
    """Walks the candidates in text order, remembering the context each later one needs."""

    published: PartialDate | None
    year_context: PartialDate | None = None  # the last date written with its month and year
    day_context: PartialDate | None = None  # the last day-precision incident date
    fallback_year: PartialDate | None = None  # the first dated mention, for a no-year date before any

    def resolve(self, cand: Candidate) -> Resolution | None:
        if cand.rule == "relative":
            return self._relative(cand)
        if cand.rule == "range":
            return self._range(cand)
        if cand.year is None:
            return self._no_year(cand)
        value = _date(cand.year, cand.month, cand.day)
        return Resolution(value) if value else None

    def remember(self, cand: Candidate, found: Resolution, *, publication: bool) -> None:
        if (cand.year or cand.year2) and found.value.precision is not Precision.YEAR:
            self.year_context = found.value
        last = found.end_value or found.value
        if not publication and last.precision is Precision.DAY:
            self.day_context = last

    def _year(self, month: int, day: int | None) -> int | None:
        context = self.year_context or (None if self.published else self.fallback_year)
        return resolve_year(month, day, context=context, published=self.published)

    def _no_year(self, cand: Candidate) -> Resolution | None:
        if cand.month is None:
            return None
        value = _date(self._year(cand.month, cand.day), cand.month, cand.day)
        return Resolution(value) if value else None

    def _range(self, cand: Candidate) -> Resolution | None:
        month, month2 = cand.month or cand.month2, cand.month2 or cand.month
        if month is None or month2 is None:  # 2015-2018
            start, end = _date(cand.year, None, None), _date(cand.year2, None, None)
        else:
            year2 = cand.year2 or cand.year or self._year(month2, cand.day2)
            year = cand.year or year2
            start, end = _date(year, month, cand.day), _date(year2, month2, cand.day2)
            if start and end and start > end and cand.year is None:
                start = _date(start.year - 1, month, cand.day)  # 30 December to 2 January 2024
            elif start and end and start > end and cand.year2 is None:
                end = _date(end.year + 1, month2, cand.day2)
        if start is None or end is None or start >= end:
            return None
        return Resolution(start, end)

    def _relative(self, cand: Candidate) -> Resolution | None:
        anchor = self.day_context if cand.anchor == "previous" else self.published
        if anchor is None or anchor.precision is not Precision.DAY:
            return None
        day = anchor.as_date()
        if cand.weekday is not None:
            day -= timedelta(days=(day.weekday() - cand.weekday) % 7)
        return Resolution(PartialDate.from_date(day + timedelta(days=cand.offset)))
