"""Canonical people and organisations (issue 9): entity rows, which entity a mention belongs to,
and every link decision about a mention and a candidate entity.

Storage only: which entity a mention is, and how sure, is decided by the linking services. The
matcher works in memory on :func:`entity_names`; nothing here compares names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import null, select, update
from sqlalchemy.orm import Session

from hrdwatch.store import tables as t
from hrdwatch.store.case_views import EntityLinkView, EntityView, MentionView

#: mention table -> its ORM class
MENTIONS: dict[str, type[t.Person] | type[t.Organisation]] = {
    "people": t.Person,
    "organisations": t.Organisation,
}
#: entity kind -> the table of its mentions
MENTION_TABLE = {"person": "people", "organisation": "organisations"}
REJECTED = "rejected"


def add_entity(session: Session, *, kind: str, name: str, country: str | None = None) -> str:
    """A new entity (``kind``: ``person`` or ``organisation``); returns its id."""
    now = t.utcnow()
    row = t.Entity(id=t.new_id(), kind=kind, name=name, country=country, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row.id


def update_entity(session: Session, entity_id: str, *, name: str, country: str | None) -> None:
    """Set the display name and country chosen for an entity."""
    values = {"name": name, "country": country, "updated_at": t.utcnow()}
    session.execute(update(t.Entity).where(t.Entity.id == entity_id).values(values))


def set_mention_entity(session: Session, table: str, mention_id: str, entity_id: str | None) -> None:
    """Attach a mention (a ``people`` or ``organisations`` row) to an entity, or to none."""
    model = MENTIONS[table]
    session.execute(update(model).where(model.id == mention_id).values(entity_id=entity_id))


def save_link(
    session: Session,
    *,
    mention: tuple[str, str],
    entity_id: str,
    score: float,
    reasons: Sequence[str],
    decision: str,
    decided_by: str | None = None,
    decided_at: datetime | None = None,
) -> str:
    """Add the link of ``mention`` (table, id) to ``entity_id``, or update the one stored; its id."""
    table, mention_id = mention
    row = session.scalars(
        select(t.EntityLink).where(
            t.EntityLink.mention_table == table,
            t.EntityLink.mention_id == mention_id,
            t.EntityLink.entity_id == entity_id,
        )
    ).first()
    if row is None:
        row = t.EntityLink(id=t.new_id(), mention_table=table, mention_id=mention_id, entity_id=entity_id)
        row.created_at = t.utcnow()
        session.add(row)
    row.score, row.reasons, row.decision = score, list(reasons), decision
    row.decided_by, row.decided_at = decided_by, decided_at
    session.flush()
    return row.id


def mention_links(session: Session, table: str, mention_id: str) -> tuple[EntityLinkView, ...]:
    """Every link decision about one mention, best score first."""
    stmt = select(t.EntityLink).where(
        t.EntityLink.mention_table == table, t.EntityLink.mention_id == mention_id
    )
    return _links(session, stmt.order_by(t.EntityLink.score.desc(), t.EntityLink.id))


def links_with_decision(session: Session, decision: str) -> tuple[EntityLinkView, ...]:
    """Every link with this decision (``suggested``: the review queue's), oldest first."""
    stmt = select(t.EntityLink).where(t.EntityLink.decision == decision)
    return _links(session, stmt.order_by(t.EntityLink.created_at, t.EntityLink.id))


def _links(session: Session, stmt: Any) -> tuple[EntityLinkView, ...]:
    return tuple(
        EntityLinkView(
            id=r.id,
            mention_table=r.mention_table,
            mention_id=r.mention_id,
            entity_id=r.entity_id,
            score=r.score,
            reasons=tuple(r.reasons or ()),
            decision=r.decision,
            decided_by=r.decided_by,
            decided_at=r.decided_at,
        )
        for r in session.scalars(stmt)
    )


def entities(session: Session, entity_ids: Iterable[str]) -> tuple[EntityView, ...]:
    """These entities (merged ones too), in the order they were made."""
    stmt = (
        select(t.Entity).where(t.Entity.id.in_(list(entity_ids))).order_by(t.Entity.created_at, t.Entity.id)
    )
    return tuple(_entity(row) for row in session.scalars(stmt))


def _entity(row: t.Entity) -> EntityView:
    return EntityView(
        id=row.id,
        kind=row.kind,
        name=row.name,
        country=row.country,
        merged_into=row.merged_into,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def mentions(
    session: Session, table: str, *, entity_ids: Iterable[str] | None = None, source_id: str | None = None
) -> tuple[MentionView, ...]:
    """Mentions in ``table`` (``people`` or ``organisations``) of these entities, or from this
    source, or with no entity when both are None; in the order their reports came in."""
    model = MENTIONS[table]
    stmt = select(model, t.Source.title).join(t.Source, t.Source.id == model.source_id)
    if entity_ids is not None:
        stmt = stmt.where(model.entity_id.in_(list(entity_ids)))
    if source_id is not None:
        stmt = stmt.where(model.source_id == source_id)
    if entity_ids is None and source_id is None:
        stmt = stmt.where(model.entity_id.is_(None))
    rows = session.execute(stmt.order_by(t.Source.ingested_at, model.id))
    return tuple(_mention(table, row, title) for row, title in rows)


def _mention(table: str, row: Any, title: str | None) -> MentionView:
    return MentionView(
        table=table,
        id=row.id,
        name=row.name,
        aliases=tuple(getattr(row, "aliases", None) or ()),
        source_id=row.source_id,
        source_title=title,
        review_status=row.review_status,
        confidential=bool(getattr(row, "confidential", False)),
        entity_id=row.entity_id,
    )


def entity_names(session: Session, kind: str) -> list[tuple[str, tuple[str, ...], str | None]]:
    """(entity id, names, country) of every entity of ``kind`` not merged into another: its
    display name, then the names (and aliases) of its mentions that are not rejected."""
    model = MENTIONS[MENTION_TABLE[kind]]
    known: dict[str | None, list[str]] = defaultdict(list)
    aliases = t.Person.aliases if model is t.Person else null()
    stmt = (
        select(model.entity_id, model.name, aliases)
        .join(t.Source, t.Source.id == model.source_id)
        .where(model.entity_id.is_not(None), model.review_status != REJECTED)
        .order_by(t.Source.ingested_at, model.id)
    )
    for entity_id, name, extra in session.execute(stmt):
        known[entity_id].extend([name, *(extra or ())])
    live = select(t.Entity).where(t.Entity.kind == kind, t.Entity.merged_into.is_(None))
    return [
        (e.id, tuple(dict.fromkeys([e.name, *known[e.id]])), e.country)
        for e in session.scalars(live.order_by(t.Entity.created_at, t.Entity.id))
    ]
