"""Time-based one-time codes (RFC 6238, 30 s steps, 6 digits), one step of clock drift allowed."""

from __future__ import annotations

import binascii
import time

import pyotp

ISSUER = "hrdwatch"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads (shown as text; no QR image is fetched);
    empty for a malformed secret (e.g. one emptied or tampered with in a form)."""
    try:
        return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    except (ValueError, binascii.Error):
        return ""


def code_at(secret: str, when: float | None = None) -> str:
    return pyotp.TOTP(secret).at(when if when is not None else time.time())


def verify(secret: str, code: str, *, when: float | None = None) -> bool:
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    try:
        otp = pyotp.TOTP(secret)
        return otp.verify(code, for_time=when if when is not None else time.time(), valid_window=1)
    except (ValueError, binascii.Error):  # a malformed secret (e.g. tampered with in a form)
        return False
