"""Case files: the Observatory's case reference, a case's status and the defender's situation.

A case groups the incidents that concern the same defender(s) over time; its reference
(``KAZ 001 / 1125``) is given once and never reused. Incidents are tied by the chain of events
of the HURIDOCS Events Standard Formats ("follow-up of", "caused by", "same as"), which must never
go round in a circle.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import pycountry

#: the country code of a case whose country is not known
UNKNOWN_COUNTRY = "XXX"

_SHAPE = re.compile(r"^\s*([A-Za-z]{3})\s*(\d+)\s*/\s*(\d+)\s*(?:\.\s*(\d+)\s*)?$")
_FIRST_YEAR, _LAST_YEAR = 2000, 2099


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Situation(StrEnum):
    """Where the defender stands now, as the last step of the proceedings left them."""

    UNKNOWN = "unknown"
    AT_LARGE = "at_large"
    UNDER_INVESTIGATION = "under_investigation"  # charged or summoned, not held
    DETAINED = "detained"
    HOUSE_ARREST = "house_arrest"
    SENTENCED = "sentenced"  # convicted and serving a prison term
    RELEASED = "released"
    ACQUITTED = "acquitted"
    IN_EXILE = "in_exile"
    DISAPPEARED = "disappeared"
    KILLED = "killed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def severity(self) -> int:
        """How grave the defender's situation is, 0 (free of the proceedings) to 6, to sort cases."""
        return _SEVERITY[self]

    @property
    def needs_action(self) -> bool:
        """Whether an appeal is still called for: the defender is held, missing or prosecuted, or was
        killed (an appeal then asks for an independent investigation)."""
        return self in _NEEDS_ACTION

    @property
    def final(self) -> bool:
        """No later step changes a final situation."""
        return self is Situation.KILLED


_SEVERITY = {
    Situation.RELEASED: 0,
    Situation.ACQUITTED: 0,
    Situation.UNKNOWN: 1,
    Situation.AT_LARGE: 1,
    Situation.IN_EXILE: 2,
    Situation.UNDER_INVESTIGATION: 2,
    Situation.HOUSE_ARREST: 3,
    Situation.DETAINED: 4,
    Situation.SENTENCED: 4,
    Situation.DISAPPEARED: 5,
    Situation.KILLED: 6,
}
_NEEDS_ACTION = frozenset(
    {
        Situation.UNDER_INVESTIGATION,
        Situation.DETAINED,
        Situation.HOUSE_ARREST,
        Situation.SENTENCED,
        Situation.DISAPPEARED,
        Situation.KILLED,
    }
)


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 code (upper case) or ``XXX`` for unknown."""
    if code == UNKNOWN_COUNTRY:
        return True
    return len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code) is not None


def alpha3(code: str | None) -> str:
    """The alpha-3 code of an alpha-2 or alpha-3 country code (any case); ``XXX`` when unknown.
    Incidents and entities store alpha-2, case references use alpha-3."""
    text = (code or "").strip().upper()
    found = None
    if len(text) == 2:
        found = pycountry.countries.get(alpha_2=text)
    elif len(text) == 3:
        found = pycountry.countries.get(alpha_3=text)
    return str(found.alpha_3) if found is not None else UNKNOWN_COUNTRY


@dataclass(frozen=True, slots=True, order=True)
class CaseRef:
    """``KAZ 001 / 1125``: country (alpha-3), running number in that country, month and year the
    case was opened; ``KAZ 001 / 1125.2`` is its second follow-up (``followup_number`` 0 is the
    case itself).
    Ordered by country, number, then follow-up."""

    country: str
    number: int
    year: int
    month: int
    followup_number: int = 0

    def __post_init__(self) -> None:
        if not is_country(self.country):
            raise ValueError(f"not an ISO 3166-1 alpha-3 country code: {self.country!r}")
        if self.number < 1:
            raise ValueError(f"case number must be 1 or more: {self.number}")
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if not _FIRST_YEAR <= self.year <= _LAST_YEAR:
            raise ValueError(f"year out of range {_FIRST_YEAR}-{_LAST_YEAR}: {self.year}")
        if self.followup_number < 0:
            raise ValueError(f"follow-up must be 0 or more: {self.followup_number}")

    @classmethod
    def opened_on(cls, country: str, number: int, opened: str) -> CaseRef:
        """The reference of a case opened in ``opened`` (``YYYY-MM`` or a longer ISO date)."""
        year, month = opened.split("-")[:2]
        return cls(country, number, int(year), int(month))

    @classmethod
    def parse(cls, text: str) -> CaseRef:
        """Read a reference, tolerant of spacing and case, strict on its shape."""
        m = _SHAPE.match(text)
        if not m:
            raise ValueError(f"case reference {text!r}: {_shape_problem(text)}")
        country, number, opened, followup = m.groups()
        problem = _part_problem(number, opened, followup)
        if problem:
            raise ValueError(f"case reference {text!r}: {problem}")
        year, month = 2000 + int(opened[2:]), int(opened[:2])
        try:
            return cls(country.upper(), int(number), year, month, int(followup or 0))
        except ValueError as e:
            raise ValueError(f"case reference {text!r}: {e}") from e

    @property
    def opened(self) -> str:
        """``YYYY-MM``, as the ``cases.opened`` column keeps it."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def case(self) -> CaseRef:
        """The reference of the case itself, without a follow-up."""
        return replace(self, followup_number=0)

    def followup(self, n: int) -> CaseRef:
        """The reference of the ``n``-th follow-up (1, 2, ...) of this case."""
        if n < 1:
            raise ValueError(f"follow-ups are numbered from 1: {n}")
        return replace(self, followup_number=n)

    def __str__(self) -> str:
        text = f"{self.country} {self.number:03d} / {self.month:02d}{self.year % 100:02d}"
        return f"{text}.{self.followup_number}" if self.followup_number else text


