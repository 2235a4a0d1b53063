"""Read-side queries the filing and case services need (issue 9): the context of person mentions
(victim countries, affiliations, people named beside them), the victim entities of incidents,
the acts and sanctions a lineage is built from, and the incidents no case holds yet.

Storage only: nothing here scores, links or decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrdwatch.store import tables as t
from hrdwatch.store.case_views import EntityLinkView, MentionView
from hrdwatch.store.entities import mention_links

REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What telling two incidents apart needs: when, where, what, to whom, from which report."""

    id: str
    source_id: str
    source_title: str | None  # its file name when it has no title
    date: str | None
    country: str | None
    act_types: frozenset[str]
    victims: frozenset[str]  # entity ids


@dataclass(frozen=True, slots=True)
class LineageRow:
    """An act or a sanction of an incident: its code, date and evidence."""

    incident_id: str
    kind: str  # act | sanction
    code: str  # act type or sanction type
    date: str | None
    evidence_ids: tuple[str, ...]


def victim_countries(session: Session, person_ids: Iterable[str]) -> dict[str, list[str]]:
    """Person mention id -> the countries of the incidents where it is a victim (acts not rejected)."""
    stmt = (
        select(t.Act.victim_person_id, t.Incident.country)
        .join(t.Incident, t.Incident.id == t.Act.incident_id)
        .where(t.Act.victim_person_id.in_(list(person_ids)), t.Act.review_status != REJECTED)
        .where(t.Incident.country.is_not(None))
        .order_by(t.Act.id)
    )
    found: dict[str, list[str]] = defaultdict(list)
    for person_id, country in session.execute(stmt):
        if person_id is not None and country is not None:
            found[person_id].append(country)
    return found


def affiliation_names(session: Session, person_ids: Iterable[str]) -> dict[str, list[str]]:
    """Person mention id -> the names of the organisations it is affiliated with (not rejected)."""
    stmt = (
        select(t.Affiliation.person_id, t.Organisation.name)
        .join(t.Organisation, t.Organisation.id == t.Affiliation.organisation_id)
        .where(t.Affiliation.person_id.in_(list(person_ids)), t.Affiliation.review_status != REJECTED)
    )
    found: dict[str, list[str]] = defaultdict(list)
    for person_id, name in session.execute(stmt):
        found[person_id].append(name)
    return found


