"""Review decisions: accepting, rejecting, editing and undoing a fact; verifying an incident;
marking an incident or a person confidential.

Each change runs in one unit of work with its audit event (``before`` and ``after`` hold the
changed values and ``review_status``), so the change and its record are kept together or not at
all. Deciding on a fact moves its incidents from ``extracted`` to ``in_review``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.facts import EDITABLE, STATUS, FactRef, FactTable
from hrdwatch.domain.review import ReviewStatus
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, Errors, ReviewError
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record
from hrdwatch.services.review.values import clean_changes, fact_ref
from hrdwatch.services.review.views import ConfidentialMark, Decision, Verification
from hrdwatch.store import marks
from hrdwatch.store.facts import FactRow, start_review
from hrdwatch.store.incident_facts import load_incident
from hrdwatch.store.queries import resolve_incident_id
from hrdwatch.store.uow import UnitOfWork

DECISIONS = {"accept": ReviewStatus.ACCEPTED.value, "reject": ReviewStatus.REJECTED.value}
UNDOABLE = (AuditAction.FACT_DECIDED.value, AuditAction.FACT_EDITED.value, AuditAction.FACT_ADDED.value)
LINKED = "_linked"  # key of an audit ``after`` listing the other rows an addition created
_KEEP_ON_ACCEPT = (ReviewStatus.CORRECTED.value, ReviewStatus.ADDED.value)


def finish(
    uow: UnitOfWork,
    user: Principal,
    action: AuditAction,
    fact: FactRow,
    change: tuple[dict[str, Any] | None, dict[str, Any]],
    *,
    ip: str | None,
    detail: str | None = None,
) -> Decision:
    """Move the fact's incidents into review, write the audit event, commit."""
    incident_ids = fact.incident_ids()
    if action is not AuditAction.FACT_UNDONE:
        start_review(uow.session, incident_ids)
    before, after = change
    event_id = record(uow, _event(action, user, fact.ref, before, after, ip, detail))
    uow.commit()
    table, fact_id = fact.ref.table.value, fact.ref.id
    return Decision(event_id, table, fact_id, str(after[STATUS]), tuple(incident_ids))


def decide(
    engine: Engine, user: Principal | None, *, table: str, fact_id: str, decision: str, ip: str | None = None
) -> Decision:
    """Accept or reject one fact. Accepting keeps ``corrected`` and ``added`` as they are."""
    actor = require(user, Action.REVIEW)
    if decision not in DECISIONS:
        raise ReviewError(Errors.E513, field="decision", reason="give accept or reject")
    ref = fact_ref(table, fact_id)
    with UnitOfWork(engine) as uow:
        fact = FactRow(uow.session, ref)
        old = fact.get(STATUS)
        new = old if decision == "accept" and old in _KEEP_ON_ACCEPT else DECISIONS[decision]
        fact.write({STATUS: new})
        return finish(uow, actor, AuditAction.FACT_DECIDED, fact, ({STATUS: old}, {STATUS: new}), ip=ip)


def edit(
    engine: Engine,
    user: Principal | None,
    *,
    table: str,
    fact_id: str,
    changes: Mapping[str, str | None],
    ip: str | None = None,
) -> Decision:
    """Correct a fact's fields (E512, E513); it becomes ``corrected`` (an added fact stays ``added``)."""
    actor = require(user, Action.REVIEW)
    cleaned = clean_changes(table, changes)
    ref = fact_ref(table, fact_id)
    with UnitOfWork(engine) as uow:
        fact = FactRow(uow.session, ref)
        current = fact.state()
        added = current[STATUS] == ReviewStatus.ADDED.value
        after = {**cleaned, STATUS: current[STATUS] if added else ReviewStatus.CORRECTED.value}
        fact.write(after)
        before = {name: current[name] for name in after}
        return finish(uow, actor, AuditAction.FACT_EDITED, fact, (before, after), ip=ip)


