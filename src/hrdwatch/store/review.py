"""What :mod:`hrdwatch.store.marks` still takes from here, by table name; the rest of review
storage is in :mod:`hrdwatch.store.facts` (fact rows by typed address) and the read-side modules
:mod:`hrdwatch.store.incident_facts` and :mod:`hrdwatch.store.review_queue`. Goes once ``marks``
addresses its rows with a :class:`~hrdwatch.domain.facts.FactRef`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hrdwatch.domain.facts import FactRef, FactTable
from hrdwatch.store import facts
from hrdwatch.store.facts import get_incident_row

__all__ = ["fact_row", "get_incident_row"]


def fact_row(session: Session, table: str, fact_id: str) -> Any:
    """The row of fact (``table``, ``fact_id``); E511 if there is none."""
    return facts.fact_row(session, FactRef(FactTable(table), fact_id))
