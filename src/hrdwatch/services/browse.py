"""Read use cases: search incidents, one incident, people and organisation pages, filter facets.

Editors and admins see everything. A viewer (anyone not :func:`sees_confidential`) only ever
gets verified, non-confidential incidents; never a confidential person, a rejected fact, or a
field an incident lists in ``confidential_fields`` (those read as None). The redaction is done
below, in the ``_redact_*`` functions, after the store has read everything.
"""

from __future__ import annotations

import math
import re
import time
import weakref
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Generic, TypeVar, cast

from sqlalchemy.engine import Engine

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.review import IncidentStatus, ReviewStatus
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, ReviewError, StoreError
from hrdwatch.security.permissions import Action, sees_confidential
from hrdwatch.services.access import require
from hrdwatch.store import people as pages
from hrdwatch.store import queries, tables
from hrdwatch.store import search as finder
from hrdwatch.store.browse_views import (
    Facets,
    OrganisationPage,
    OrganisationRef,
    PersonPage,
    PersonRef,
    TimelineEntry,
)
from hrdwatch.store.marks import IncidentMarks, confidential_names, incident_marks
from hrdwatch.store.uow import UnitOfWork
from hrdwatch.store.views import ActView, EvidenceView, IncidentDetail, IncidentSummary

__all__ = [
    "Facets",
    "IncidentDetail",
    "IncidentQuery",
    "IncidentSummary",
    "OrganisationPage",
    "OrganisationRef",
    "Page",
    "PersonPage",
    "PersonRef",
    "TimelineEntry",
    "facets",
    "incident",
    "organisation",
    "person",
    "search",
]

