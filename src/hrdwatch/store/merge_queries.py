"""Read-side queries the merge service needs (issue 9): the link decisions naming an entity, the
incidents a merge joins, and the membership rows of cases with every column, so that a merge can
record a row it drops and a split can put it back as it was.

Storage only: which rows move, which are dropped and in which order is decided by
:mod:`hrdwatch.services.merging`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrdwatch.store import tables as t


@dataclass(frozen=True, slots=True)
class IncidentState:
    """What deciding an incident merge needs: is it already the same as another, is it hidden."""

    id: str
    same_as_id: str | None
    confidential: bool


class LinkRef(NamedTuple):
    """A link decision, as far as moving it to another entity needs."""

    id: str
    mention_table: str
    mention_id: str


@dataclass(frozen=True, slots=True)
class CaseIncidentRow:
    """A ``case_incidents`` row with every column."""

    case_id: str
    incident_id: str
    followup: int
    score: float | None
    reasons: tuple[str, ...]
    decision: str
    added_at: datetime
    decided_by: str | None

    @property
    def key(self) -> dict[str, str]:
        return {"case_id": self.case_id, "incident_id": self.incident_id}

    def values(self) -> dict[str, Any]:
        """The row as column values (what a merge records when it drops the row)."""
        return {
            "case_id": self.case_id,
            "incident_id": self.incident_id,
            "followup": self.followup,
            "score": self.score,
            "reasons": list(self.reasons),
            "decision": self.decision,
            "added_at": self.added_at,
            "decided_by": self.decided_by,
        }


def incident_states(session: Session, incident_ids: Iterable[str]) -> dict[str, IncidentState]:
    """Incident id -> its state, for those of ``incident_ids`` that exist."""
    stmt = select(t.Incident.id, t.Incident.same_as_id, t.Incident.confidential).where(
        t.Incident.id.in_(list(incident_ids))
    )
    return {i: IncidentState(i, same_as, bool(hidden)) for i, same_as, hidden in session.execute(stmt)}


def links_to(session: Session, entity_id: str) -> list[LinkRef]:
    """Every link decision naming this entity as the candidate, oldest first."""
    stmt = select(t.EntityLink.id, t.EntityLink.mention_table, t.EntityLink.mention_id).where(
        t.EntityLink.entity_id == entity_id
    )
    rows = session.execute(stmt.order_by(t.EntityLink.created_at, t.EntityLink.id))
    return [LinkRef(*row) for row in rows]


def case_incident_rows(
    session: Session, *, case_id: str | None = None, incident_id: str | None = None
) -> tuple[CaseIncidentRow, ...]:
    """The ``case_incidents`` rows of this case and/or this incident, by follow-up number; the
    rows of the oldest case first when only ``incident_id`` is given."""
    stmt = select(t.CaseIncident).join(t.Case, t.Case.id == t.CaseIncident.case_id)
    if case_id is not None:
        stmt = stmt.where(t.CaseIncident.case_id == case_id)
    if incident_id is not None:
        stmt = stmt.where(t.CaseIncident.incident_id == incident_id)
    order = (t.Case.created_at, t.Case.id, t.CaseIncident.followup, t.CaseIncident.incident_id)
    return tuple(
        CaseIncidentRow(
            r.case_id,
            r.incident_id,
            r.followup,
            r.score,
            tuple(r.reasons or ()),
            r.decision,
            r.added_at,
            r.decided_by,
        )
        for r in session.scalars(stmt.order_by(*order))
    )


def last_followup(session: Session, case_id: str) -> int | None:
    """The highest follow-up number in a case (None for a case with no incident)."""
    return session.scalar(select(func.max(t.CaseIncident.followup)).where(t.CaseIncident.case_id == case_id))
