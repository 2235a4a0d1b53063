"""What a merge changes, decided from what is stored (issue 9): the checks that refuse a merge,
and the list of column changes that makes one, for :mod:`hrdwatch.services.merging` to apply and
record.

Nothing here writes. Every change moves a pointer or marks the absorbed side; a row is only ever
dropped when the survivor holds its twin already, and the merge record keeps it for the split.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from hrdwatch.domain.cases import CaseRef, ChainLink, ChainRelation, would_cycle
from hrdwatch.errors import Errors, ReviewError
from hrdwatch.store import cases as case_store
from hrdwatch.store import merge_queries as q
from hrdwatch.store.case_views import CaseView, ColumnChange, EntityView
from hrdwatch.store.entities import MENTION_TABLE, entities, mentions
from hrdwatch.store.merges import ROW
from hrdwatch.store.tables import new_id, utcnow

# -- checks ----------------------------------------------------------------------------------------


def entity_pair(
    session: Session, survivor_id: str, absorbed_id: str, *, kind: str | None, confirm: bool
) -> tuple[EntityView, EntityView]:
    """The two entities, live and of one kind (``kind`` if given): E511, E530, E531, E532; E533
    unless ``confirm`` when one has a confidential mention and the other none."""
    if survivor_id == absorbed_id:
        raise ReviewError(Errors.E530, kind=kind or "entity", ident=survivor_id)
    found = {e.id: e for e in entities(session, [survivor_id, absorbed_id])}
    for ident in (survivor_id, absorbed_id):
        if ident not in found or found[ident].kind != (kind or found[ident].kind):
            raise ReviewError(Errors.E511, kind=kind or "entity", ident=ident)
    survivor, absorbed = found[survivor_id], found[absorbed_id]
    if survivor.kind != absorbed.kind:
        raise ReviewError(Errors.E531, absorbed=absorbed.kind, survivor=survivor.kind)
    for entity in (survivor, absorbed):
        if entity.merged_into is not None:
            raise ReviewError(Errors.E532, kind=entity.kind, ident=entity.id, into=entity.merged_into)
    if not confirm and _hidden(session, survivor) != _hidden(session, absorbed):
        what = f"a {survivor.kind} with a confidential mention and one with none"
        _refuse_mixed(survivor.kind, survivor.id, absorbed.id, what)
    return survivor, absorbed


def _hidden(session: Session, entity: EntityView) -> bool:
    """Whether a viewer is kept from one of the entity's mentions (a confidential person)."""
    return any(m.confidential for m in mentions(session, MENTION_TABLE[entity.kind], entity_ids=[entity.id]))


def _refuse_mixed(kind: str, survivor: str, absorbed: str, what: str) -> None:
    raise ReviewError(Errors.E533, kind=kind, absorbed=absorbed, survivor=survivor, detail=what)


def incident_pair(
    session: Session, survivor_id: str, absorbed_id: str, *, confirm: bool
) -> tuple[q.IncidentState, q.IncidentState]:
    """The two incidents, neither the same as a third already: E511, E530, E532; E533 unless
    ``confirm`` when one is confidential and the other is not; E534 when saying they are the same
    event would close a circle in the chain of events."""
    if survivor_id == absorbed_id:
        raise ReviewError(Errors.E530, kind="incident", ident=survivor_id)
    found = q.incident_states(session, [survivor_id, absorbed_id])
    for ident in (survivor_id, absorbed_id):
        if ident not in found:
            raise ReviewError(Errors.E511, kind="incident", ident=ident)
        into = found[ident].same_as_id
        if into is not None:
            raise ReviewError(Errors.E532, kind="incident", ident=ident, into=into)
    survivor, absorbed = found[survivor_id], found[absorbed_id]
    if not confirm and survivor.confidential != absorbed.confidential:
        _refuse_mixed("incident", survivor.id, absorbed.id, "a confidential incident and one that is not")
    refuse_cycle(session, ChainLink(absorbed.id, survivor.id, ChainRelation.SAME_AS))
    return survivor, absorbed


def case_pair(
    session: Session, survivor_ref: str, absorbed_ref: str, *, confirm: bool
) -> tuple[CaseView, CaseView]:
    """The two cases, neither merged away: E522, E530, E532; E533 unless ``confirm`` when one is
    confidential and the other is not."""
    survivor, absorbed = _case(session, survivor_ref), _case(session, absorbed_ref)
    if survivor.id == absorbed.id:
        raise ReviewError(Errors.E530, kind="case", ident=survivor.ref)
    for case in (survivor, absorbed):
        if case.merged_into is not None:
            into = case_store.case_by_id(session, case.merged_into)
            ref = into.ref if into is not None else case.merged_into
            raise ReviewError(Errors.E532, kind="case", ident=case.ref, into=ref)
    if not confirm and survivor.confidential != absorbed.confidential:
        _refuse_mixed("case", survivor.ref, absorbed.ref, "a confidential case and one that is not")
    return survivor, absorbed


def _case(session: Session, ident: str) -> CaseView:
    """A case by its reference (any spacing or case: ``kaz 001/1125``) or its id; E522 if none."""
    try:
        ref = str(CaseRef.parse(ident))
    except ValueError:
        ref = ident.strip()
    found = case_store.case_by_ref(session, ref) or case_store.case_by_id(session, ident.strip())
    if found is None:
        raise ReviewError(Errors.E522, ref=ident)
    return found


