"""Case use cases (issue 9): the case list, a case file, deciding proposed follow-ups and link
suggestions, closing and reopening a case; ``rebuild_links`` lives in :mod:`relinking`.

Every use case starts with :func:`~hrdwatch.services.access.require`. Viewers see only cases
that are not confidential and hold at least one verified, non-confidential incident, and only
those incidents; every decision is audited in the transaction that makes it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.cases import CaseStatus
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, ReviewError
from hrdwatch.security.permissions import Action, sees_confidential
from hrdwatch.services import case_file as files
from hrdwatch.services.access import require
from hrdwatch.services.audit import record as record_event
from hrdwatch.services.case_file import CaseFile, Defender
from hrdwatch.services.case_steps import case_situation
from hrdwatch.services.merging import merge_entities
from hrdwatch.services.relinking import RebuildReport, rebuild_links
from hrdwatch.store import case_queries as q
from hrdwatch.store.case_views import CaseSummary, CaseView, EntityLinkView
from hrdwatch.store.cases import (
    add_case_entity,
    case_by_ref,
    case_incidents,
    decide_case_incident,
    update_case,
)
from hrdwatch.store.cases import list_cases as stored_cases
from hrdwatch.store.entities import save_link, set_mention_entity
from hrdwatch.store.uow import UnitOfWork

__all__ = [
    "CaseFile",
    "CaseSummary",
    "Defender",
    "RebuildReport",
    "case_file",
    "decide_followup",
    "decide_link",
    "list_cases",
    "rebuild_links",
    "set_case_status",
]


def list_cases(
    engine: Engine, user: Principal | None, *, status: CaseStatus | None = None
) -> list[CaseSummary]:
    """The cases by country and number (merged ones left out); a viewer's only those they may see,
    counting only the incidents they may see."""
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        found = stored_cases(uow.session, status=status.value if status else None)
        if sees_confidential(user):
            return list(found)
        shown = []
        for summary in found:
            file = _viewer_file(uow, summary.ref)
            if file is not None:
                names = tuple(d.entity.name for d in file.defenders)
                last = max((i.date for i in file.timeline if i.date), default=None)
                shown.append(
                    replace(summary, entity_names=names, incidents=len(file.timeline), last_date=last)
                )
        return shown


def case_file(engine: Engine, user: Principal | None, ref: str) -> CaseFile:
    """One case by its reference; E522 if there is none, or none the user may see."""
    require(user, Action.RECORD_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        if not sees_confidential(user):
            file = _viewer_file(uow, ref)
            if file is None:
                raise ReviewError(Errors.E522, ref=ref)
            return file
        return files.build(uow.session, _case(uow, ref))


def _viewer_file(uow: UnitOfWork, ref: str) -> CaseFile | None:
    case = case_by_ref(uow.session, ref.strip())
    if case is None or case.confidential or case.merged_into is not None:
        return None
    file = files.for_viewer(uow.session, files.build(uow.session, case))
    return file if file.timeline else None


def _case(uow: UnitOfWork, ref: str) -> CaseView:
    case = case_by_ref(uow.session, ref.strip())
    if case is None:
        raise ReviewError(Errors.E522, ref=ref)
    return case


def decide_followup(
    engine: Engine, user: Principal | None, ref: str, incident_id: str, *, accept: bool
) -> CaseView:
    """Confirm or reject "new information on case REF"; confirming adds the incident's victims to
    the case and recomputes the defenders' situation. Returns the case as it now is."""
    me = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        case = _case(uow, ref)
        waiting = [i for i in case_incidents(uow.session, case.id) if i.decision == "suggested"]
        if incident_id not in {i.incident_id for i in waiting}:
            raise ReviewError(Errors.E523, ref=case.ref, ident=incident_id)
        decision = "confirmed" if accept else "rejected"
        decide_case_incident(uow.session, case.id, incident_id, decision=decision, decided_by=me.username)
        if accept:
            for fact in q.incident_facts(uow.session, [incident_id]):
                for entity_id in sorted(fact.victims):
                    add_case_entity(uow.session, case.id, entity_id)
            update_case(uow.session, case.id, {"situation": case_situation(uow.session, case.id).value})
        after = _case(uow, case.ref)
        change = {"incident": incident_id, "decision": decision, "situation": after.situation}
        _audit(uow, AuditAction.CASE_FOLLOWUP_DECIDED, me, case, {"situation": case.situation}, change)
        uow.commit()
    return after


def set_case_status(engine: Engine, user: Principal | None, ref: str, status: CaseStatus) -> CaseView:
    """Close or reopen a case (audited); setting the status it has changes nothing."""
    me = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        case = _case(uow, ref)
        if case.status == status.value:
            return case
        closed_at = datetime.now(UTC) if status is CaseStatus.CLOSED else None
        update_case(uow.session, case.id, {"status": status.value, "closed_at": closed_at})
        _audit(uow, AuditAction.CASE_UPDATED, me, case, {"status": case.status}, {"status": status.value})
        after = _case(uow, case.ref)
        uow.commit()
    return after


def _audit(
    uow: UnitOfWork,
    action: AuditAction,
    me: Principal,
    case: CaseView,
    before: dict[str, str],
    after: dict[str, str],
) -> None:
    event = AuditRecord(
        action,
        me.username,
        subject=case.ref,
        target_table="cases",
        target_id=case.id,
        before=before,
        after=after,
    )
    record_event(uow, event)


def decide_link(
    engine: Engine, user: Principal | None, link_id: str, *, accept: bool, confirm: bool = False
) -> None:
    """Decide "this person may be X". Rejected: the link is kept as ``rejected``, so no rebuild
    proposes it again. Accepted: the mention's entity is merged into X by the merge service (its
    E533 unless ``confirm`` when only one side has a confidential mention), then the link is
    ``confirmed``. Either way audited; E524 when no such suggestion waits."""
    me = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine, read_only=True) as uow:
        link = _waiting_link(uow, link_id)
        absorbed = q.mention_entity(uow.session, link.mention_table, link.mention_id)
    if accept and absorbed is not None and absorbed != link.entity_id:
        merge_entities(engine, user, link.entity_id, absorbed, confirm=confirm)
    decision = "confirmed" if accept else "rejected"
    with UnitOfWork(engine) as uow:
        link = _waiting_link(uow, link_id)
        if accept and absorbed is None:  # the merge moved every mention of the absorbed entity
            set_mention_entity(uow.session, link.mention_table, link.mention_id, link.entity_id)
        save_link(
            uow.session,
            mention=(link.mention_table, link.mention_id),
            entity_id=link.entity_id,
            score=link.score,
            reasons=link.reasons,
            decision=decision,
            decided_by=me.username,
            decided_at=datetime.now(UTC),
        )
        event = AuditRecord(
            AuditAction.LINK_DECIDED,
            me.username,
            target_table="entity_links",
            target_id=link.id,
            before={"decision": link.decision, "entity": absorbed},
            after={"decision": decision, "mention": link.mention_id, "entity": link.entity_id},
        )
        record_event(uow, event)
        uow.commit()


def _waiting_link(uow: UnitOfWork, link_id: str) -> EntityLinkView:
    link = q.entity_link(uow.session, link_id)
    if link is None or link.decision != "suggested":
        raise ReviewError(Errors.E524, ident=link_id)
    return link
