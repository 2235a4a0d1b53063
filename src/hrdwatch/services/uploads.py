"""Reports uploaded through the web app or the API: the CLI's readers and limits, plus an audit line."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, HrdwatchError
from hrdwatch.extract.worker import RecordExtractor
from hrdwatch.ingest.limits import check_size
from hrdwatch.ingest.registry import read_bytes
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record_now
from hrdwatch.services.filing import linker_from
from hrdwatch.services.ingest import IngestResult, Outcome, ingest_one

__all__ = ["IngestResult", "Outcome", "upload"]
log = logging.getLogger("hrdwatch.uploads")


def upload(
    engine: Engine,
    settings: Settings,
    extractor: RecordExtractor,
    user: Principal | None,
    *,
    name: str,
    data: bytes,
    size: int | None = None,
    ip: str | None = None,
) -> IngestResult:
    """Read, extract and store one uploaded file. A refused file is a FAILED result, never an exception.

    ``size`` is the file's whole size when the caller read only its first ``max_bytes + 1``
    bytes of it (so a huge upload is never held in memory): it is what a refusal reports.
    """
    me = require(user, Action.SOURCE_UPLOAD)
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    try:
        if size is not None:
            check_size(size, name=name, limit=settings.max_bytes)
        source = read_bytes(data, name=name, settings=settings)
        result = ingest_one(source, engine=engine, extractor=extractor, linker=linker_from(settings))
    except HrdwatchError as e:
        result = IngestResult(name, Outcome.FAILED, e.detail)
    except Exception as e:  # an uncoded failure stays with its file: logged, never a 500 for the batch
        log.exception("upload of %s failed", name)
        reason = Errors.E202.format(stage="pipeline", reason=type(e).__name__)
        result = IngestResult(name, Outcome.FAILED, reason)
    failed = result.outcome is Outcome.FAILED
    record_now(
        engine,
        AuditRecord(
            AuditAction.UPLOAD_FAILED if failed else AuditAction.UPLOAD,
            me.username,
            subject=name,
            target_table=None if failed else "sources",
            target_id=result.source_id,
            after={
                "outcome": result.outcome.value,
                "size": size if size is not None else len(data),
                "incidents": len(result.incident_ids),
            },
            ip=ip,
            detail=result.reason,
        ),
    )
    return result
