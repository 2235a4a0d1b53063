"""Read use cases of the CLI: incidents list, one incident in full, the whole database as JSON.

(Case files, which group incidents across reports, are :mod:`hrdwatch.services.cases`.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record
from hrdwatch.store import export, queries
from hrdwatch.store.uow import UnitOfWork
from hrdwatch.store.views import IncidentDetail, IncidentSummary

__all__ = ["IncidentDetail", "IncidentSummary", "export_everything", "list_incidents", "show_incident"]

LATEST = "latest"


def list_incidents(engine: Engine, *, limit: int | None = None) -> list[IncidentSummary]:
    with UnitOfWork(engine, read_only=True) as uow:
        return queries.list_incidents(uow.session, limit=limit)


def show_incident(engine: Engine, ident: str) -> IncidentDetail:
    """One incident by id, unique id prefix, or ``latest``."""
    with UnitOfWork(engine, read_only=True) as uow:
        if ident == LATEST:
            latest = queries.latest_incident_id(uow.session)
            if latest is not None:
                ident = latest
        return queries.get_incident(uow.session, ident)


def export_everything(
    engine: Engine, actor: Principal | None, *, destination: str = "", encrypted: bool = False
) -> dict[str, Any]:
    """Everything in the database, lossless (editors and admins); the export is audited, with
    whether the file it goes to is ``encrypted``."""
    me = require(actor, Action.EXPORT)
    with UnitOfWork(engine) as uow:
        data = export.export_all(uow.session)
        record(
            uow,
            AuditRecord(
                AuditAction.EXPORT,
                me.username,
                subject=destination or None,
                after={"format": "json", "encrypted": encrypted},
            ),
        )
        uow.commit()
    return data
