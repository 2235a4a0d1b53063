"""Who is acting: roles and the principal a request or command runs as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # users and settings, and everything an editor does
    EDITOR = "editor"  # ingest, review, edit
    VIEWER = "viewer"  # read verified, non-confidential records only


@dataclass(frozen=True, slots=True)
class Principal:
    """A logged-in user (by session or API token), or the operator at the command line."""

    id: str
    username: str
    role: Role
    via: str = "session"  # session | token | cli
