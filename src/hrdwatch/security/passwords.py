"""Password hashing with argon2id; unknown users are checked against a dummy hash (no timing leak)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hrdwatch.errors import AccessError, Errors

MIN_LENGTH = 12
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
_DUMMY = _HASHER.hash("hrdwatch-dummy-password-for-timing")


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccessError(Errors.E508, minimum=MIN_LENGTH)


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True if ``password`` matches ``stored``; with no stored hash, spend the same time and say no."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