def _shape_problem(text: str) -> str:
    if "/" not in text:
        return "expected 'CCC NNN / MMYY' (e.g. KAZ 001 / 1125): no '/' between the number and the date"
    left, _, right = text.partition("/")
    if not re.fullmatch(r"\s*[A-Za-z]{3}\s*\d+\s*", left):
        return "expected a three-letter country code and a number before '/' (e.g. KAZ 001)"
    return "expected the month and year as four digits after '/' (MMYY), then an optional '.N' follow-up"


def _part_problem(number: str, opened: str, followup: str | None) -> str | None:
    if len(number) < 3 or (len(number) > 3 and number.startswith("0")):
        return f"the number must have three digits, more only above 999 without leading zeros: {number!r}"
    if len(opened) != 4:
        return f"expected the month and year as four digits (MMYY): {opened!r}"
    if followup is not None and followup.startswith("0"):
        return f"follow-ups are numbered 1, 2, ... without leading zeros: {followup!r}"
    return None


class ChainRelation(StrEnum):
    """How one incident stands to another (HURIDOCS chain of events), read ``from`` -> ``to``."""

    FOLLOW_UP_OF = "follow_up_of"  # ``from`` happened in the course of ``to``, after it
    CAUSED_BY = "caused_by"  # ``from`` happened because of ``to``, after it
    SAME_AS = "same_as"  # one real event told twice: no direction

    @property
    def symmetric(self) -> bool:
        return self is ChainRelation.SAME_AS


@dataclass(frozen=True, slots=True)
class ChainLink:
    from_incident: str
    to_incident: str
    relation: ChainRelation


def would_cycle(links: Iterable[ChainLink], new_link: ChainLink) -> bool:
    """Whether adding ``new_link`` makes the chain of events go round in a circle.

    "Follow-up of" and "caused by" both point from the later incident to the earlier one, so
    together they must stay acyclic. Incidents that are "the same as" each other are one event:
    a directed link inside such a group, or a "same as" between two incidents already joined by a
    directed path, is circular. "Same as" links alone never are (A same as B and B same as A is
    no circle). A link from an incident to itself is refused whatever its relation."""
    if new_link.from_incident == new_link.to_incident:
        return True
    existing = list(links)
    groups = _same_as_groups([*existing, new_link])
    edges = _directed_edges([*existing, new_link], groups)
    return _has_cycle(edges)


def _same_as_groups(links: Sequence[ChainLink]) -> dict[str, str]:
    """Each incident joined by "same as" links -> one representative of its group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for link in links:
        if link.relation.symmetric:
            parent[find(link.from_incident)] = find(link.to_incident)
    return {x: find(x) for x in parent}


def _directed_edges(links: Sequence[ChainLink], groups: dict[str, str]) -> set[tuple[str, str]]:
    return {
        (groups.get(link.from_incident, link.from_incident), groups.get(link.to_incident, link.to_incident))
        for link in links
        if not link.relation.symmetric
    }


def _has_cycle(edges: set[tuple[str, str]]) -> bool:
    """Kahn's algorithm: a graph is acyclic when every node can be peeled off with no edge left."""
    incoming: dict[str, int] = defaultdict(int)
    outgoing: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        outgoing[a].append(b)
        incoming[b] += 1
        incoming.setdefault(a, 0)
    ready = [node for node, n in incoming.items() if n == 0]
    peeled = 0
    while ready:
        node = ready.pop()
        peeled += 1
        for nxt in outgoing[node]:
            incoming[nxt] -= 1
            if incoming[nxt] == 0:
                ready.append(nxt)
    return peeled < len(incoming)
