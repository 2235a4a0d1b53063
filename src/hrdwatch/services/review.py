"""Review use cases: the queue, a report's review page, and every change a reviewer makes.

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
from hrdwatch.domain.review import ReviewStatus
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError, Errors, ReviewError
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record
from hrdwatch.services.review_values import ADDABLE, clean_addition, clean_changes
from hrdwatch.store import marks
from hrdwatch.store import review as facts
from hrdwatch.store.queries import resolve_incident_id
from hrdwatch.store.review_add import LINKED
from hrdwatch.store.review_add import add_fact as add_row
from hrdwatch.store.review_page import review_page as load_page
from hrdwatch.store.review_views import (
    GROUPS,
    ConfidentialMark,
    Decision,
    FactGroup,
    FactItem,
    QueueItem,
    ReviewIncident,
    ReviewPage,
    ReviewSource,
    Verification,
)
from hrdwatch.store.uow import UnitOfWork

__all__ = [
    "ADDABLE",
    "list_sources",
    "EDITABLE",
    "GROUPS",
    "ConfidentialMark",
    "Decision",
    "FactGroup",
    "FactItem",
    "QueueItem",
    "ReviewIncident",
    "ReviewPage",
    "ReviewSource",
    "Verification",
    "add_fact",
    "decide",
    "edit",
    "review_page",
    "review_queue",
    "set_confidential",
    "undo",
    "verify",
]

DECISIONS = {"accept": ReviewStatus.ACCEPTED.value, "reject": ReviewStatus.REJECTED.value}
UNDOABLE = (AuditAction.FACT_DECIDED.value, AuditAction.FACT_EDITED.value, AuditAction.FACT_ADDED.value)
STATUS = facts.STATUS
EDITABLE = facts.EDITABLE
_KEEP_ON_ACCEPT = (ReviewStatus.CORRECTED.value, ReviewStatus.ADDED.value)


def review_queue(engine: Engine, user: Principal | None) -> list[QueueItem]:
    """Reports with an incident not yet verified, newest first."""
    require(user, Action.SOURCE_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        return facts.review_queue(uow.session)


def list_sources(
    engine: Engine, user: Principal | None, *, pending_only: bool = False, page: int = 1, per_page: int = 25
) -> tuple[list[QueueItem], int]:
    """One page of reports, newest first (``pending_only``: those still to review), and the total."""
    require(user, Action.SOURCE_READ)
    page, per_page = max(1, page), max(1, min(per_page, 100))
    with UnitOfWork(engine, read_only=True) as uow:
        return facts.list_sources(
            uow.session, pending_only=pending_only, limit=per_page, offset=(page - 1) * per_page
        )


def review_page(engine: Engine, user: Principal | None, source_id: str) -> ReviewPage:
    """A report's text and its incidents' facts in groups; E511 if there is no such report."""
    require(user, Action.SOURCE_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        return load_page(uow.session, source_id)


def _finish(
    uow: UnitOfWork,
    user: Principal,
    action: AuditAction,
    target: tuple[str, str],
    change: tuple[dict[str, Any] | None, dict[str, Any]],
    *,
    ip: str | None,
    detail: str | None = None,
) -> Decision:
    """Move the fact's incidents into review, write the audit event, commit."""
    table, fact_id = target
    incident_ids = facts.incidents_of_fact(uow.session, table, fact_id)
    if action is not AuditAction.FACT_UNDONE:
        facts.start_review(uow.session, incident_ids)
    before, after = change
    event_id = record(uow, _event(action, user, target, before, after, ip, detail))
    uow.commit()
    return Decision(event_id, table, fact_id, str(after[STATUS]), tuple(incident_ids))


def decide(
    engine: Engine, user: Principal | None, *, table: str, fact_id: str, decision: str, ip: str | None = None
) -> Decision:
    """Accept or reject one fact. Accepting keeps ``corrected`` and ``added`` as they are."""
    actor = require(user, Action.REVIEW)
    if decision not in DECISIONS:
        raise ReviewError(Errors.E513, field="decision", reason="give accept or reject")
    with UnitOfWork(engine) as uow:
        old = facts.fact_state(uow.session, table, fact_id)[STATUS]
        new = old if decision == "accept" and old in _KEEP_ON_ACCEPT else DECISIONS[decision]
        facts.set_fact(uow.session, table, fact_id, {STATUS: new})
        change = ({STATUS: old}, {STATUS: new})
        return _finish(uow, actor, AuditAction.FACT_DECIDED, (table, fact_id), change, ip=ip)


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
    with UnitOfWork(engine) as uow:
        current = facts.fact_state(uow.session, table, fact_id)
        added = current[STATUS] == ReviewStatus.ADDED.value
        after = {**cleaned, STATUS: current[STATUS] if added else ReviewStatus.CORRECTED.value}
        facts.set_fact(uow.session, table, fact_id, after)
        before = {name: current[name] for name in after}
        return _finish(uow, actor, AuditAction.FACT_EDITED, (table, fact_id), (before, after), ip=ip)


