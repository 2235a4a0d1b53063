"""Time-based one-time codes (RFC 6238, 30 s steps, 6 digits), one step of clock drift allowed."""

from __future__ import annotations

import binascii
import hmac
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


STEP_SECONDS = 30


def step_of(when: float) -> int:
    """The 30 s time step ``when`` falls in (what a code is computed from)."""
    return int(when // STEP_SECONDS)


def matching_step(secret: str, code: str, *, when: float | None = None) -> int | None:
    """The time step whose code ``code`` is (the current one or a neighbour), or None.

    The caller stores the step and refuses any code of that step or an earlier one: a code works
    once (RFC 6238, section 5.2).
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    now = step_of(when if when is not None else time.time())
    try:
        otp = pyotp.TOTP(secret)
        for step in (now, now - 1, now + 1):
            if hmac.compare_digest(otp.at(step * STEP_SECONDS), code):
                return step
    except (ValueError, binascii.Error):  # a malformed secret (e.g. tampered with in a form)
        return None
    return None


def verify(secret: str, code: str, *, when: float | None = None) -> bool:
    return matching_step(secret, code, when=when) is not None
