"""Accounts as the API shows them: users, API tokens (the secret only once), audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from hrdwatch.interfaces.api.schemas.common import Schema


class UserPublic(Schema):
    id: str
    username: str
    role: str
    totp_enrolled: bool
    totp_required: bool
    disabled: bool
    created_at: datetime


class TokenCreate(Schema):
    name: str = Field(default="token", max_length=100, examples=["nightly export script"])


class TokenCreated(Schema):
    """A new token. ``token`` is the secret: it is shown here once and never again."""

    id: str
    name: str
    token: str


class TokenPublic(Schema):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class AuditEventPublic(Schema):
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


class AuditPage(Schema):
    """Audit events newest first. The log is append-only and long: no total, ``next_page`` instead."""

    items: list[AuditEventPublic]
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=100)
    next_page: int | None
