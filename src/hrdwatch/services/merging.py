"""Merge and split people, organisations, incidents and cases (issue 9), and link incidents in a
chain of events.

A merge never changes or deletes a mention, an act, a piece of evidence or a source: it moves
pointers (which entity a mention belongs to, which case holds an incident or concerns an entity),
marks the absorbed side (``merged_into``, or ``same_as_id`` for an incident) and records every
value it changed (:mod:`hrdwatch.store.merges`), so that :func:`split` puts back exactly that, or
refuses when something changed since. What each merge changes, and when one is refused, is
decided in :mod:`hrdwatch.services.merge_plans`. A merge that would join a confidential record
with one that is not asks for confirmation first: afterwards both are shown as one.

Each use case is one unit of work with its audit event; only editors and admins
(``case.manage``) may use them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.cases import ChainLink, ChainRelation
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, ReviewError, StoreError
from hrdwatch.security.permissions import Action
from hrdwatch.services import merge_plans as plans
from hrdwatch.services.access import require
from hrdwatch.services.audit import record
from hrdwatch.store import cases as case_store
from hrdwatch.store.case_views import ColumnChange, MergeView
from hrdwatch.store.merge_queries import incident_states
from hrdwatch.store.merges import ROW, apply_changes, merge_by_id, merges_of, record_merge, undo_merge
from hrdwatch.store.uow import UnitOfWork

__all__ = [
    "MergeKind",
    "MergeResult",
    "add_chain_link",
    "merge_cases",
    "merge_entities",
    "merge_incidents",
    "merges",
    "split",
]


class MergeKind(StrEnum):
    ENTITY = "entity"  # a person or an organisation
    INCIDENT = "incident"
    CASE = "case"

    @property
    def table(self) -> str:
        return {"entity": "entities", "incident": "incidents", "case": "cases"}[self.value]


#: the columns whose change moves a row to the survivor (the others mark or renumber)
_MOVES = frozenset({"entity_id", "case_id"})


@dataclass(frozen=True, slots=True)
class MergeResult:
    """A merge: what it joined, and how many rows of each table it moved to the survivor, dropped
    as twins of the survivor's (a split puts them back) or added (a ``same_as`` chain link)."""

    id: str
    kind: str
    survivor_id: str
    absorbed_id: str
    moved: dict[str, int]
    dropped: dict[str, int]
    added: dict[str, int]
    created_at: datetime
    created_by: str | None
    undone_at: datetime | None
    undone_by: str | None


def merge_entities(
    engine: Engine,
    user: Principal | None,
    survivor_id: str,
    absorbed_id: str,
    *,
    confirm: bool = False,
    kind: str | None = None,
) -> MergeResult:
    """Merge one person (or organisation) entity into another: its mentions, case entries and link
    decisions go to the survivor. ``kind`` (``person``, ``organisation``), when given, must be the
    entities' kind (E511 otherwise). E530 for one entity, E531 for two kinds, E532 when either is
    merged away already, E533 unless ``confirm`` when one has a confidential mention and the
    other none."""
    actor = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        pair = plans.entity_pair(uow.session, survivor_id, absorbed_id, kind=kind, confirm=confirm)
        changes = plans.entity_changes(uow.session, *pair)
        return _commit(uow, actor, MergeKind.ENTITY, (pair[0].id, pair[1].id), changes, confirm=confirm)


def merge_incidents(
    engine: Engine, user: Principal | None, survivor_id: str, absorbed_id: str, *, confirm: bool = False
) -> MergeResult:
    """Say that two incident rows tell the same real event: the absorbed one is ``same_as`` the
    survivor (each keeps its own date and place, shown side by side), joins the survivor's case
    and is linked to it by a ``same_as`` chain link. E534 if the chain of events would go round in
    a circle; E533 unless ``confirm`` when one incident is confidential and the other is not."""
    actor = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        plans.incident_pair(uow.session, survivor_id, absorbed_id, confirm=confirm)
        changes = plans.incident_changes(uow.session, survivor_id, absorbed_id, by=actor.username)
        return _commit(uow, actor, MergeKind.INCIDENT, (survivor_id, absorbed_id), changes, confirm=confirm)


def merge_cases(
    engine: Engine, user: Principal | None, survivor_ref: str, absorbed_ref: str, *, confirm: bool = False
) -> MergeResult:
    """Merge one case file into another (by reference, or id): its incidents follow the
    survivor's as its next follow-ups, its entities join the survivor's, and it keeps its row and
    reference with ``merged_into`` set (a reference is never given again). E533 unless
    ``confirm`` when one case is confidential and the other is not."""
    actor = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        survivor, absorbed = plans.case_pair(uow.session, survivor_ref, absorbed_ref, confirm=confirm)
        changes = plans.case_changes(uow.session, survivor.id, absorbed.id)
        return _commit(uow, actor, MergeKind.CASE, (survivor.id, absorbed.id), changes, confirm=confirm)