def undo(engine: Engine, user: Principal | None, *, event_id: int, ip: str | None = None) -> Decision:
    """Put a fact back as it was before audit event ``event_id`` (a decision, edit or addition; an
    added fact becomes ``rejected``). E515 if the fact changed since; only one's own events
    unless admin."""
    actor = require(user, Action.REVIEW)
    with UnitOfWork(engine) as uow:
        event = uow.audit.get(event_id)
        if event is None or event.action not in UNDOABLE or not event.target_table or not event.target_id:
            raise ReviewError(Errors.E511, kind="decision", ident=event_id)
        if event.actor != actor.username and actor.role is not Role.ADMIN:
            raise AccessError(Errors.E503, role=actor.role.value, action="undo another user's change")
        fact = FactRow(uow.session, fact_ref(event.target_table, event.target_id))
        current = fact.state()
        after = {k: v for k, v in (event.after or {}).items() if not k.startswith("_")}
        if any(current.get(name) != value for name, value in after.items()):
            raise ReviewError(Errors.E515)
        restore = event.before or {STATUS: ReviewStatus.REJECTED.value}
        if event.before is None:
            for linked_table, linked_id in (event.after or {}).get(LINKED, []):
                FactRow(uow.session, fact_ref(linked_table, linked_id)).write(restore)
        fact.write(restore)
        change = ({name: current[name] for name in restore}, dict(restore))
        detail = f"undo of event {event_id}"
        return finish(uow, actor, AuditAction.FACT_UNDONE, fact, change, ip=ip, detail=detail)


def verify(
    engine: Engine, user: Principal | None, *, incident_id: str, ip: str | None = None
) -> Verification:
    """Mark an incident verified (E514 while any of its facts is undecided, E305 if none)."""
    actor = require(user, Action.REVIEW)
    with UnitOfWork(engine) as uow:
        incident_id = resolve_incident_id(uow.session, incident_id)
        pending = load_incident(uow.session, incident_id).pending()
        if pending:
            raise ReviewError(Errors.E514, count=pending)
        before, after = marks.mark_verified(uow.session, incident_id, by=actor.username)
        target = FactRef(FactTable.INCIDENTS, incident_id)
        event_id = record(uow, _event(AuditAction.INCIDENT_VERIFIED, actor, target, before, after, ip))
        uow.commit()
    verified_at = datetime.fromisoformat(after["verified_at"])
    return Verification(event_id, incident_id, after["status"], verified_at, actor.username)


def set_confidential(
    engine: Engine,
    user: Principal | None,
    *,
    table: str,
    ident: str,
    confidential: bool,
    fields: list[str] | None = None,
    ip: str | None = None,
) -> ConfidentialMark:
    """Mark an incident or a person (``table``: incidents | people) confidential or not. For an
    incident, ``fields`` names the fields hidden from viewers (None: leave them as they are)."""
    actor = require(user, Action.CONFIDENTIAL_SET)
    _check_marks(table, fields)
    with UnitOfWork(engine) as uow:
        if table == FactTable.INCIDENTS:
            ident = resolve_incident_id(uow.session, ident)
        before, after = marks.set_confidential(
            uow.session, table, ident, confidential=confidential, fields=fields
        )
        target = FactRef(FactTable(table), ident)
        event_id = record(uow, _event(AuditAction.CONFIDENTIAL_SET, actor, target, before, after, ip))
        uow.commit()
    hidden = tuple(after.get("confidential_fields", ()))
    return ConfidentialMark(event_id, table, ident, confidential, hidden)


def _check_marks(table: str, fields: list[str] | None) -> None:
    if table not in (FactTable.INCIDENTS, FactTable.PEOPLE):
        raise ReviewError(Errors.E513, field="table", reason="give incidents or people")
    if fields and table != FactTable.INCIDENTS:
        raise ReviewError(Errors.E513, field="fields", reason="only an incident has confidential fields")
    editable = EDITABLE[FactTable.INCIDENTS]
    for name in fields or ():
        if name not in editable:
            raise ReviewError(Errors.E512, table=table, field=name, editable=", ".join(editable))


def _event(
    action: AuditAction,
    user: Principal,
    target: FactRef,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    ip: str | None,
    detail: str | None = None,
) -> AuditRecord:
    return AuditRecord(
        action,
        user.username,
        target_table=target.table.value,
        target_id=target.id,
        before=before,
        after=after,
        ip=ip,
        detail=detail,
    )
