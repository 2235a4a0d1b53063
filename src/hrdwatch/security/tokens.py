"""Random bearer secrets (session cookies, API tokens): only their SHA-256 is ever stored."""

from __future__ import annotations

import hashlib
import secrets

API_TOKEN_PREFIX = "hrdw_"


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def fingerprint(secret: str) -> str:
    """What the database keeps: a stolen database gives no usable session or token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
