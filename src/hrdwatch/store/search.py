"""Incident search with filters, sorting and pages, and the facets for its drop-downs.

``include_confidential=False`` gives what a viewer may know: no confidential incident, no
confidential person's name (neither shown nor matched), no match on the report text, and each
field an incident lists in ``confidential_fields`` treated as empty (for filters, sorting and the
summaries alike). Rejected acts, victims and perpetrators never count.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from hrdwatch.domain.queries import IncidentQuery, IncidentSort
from hrdwatch.domain.review import IncidentStatus, ReviewStatus
from hrdwatch.store import fulltext
from hrdwatch.store import tables as t
from hrdwatch.store.browse_views import Facets
from hrdwatch.store.views import IncidentSummary

WITHHELD = "[withheld]"
REJECTED = ReviewStatus.REJECTED.value


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards and the escape character escaped (use ``escape="\\\\"``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def hidden(field: str) -> ColumnElement[bool]:
    """Whether the incident lists ``field`` in its ``confidential_fields`` (SQLite and PostgreSQL)."""
    marks = func.coalesce(cast(t.Incident.confidential_fields, String), "")
    return marks.like(f'%"{field}"%')


def visible(field: str, include_confidential: bool) -> ColumnElement[Any]:
    """The incident column ``field``, or NULL where it is confidential and that is not included."""
    column: ColumnElement[Any] = getattr(t.Incident, field)
    return column if include_confidential else case((hidden(field), null()), else_=column)


def _live_acts() -> Any:
    return select(t.Act.id).where(t.Act.incident_id == t.Incident.id, t.Act.review_status != REJECTED)


def as_seen(column: Any, withheld: tuple[str, ...]) -> ColumnElement[str]:
    """``column`` in lower case with each of ``withheld`` (lower-cased) replaced by ``[withheld]``:
    the text as a viewer reads it, so that a search cannot match what they may not see."""
    seen: ColumnElement[str] = func.lower(column)
    for name in withheld:
        seen = func.replace(seen, name.lower(), WITHHELD)
    return seen


def _q_matches(
    q: str, include_confidential: bool, dialect: Dialect, withheld: tuple[str, ...] = ()
) -> ColumnElement[bool]:
    """Incidents whose report, victims or victims' organisations match ``q``.

    For a viewer (``include_confidential=False``) every text is matched as they read it: the
    ``withheld`` names (confidential people's names that overlap ``q``) taken out first, so no
    report title, fellow victim or organisation matches through a name they are not shown.

    Everything matches as a substring, in any case. The report text (searched only for those who
    may read it) is first narrowed through the full-text index (:mod:`hrdwatch.store.fulltext`),
    so a match there must also start at a word.

    Each kind of match is one uncorrelated query over its own table, joined in a UNION that the
    database evaluates once (not an EXISTS per incident row), so searching stays fast on a large
    database.
    """
    pattern = like_pattern(q.strip())

    def like(column: Any) -> ColumnElement[bool]:
        if not include_confidential:
            return as_seen(column, withheld).like(pattern.lower(), escape="\\")
        matched: ColumnElement[bool] = column.ilike(pattern, escape="\\")
        return matched

    people = t.Person.review_status != REJECTED
    if not include_confidential:
        people = and_(people, t.Person.confidential == false())
    live = t.Act.review_status != REJECTED
    report = like(t.Source.title)
    in_text = fulltext.matching_sources(q, dialect) if include_confidential else None
    if in_text is not None:  # the index finds the few candidates; LIKE keeps the exact substring
        report = or_(report, and_(t.Source.id.in_(in_text.scalar_subquery()), like(t.Source.text)))
    # each side starts from the few rows whose text matches, then follows indexed keys
    named = select(t.Person.id).where(people, like(t.Person.name))
    orgs = select(t.Organisation.id).where(like(t.Organisation.name))
    shown = select(t.Person.id).where(people)
    members = select(t.Affiliation.person_id).where(
        t.Affiliation.organisation_id.in_(orgs), t.Affiliation.person_id.in_(shown)
    )
    matching = union(
        select(t.Incident.id).where(t.Incident.source_id.in_(select(t.Source.id).where(report))),
        select(t.Act.incident_id).where(live, t.Act.victim_person_id.in_(named)),
        select(t.Act.incident_id).where(live, t.Act.victim_organisation_id.in_(orgs)),
        select(t.Act.incident_id).where(live, t.Act.victim_person_id.in_(members)),
    )
    return or_(like(visible("city", include_confidential)), t.Incident.id.in_(matching.scalar_subquery()))


def _conditions(
    query: IncidentQuery, dialect: Dialect, include_confidential: bool, withheld: tuple[str, ...] = ()
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    date = visible("date", include_confidential)
    if not include_confidential:
        conds.append(t.Incident.confidential == false())
    if query.verified_only:
        conds.append(t.Incident.status == IncidentStatus.VERIFIED.value)
    if query.status:
        conds.append(t.Incident.status == query.status)
    if query.country:
        conds.append(visible("country", include_confidential) == query.country.strip().upper())
    if query.act_type:
        conds.append(exists(_live_acts().where(t.Act.act_type == query.act_type)))
    if query.perpetrator_kind:
        involved = (
            _live_acts()
            .join(t.Involvement, t.Involvement.act_id == t.Act.id)
            .join(t.Perpetrator, t.Perpetrator.id == t.Involvement.perpetrator_id)
            .where(t.Perpetrator.kind == query.perpetrator_kind, t.Perpetrator.review_status != REJECTED)
        )
        conds.append(exists(involved))
    if query.date_from:  # a date known only to its year or month counts when it overlaps the range
        conds.append(date >= func.substr(literal(query.date_from, String), 1, func.length(date)))
    if query.date_to:
        conds.append(func.substr(date, 1, len(query.date_to)) <= query.date_to)
    if query.q and query.q.strip():
        conds.append(_q_matches(query.q, include_confidential, dialect, withheld))
    return conds


def _order(query: IncidentQuery, include_confidential: bool) -> list[Any]:
    def way(column: Any) -> Any:
        return column.desc() if query.descending else column.asc()

    created = t.Incident.created_at.desc() if query.descending else t.Incident.created_at
    if query.sort == IncidentSort.PLACE:  # the country, then the city in it: each unknown one last
        country, city = (visible(name, include_confidential) for name in ("country", "city"))
        return [country.is_(None), way(country), city.is_(None), way(city), created, t.Incident.id]
    key = {
        IncidentSort.DATE: visible("date", include_confidential),
        IncidentSort.COUNTRY: visible("country", include_confidential),
        IncidentSort.STATUS: t.Incident.status,
        IncidentSort.CREATED: t.Incident.created_at,
    }[IncidentSort(query.sort)]
    return [key.is_(None), way(key), created, t.Incident.id]


def search_incidents(
    session: Session,
    query: IncidentQuery,
    *,
    include_confidential: bool = True,
    withheld: tuple[str, ...] = (),
) -> tuple[list[IncidentSummary], int]:
    """One page of the incidents matching ``query`` (undated or unknown values last) and how many
    match in all.

    ``withheld``: the confidential names a viewer's ``q`` must not match through (see
    :func:`_q_matches`)."""
    conds = _conditions(query, session.get_bind().dialect, include_confidential, withheld)
    base = select(t.Incident.id).join(t.Source, t.Source.id == t.Incident.source_id).where(*conds)
    total = int(session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    columns = [visible(name, include_confidential) for name in ("date", "country", "city")]
    stmt = (
        select(t.Incident.id, *columns, t.Source.name, t.Source.title, t.Incident.status)
        .join(t.Source, t.Source.id == t.Incident.source_id)
        .where(*conds)
        .order_by(*_order(query, include_confidential))
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    )
    rows = session.execute(stmt).all()
    acts = _acts_of(session, [r[0] for r in rows], include_confidential)
    items = [
        IncidentSummary(
            id=i,
            date=date,
            country=country,
            city=city,
            victims=tuple(dict.fromkeys(v for _, v in acts[i] if v)),
            acts=tuple(dict.fromkeys(code for code, _ in acts[i])),
            source_name=name,
            source_title=title,
            status=status,
        )
        for i, date, country, city, name, title, status in rows
    ]
    return items, total


def _acts_of(
    session: Session, incident_ids: list[str], include_confidential: bool
) -> dict[str, list[tuple[str, str | None]]]:
    """Per incident, (act type, victim name or None) of its acts, rejected ones and hidden names left out."""
    person_ok = and_(t.Person.id == t.Act.victim_person_id, t.Person.review_status != REJECTED)
    if not include_confidential:
        person_ok = and_(person_ok, t.Person.confidential == false())
    org_ok = and_(t.Organisation.id == t.Act.victim_organisation_id, t.Organisation.review_status != REJECTED)
    name = func.coalesce(t.Person.name, t.Organisation.name)
    stmt = (
        select(t.Act.incident_id, t.Act.act_type, name)
        .outerjoin(t.Person, person_ok)
        .outerjoin(t.Organisation, org_ok)
        .where(t.Act.incident_id.in_(incident_ids), t.Act.review_status != REJECTED)
        .order_by(name, t.Act.act_type, t.Act.id)
    )
    found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for incident_id, act_type, victim in session.execute(stmt):
        found[incident_id].append((act_type, victim))
    return found


def facets(session: Session, *, include_confidential: bool, verified_only: bool) -> Facets:
    """The countries, act types, perpetrator kinds and statuses of the incidents one may see."""
    conds: list[ColumnElement[bool]] = (
        [t.Incident.confidential == false()] if not include_confidential else []
    )
    if verified_only:
        conds.append(t.Incident.status == IncidentStatus.VERIFIED.value)
    seen = select(t.Incident.id).where(*conds)
    live = and_(t.Act.incident_id.in_(seen), t.Act.review_status != REJECTED)
    country = visible("country", include_confidential)
    kinds = (
        select(t.Perpetrator.kind)
        .join(t.Involvement, t.Involvement.perpetrator_id == t.Perpetrator.id)
        .join(t.Act, t.Act.id == t.Involvement.act_id)
        .where(live, t.Perpetrator.review_status != REJECTED)
    )
    return Facets(
        countries=_distinct(session, select(country).where(*conds, country.is_not(None))),
        act_types=_distinct(session, select(t.Act.act_type).where(live)),
        perpetrator_kinds=_distinct(session, kinds),
        statuses=_distinct(session, select(t.Incident.status).where(*conds)),
    )


def _distinct(session: Session, stmt: Any) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in session.scalars(stmt.distinct()) if v is not None}))