def people_of_sources(session: Session, source_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Source id -> (person mention id, name) of every person it names that is not rejected."""
    stmt = (
        select(t.Person.source_id, t.Person.id, t.Person.name)
        .where(t.Person.source_id.in_(list(source_ids)), t.Person.review_status != REJECTED)
        .order_by(t.Person.id)
    )
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source_id, person_id, name in session.execute(stmt):
        found[source_id].append((person_id, name))
    return found


def incident_facts(session: Session, incident_ids: Iterable[str]) -> list[IncidentFacts]:
    """These incidents, each with its act types and victim entities (acts not rejected)."""
    ids = list(incident_ids)
    acts: dict[str, set[str]] = defaultdict(set)
    victims: dict[str, set[str]] = defaultdict(set)
    stmt = (
        select(t.Act.incident_id, t.Act.act_type, func.coalesce(t.Person.entity_id, t.Organisation.entity_id))
        .outerjoin(t.Person, t.Person.id == t.Act.victim_person_id)
        .outerjoin(t.Organisation, t.Organisation.id == t.Act.victim_organisation_id)
        .where(t.Act.incident_id.in_(ids), t.Act.review_status != REJECTED)
    )
    for incident_id, act_type, entity_id in session.execute(stmt):
        acts[incident_id].add(act_type)
        if entity_id is not None:
            victims[incident_id].add(entity_id)
    rows = session.execute(
        select(t.Incident, func.coalesce(t.Source.title, t.Source.name))
        .join(t.Source, t.Source.id == t.Incident.source_id)
        .where(t.Incident.id.in_(ids))
        .order_by(t.Incident.date.is_(None), t.Incident.date, t.Incident.created_at, t.Incident.id)
    )
    return [
        IncidentFacts(
            i.id, i.source_id, title, i.date, i.country, frozenset(acts[i.id]), frozenset(victims[i.id])
        )
        for i, title in rows
    ]


def source_incidents(session: Session, source_id: str) -> list[str]:
    """The incident ids of one report, by date (undated last), then as stored."""
    stmt = (
        select(t.Incident.id)
        .where(t.Incident.source_id == source_id)
        .order_by(t.Incident.date.is_(None), t.Incident.date, t.Incident.created_at, t.Incident.id)
    )
    return list(session.scalars(stmt))


def unfiled_incidents(session: Session) -> list[str]:
    """Incidents that no case holds, oldest report first."""
    filed = select(t.CaseIncident.incident_id)
    stmt = (
        select(t.Incident.id)
        .join(t.Source, t.Source.id == t.Incident.source_id)
        .where(t.Incident.id.not_in(filed))
        .order_by(t.Source.ingested_at, t.Incident.date.is_(None), t.Incident.date, t.Incident.id)
    )
    return list(session.scalars(stmt))


def lineage_rows(session: Session, incident_ids: Iterable[str]) -> list[LineageRow]:
    """The acts and sanctions (not rejected) of these incidents with their evidence ids (an act's
    own, and its incident's ``act:TYPE`` evidence); a sanction is dated by its incident."""
    ids = list(incident_ids)
    acts = session.execute(
        select(t.Act.id, t.Act.incident_id, t.Act.act_type, t.Act.date)
        .where(t.Act.incident_id.in_(ids), t.Act.review_status != REJECTED)
        .order_by(t.Act.id)
    ).all()
    sanctions = session.execute(
        select(t.Sanction.id, t.Sanction.incident_id, t.Sanction.type, t.Incident.date)
        .join(t.Incident, t.Incident.id == t.Sanction.incident_id)
        .where(t.Sanction.incident_id.in_(ids), t.Sanction.review_status != REJECTED)
        .order_by(t.Sanction.position, t.Sanction.id)
    ).all()
    found = _evidence(session, [a.id for a in acts] + [s.id for s in sanctions] + ids)
    return [
        LineageRow(i, "act", code, d, found[("acts", a, "")] + found[("incidents", i, "act:" + code)])
        for a, i, code, d in acts
    ] + [LineageRow(str(i), "sanction", code, d, found[("sanctions", s, "")]) for s, i, code, d in sanctions]


def _evidence(session: Session, fact_ids: list[str]) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(table, fact id, ``act:TYPE`` for incidents' act evidence, else "") -> evidence ids."""
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    stmt = select(t.Evidence.fact_table, t.Evidence.fact_id, t.Evidence.field, t.Evidence.id).where(
        t.Evidence.fact_table.in_(("acts", "sanctions", "incidents")), t.Evidence.fact_id.in_(fact_ids)
    )
    for table, fact_id, name, evidence_id in session.execute(stmt.order_by(t.Evidence.start, t.Evidence.id)):
        found[(table, fact_id, name if table == "incidents" else "")].append(evidence_id)
    return defaultdict(tuple, {key: tuple(value) for key, value in found.items()})


def entity_count(session: Session, kind: str) -> int:
    """How many entities of ``kind`` are not merged into another."""
    stmt = (
        select(func.count())
        .select_from(t.Entity)
        .where(t.Entity.kind == kind, t.Entity.merged_into.is_(None))
    )
    return int(session.scalar(stmt) or 0)


def entity_link(session: Session, link_id: str) -> EntityLinkView | None:
    """One link decision by its id."""
    row = session.get(t.EntityLink, link_id)
    if row is None:
        return None
    return next(
        (link for link in mention_links(session, row.mention_table, row.mention_id) if link.id == link_id),
        None,
    )


def all_person_mentions(session: Session) -> list[MentionView]:
    """Every person mention (rejected ones too), in the order the reports came in."""
    stmt = (
        select(t.Person, t.Source.title)
        .join(t.Source, t.Source.id == t.Person.source_id)
        .order_by(t.Source.ingested_at, t.Person.id)
    )
    return [
        MentionView(
            table="people",
            id=p.id,
            name=p.name,
            aliases=tuple(p.aliases or ()),
            source_id=p.source_id,
            source_title=title,
            review_status=p.review_status,
            confidential=p.confidential,
            entity_id=p.entity_id,
        )
        for p, title in session.execute(stmt)
    ]


def mention_entity(session: Session, table: str, mention_id: str) -> str | None:
    """The entity a ``people`` or ``organisations`` row belongs to now."""
    model = t.Person if table == "people" else t.Organisation
    return session.scalar(select(model.entity_id).where(model.id == mention_id))


def source_labels(session: Session, source_ids: Iterable[str]) -> dict[str, str]:
    """Source id -> its title, or its file name when it has none."""
    stmt = select(t.Source.id, func.coalesce(t.Source.title, t.Source.name)).where(
        t.Source.id.in_(list(source_ids))
    )
    return {source_id: label for source_id, label in session.execute(stmt)}
