"""The marks an editor puts on records: verified, confidential, confidential fields; and reading
them back for redaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hrdwatch.domain.facts import FactRef, FactTable
from hrdwatch.domain.review import IncidentStatus
from hrdwatch.store import tables as t
from hrdwatch.store.facts import fact_row, get_incident_row


@dataclass(frozen=True, slots=True)
class IncidentMarks:
    """What redaction needs to know about one incident."""

    status: str
    confidential: bool
    hidden: tuple[str, ...]  # confidential fields
    confidential_people: frozenset[str]  # ids of the incident's victims marked confidential


def _when(row: t.Incident) -> str | None:
    return row.verified_at.isoformat() if row.verified_at else None


def mark_verified(session: Session, incident_id: str, *, by: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the incident verified now by ``by``; return its (before, after) status, time and verifier."""
    row = get_incident_row(session, incident_id)
    before = {"status": row.status, "verified_at": _when(row), "verified_by": row.verified_by}
    row.status = IncidentStatus.VERIFIED.value
    row.verified_at = t.utcnow()
    row.verified_by = by
    session.flush()
    return before, {"status": row.status, "verified_at": _when(row), "verified_by": row.verified_by}


def _marks(table: str, row: Any) -> dict[str, Any]:
    marks: dict[str, Any] = {"confidential": row.confidential}
    if table == "incidents":
        marks["confidential_fields"] = list(row.confidential_fields or [])
    return marks


def set_confidential(
    session: Session, table: str, row_id: str, *, confidential: bool, fields: Iterable[str] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Mark an incident or a person (``table``) confidential or not, and an incident's hidden
    ``fields`` (None: leave them as they are). Returns the marks (before, after)."""
    if table == "incidents":
        row = get_incident_row(session, row_id)
    else:
        row = fact_row(session, FactRef(FactTable.PEOPLE, row_id))
    before = _marks(table, row)
    row.confidential = confidential
    if table == "incidents" and fields is not None:
        row.confidential_fields = sorted(set(fields))
    session.flush()
    return before, _marks(table, row)


def incident_marks(session: Session, incident_id: str) -> IncidentMarks:
    row = get_incident_row(session, incident_id)
    victims = select(t.Act.victim_person_id).where(t.Act.incident_id == incident_id)
    hidden_people = select(t.Person.id).where(t.Person.id.in_(victims), t.Person.confidential.is_(True))
    return IncidentMarks(
        status=row.status,
        confidential=row.confidential,
        hidden=tuple(row.confidential_fields or ()),
        confidential_people=frozenset(session.scalars(hidden_people)),
    )


def confidential_person_names(session: Session) -> list[tuple[str, tuple[str, ...]]]:
    """The name and aliases of every person marked confidential."""
    rows = session.execute(select(t.Person.name, t.Person.aliases).where(t.Person.confidential.is_(True)))
    return [(name, tuple(aliases or ())) for name, aliases in rows]