def add_fact(
    engine: Engine,
    user: Principal | None,
    *,
    source_id: str,
    incident_id: str,
    kind: str,
    start: int,
    end: int,
    values: Mapping[str, str | None],
    ip: str | None = None,
) -> Decision:
    """Add a fact of ``kind`` to an incident from the span ``start:end`` of its report (E516 if the
    span is not inside the text). Kinds: person, organisation, perpetrator, act, charge, sanction,
    demand, date, place."""
    actor = require(user, Action.REVIEW)
    cleaned = clean_addition(kind, values)
    with UnitOfWork(engine) as uow:
        stored = uow.sources.get(source_id)
        if stored is None:
            raise ReviewError(Errors.E511, kind="source", ident=source_id)
        incident = facts.get_incident_row(uow.session, resolve_incident_id(uow.session, incident_id))
        if incident.source_id != source_id:
            raise ReviewError(Errors.E513, field="incident_id", reason="the incident is not from this report")
        length = len(stored.source.text)
        if not 0 <= start < end <= length:
            raise ReviewError(Errors.E516, start=start, end=end, length=length)
        if not stored.source.text[start:end].strip():
            raise ReviewError(Errors.E513, field="span", reason="the selection is only white space")
        added = add_row(
            uow.session, incident=incident, kind=kind, span=(start, end), values=cleaned, actor=actor.username
        )
        change = (added.before, added.after)
        target = (added.table, added.id)
        return _finish(uow, actor, AuditAction.FACT_ADDED, target, change, ip=ip, detail=f"kind={kind}")


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
        table, fact_id = event.target_table, event.target_id
        current = facts.fact_state(uow.session, table, fact_id)
        after = {k: v for k, v in (event.after or {}).items() if not k.startswith("_")}
        if any(current.get(name) != value for name, value in after.items()):
            raise ReviewError(Errors.E515)
        restore = event.before or {STATUS: ReviewStatus.REJECTED.value}
        if event.before is None:
            for linked_table, linked_id in (event.after or {}).get(LINKED, []):
                facts.set_fact(uow.session, linked_table, linked_id, restore)
        facts.set_fact(uow.session, table, fact_id, restore)
        change = ({name: current[name] for name in restore}, dict(restore))
        detail = f"undo of event {event_id}"
        return _finish(uow, actor, AuditAction.FACT_UNDONE, (table, fact_id), change, ip=ip, detail=detail)


def verify(
    engine: Engine, user: Principal | None, *, incident_id: str, ip: str | None = None
) -> Verification:
    """Mark an incident verified (E514 while any of its facts is undecided, E305 if none)."""
    actor = require(user, Action.REVIEW)
    with UnitOfWork(engine) as uow:
        incident_id = resolve_incident_id(uow.session, incident_id)
        pending = facts.load_incident(uow.session, incident_id).pending()
        if pending:
            raise ReviewError(Errors.E514, count=pending)
        before, after = marks.mark_verified(uow.session, incident_id, by=actor.username)
        event_id = record(
            uow, _event(AuditAction.INCIDENT_VERIFIED, actor, ("incidents", incident_id), before, after, ip)
        )
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
        if table == "incidents":
            ident = resolve_incident_id(uow.session, ident)
        before, after = marks.set_confidential(
            uow.session, table, ident, confidential=confidential, fields=fields
        )
        event_id = record(uow, _event(AuditAction.CONFIDENTIAL_SET, actor, (table, ident), before, after, ip))
        uow.commit()
    hidden = tuple(after.get("confidential_fields", ()))
    return ConfidentialMark(event_id, table, ident, confidential, hidden)


def _check_marks(table: str, fields: list[str] | None) -> None:
    if table not in ("incidents", "people"):
        raise ReviewError(Errors.E513, field="table", reason="give incidents or people")
    if fields and table != "incidents":
        raise ReviewError(Errors.E513, field="fields", reason="only an incident has confidential fields")
    editable = facts.EDITABLE["incidents"]
    for name in fields or ():
        if name not in editable:
            raise ReviewError(Errors.E512, table=table, field=name, editable=", ".join(editable))


def _event(
    action: AuditAction,
    user: Principal,
    target: tuple[str, str],
    before: dict[str, Any] | None,
    after: dict[str, Any],
    ip: str | None,
    detail: str | None = None,
) -> AuditRecord:
    table, row_id = target
    return AuditRecord(
        action,
        user.username,
        target_table=table,
        target_id=row_id,
        before=before,
        after=after,
        ip=ip,
        detail=detail,
    )
