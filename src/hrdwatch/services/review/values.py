"""Checking what a reviewer sends: a fact's address (E511 for a table that holds no facts), and
each edited or added value, cleaned here or refused with E512 (no such editable field) or E513
(an invalid value)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pycountry

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.facts import EDITABLE, FactRef, FactTable
from hrdwatch.domain.taxonomy import act_codes, perpetrator_kinds
from hrdwatch.errors import Errors, ReviewError

MAX_TEXT = 2000
SANCTION_TYPES = ("fine", "prison", "other")
#: (table, field) that may not be emptied
REQUIRED = frozenset(
    {
        (FactTable.PEOPLE, "name"),
        (FactTable.ORGANISATIONS, "name"),
        (FactTable.DEMANDS, "text"),
        (FactTable.ACTS, "act_type"),
        (FactTable.PERPETRATORS, "kind"),
        (FactTable.SANCTIONS, "type"),
    }
)
#: kind of fact a reviewer may add -> the values it takes
ADDABLE: dict[str, tuple[str, ...]] = {
    "person": ("name", "description", "act_type"),
    "organisation": ("name", "act_type"),
    "perpetrator": ("name", "kind", "description"),
    "act": ("act_type", "person_id"),
    "charge": EDITABLE[FactTable.CHARGES],
    "sanction": EDITABLE[FactTable.SANCTIONS],
    "demand": EDITABLE[FactTable.DEMANDS],
    "date": ("date", "end_date"),
    "place": ("city", "country", "site", "detention_place"),
}
#: values an addition cannot do without (the others default to the selected text or to nothing)
ADD_REQUIRED = {"perpetrator": ("kind",), "act": ("act_type",), "sanction": ("type",), "date": ("date",)}


def fact_ref(table: str, fact_id: str) -> FactRef:
    """The address of fact (``table``, ``fact_id``); E511 if ``table`` holds no facts."""
    try:
        return FactRef(FactTable(table), fact_id)
    except ValueError as e:
        raise ReviewError(Errors.E511, kind=table, ident=fact_id) from e


def _bad(field: str, reason: str) -> ReviewError:
    return ReviewError(Errors.E513, field=field, reason=reason)


def _date(field: str, text: str) -> str:
    try:
        return PartialDate.from_iso(text).iso
    except ValueError as e:
        raise _bad(field, "give a date as YYYY, YYYY-MM or YYYY-MM-DD") from e


def _country(field: str, text: str) -> str:
    code = text.upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise _bad(field, f"{text!r} is not a two-letter ISO 3166 country code")
    return code


def _currency(field: str, text: str) -> str:
    code = text.upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise _bad(field, f"{text!r} is not a three-letter ISO 4217 currency code")
    return code


def _number(field: str, text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError as e:
        raise _bad(field, f"{text!r} is not a number") from e
    if not math.isfinite(value) or value < 0:
        raise _bad(field, "give a number of zero or more")
    return value


def _one_of(choices: Callable[[], tuple[str, ...]]) -> Callable[[str, str], str]:
    def check(field: str, text: str) -> str:
        if text not in choices():
            raise _bad(field, f"{text!r} is not one of {', '.join(choices())}")
        return text

    return check


def _short(limit: int) -> Callable[[str, str], str]:
    def check(field: str, text: str) -> str:
        if len(text) > limit:
            raise _bad(field, f"at most {limit} characters")
        return text

    return check


CHECKS: dict[str, Callable[[str, str], object]] = {
    "date": _date,
    "end_date": _date,
    "country": _country,
    "currency": _currency,
    "amount": _number,
    "months": _number,
    "act_type": _one_of(act_codes),
    "kind": _one_of(perpetrator_kinds),
    "type": _one_of(lambda: SANCTION_TYPES),
    "article": _short(50),
}


def clean_value(table: str, field: str, value: str | None) -> object:
    """One value, stripped and checked; None when empty (E513 if the field may not be empty)."""
    text = value.strip() if isinstance(value, str) else None
    if not text:
        if (table, field) in REQUIRED:
            raise _bad(field, "may not be empty")
        return None
    if len(text) > MAX_TEXT:
        raise _bad(field, f"at most {MAX_TEXT} characters")
    check = CHECKS.get(field)
    return check(field, text) if check else text


def clean_changes(table: str, changes: Mapping[str, str | None]) -> dict[str, object]:
    """The edits of one fact, checked against :data:`EDITABLE` (E512) and for their values (E513)."""
    try:
        editable = EDITABLE[FactTable(table)]
    except ValueError:
        editable = ()
    for field in changes:
        if field not in editable:
            raise ReviewError(Errors.E512, table=table, field=field, editable=", ".join(editable) or "none")
    if not changes:
        raise _bad("changes", "nothing to change")
    return {field: clean_value(table, field, value) for field, value in changes.items()}


def clean_addition(kind: str, values: Mapping[str, str | None]) -> dict[str, object]:
    """The values of a fact to add, checked; only the non-empty ones are returned."""
    if kind not in ADDABLE:
        raise _bad("kind", f"{kind!r} is not one of {', '.join(ADDABLE)}")
    allowed = ADDABLE[kind]
    for field in values:
        if field not in allowed:
            raise ReviewError(Errors.E512, table=kind, field=field, editable=", ".join(allowed))
    cleaned = {field: clean_value(kind, field, value) for field, value in values.items()}
    for field in ADD_REQUIRED.get(kind, ()):
        if cleaned.get(field) is None:
            raise _bad(field, f"needed to add a {kind}")
    return {field: value for field, value in cleaned.items() if value is not None}
