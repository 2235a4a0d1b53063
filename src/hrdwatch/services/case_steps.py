"""A case's lineage from the store's acts and sanctions: shared by filing (what a new report
adds) and the case file (the chain drawn for the analyst)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from hrdwatch.domain.cases import Situation
from hrdwatch.domain.lineage import (
    NewInformation,
    Occurrence,
    Step,
    lineage,
    sanction_code,
    situation,
    status_changes,
)
from hrdwatch.store.case_queries import lineage_rows
from hrdwatch.store.cases import PENDING, case_incidents


def steps_of(session: Session, incident_ids: Iterable[str]) -> list[Step]:
    """The lineage of these incidents' acts and sanctions (rejected ones left out)."""
    return lineage(
        Occurrence(
            row.incident_id,
            row.code if row.kind == "act" else sanction_code(row.code),
            row.date,
            row.evidence_ids,
        )
        for row in lineage_rows(session, incident_ids)
    )


def members(session: Session, case_id: str) -> list[str]:
    """The incidents that are part of the case: auto and confirmed follow-ups."""
    return [i.incident_id for i in case_incidents(session, case_id, pending=False)]


def case_situation(session: Session, case_id: str) -> Situation:
    return situation(steps_of(session, members(session, case_id)))


def describe(news: NewInformation) -> list[str]:
    """Short reasons for the analyst: the new steps, the steps confirmed, the change of situation."""
    reasons = [f"new: {_step(s)}" for s in news.new_steps]
    reasons += [f"confirms: {_step(s)}" for s in news.corroborated]
    if news.situation_changed:
        reasons.append(f"situation: {news.situation_before.label} -> {news.situation_after.label}")
    return reasons


def _step(step: Step) -> str:
    return f"{step.kind.label} ({step.date})" if step.date else step.kind.label


def is_pending(decision: str) -> bool:
    return decision in PENDING


def news_of(session: Session, known: Sequence[str], incident_id: str) -> NewInformation:
    """What ``incident_id`` adds to the lineage of the ``known`` incidents."""
    return status_changes(steps_of(session, known), steps_of(session, [*known, incident_id]))