def split(engine: Engine, user: Principal | None, merge_id: str) -> MergeResult:
    """Undo one merge exactly. E511 for an unknown merge, E535 if it was split already, E536 if
    a row it changed has changed since (nothing is overwritten: split the later merge first)."""
    actor = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        found = merge_by_id(uow.session, merge_id)
        if found is None:
            raise ReviewError(Errors.E511, kind="merge", ident=merge_id)
        if found.undone_at is not None:
            raise ReviewError(Errors.E535, ident=merge_id, at=found.undone_at.isoformat(timespec="seconds"))
        result = _result(_undo(uow.session, merge_id, actor.username))
        record(uow, _event(AuditAction.SPLIT, actor, result, confirm=False))
        uow.commit()
    return result


def merges(engine: Engine, user: Principal | None, subject_id: str) -> tuple[MergeResult, ...]:
    """The merges an entity, incident or case took part in (survivor or absorbed), newest first,
    split ones too: what the pages offer to split."""
    require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine, read_only=True) as uow:
        return tuple(_result(view) for view in merges_of(uow.session, subject_id))


def add_chain_link(
    engine: Engine, user: Principal | None, from_incident: str, to_incident: str, relation: str
) -> str:
    """Link two incidents in the chain of events (``from`` is a follow-up of, is caused by, or is
    the same as ``to``); returns the link's id, the stored one if it exists already. E513 for an
    unknown relation, E511 for an unknown incident, E534 if the chain would close a circle."""
    actor = require(user, Action.CASE_MANAGE)
    link = ChainLink(from_incident, to_incident, _relation(relation))
    with UnitOfWork(engine) as uow:
        known = incident_states(uow.session, [from_incident, to_incident])
        for ident in (from_incident, to_incident):
            if ident not in known:
                raise ReviewError(Errors.E511, kind="incident", ident=ident)
        stored = plans.known_link(uow.session, link)
        if stored is not None:
            return stored
        plans.refuse_cycle(uow.session, link)
        kind = link.relation.value
        link_id = case_store.add_chain_link(
            uow.session, from_incident, to_incident, kind, created_by=actor.username
        )
        after = {"from_incident_id": from_incident, "to_incident_id": to_incident, "relation": kind}
        event = AuditRecord(
            AuditAction.CHAIN_LINKED,
            actor.username,
            target_table="chain_links",
            target_id=link_id,
            after=after,
        )
        record(uow, event)
        uow.commit()
    return link_id


def _relation(value: str) -> ChainRelation:
    try:
        return ChainRelation(value.strip().lower())
    except ValueError as e:
        choices = ", ".join(r.value for r in ChainRelation)
        raise ReviewError(Errors.E513, field="relation", reason=f"{value!r} is not one of {choices}") from e


def _commit(
    uow: UnitOfWork,
    actor: Principal,
    kind: MergeKind,
    pair: tuple[str, str],
    changes: list[ColumnChange],
    *,
    confirm: bool,
) -> MergeResult:
    """Make the changes, record the merge and its audit event, commit."""
    survivor_id, absorbed_id = pair
    apply_changes(uow.session, changes)
    merge_id = record_merge(
        uow.session,
        kind=kind.value,
        survivor_id=survivor_id,
        absorbed_id=absorbed_id,
        changes=changes,
        created_by=actor.username,
    )
    view = merge_by_id(uow.session, merge_id)
    if view is None:  # written just now, in this transaction
        raise StoreError(Errors.E318, reason=f"merge {merge_id} was not stored")
    result = _result(view)
    record(uow, _event(AuditAction.MERGED, actor, result, confirm=confirm))
    uow.commit()
    return result


def _undo(session: Session, merge_id: str, by: str) -> MergeView:
    """Undo the merge; E536 when a value it set has changed since or a row it removed is back."""
    try:
        return undo_merge(session, merge_id, undone_by=by)
    except StoreError as e:
        if e.code != Errors.E318.code:
            raise
        raise ReviewError(Errors.E536, ident=merge_id, reason=e.fields.get("reason", e.detail)) from e
    except IntegrityError as e:
        raise ReviewError(Errors.E536, ident=merge_id, reason="a row it removed was added again") from e


def _result(view: MergeView) -> MergeResult:
    moved: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    added: Counter[str] = Counter()
    for change in view.changes:
        if change.column == ROW:
            (added if change.before is None else dropped)[change.table] += 1
        elif change.column in _MOVES:
            moved[change.table] += 1
    return MergeResult(
        id=view.id,
        kind=view.kind,
        survivor_id=view.survivor_id,
        absorbed_id=view.absorbed_id,
        moved=dict(moved),
        dropped=dict(dropped),
        added=dict(added),
        created_at=view.created_at,
        created_by=view.created_by,
        undone_at=view.undone_at,
        undone_by=view.undone_by,
    )


def _event(action: AuditAction, actor: Principal, result: MergeResult, *, confirm: bool) -> AuditRecord:
    """The audit event of a merge or split: the absorbed row, the survivor, the merge, in numbers
    (the merge record itself keeps every value)."""
    after: dict[str, Any] = {
        "merge_id": result.id,
        "survivor_id": result.survivor_id,
        "moved": result.moved,
        "dropped": result.dropped,
        "added": result.added,
    }
    if confirm:
        after["confirmed"] = True
    return AuditRecord(
        action,
        actor.username,
        subject=result.kind,
        target_table=MergeKind(result.kind).table,
        target_id=result.absorbed_id,
        after=after,
        detail=f"merge {result.id}",
    )
