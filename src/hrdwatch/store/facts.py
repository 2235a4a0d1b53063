"""Fact rows by their typed address (:class:`~hrdwatch.domain.facts.FactRef`): read a fact's
state, write it, find the incidents it belongs to, and create new fact rows with their evidence.

Storage only: what may be changed, and to what, is decided by the review service. No commit here
(the unit of work does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.facts import EDITABLE, STATUS, FactRef, FactTable
from hrdwatch.domain.review import IncidentStatus
from hrdwatch.errors import Errors, ReviewError, StoreError
from hrdwatch.store import tables as t

MODELS: dict[FactTable, Any] = {
    FactTable.INCIDENTS: t.Incident,
    FactTable.ACTS: t.Act,
    FactTable.PEOPLE: t.Person,
    FactTable.ORGANISATIONS: t.Organisation,
    FactTable.PERPETRATORS: t.Perpetrator,
    FactTable.CHARGES: t.Charge,
    FactTable.SANCTIONS: t.Sanction,
    FactTable.DEMANDS: t.Demand,
}
_DATED = (FactTable.INCIDENTS, FactTable.ACTS)  # a date keeps its precision column in step


def get_incident_row(session: Session, incident_id: str) -> t.Incident:
    row = session.get(t.Incident, incident_id)
    if row is None:
        raise StoreError(Errors.E305, ident=incident_id)
    return row


def fact_row(session: Session, ref: FactRef) -> Any:
    """The row of fact ``ref``; E511 if there is none."""
    row = session.get(MODELS[ref.table], ref.id)
    if row is None:
        raise ReviewError(Errors.E511, kind=ref.table.kind, ident=ref.id)
    return row


class FactRow:
    """One fact, its row fetched once: its state, writes to it, the incidents it belongs to."""

    __slots__ = ("_row", "_session", "ref")

    def __init__(self, session: Session, ref: FactRef) -> None:
        self.ref = ref
        self._session = session
        self._row = fact_row(session, ref)

    def get(self, column: str) -> Any:
        return getattr(self._row, column)

    def state(self) -> dict[str, Any]:
        """The editable fields with their values, and ``review_status``: what an audit event's
        before and after hold."""
        return {name: self.get(name) for name in (*EDITABLE[self.ref.table], STATUS)}

    def write(self, state: Mapping[str, Any]) -> None:
        """Write ``state`` (editable fields and/or ``review_status``); a date keeps its precision
        in step. E512 for any other column."""
        editable = EDITABLE[self.ref.table]
        for name, value in state.items():
            if name != STATUS and name not in editable:
                raise ReviewError(Errors.E512, table=self.ref.table, field=name, editable=", ".join(editable))
            setattr(self._row, name, value)
            if name == "date" and self.ref.table in _DATED:
                self._row.date_precision = PartialDate.from_iso(value).precision.value if value else None
        self._session.flush()

    def incident_ids(self) -> list[str]:
        """The ids of the incidents this fact belongs to."""
        table, row = self.ref.table, self._row
        if table is FactTable.INCIDENTS:
            return [row.id]
        if table in (FactTable.ACTS, FactTable.CHARGES) or (table is FactTable.SANCTIONS and row.incident_id):
            return [row.incident_id]
        if table in (FactTable.SANCTIONS, FactTable.DEMANDS):
            stmt = select(t.Incident.id).where(t.Incident.source_id == row.source_id)
        elif table is FactTable.PERPETRATORS:
            involved = select(t.Involvement.act_id).where(t.Involvement.perpetrator_id == row.id)
            stmt = select(t.Act.incident_id).where(t.Act.id.in_(involved))
        else:
            column = t.Act.victim_person_id if table is FactTable.PEOPLE else t.Act.victim_organisation_id
            stmt = select(t.Act.incident_id).where(column == row.id)
        return sorted(set(self._session.scalars(stmt)))


def start_review(session: Session, incident_ids: Iterable[str]) -> None:
    """Move the given incidents from ``extracted`` to ``in_review`` (others are left alone)."""
    stmt = (
        update(t.Incident)
        .where(t.Incident.id.in_(list(incident_ids)))
        .where(t.Incident.status == IncidentStatus.EXTRACTED.value)
        .values(status=IncidentStatus.IN_REVIEW.value)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(stmt)
    session.flush()


def insert_fact(session: Session, table: FactTable, columns: Mapping[str, Any]) -> FactRef:
    """A new row of ``table`` with ``columns`` and a fresh id."""
    row = MODELS[table](**columns)
    row.id = t.new_id()
    session.add(row)
    session.flush()
    return FactRef(table, row.id)


def add_evidence(
    session: Session,
    ref: FactRef,
    *,
    source_id: str,
    field: str,
    span: tuple[int, int],
    quote: str,
    rule: str,
) -> None:
    """The span of the source text a reviewer selected for ``ref`` (stage ``review``)."""
    start, end = span
    fact = {"source_id": source_id, "fact_table": ref.table.value, "fact_id": ref.id}
    session.add(t.Evidence(**fact, field=field, start=start, end=end, quote=quote, stage="review", rule=rule))


def involve(session: Session, act_id: str, perpetrator_ids: Iterable[str], *, review_status: str) -> None:
    """Link the perpetrators to the act."""
    for perpetrator_id in sorted(perpetrator_ids):
        session.add(t.Involvement(act_id=act_id, perpetrator_id=perpetrator_id, review_status=review_status))
    session.flush()


def acts_of(session: Session, incident_id: str, *, except_status: str) -> list[tuple[str, str]]:
    """(id, act_type) of the incident's acts whose review status is not ``except_status``."""
    stmt = select(t.Act.id, t.Act.act_type).where(
        t.Act.incident_id == incident_id, t.Act.review_status != except_status
    )
    return [(act_id, act_type) for act_id, act_type in session.execute(stmt.order_by(t.Act.id))]


def perpetrators_of(session: Session, act_ids: Iterable[str]) -> set[str]:
    """The ids of the perpetrators involved in any of the acts."""
    stmt = select(t.Involvement.perpetrator_id).where(t.Involvement.act_id.in_(list(act_ids)))
    return set(session.scalars(stmt))


def count_rows(session: Session, table: FactTable, *, column: str, equals: str) -> int:
    """How many rows of ``table`` have ``column == equals`` (the position of the next one)."""
    model = MODELS[table]
    stmt = select(func.count()).select_from(model).where(getattr(model, column) == equals)
    return int(session.scalar(stmt) or 0)
