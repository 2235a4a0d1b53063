"""Audit events: who did what, when (UTC), to which row, with the values before and after.

Every change, login and export is written through one function
(:func:`hrdwatch.services.audit.record`) into an append-only table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class AuditAction(StrEnum):
    LOGIN = "login"  # success
    LOGIN_FAILED = "login.failed"
    LOGIN_THROTTLED = "login.throttled"  # refused with 429 after too many failures
    LOGOUT = "logout"
    SESSION_EXPIRED = "session.expired"
    TOTP_ENROLLED = "totp.enrolled"
    TOTP_FAILED = "totp.failed"
    USER_CREATED = "user.created"
    ROLE_CHANGED = "user.role"
    TOTP_REQUIRED = "user.totp_required"
    TOTP_RESET = "user.totp_reset"  # an admin removed a lost authenticator
    USER_DISABLED = "user.disabled"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    UPLOAD = "source.upload"
    UPLOAD_FAILED = "source.upload_failed"
    INGEST = "source.ingest"  # a report stored by ``hrdwatch ingest`` (the CLI)
    FACT_DECIDED = "fact.decided"  # accept or reject
    FACT_EDITED = "fact.edited"
    FACT_ADDED = "fact.added"
    FACT_UNDONE = "fact.undone"
    INCIDENT_VERIFIED = "incident.verified"
    CONFIDENTIAL_SET = "confidential.set"
    LINK_DECIDED = "link.decided"  # an analyst confirmed or rejected "this person may be X"
    LINKS_REBUILT = "links.rebuilt"  # ``hrdwatch link --rebuild``: what it changed, in numbers
    CASE_OPENED = "case.opened"
    CASE_FOLLOWUP_DECIDED = "case.followup_decided"  # "new information on case REF" confirmed or rejected
    CASE_UPDATED = "case.updated"  # status, situation, title
    CHAIN_LINKED = "chain.linked"  # a chain-of-events link between two incidents added or removed
    MERGED = "record.merged"  # people, organisations, incidents or cases joined (reversible)
    SPLIT = "record.split"  # a merge undone
    EXPORT = "export"
    BACKUP = "database.backup"
    BACKUP_FAILED = "database.backup_failed"
    RESTORE = "database.restore"  # written into the restored database, first thing after the copy
    CSRF_REFUSED = "request.csrf_refused"
    ACCESS_DENIED = "request.denied"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One event to write. ``actor`` is the user name (None before anyone is known)."""

    action: AuditAction
    actor: str | None
    subject: str | None = None  # what the event is about when it is no row: a user name, a file
    target_table: str | None = None
    target_id: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    ip: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """An event as stored, with its sequence number and time."""

    id: int
    at: datetime
    action: str
    actor: str | None
    subject: str | None
    target_table: str | None
    target_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    ip: str | None
    detail: str | None