T = TypeVar("T")
MAX_PER_PAGE = finder.MAX_PER_PAGE
REJECTED = ReviewStatus.REJECTED.value
VERIFIED = IncidentStatus.VERIFIED.value


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Search filters. Dates are ISO (YYYY, YYYY-MM or YYYY-MM-DD); ``sort``: date, country,
    status or created; ``per_page`` at most 100."""

    q: str | None = None
    country: str | None = None
    act_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None
    perpetrator_kind: str | None = None
    verified_only: bool = False
    sort: str = "date"
    descending: bool = True
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    total: int
    page: int
    per_page: int
    pages: int  # at least 1


def search(engine: Engine, user: Principal | None, query: IncidentQuery) -> Page[IncidentSummary]:
    """One page of incidents matching ``query`` (E513 for a bad sort or date)."""
    require(user, Action.RECORD_READ)
    full = sees_confidential(user)
    if query.sort not in finder.SORTS:
        raise ReviewError(Errors.E513, field="sort", reason=f"give one of {', '.join(finder.SORTS)}")
    date_from, date_to = _iso("date_from", query.date_from), _iso("date_to", query.date_to)
    page, per_page = max(1, query.page), max(1, min(query.per_page, MAX_PER_PAGE))
    with UnitOfWork(engine) as uow:
        items, total = finder.search_incidents(
            uow.session,
            q=query.q,
            country=query.country,
            act_type=query.act_type,
            date_from=date_from,
            date_to=date_to,
            status=query.status,
            perpetrator_kind=query.perpetrator_kind,
            verified_only=query.verified_only or not full,
            include_confidential=full,
            sort=query.sort,
            descending=query.descending,
            page=page,
            per_page=per_page,
        )
        found = Page(tuple(items), total, page, per_page, max(1, math.ceil(total / per_page)))
        return found if full else withhold(found, confidential_names(uow.session))


def _iso(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return PartialDate.from_iso(value).iso
    except ValueError as e:
        raise ReviewError(
            Errors.E513, field=field, reason="give a date as YYYY, YYYY-MM or YYYY-MM-DD"
        ) from e


def incident(engine: Engine, user: Principal | None, ident: str) -> IncidentDetail:
    """One incident by id or unique id prefix (E305 if none, or none the user may see).

    Viewers must give the whole id: a prefix error (E310, "matches 3 incidents") would tell them
    that hidden incidents exist.
    """
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine) as uow:
        if not sees_confidential(user) and uow.session.get(tables.Incident, ident.strip().lower()) is None:
            raise StoreError(Errors.E305, ident=ident)
        detail = queries.get_incident(uow.session, ident)
        if sees_confidential(user):
            return detail
        redacted = _redact_incident(detail, incident_marks(uow.session, detail.id))
        return withhold(redacted, confidential_names(uow.session))


def person(engine: Engine, user: Principal | None, person_id: str) -> PersonPage:
    """A person, the same person in other reports, and their incidents (E511 if none to show)."""
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine) as uow:
        page = pages.person_page(uow.session, person_id)
        if sees_confidential(user):
            return page
        return withhold(_redact_person(page), confidential_names(uow.session))


def organisation(engine: Engine, user: Principal | None, org_id: str) -> OrganisationPage:
    """An organisation, its members, and the incidents it or they suffered (E511 if none to show)."""
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine) as uow:
        page = pages.organisation_page(uow.session, org_id)
        if sees_confidential(user):
            return page
        return withhold(_redact_organisation(page), confidential_names(uow.session))


_FACETS: weakref.WeakKeyDictionary[Engine, dict[bool, tuple[float, Facets]]] = weakref.WeakKeyDictionary()


def facets(engine: Engine, user: Principal | None, *, max_age: float = 0.0) -> Facets:
    """The countries, act types, perpetrator kinds and statuses of the incidents the user may see.

    With ``max_age`` (seconds) an answer that recent for the same database and the same view
    (viewers' or editors') is reused: the filter drop-downs need not be exact to the second.
    """
    require(user, Action.RECORD_READ)
    full = sees_confidential(user)
    cached = _FACETS.setdefault(engine, {})
    known = cached.get(full)
    if known is not None and time.monotonic() - known[0] < max_age:
        return known[1]
    with UnitOfWork(engine) as uow:
        found = finder.facets(uow.session, include_confidential=full, verified_only=not full)
    cached[full] = (time.monotonic(), found)
    return found


# --- redaction for viewers ---------------------------------------------------------------------

WITHHELD = "[withheld]"
_V = TypeVar("_V")


def withhold(value: _V, names: tuple[str, ...]) -> _V:
    """``value`` with every confidential name in every string of it (dataclasses, tuples and dicts
    walked through) replaced by ``[withheld]``: titles and demands quote names too."""
    if not names:
        return value
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return cast(_V, _walk(value, pattern))


def _walk(value: object, pattern: re.Pattern[str]) -> object:
    if isinstance(value, str):
        return pattern.sub(WITHHELD, value)
    if isinstance(value, tuple):
        return tuple(_walk(v, pattern) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v, pattern) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), pattern) for f in fields(value)}
        return replace(value, **changes)
    return value


_TEXT_FIELDS = ("city", "site", "detention_place")


def _redact_incident(detail: IncidentDetail, marks: IncidentMarks) -> IncidentDetail:
    """What a viewer may see of ``detail``; E305 for an unverified or confidential incident."""
    if marks.status != VERIFIED or marks.confidential or detail.status != VERIFIED:
        raise StoreError(Errors.E305, ident=detail.id)
    gone = {p.id for p in detail.people if p.id in marks.confidential_people or p.review_status == REJECTED}
    gone_names = [n for p in detail.people if p.id in gone for n in (p.name, *p.aliases) if len(n) > 2]
    perpetrators = tuple(p for p in detail.perpetrators if p.review_status != REJECTED)
    labels = {p.label for p in perpetrators}
    acts = tuple(_redact_act(a, gone, labels) for a in detail.acts if a.review_status != REJECTED)
    kept = replace(
        detail,
        acts=acts,
        people=tuple(p for p in detail.people if p.id not in gone),
        organisations=tuple(o for o in detail.organisations if o.review_status != REJECTED),
        perpetrators=perpetrators,
        charges=tuple(c for c in detail.charges if c.review_status != REJECTED),
        sanctions=tuple(s for s in detail.sanctions if s.review_status != REJECTED),
        demands=tuple(d for d in detail.demands if d.review_status != REJECTED),
    )
    hidden = set(marks.hidden)
    words = gone_names + [str(getattr(detail, f)) for f in _TEXT_FIELDS if f in hidden and getattr(detail, f)]
    evidence = tuple(e for e in detail.evidence if _shown(e, kept, hidden, words))
    return replace(
        kept,
        evidence=evidence,
        date=_unless(hidden, "date", detail.date),
        date_precision=_unless(hidden, "date", detail.date_precision),
        end_date=_unless(hidden, "end_date", detail.end_date),
        city=_unless(hidden, "city", detail.city),
        country=_unless(hidden, "country", detail.country),
        site=_unless(hidden, "site", detail.site),
        detention_place=_unless(hidden, "detention_place", detail.detention_place),
    )


def _unless(hidden: set[str] | tuple[str, ...], field: str, value: str | None) -> str | None:
    return None if field in hidden else value


def _redact_act(act: ActView, gone: set[str], labels: set[str]) -> ActView:
    perpetrators = tuple(p for p in act.perpetrators if p in labels)
    if act.victim_id in gone:
        return replace(act, victim=None, victim_kind=None, victim_id=None, perpetrators=perpetrators)
    return replace(act, perpetrators=perpetrators)


def _shown(ev: EvidenceView, kept: IncidentDetail, hidden: set[str], words: list[str]) -> bool:
    """Whether a piece of evidence supports a fact still shown and names nothing hidden."""
    rows: dict[str, set[str]] = {
        "sources": {kept.source.id},
        "incidents": {kept.id},
        "acts": {a.id for a in kept.acts},
        "people": {p.id for p in kept.people},
        "organisations": {o.id for o in kept.organisations},
        "perpetrators": {p.id for p in kept.perpetrators},
        "charges": {c.id for c in kept.charges},
        "sanctions": {s.id for s in kept.sanctions},
        "demands": {d.id for d in kept.demands},
    }
    if ev.fact_id not in rows.get(ev.fact_table, set()) or ev.field in hidden:
        return False
    if ev.fact_table == "incidents" and ev.field.startswith("act:"):
        if ev.field[4:] not in {a.act_type for a in kept.acts}:
            return False
    text = f"{ev.quote}\n{ev.sentence}".casefold()
    return not any(word.casefold() in text for word in words)


def _redact_entry(entry: TimelineEntry) -> TimelineEntry:
    hidden = entry.hidden
    return replace(
        entry,
        date=_unless(hidden, "date", entry.date),
        country=_unless(hidden, "country", entry.country),
        city=_unless(hidden, "city", entry.city),
    )


def _redact_timeline(
    timeline: tuple[TimelineEntry, ...], people: set[str], orgs: set[str]
) -> tuple[TimelineEntry, ...]:
    """The verified, non-confidential entries reached through a person or an organisation a viewer
    may see, their hidden fields emptied and their links narrowed to those."""
    return tuple(
        replace(
            _redact_entry(e),
            via_people=tuple(i for i in e.via_people if i in people),
            via_organisations=tuple(i for i in e.via_organisations if i in orgs),
        )
        for e in timeline
        if e.status == VERIFIED
        and not e.confidential
        and (people & set(e.via_people) or orgs & set(e.via_organisations))
    )


def _linked(timeline: tuple[TimelineEntry, ...]) -> set[str]:
    """The people and organisations a (redacted) timeline was reached through."""
    return {i for e in timeline for i in (*e.via_people, *e.via_organisations)}


def _redact_person(page: PersonPage) -> PersonPage:
    """A viewer sees a person found as a victim in a verified, non-confidential incident; the same
    defender's other rows only as far as they are, too."""
    if page.confidential or page.review_status == REJECTED:
        raise ReviewError(Errors.E511, kind="person", ident=page.id)
    same = [p for p in page.same if not p.confidential and p.review_status != REJECTED]
    timeline = _redact_timeline(page.timeline, {page.id, *(p.id for p in same)}, set())
    linked = _linked(timeline)
    if page.id not in linked:
        raise ReviewError(Errors.E511, kind="person", ident=page.id)
    affiliations = tuple(o for o in page.affiliations if o.review_status != REJECTED)
    return replace(
        page, same=tuple(p for p in same if p.id in linked), timeline=timeline, affiliations=affiliations
    )


def _redact_organisation(page: OrganisationPage) -> OrganisationPage:
    """A viewer sees an organisation with a verified, non-confidential incident done to it or to a
    member they may see; members and namesakes only as far as they link to one."""
    if page.review_status == REJECTED:
        raise ReviewError(Errors.E511, kind="organisation", ident=page.id)
    members = [p for p in page.members if not p.confidential and p.review_status != REJECTED]
    orgs = {page.id, *(o.id for o in page.same if o.review_status != REJECTED)}
    timeline = _redact_timeline(page.timeline, {p.id for p in members}, orgs)
    if not timeline:
        raise ReviewError(Errors.E511, kind="organisation", ident=page.id)
    linked = _linked(timeline)
    return replace(
        page,
        same=tuple(o for o in page.same if o.id in linked),
        members=tuple(p for p in members if p.id in linked),
        timeline=timeline,
    )
