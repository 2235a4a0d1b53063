"""A damaged database file becomes a coded error (E311), not a traceback.

SQLCipher checks an HMAC on every page it reads; a page that fails (one byte changed on disk, a
torn copy) raises ``DatabaseError`` in the middle of whatever query touched it. Plain SQLite says
"malformed" for a corrupt page. Wrap the reads that must end cleanly in :func:`translate_damage`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DatabaseError

from hrdwatch.errors import Errors, StoreError

#: what SQLite and SQLCipher say about a page they cannot read
DAMAGE_MESSAGES = ("database disk image is malformed", "file is not a database", "hmac check failed")


def is_damage(error: DatabaseError) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return any(message in text for message in DAMAGE_MESSAGES)


@contextmanager
def translate_damage() -> Iterator[None]:
    """Raise :class:`StoreError` E311 for a page SQLite or SQLCipher cannot read."""
    try:
        yield
    except DatabaseError as e:
        if not is_damage(e):
            raise
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise StoreError(Errors.E311, reason=reason) from e