def refuse_cycle(session: Session, link: ChainLink) -> None:
    """E534 if adding ``link`` to the stored chain of events would close a circle."""
    known = [
        ChainLink(x.from_incident_id, x.to_incident_id, ChainRelation(x.relation))
        for x in case_store.chain_links(session)
    ]
    if would_cycle(known, link):
        relation = link.relation.value
        raise ReviewError(Errors.E534, relation=relation, source=link.from_incident, target=link.to_incident)


# -- the changes -----------------------------------------------------------------------------------


def entity_changes(session: Session, survivor: EntityView, absorbed: EntityView) -> list[ColumnChange]:
    """Mentions move to the survivor, then case entries (dropped where the survivor is named
    already), then link decisions (one about a mention the survivor has a decision on stays with
    the absorbed entity, whose ``merged_into`` says where it went); the absorbed is marked last."""
    table = MENTION_TABLE[absorbed.kind]
    changes = [
        ColumnChange(table, m.id, "entity_id", absorbed.id, survivor.id)
        for m in mentions(session, table, entity_ids=[absorbed.id])
    ]
    with_survivor = {c.id for c in case_store.cases_of(session, entity_ids=[survivor.id])}
    for case in case_store.cases_of(session, entity_ids=[absorbed.id]):
        key = {"case_id": case.id, "entity_id": absorbed.id}
        move = ColumnChange("case_entities", key, "entity_id", absorbed.id, survivor.id)
        changes.append(_drop(key) if case.id in with_survivor else move)
    decided = {(x.mention_table, x.mention_id) for x in q.links_to(session, survivor.id)}
    changes += [
        ColumnChange("entity_links", x.id, "entity_id", absorbed.id, survivor.id)
        for x in q.links_to(session, absorbed.id)
        if (x.mention_table, x.mention_id) not in decided
    ]
    return [*changes, ColumnChange("entities", absorbed.id, "merged_into", None, survivor.id)]


def incident_changes(session: Session, survivor_id: str, absorbed_id: str, *, by: str) -> list[ColumnChange]:
    """The absorbed incident is the same as the survivor; it joins the survivor's (oldest) case,
    leaving any case that does not hold the survivor (nothing moves when none does); and a
    ``same_as`` chain link joins them unless one does already."""
    changes = [ColumnChange("incidents", absorbed_id, "same_as_id", None, survivor_id)]
    home = [r.case_id for r in q.case_incident_rows(session, incident_id=survivor_id)]
    if home:
        rows = q.case_incident_rows(session, incident_id=absorbed_id)
        changes += _into_case(session, [r for r in rows if r.case_id not in home], home[0])
    return changes + _same_as_link(session, absorbed_id, survivor_id, by)


def case_changes(session: Session, survivor_id: str, absorbed_id: str) -> list[ColumnChange]:
    """The absorbed case's incidents follow the survivor's as its next follow-ups and its
    entities join the survivor's (each dropped where the survivor holds it already); the absorbed
    case is marked last, keeping its reference."""
    changes = _into_case(session, q.case_incident_rows(session, case_id=absorbed_id), survivor_id)
    held = {e.id for e in case_store.case_entities(session, survivor_id)}
    for entity in case_store.case_entities(session, absorbed_id):
        key = {"case_id": absorbed_id, "entity_id": entity.id}
        move = ColumnChange("case_entities", key, "case_id", absorbed_id, survivor_id)
        changes.append(_drop(key) if entity.id in held else move)
    return [*changes, ColumnChange("cases", absorbed_id, "merged_into", None, survivor_id)]


def _drop(key: dict[str, str]) -> ColumnChange:
    """Remove a ``case_entities`` row (its columns are its key)."""
    return ColumnChange("case_entities", key, ROW, dict(key), None)


def _into_case(session: Session, rows: Sequence[q.CaseIncidentRow], target: str) -> list[ColumnChange]:
    """Move these ``case_incidents`` rows into case ``target`` as its next follow-ups, in order;
    a row whose incident the case holds already is dropped."""
    held = {r.incident_id for r in q.case_incident_rows(session, case_id=target)}
    last = q.last_followup(session, target)
    number = 0 if last is None else last + 1
    changes: list[ColumnChange] = []
    for row in rows:
        if row.incident_id in held:
            changes.append(ColumnChange("case_incidents", row.key, ROW, row.values(), None))
            continue
        changes.append(ColumnChange("case_incidents", row.key, "followup", row.followup, number))
        changes.append(ColumnChange("case_incidents", row.key, "case_id", row.case_id, target))
        held.add(row.incident_id)
        number += 1
    return changes


def _same_as_link(session: Session, absorbed_id: str, survivor_id: str, by: str) -> list[ColumnChange]:
    same = ChainRelation.SAME_AS
    if known_link(session, ChainLink(absorbed_id, survivor_id, same)) or known_link(
        session, ChainLink(survivor_id, absorbed_id, same)
    ):
        return []
    link_id = new_id()
    row = {
        "id": link_id,
        "from_incident_id": absorbed_id,
        "to_incident_id": survivor_id,
        "relation": same.value,
        "created_at": utcnow(),
        "created_by": by,
    }
    return [ColumnChange("chain_links", link_id, ROW, None, row)]


def known_link(session: Session, link: ChainLink) -> str | None:
    """The id of the stored chain link that is ``link``, if there is one."""
    wanted = (link.from_incident, link.to_incident, link.relation.value)
    for known in case_store.chain_links(session, [link.from_incident]):
        if (known.from_incident_id, known.to_incident_id, known.relation) == wanted:
            return known.id
    return None
